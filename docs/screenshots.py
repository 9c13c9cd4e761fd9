"""Regenerate the screenshots in docs/screenshots/ from the real windows, offscreen.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots.py
Each shot builds real widgets over a temporary demo store at 1366x768 and saves a PNG.
Later features add their shots to SHOTS.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
SIZE = (1366, 768)
TODAY = date(2026, 11, 24)


def demo_window():  # type: ignore[no-untyped-def]
    from mmsdesk.services.demo import load_demo
    from mmsdesk.store import Store
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.main_window import MainWindow

    store = Store.open(Path(tempfile.mkdtemp()) / "mmsdesk.sqlite3")
    load_demo(store, TODAY)
    window = MainWindow()
    window.attach(AppContext(store=store, events=AppEvents(), today=lambda: TODAY))
    window.resize(*SIZE)
    window.show()
    return window


def find_patient_id(window, last_name: str) -> int:  # type: ignore[no-untyped-def]
    from mmsdesk.services.patients import PatientService

    return next(r.id for r in PatientService(window.ctx.store).list_rows() if r.last_name == last_name)


def shot_patient_list(window) -> None:  # type: ignore[no-untyped-def]
    window.show_patient_list()


def shot_chart_demographics(window) -> None:  # type: ignore[no-untyped-def]
    window.open_patient(find_patient_id(window, "Müller")).show_page("Demographics")


def _seed_activity(window) -> None:  # type: ignore[no-untyped-def]
    """Give the demo patients a year of generated visits, problems and follow-ups (once), for
    the outcomes report only: it is the last shot, so the dashboard and the visit wizard show
    the demo practice's own history."""
    import random
    from datetime import timedelta

    from sqlalchemy import select

    from mmsdesk.models import (
        DrugTherapyProblem,
        FollowUp,
        Observation,
        Patient,
        Recommendation,
        Visit,
    )
    from mmsdesk.models.enums import ProblemCategory
    from mmsdesk.services.changes import ChangeSet

    if getattr(window, "_seeded", False):
        return
    window._seeded = True
    rnd = random.Random(3)
    with window.ctx.store.session() as s:
        pids = list(s.execute(select(Patient.id).order_by(Patient.id)).scalars())
        for i in range(60):
            pid = rnd.choice(pids)
            day = TODAY - timedelta(days=rnd.randrange(0, 360))
            service = rnd.choice(["cmr", "tmr", "adherence", "med_rec", "follow_up", "polypharmacy"])
            v = Visit(patient_id=pid, service=service, visit_date=day,
                      modality=rnd.choice(["home", "video", "telephone", "clinic"]),
                      status="draft" if i % 17 == 0 else "complete",
                      current_step=rnd.choice(["assess", "plan", "implement"]))
            s.add(v)
            s.flush()
            cat = rnd.choice(list(ProblemCategory))
            resolved = rnd.random() < 0.5 and day < TODAY - timedelta(days=10)
            prob = DrugTherapyProblem(
                patient_id=pid, visit_id=v.id, category=cat.value,
                cause=rnd.choice(["Drug interaction", "Cost barrier", "Forgets doses", ""]),
                identified_on=day, status="resolved" if resolved else "open",
                resolved_on=day + timedelta(days=rnd.randrange(5, 10)) if resolved else None)
            s.add(prob)
            s.flush()
            s.add(Recommendation(patient_id=pid, visit_id=v.id, problem_id=prob.id,
                                 intervention=rnd.choice(["stop", "change_dose", "start"]),
                                 sent_on=day, response=rnd.choice(
                                     ["pending", "accepted", "modified", "declined"])))
            if rnd.random() < 0.4:
                s.add(FollowUp(patient_id=pid, visit_id=v.id, reason="Check how the change went",
                               due_on=TODAY - timedelta(days=rnd.randrange(-5, 20))))
            s.add(Observation(patient_id=pid, measure="a1c", loinc="4548-4", unit="%",
                              value=round(rnd.uniform(6.2, 8.8), 1),
                              taken_on=day + timedelta(days=rnd.randrange(1, 60))))
    window.ctx.events.publish(ChangeSet.of("visits"))


