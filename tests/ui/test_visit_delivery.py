"""Who received the documents: the Implement step records a caregiver (name and relation) and
the delivery (how and when), read at the field; the completed visit keeps them and the CMS
cover letter and the visit note print them."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QWizard

from mmsdesk.models import Visit
from mmsdesk.services.documents import render_document
from tests.conftest import TODAY
from tests.reports.pdfcheck import pdftotext
from tests.ui import test_visit_wizard as wizard_test
from tests.ui.test_visit_wizard import click, pick, start_cmr, type_into

demo_window = wizard_test.demo_window  # the fixtures of the wizard's own test
johnson = wizard_test.johnson


def _next(qtbot, wizard, step: str) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    qtbot.waitUntil(lambda: wizard.current_step() == step, timeout=3000)


def test_caregiver_and_delivery_recorded_in_the_wizard_reach_the_cover_letter_and_note(
        qtbot, demo_window, demo_store, johnson):
    wizard = start_cmr(qtbot, demo_window, johnson)
    draft = wizard.draft
    type_into(qtbot, wizard.pages["collect"].reason, "Annual CMR")
    _next(qtbot, wizard, "assess")
    _next(qtbot, wizard, "plan")
    _next(qtbot, wizard, "implement")
    imp = wizard.pages["implement"]
    next_button = wizard.button(QWizard.WizardButton.NextButton)

    assert not imp.recipient_name.isEnabled()  # a name is a caregiver's only
    pick(qtbot, imp.recipient, "A caregiver")
    assert imp.recipient_name.isEnabled() and imp.recipient_relation.isEnabled()
    assert not next_button.isEnabled()  # a caregiver needs a name and a relation
    type_into(qtbot, imp.recipient_name, "Lucía Müller")
    type_into(qtbot, imp.recipient_relation, "daughter")
    assert next_button.isEnabled()

    pick(qtbot, imp.delivery, "Mail")
    assert draft.implement.delivered_on == TODAY  # proposed: the day of the visit
    imp.delivered_on.clear()
    type_into(qtbot, imp.delivered_on, "11/31/2026")  # not a day: said at the field
    assert imp.delivery_note.isVisible() and "not a real calendar date" in imp.delivery_note.text()
    assert draft.implement.delivered_on is None and not next_button.isEnabled()
    imp.delivered_on.clear()
    type_into(qtbot, imp.delivered_on, "11/01/2026")  # before the visit
    assert imp.delivery_note.isVisible() and "before the visit" in imp.delivery_note.text()
    assert not next_button.isEnabled()
    imp.delivered_on.clear()
    type_into(qtbot, imp.delivered_on, "11/26/2026")
    assert not imp.delivery_note.isVisible()
    assert (draft.implement.recipient, draft.implement.recipient_name,
            draft.implement.recipient_relation, draft.implement.delivery_method,
            draft.implement.delivered_on) == ("caregiver", "Lucía Müller", "daughter", "mail",
                                              date(2026, 11, 26))
    # the diagnoses billed, typed beside the steps and read at the field
    codes = wizard.billing.diagnoses
    assert "I10" in codes.placeholderText()  # empty: the patient's coded conditions
    type_into(qtbot, codes, "I10; X1")
    assert wizard.billing.diagnoses_note.isVisible() and "X1" in \
        wizard.billing.diagnoses_note.text()
    codes.clear()
    type_into(qtbot, codes, "i10; E78.5")
    assert not wizard.billing.diagnoses_note.isVisible()
    _next(qtbot, wizard, "follow_up")
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isEnabled()
    vid = draft.visit_id
    with qtbot.waitSignal(wizard.completed):
        click(qtbot, finish)

    with demo_store.session() as s:
        v = s.get(Visit, vid)
        assert (v.status, v.recipient, v.recipient_name, v.recipient_relation,
                v.delivery_method, v.delivered_on) == (
            "complete", "caregiver", "Lucía Müller", "daughter", "mail", date(2026, 11, 26))
        assert v.diagnosis_codes == "I10;E78.5"
    letter = pdftotext(render_document(demo_store, "cms-summary", johnson, visit_id=vid,
                                       lang="en", today=TODAY))
    assert "Received by: caregiver: Lucía Müller (daughter)" in letter
    assert "Delivered: by mail, 11/26/2026" in letter
    note = pdftotext(render_document(demo_store, "visit-note", johnson, visit_id=vid,
                                     today=TODAY))
    assert "Documents received by: caregiver Lucía Müller (daughter), by mail on 11/26/2026" \
        in note
