"""Team mode, people (#22): the sign-in dialog, and the visit wizard of a technician, who
prepares the visit but whose Complete button is disabled, saying why."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWizard

from mmsdesk.services import people
from mmsdesk.services.visits.service import VisitService
from tests.ui.test_visit_wizard import click, demo_window, drive, johnson, type_into  # noqa: F401


def _team(store) -> None:
    people.add_person(store, login="ana", name="Ana Ruiz", credentials="PharmD",
                      passphrase="pharmacist pass")
    people.add_person(store, login="tom", name="Tom Lee", role="technician",
                      credentials="CPhT", passphrase="technician pass")


def test_the_window_asks_who_is_working_and_a_wrong_passphrase_says_so(qtbot, tmp_path):
    from mmsdesk.store import Store
    from mmsdesk.ui.lock.sign_in_dialog import SignInDialog, sign_in_if_needed

    store = Store.open(tmp_path / "d" / "mmsdesk.sqlite3")
    try:
        assert sign_in_if_needed(store)  # no people: no dialog, as on a sole laptop
        _team(store)
        seen: dict[str, str] = {}

        def steps(dlg: SignInDialog) -> None:
            ok = dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)
            type_into(qtbot, dlg.login, "tom")
            type_into(qtbot, dlg.passphrase, "not his")
            click(qtbot, ok)
            assert dlg.isVisible() and dlg.error.isVisible()
            seen["error"] = dlg.error.text()
            assert dlg.passphrase.text() == ""
            type_into(qtbot, dlg.passphrase, "technician pass")
            click(qtbot, ok)

        drive(SignInDialog, steps)
        assert sign_in_if_needed(store)
        assert seen["error"] == ("That login and passphrase do not match an active person of "
                                 "the practice.")
        assert store.who is not None and (store.who.name, store.who.role) == (
            "Tom Lee", "technician")
    finally:
        store.close()


def test_closing_the_sign_in_keeps_the_data_closed(qtbot, tmp_path):
    from mmsdesk.store import Store
    from mmsdesk.ui.lock.sign_in_dialog import SignInDialog, sign_in_if_needed

    store = Store.open(tmp_path / "d" / "mmsdesk.sqlite3")
    try:
        _team(store)
        drive(SignInDialog, lambda dlg: dlg.reject())
        assert not sign_in_if_needed(store) and store.who is None
    finally:
        store.close()


@pytest.mark.parametrize("who", ["tom", "ana"])
def test_a_technicians_complete_button_is_disabled_and_says_why(  # noqa: F811
        qtbot, demo_window, demo_store, johnson, who, tmp_path):  # noqa: F811
    from mmsdesk.bench.visits import _cmr_draft
    from mmsdesk.ui.visit.launcher import open_visit

    _team(demo_store)
    people.sign_in(demo_store, who, "technician pass" if who == "tom" else "pharmacist pass")
    service = VisitService(demo_store)
    draft = _cmr_draft(service, demo_store, johnson)  # every step filled in, valid
    service.save_draft(draft)
    w = open_visit(demo_window.ctx, draft.visit_id, None, demo_window)
    qtbot.waitExposed(w)
    w.go_to("follow_up")
    finish = w.button(QWizard.WizardButton.FinishButton)
    assert finish.isVisible()
    if who == "tom":
        assert not finish.isEnabled()
        assert w.role_note.isVisible()
        assert w.role_note.text().startswith("Tom Lee is signed in as a technician: prepare "
                                             "every step; a pharmacist of the practice "
                                             "completes the visit")
        w.grab().save(str(_shots(tmp_path) / "wizard_technician.png"))
        refusal = drive(QMessageBox, lambda box: box.accept())
        w.accept()  # Enter or a script: the service refuses, the draft is kept
        assert refusal["dialog"] == "Complete visit" and w.isVisible()
        with demo_store.session() as s:
            from mmsdesk.models import Visit

            assert s.get(Visit, draft.visit_id).status == "draft"
    else:
        assert finish.isEnabled() and not w.role_note.isVisible()
    w.close()


def _shots(tmp_path):
    """Where screenshots go: MMSDESK_SHOTS when set (to look at them), else the test's folder."""
    import os
    from pathlib import Path

    out = Path(os.environ.get("MMSDESK_SHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


def test_settings_people_page_adds_changes_and_deactivates(qtbot, main_window, tmp_path):
    from mmsdesk.ui.practice_actions import PracticeActions
    from mmsdesk.ui.setup.settings_dialog import SettingsDialog
    from tests.ui.test_visit_wizard import click_tab, pick

    actions = PracticeActions(main_window)
    actions._on_window_attached()
    dlg = actions.open_settings()
    assert isinstance(dlg, SettingsDialog)
    qtbot.waitExposed(dlg)
    click_tab(qtbot, dlg.tabs, "People")
    page = dlg.people
    store = main_window.ctx.store
    assert page.table.rowCount() == 0
    # the first person: a technician is refused at the field, nothing saved
    type_into(qtbot, page.login, "tom")
    type_into(qtbot, page.name, "Tom Lee")
    pick(qtbot, page.role, "Technician")
    type_into(qtbot, page.passphrase, "technician pass")
    type_into(qtbot, page.repeat, "technician pass")
    click(qtbot, page.add_button)
    assert page.error.isVisible() and "first person of a practice is a pharmacist" in (
        page.error.text())
    assert not people.has_people(store)
    # the pharmacist first, then the technician
    for field, text in ((page.login, "ana"), (page.name, "Ana Ruiz"),
                        (page.credentials, "PharmD"), (page.passphrase, "pharmacist pass"),
                        (page.repeat, "pharmacist pass")):
        field.clear()
        type_into(qtbot, field, text)
    pick(qtbot, page.role, "Pharmacist")
    click(qtbot, page.add_button)
    assert not page.error.isVisible(), page.error.text()
    for field, text in ((page.login, "tom"), (page.name, "Tom Lee"),
                        (page.credentials, "CPhT"), (page.passphrase, "technician pass"),
                        (page.repeat, "technician pass")):
        type_into(qtbot, field, text)
    pick(qtbot, page.role, "Technician")
    click(qtbot, page.add_button)
    assert [(page.table.item(r, 0).text(), page.table.item(r, 2).text())
            for r in range(page.table.rowCount())] == [("Ana Ruiz", "Pharmacist"),
                                                       ("Tom Lee", "Technician")]
    # the last active pharmacist stays
    page.select("ana")
    click(qtbot, page.active_button)
    assert "last active pharmacist" in page.error.text()
    # the technician made a pharmacist, then deactivated
    page.select("tom")
    assert page.role_button.text().replace("&", "") == "Make pharmacist"
    click(qtbot, page.role_button)
    page.select("tom")
    click(qtbot, page.active_button)
    assert page.note.text() == "Tom Lee can no longer sign in."
    listed = {p.login: (p.role, p.active) for p in people.list_people(store)}
    assert listed == {"ana": ("pharmacist", True), "tom": ("pharmacist", False)}
    assert page.table.item(1, 5).text() == "Inactive"
    dlg.grab().save(str(_shots(tmp_path) / "settings_people.png"))
    dlg.reject()  # Cancel: the accounts were saved at once, they stay
    assert len(people.list_people(store)) == 2


def test_a_technician_previews_the_signed_documents_but_cannot_print_or_save_them(qtbot,
                                                                                  demo_store):
    from mmsdesk.services.document_samples import add_sample_visit, ensure_profile
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog
    from tests.conftest import TODAY

    ensure_profile(demo_store)
    add_sample_visit(demo_store, 1, TODAY)
    _team(demo_store)
    people.sign_in(demo_store, "tom", "technician pass")
    ctx = AppContext(store=demo_store, events=AppEvents(), today=lambda: TODAY)
    dlg = DocumentPreviewDialog(ctx, "cms-summary", 1)
    qtbot.addWidget(dlg)
    assert dlg.pdf.startswith(b"%PDF")  # the preview is there to check the work
    assert not dlg.print_button.isEnabled() and not dlg.save_button.isEnabled()
    assert dlg.save_button.toolTip() == ("Only a pharmacist can sign and issue the CMR written "
                                         "summary; Tom Lee is signed in as a technician.")
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("pml"))  # the list: prepared, printed
    assert dlg.print_button.isEnabled() and dlg.save_button.isEnabled()
    assert dlg.save_button.toolTip() == ""


def test_a_technician_files_a_reply_but_the_change_to_the_list_is_refused(qtbot, store,
                                                                         main_window):
    from datetime import timedelta

    from mmsdesk.services.medications import MedicationService
    from tests.conftest import TODAY
    from tests.services.visit_helpers import make_bob, sent_recommendation
    from tests.ui.test_prescriber_reply import No, Yes, _open_reply, _received, _save
    from tests.ui.test_visit_wizard import pick

    bob = make_bob(store)
    sent_recommendation(store, bob, "stop", medication_id=bob.doxazosin)
    _team(store)
    people.sign_in(store, "tom", "technician pass")
    dlg = _open_reply(qtbot, main_window)
    pick(qtbot, dlg.answer, "Accepted")
    _received(qtbot, dlg, TODAY - timedelta(days=2))
    _save(qtbot, dlg, Yes)  # "make the change on the list": refused, said in the dialog
    assert dlg.isVisible() and dlg.change_error.isVisible()
    assert dlg.change_error.text().startswith("Only a pharmacist can make a prescriber's "
                                              "accepted change on the medication list")
    assert MedicationService(store).get(bob.doxazosin).status == "active"
    _save(qtbot, dlg, No)  # filed without the change: a technician's job
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert MedicationService(store).get(bob.doxazosin).status == "active"


def test_the_window_opens_on_a_practice_with_people_once_someone_signs_in(tmp_path):
    """The real window in another process: `--user` with the person's passphrase opens it; a
    scripted start without them fails at once instead of waiting on a dialog."""
    from tests.conftest import run_cli

    data = str(tmp_path / "d")
    added = run_cli("--data-dir", data, "people", "add", "ana", "--name", "Ana Ruiz",
                    env={"MMSDESK_NEW_PASSPHRASE": "pharmacist pass"})
    assert added.returncode == 0, added.stderr
    shown = {"MMSDESK_EXIT_WHEN_SHOWN": "1"}
    ok = run_cli("--data-dir", data, "--user", "ana",
                 env={**shown, "MMSDESK_USER_PASSPHRASE": "pharmacist pass"})
    assert "MMSDESK_READY" in ok.stdout, ok.stderr
    for extra in (["--user", "ana"], []):
        refused = run_cli("--data-dir", data, *extra,
                          env={**shown, "MMSDESK_USER_PASSPHRASE": "not hers"})
        assert "MMSDESK_FAILED" in refused.stdout and "MMSDESK_READY" not in refused.stdout
        assert refused.returncode == 2


def test_switch_person_saves_open_visits_and_names_the_new_person(qtbot, demo_window,  # noqa: F811
                                                                  demo_store):
    """File ▸ Switch person…: the open visit is saved and closed under the person who worked
    on it, then the next person signs in; the status bar and the audit trail name them."""
    from datetime import UTC, datetime

    from sqlalchemy import select

    from mmsdesk.models import AuditEvent
    from mmsdesk.services.patients import PatientService
    from mmsdesk.ui.lock.sign_in_dialog import SignInDialog
    from mmsdesk.ui.practice_actions import PracticeActions
    from mmsdesk.ui.visit.launcher import open_visit
    from mmsdesk.ui.visit.wizard import open_wizards
    from tests.conftest import TODAY

    _team(demo_store)
    people.sign_in(demo_store, "ana", "pharmacist pass")
    actions = PracticeActions(demo_window)
    actions.show_who()
    assert actions.switch_action.isVisible() and actions.switch_action.isEnabled()
    assert actions.who_label.text() == "Signed in: Ana Ruiz (pharmacist)"
    pid = next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Johnson")
    draft = VisitService(demo_store).start(pid, "tmr", "home", today=TODAY,
                                           now=datetime.now(UTC))
    wizard = open_visit(demo_window.ctx, draft.visit_id, None, demo_window)
    type_into(qtbot, wizard.pages["collect"].reason, "Dizzy since Monday")

    def steps(dlg: SignInDialog) -> None:
        assert dlg.windowTitle() == "Switch person"
        assert not open_wizards()  # saved and closed before anyone else signs in
        type_into(qtbot, dlg.login, "tom")
        type_into(qtbot, dlg.passphrase, "technician pass")
        click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))

    drive(SignInDialog, steps)
    assert actions.switch_person()
    assert VisitService(demo_store).load_draft(draft.visit_id).collect.reason == \
        "Dizzy since Monday"
    assert actions.who_label.text() == "Signed in: Tom Lee (technician)"
    detail = PatientService(demo_store).get(pid)
    detail.data.phone = "(555) 010-0123"
    PatientService(demo_store).update(pid, detail.data)
    with demo_store.session() as s:
        actors = s.execute(select(AuditEvent.actor).where(AuditEvent.entity == "visit")
                           .order_by(AuditEvent.id.desc())).scalars().first(), \
            s.execute(select(AuditEvent.actor).order_by(AuditEvent.id.desc())).scalars().first()
    assert actors == ("Ana Ruiz", "Tom Lee")


