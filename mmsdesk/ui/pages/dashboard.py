"""The home dashboard: follow-ups due, open problems, recommendations waiting for an answer,
MTM reviews due and unfinished visits. Activating a row (double-click or Enter) opens it."""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.models.enums import SERVICE_LABELS
from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.dashboard import (
    Dashboard,
    DashboardService,
    DraftRow,
    FollowUpRow,
    PatientProblemsRow,
    PendingRecommendationRow,
    ReviewDueRow,
    follow_ups_calendar,
)
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.qtmodels.row_table import Column, RowTableModel
from mmsdesk.ui.widgets.table_state import memory_of, remember
from mmsdesk.ui.widgets.theme import ERROR, readable

WATCHED = (changes.PATIENTS, changes.VISITS, changes.PROBLEMS, changes.FOLLOW_UPS,
           changes.CONDITIONS, changes.MEDICATIONS, changes.DEMOGRAPHICS, changes.PRACTICE)
PROBLEM_AGE_WARN_DAYS = 90
RECOMMENDATION_WAIT_WARN_DAYS = 14
CALENDAR_DAYS = 90


def _d(day: date) -> str:
    return day.strftime("%m/%d/%Y")


def _overdue(days: int) -> str:
    return "due today" if days == 0 else f"{days} days overdue" if days > 0 else f"in {-days} days"


def _service(code: str) -> str:
    return SERVICE_LABELS.get(code, code)


FOLLOW_UP_COLUMNS: list[Column[FollowUpRow]] = [
    Column("Patient", lambda r: r.patient_name),
    Column("Due", lambda r: _d(r.due_on), lambda r: r.due_on),
    Column("Status", lambda r: _overdue(r.days_overdue), lambda r: r.days_overdue,
           warn=lambda r: r.days_overdue > 0),
    Column("Reason", lambda r: r.reason),
    Column("Service", lambda r: _service(r.service)),
    Column("How", lambda r: r.modality.capitalize()),
]
PROBLEM_COLUMNS: list[Column[PatientProblemsRow]] = [
    Column("Patient", lambda r: r.patient_name),
    Column("Open problems", lambda r: str(r.open_count), lambda r: r.open_count, align_right=True),
    Column("High priority", lambda r: str(r.high_priority), lambda r: r.high_priority,
           warn=lambda r: r.high_priority > 0, align_right=True),
    Column("Oldest identified", lambda r: _d(r.oldest_identified_on),
           lambda r: r.oldest_identified_on),
    Column("Oldest age (days)", lambda r: str(r.oldest_age_days), lambda r: r.oldest_age_days,
           warn=lambda r: r.oldest_age_days > PROBLEM_AGE_WARN_DAYS, align_right=True),
]
RECOMMENDATION_COLUMNS: list[Column[PendingRecommendationRow]] = [
    Column("Patient", lambda r: r.patient_name),
    Column("Days waiting", lambda r: str(r.days_waiting), lambda r: r.days_waiting,
           warn=lambda r: r.days_waiting > RECOMMENDATION_WAIT_WARN_DAYS, align_right=True),
    Column("Medicine", lambda r: r.medicine or "—"),
    Column("Recommendation", lambda r: r.recommendation),
    Column("Prescriber", lambda r: r.prescriber or "none on file",
           warn=lambda r: not r.prescriber),
    Column("Sent", lambda r: _d(r.sent_on), lambda r: r.sent_on),
]
REVIEW_COLUMNS: list[Column[ReviewDueRow]] = [
    Column("Patient", lambda r: r.patient_name),
    Column("Review", lambda r: ("CMR (new enrollee)" if r.new_enrollee else "CMR")
           if r.kind == "cmr" else "TMR (quarterly)"),
    Column("Due", lambda r: _d(r.due_on), lambda r: r.due_on),
    Column("Status", lambda r: _overdue(-r.days_until), lambda r: r.days_until,
           warn=lambda r: r.days_until < 0),
]
DRAFT_COLUMNS: list[Column[DraftRow]] = [
    Column("Patient", lambda r: r.patient_name),
    Column("Visit", lambda r: _service(r.service)),
    Column("Date", lambda r: _d(r.visit_date), lambda r: r.visit_date),
    Column("Stopped at", lambda r: r.step.replace("_", " ").capitalize()),
]


