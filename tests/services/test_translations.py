"""The pharmacist's translations are stored per patient and language and printed by every
later document; a translation of English text that has since changed is never printed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from tests.conftest import TODAY
from tests.reports.pdfcheck import pdftotext

ANKLES = "for the swelling in my ankles"
TOBILLOS = "para la hinchazón de los tobillos"


@pytest.fixture
def jose(demo_store):
    """José Müller (Spanish) with a completed CMR; his furosemide's reason for use typed as
    free text no vocabulary has."""
    from mmsdesk.models import MedicationEntry
    from mmsdesk.services.document_samples import add_sample_visit, ensure_profile
    from mmsdesk.services.medications import MedicationService

    ensure_profile(demo_store)
    add_sample_visit(demo_store, 1, TODAY)
    with demo_store.session() as s:
        med_id = next(m.id for m in s.execute(select(MedicationEntry).where(
            MedicationEntry.patient_id == 1)).scalars() if "furosemide" in m.name("en").lower())
    service = MedicationService(demo_store)
    service.update(med_id, replace(service.get_input(med_id), indication=ANKLES), TODAY)
    return demo_store, service, med_id


def _listed(store, kind="pml"):
    from mmsdesk.services.document_language import untranslated

    return [text for _where, text in untranslated(store, kind, 1, today=TODAY)]


def test_a_stored_translation_prints_in_every_document_until_the_english_changes(jose):
    from mmsdesk.services import translations
    from mmsdesk.services.documents import render_document

    store, service, med_id = jose
    assert ANKLES in _listed(store)
    assert "swelling" in pdftotext(render_document(store, "pml", 1, today=TODAY))
    todo = "Stop taking ibuprofen (Advil)."
    to_do = next(t for t in _listed(store, "map") if t.startswith(todo))
    translations.save_translations(store, 1, "es", {ANKLES: TOBILLOS,
                                                    to_do: "Deje de tomar ibuprofeno (Advil)."})
    for kind in ("pml", "cms-summary"):
        text = pdftotext(render_document(store, kind, 1, today=TODAY))
        assert "tobillos" in text and "swelling" not in text, kind
        assert ANKLES not in _listed(store, kind)
    text = pdftotext(render_document(store, "map", 1, today=TODAY))
    assert "Deje de tomar ibuprofeno" in text and todo not in text
    assert to_do not in _listed(store, "map")
    # English documents and professionals' documents are as written
    assert "swelling" in pdftotext(render_document(store, "pml", 1, lang="en", today=TODAY))
    assert "Stop taking ibuprofen" in pdftotext(render_document(store, "map", 1, lang="en",
                                                                today=TODAY))

    # the English changes in the chart: the new text is listed, the old translation unused
    changed = "for the swelling in my ankles and feet"
    service.update(med_id, replace(service.get_input(med_id), indication=changed), TODAY)
    assert changed in _listed(store)
    text = pdftotext(render_document(store, "pml", 1, today=TODAY))
    assert "tobillos" not in text and "swelling" in text


def test_save_list_correct_and_remove(jose):
    from mmsdesk.services import translations
    from mmsdesk.services.validation import ValidationError

    store, _service, _med = jose
    change = translations.save_translations(store, 1, "es", {ANKLES: TOBILLOS})
    assert change.touches("translations") and 1 in change.patient_ids
    [item] = translations.list_translations(store, 1, "es")
    assert (item.source_text, item.text) == (ANKLES, TOBILLOS)
    assert translations.list_translations(store, 1, "vi") == []
    assert translations.list_translations(store, 2, "es") == []  # per patient
    translations.save_translations(store, 1, "es", {ANKLES: "  para los tobillos hinchados "})
    [item] = translations.list_translations(store, 1, "es")
    assert item.text == "para los tobillos hinchados"  # corrected in place, not a second row
    translations.save_translations(store, 1, "es", {ANKLES: ""})  # emptied: removed
    assert translations.list_translations(store, 1, "es") == []
    translations.save_translations(store, 1, "es", {ANKLES: TOBILLOS})
    [item] = translations.list_translations(store, 1, "es")
    translations.delete_translation(store, 1, item.id)
    assert ANKLES in _listed(store)
    with pytest.raises(LookupError):
        translations.delete_translation(store, 2, item.id)
    with pytest.raises(ValidationError):
        translations.save_translations(store, 1, "es", {ANKLES: "x" * 1001})
    with pytest.raises(ValidationError):
        translations.save_translations(store, 1, "en", {ANKLES: TOBILLOS})


def test_saving_a_translation_is_audited_without_the_text(jose):
    from mmsdesk.models import AuditEvent
    from mmsdesk.services import translations

    store, _service, _med = jose
    translations.save_translations(store, 1, "es", {ANKLES: TOBILLOS})
    with store.session() as s:
        rows = [r for r in s.execute(select(AuditEvent)).scalars()
                if r.entity == "text_translation"]
    assert rows and rows[-1].patient_id == 1
    assert all(TOBILLOS not in (r.detail or "") for r in rows)


def test_only_the_text_a_document_prints_is_listed(jose):
    """The calendar listed the visit's To-Do items and follow-up plan, which it does not print;
    the bills listed every medicine's text."""
    store, _service, _med = jose
    calendar = _listed(store, "calendar")
    assert ANKLES in calendar  # the calendar prints each medicine's reason for use
    assert not [t for t in calendar if "ibuprofen (Advil)" in t or "follow-up" in t]
    pml = _listed(store, "pml")
    assert "Bleeding signs with warfarin; safe pain relief; sleep hygiene." in pml
    assert not [t for t in pml if t.startswith("Stop taking ibuprofen")]  # a MAP To-Do
    plan = _listed(store, "map")
    assert ANKLES not in plan and any(t.startswith("Stop taking ibuprofen") for t in plan)
    assert any(t.startswith("Stop taking ibuprofen") for t in _listed(store, "cms-summary"))
    assert _listed(store, "invoice") == []


