"""File ▸ Settings… (Ctrl+,): the profile, services and prices, follow-up, preferences.

Everything the first-run wizard asked, editable later. Nothing is saved until OK, and only
when every tab is valid; OK saves the practice data in one service call each and the
preferences to settings.json. After ``accept()``, ``change`` and ``settings`` are set.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mmsdesk import settings as app_settings
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.practice import (
    PracticeService,
    ProfileData,
    default_catalogue,
    validate_catalogue,
    validate_profile,
)
from mmsdesk.services.validation import ValidationError
from mmsdesk.settings import LANGUAGES, PAPER_SIZES, Settings
from mmsdesk.store.conflicts import RecordChanged
from mmsdesk.ui.setup.connection_form import ConnectionForm
from mmsdesk.ui.setup.people_page import PeoplePage
from mmsdesk.ui.setup.practice_forms import CatalogueEditor, FollowUpForm, ProfileForm
from mmsdesk.ui.widgets.form import fit_to_screen, select_data


def _printer_names() -> list[str]:
    try:
        from PySide6.QtPrintSupport import QPrinterInfo
    except ImportError:  # a build without print support still edits the rest
        return []
    return list(QPrinterInfo.availablePrinterNames())


def _scrolled(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop; follows the focus
    scroll.setWidget(widget)
    return scroll


class PreferencesForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setRange(0, int(app_settings.MAX_LOCK_MINUTES))
        self.lock_minutes.setSuffix(" minutes")
        self.lock_minutes.setSpecialValueText("Never")
        self.lock_minutes.setAccessibleName("Lock after idle minutes")
        self.language = QComboBox()
        for code, label in LANGUAGES.items():
            self.language.addItem(label, code)
        self.language.setAccessibleName("Document language of new patients")
        self.language.setToolTip("The preferred language a new patient starts with; their "
                                 "documents print in it (each patient can have their own)")
        self.large_print = QCheckBox("Print patient documents in large print by default")
        self.printer = QComboBox()
        self.printer.addItem("The system's default printer", "")
        for name in _printer_names():
            self.printer.addItem(name, name)
        self.printer.setAccessibleName("Printer")
        self.paper = QComboBox()
        for size in PAPER_SIZES:
            self.paper.addItem(size, size)
        self.paper.setAccessibleName("Paper size")
        self.backup_folder = QLineEdit()
        self.backup_folder.setPlaceholderText("None: backups stay in the data folder only")
        self.backup_folder.setAccessibleName("Extra backup folder")
        choose = QPushButton("C&hoose…")
        choose.setAccessibleName("Choose the extra backup folder")
        choose.clicked.connect(self._on_choose_clicked)
        row = QHBoxLayout()
        row.addWidget(self.backup_folder, 1)
        row.addWidget(choose)
        rows = (("&Lock after idle:", self.lock_minutes),
                ("New patients' &language:", self.language), ("", self.large_print),
                ("&Printer:", self.printer), ("Pape&r size:", self.paper))
        for text, w in rows:
            if text:
                lab = QLabel(text)
                lab.setBuddy(w)
                form.addRow(lab, w)
            else:
                form.addRow(w)
        lab = QLabel("Extra &backup folder:")
        lab.setBuddy(self.backup_folder)
        form.addRow(lab, row)
        note = QLabel("Each automatic backup is also written, checked, to this folder (an "
                      "external disk or USB stick). Backups stay encrypted.")
        note.setWordWrap(True)
        form.addRow(note)

    def set_settings(self, s: Settings) -> None:
        self.lock_minutes.setValue(round(s.lock_minutes))
        select_data(self.language, s.document_language)
        self.large_print.setChecked(s.large_print)
        if s.printer_name and self.printer.findData(s.printer_name) < 0:
            self.printer.addItem(f"{s.printer_name} (not found now)", s.printer_name)
        select_data(self.printer, s.printer_name)
        select_data(self.paper, s.paper_size)
        self.backup_folder.setText(s.backup_folder)

    def changes(self) -> dict[str, object]:
        return {"lock_minutes": float(self.lock_minutes.value()),
                "document_language": self.language.currentData(),
                "large_print": self.large_print.isChecked(),
                "printer_name": self.printer.currentData(),
                "paper_size": self.paper.currentData(),
                "backup_folder": self.backup_folder.text().strip()}

    def _on_choose_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Extra backup folder",
                                                  self.backup_folder.text())
        if folder:
            self.backup_folder.setText(folder)


class SettingsDialog(QDialog):
    TABS = ("Profile", "Services and prices", "Follow-up", "Preferences", "Practice connection",
            "People")

    def __init__(self, service: PracticeService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self.service = service
        self.change: ChangeSet | None = None
        self.settings: Settings = app_settings.load()
        self.profile = ProfileForm()
        self.catalogue = CatalogueEditor()
        self.follow_up = FollowUpForm()
        self.preferences = PreferencesForm()
        self.connection = ConnectionForm()
        self.people = PeoplePage(service.store)  # saved at once, each change (team mode)
        self.tabs = QTabWidget()
        for title, w in zip(self.TABS, (_scrolled(self.profile), self.catalogue,
                                        _scrolled(self.follow_up), self.preferences,
                                        _scrolled(self.connection), self.people),
                                   strict=True):
            self.tabs.addTab(w, title)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self._load_practice()
        self.follow_up.set_days(self.settings.follow_up_days)
        self.preferences.set_settings(self.settings)
        self.connection.set_address(self.settings.practice_database)
        fit_to_screen(self, 820, 620)

    def _load_practice(self) -> None:
        # what the profile and service tabs show, and the versions their save goes against
        # (team mode: a colleague's save meanwhile is refused, shown, never overwritten)
        self.read = self.service.versions()
        profile = self.service.profile()
        self._had_profile = profile is not None
        if profile is not None:
            self.profile.set_data(profile)
        self.catalogue.set_rows(self.service.catalogue() or default_catalogue())

    def _settle(self, refused: RecordChanged) -> None:
        """Reload shows the stored profile and services (mine discarded); Keep editing keeps
        mine on screen, and OK again saves them over the colleague's."""
        from mmsdesk.ui.dialogs.conflict_dialog import settle_refused_save

        self.show_tab("Services and prices" if refused.entity == "service_offering"
                      else "Profile")
        if settle_refused_save(self, refused):
            self._load_practice()
        else:
            self.read = self.service.versions()

    def show_tab(self, title: str) -> None:
        self.tabs.setCurrentIndex(self.TABS.index(title))

    def accept(self) -> None:
        profile, rows = self.profile.data(), self.catalogue.rows()
        # No profile yet and none typed (a store made from the command line): the other tabs
        # can still be saved; a profile that is started must be complete.
        skip_profile = self._had_profile is False and profile == ProfileData()
        profile_errors = {} if skip_profile else validate_profile(profile)
        row_errors = validate_catalogue(rows)
        self.profile.show_errors(profile_errors)
        self.catalogue.show_errors(row_errors)
        if profile_errors or row_errors:
            self.show_tab("Profile" if profile_errors else "Services and prices")
            if profile_errors:
                self.profile.show_errors(profile_errors)  # focus the first bad field
            return
        problem = self.connection.save_password()  # the keyring, never settings.json
        if problem:
            self.show_tab("Practice connection")
            self.error.setText(f"Nothing was saved: {problem}")
            self.error.show()
            return
        try:
            new = self.settings.with_changes(follow_up_days=self.follow_up.days(),
                                             practice_database=self.connection.address(),
                                             **self.preferences.changes())
            change = self.service.save_catalogue(rows, expected=self.read)
            # the profile goes against its own read; the services are as just saved
            self.read = replace(self.read, offerings=self.service.versions().offerings)
            if not skip_profile:
                change = change | self.service.save_profile(profile, expected=self.read)
            app_settings.save(new)
        except RecordChanged as exc:
            self._settle(exc)
            return
        except (ValidationError, ValueError, OSError) as exc:
            self.error.setText(f"Nothing more was saved: {exc}")
            self.error.show()
            return
        self.change, self.settings = change, new
        super().accept()

