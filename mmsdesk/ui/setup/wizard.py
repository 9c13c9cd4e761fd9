"""The first-run set-up wizard: shown when the data folder is empty.

Pages are listed in :data:`PAGES`; each edits one slice of a Qt-free
:class:`~mmsdesk.services.setup.SetupDraft`. Nothing is written until ``accept()`` (Finish):
the passphrase page only makes the key in memory, so the recovery key can be shown before
anything exists on disk. Cancel leaves the folder empty.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from mmsdesk import paths
from mmsdesk.services.practice import validate_catalogue, validate_profile
from mmsdesk.services.setup import SetupDraft, SetupResult, apply_setup
from mmsdesk.services.validation import ValidationError
from mmsdesk.store import StoreError
from mmsdesk.store.crypto import KeyProblem
from mmsdesk.store.vault import new_key
from mmsdesk.ui.lock.recovery_dialog import (
    RECOVERY_INTRO,
    print_recovery_key,
    recovery_key_field,
    recovery_sheet,
)
from mmsdesk.ui.lock.unlock_page import UnlockMode, UnlockPage
from mmsdesk.ui.setup.practice_forms import CatalogueEditor, FollowUpForm, ProfileForm
from mmsdesk.ui.widgets.form import fit_to_screen

log = logging.getLogger(__name__)


def _label(text: str) -> QLabel:
    lab = QLabel(text)
    lab.setWordWrap(True)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    return lab


class _Page(QWizardPage):
    def __init__(self, draft: SetupDraft) -> None:
        super().__init__()
        self.draft = draft
        self.box = QVBoxLayout(self)

    def focus_later(self, widget: QWidget) -> None:
        """Focus ``widget`` once the wizard has finished switching pages (it moves focus)."""
        QTimer.singleShot(0, widget, widget.setFocus)  # cancelled if the widget goes


class WelcomePage(_Page):
    def __init__(self, draft: SetupDraft) -> None:
        super().__init__(draft)
        self.setTitle("Welcome to MMS Desk")
        self.setSubTitle("A few minutes to set up your practice. Everything can be changed "
                         "later under File ▸ Settings.")
        self.box.addWidget(_label(
            "You will enter your profile (it prints on every letter and document), choose a "
            "passphrase that encrypts your patients' data, write down a recovery key, set "
            "your usual follow-up intervals and your service prices, and choose whether to "
            "add a demo practice with fictional patients to try things out.\n\n"
            f"Your practice data will be kept in {paths.practice_data_dir()}. Nothing is "
            "written until you press Finish."))
        self.box.addStretch(1)


class ProfilePage(_Page):
    def __init__(self, draft: SetupDraft) -> None:
        super().__init__(draft)
        self.setTitle("Your profile")
        self.setSubTitle("Your name is required; the rest appears on letters, the patient's "
                         "medication list and invoices when you fill it in.")
        self.form = ProfileForm()
        self.form.set_data(draft.profile)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop; follows the focus
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        self.box.addWidget(scroll)
        self.form.changed.connect(self.completeChanged)

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        self.focus_later(self.form.name)

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return bool(self.form.name.text().strip())

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        data = self.form.data()
        errors = validate_profile(data)
        self.form.show_errors(errors)
        if errors:
            return False
        self.draft.profile = data
        return True


class PassphrasePage(_Page):
    """The set-up fields of the unlock screen; leaving the page makes the key (in memory)."""

    def __init__(self, draft: SetupDraft) -> None:
        super().__init__(draft)
        self.setTitle("Protect your practice data")
        self.setSubTitle("Your data file is encrypted with this passphrase. Type it twice.")
        self.lock = UnlockPage(UnlockMode.SETUP)
        self.lock.setAutoFillBackground(False)
        self.lock.title.hide()
        self.lock.button.hide()
        self.lock.recover_button.hide()
        self.lock.submitted.connect(self._on_lock_submitted)
        self.box.addWidget(self.lock)

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        self.lock.error.hide()
        self.focus_later(self.lock.secret)

    @Slot(object, str, str)
    def _on_lock_submitted(self, _mode: object, _secret: str, _new: str) -> None:
        self.wizard().next()  # Return in the second field goes on, as on the unlock screen

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        secret, confirm = self.lock.secret.text(), self.lock.confirm.text()
        if not secret:
            self.lock.show_error("Type your passphrase.")
            return False
        if secret != confirm:
            self.lock.show_error("The two passphrases differ.")
            return False
        if self.draft.key is not None and secret == self.draft.passphrase:
            return True  # back and forth: the recovery key already shown stays valid
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.draft.key = new_key(secret)
        except KeyProblem as exc:
            self.lock.show_error(str(exc))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.draft.passphrase = secret
        return True


class RecoveryKeyPage(_Page):
    def __init__(self, draft: SetupDraft) -> None:
        super().__init__(draft)
        self.setTitle("Your recovery key")
        self.setSubTitle(RECOVERY_INTRO)
        self.key = recovery_key_field("")
        self.box.addWidget(self.key)
        self.print_button = QPushButton("&Print the recovery key…")
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.box.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.confirmed = QCheckBox("I have &written down or printed the recovery key")
        self.confirmed.toggled.connect(self.completeChanged)
        self.box.addWidget(self.confirmed)
        self.box.addStretch(1)
        self._shown = ""

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        assert self.draft.key is not None
        text = self.draft.key.recovery_key
        if text != self._shown:  # a new passphrase made a new key: confirm again
            self.confirmed.setChecked(False)
            self._shown = text
        self.key.setText(text)
        self.key.setMinimumWidth(self.key.fontMetrics().horizontalAdvance(text) + 24)
        self.focus_later(self.confirmed)

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return self.confirmed.isChecked()

    def recovery_sheet(self) -> str:
        profile = self.draft.profile
        return recovery_sheet(self.key.text(), profile.practice_name or profile.name)

    @Slot()
    def _on_print_button_clicked(self) -> None:
        profile = self.draft.profile
        if print_recovery_key(self, self.key.text(), profile.practice_name or profile.name):
            self.confirmed.setChecked(True)


class FollowUpPage(_Page):
    def __init__(self, draft: SetupDraft) -> None:
        super().__init__(draft)
        self.setTitle("Follow-up intervals")
        self.setSubTitle("How many days after each kind of visit the follow-up is due. A "
                         "visit can always set another date.")
        self.form = FollowUpForm()
        self.form.set_days(draft.follow_up_days)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop; follows the focus
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        self.box.addWidget(scroll)

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        self.draft.follow_up_days = self.form.days()
        return True


class CataloguePage(_Page):
    def __init__(self, draft: SetupDraft) -> None:
        super().__init__(draft)
        self.setTitle("Your services and prices")
        self.setSubTitle("What you offer, how long it usually takes and what a self-paying "
                         "patient pays. Untick a service you do not offer.")
        self.editor = CatalogueEditor()
        self.editor.set_rows(draft.catalogue)
        self.box.addWidget(self.editor)

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        rows = self.editor.rows()
        errors = validate_catalogue(rows)
        self.editor.show_errors(errors)
        if errors:
            return False
        self.draft.catalogue = rows
        return True


class DemoPage(_Page):
    def __init__(self, draft: SetupDraft) -> None:
        super().__init__(draft)
        self.setTitle("A demo practice to try things out")
        self.setSubTitle("Twelve fictional patients, kept apart from your real practice.")
        self.demo = QCheckBox("Also create the &demo practice")
        self.demo.setChecked(draft.load_demo)
        self.box.addWidget(self.demo)
        self.box.addWidget(_label(
            f"The demo practice lives in its own folder ({paths.demo_data_dir()}), opens with "
            "the same passphrase, and is opened with File ▸ Open demo practice (or "
            "mmsdesk --demo). Your real practice starts empty."))
        self.box.addStretch(1)

    def validatePage(self) -> bool:  # noqa: N802 (Qt API)
        self.draft.load_demo = self.demo.isChecked()
        return True


class FinishPage(_Page):
    def __init__(self, draft: SetupDraft) -> None:
        super().__init__(draft)
        self.setTitle("Ready")
        self.setSubTitle("Check the summary, then press Finish.")
        self.summary = _label("")
        self.box.addWidget(self.summary)
        self.box.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        d = self.draft
        offered = sum(1 for r in d.catalogue if r.active)
        self.summary.setText(
            f"Press Finish to create your encrypted practice data for {d.profile.name}"
            f"{', ' + d.profile.practice_name if d.profile.practice_name else ''}, with "
            f"{offered} services offered"
            f"{' and the demo practice' if d.load_demo else ''}.\n\n"
            "You will then see the dashboard. Add your first patient with File ▸ New "
            "patient (Ctrl+N).")
        self.focus_later(self.wizard().button(QWizard.WizardButton.FinishButton))


PAGES: tuple[type[_Page], ...] = (WelcomePage, ProfilePage, PassphrasePage, RecoveryKeyPage,
                                  FollowUpPage, CataloguePage, DemoPage, FinishPage)


class SetupWizard(QWizard):
    """After ``accept()``, ``result`` holds the open store (and the demo path, if made)."""

    def __init__(self, store_path: Path, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set up MMS Desk")
        self.setObjectName("setupWizard")
        self.store_path = Path(store_path)
        self.today = today
        self.draft = SetupDraft()
        self.result: SetupResult | None = None
        self.pages = [cls(self.draft) for cls in PAGES]
        for page in self.pages:
            self.addPage(page)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        logo = QPixmap(str(paths.resources_dir() / "icons" / "mmsdesk-64.png"))
        self.setPixmap(QWizard.WizardPixmap.LogoPixmap, logo)
        fit_to_screen(self, 920, 640)

    def page_of(self, cls: type[_Page]) -> _Page:
        return next(p for p in self.pages if isinstance(p, cls))

    def accept(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result = apply_setup(self.draft, self.store_path, self.today)
        except (ValidationError, StoreError, KeyProblem, OSError) as exc:
            QApplication.restoreOverrideCursor()
            log.error("first-run set-up failed: %s", type(exc).__name__)
            QMessageBox.warning(self, "Set up MMS Desk", f"The set-up could not finish: {exc}")
            return
        QApplication.restoreOverrideCursor()
        super().accept()


class NotSetUpPage(QWidget):
    """Behind a cancelled wizard: the way back to it.

    Signals:
        setup_requested(): the pharmacist asked for the wizard again.
    """

    setup_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.button = QPushButton("&Set up MMS Desk…")
        self.button.setDefault(True)
        self.button.clicked.connect(self.setup_requested)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        text = _label("MMS Desk is not set up yet. Nothing has been saved.")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(text)
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addStretch(2)