def _seed_fills(window) -> None:  # type: ignore[no-untyped-def]
    """A year of refills for the first demo patient, for the adherence tab (once)."""
    from datetime import timedelta

    from sqlalchemy import select

    from mmsdesk.models import FillRecord, Patient

    if getattr(window, "_fills_seeded", False):
        return
    window._fills_seeded = True
    with window.ctx.store.session() as s:
        pid = s.execute(select(Patient.id).order_by(Patient.id)).scalars().first()
        for drug, every in (("Lisinopril 10 mg tablet", 33), ("Atorvastatin 40 mg tablet", 41)):
            day = TODAY - timedelta(days=330)
            while day <= TODAY:
                s.add(FillRecord(patient_id=pid, drug_text=drug, ingredients=drug.split()[0].lower(),
                                 fill_date=day, days_supply=30, source="demo"))
                day += timedelta(days=every)


def shot_dashboard(window) -> None:  # type: ignore[no-untyped-def]
    window.show_dashboard()


def shot_dashboard_waiting(window) -> None:  # type: ignore[no-untyped-def]
    """'Waiting for prescriber': medicine, recommendation, prescriber, date sent, days."""
    window.show_dashboard()
    page = window.dashboard
    page.tabs.setCurrentWidget(page.views["recommendations"])


def shot_dialog_prescriber_reply(window):  # type: ignore[no-untyped-def]
    """The reply to a recommendation that proposes a change to the list, answered "Accepted":
    the change in plain words, made only when the pharmacist confirms it on saving."""
    window.show_dashboard()
    page = window.dashboard
    page.tabs.setCurrentWidget(page.views["recommendations"])
    dlg = page.open_reply(page.dashboard.pending_recommendations[0])
    dlg.answer.setCurrentIndex(dlg.answer.findData("accepted"))
    dlg.adjustSize()
    return dlg


def shot_outcomes(window) -> None:  # type: ignore[no-untyped-def]
    _seed_activity(window)
    window.show_outcomes()
    window.outcomes.refresh()


def _chart_page(title: str) -> Callable:
    def shot(window) -> None:  # type: ignore[no-untyped-def]
        chart = window.chart
        pid = find_patient_id(window, "Müller")
        if chart is None or chart.patient_id != pid:
            chart = window.open_patient(pid)
        chart.show_page(title)
    return shot


def shot_chart_labs_inr(window) -> None:  # type: ignore[no-untyped-def]
    """The INR trend with the two goal lines of an anticoagulation target range."""
    from sqlalchemy import select

    from mmsdesk.models import Goal

    pid = find_patient_id(window, "Müller")
    with window.ctx.store.session() as s:
        if not s.execute(select(Goal).where(Goal.patient_id == pid, Goal.measure == "inr")).first():
            s.add(Goal(patient_id=pid, measure="inr", comparator=">=", target_value=2.0,
                       target="INR at least 2"))
            s.add(Goal(patient_id=pid, measure="inr", comparator="<=", target_value=3.0,
                       target="INR at most 3"))
    _chart_page("Labs & vitals")(window)
    page = window.chart.pages["Labs & vitals"]
    page.refresh()
    page.select_trend("INR")


def shot_chart_adherence(window) -> None:  # type: ignore[no-untyped-def]
    _seed_fills(window)
    from mmsdesk.services.patients import PatientService

    first = min(r.id for r in PatientService(window.ctx.store).list_rows())
    window.open_patient(first).show_page("Adherence")


def shot_chart_mtm(window) -> None:  # type: ignore[no-untyped-def]
    window.open_patient(find_patient_id(window, "Müller")).show_page("MTM")


