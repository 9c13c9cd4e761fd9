"""File ▸ Settings…: every tab edits, nothing saved until OK, then store and settings.json."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mmsdesk import paths, settings
from mmsdesk.services.practice import OfferingData, PracticeService, ProfileData
from mmsdesk.ui.practice_actions import PracticeActions, demo_command
from mmsdesk.ui.setup.settings_dialog import SettingsDialog
from tests.ui.typing import type_text


def _actions(qtbot, main_window) -> PracticeActions:
    actions = PracticeActions(main_window)
    actions._on_window_attached()  # the fixture attached the store before the actions existed
    return actions


def test_ctrl_comma_opens_settings_and_ok_saves_everything(qtbot, main_window, tmp_path):
    PracticeService(main_window.ctx.store).save_profile(ProfileData(name="Dana Rivera"))
    actions = _actions(qtbot, main_window)
    assert actions.settings_action.isEnabled()
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow)
    qtbot.keyClick(main_window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dlg = QApplication.activeModalWidget()
    assert isinstance(dlg, SettingsDialog)
    assert dlg.profile.name.text() == "Dana Rivera"
    assert len(dlg.catalogue.rows()) == 10  # no catalogue yet: the defaults are offered

    type_text(qtbot, dlg.profile.practice_name, "Rivera Medication Care")
    dlg.catalogue.table.cellWidget(0, 3).setValue(160)
    dlg.follow_up.boxes["tmr"].setValue(21)
    dlg.preferences.lock_minutes.setValue(12)
    dlg.preferences.language.setCurrentIndex(dlg.preferences.language.findData("es"))
    dlg.preferences.large_print.setChecked(True)
    dlg.preferences.paper.setCurrentIndex(dlg.preferences.paper.findData("A4"))
    dlg.preferences.backup_folder.setText(str(tmp_path / "usb"))
    assert not settings.settings_path().exists()  # nothing before OK
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dlg.result() == SettingsDialog.DialogCode.Accepted

    svc = PracticeService(main_window.ctx.store)
    assert svc.profile().practice_name == "Rivera Medication Care"
    assert svc.catalogue()[0].price == 160.0
    s = settings.load()
    assert (s.lock_minutes, s.document_language, s.large_print, s.paper_size) == (12.0, "es", True, "A4")
    assert s.follow_up_days["tmr"] == 21 and s.backup_folder == str(tmp_path / "usb")


def test_invalid_profile_keeps_dialog_open_and_saves_nothing(qtbot, main_window):
    svc = PracticeService(main_window.ctx.store)
    svc.save_catalogue([OfferingData("cmr", "CMR", 60, 150.0)])
    dlg = SettingsDialog(svc, main_window)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.show_tab("Preferences")
    dlg.preferences.lock_minutes.setValue(30)
    dlg.catalogue.table.cellWidget(0, 3).setValue(99)
    dlg.profile.practice_name.setText("Rivera Medication Care")
    dlg.accept()  # a profile begun without a name: refused, the profile tab comes forward
    assert dlg.isVisible() and dlg.tabs.currentIndex() == 0
    assert "required" in dlg.profile.form.error_text("name")
    assert svc.profile() is None and svc.catalogue()[0].price == 150.0
    assert not settings.settings_path().exists()
    dlg.reject()


def test_settings_change_the_running_idle_lock(qtbot, main_window, monkeypatch):
    monkeypatch.delenv("MMSDESK_LOCK_MINUTES", raising=False)

    class Lock:
        locked = False

        def __init__(self) -> None:
            from PySide6.QtCore import QTimer

            self.idle_timer = QTimer()

    main_window.lock_controller = Lock()
    PracticeService(main_window.ctx.store).save_profile(ProfileData(name="Dana Rivera"))
    dlg = _actions(qtbot, main_window).open_settings("Preferences")
    dlg.preferences.lock_minutes.setValue(3)
    dlg.accept()
    assert main_window.lock_controller.idle_timer.interval() == 3 * 60_000
    assert main_window.lock_controller.idle_timer.isActive()


def test_demo_command_opens_the_demo_folder_of_this_practice():
    program, args = demo_command()
    assert args[-1] == "--demo" and args[args.index("--data-dir") + 1] == str(paths.practice_data_dir())
    assert paths.demo_data_dir().parent == paths.practice_data_dir()


def test_extra_backup_copy_to_the_settings_folder(qtbot, main_window, tmp_path):
    from mmsdesk.store.backup import list_backups
    from mmsdesk.ui.backup_scheduler import BackupScheduler

    sched = BackupScheduler(main_window, main_window.ctx.store)
    sched.timer.stop()
    usb = tmp_path / "usb"
    assert sched.extra_copy("daily") is None  # no folder set
    settings.save(settings.Settings().with_changes(backup_folder=str(usb)))
    assert sched.extra_copy("daily") is None and not usb.exists()  # stick not plugged in
    usb.mkdir()
    sched.daily()
    assert [b.kind for b in list_backups(usb)] == ["daily"]
    assert [b.kind for b in list_backups(paths.backup_dir())] == ["daily"]


def test_real_practice_offers_the_demo_practice_not_demo_patients(qtbot, main_window, monkeypatch):
    actions = _actions(qtbot, main_window)
    assert actions.demo_action.isEnabled()  # File > Open demo practice
    assert not main_window.demo_action.isVisible()  # Load demo patients… into real data: gone
    monkeypatch.setattr(paths, "_demo", True)
    in_demo = PracticeActions(main_window)
    in_demo._on_window_attached()
    assert not in_demo.demo_action.isVisible() and not in_demo.demo_action.isEnabled()


def test_document_preview_takes_the_print_preferences(qtbot):
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrinter

    from mmsdesk.ui.dialogs.document_preview import apply_printer_settings

    printer = QPrinter()
    apply_printer_settings(printer, settings.Settings().with_changes(
        paper_size="A4", printer_name="No Such Printer 9000"))
    assert printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.A4
    assert printer.printerName() != "No Such Printer 9000"  # gone: the system's default stays
    apply_printer_settings(printer, settings.Settings())
    assert printer.pageLayout().pageSize().id() == QPageSize.PageSizeId.Letter


def test_document_preview_starts_in_large_print_when_set(qtbot, demo_store):
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog
    from tests.conftest import TODAY

    ctx = AppContext(store=demo_store, events=AppEvents(), today=lambda: TODAY)
    settings.save(settings.Settings().with_changes(large_print=True))
    dlg = DocumentPreviewDialog(ctx, "pml", 1)
    qtbot.addWidget(dlg)
    assert dlg.large_print.isChecked()
    settings.save(settings.Settings())
    again = DocumentPreviewDialog(ctx, "pml", 1)
    qtbot.addWidget(again)
    assert not again.large_print.isChecked()


def test_new_patient_starts_with_the_practice_document_language(qtbot, store):
    from mmsdesk.services.patients import PatientService
    from mmsdesk.ui.dialogs.patient_form import PatientDialog
    from tests.conftest import TODAY

    settings.save(settings.Settings().with_changes(document_language="es"))
    dlg = PatientDialog(PatientService(store), None, TODAY)
    qtbot.addWidget(dlg)
    assert dlg.preferred_language.currentData() == "es"


def test_catalogue_remove_takes_the_row_being_edited_and_add_appends(qtbot):
    from mmsdesk.services.practice import default_catalogue
    from mmsdesk.ui.setup.practice_forms import CatalogueEditor

    editor = CatalogueEditor()
    qtbot.addWidget(editor)
    editor.set_rows(default_catalogue())
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    third = editor.table.cellWidget(2, 1)
    third.setFocus()
    qtbot.waitUntil(third.hasFocus)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    names = [r.name for r in editor.rows()]
    assert len(names) == 9 and "Medication reconciliation" not in names
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert len(editor.rows()) == 10 and editor.rows()[-1].name == ""
    assert editor.table.cellWidget(9, 0).hasFocus()


def test_preferences_save_without_a_profile_when_none_is_typed(qtbot, main_window):
    svc = PracticeService(main_window.ctx.store)
    dlg = SettingsDialog(svc, main_window)
    qtbot.addWidget(dlg)
    dlg.preferences.lock_minutes.setValue(9)
    dlg.accept()
    assert dlg.result() == SettingsDialog.DialogCode.Accepted
    assert settings.load().lock_minutes == 9.0 and svc.profile() is None
    assert len(svc.catalogue()) == 10  # the defaults it showed are now the catalogue
