"""Chart page: this patient's audit trail (what changed when; hashes only, never contents)."""

from __future__ import annotations

from datetime import UTC

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services.changes import ChangeSet
from mmsdesk.store.audit import events_for_patient
from mmsdesk.store.audit_check import AuditCheck, check_audit
from mmsdesk.store.server import is_server_url
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.widgets.theme import error_style

ACTION_LABELS = {"create": "Created", "update": "Changed", "delete": "Deleted",
                 "print": "Printed", "export": "Exported", "import": "Imported"}
COLUMNS = ("When", "By", "Action", "Record", "Record id", "Content hash", "Detail")
HASH_COLUMN = COLUMNS.index("Content hash")


def record_label(entity: str) -> str:
    return entity.replace("_", " ").capitalize()


class AuditTrailPage(QWidget):
    """Newest first; the whole store's hash chain is checked each time the page is shown."""

    title = "Audit trail"

    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id = patient_id
        self.status = QLabel()
        self.status.setObjectName("auditChainStatus")
        self.status.setWordWrap(True)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.clicked.connect(self._on_refresh_clicked)
        self.deep_button = QPushButton("Check every &record")
        self.deep_button.setToolTip("Compare every record of the store with its last audit entry, "
                                    "to find a change made outside MMS Desk (a few seconds)")
        self.deep_button.clicked.connect(self._on_deep_button_clicked)
        head = QHBoxLayout()
        head.addWidget(self.status, 1)
        head.addWidget(self.deep_button)
        head.addWidget(self.refresh_button)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName("Audit entries")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        lay = QVBoxLayout(self)
        lay.addLayout(head)
        lay.addWidget(self.table, 1)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self._stale = True

    def refresh(self) -> None:
        store = self.ctx.store
        with store.session() as s:
            rows = events_for_patient(s, self.patient_id)
        self.show_check(check_audit(store), len(rows))
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            when = r.at.replace(tzinfo=UTC).astimezone().strftime("%m/%d/%Y %H:%M:%S")
            cells = (when, r.actor, ACTION_LABELS.get(r.action, r.action.capitalize()),
                     record_label(r.entity), r.entity_id,
                     r.after_hash[:16] or r.before_hash[:16], r.detail)
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == HASH_COLUMN:
                    item.setToolTip(f"before: {r.before_hash or '—'}\nafter: {r.after_hash or '—'}")
                self.table.setItem(i, j, item)
        self._stale = False

    def show_check(self, check: AuditCheck, patient_rows: int | None = None) -> None:
        """The store-wide result: the chain, the seal on its head and, after "Check every
        record", every record against its last entry."""
        if patient_rows is None:
            patient_rows = self.table.rowCount()
        if check.ok:
            deep = (f" All {check.records_checked} records match their last entry."
                    if check.deep else "")
            self.status.setText(f"History intact: all {check.chain.rows} audit entries of the "
                                f"store check out.{deep} {patient_rows} concern this patient.")
            self.status.setStyleSheet("")
            self.status.setToolTip(check.head.note)
        else:
            kept = ("a copy of the database" if is_server_url(self.ctx.store.where)
                    else "this file")
            self.status.setText(f"History BROKEN: {check.summary()}. Restore a backup or keep "
                                f"{kept} as evidence.")
            self.status.setStyleSheet(error_style("font-weight: 600;"))
            self.status.setToolTip("\n".join(check.records[:50]))

    @Slot()
    def _on_deep_button_clicked(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.show_check(check_audit(self.ctx.store, deep=True))
        finally:
            QApplication.restoreOverrideCursor()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._stale:
            self.refresh()

    @Slot()
    def _on_refresh_clicked(self) -> None:
        self.refresh()

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if self.patient_id in change.patient_ids or not change.patient_ids:
            self._stale = True
            if self.isVisible():
                self.refresh()


__all__ = ["AuditTrailPage"]
