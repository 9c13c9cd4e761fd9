"""The patient list: type to filter by name or date of birth, Enter opens the chart."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.patients import PatientService
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.qtmodels.patient_table import PatientTableModel


class PatientTableView(QTableView):
    """Signals:
        activated_row(int): Enter pressed on a row (the patient id).
    """

    activated_row = Signal(int)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.model().data(self.currentIndex(), Qt.ItemDataRole.UserRole))
            return
        super().keyPressEvent(event)


class PatientListPage(QWidget):
    """Signals:
        patient_selected(int): the user opened a patient's chart.
        new_patient_requested(): the user asked for a new patient.
    """

    patient_selected = Signal(int)
    new_patient_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = PatientService(ctx.store)
        self.search = QLineEdit()
        self.search.setObjectName("patient_search")
        self.search.setPlaceholderText("Find a patient by name or date of birth (Ctrl+F)")
        self.search.setAccessibleName("Find patient")
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton("&New patient")
        self.new_button.clicked.connect(self.new_patient_requested.emit)
        self.count_label = QLabel()
        self.model = PatientTableModel(ctx.today())
        self.table = PatientTableView()
        self.table.setObjectName("patient_table")
        self.table.setAccessibleName("Patients")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        vh = self.table.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(True)
        for col, width in enumerate((260, 110, 120, 60, 150, 150)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.activated_row.connect(self.patient_selected.emit)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        QShortcut(QKeySequence(Qt.Key.Key_Down), self.search, self.table.setFocus)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.count_label)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self.service.list_rows())
        self._update_count()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def select_patient(self, patient_id: int) -> None:
        row = self.model.row_of_patient(patient_id)
        if row is not None:
            self.table.selectRow(row)

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total_count()
        self.count_label.setText(f"{total} patients" if shown == total else f"{shown} of {total} patients")

    @Slot(str)
    def _on_search_text_changed(self, text: str) -> None:
        self.model.set_filter(text)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update_count()

    @Slot()
    def _on_search_return_pressed(self) -> None:
        if self.model.rowCount():
            row = max(self.table.currentIndex().row(), 0)
            self.patient_selected.emit(self.model.row_at(row).id)

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.patient_selected.emit(self.model.row_at(index.row()).id)

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if change.touches(changes.PATIENTS, changes.MEDICATIONS):
            self.reload()
