"""A reconciliation list's kind, name and date, as the pharmacist corrects them.

A file tells what it can: a C-CDA discharge summary names itself a discharge list, a FHIR
bundle or a typed file is "another list", dated by the document or not at all. The pharmacist
knows better (the "home list" she imported is the hospital's discharge list; its date is the
day of discharge): :func:`edit_list` sets what she says once :func:`list_errors` finds nothing
wrong, and the comparison is made again (a discharge list says what the patient should take,
so its discrepancies differ from a home list's).
"""

from __future__ import annotations

from datetime import date

from mmsdesk.services.visits.draft import ReconSource
from mmsdesk.services.visits.reconciliation import CHART, LIST_KIND_LABELS

MAX_LABEL = 200


def list_errors(kind: str, label: str, listed_on: date | None, today: date | None
                ) -> dict[str, str]:
    """Field -> message for what cannot be kept (``source``, ``label``, ``listed_on``)."""
    errors: dict[str, str] = {}
    if kind not in LIST_KIND_LABELS:
        errors["source"] = "Choose the kind of list."
    if not label.strip():
        errors["label"] = "Give the list a name."
    elif len(label.strip()) > MAX_LABEL:
        errors["label"] = f"The name is {len(label.strip())} characters; at most {MAX_LABEL}."
    if listed_on is not None and today is not None and listed_on > today:
        errors["listed_on"] = "The date of the list is after today."
    return errors


def relabel(label: str, old_kind: str, new_kind: str) -> str:
    """A name that begins with the old kind's words ("Other list (visit.json)", "Discharge
    list: Dr Seven") begins with the new kind's; a name of the pharmacist's own is kept."""
    old, new = LIST_KIND_LABELS.get(old_kind, ""), LIST_KIND_LABELS.get(new_kind, "")
    if old and new and label.startswith(old):
        return new + label[len(old):]
    return label


def edit_list(src: ReconSource, kind: str, label: str, listed_on: date | None,
              today: date | None) -> dict[str, str]:
    """Set the list's kind, name and date; nothing is changed when there are errors (returned
    by field). The chart's own list is not edited here."""
    if src.source == CHART:
        return {"source": "The chart's list is the chart's; edit the medicines in the chart."}
    errors = list_errors(kind, label, listed_on, today)
    if not errors:
        src.source, src.label, src.listed_on = kind, label.strip(), listed_on
    return errors
