"""The visit wizard: one non-modal window per visit, over the visit's ``VisitDraft``.

Every change is written to the store at once (debounced by ``SAVE_DELAY_MS``), so a crash or a
killed app loses nothing: the next start offers to resume the visit at the saved step.
Completing the visit is one service call (one transaction); its ChangeSet is broadcast.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from mmsdesk.models.enums import SERVICE_LABELS
from mmsdesk.services.visits.draft import STEPS, VisitDraft
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.visit.assess_page import AssessPage
from mmsdesk.ui.visit.base import FOCUS_STYLE, VisitPage
from mmsdesk.ui.visit.billing_panel import BillingPanel
from mmsdesk.ui.visit.collect_page import CollectPage
from mmsdesk.ui.visit.follow_up_page import FollowUpPage
from mmsdesk.ui.visit.implement_page import ImplementPage
from mmsdesk.ui.visit.plan_page import PlanPage
from mmsdesk.ui.visit.start_dialog import MODALITY_LABELS
from mmsdesk.ui.visit.step_bar import StepBar

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 250
LOCKED_RETRY_MS = 500
PAGES: tuple[type[VisitPage], ...] = (CollectPage, AssessPage, PlanPage, ImplementPage,
                                     FollowUpPage)

_OPEN: dict[int, VisitWizard] = {}


def open_wizards() -> dict[int, VisitWizard]:
    """visit id -> its open wizard window (windows already destroyed are forgotten)."""
    import shiboken6

    for vid, wizard in list(_OPEN.items()):
        if not shiboken6.isValid(wizard):
            del _OPEN[vid]
    return dict(_OPEN)


class VisitWizard(QWizard):
    """Signals:
        draft_saved(): the draft was written to the store.
        completed(object): the visit was completed; carries the ChangeSet.
        cancelled(): the visit was discarded.
    """

    draft_saved = Signal()
    completed = Signal(object)
    cancelled = Signal()

    def __init__(self, ctx: AppContext, service: Any, draft: VisitDraft, patient_name: str,
                 parent: QWidget | None = None, *,
                 now: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.ctx, self.service, self.draft = ctx, service, draft
        self.now: Callable[[], datetime] = now or (lambda: datetime.now().astimezone())
        self.patient_name = patient_name
        # opens a visit's window anew (id, step): a draft a colleague saved meanwhile, when
        # the person chose to see theirs (set by the launcher; a plain callable)
        self.reopen: Callable[[int, str], object] | None = None
        self.walking = False
        self.saved_at: datetime | None = None
        self._dirty = False
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.IndependentPages, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, "Discard visit…")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Close (draft &kept)")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Co&mplete visit")
        self.setButtonText(QWizard.WizardButton.NextButton, "&Next >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Back")
        self.customButtonClicked.connect(self._on_self_custom_button_clicked)
        self.setStyleSheet(FOCUS_STYLE)
        title = f"{SERVICE_LABELS.get(draft.service, draft.service)} — {patient_name}"
        self.setWindowTitle(f"{title} — MMS Desk")
        self.pages: dict[str, VisitPage] = {}
        for n, page_type in enumerate(PAGES):
            page = page_type()
            self.setPage(n, page)
            self.pages[page.step] = page
        # Side panel: who and what, the steps, the timer and billing, the autosave state.
        who = QLabel(f"<b>{patient_name}</b><br>{SERVICE_LABELS.get(draft.service, draft.service)}"
                     f"<br>{MODALITY_LABELS.get(draft.modality, draft.modality)} · "
                     f"{draft.visit_date:%m/%d/%Y}")
        who.setWordWrap(True)
        who.setAccessibleName("Visit")
        self.step_bar = StepBar(draft.service)
        self.step_bar.step_selected.connect(self._on_step_bar_step_selected)
        self.billing = BillingPanel(self)
        self.billing.changed.connect(self.mark_changed)
        self.save_label = QLabel("Every change is saved as you type.")
        self.save_label.setWordWrap(True)
        self.save_label.setAccessibleName("Autosave")
        self.side = side = QWidget(self)
        side.setFixedWidth(230)
        lay = QVBoxLayout(side)
        lay.setContentsMargins(0, 0, 8, 0)
        lay.addWidget(who)
        lay.addSpacing(6)
        lay.addWidget(self.step_bar)
        lay.addSpacing(8)
        lay.addWidget(self.billing)
        lay.addStretch(1)
        who_works = getattr(ctx.store, "who", None)
        # team mode: a technician prepares the visit; a pharmacist completes it (services
        # refuse it too: store/who.py)
        self.may_complete = who_works is None or who_works.is_pharmacist
        self.role_note = QLabel()
        self.role_note.setWordWrap(True)
        self.role_note.setAccessibleName("Why the visit cannot be completed")
        if not self.may_complete:
            self.role_note.setText(
                f"{who_works.name} is signed in as a technician: prepare every step; a "
                "pharmacist of the practice completes the visit (its problems, "
                "recommendations and decisions). The draft is kept.")
            self.button(QWizard.WizardButton.FinishButton).setToolTip(
                "Only a pharmacist completes a visit.")
        self.role_note.setVisible(not self.may_complete)
        lay.addWidget(self.role_note)
        lay.addWidget(self.save_label)
        self.setSideWidget(side)
        for n, step in enumerate(STEPS, 1):
            shortcut = QShortcut(QKeySequence(f"Alt+{n}"), self)
            shortcut.activated.connect(lambda s=step: self.go_to(s))
        buttons = [self.button(b) for b in (
            QWizard.WizardButton.CustomButton1, QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton)]
        for first, second in zip(buttons, buttons[1:], strict=False):
            QWidget.setTabOrder(first, second)  # as they read, left to right
        self.save_timer = QTimer(self)
        self.save_timer.setSingleShot(True)
        self.save_timer.setInterval(SAVE_DELAY_MS)
        self.save_timer.timeout.connect(self.save_now)
        self.currentIdChanged.connect(self._on_self_current_id_changed)
        self.resize(1280, 740)
        if draft.visit_id is not None:
            _OPEN[draft.visit_id] = self
        if parent is not None:  # the main window closing (Quit) closes its visits, saved
            parent.installEventFilter(self)
        self.finished.connect(self._on_self_finished)

    @Slot(int)
    def _on_self_finished(self, _result: int) -> None:
        if _OPEN.get(self.draft.visit_id or -1) is self:  # closed: no longer open
            del _OPEN[self.draft.visit_id or -1]

    # -- pages
    def page_for(self, step: str) -> VisitPage:
        page = self.pages[step]
        page.ensure_built()
        return page

    def current_step(self) -> str:
        page = self.currentPage()
        return page.step if isinstance(page, VisitPage) else STEPS[0]

    def start_at(self, step: str) -> None:
        """Show the first step, then walk to ``step`` (so Back goes through every step)."""
        self.restart()
        self.go_to(step if step in STEPS else STEPS[0])

    @Slot(str)
    def go_to(self, step: str) -> None:
        """Any step can be opened from any other; nothing typed is lost on the way."""
        target = STEPS.index(step)
        self.walking = True
        try:
            while self.currentId() < target:
                before = self.currentId()
                self.next()
                if self.currentId() == before:
                    break
            while self.currentId() > target:
                before = self.currentId()
                self.back()
                if self.currentId() == before:
                    break
        finally:
            self.walking = False
        self.step_bar.set_current(self.current_step())

    @Slot(str)
    def _on_step_bar_step_selected(self, step: str) -> None:
        self.go_to(step)
        page = self.currentPage()
        if page is not None:
            page.setFocus()
            page.focusNextChild()

    @Slot(int)
    def _on_self_current_id_changed(self, page_id: int) -> None:
        if not 0 <= page_id < len(STEPS):
            return
        self.step_bar.set_current(STEPS[page_id])
        page = self.pages[STEPS[page_id]]
        if page.built:
            page.entered()
        if self.draft.step != STEPS[page_id]:
            self.draft.step = STEPS[page_id]
            self.save_now()

    # -- validation (the service's rules)
    def validate_step(self, step: str) -> list[str]:
        try:
            return list(self.service.validate(self.draft, step))
        except Exception:  # noqa: BLE001 - a validator bug must not lose the visit
            log.exception("validating the %s step failed", step)
            return []

    # -- autosave
    @Slot()
    def mark_changed(self) -> None:
        self._dirty = True
        self.save_label.setText("Saving…")
        self.save_timer.start()

    @Slot()
    def save_now(self) -> bool:
        self.save_timer.stop()
        if self.ctx.store.locked:  # locked: keep the change, write it after the unlock
            self._dirty = True
            self.save_timer.start(LOCKED_RETRY_MS)
            return False
        from mmsdesk.store.conflicts import RecordChanged

        try:
            self.service.save_draft(self.draft)
        except RecordChanged as exc:  # team mode: a colleague saved this draft meanwhile
            self.settle(exc)
            return False
        self._dirty = False
        self.saved_at = self.now()
        self.save_label.setText(f"Draft saved {self.saved_at:%H:%M:%S}")
        self.step_bar.set_flags({s: self.validate_step(s) for s in STEPS})
        self.draft_saved.emit()
        return True

    @property
    def dirty(self) -> bool:
        return self._dirty

    # -- finishing
    def accept(self) -> None:
        self.billing.update_draft()
        problems = self.service.validate_all(self.draft)
        for step in STEPS:
            if problems.get(step):
                self.go_to(step)
                self.pages[step].show_messages()
                return
        self.save_timer.stop()
        from mmsdesk.services.validation import ValidationError
        from mmsdesk.services.visits.service import VisitNotReady, VisitStateError
        from mmsdesk.store.conflicts import RecordChanged
        from mmsdesk.store.who import NotPermitted

        try:
            change = self.service.complete(self.draft, now=self.now())
        except RecordChanged as exc:  # a colleague changed what this visit saves over
            self.settle(exc)
            return
        except VisitNotReady as exc:  # the service's own check: show where
            step = next(iter(exc.problems), self.current_step())
            self.go_to(step)
            self.pages[step].show_messages(exc.problems[step])
            return
        except (VisitStateError, LookupError, ValidationError, NotPermitted) as exc:
            # completed elsewhere, a record gone, or the chart changed under the draft (a
            # medicine to stop was stopped meanwhile)
            why = (" ".join(exc.errors.values()) if isinstance(exc, ValidationError)
                   else str(exc))
            self.save_label.setText("Not completed")
            QMessageBox.warning(self, "Complete visit", f"The visit could not be completed: "
                                f"{why} Nothing was changed; the draft is kept.")
            return
        self._dirty = False
        self.completed.emit(change)
        self.ctx.events.publish(change)
        super().accept()

    def settle(self, refused: Any) -> None:
        """A save refused because a colleague changed a record meanwhile (RecordChanged):
        both versions are shown. For this visit's own draft, Reload closes this window unsaved
        and opens the stored draft (``reopen``); Keep editing saves this one over it.
        For a problem, recommendation or goal judged at the follow-up step, Reload clears that
        judgement and shows the step again, to judge on what is stored now; Keep editing keeps
        it, and completing again records it over theirs."""
        from mmsdesk.ui.dialogs.conflict_dialog import settle_refused_save

        own = refused.entity in ("visit", "")
        if own and not refused.deleted and self.draft.visit_id is not None:
            self._add_step_differences(refused)
        reload = settle_refused_save(self, refused)
        self.save_label.setText("Not saved: changed by someone else")
        if own and (reload or refused.deleted):
            self._dirty = False
            self.save_timer.stop()
            visit_id, step = self.draft.visit_id, self.current_step()
            QWizard.reject(self)  # closed without saving over theirs
            if visit_id is not None and not refused.deleted and self.reopen is not None:
                self.reopen(visit_id, step)
            return
        self.service.after_refusal(self.draft, refused.entity, refused.entity_id,
                                   keep_mine=not reload)
        if own:
            self.mark_changed()  # kept, knowingly: saved over theirs
            return
        page = self.pages["follow_up"]
        self.go_to("follow_up")
        if page.built:
            page.reload()
        self.mark_changed()

    def _add_step_differences(self, refused: Any) -> None:
        """Beside the visit's own fields, the steps whose entries differ from the stored
        draft (the draft is one column of the visit: its steps are what a person compares)."""
        from mmsdesk.services.visits.draft import step_differences

        try:
            theirs = self.service.load_draft(self.draft.visit_id)
        except Exception:  # noqa: BLE001 - the headline still says who and when
            log.exception("the stored draft could not be read for the comparison")
            return
        refused.differences = tuple(refused.differences) + tuple(
            step_differences(self.draft, theirs))

    def reject(self) -> None:
        """Close the window; the visit stays a draft, saved as it is."""
        if (self._dirty or self.save_timer.isActive()) and not self.save_now():
            return  # locked: stay open until the last changes are written
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if (self._dirty or self.save_timer.isActive()) and not self.save_now():
            event.ignore()  # locked: the last changes are not written yet; stay open
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Enter in a field never moves on or completes the visit by accident (a QDialog
        would press its default button); on a button it presses that button."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not isinstance(
                self.focusWidget(), QAbstractButton):
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.parent() and event.type() == QEvent.Type.Close and self.isVisible():
            self.close()
        return False

    @Slot(int)
    def _on_self_custom_button_clicked(self, which: int) -> None:
        if which == QWizard.WizardButton.CustomButton1.value:
            self.discard()

    def discard(self, *, ask: bool = True) -> bool:
        if ask and QMessageBox.question(
                self, "Discard visit",
                "Discard this visit? Nothing entered in it is kept in the chart.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return False
        self.save_timer.stop()
        self._dirty = False
        assert self.draft.visit_id is not None
        change = self.service.cancel(self.draft.visit_id)
        self.cancelled.emit()
        self.ctx.events.publish(change)
        super().reject()
        return True