def _history_page(title: str, last_name: str) -> Callable:
    """The chart's Visits or Problems page of a demo patient with a history (issue 20)."""
    def shot(window) -> None:  # type: ignore[no-untyped-def]
        chart = window.open_patient(find_patient_id(window, last_name))
        chart.show_page(title)
        page = chart.pages[title]
        if title == "Problems" and page.model.rows:  # one with answers and history
            row = max(page.model.rows, key=lambda r: len(r.recommendations) + len(r.history))
            page.select_problem(row.problem_id)
    return shot


def shot_chart_header(window):  # type: ignore[no-untyped-def]
    """The chart's header alone (name, age, sex, weight, kidney, allergies, open problems)."""
    chart = window.open_patient(find_patient_id(window, "Müller"))
    chart.show_page("Medications")
    return _Grab(chart.header.parentWidget(), chart.header.geometry().adjusted(-8, -6, 8, 6))


class _Grab:
    """A part of a widget to grab (main() calls grab() and close())."""

    def __init__(self, widget, rect) -> None:  # type: ignore[no-untyped-def]
        self.widget, self.rect = widget, rect

    def grab(self):  # type: ignore[no-untyped-def]
        return self.widget.grab(self.rect)

    def close(self) -> None:
        pass

    def deleteLater(self) -> None:  # noqa: N802 (as a widget's)
        pass


def shot_medication_dialog(window):  # type: ignore[no-untyped-def]
    """The medication dialog editing José's ibuprofen (structured directions, as needed)."""
    from mmsdesk.services.sig import Directions

    _chart_page("Medications")(window)
    page = window.chart.pages["Medications"]
    row = next(r for r in page.active_model.rows if r.name.startswith("Ibuprofen"))
    data = page.service.get_input(row.id)
    data.directions = Directions(2, "tablet", "oral", "", (), True, "knee pain")
    page.service.update(row.id, data, TODAY)
    from mmsdesk.ui.dialogs.medication_dialog import MedicationDialog

    dlg = MedicationDialog(page.service, page.care_team, page.patient_id, row.id, TODAY, window)
    dlg.show()
    return dlg


def shot_fhir_import_preview(window):  # type: ignore[no-untyped-def]
    """The import preview of a real Synthea bundle (or of an exported demo patient)."""
    from mmsdesk.services.fhir_import import FhirImportService
    from mmsdesk.ui.dialogs.fhir_import_dialog import FhirImportDialog

    bundles = sorted((ROOT.parent / "shared" / "data" / "synthea-r4").glob("[!T]*.json"))
    if bundles:
        path = str(bundles[2])
    else:
        from mmsdesk.services.fhir_export import export_fhir

        path = str(Path(tempfile.mkdtemp()) / "muller.json")
        export_fhir(window.ctx.store, find_patient_id(window, "Müller"), path)
    dlg = FhirImportDialog(FhirImportService(window.ctx.store), path, TODAY, parent=window)
    dlg.show()
    return dlg


def shot_chart_medications(window) -> None:  # type: ignore[no-untyped-def]
    """The medication list with the live alerts panel showing the warfarin + NSAID alert."""
    _chart_page("Medications")(window)
    panel = window.chart.alerts_panel
    key = next((a.key for a in panel.alerts if {"warfarin", "ibuprofen"} <= set(a.drugs)), None)
    if key:
        panel.select_alert(key)


def shot_unlock(window):  # type: ignore[no-untyped-def]
    """The unlock screen as the window shows it at start and after the idle lock."""
    from mmsdesk.ui.lock.unlock_page import UnlockMode, UnlockPage

    page = UnlockPage(UnlockMode.UNLOCK)
    page.resize(*SIZE)
    page.setWindowTitle("MMS Desk (locked)")
    return page