def _decided_in_visit_in_progress(store, bottle: str, key: str, **decision) -> None:
    """José's sample CMR reopened as a draft, a bottle compared with the chart and the
    discrepancy whose key starts with ``key`` decided as given (saved in the draft)."""
    from mmsdesk.models import Visit
    from mmsdesk.services.visits.draft import VisitDraft
    from mmsdesk.services.visits.reconciliation import (
        chart_source,
        find_discrepancies,
        source_from_lines,
    )

    with store.session() as s:
        v = s.execute(select(Visit).where(Visit.patient_id == 1)
                      .order_by(Visit.id.desc())).scalars().first()
        v.status = "draft"
        draft = VisitDraft.from_json(v.draft_json)
    chart = chart_source(store, 1)
    bottles = source_from_lines([bottle], "bottle", "Bottles")
    draft.collect.sources = [chart, bottles]
    draft.collect.discrepancies = find_discrepancies(chart, [bottles])
    found = next(x for x in draft.collect.discrepancies if x.key.startswith(key))
    for name, value in decision.items():
        setattr(found, name, value)
    with store.session() as s:
        s.get(Visit, v.id).draft_json = draft.to_json()


def test_a_stop_decided_in_the_visit_in_progress_is_listed_and_then_translated(jose):
    """A visit in progress prints its working list: a medicine stopped by the reconciliation
    printed its reason ("No longer taken…", or the patient's words) in English on the Spanish
    list without listing it, so it could not be translated."""
    from mmsdesk.services import translations
    from mmsdesk.services.documents import gather, render_document

    store, _service, _med = jose
    _decided_in_visit_in_progress(store, "warfarin 5 mg 1 tab every evening",
                                  "commission:lisinopril", decision="stop",
                                  patient_reason="My heart doctor stopped it in October")
    lisinopril = next(m for m in gather(store, "pml", 1, today=TODAY).medications
                      if m.name.startswith("Lisinopril"))
    assert lisinopril.status == "stopped" and lisinopril.untranslated == ("stop_reason",)
    assert "My heart doctor stopped it in October" in _listed(store)
    translations.save_translations(store, 1, "es", {
        "My heart doctor stopped it in October": "Mi cardiólogo lo suspendió en octubre"})
    assert "My heart doctor stopped it in October" not in _listed(store)
    text = pdftotext(render_document(store, "pml", 1, today=TODAY))
    assert "cardiólogo lo" in text and "heart doctor" not in text


