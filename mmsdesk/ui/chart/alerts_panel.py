"""Live alerts beside the chart: the screening engine's alerts for this patient, grouped by
severity, refreshed as soon as the medicines, allergies, conditions, labs or PGx results change.
Each alert shows its detail, recommendation and references; the pharmacist may acknowledge it
with a reason (kept; hidden for the same medicines until something it rests on changes)."""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services import changes
from mmsdesk.services.acknowledgements import AcknowledgementService
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.medications import MedicationService, unrecognised_alerts
from mmsdesk.services.validation import ValidationError
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.widgets.form import FieldForm
from mmsdesk.ui.widgets.theme import readable

SEVERITIES = (("high", "High", "#a4262c"), ("moderate", "Moderate", "#9a5b00"),
              ("low", "Low", "#3a5a8c"))
WATCHED = (changes.MEDICATIONS, changes.ALLERGIES, changes.CONDITIONS, changes.OBSERVATIONS,
           changes.PGX, changes.DEMOGRAPHICS, changes.ALERTS)

Screen = Callable[[Any, int, date], Any]  # (store, patient_id, today) -> ScreeningResult


def default_screen() -> Screen:
    from mmsdesk.services.screening import screen_patient

    return screen_patient  # type: ignore[no-any-return]


class AcknowledgeDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Acknowledge alert")
        head = QLabel(f"<b>{html.escape(title)}</b><br>The alert will be hidden for these "
                      "medicines until something it rests on changes. Your reason is kept.")
        head.setWordWrap(True)
        self.form = FieldForm()
        self.reason = self.form.add_field("reason", "&Reason:", QLineEdit())
        self.reason.setPlaceholderText("for example: prescriber aware, monitored by INR weekly")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addLayout(self.form)
        lay.addWidget(self.buttons)
        self.resize(500, 0)


