"""The visit wizard from the keyboard: Tab follows reading order on every step, every stop has
an accessible name, Alt+1..5 open the steps."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from mmsdesk.services.visits.draft import GoalDraft, ProblemDraft, new_key
from mmsdesk.services.visits.reconciliation import find_discrepancies, source_from_lines
from mmsdesk.services.visits.service import VisitService
from tests.conftest import TODAY
from tests.ui.test_keyboard_a11y import accessible_name, walk_tab
from tests.ui.test_visit_wizard import BOTTLES, demo_window, johnson  # noqa: F401


@pytest.fixture
def wizard(qtbot, demo_window, demo_store, johnson):  # noqa: F811
    from mmsdesk.ui.visit.launcher import open_visit

    service = VisitService(demo_store)
    d = service.start(johnson, "cmr", "home", today=TODAY,
                      now=datetime(2026, 11, 24, 9).astimezone())
    c = d.collect
    c.sources.append(source_from_lines(BOTTLES, "bottle", "Bottles on the table"))
    c.discrepancies = find_discrepancies(c.sources[0], c.sources[1:])
    d.assess.problems = [ProblemDraft(new_key(), "adherence", "Misses evening doses")]
    d.plan.goals = [GoalDraft("ldl", "LDL below 100")]
    service.save_draft(d)
    w = open_visit(demo_window.ctx, d.visit_id, None, demo_window)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def _stops(qtbot, wizard, page) -> list:  # type: ignore[no-untyped-def]
    """The Tab stops inside ``page``, in order, starting from the first step button."""
    stops = walk_tab(qtbot, wizard.step_bar.buttons[wizard.current_step()], limit=300)
    unnamed = [f"{type(w).__name__}({w.objectName()})" for w in stops if not accessible_name(w)]
    assert not unnamed, unnamed
    buttons = [wizard.button(b) for b in (QWizard.WizardButton.CustomButton1,
                                         QWizard.WizardButton.BackButton,
                                         QWizard.WizardButton.NextButton,
                                         QWizard.WizardButton.CancelButton)]
    shown = [b for b in buttons if b.isVisible() and b.isEnabled()]
    assert [w for w in stops if w in buttons] == shown  # left to right, after the page
    assert stops.index(wizard.billing.minutes) < min(stops.index(w) for w in stops
                                                       if page.isAncestorOf(w))
    inside = [w for w in stops if page.isAncestorOf(w)]
    header = page.patient_header  # the chart's header at the top of every step (issue 20)
    top = [w for w in inside if header.isAncestorOf(w)]
    assert inside[:len(top)] == top  # read first
    return inside[len(top):]


def test_tab_order_and_names_on_every_step(qtbot, wizard):
    collect = wizard.pages["collect"]
    inside = _stops(qtbot, wizard, collect)
    assert inside[1:4] == [collect.reason, collect.concerns, collect.goals]
    assert inside[-2:] == [collect.barrier_notes, collect.lifestyle]
    collect.tabs.setCurrentWidget(collect.recon)
    r = collect.recon
    inside = _stops(qtbot, wizard, collect)
    order = [r.add_button, r.import_button, r.remove_box, r.remove_button, r.grid, r.table,
             r.decision, r.note]
    assert [w for w in inside if w in order] == order

    wizard.go_to("assess")
    panel = wizard.pages["assess"].problems_panel
    inside = _stops(qtbot, wizard, wizard.pages["assess"])
    order = [panel.alert_list, panel.from_alert, panel.table, panel.add_button,
             panel.remove_button, panel.category, panel.description, panel.cause,
             panel.medicines, panel.priority]
    assert [w for w in inside if w in order] == order

    wizard.go_to("plan")
    plan = wizard.pages["plan"]
    for editor in (plan.interventions, plan.goals, plan.actions):
        plan.tabs.setCurrentWidget(editor)
        inside = _stops(qtbot, wizard, plan)
        order = [editor.table, editor.add_button, editor.remove_button] + [
            f.widget for f in editor.fields]
        order = [w for w in order if w.isEnabled()]  # an empty list: no form to fill
        assert [w for w in inside if w in order] == order, editor

    wizard.go_to("implement")
    imp = wizard.pages["implement"]
    click_add = imp.sent.add_button
    qtbot.mouseClick(click_add, Qt.MouseButton.LeftButton)
    inside = _stops(qtbot, wizard, imp)
    order = [imp.education, imp.referrals, imp.sent.table, imp.sent.add_button,
             imp.sent.remove_button] + [f.widget for f in imp.sent.fields] + [
        imp.doc_boxes["pml"], imp.doc_buttons["pml"], imp.doc_boxes["invoice"]]
    assert [w for w in inside if w in order] == order

    wizard.go_to("follow_up")
    fu = wizard.pages["follow_up"]
    inside = _stops(qtbot, wizard, fu)
    assert inside[:5] == [fu.next_due, fu.suggest_button, fu.next_reason, fu.next_service,
                          fu.next_modality]


def test_every_tab_stop_on_every_inner_tab_has_a_name(qtbot, wizard):
    from PySide6.QtWidgets import QTabWidget

    for step in ("collect", "assess", "plan"):
        wizard.go_to(step)
        page = wizard.pages[step]
        tabs = page.findChild(QTabWidget)
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            assert _stops(qtbot, wizard, page), (step, i)  # _stops checks the names


def test_alt_digits_open_the_steps(qtbot, wizard):
    for n, step in enumerate(("collect", "assess", "plan", "implement", "follow_up"), 1):
        qtbot.keyClick(wizard, Qt.Key(Qt.Key.Key_0 + n), Qt.KeyboardModifier.AltModifier)
        assert wizard.current_step() == step
        assert wizard.step_bar.buttons[step].isChecked()
    qtbot.keyClick(wizard, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert wizard.current_step() == "collect"  # back again, nothing lost on the way


def _mnemonics(window) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Alt+letter -> the visible controls that claim it."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabBar, QWidget

    found: dict[str, list[str]] = {}

    def add(text: str, owner: str) -> None:
        m = re.search(r"&([^&\s])", text.replace("&&", ""))
        if m:
            found.setdefault(m.group(1).lower(), []).append(owner)

    for w in window.findChildren(QWidget):
        if not w.isVisibleTo(window) or not w.isEnabled():
            continue
        if isinstance(w, QAbstractButton):
            add(w.text(), w.text())
        elif isinstance(w, QLabel) and w.buddy() is not None:
            add(w.text(), w.text())
        elif isinstance(w, QGroupBox):
            add(w.title(), w.title())
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                add(w.tabText(i), w.tabText(i))
    return {k: v for k, v in found.items() if len(v) > 1}


def test_no_two_controls_share_an_alt_letter(qtbot, wizard):
    from PySide6.QtWidgets import QTabWidget

    clashes = {}
    for step in ("collect", "assess", "plan", "implement", "follow_up"):
        wizard.go_to(step)
        page = wizard.pages[step]
        tabs = page.findChild(QTabWidget)
        for i in range(tabs.count() if tabs is not None and tabs.parent() is page else 1):
            if tabs is not None and tabs.parent() is page:
                tabs.setCurrentIndex(i)
            for letter, owners in _mnemonics(wizard).items():
                clashes[f"{step}/{i}/{letter}"] = owners
    assert not clashes, "\n".join(f"{k}: {v}" for k, v in clashes.items())


def test_follow_up_judges_earlier_goals_by_keyboard(qtbot, demo_window, demo_store):  # noqa: F811
    """A demo CMR set goals still open: at the follow-up they are listed with their latest
    value; one is marked met from the keyboard; Tab reaches it; no Alt letter is taken twice."""
    from mmsdesk.services.patients import PatientService
    from mmsdesk.ui.visit.launcher import open_visit
    from tests.ui.test_visit_wizard import pick

    service = VisitService(demo_store)
    muller = next(r.id for r in PatientService(demo_store).list_rows()
                  if service.open_goals(r.id))
    goals = service.open_goals(muller)
    d = service.start(muller, "follow_up", "telephone", today=TODAY,
                      now=datetime(2026, 11, 24, 9).astimezone())
    w = open_visit(demo_window.ctx, d.visit_id, "follow_up", demo_window)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    page = w.pages["follow_up"]
    assert page.goals.isVisible() and page.goals.model.rowCount() == len(goals)
    assert not {k: v for k, v in _mnemonics(w).items() if len(v) > 1}
    inside = _stops(qtbot, w, page)
    status = page.goals.fields[0].widget
    assert status in inside and inside.index(status) > inside.index(page.reviews.table)
    page.goals.table.selectRow(0)
    pick(qtbot, status, "Met")
    assert w.draft.follow_up.goals[0].status == "met"
    assert page.goals.model.index(0, 3).data() == "Met"