@pytest.mark.parametrize(("directions", "listed"), [
    ("Take 1 tablet by mouth twice a day", False),  # read by the sig reader: in Spanish
    ("Take as the heart doctor says on the phone", True),  # not read: listed to translate
])
def test_a_change_decided_in_the_visit_in_progress_lists_its_new_directions_by_what_prints(
        jose, directions, listed):
    from mmsdesk.services.documents import gather

    store, _service, _med = jose
    _decided_in_visit_in_progress(store, "lisinopril 10 mg 1 tab twice daily",
                                  "frequency:lisin", decision="change",
                                  new_directions=directions)
    lisinopril = next(m for m in gather(store, "pml", 1, today=TODAY).medications
                      if m.name.startswith("Lisinopril"))
    assert ("directions" in lisinopril.untranslated) is listed
    assert (directions in _listed(store)) is listed
    if not listed:
        assert "dos veces al día" in lisinopril.directions


def test_the_follow_up_asks_only_for_its_reason_and_prints_it_translated(jose):
    """The MAP prints the follow-up's way and date in the patient's language; only the reason
    the pharmacist typed is English. It was listed as the whole English sentence ("Telephone
    follow-up by ..."), which the MAP does not print, and the reason stayed in English."""
    from mmsdesk.models import FollowUp
    from mmsdesk.services import translations
    from mmsdesk.services.documents import render_document

    store, _service, _med = jose
    reason = "INR result and knee pain"  # the sample visit's follow-up (document_samples)
    with store.session() as s:
        assert reason in s.execute(select(FollowUp.reason).where(
            FollowUp.patient_id == 1)).scalars().all()
    pieces = _listed(store, "map")
    assert reason in pieces
    assert not [t for t in pieces if " by " in t and "follow" in t.lower()]
    translations.save_translations(store, 1, "es", {reason: "revisar la presión"})
    text = pdftotext(render_document(store, "map", 1, today=TODAY))
    assert "revisar la presión" in text and reason not in text
    assert reason not in _listed(store, "map")


def test_a_colleagues_translation_of_the_same_piece_is_not_overwritten(jose):
    """Team mode: two people translating one piece (the preview showed it untranslated, the
    saved list showed a version): the second save is refused, naming the piece's record."""
    from mmsdesk.services import translations
    from mmsdesk.store.conflicts import RecordChanged

    store, _service, _med = jose
    shown = dict.fromkeys([ANKLES])  # untranslated in my preview
    translations.save_translations(store, 1, "es", {ANKLES: TOBILLOS}, expected=shown)  # theirs
    with pytest.raises(RecordChanged) as refused:
        translations.save_translations(store, 1, "es", {ANKLES: "por los tobillos"},
                                       expected=shown)
    assert refused.value.entity == "text_translation" and not refused.value.deleted
    [item] = translations.list_translations(store, 1, "es")
    assert item.text == TOBILLOS  # theirs kept

    read = {item.source_text: item.version}  # my saved-translations list
    translations.save_translations(store, 1, "es", {ANKLES: "para los tobillos hinchados"},
                                   expected=read)  # a colleague corrects it
    with pytest.raises(RecordChanged):
        translations.save_translations(store, 1, "es", {ANKLES: ""}, expected=read)
    assert translations.list_translations(store, 1, "es")[0].text == \
        "para los tobillos hinchados"
    translations.save_translations(store, 1, "es", {ANKLES: ""})  # removed by them
    with pytest.raises(RecordChanged) as gone:  # my correction of a removed one
        translations.save_translations(store, 1, "es", {ANKLES: "tobillos"}, expected=read)
    assert gone.value.deleted
    assert translations.list_translations(store, 1, "es") == []
