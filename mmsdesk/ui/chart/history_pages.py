"""Chart pages for the history: Visits (every visit; open one read-only, reprint its
documents, resume a draft) and Problems (every drug therapy problem with its recommendations,
the prescriber's answers, outcome and history). The dashboard opens them at the row it names."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.chart_history import (
    VISIT_STATUS,
    ChartHistoryService,
    ProblemHistoryRow,
    VisitDetail,
    VisitHistoryRow,
)
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.qtmodels.row_table import Column, RowTableModel
from mmsdesk.ui.widgets.table_state import remember
from mmsdesk.ui.widgets.tables import fit_columns, make_table, selected_row


def _d(day) -> str:  # type: ignore[no-untyped-def]
    return day.strftime("%m/%d/%Y") if day else ""


VISIT_COLUMNS: list[Column[VisitHistoryRow]] = [
    Column("Date", lambda r: _d(r.visit_date), lambda r: (r.visit_date, r.visit_id)),
    Column("Service", lambda r: r.service),
    Column("Modality", lambda r: r.modality),
    Column("Minutes", lambda r: "" if r.minutes is None else str(r.minutes),
           lambda r: r.minutes or 0, align_right=True),
    Column("Status", lambda r: r.status + (f" (at {r.step.replace('_', ' ')})"
                                           if r.is_draft else ""), warn=lambda r: r.is_draft),
]
PROBLEM_COLUMNS: list[Column[ProblemHistoryRow]] = [
    Column("Identified", lambda r: _d(r.identified_on), lambda r: (r.identified_on, r.problem_id)),
    Column("Category", lambda r: r.category),
    Column("Problem", lambda r: r.description),
    Column("Medicines", lambda r: r.medicines),
    Column("Status", lambda r: r.status, warn=lambda r: r.is_open and r.priority == "high"),
    Column("Outcome", lambda r: r.outcome or "—"),
]


def _chart(widget: QWidget):  # type: ignore[no-untyped-def]
    """The ChartPage this page sits in (it opens documents and visits)."""
    w = widget.parentWidget()
    while w is not None and not hasattr(w, "open_documents"):
        w = w.parentWidget()
    return w


def _select(view, model: RowTableModel, match) -> bool:  # type: ignore[no-untyped-def]
    for i, row in enumerate(model.rows):
        if match(row):
            view.selectRow(i)
            view.scrollTo(model.index(i, 0))
            view.setFocus()
            return True
    return False


class VisitsPage(QWidget):
    title = "Visits"

    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.patient_id = ctx, patient_id
        self.service = ChartHistoryService(ctx.store)
        self.model: RowTableModel[VisitHistoryRow] = RowTableModel(VISIT_COLUMNS, self)
        self.table = make_table("Visits", stretch=1)
        self.table.setModel(self.model)
        self.table.setWordWrap(False)
        remember(self.table, "chart.visits")
        self.table.activated.connect(self._on_table_activated)
        self.open_button = QPushButton("&Open (read-only)…")
        self.open_button.clicked.connect(self._on_open_clicked)
        self.reprint_button = QPushButton("&Reprint documents…")
        self.reprint_button.clicked.connect(self._on_reprint_clicked)
        self.resume_button = QPushButton("Res&ume visit")
        self.resume_button.setToolTip("Go on with an unfinished visit where it was left")
        self.resume_button.clicked.connect(self._on_resume_clicked)
        self.careplan_button = QPushButton("Export e&Care Plan (FHIR)…")
        self.careplan_button.setToolTip("Write the completed visit as a Pharmacist eCare Plan "
                                        "(HL7 FHIR R4 document) for a plan, vendor or clinic")
        self.careplan_button.clicked.connect(self._on_careplan_clicked)
        self.smp_button = QPushButton("Export medication &profile (SMP)…")
        self.smp_button.setToolTip("Write the current medication list as an HL7 Standardized "
                                   "Medication Profile; with a completed visit selected, its "
                                   "Medication Action Plan too")
        self.smp_button.clicked.connect(self._on_smp_clicked)
        self.summary = QLabel()
        buttons = QHBoxLayout()
        for b in (self.open_button, self.reprint_button, self.resume_button,
                  self.careplan_button, self.smp_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.summary)
        lay = QVBoxLayout(self)
        lay.addLayout(buttons)
        lay.addWidget(self.table, 1)
        hint = QLabel("Double-click a visit, or press Enter, to read it.")
        hint.setEnabled(False)
        lay.addWidget(hint)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self.refresh()

    def refresh(self) -> None:
        rows = self.service.visits(self.patient_id)
        self.model.set_rows(rows)
        fit_columns(self.table, rows=False, cap=260)
        done = sum(not r.is_draft for r in rows)
        self.summary.setText(f"{len(rows)} visit{'s' if len(rows) != 1 else ''} · {done} "
                             f"complete · {len(rows) - done} unfinished")
        if rows and selected_row(self.table) is None:
            self.table.selectRow(0)  # the latest: its buttons ready
        self._on_selection_changed()

    def selected(self) -> VisitHistoryRow | None:
        i = selected_row(self.table)
        return self.model.rows[i] if i is not None and i < len(self.model.rows) else None

    def select_visit(self, visit_id: int) -> bool:
        return _select(self.table, self.model, lambda r: r.visit_id == visit_id)

    @Slot()
    def _on_selection_changed(self, *_args: object) -> None:
        row = self.selected()
        self.open_button.setEnabled(row is not None)
        self.reprint_button.setEnabled(row is not None and not row.is_draft)
        self.resume_button.setEnabled(row is not None and row.is_draft)
        self.careplan_button.setEnabled(row is not None and row.status == VISIT_STATUS["complete"])

    @Slot(QModelIndex)
    def _on_table_activated(self, _index: QModelIndex) -> None:
        self._on_open_clicked()

    @Slot()
    def _on_open_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_read_only(row.visit_id)

    def open_read_only(self, visit_id: int) -> VisitViewDialog:
        dlg = VisitViewDialog(self.service.visit_detail(visit_id), self)
        dlg.reprint_requested.connect(lambda: self.reprint(visit_id))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()
        return dlg

    @Slot()
    def _on_reprint_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.reprint(row.visit_id)

    def reprint(self, visit_id: int):  # type: ignore[no-untyped-def]
        chart = _chart(self)
        return chart.open_documents(visit_id=visit_id) if chart is not None else None

    @Slot()
    def _on_careplan_clicked(self) -> None:
        row = self.selected()
        if row is not None and row.status == VISIT_STATUS["complete"]:
            self.export_careplan(row.visit_id)

    def export_careplan(self, visit_id: int, path: str | None = None) -> int | None:
        """Ask where (unless ``path`` is given) and write the visit's eCare Plan."""
        from mmsdesk.services.careplan_export import export_careplan

        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export eCare Plan",
                                                  f"careplan-visit-{visit_id}.json",
                                                  "FHIR JSON (*.json)")
            if not path:
                return None
        n = export_careplan(self.ctx.store, visit_id, path)
        self.summary.setText(f"eCare Plan written ({n} resources).")
        return n

    @Slot()
    def _on_smp_clicked(self) -> None:
        row = self.selected()
        self.export_smp(row.visit_id if row is not None
                        and row.status == VISIT_STATUS["complete"] else None)

    def export_smp(self, visit_id: int | None, path: str | None = None) -> int | None:
        """Ask where (unless ``path`` is given) and write the medication profile, with the
        visit's action plan when ``visit_id`` is given."""
        from mmsdesk.services.smp_export import export_smp

        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export medication profile",
                                                  "medication-profile.json",
                                                  "FHIR JSON (*.json)")
            if not path:
                return None
        n = export_smp(self.ctx.store, self.patient_id, path, visit_id, self.ctx.today())
        self.summary.setText(f"Medication profile written ({n} resources).")
        return n

    @Slot()
    def _on_resume_clicked(self) -> None:
        row = self.selected()
        chart = _chart(self)
        if row is not None and row.is_draft and chart is not None:
            chart.open_visit(row.visit_id, row.step)

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if self.patient_id in change.patient_ids or not change.patient_ids:
            if change.touches(changes.VISITS):
                self.refresh()


