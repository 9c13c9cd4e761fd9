from __future__ import annotations

import pytest

from tests.conftest import TODAY


@pytest.fixture
def main_window(qtbot, store):
    """The real main window attached to a real (temporary) store."""
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    events = AppEvents(window)  # owned by the window, so Qt deletes both together
    window.attach(AppContext(store=store, events=events, today=lambda: TODAY))
    window.show()
    qtbot.waitExposed(window)
    return window
