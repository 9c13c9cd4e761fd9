"""A store made with `mmsdesk demo` has no pharmacist profile (#20 item 7): the window says so
on the dashboard, with a button to Settings at the profile; once entered, the note goes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mmsdesk.ui.setup.settings_dialog import SettingsDialog
from tests.ui.test_visit_wizard import demo_window  # noqa: F401 (fixture)
from tests.ui.typing import type_text


def test_no_profile_is_said_with_a_button_to_settings(qtbot, demo_window):  # noqa: F811
    page = demo_window.dashboard
    assert demo_window.stack.currentWidget() is page
    assert page.practice_bar.isVisible()
    assert page.practice_note.text().startswith("No pharmacist profile:")
    assert "without your name, phone, address and NPI" in page.practice_note.text()
    qtbot.mouseClick(page.practice_button, Qt.MouseButton.LeftButton)
    settings = QApplication.activeModalWidget()
    assert isinstance(settings, SettingsDialog) and settings.tabs.currentIndex() == 0
    form = settings.profile
    for w, text in ((form.name, "Elena Rivera"), (form.npi, "1234567893"),
                    (form.phone, "(555) 240-7788")):
        type_text(qtbot, w, text)
    form.address.setPlainText("1200 Oak Avenue, Springfield, IL 62704")
    qtbot.mouseClick(settings.buttons.button(settings.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.practice_bar.isVisible(), timeout=3000)
    assert page.practice_note.text() == ""
