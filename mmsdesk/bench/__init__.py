"""`mmsdesk bench`: named performance figures, measured by the project itself.

Each module in ``BENCH_MODULES`` defines ``BENCHMARKS: dict[str, Callable[[BenchContext],
list[Figure]]]``. A benchmark group may report several figures. ``--only NAME`` runs the
groups whose name, or one of whose figure names, contains NAME.
"""

from __future__ import annotations

import importlib
import platform
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCH_MODULES: tuple[str, ...] = (
    "mmsdesk.bench.startup",
    "mmsdesk.bench.patient_list",
    "mmsdesk.bench.chart",
    "mmsdesk.bench.outcomes",
    "mmsdesk.bench.dictionary",
    "mmsdesk.bench.security",
    "mmsdesk.bench.screening",
    "mmsdesk.bench.documents",
    "mmsdesk.bench.visits",
    "mmsdesk.bench.scanning",
    "mmsdesk.bench.server",
)


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    target: float | None = None
    better: str = "lower"  # "lower" or "higher"

    @property
    def meets_target(self) -> bool | None:
        if self.target is None:
            return None
        return self.value <= self.target if self.better == "lower" else self.value >= self.target

    def as_json(self) -> dict[str, object]:
        return {"value": round(self.value, 3), "unit": self.unit, "target": self.target,
                "better": self.better}


@dataclass
class BenchContext:
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="mmsdesk-bench-")))

    def folder(self, name: str) -> Path:
        p = self.workdir / name
        p.mkdir(parents=True, exist_ok=True)
        return p


Benchmark = Callable[[BenchContext], list[Figure]]


def all_benchmarks() -> dict[str, Benchmark]:
    out: dict[str, Benchmark] = {}
    for name in BENCH_MODULES:
        out.update(importlib.import_module(name).BENCHMARKS)
    return out


def machine() -> dict[str, object]:
    import os

    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
    }


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], pct: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, round(pct / 100 * (len(s) - 1))))
    return s[k]
