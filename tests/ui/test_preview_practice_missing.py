"""A store made with `mmsdesk demo` has no pharmacist profile: the preview says the practice's
details are missing above the document (which says so in red), and its button opens Settings
at the profile; once entered, the document is built again with them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mmsdesk.ui.app_events import AppEvents
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog
from mmsdesk.ui.setup.settings_dialog import SettingsDialog
from tests.conftest import TODAY
from tests.reports.pdfcheck import all_text
from tests.ui.typing import type_text


def test_preview_without_a_profile_says_so_and_leads_to_settings(qtbot, demo_store):
    ctx = AppContext(store=demo_store, events=AppEvents(), today=lambda: TODAY)
    dlg = DocumentPreviewDialog(ctx, "cms-summary", 1)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.practice_bar.isVisible()
    assert "Practice details missing (pharmacist's name, phone, address, NPI)" in \
        dlg.practice_note.text()
    assert "FALTAN LOS DATOS DE LA FARMACIA" in all_text(dlg.pdf)  # José reads Spanish
    qtbot.mouseClick(dlg.practice_button, Qt.MouseButton.LeftButton)
    settings = QApplication.activeModalWidget()
    assert isinstance(settings, SettingsDialog) and settings.tabs.currentIndex() == 0
    form = settings.profile
    for w, text in ((form.name, "Elena Rivera"), (form.npi, "1234567893"),
                    (form.phone, "(555) 240-7788")):
        type_text(qtbot, w, text)
    form.address.setPlainText("1200 Oak Avenue, Springfield, IL 62704")
    qtbot.mouseClick(settings.buttons.button(settings.buttons.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)
    assert not settings.isVisible()  # saved
    qtbot.waitUntil(lambda: not dlg.practice_bar.isVisible(), timeout=3000)
    text = all_text(dlg.pdf)
    assert "FALTAN" not in text and "Elena Rivera" in text and "(555) 240-7788" in text