class VisitViewDialog(QDialog):
    """A visit as recorded, read-only, with a button to reprint its documents.

    Signals:
        reprint_requested(): open the document preview for this visit.
    """

    reprint_requested = Signal()

    def __init__(self, detail: VisitDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        r = detail.row
        self.setWindowTitle(f"{r.service}, {_d(r.visit_date)} (read-only)")
        self.text = QTextBrowser()
        self.text.setAccessibleName("Visit (read-only)")
        self.text.setHtml(visit_html(detail))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.reprint_button = self.buttons.addButton(
            "&Reprint documents…", QDialogButtonBox.ButtonRole.ActionRole)
        self.reprint_button.setEnabled(not r.is_draft)
        self.reprint_button.clicked.connect(self._on_reprint_clicked)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.buttons)
        self.resize(720, 560)

    @Slot()
    def _on_reprint_clicked(self) -> None:
        self.reprint_requested.emit()


def visit_html(d: VisitDetail) -> str:
    r = d.row
    e = html.escape

    def section(title: str, lines: tuple[str, ...] | list[str], empty: str) -> str:
        items = "".join(f"<li>{e(x)}</li>" for x in lines)
        return f"<h3>{e(title)}</h3>" + (f"<ul>{items}</ul>" if lines else f"<p>{e(empty)}</p>")

    minutes = f"{r.minutes} minutes" if r.minutes is not None else "minutes not recorded"
    out = [f"<h2>{e(r.service)} · {_d(r.visit_date)}</h2>",
           f"<p>{e(r.modality)} · {e(minutes)} · {e(r.status)}</p>"]
    if d.reason:
        out.append(f"<p><b>Reason:</b> {e(d.reason)}</p>")
    out.append(section("Problems found", d.problems, "None recorded."))
    out.append(section("Recommendations", d.recommendations, "None recorded."))
    out.append(section("Goals", d.goals, "None recorded."))
    out.append(section("Follow-up", d.follow_ups, "None planned."))
    out.append(f"<h3>Documents</h3><p>{e(d.documents)}</p>")
    if d.billing:
        out.append(f"<h3>Billing</h3><p>{e(d.billing)}</p>")
    if d.notes:
        out.append(f"<h3>Notes</h3><p>{e(d.notes)}</p>")
    return "".join(out)


