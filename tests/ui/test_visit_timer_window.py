"""The visit window opened on a draft put away days ago with its timer running shows the
minutes worked up to the last save, not the days away; Restart continues from them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import TODAY
from tests.services.test_visit_timer_resume import _draft_saved_at


def test_the_window_shows_the_minutes_worked_not_the_days_away(qtbot, demo_store):
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.main_window import MainWindow
    from mmsdesk.ui.visit.launcher import open_visit

    real_now = datetime.now(UTC)
    started = real_now - timedelta(days=2)
    vid = _draft_saved_at(demo_store, started, started + timedelta(minutes=25))
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(AppContext(store=demo_store, events=AppEvents(window), today=lambda: TODAY))
    wizard = open_visit(window.ctx, vid, None, window)
    try:
        panel = wizard.billing
        assert panel.elapsed.text() == "Timer: 25 min (stopped)"
        assert panel.timer_button.text() == "Restart timer"
        panel.timer_button.click()  # continue: counting from the 25 minutes already spent
        assert panel.elapsed.text() == "Timer: 25 min (running)"
    finally:
        wizard.save_timer.stop()
        wizard.close()