class DashboardTableView(QTableView):
    """Signals:
        row_activated(object): a row was double-clicked or Enter was pressed on it.
    """

    row_activated = Signal(object)

    def __init__(self, model: RowTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # rows come
        self.setSortingEnabled(True)  # most urgent first; a header click sorts by that column
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setResizeContentsPrecision(40)  # size columns from 40 rows
        self.activated.connect(self._on_self_activated)

    @Slot(QModelIndex)
    def _on_self_activated(self, index: QModelIndex) -> None:
        row = self.model().data(index, Qt.ItemDataRole.UserRole)
        if row is not None:
            self.row_activated.emit(row)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._on_self_activated(self.currentIndex())
            return
        super().keyPressEvent(event)


class DashboardPage(QWidget):
    """Signals:
        patient_requested(int): open this patient's chart.
        chart_page_requested(int, str): open this patient's chart at the named tab.
        visit_requested(int, int, str): open (patient id, visit id, step) of a visit.
        follow_up_requested(int, int): start the follow-up (patient id, follow-up id).
        review_requested(int, str): start (or resume) the MTM review due ("cmr" or "tmr").
        chart_row_requested(int, str, int): open the chart's "Visits" or "Problems" page at
            a visit or problem (patient id, page, visit or problem id).
    """

    patient_requested = Signal(int)
    chart_page_requested = Signal(int, str)
    visit_requested = Signal(int, int, str)
    follow_up_requested = Signal(int, int)
    review_requested = Signal(int, str)
    chart_row_requested = Signal(int, str, int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = DashboardService(ctx.store)
        self.dashboard: Dashboard | None = None
        self._stale = True
        self._sized: set[str] = set()
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.calendar_button = QPushButton("Export to &calendar…")
        self.calendar_button.setToolTip("Save upcoming follow-ups as an iCalendar (.ics) file; "
                                        "events show initials or the record number only")
        self.calendar_button.clicked.connect(self._on_calendar_button_clicked)
        self.offer_button = QPushButton("Record CMR o&ffer…")
        self.offer_button.setToolTip("For the CMR selected in 'CMR/TMR due': the day it was "
                                     "offered and how (the plans report it)")
        self.offer_button.clicked.connect(self._on_offer_button_clicked)
        self.offer_button.setEnabled(False)
        self.follow_ups = RowTableModel(FOLLOW_UP_COLUMNS, self)
        self.problems = RowTableModel(PROBLEM_COLUMNS, self)
        self.recommendations = RowTableModel(RECOMMENDATION_COLUMNS, self)
        self.reviews = RowTableModel(REVIEW_COLUMNS, self)
        self.drafts = RowTableModel(DRAFT_COLUMNS, self)
        self.tabs = QTabWidget()
        self.views: dict[str, DashboardTableView] = {}
        for key, model in (("follow_ups", self.follow_ups), ("problems", self.problems),
                           ("recommendations", self.recommendations),
                           ("reviews", self.reviews), ("drafts", self.drafts)):
            view = DashboardTableView(model)
            view.setObjectName(f"dashboard_{key}")
            view.row_activated.connect(self._on_view_row_activated)
            remember(view, f"dashboard.{key}")  # widths and sort kept between sessions
            self.views[key] = view
            self.tabs.addTab(view, "")
        self.views["reviews"].selectionModel().currentRowChanged.connect(
            self._on_reviews_current_changed)
        self.tabs.currentChanged.connect(self._on_reviews_current_changed)
        # No pharmacist profile (a store made with `mmsdesk demo`, or Settings never filled
        # in): said at the top, with the way to Settings (the document preview says it too).
        self.practice_note = QLabel()
        self.practice_note.setWordWrap(True)
        self.practice_note.setAccessibleName("Pharmacist profile missing")
        self.practice_note.setStyleSheet(f"color: {readable(ERROR).name()}; font-weight: bold")
        self.practice_button = QPushButton("Enter practice de&tails…")
        self.practice_button.setToolTip("Settings ▸ Profile: your name, NPI, phone and address "
                                        "for letterheads, signatures and bills")
        self.practice_button.clicked.connect(self._on_practice_button_clicked)
        self.practice_bar = QWidget()
        pbar = QHBoxLayout(self.practice_bar)
        pbar.setContentsMargins(0, 0, 0, 4)
        pbar.addWidget(self.practice_note, 1)
        pbar.addWidget(self.practice_button)
        self.practice_bar.hide()
        head = QHBoxLayout()
        names = QVBoxLayout()
        names.addWidget(self.title)
        names.addWidget(self.summary)
        head.addLayout(names, 1)
        head.addWidget(self.offer_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.calendar_button, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignTop)
        lay = QVBoxLayout(self)
        lay.addWidget(self.practice_bar)
        lay.addLayout(head)
        lay.addWidget(self.tabs, 1)
        hint = QLabel("Double-click a row, or press Enter, to open it.")
        hint.setEnabled(False)
        lay.addWidget(hint)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self.refresh()

    def show_practice_missing(self) -> None:
        """No pharmacist profile at all: said here (details left empty in a profile are said
        where they matter, in the document preview)."""
        from mmsdesk.services.practice import PracticeService

        none = PracticeService(self.ctx.store).profile() is None
        self.practice_note.setText(
            "No pharmacist profile: documents and bills print without your name, phone, "
            "address and NPI. Enter them in Settings." if none else "")
        self.practice_bar.setVisible(none)

    @Slot()
    def _on_practice_button_clicked(self) -> None:
        self.open_practice_settings()

    def open_practice_settings(self):  # type: ignore[no-untyped-def]
        """Settings at the profile (the window's own Settings action when it has one)."""
        actions = getattr(self.window(), "practice_actions", None)
        if actions is not None:
            return actions.open_settings("Profile")
        from mmsdesk.services.practice import PracticeService
        from mmsdesk.ui.setup.settings_dialog import SettingsDialog

        dlg = SettingsDialog(PracticeService(self.ctx.store), self)
        dlg.show_tab("Profile")
        dlg.accepted.connect(lambda: self.ctx.events.publish(
            dlg.change or ChangeSet.of(changes.PRACTICE)))
        dlg.finished.connect(dlg.deleteLater)
        dlg.open()
        return dlg

    @Slot()
    def refresh(self) -> None:
        self.show_practice_missing()
        today = self.ctx.today()
        d = self.service.load(today)
        self.dashboard = d
        self._stale = False
        self.follow_ups.set_rows(d.follow_ups)
        self.problems.set_rows(d.open_problems)
        self.recommendations.set_rows(d.pending_recommendations)
        self.reviews.set_rows(d.reviews_due)
        self.drafts.set_rows(d.drafts)
        t = d.totals
        titles = (f"Follow-ups due ({t.follow_ups})", f"Open problems ({t.open_problems})",
                  f"Waiting for prescriber ({t.pending_recommendations})",
                  f"CMR/TMR due ({t.reviews_due})", f"Unfinished visits ({t.drafts})")
        for i, title in enumerate(titles):
            self.tabs.setTabText(i, title)
            self.tabs.widget(i).setAccessibleName(title)  # the table says what it lists
        self.title.setText(f"Today, {today.strftime('%A')} {_d(today)}")
        shown = max(len(d.follow_ups), len(d.open_problems), len(d.pending_recommendations),
                    len(d.reviews_due), len(d.drafts))
        self.summary.setText(
            f"{t.overdue_follow_ups} follow-ups overdue, {t.due_today} due today · "
            f"{t.open_problems} open problems in {t.patients_with_open_problems} patients · "
            f"{t.pending_recommendations} recommendations waiting for an answer · "
            f"{t.reviews_due} MTM reviews due within 30 days · {t.drafts} unfinished visits"
            + (f"\nLong lists show their {d.limit} most urgent rows." if shown >= d.limit else ""))
        for key, view in self.views.items():  # size each list once it has rows; later
            if key not in self._sized and view.model().rowCount():  # refreshes keep the widths
                self._sized.add(key)
                memory = memory_of(view)
                if memory is not None:
                    memory.fitting = True
                view.resizeColumnsToContents()
                if memory is not None:
                    memory.fitting = False
                    memory.apply_widths()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._stale or (self.dashboard is not None and self.dashboard.today != self.ctx.today()):
            self.refresh()
        super().showEvent(event)

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if change.touches(*WATCHED):
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def export_calendar(self, path: Path, identify: str = "initials",
                        days: int = CALENDAR_DAYS) -> int:
        """Write upcoming follow-ups as .ics; returns how many were written."""
        text, n = follow_ups_calendar(self.ctx.store, self.ctx.today(), identify, days)
        path.write_text(text, encoding="utf-8", newline="")
        return n

    @Slot()
    def _on_calendar_button_clicked(self) -> None:
        choices = ["Initials (J.M.)", "Record number (patient #12)"]
        choice, ok = QInputDialog.getItem(self, "Export follow-ups",
                                          "How should calendar events name the patient?",
                                          choices, 0, False)
        if not ok:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Export follow-ups",
                                              str(Path.home() / "mmsdesk-follow-ups.ics"),
                                              "iCalendar (*.ics)")
        if not name:
            return
        try:
            n = self.export_calendar(Path(name), "initials" if choice == choices[0] else "id")
        except OSError as exc:
            QMessageBox.warning(self, "Export follow-ups", f"Could not write the file: {exc.strerror}")
            return
        self.summary.setText(self.summary.text() + f" · {n} follow-ups exported")

    def selected_review(self) -> ReviewDueRow | None:
        """The CMR row selected in 'CMR/TMR due' while that list is shown."""
        view = self.views["reviews"]
        if self.tabs.currentWidget() is not view or not view.currentIndex().isValid():
            return None
        row = self.reviews.data(view.currentIndex(), Qt.ItemDataRole.UserRole)
        return row if isinstance(row, ReviewDueRow) and row.kind == "cmr" else None

    @Slot()
    def _on_reviews_current_changed(self, *_: object) -> None:
        self.offer_button.setEnabled(self.selected_review() is not None)

    @Slot()
    def _on_offer_button_clicked(self) -> None:
        self.open_offer()

    def open_offer(self):  # type: ignore[no-untyped-def]
        """Record the offer of the selected CMR (window-modal, returns at once); None when no
        CMR is selected."""
        from mmsdesk.ui.chart.cmr_offer_dialog import CmrOfferDialog

        row = self.selected_review()
        if row is None:
            return None
        dlg = CmrOfferDialog(self.ctx, row.patient_id, self)
        dlg.setWindowTitle(f"Record CMR offer — {row.patient_name}")
        dlg.accepted.connect(lambda: self.ctx.events.publish(dlg.change)
                             if dlg.change is not None else None)
        dlg.finished.connect(dlg.deleteLater)
        dlg.open()
        return dlg

    @Slot(object)
    def _on_view_row_activated(self, row: object) -> None:
        if isinstance(row, FollowUpRow):
            self.follow_up_requested.emit(row.patient_id, row.follow_up_id)
            if row.visit_id is not None:  # the chart behind shows the visit that planned it
                self.chart_row_requested.emit(row.patient_id, "Visits", row.visit_id)
        elif isinstance(row, DraftRow):
            self.visit_requested.emit(row.patient_id, row.visit_id, row.step)
            self.chart_row_requested.emit(row.patient_id, "Visits", row.visit_id)
        elif isinstance(row, ReviewDueRow):  # the MTM tab behind the review it starts
            self.chart_page_requested.emit(row.patient_id, "MTM")
            self.review_requested.emit(row.patient_id, row.kind)
        elif isinstance(row, PendingRecommendationRow):
            self.open_reply(row)
        elif isinstance(row, PatientProblemsRow):
            self.chart_row_requested.emit(row.patient_id, "Problems",
                                          row.oldest_problem_id or -1)

    def open_reply(self, row: PendingRecommendationRow):  # type: ignore[no-untyped-def]
        """Record the prescriber's answer to a recommendation (window-modal, returns at once)."""
        from mmsdesk.services.visits.service import VisitService
        from mmsdesk.ui.dialogs.prescriber_reply_dialog import PrescriberReplyDialog

        rec = VisitService(self.ctx.store).recommendation(row.recommendation_id)
        to = f" to {rec.prescriber}" if rec.prescriber else ""
        sent = f", sent{to} on {row.sent_on:%m/%d/%Y}" if row.sent_on else to
        summary = (f"<b>{html.escape(row.patient_name)}</b>{html.escape(sent)} "
                   f"({row.days_waiting} days waiting):<br>{html.escape(rec.text or '—')}")
        dlg = PrescriberReplyDialog(self.ctx, row.recommendation_id, row.patient_id, summary,
                                    rec.sent_on, self)
        if row.problem_id is not None:  # "Open the chart": at the problem it answers
            dlg.chart_requested.connect(lambda pid, prob=row.problem_id:
                                        self.chart_row_requested.emit(pid, "Problems", prob))
        else:
            dlg.chart_requested.connect(self.patient_requested)
        dlg.finished.connect(dlg.deleteLater)
        dlg.open()
        return dlg
