"""The window on a laptop's data file holding charts taken along (#22): the status bar names
the person who took them; there is nobody to switch to (the people stay on the server)."""

from __future__ import annotations

from mmsdesk.services import people
from mmsdesk.services import take_along as ta
from mmsdesk.store import Store
from mmsdesk.store.server import open_server
from tests.services.test_take_along import UNTIL
from tests.services.visit_helpers import make_bob


def test_the_laptop_window_names_who_took_the_charts_along(qtbot, pg_database, tmp_path):
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.main_window import MainWindow
    from mmsdesk.ui.practice_actions import PracticeActions

    path = tmp_path / "laptop" / "mmsdesk.sqlite3"
    with open_server(pg_database, ask=False) as server, Store.open(path) as laptop:
        bob = make_bob(server)
        people.add_person(server, login="ana", name="Ana Ruiz", passphrase="ana's long phrase")
        people.add_person(server, login="tom", name="Tom Lee", role="technician",
                          passphrase="tom's long phrase")
        people.sign_in(server, "tom", "tom's long phrase")
        ta.take_along(server, laptop, [bob.patient_id], UNTIL)
    with Store.open(path) as laptop:
        ta.sign_in_taker(laptop)
        window = MainWindow()
        qtbot.addWidget(window)
        window.attach(AppContext(store=laptop, events=AppEvents(window)))
        actions = PracticeActions(window)
        actions.show_who()
        assert actions.who_label.text() == "Signed in: Tom Lee (technician, charts taken along)"
        assert not actions.switch_action.isVisible()
