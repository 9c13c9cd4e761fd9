"""Assess › Problems: the screening alerts, each turned into a drug therapy problem in one
click, and problems added by hand in the seven categories with cause and priority."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.models.enums import PROBLEM_CATEGORY_LABELS, Priority
from mmsdesk.services.visits.draft import ProblemDraft, new_key
from mmsdesk.ui.qtmodels.row_table import Column
from mmsdesk.ui.visit.base import choice, line, named, set_choice
from mmsdesk.ui.visit.models import DraftListModel, rows_fit_text
from mmsdesk.ui.widgets.form import FieldForm
from mmsdesk.ui.widgets.tables import fit_columns, make_table, selected_row

if TYPE_CHECKING:
    from mmsdesk.ui.visit.assess_page import AssessPage

PRIORITY_LABELS = {Priority.HIGH: "High", Priority.MEDIUM: "Medium", Priority.LOW: "Low"}
SEVERITY_LABELS = {"high": "High", "moderate": "Moderate", "low": "Low"}
PROBLEM_COLUMNS: list[Column[ProblemDraft]] = [
    Column("Category", lambda p: PROBLEM_CATEGORY_LABELS.get(p.category, "— choose —"),
           warn=lambda p: not p.category),
    Column("Problem", lambda p: p.description),
    Column("Medicines", lambda p: ", ".join(p.medications)),
    Column("Priority", lambda p: PRIORITY_LABELS.get(p.priority, p.priority)),
    Column("From", lambda p: "alert" if p.alert_key else
           "earlier visit" if p.existing_problem_id else "added"),
]


def _problem_from_alert(alert: Any) -> ProblemDraft:
    from mmsdesk.services.visits.service import problem_from_alert

    return problem_from_alert(alert)  # type: ignore[no-any-return]


class ProblemsPanel(QWidget):
    def __init__(self, page: AssessPage) -> None:
        super().__init__()
        self.page = page
        self.alerts: list[Any] = []
        self.new_keys: frozenset[str] = frozenset()
        self.resolved: list[Any] = []
        self.alert_list = named(QListWidget(), "Screening alerts")
        self.alert_list.setWordWrap(True)
        self.alert_list.itemActivated.connect(self._on_alert_list_item_activated)
        self.alert_list.currentRowChanged.connect(self._on_alert_list_current_row_changed)
        self.from_alert = named(QPushButton("Make a problem from the &alert"),
                                "Make a problem from the selected alert")
        self.from_alert.clicked.connect(self._on_from_alert_clicked)
        self.alert_detail = QLabel()
        self.alert_detail.setWordWrap(True)
        self.alert_detail.setAccessibleName("Alert detail")
        left = QGroupBox("Screening alerts")
        ll = QVBoxLayout(left)
        ll.addWidget(self.alert_list, 1)
        ll.addWidget(self.alert_detail)
        ll.addWidget(self.from_alert)
        self.model = DraftListModel(PROBLEM_COLUMNS, self)
        self.table = rows_fit_text(make_table("Drug therapy problems", stretch=1))
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.add_button = named(QPushButton("Add problem by &hand"), "Add a problem by hand")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button = named(QPushButton("Remove problem"), "Remove the selected problem")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.form = FieldForm()
        self.category = self.form.add_field("category", "Cate&gory:", choice(
            "Category", PROBLEM_CATEGORY_LABELS, "— choose —"))
        self.description = self.form.add_field("description", "Probl&em:", line(
            "Problem", "what is wrong, in a sentence"))
        self.cause = self.form.add_field("cause", "&Cause:", line(
            "Cause", "for example: drug interaction, cost, forgets evening doses"))
        self.medicines = self.form.add_field("medicines", "Me&dicines:", line(
            "Medicines", "generic names, comma-separated"))
        self.priority = self.form.add_field("priority", "Priorit&y:", choice(
            "Priority", PRIORITY_LABELS))
        self.category.currentIndexChanged.connect(self._on_editor_changed)
        self.priority.currentIndexChanged.connect(self._on_editor_changed)
        for edit in (self.description, self.cause, self.medicines):
            edit.textEdited.connect(self._on_editor_changed)
        editor = QGroupBox("Selected problem")
        editor.setLayout(self.form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(QLabel("<b>Drug therapy problems</b>"))
        rl.addWidget(self.table, 1)
        rl.addLayout(buttons)
        rl.addWidget(editor)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([360, 640])
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        self._filling = False

    def load(self, alerts: list[Any], new_keys: frozenset[str] = frozenset(),
             resolved: list[Any] | None = None) -> None:
        """``new_keys``: alerts the visit's decisions bring; ``resolved``: the chart's alerts
        that they end (shown apart, greyed)."""
        self.alerts = alerts
        self.new_keys = new_keys
        self.resolved = list(resolved or [])
        self.model.bind(self.page.draft.assess.problems)
        self._fill_alerts()
        fit_columns(self.table, cap=200)
        if self.page.draft.assess.problems:
            self.table.selectRow(0)
        else:
            self._set_editor_enabled(False)

    def _fill_alerts(self) -> None:
        used = {p.alert_key for p in self.page.draft.assess.problems if p.alert_key}
        row = max(0, self.alert_list.currentRow())
        self.alert_list.clear()
        for alert in self.alerts:
            done = alert.key in used
            text = f"{SEVERITY_LABELS.get(alert.severity, alert.severity)} · {alert.title}"
            if alert.key in self.new_keys:
                text = "NEW (from this visit's list) · " + text
            item = QListWidgetItem(("✓ " if done else "") + text + ("  (problem added)" if done else ""))
            item.setData(Qt.ItemDataRole.UserRole, alert)
            item.setToolTip(alert.detail)
            self.alert_list.addItem(item)
        if not self.alerts:
            self.alert_list.addItem("No screening alerts for the visit's list.")
        for alert in self.resolved:
            item = QListWidgetItem(f"Resolved by the reconciliation · {alert.title}")
            item.setFlags(Qt.ItemFlag.NoItemFlags)  # shown, not a problem to make
            item.setToolTip(alert.detail)
            self.alert_list.addItem(item)
        self.alert_list.setCurrentRow(min(row, self.alert_list.count() - 1))

    def alert_keys(self) -> list[str]:
        return [a.key for a in self.alerts]

    # -- alerts
    @Slot(int)
    def _on_alert_list_current_row_changed(self, row: int) -> None:
        alert = self.alerts[row] if 0 <= row < len(self.alerts) else None
        used = {p.alert_key for p in self.page.draft.assess.problems}
        self.from_alert.setEnabled(alert is not None and alert.key not in used)
        self.alert_detail.setText(f"{alert.detail}\nSuggested: {alert.recommendation}"
                                  if alert is not None else "")

    @Slot(QListWidgetItem)
    def _on_alert_list_item_activated(self, _item: QListWidgetItem) -> None:
        self._on_from_alert_clicked()

    @Slot()
    def _on_from_alert_clicked(self) -> None:
        row = self.alert_list.currentRow()
        if 0 <= row < len(self.alerts):
            self.problem_from_alert(self.alerts[row].key)

    def problem_from_alert(self, key: str) -> ProblemDraft | None:
        alert = next((a for a in self.alerts if a.key == key), None)
        problems = self.page.draft.assess.problems
        if alert is None or any(p.alert_key == key for p in problems):
            return None
        problem = _problem_from_alert(alert)
        self._append(problem)
        return problem

    # -- problems
    def _append(self, problem: ProblemDraft) -> None:
        problems = self.page.draft.assess.problems
        self.model.beginInsertRows(self.model.index(0, 0).parent(), len(problems), len(problems))
        problems.append(problem)
        self.model.endInsertRows()
        fit_columns(self.table, cap=200)
        self.table.selectRow(len(problems) - 1)
        self._fill_alerts()
        self.page.changed()

    @Slot()
    def _on_add_clicked(self) -> None:
        self._append(ProblemDraft(new_key(), "", ""))
        self.category.setFocus()

    @Slot()
    def _on_remove_clicked(self) -> None:
        row = selected_row(self.table)
        problems = self.page.draft.assess.problems
        if row is None or row >= len(problems):
            return
        key = problems[row].key
        self.model.beginResetModel()
        del problems[row]
        self.model.endResetModel()
        plan = self.page.draft.plan
        plan.plans = [p for p in plan.plans if p.problem_key != key]
        for g in plan.goals:
            if g.problem_key == key:
                g.problem_key = ""
        self._fill_alerts()
        if problems:
            self.table.selectRow(min(row, len(problems) - 1))
        else:
            self._set_editor_enabled(False)
        self.page.changed()

    def current(self) -> tuple[int, ProblemDraft] | None:
        row = selected_row(self.table)
        rows = self.page.draft.assess.problems
        return (row, rows[row]) if row is not None and row < len(rows) else None

    def _set_editor_enabled(self, on: bool) -> None:
        for w in (self.category, self.description, self.cause, self.medicines, self.priority,
                  self.remove_button):
            w.setEnabled(on)

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, *_a: object) -> None:
        cur = self.current()
        self._set_editor_enabled(cur is not None)
        if cur is None:
            return
        p = cur[1]
        self._filling = True
        set_choice(self.category, p.category)
        self.description.setText(p.description)
        self.cause.setText(p.cause)
        self.medicines.setText(", ".join(p.medications))
        set_choice(self.priority, p.priority)
        self._filling = False

    @Slot()
    def _on_editor_changed(self, *_a: object) -> None:
        cur = self.current()
        if self._filling or cur is None:
            return
        row, p = cur
        p.category = str(self.category.currentData() or "")
        p.description = self.description.text()
        p.cause = self.cause.text()
        p.medications = [m.strip() for m in self.medicines.text().split(",") if m.strip()]
        p.priority = str(self.priority.currentData())
        self.model.row_changed(row)
        self.page.changed()
