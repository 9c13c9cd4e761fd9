"""The medication list as CSV (UTF-8 with BOM so spreadsheet programs show accents)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from typing import Protocol

from mmsdesk.clinical.dictionary.naming import full_form

COLUMNS = ("Medicine", "How I use it", "Why I use it", "Prescriber", "Pharmacy", "Kind",
           "Status", "Started", "Stopped", "Stop reason", "Ingredients", "Strength", "Form",
           "RxNorm", "Recognised")


class MedicationLike(Protocol):
    name: str
    directions: str
    indication: str
    prescriber: str
    pharmacy: str
    kind: str
    status: str
    started: date | None
    stopped: date | None
    stop_reason: str
    ingredients: tuple[str, ...]
    strength: str
    dose_form: str
    release: str
    rxnorm_code: str
    match: str


def _safe(text: str) -> str:
    """Keep a cell from being read as a spreadsheet formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def medication_csv(rows: Iterable[MedicationLike]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([_safe(x) for x in (
            r.name, r.directions, r.indication, r.prescriber, r.pharmacy, r.kind, r.status,
            r.started.isoformat() if r.started else "", r.stopped.isoformat() if r.stopped else "",
            r.stop_reason, "; ".join(r.ingredients), r.strength, full_form(r.dose_form, r.release),
            r.rxnorm_code,
            "no" if r.match == "unrecognised" else "yes")])
    return buf.getvalue()


def write_medication_csv(rows: Iterable[MedicationLike], path: str) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        f.write(medication_csv(rows))
