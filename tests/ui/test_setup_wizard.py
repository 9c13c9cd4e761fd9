"""First-run wizard on an empty data folder: walked with the keyboard to the dashboard."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget, QWizard

from mmsdesk import paths, settings
from mmsdesk.services.practice import PracticeService
from mmsdesk.store.vault import StoreState, open_encrypted, store_state
from mmsdesk.ui.app_events import AppEvents
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.lock.lock_controller import LockController
from mmsdesk.ui.main_window import MainWindow
from mmsdesk.ui.setup.wizard import (
    CataloguePage,
    DemoPage,
    FinishPage,
    FollowUpPage,
    PassphrasePage,
    ProfilePage,
    RecoveryKeyPage,
    SetupWizard,
    WelcomePage,
)
from tests.conftest import TODAY
from tests.ui.typing import type_text

PASS = "correct horse battery staple"
LOGO = Path(__file__).resolve().parents[2] / "resources" / "icons" / "mmsdesk-256.png"


def _start(qtbot, path: Path) -> tuple[MainWindow, LockController]:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    def opened(store) -> None:  # type: ignore[no-untyped-def]
        window.attach(AppContext(store=store, events=AppEvents(window), today=lambda: TODAY))

    ctl = LockController(window, path, opened, idle_ms=0)
    ctl.start()
    return window, ctl


def _next(qtbot, wizard: QWizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def test_first_run_wizard_to_dashboard_with_profile_saved(qtbot, tmp_path):
    path = paths.store_path()
    window, ctl = _start(qtbot, path)
    wizard = ctl.wizard
    assert isinstance(wizard, SetupWizard) and wizard.isVisible()
    assert window.stack.currentWidget() is ctl.not_set_up and window.ctx is None
    assert isinstance(wizard.currentPage(), WelcomePage)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    _next(qtbot, wizard)

    # Profile: Next stays disabled without a name; a bad NPI is refused under its field.
    page = wizard.currentPage()
    assert isinstance(page, ProfilePage)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    form = page.form
    qtbot.waitUntil(form.name.hasFocus)
    type_text(qtbot, form.name, "Dana Rivera")
    qtbot.keyClick(form.name, Qt.Key.Key_Tab)
    type_text(qtbot, form.credentials, "PharmD, BCGP")
    qtbot.keyClick(form.credentials, Qt.Key.Key_Tab)
    assert form.npi.hasFocus()
    type_text(qtbot, form.npi, "1234567890")
    type_text(qtbot, form.practice_name, "Rivera Medication Care")
    type_text(qtbot, form.address, "12 Elm St")
    type_text(qtbot, form.phone, "(217) 555-0142")
    type_text(qtbot, form.fax, "(217) 555-0143")
    assert form.load_logo_file(str(LOGO)) is None and form.logo is not None
    _next(qtbot, wizard)
    assert wizard.currentPage() is page and "check digit" in form.form.error_text("npi")
    form.npi.clear()
    type_text(qtbot, form.npi, "1234567893")
    _next(qtbot, wizard)

    # Passphrase: the unlock screen's set-up fields; nothing on disk yet.
    page = wizard.currentPage()
    assert isinstance(page, PassphrasePage)
    qtbot.waitUntil(page.lock.secret.hasFocus)
    type_text(qtbot, page.lock.secret, "short")
    type_text(qtbot, page.lock.confirm, "shorT")
    qtbot.keyClick(page.lock.confirm, Qt.Key.Key_Return)
    assert page.lock.error.text() == "The two passphrases differ."
    page.lock.confirm.clear()
    type_text(qtbot, page.lock.confirm, "short")
    _next(qtbot, wizard)
    assert "at least 8" in page.lock.error.text() and wizard.currentPage() is page
    page.lock.clear()
    type_text(qtbot, page.lock.secret, PASS)
    type_text(qtbot, page.lock.confirm, PASS)
    qtbot.keyClick(page.lock.confirm, Qt.Key.Key_Return)

    # Recovery key: shown before anything is written; Next only once confirmed.
    page = wizard.currentPage()
    assert isinstance(page, RecoveryKeyPage)
    recovery = page.key.text()
    assert len(recovery.split("-")) == 8
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert not path.exists() and not paths.config_dir().joinpath("settings.json").exists()
    qtbot.keyClick(page.confirmed, Qt.Key.Key_Space)
    # Back to the passphrase page and on again with the same passphrase: the same key.
    wizard.back()
    wizard.next()
    assert page.key.text() == recovery and page.confirmed.isChecked()
    _next(qtbot, wizard)

    page = wizard.currentPage()
    assert isinstance(page, FollowUpPage)
    page.form.boxes["cmr"].setValue(120)
    _next(qtbot, wizard)

    page = wizard.currentPage()
    assert isinstance(page, CataloguePage)
    first_name = page.editor.table.cellWidget(0, 1)
    first_name.clear()
    _next(qtbot, wizard)
    assert wizard.currentPage() is page and "Row 1" in page.editor.error.text()
    type_text(qtbot, first_name, "Comprehensive review at home")
    page.editor.table.cellWidget(0, 3).setValue(175)
    _next(qtbot, wizard)

    page = wizard.currentPage()
    assert isinstance(page, DemoPage) and not page.demo.isChecked()
    _next(qtbot, wizard)
    page = wizard.currentPage()
    assert isinstance(page, FinishPage) and "Dana Rivera" in page.summary.text()
    assert not path.exists()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)

    # The dashboard, over the new encrypted store that the written-down recovery key opens.
    qtbot.waitUntil(lambda: window.ctx is not None)
    assert window.stack.currentWidget() is window.dashboard
    assert store_state(path) is StoreState.ENCRYPTED
    profile = PracticeService(window.ctx.store).profile()
    assert (profile.name, profile.npi, profile.practice_name) == (
        "Dana Rivera", "1234567893", "Rivera Medication Care")
    assert profile.logo == LOGO.read_bytes()
    catalogue = PracticeService(window.ctx.store).catalogue()
    assert (catalogue[0].name, catalogue[0].price) == ("Comprehensive review at home", 175.0)
    assert settings.load().follow_up_days["cmr"] == 120
    assert json.loads(settings.settings_path().read_text())["version"] == settings.VERSION
    assert not paths.demo_store_path().exists()
    assert ctl.lock_action.isEnabled()
    window.ctx.store.close()
    with open_encrypted(path, recovery_key=recovery).store as again:
        assert PracticeService(again).profile().name == "Dana Rivera"


def test_cancelled_wizard_writes_nothing_and_can_be_reopened(qtbot):
    path = paths.store_path()
    window, ctl = _start(qtbot, path)
    ctl.wizard.reject()
    assert ctl.wizard is None and window.ctx is None
    assert window.stack.currentWidget() is ctl.not_set_up
    assert not paths.data_dir().exists() or not any(paths.data_dir().iterdir())
    qtbot.mouseClick(ctl.not_set_up.button, Qt.MouseButton.LeftButton)
    assert isinstance(ctl.wizard, SetupWizard) and ctl.wizard.isVisible()
    ctl.wizard.reject()


def test_wizard_with_demo_practice_creates_it_apart(qtbot):
    path = paths.store_path()
    wizard = SetupWizard(path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.currentPage().form.name.setText("Dana Rivera")
    wizard.next()
    lock = wizard.currentPage().lock
    lock.secret.setText(PASS)
    lock.confirm.setText(PASS)
    wizard.next()
    wizard.currentPage().confirmed.setChecked(True)
    wizard.next()
    wizard.next()
    wizard.next()
    wizard.currentPage().demo.setChecked(True)
    wizard.next()
    assert isinstance(wizard.currentPage(), FinishPage)
    assert "demo practice" in wizard.currentPage().summary.text()
    wizard.accept()
    result = wizard.result
    assert result is not None and result.demo_path == paths.demo_store_path()
    from mmsdesk.services.patients import PatientService

    assert PatientService(result.store).count() == 0  # the real practice starts empty
    result.store.close()
    with open_encrypted(result.demo_path, PASS).store as demo:
        assert PatientService(demo).count() == 12
        assert PracticeService(demo).profile().name == "Dana Rivera"


def test_recovery_sheet_holds_the_key_and_escapes_the_practice_name(qtbot):
    from mmsdesk.services.practice import ProfileData

    wizard = SetupWizard(paths.store_path())
    qtbot.addWidget(wizard)
    wizard.draft.profile = ProfileData(name="Dana", practice_name="Rivera <Care> & Co")
    lock = wizard.page_of(PassphrasePage).lock
    wizard.show()
    wizard.next()
    wizard.currentPage().form.name.setText("Dana")
    wizard.next()
    lock.secret.setText(PASS)
    lock.confirm.setText(PASS)
    wizard.next()
    page = wizard.currentPage()
    wizard.draft.profile = ProfileData(name="Dana", practice_name="Rivera <Care> & Co")
    sheet = page.recovery_sheet()
    assert wizard.draft.key.recovery_key in sheet and "Rivera &lt;Care&gt; &amp; Co" in sheet
    assert page.print_button.isEnabled()


def test_demo_flag_without_a_demo_practice_is_one_line(tmp_path):
    from tests.conftest import run_cli

    result = run_cli("--demo")
    assert result.returncode == 1 and "no demo practice yet" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_printed_recovery_sheet_carries_the_key(qtbot, tmp_path, monkeypatch):
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    from mmsdesk.ui.lock.recovery_dialog import print_recovery_key

    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QPrintDialog.DialogCode.Accepted)
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "recovery.pdf"))
    key = "J36N-2ZV4-LUXZ-EK4D-TZIN-HDHK-CPZF-FCUQ"
    holder = QWidget()
    qtbot.addWidget(holder)
    assert print_recovery_key(holder, key, "Rivera Medication Care", printer)
    pages = PdfReader(tmp_path / "recovery.pdf").pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)  # tabs as spaces
    assert key in text and "Rivera Medication Care" in text and "recovery key" in text
