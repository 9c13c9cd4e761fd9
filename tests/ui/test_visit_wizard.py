"""A complete CMR through the real wizard, driven with the keyboard and the mouse; then the
database holds exactly what was entered."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QTableView, QTabWidget, QWizard
from sqlalchemy import select

from mmsdesk.models import (
    DrugTherapyProblem,
    FollowUp,
    Goal,
    MedicationEntry,
    Observation,
    Recommendation,
    Visit,
)
from mmsdesk.services.patients import PatientService
from tests.conftest import TODAY
from tests.ui.typing import type_text

PATIENT_SAYS = ["isosorbide mononitrate 30 mg", "sildenafil 50 mg", "allopurinol 300 mg",
                "simvastatin 80 mg", "metoprolol tartrate 25 mg", "clopidogrel 75 mg"]
BOTTLES = ["isosorbide mononitrate 30 mg", "sildenafil 50 mg", "allopurinol 300 mg",
           "simvastatin 80 mg", "metoprolol tartrate 50 mg", "clopidogrel 75 mg",
           "aspirin 81 mg"]


def drive(kind, steps):  # type: ignore[no-untyped-def]
    """Run ``steps(dialog)`` on the next modal dialog of type ``kind``."""
    seen: dict[str, object] = {}

    def run() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, kind), dlg
        seen["dialog"] = dlg.windowTitle()
        steps(dlg)

    QTimer.singleShot(0, run)
    return seen


def click(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    assert widget.isEnabled() and widget.isVisible(), widget.accessibleName() or widget.text()
    if isinstance(widget, QCheckBox):  # on the box, as a user does (the widget may be wide)
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_row(qtbot, view: QTableView, row: int) -> None:
    index = view.model().index(row, 0)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(index).center())
    assert view.selectionModel().selectedRows()[0].row() == row


def click_tab(qtbot, tabs: QTabWidget, title_start: str) -> None:
    bar = tabs.tabBar()
    i = next(i for i in range(tabs.count()) if tabs.tabText(i).replace("&", "").startswith(
        title_start))
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(i).center())
    assert tabs.currentIndex() == i


def pick(qtbot, box: QComboBox, text: str) -> None:
    """Choose an item the way a keyboard user does: focus, Home, then Down to it."""
    target = next(i for i in range(box.count()) if box.itemText(i).startswith(text))
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Home)
    for _ in range(target):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentIndex() == target, (box.currentText(), text)


def type_into(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    for n, part in enumerate(text.split("\n")):
        if n:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        type_text(qtbot, widget, part)


@pytest.fixture
def johnson(demo_store) -> int:
    return next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Johnson")


@pytest.fixture
def demo_window(qtbot, demo_store):  # type: ignore[no-untyped-def]
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(AppContext(store=demo_store, events=AppEvents(window), today=lambda: TODAY))
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    from mmsdesk.ui.visit.wizard import open_wizards

    for wizard in open_wizards().values():
        wizard.save_timer.stop()
        wizard.close()


def start_cmr(qtbot, window, patient_id: int):  # type: ignore[no-untyped-def]
    from mmsdesk.ui.visit.start_dialog import StartVisitDialog
    from mmsdesk.ui.visit.wizard import open_wizards

    chart = window.open_patient(patient_id)

    def fill(dlg: StartVisitDialog) -> None:
        assert dlg.payer() == "self_pay"  # prefilled from the patient
        pick(qtbot, dlg.service_box, "Comprehensive")
        pick(qtbot, dlg.modality_box, "Clinic")
        click(qtbot, dlg.buttons.button(dlg.buttons.StandardButton.Ok))

    seen = drive(StartVisitDialog, fill)
    click(qtbot, chart.start_visit_button)  # the dialog is window-modal, nothing blocks
    qtbot.waitUntil(lambda: len(open_wizards()) == 1, timeout=3000)
    assert seen["dialog"] == "Start visit"
    (wizard,) = open_wizards().values()
    qtbot.waitExposed(wizard)
    return wizard


def test_complete_cmr_with_keyboard_and_mouse(qtbot, demo_window, demo_store, johnson):
    from mmsdesk.ui.visit.recon_panel import AddListDialog

    wizard = start_cmr(qtbot, demo_window, johnson)
    draft = wizard.draft
    assert (draft.service, draft.modality, draft.payer_type) == ("cmr", "clinic", "self_pay")
    assert wizard.current_step() == "collect"
    assert wizard.step_bar.buttons["collect"].isChecked()

    # -- Collect: the patient's own words
    collect = wizard.pages["collect"]
    type_into(qtbot, collect.reason, "Annual CMR")
    type_into(qtbot, collect.concerns, "Dizzy when standing up")
    type_into(qtbot, collect.goals, "Keep gardening")
    click(qtbot, collect.barriers["forgetting"])
    assert draft.collect.barriers == ["forgetting"]
    # Reconciliation: two lists typed in, beside the chart's
    click_tab(qtbot, collect.tabs, "Reconciliation")
    recon = collect.recon
    for source, lines in (("Patient's own", PATIENT_SAYS), ("Patient's bottles", BOTTLES)):
        def add(dlg: AddListDialog, source=source, lines=lines) -> None:
            pick(qtbot, dlg.source, source)
            type_into(qtbot, dlg.lines, "\n".join(lines))
            click(qtbot, dlg.buttons.button(dlg.buttons.StandardButton.Ok))

        drive(AddListDialog, add)
        click(qtbot, recon.add_button)
    assert [s.label for s in draft.collect.sources] == [
        "Medication list in the chart", "Patient's own list", "Patient's bottles"]
    assert recon.grid_model.columnCount() == 4
    kinds = [d.kind for d in draft.collect.discrepancies]
    assert kinds == ["omission", "commission", "dose"]
    assert not collect.isComplete()  # three decisions to take
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    for row, decision in ((0, "Add to the list"), (1, "Stop"), (2, "Change to")):
        click_row(qtbot, recon.table, row)
        pick(qtbot, recon.decision, decision)
        if row == 0:  # an added medicine needs why and who, or "unknown: ask"
            assert not collect.isComplete()
            type_into(qtbot, recon.indication, "to protect the heart")
            click(qtbot, recon.details_unknown)
    assert recon.new_strength.text() == "50 mg"  # the bottle's strength, proposed
    assert recon.decision.currentText().startswith("Change to 50 mg")
    assert collect.isComplete()
    # Vitals taken at the visit
    click_tab(qtbot, collect.tabs, "Vitals")
    pick(qtbot, collect.measure, "Heart rate")
    type_into(qtbot, collect.value, "72")
    qtbot.keyClick(collect.value, Qt.Key.Key_Return)  # Enter adds it; the step stays
    assert wizard.current_step() == "collect"
    assert [(v.measure, v.value) for v in draft.collect.vitals] == [("heart_rate", 72.0)]
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))

    # -- Assess: two alerts into problems in one click each, one problem by hand
    assert wizard.current_step() == "assess"
    panel = wizard.pages["assess"].problems_panel
    for key in ("interaction:pde5-nitrate:isosorbide mononitrate;sildenafil",
                "pgx:pgx-slco1b1-simva:simvastatin"):
        panel.alert_list.setFocus()
        panel.alert_list.setCurrentRow(panel.alert_keys().index(key))
        click(qtbot, panel.from_alert)
        assert not panel.from_alert.isEnabled()  # once only
    click(qtbot, panel.add_button)
    pick(qtbot, panel.category, "Adherence")
    type_into(qtbot, panel.description, "Misses evening doses")
    type_into(qtbot, panel.cause, "Forgets when out")
    type_into(qtbot, panel.medicines, "simvastatin")
    pick(qtbot, panel.priority, "Low")
    problems = draft.assess.problems
    assert [p.description for p in problems] == [
        "Isosorbide mononitrate and sildenafil: PDE-5 inhibitor with a nitrate",
        "Simvastatin with reduced SLCO1B1 function", "Misses evening doses"]
    assert problems[0].medications == ["isosorbide mononitrate", "sildenafil"]
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))

    # -- Plan: an intervention for each problem, a goal, an action item
    assert wizard.current_step() == "plan"
    plan = wizard.pages["plan"]
    ed = plan.interventions
    assert ed.model.rowCount() == 3  # one row per problem, ready
    for row, (what, who, text) in enumerate((
            ("Stop", "Prescriber", "Stop sildenafil while on a nitrate"),
            ("Change the drug", "Prescriber", "Switch simvastatin to rosuvastatin 10 mg"),
            ("Educate", "Patient", "Pill box with an evening alarm"))):
        click_row(qtbot, ed.table, row)
        widgets = {f.key: f.widget for f in ed.fields}
        pick(qtbot, widgets["intervention"], what)
        pick(qtbot, widgets["recipient"], who)
        type_into(qtbot, widgets["text"], text)
        if row == 0:  # to the patient's prescriber, picked from the care team
            box = widgets["prescriber"]
            assert box.count() > 1
            pick(qtbot, box, box.itemText(1))
            prescriber_id = int(box.itemData(1))
    click_tab(qtbot, plan.tabs, "Goals")
    click(qtbot, plan.goals.add_button)
    g = {f.key: f.widget for f in plan.goals.fields}
    pick(qtbot, g["measure"], "LDL")
    type_into(qtbot, g["target"], "LDL below 100")
    type_into(qtbot, g["value"], "100")
    type_into(qtbot, g["due_on"], "02/24/2027")
    pick(qtbot, g["problem"], "Simvastatin")
    click_tab(qtbot, plan.tabs, "Action plan")
    click(qtbot, plan.actions.add_button)
    a = {f.key: f.widget for f in plan.actions.fields}
    type_into(qtbot, a["talked_about"], "Your evening cholesterol pill")
    type_into(qtbot, a["to_do"], "Set a phone alarm for 8 pm")
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))

    # -- Implement
    assert wizard.current_step() == "implement"
    imp = wizard.pages["implement"]
    type_into(qtbot, imp.education, "Nitrate and sildenafil: never together")
    click(qtbot, imp.sent.add_button)
    s = {f.key: f.widget for f in imp.sent.fields}
    pick(qtbot, s["method"], "Fax")
    click(qtbot, imp.doc_boxes["pml"])
    click(qtbot, imp.doc_boxes["map"])
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))

    # -- Follow-up
    assert wizard.current_step() == "follow_up"
    fu = wizard.pages["follow_up"]
    assert fu.next_due.text()  # proposed from the practice's follow-up interval
    fu.next_due.setFocus()
    qtbot.keyClick(fu.next_due, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(fu.next_due, Qt.Key.Key_Delete)
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()  # not scheduled
    type_into(qtbot, fu.next_due, "12/08/2026")
    type_into(qtbot, fu.next_reason, "Check BP and the statin switch")
    qtbot.keyClick(fu.next_reason, Qt.Key.Key_Return)  # no completion by accident
    assert wizard.isVisible() and wizard.current_step() == "follow_up"
    # Time and billing: 45 minutes face to face, a new patient
    assert wizard.billing.new_patient.isChecked()
    wizard.billing.minutes.setFocus()
    qtbot.keyClick(wizard.billing.minutes, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(wizard.billing.minutes, "45")
    assert draft.minutes == 45
    assert wizard.billing.cpt.text() == "CPT: 99605, 99607×2"
    assert wizard.billing.price.text().startswith("Self-pay price:")
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.text() == "Co&mplete visit" and finish.isEnabled()
    vid = draft.visit_id
    with qtbot.waitSignal(wizard.completed):
        click(qtbot, finish)

    # -- the database holds exactly what was entered
    with demo_store.session() as ss:
        visit = ss.get(Visit, vid)
        assert (visit.status, visit.service, visit.modality, visit.reason) == (
            "complete", "cmr", "clinic", "Annual CMR")
        assert (visit.minutes, visit.cpt_codes, visit.is_new_patient) == (45, "99605;99607x2", True)
        from mmsdesk.services.billing import service_price

        assert visit.price == service_price(demo_store, "cmr")  # self-pay: the practice's price
        meds = {m.name(): m for m in ss.execute(select(MedicationEntry).where(
            MedicationEntry.patient_id == johnson)).scalars()}
        aspirin = next(m for n, m in meds.items() if n.lower().startswith("aspirin"))
        assert aspirin.status == "active" and aspirin.strength == "81 mg"
        esome = next(m for n, m in meds.items() if n.startswith("Esomeprazole"))
        assert esome.status == "stopped"
        meto = next(m for n, m in meds.items() if n.startswith("Metoprolol"))
        assert meto.status == "active" and meto.strength == "50 mg"
        probs = ss.execute(select(DrugTherapyProblem).where(DrugTherapyProblem.visit_id == vid)
                           .order_by(DrugTherapyProblem.id)).scalars().all()
        assert [(p.category, p.description, p.priority, p.medications) for p in probs] == [
            ("adverse_drug_reaction",
             "Isosorbide mononitrate and sildenafil: PDE-5 inhibitor with a nitrate", "high",
             "isosorbide mononitrate;sildenafil"),
            (probs[1].category, "Simvastatin with reduced SLCO1B1 function", "high",
             "simvastatin"),
            ("adherence", "Misses evening doses", "low", "simvastatin")]
        assert probs[0].alert_key and probs[1].alert_key and not probs[2].alert_key
        assert probs[2].cause == "Forgets when out"
        recs = ss.execute(select(Recommendation).where(Recommendation.visit_id == vid)
                          .order_by(Recommendation.id)).scalars().all()
        assert [(r.problem_id, r.intervention, r.recipient, r.text) for r in recs] == [
            (probs[0].id, "stop", "prescriber", "Stop sildenafil while on a nitrate"),
            (probs[1].id, "change_drug", "prescriber", "Switch simvastatin to rosuvastatin 10 mg"),
            (probs[2].id, "educate", "patient", "Pill box with an evening alarm")]
        assert (recs[0].sent_on, recs[0].sent_method) == (TODAY, "fax")
        assert [r.prescriber_id for r in recs] == [prescriber_id, None, None]
        assert [r.sent_on for r in recs[1:]] == [None, None]
        goals = ss.execute(select(Goal).where(Goal.visit_id == vid)).scalars().all()
        assert [(x.measure, x.target, x.comparator, x.target_value, x.due_on, x.problem_id)
                for x in goals] == [("ldl", "LDL below 100", "<", 100.0, date(2027, 2, 24),
                                     probs[1].id)]
        follow = ss.execute(select(FollowUp).where(FollowUp.visit_id == vid)).scalars().all()
        assert [(f.due_on, f.reason, f.done) for f in follow] == [
            (date(2026, 12, 8), "Check BP and the statin switch", False)]
        obs = ss.execute(select(Observation).where(Observation.patient_id == johnson,
                                                   Observation.source == "visit")).scalars().all()
        assert [(o.measure, o.value, o.taken_on) for o in obs] == [("heart_rate", 72.0, TODAY)]
        from mmsdesk.services.visits.draft import VisitDraft

        saved = VisitDraft.from_json(visit.draft_json)
    assert saved.collect.concerns == "Dizzy when standing up"
    assert saved.collect.barriers == ["forgetting"]
    assert [(x.talked_about, x.to_do) for x in saved.plan.action_items] == [
        ("Your evening cholesterol pill", "Set a phone alarm for 8 pm")]
    assert saved.implement.documents == ["pml", "map"]
    assert saved.implement.education == "Nitrate and sildenafil: never together"


def test_next_contact_starts_at_the_practice_interval_from_settings(qtbot, demo_window,
                                                                     demo_store, johnson):
    """Settings > Follow-up decides the first proposal for the next contact (CMR: 30 days here);
    the pharmacist can still change it, and the proposal is in the saved draft at once."""
    from mmsdesk import settings
    from mmsdesk.services.visits.service import VisitService

    days = dict(settings.load().follow_up_days, cmr=30)
    settings.save(settings.load().with_changes(follow_up_days=days))
    wizard = start_cmr(qtbot, demo_window, johnson)
    expected = wizard.draft.visit_date.toordinal() + 30
    assert wizard.draft.follow_up.next_due.toordinal() == expected
    saved = VisitService(demo_store).load_draft(wizard.draft.visit_id)
    assert saved.follow_up.next_due == wizard.draft.follow_up.next_due