def _setup_wizard(window, upto):  # type: ignore[no-untyped-def]
    """The first-run wizard over an empty folder, filled in and walked to page ``upto``."""
    from mmsdesk.ui.setup.wizard import PassphrasePage, ProfilePage, SetupWizard

    wizard = SetupWizard(Path(tempfile.mkdtemp()) / "mmsdesk.sqlite3", parent=window)
    profile = wizard.page_of(ProfilePage).form
    for field, text in (("name", "Dana Rivera"), ("credentials", "PharmD, BCGP"),
                        ("npi", "1234567893"), ("practice_name", "Rivera Medication Care"),
                        ("phone", "(217) 555-0142"), ("fax", "(217) 555-0143"),
                        ("email", "dana@riveramedcare.example")):
        getattr(profile, field).setText(text)
    profile.address.setPlainText("12 Elm Street, Suite 4\nSpringfield, IL 62704")
    profile.set_logo((ROOT / "resources" / "icons" / "mmsdesk-256.png").read_bytes())
    lock = wizard.page_of(PassphrasePage).lock
    wizard.resize(920, 640)  # its size on a 1366x768 screen (the offscreen screen is smaller)
    wizard.show()
    while not isinstance(wizard.currentPage(), upto):
        if isinstance(wizard.currentPage(), PassphrasePage):
            lock.secret.setText("correct horse battery staple")
            lock.confirm.setText("correct horse battery staple")
        elif hasattr(wizard.currentPage(), "confirmed"):
            wizard.currentPage().confirmed.setChecked(True)
        wizard.next()
    return wizard


def shot_setup_profile(window):  # type: ignore[no-untyped-def]
    from mmsdesk.ui.setup.wizard import ProfilePage

    return _setup_wizard(window, ProfilePage)


def shot_setup_passphrase(window):  # type: ignore[no-untyped-def]
    from mmsdesk.ui.setup.wizard import PassphrasePage

    wizard = _setup_wizard(window, PassphrasePage)
    wizard.currentPage().lock.secret.setText("correct horse battery staple")
    return wizard


def shot_setup_recovery_key(window):  # type: ignore[no-untyped-def]
    from mmsdesk.ui.setup.wizard import RecoveryKeyPage

    return _setup_wizard(window, RecoveryKeyPage)


def shot_setup_catalogue(window):  # type: ignore[no-untyped-def]
    from mmsdesk.ui.setup.wizard import CataloguePage

    return _setup_wizard(window, CataloguePage)


def shot_setup_demo(window):  # type: ignore[no-untyped-def]
    from mmsdesk.ui.setup.wizard import DemoPage

    return _setup_wizard(window, DemoPage)


def shot_settings(window):  # type: ignore[no-untyped-def]
    """File > Settings… on the Profile tab of the demo practice."""
    from mmsdesk.services.practice import PracticeService, ProfileData, default_catalogue
    from mmsdesk.ui.setup.settings_dialog import SettingsDialog

    svc = PracticeService(window.ctx.store)
    svc.save_profile(ProfileData(name="Dana Rivera", credentials="PharmD, BCGP",
                                 npi="1234567893", practice_name="Rivera Medication Care",
                                 address="12 Elm Street, Suite 4\nSpringfield, IL 62704",
                                 phone="(217) 555-0142", fax="(217) 555-0143"))
    svc.save_catalogue(default_catalogue())
    dlg = SettingsDialog(svc, window)
    dlg.resize(820, 620)  # its size on a 1366x768 screen
    dlg.show()
    return dlg


def shot_settings_preferences(window):  # type: ignore[no-untyped-def]
    dlg = shot_settings(window)
    dlg.show_tab("Preferences")
    return dlg


def shot_recovery_key(window):  # type: ignore[no-untyped-def]
    from mmsdesk.ui.lock.recovery_dialog import RecoveryKeyDialog

    return RecoveryKeyDialog("J36N-2ZV4-LUXZ-EK4D-TZIN-HDHK-CPZF-FCUQ", window)


