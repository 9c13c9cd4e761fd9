"""Settings > Profile: office hours, TTY and tax id, read at the field and saved on OK; the CMS
cover letter prints the hours and the TTY instead of "during office hours"."""

from __future__ import annotations

from sqlalchemy import select

from mmsdesk.models import Patient, Visit
from mmsdesk.services.documents import render_document
from mmsdesk.services.practice import PracticeService, ProfileData
from mmsdesk.ui.setup.settings_dialog import SettingsDialog
from tests.conftest import TODAY
from tests.reports.pdfcheck import pdftotext
from tests.ui.typing import type_text


def _cmr(store) -> tuple[int, int]:
    with store.session() as s:
        v = s.execute(select(Visit).join(Patient, Patient.id == Visit.patient_id).where(
            Visit.service == "cmr", Visit.status == "complete", Patient.last_name == "Müller")
        ).scalars().first()
        return v.patient_id, v.id


def test_hours_and_tty_from_settings_reach_the_cover_letter(qtbot, main_window, demo_store):
    pid, vid = _cmr(demo_store)
    before = pdftotext(render_document(demo_store, "cms-summary", pid, visit_id=vid, lang="en",
                                       today=TODAY))
    assert "during office hours" in before and "TTY" not in before
    svc = PracticeService(demo_store)
    svc.save_profile(ProfileData(name="Dana Rivera", phone="(555) 201-3344"))
    dlg = SettingsDialog(svc, main_window)
    qtbot.addWidget(dlg)
    dlg.show()
    type_text(qtbot, dlg.profile.hours, "weekdays")  # no times: said at the field
    type_text(qtbot, dlg.profile.tty, "12")
    type_text(qtbot, dlg.profile.tin, "12-34")
    dlg.accept()
    assert dlg.isVisible()  # refused: nothing saved
    assert "days and times" in dlg.profile.form.error_text("hours")
    assert "TTY" in dlg.profile.form.error_text("tty")
    assert "9 digits" in dlg.profile.form.error_text("tin")
    assert svc.profile().hours == ""
    for w, text in ((dlg.profile.hours, "Monday to Friday, 9 am to 5 pm"),
                    (dlg.profile.tty, "711"), (dlg.profile.tin, "12-3456789")):
        w.clear()
        type_text(qtbot, w, text)
    dlg.accept()
    assert not dlg.isVisible()
    saved = svc.profile()
    assert (saved.hours, saved.tty, saved.tin) == ("Monday to Friday, 9 am to 5 pm", "711",
                                                   "12-3456789")
    dlg2 = SettingsDialog(svc, main_window)  # and back into the dialog
    qtbot.addWidget(dlg2)
    assert dlg2.profile.hours.text() == "Monday to Friday, 9 am to 5 pm"
    assert dlg2.profile.tty.text() == "711"
    letter = pdftotext(render_document(demo_store, "cms-summary", pid, visit_id=vid, lang="en",
                                       today=TODAY))
    assert ("please call me at (555) 201-3344, Monday to Friday, 9 am to 5 pm. TTY users can "
            "call 711.") in letter
    assert "during office hours" not in letter
