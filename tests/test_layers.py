"""Import contract: the core never imports Qt; clinical and reports never import SQL."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "mmsdesk"

FORBIDDEN = {
    "clinical": ("PySide6", "sqlalchemy", "sqlmodel", "mmsdesk.models", "mmsdesk.store",
                 "mmsdesk.services", "mmsdesk.ui", "mmsdesk.reports", "mmsdesk.interop"),
    "reports": ("PySide6", "sqlalchemy", "sqlmodel", "mmsdesk.models", "mmsdesk.store",
                "mmsdesk.services", "mmsdesk.ui"),
    "models": ("PySide6", "mmsdesk.ui", "mmsdesk.services"),
    "services": ("PySide6", "mmsdesk.ui"),
    "store": ("PySide6", "mmsdesk.services", "mmsdesk.ui"),
    "interop": ("PySide6", "mmsdesk.store", "mmsdesk.services", "mmsdesk.ui"),
    "commands": ("PySide6", "mmsdesk.ui"),
}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_imports(package):
    bad = []
    for path in (PKG / package).rglob("*.py"):
        for mod in _imports(path):
            if any(mod == f or mod.startswith(f + ".") for f in FORBIDDEN[package]):
                bad.append(f"{path.relative_to(PKG)} imports {mod}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("module", ["mmsdesk.commands.screen", "mmsdesk.interop.fhir_screening",
                                    "mmsdesk.parsing"])
def test_headless_screening_loads_no_database_layer(module):
    """`mmsdesk screen` is timed from the shell (bench target 0.6 s): importing SQLModel and
    SQLAlchemy costs about half a second, so the bundle path must not pull them in (the date
    reader once lived in models/, whose package import loads them)."""
    import subprocess
    import sys

    code = (f"import sys, {module}; "
            "print(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'PySide6') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_the_command_line_parser_loads_no_database_layer():
    """Every command registers its options at start-up, `screen` included: a command that
    imports a service to list its choices (the CMR offer methods did) loads SQLAlchemy into
    every run (`mmsdesk screen` went from 0.20 s to 0.61 s)."""
    import subprocess
    import sys

    code = ("import sys; from mmsdesk.cli import build_parser; build_parser(); "
            "print(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'PySide6') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]", out.stdout
