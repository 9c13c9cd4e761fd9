"""Team mode (#22): a pharmacist deactivates a colleague's account while the colleague's window
is open on the practice server (a real throwaway cluster): the window's next poll signs them
out as the idle minutes do -- the open visit saved as far as it was and closed, the pages
hidden, the sign-in shown saying why -- and their writes are refused even before that."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from mmsdesk.models import Patient
from mmsdesk.services import people
from mmsdesk.services.visits.service import VisitService
from mmsdesk.store.server import open_server
from mmsdesk.store.who import NotPermitted
from mmsdesk.ui.app_events import AppEvents
from mmsdesk.ui.lock.sign_in_dialog import SignInDialog
from mmsdesk.ui.main_window import MainWindow
from mmsdesk.ui.practice_actions import PracticeActions
from mmsdesk.ui.team_window import attach_server, connect
from tests.conftest import TODAY
from tests.ui.test_visit_wizard import click, drive, type_into

ANA, TOM = "pharmacist pass", "technician pass"


@pytest.fixture
def toms_window(qtbot, pg_database):
    """Tom's window on the server, signed in, with a visit open; and Ana's app beside it."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.practice_actions = PracticeActions(window)
    window.show()
    qtbot.waitExposed(window)
    store = connect(pg_database, window)
    assert store is not None
    people.add_person(store, login="ana", name="Ana Ruiz", credentials="PharmD", passphrase=ANA)
    people.add_person(store, login="tom", name="Tom Lee", role="technician",
                      credentials="CPhT", passphrase=TOM)
    people.sign_in(store, "tom", TOM)
    attach_server(window, store, AppEvents(window))
    anas = open_server(pg_database, ask=False)  # Ana's app: another store on the database
    people.sign_in(anas, "ana", ANA)
    yield window, store, anas
    window.change_poller.timer.stop()
    anas.close()
    store.close()


def _open_visit(qtbot, window, store) -> tuple[int, object]:
    from mmsdesk.ui.visit.launcher import open_visit

    with store.session() as s:
        patient = Patient(first_name="Rosa", last_name="Alvarez", date_of_birth=date(1941, 3, 2))
        s.add(patient)
        s.flush()
        pid = patient.id
    draft = VisitService(store).start(pid, "tmr", "home", today=TODAY, now=datetime.now(UTC))
    wizard = open_visit(window.ctx, draft.visit_id, None, window)
    qtbot.waitExposed(wizard)
    return draft.visit_id, wizard


def test_deactivating_a_person_signs_their_open_window_out_at_the_next_poll(
        qtbot, toms_window):
    from mmsdesk.ui.visit.wizard import open_wizards

    window, store, anas = toms_window
    visit_id, wizard = _open_visit(qtbot, window, store)
    type_into(qtbot, wizard.pages["collect"].reason, "Ran out of inhaler")
    qtbot.waitUntil(lambda: not wizard.dirty and not wizard.save_timer.isActive())
    type_into(qtbot, wizard.pages["collect"].reason, " twice")  # not saved yet
    assert wizard.dirty or wizard.save_timer.isActive()
    poller = window.change_poller
    poller.timer.timeout.emit()
    assert window.centralWidget().isVisible() and store.who.login == "tom"  # still active

    people.set_active(anas, "tom", False)
    with pytest.raises(NotPermitted, match="deactivated by the practice"):  # before the poll
        with store.session() as s:
            s.add(Patient(first_name="Not", last_name="Saved", date_of_birth=date(1950, 1, 1)))
    seen: dict[str, object] = {}

    def steps(dlg: SignInDialog) -> None:
        seen.update(notice=dlg.notice.text(), notice_shown=dlg.notice.isVisible(),
                    pages=window.centralWidget().isVisible(), who=store.who,
                    wizards=len(open_wizards()))
        type_into(qtbot, dlg.login, "tom")  # Tom cannot come back in
        type_into(qtbot, dlg.passphrase, TOM)
        click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))
        seen["refused"] = dlg.isVisible() and dlg.error.text()
        dlg.login.clear()
        type_into(qtbot, dlg.login, "ana")
        type_into(qtbot, dlg.passphrase, ANA)
        click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))

    drive(SignInDialog, steps)
    poller.timer.timeout.emit()  # the window's periodic check
    assert seen == {
        "notice": "The practice deactivated your account or changed its role: sign in again, "
                  "or as someone else.",
        "notice_shown": True, "pages": False, "who": None, "wizards": 0,
        "refused": "That login and passphrase do not match an active person of the practice."}
    assert window.centralWidget().isVisible() and store.who.name == "Ana Ruiz"
    assert window.practice_actions.who_label.text() == "Signed in: Ana Ruiz (pharmacist)"
    # the visit as last saved under Tom; the keystrokes after it were his no longer to write
    assert VisitService(store).load_draft(visit_id).collect.reason == "Ran out of inhaler"
    poller.timer.timeout.emit()  # Ana is active: nothing more happens
    assert window.centralWidget().isVisible() and store.who.name == "Ana Ruiz"


def test_a_removed_person_is_signed_out_too_and_closing_the_sign_in_quits(qtbot, toms_window):
    from mmsdesk.models.practice_people import Person

    window, store, anas = toms_window
    with anas.session() as s:  # the row gone altogether (e.g. restored from an older dump)
        s.delete(s.get(Person, store.who.person_id))
    quits = []
    window.idle_sign_out.quit = lambda: quits.append(True)
    drive(SignInDialog, lambda dlg: dlg.reject())
    window.change_poller.timer.timeout.emit()
    assert quits == [True] and store.who is None and not window.centralWidget().isVisible()


def test_a_write_refused_before_the_poll_signs_out_at_once_instead_of_an_error(
        qtbot, toms_window):
    """Tom saves in the seconds before his window's poll: the refusal reaches the window's
    error hook, which signs him out there and then, saying why -- not "Something went
    wrong". Any other refusal is still an error (a technician's pharmacist step)."""
    from mmsdesk.ui.app import error_dialog_hook
    from mmsdesk.ui.team_window import deactivation_shown

    window, store, anas = toms_window
    assert not deactivation_shown(window, NotPermitted("Only a pharmacist can sign."))
    assert window.centralWidget().isVisible() and store.who.login == "tom"
    people.set_active(anas, "tom", False)
    with pytest.raises(NotPermitted) as refused:
        with store.session() as s:
            s.add(Patient(first_name="Not", last_name="Saved", date_of_birth=date(1950, 1, 1)))
    logged: list[type] = []
    hook = error_dialog_hook(window, lambda kind, exc, tb: logged.append(kind))
    seen: dict[str, str] = {}

    def steps(dlg: SignInDialog) -> None:
        seen["notice"] = dlg.notice.text()
        type_into(qtbot, dlg.login, "ana")
        type_into(qtbot, dlg.passphrase, ANA)
        click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))

    drive(SignInDialog, steps)
    hook(NotPermitted, refused.value, None)
    assert logged == [NotPermitted]
    assert seen["notice"].startswith("The practice deactivated your account")
    assert store.who.name == "Ana Ruiz" and window.centralWidget().isVisible()
