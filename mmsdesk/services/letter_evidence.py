"""The evidence a prescriber letter prints for a recommendation, derived when the letter is
made (never stored): the screening alert that raised the problem (matched by its key, the
patient re-screened now) with the values, inputs and dates its rule used and the guideline
line; the problem's medicines with their doses as on the list; the latest results when the
rule named none."""

from __future__ import annotations

import re
from collections.abc import Sequence

from mmsdesk.clinical.screening.model import Alert
from mmsdesk.reports.data import MedicationItem

_PAIR = re.compile(r"^([\w' -]+?) \+ ([\w' -]+?):")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def us_dates(text: str) -> str:
    """'on 2026-11-17' -> 'on 11/17/2026', as the rest of the letter writes dates."""
    return _ISO.sub(lambda m: f"{m.group(2)}/{m.group(3)}/{m.group(1)}", text)


def medicine_lines(names: Sequence[str], medicines: Sequence[MedicationItem]) -> list[str]:
    """'Warfarin 5 mg tablet (Coumadin): Take 1 tablet by mouth every evening' for each
    medicine on the list whose name holds one of ``names`` (ingredients or names as written)."""
    out: list[str] = []
    for name in names:
        key = name.strip().lower()
        if not key:
            continue
        for m in medicines:
            line = f"{m.name}: {m.directions}" if m.directions else m.name
            if key in m.name.lower() and line not in out:
                out.append(line)
    return out


def alert_for(alerts: dict[str, Alert], key: str, medicines: Sequence[str]) -> Alert | None:
    """The alert that raised a problem: by its key; else the same rule; else an alert of the
    same kind on all the problem's medicines (a rule's key changes when a partner drug is
    added to the list or the knowledge base regroups its rows)."""
    if not key:
        return None
    if key in alerts:
        return alerts[key]
    kind, _, rest = key.partition(":")
    rule = rest.partition(":")[0]
    same_rule = [a for a in alerts.values() if a.kind == kind and a.rule_id == rule]
    if same_rule:
        return same_rule[0]
    wanted = {m.strip().lower() for m in medicines if m.strip()}
    for a in alerts.values():
        if a.kind == kind and wanted and wanted <= {x.lower() for x in a.drugs}:
            return a
    return None


def relevant_labs(labs: Sequence[str], text: str) -> list[str]:
    """The latest results the problem or its alert speaks of ('INR 3.6 …' for a problem about
    the INR), else all of them."""
    said = text.lower()
    picked = []
    for lab in labs:
        label = re.split(r"\s[\d.]+\s", lab, maxsplit=1)[0].lower()
        name = label.split(",")[0].removeprefix("serum ").strip()
        if name and name in said:
            picked.append(lab)
    return picked or list(labs)


def evidence_lines(alert: Alert | None, medicines: Sequence[MedicationItem],
                   problem_medicines: Sequence[str], labs: Sequence[str],
                   problem: str = "") -> tuple[str, ...]:
    out: list[str] = []
    values: list[str] = []
    sources: list[str] = []
    mine = {m.strip().lower() for m in problem_medicines if m.strip()}
    if alert is not None:
        grouped = False
        for line in alert.evidence:
            pair = _PAIR.match(line)
            if pair and mine and not {pair.group(1).lower(), pair.group(2).lower()} <= mine:
                grouped = True  # a pair of a grouped alert that is not this problem's
                continue
            (sources if line.startswith("Source:") else values).append(us_dates(line))
        if not grouped:  # a grouped alert's title names drugs this problem is not about
            out.append(f"{alert.title}: {alert.detail}".strip())
        if not sources and alert.references:
            sources.append("Source: " + alert.references[0])
    out += values
    names = list(problem_medicines) or (list(alert.drugs) if alert is not None else [])
    out += medicine_lines(names, medicines)
    if not any(re.search(r"\d{2}/\d{2}/\d{4}", v) for v in values) and labs:
        about = problem + (f" {alert.title} {alert.detail}" if alert is not None else "")
        out.append("Latest results: " + "; ".join(relevant_labs(labs, about)))
    return tuple(dict.fromkeys(out + sources))