class AlertsPanel(QWidget):
    """Signals:
        refreshed(int): the alerts were recomputed; carries the number shown.
    """

    refreshed = Signal(int)

    def __init__(self, ctx: AppContext, patient_id: int, screen: Screen | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.patient_id = ctx, patient_id
        self._screen = screen
        self.acks = AcknowledgementService(ctx.store)
        self.medications = MedicationService(ctx.store)
        self.alerts: list[Any] = []
        self.hidden: list[tuple[Any, Any]] = []
        self.last_refresh_ms = 0.0
        self.heading = QLabel()
        font = QFont(self.heading.font())
        font.setBold(True)
        self.heading.setFont(font)
        # Reasons the record may not be today's truth (deceased, old orders, stale labs).
        self.input_warnings: list[str] = []
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setAccessibleName("Input warnings")
        self.warnings.setVisible(False)
        self.show_acknowledged = QCheckBox("Show acknowledged")
        self.show_acknowledged.toggled.connect(self._on_show_acknowledged_toggled)
        self.tree = QListWidget()  # severity headings, then the alerts under each
        self.tree.setAccessibleName("Alerts")
        self.tree.setWordWrap(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setResizeMode(QListView.ResizeMode.Adjust)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.tree.currentItemChanged.connect(self._on_tree_current_item_changed)
        self.detail = QTextBrowser()
        self.detail.setOpenExternalLinks(False)
        self.detail.setAccessibleName("Alert detail")
        self.ack_button = QPushButton("&Acknowledge…")
        self.ack_button.setEnabled(False)
        self.ack_button.clicked.connect(self._on_ack_clicked)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        row = QHBoxLayout()
        row.addWidget(self.show_acknowledged)
        row.addStretch()
        row.addWidget(self.ack_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.heading)
        lay.addWidget(self.warnings)
        lay.addWidget(split, 1)
        lay.addLayout(row)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self.refresh()

    def screen(self) -> Screen:
        if self._screen is None:
            self._screen = default_screen()
        return self._screen

    def refresh(self) -> None:
        start = time.perf_counter()
        result = self.screen()(self.ctx.store, self.patient_id, self.ctx.today())
        alerts = list(result.alerts) + unrecognised_alerts(self.medications, self.patient_id)
        shown, hidden = self.acks.split(self.patient_id, alerts)
        self.alerts, self.hidden = list(shown), hidden
        self.input_warnings = list(getattr(result, "warnings", []))
        self.warnings.setText(
            "<b>Check the input:</b><ul>"
            + "".join(f"<li>{html.escape(w)}</li>" for w in self.input_warnings) + "</ul>")
        self.warnings.setVisible(bool(self.input_warnings))
        self._fill()
        self.last_refresh_ms = (time.perf_counter() - start) * 1000
        self.refreshed.emit(len(self.alerts))

    def _fill(self) -> None:
        current = self._current_key()
        self.tree.clear()
        n = len(self.alerts)
        self.heading.setText(f"Alerts ({n})" if n else "Alerts: none")
        extra = [(a, ack) for a, ack in self.hidden] if self.show_acknowledged.isChecked() else []
        self.show_acknowledged.setText(f"Show acknowledged ({len(self.hidden)})")
        select: QListWidgetItem | None = None
        for sev, label, colour in SEVERITIES:
            group = [(a, None) for a in self.alerts if a.severity == sev]
            group += [(a, ack) for a, ack in extra if a.severity == sev]
            if not group:
                continue
            top = QListWidgetItem(f"{label} ({len(group)})")
            top.setForeground(QBrush(readable(colour)))
            bold = QFont(self.tree.font())
            bold.setBold(True)
            top.setFont(bold)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addItem(top)
            for alert, ack in group:
                item = QListWidgetItem("   " + alert.title + ("  (acknowledged)" if ack else ""))
                item.setData(Qt.ItemDataRole.UserRole, (alert, ack))
                item.setToolTip(alert.title)
                self.tree.addItem(item)
                if alert.key == current:
                    select = item
        if select is not None:
            self.tree.setCurrentItem(select)
        else:
            self._show_detail(None)

    def _current_key(self) -> str | None:
        item = self.tree.currentItem()
        data = item.data(Qt.ItemDataRole.UserRole) if item else None
        return data[0].key if data else None

    def titles(self) -> list[str]:
        return [a.title for a in self.alerts]

    def select_alert(self, key: str) -> None:
        for i in range(self.tree.count()):
            data = self.tree.item(i).data(Qt.ItemDataRole.UserRole)
            if data and data[0].key == key:
                self.tree.setCurrentItem(self.tree.item(i))
                return

    def _show_detail(self, data: tuple[Any, Any] | None) -> None:
        self.ack_button.setEnabled(data is not None and data[1] is None)
        if data is None:
            self.detail.setHtml("<p>Select an alert to read its detail.</p>" if self.alerts
                                else "<p>No alerts for this patient's current record.</p>")
            return
        alert, ack = data
        refs = "".join(f"<li>{html.escape(str(r))}</li>" for r in _references(alert.references))
        parts = [f"<h3>{html.escape(alert.title)}</h3>",
                 f"<p>{html.escape(alert.detail)}</p>",
                 f"<p><b>Suggested:</b> {html.escape(alert.recommendation)}</p>",
                 f"<p><b>Medicines:</b> {html.escape(', '.join(alert.drugs))}</p>",
                 ("<p><b>Evidence:</b></p><ul>" + "".join(
                     f"<li>{html.escape(e)}</li>" for e in alert.evidence) + "</ul>")
                 if getattr(alert, "evidence", ()) else "",
                 f"<p><b>Sources:</b></p><ul>{refs}</ul>" if refs else ""]
        if ack is not None:
            parts.append(f"<p><i>Acknowledged {ack.acknowledged_at:%m/%d/%Y}: "
                         f"{html.escape(ack.reason)}</i></p>")
        self.detail.setHtml("".join(parts))

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_tree_current_item_changed(self, item: QListWidgetItem | None,
                                      _old: QListWidgetItem | None) -> None:
        self._show_detail(item.data(Qt.ItemDataRole.UserRole) if item else None)

    @Slot(bool)
    def _on_show_acknowledged_toggled(self, _checked: bool) -> None:
        self._fill()

    @Slot()
    def _on_ack_clicked(self) -> None:
        item = self.tree.currentItem()
        data = item.data(Qt.ItemDataRole.UserRole) if item else None
        if not data or data[1] is not None:
            return
        alert = data[0]
        dlg = AcknowledgeDialog(alert.title, self)
        change: ChangeSet | None = None

        def accept() -> None:
            nonlocal change
            try:
                change = self.acks.acknowledge(self.patient_id, alert, dlg.reason.text())
            except ValidationError as exc:
                dlg.form.show_errors(exc.errors)
                return
            dlg.accept()

        dlg.buttons.accepted.connect(accept)
        dlg.exec()
        dlg.deleteLater()
        if change is not None:
            self.ctx.events.publish(change)

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if self.patient_id in change.patient_ids and change.touches(*WATCHED):
            self.refresh()


def _references(refs: Sequence[Any] | str) -> list[str]:
    if isinstance(refs, str):
        return [refs]
    return [r if isinstance(r, str) else str(getattr(r, "citation", "") or r) for r in refs]