def _dark(shot: Callable) -> Callable:
    """``shot`` with a dark system palette (Qt follows the system's colour scheme)."""
    def dark(window):  # type: ignore[no-untyped-def]
        from PySide6.QtGui import QColor, QPalette
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        window._light_palette = app.palette()  # restored by main() after the grab
        pal = QPalette()
        roles = {"Window": "#2b2b2b", "WindowText": "#e8e8e8", "Base": "#1e1e1e",
                 "AlternateBase": "#262626", "Text": "#e8e8e8", "Button": "#353535",
                 "ButtonText": "#e8e8e8", "Highlight": "#2f6fb3", "HighlightedText": "#ffffff",
                 "ToolTipBase": "#353535", "ToolTipText": "#e8e8e8",
                 "PlaceholderText": "#9a9a9a", "Link": "#8ab4f8", "Mid": "#555555",
                 "Dark": "#151515", "Light": "#4a4a4a", "Midlight": "#3a3a3a"}
        for role, colour in roles.items():
            pal.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
        for role in ("WindowText", "Text", "ButtonText"):  # greyed out when disabled
            pal.setColor(QPalette.ColorGroup.Disabled, getattr(QPalette.ColorRole, role),
                         QColor("#7a7a7a"))
        app.setPalette(pal)
        return shot(window)
    return dark


SHOTS: dict[str, Callable] = {
    "patient_list": shot_patient_list,
    "chart_demographics": shot_chart_demographics,
    "dashboard": shot_dashboard,
    "dashboard_waiting": shot_dashboard_waiting,
    "dialog_prescriber_reply": shot_dialog_prescriber_reply,
    "chart_medications": shot_chart_medications,
    "chart_allergies": _chart_page("Allergies"),
    "chart_conditions": _chart_page("Conditions"),
    "chart_labs_vitals": shot_chart_labs_inr,
    "chart_pgx": _chart_page("PGx"),
    "chart_care_team": _chart_page("Care team"),
    "chart_adherence": shot_chart_adherence,
    "chart_mtm": shot_chart_mtm,
    "chart_header": shot_chart_header,
    "chart_visits": _history_page("Visits", "Nguyễn"),
    "chart_problems": _history_page("Problems", "Nguyễn"),
    "dialog_medication": shot_medication_dialog,
    "dialog_fhir_import": shot_fhir_import_preview,
    "chart_audit_trail": _chart_page("Audit trail"),
    "unlock": shot_unlock,
    "setup_profile": shot_setup_profile,
    "setup_passphrase": shot_setup_passphrase,
    "setup_recovery_key": shot_setup_recovery_key,
    "setup_catalogue": shot_setup_catalogue,
    "setup_demo": shot_setup_demo,
    "settings": shot_settings,
    "settings_preferences": shot_settings_preferences,
    "dialog_recovery_key": shot_recovery_key,
    "patient_list_dark": _dark(shot_patient_list),
    "chart_medications_dark": _dark(shot_chart_medications),
    "settings_dark": _dark(shot_settings),
}
from visit_shots import VISIT_SHOTS  # noqa: E402 (the visit wizard, issue 8)

SHOTS.update(VISIT_SHOTS)
from document_shots import DOCUMENT_SHOTS  # noqa: E402 (documents, issue 5)

SHOTS.update(DOCUMENT_SHOTS)
SHOTS["outcomes"] = shot_outcomes  # last: it adds a generated year of visits to the store


def main(names: list[str]) -> None:
    from PySide6.QtWidgets import QApplication

    from mmsdesk.ui.app import make_application

    app = QApplication.instance() or make_application(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    window = demo_window()
    for name, setup in SHOTS.items():
        if names and name not in names:
            continue
        target = setup(window) or window  # a shot may return a dialog to grab instead
        for _ in range(5):
            app.processEvents()
        target.grab().save(str(OUT / f"{name}.png"))
        if hasattr(window, "_light_palette"):
            app.setPalette(window._light_palette)
            del window._light_palette
        if target is not window:
            target.close()
            target.deleteLater()
        print(OUT / f"{name}.png")


if __name__ == "__main__":
    main(sys.argv[1:])