def test_idle_minutes_sign_the_person_out_and_the_next_one_in(qtbot, demo_window, demo_store):  # noqa: F811
    """On a practice server the window signs its person out after the idle minutes: the
    open visit is saved and closed, the pages hidden while nobody is signed in; a colleague
    signs in and the pages come back under her name. Closing the sign-in quits."""
    from datetime import UTC, datetime

    from mmsdesk.services.patients import PatientService
    from mmsdesk.ui.lock.idle_sign_out import IdleSignOut
    from mmsdesk.ui.lock.sign_in_dialog import SignInDialog
    from mmsdesk.ui.practice_actions import PracticeActions
    from mmsdesk.ui.visit.launcher import open_visit
    from mmsdesk.ui.visit.wizard import open_wizards
    from tests.conftest import TODAY

    _team(demo_store)
    people.sign_in(demo_store, "tom", "technician pass")
    demo_window.practice_actions = PracticeActions(demo_window)
    idle = IdleSignOut(demo_window, 60_000)
    assert idle.timer.isActive()
    pid = next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Johnson")
    draft = VisitService(demo_store).start(pid, "tmr", "home", today=TODAY,
                                           now=datetime.now(UTC))
    wizard = open_visit(demo_window.ctx, draft.visit_id, None, demo_window)
    type_into(qtbot, wizard.pages["collect"].reason, "Ran out of inhaler")
    seen = {}

    def steps(dlg: SignInDialog) -> None:
        seen["pages"] = demo_window.centralWidget().isVisible()
        seen["who"] = demo_store.who
        seen["wizards"] = len(open_wizards())
        type_into(qtbot, dlg.login, "ana")
        type_into(qtbot, dlg.passphrase, "pharmacist pass")
        click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))

    drive(SignInDialog, steps)
    assert idle.sign_out()
    assert seen == {"pages": False, "who": None, "wizards": 0}
    assert demo_window.centralWidget().isVisible() and demo_store.who.name == "Ana Ruiz"
    assert demo_window.practice_actions.who_label.text() == "Signed in: Ana Ruiz (pharmacist)"
    assert VisitService(demo_store).load_draft(draft.visit_id).collect.reason == \
        "Ran out of inhaler"
    assert idle.timer.isActive()

    quits = []
    idle.quit = lambda: quits.append(True)
    drive(SignInDialog, lambda dlg: dlg.reject())
    assert not idle.sign_out() and quits == [True]
    assert not demo_window.centralWidget().isVisible()
