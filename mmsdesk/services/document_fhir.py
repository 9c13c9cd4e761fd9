"""A Personal Medication List straight from a FHIR R4 bundle (no patient in the store).

The bundle is read with the importer's reader (``interop.fhir_import.plan_import``), so the
same statuses, dates and messages apply. Current medicines are listed, and medicines stopped
in the last year are crossed out; older history is counted, not listed.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from mmsdesk.i18n import _, normalise_language
from mmsdesk.interop.fhir_import import plan_import
from mmsdesk.reports import data as d
from mmsdesk.services.document_data import kb_version, nfc, printed_name

STOPPED_WINDOW_DAYS = 365
OLDER = "{n} medicines stopped more than a year ago ({file}) are not listed."


def document_from_fhir(path: Path | str, *, today: date, lang: str | None = None,
                       large_print: bool = False,
                       practice: d.PracticeInfo | None = None) -> d.DocumentData:
    plan = plan_import(path)
    p = plan.patient
    if p.date_of_birth is None:
        from mmsdesk.services.validation import ValidationError

        raise ValidationError({"date_of_birth": f"{Path(path).name}: the Patient has no birth "
                                                "date; a medication list needs one."})
    latest: dict[str, d.MedicationItem] = {}
    older = 0
    for planned in plan.medications:
        m = planned.data
        if m.status == "stopped" and (m.stopped or m.started or today) < today - timedelta(
                days=STOPPED_WINDOW_DAYS):
            older += 1
            continue
        item = d.MedicationItem(name=nfc(m.text), directions=nfc(m.directions),
                                indication=nfc(m.indication), started=m.started,
                                stopped=m.stopped, stop_reason=nfc(m.stop_reason),
                                status=m.status)
        key = nfc(m.text).casefold()
        prev = latest.get(key)
        # the same medicine ordered again: keep the current entry, else the latest one
        if prev is None or (item.current, item.started or date.min) >= (prev.current,
                                                                       prev.started or date.min):
            latest[key] = item
    meds = sorted(latest.values(), key=lambda m: (not m.current, m.name.casefold()))
    allergies = tuple(d.AllergyItem(nfc(a.data.substance), nfc(a.data.reaction), a.data.type)
                      for a in plan.allergies if a.data.status == "active")
    city = ", ".join(x for x in (nfc(p.city), " ".join(x for x in (nfc(p.state), nfc(p.postal_code)) if x)) if x)
    patient = d.PatientInfo(name=printed_name(p.first_name, p.middle_name, p.last_name),
                            date_of_birth=p.date_of_birth, first_name=nfc(p.first_name),
                            phone=nfc(p.phone),
                            address_lines=tuple(x for x in (nfc(p.address_line1), city) if x))
    language = normalise_language(lang or p.preferred_language)
    other = _(OLDER, language).format(n=older, file=Path(path).name) if older else ""
    return d.DocumentData(patient=patient, practice=practice or d.PracticeInfo(),
                          prepared_on=today, lang=language,
                          large_print=large_print, kb_version=kb_version(),
                          medications=tuple(meds), allergies=allergies, other_information=other)