class ProblemsPage(QWidget):
    title = "Problems"

    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.patient_id = ctx, patient_id
        self.service = ChartHistoryService(ctx.store)
        self.model: RowTableModel[ProblemHistoryRow] = RowTableModel(PROBLEM_COLUMNS, self)
        self.table = make_table("Drug therapy problems", stretch=2)
        self.table.setModel(self.model)
        self.table.setWordWrap(False)
        remember(self.table, "chart.problems")
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Problem: recommendations, answers and history")
        self.summary = QLabel()
        self.open_visit_button = QPushButton("Open its &visit (read-only)…")
        self.open_visit_button.clicked.connect(self._on_open_visit_clicked)
        head = QHBoxLayout()
        head.addWidget(self.summary, 1)
        head.addWidget(self.open_visit_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(split, 1)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self.refresh()

    def refresh(self) -> None:
        rows = self.service.problems(self.patient_id)
        self.model.set_rows(rows)
        fit_columns(self.table, rows=False, cap=240)
        n_open = sum(r.is_open for r in rows)
        self.summary.setText(f"{n_open} open · {len(rows) - n_open} resolved or closed")
        if rows and selected_row(self.table) is None:
            self.table.selectRow(0)
        self._on_selection_changed()

    def selected(self) -> ProblemHistoryRow | None:
        i = selected_row(self.table)
        return self.model.rows[i] if i is not None and i < len(self.model.rows) else None

    def select_problem(self, problem_id: int) -> bool:
        return _select(self.table, self.model, lambda r: r.problem_id == problem_id)

    @Slot()
    def _on_selection_changed(self, *_args: object) -> None:
        row = self.selected()
        self.open_visit_button.setEnabled(row is not None and row.visit_id is not None)
        self.detail.setHtml(problem_html(row) if row is not None else "")

    @Slot()
    def _on_open_visit_clicked(self) -> None:
        row = self.selected()
        chart = _chart(self)
        if row is not None and row.visit_id is not None and chart is not None:
            chart.pages["Visits"].open_read_only(row.visit_id)

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if (self.patient_id in change.patient_ids or not change.patient_ids) and change.touches(
                changes.PROBLEMS, changes.VISITS):
            self.refresh()


def problem_html(r: ProblemHistoryRow) -> str:
    e = html.escape
    recs = "".join(f"<li>{e(x)}</li>" for x in r.recommendations) or "<li>None yet.</li>"
    hist = "".join(f"<li>{e(x)}</li>" for x in r.history)
    return (f"<h3>{e(r.category)}: {e(r.description)}</h3>"
            f"<p>Medicines: {e(r.medicines or '—')} · {e(r.status)} · priority {e(r.priority)}"
            f" · outcome: {e(r.outcome or 'not judged yet')}</p>"
            f"<p><b>Recommendations and answers</b></p><ul>{recs}</ul>"
            f"<p><b>History</b></p><ul>{hist}</ul>")
