"""Chart page: the care team (prescribers, pharmacies) and the caregivers."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services import changes
from mmsdesk.services.care_team import PHARMACY_KINDS, CareTeamService
from mmsdesk.services.changes import ChangeSet
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.dialogs.care_team_dialogs import PharmacyDialog, PrescriberDialog
from mmsdesk.ui.dialogs.record_dialog import FieldSpec, RecordDialog
from mmsdesk.ui.qtmodels.chart_table import ChartTableModel
from mmsdesk.ui.widgets.tables import fit_columns, make_table, selected_row


@dataclass
class CaregiverDraft:
    name: str = ""
    relationship: str = ""
    phone: str = ""
    is_emergency_contact: bool = False


CAREGIVER_SPECS = [FieldSpec("name", "&Name:"), FieldSpec("relationship", "&Relationship:"),
                   FieldSpec("phone", "&Phone:", placeholder="(555) 123-4567"),
                   FieldSpec("is_emergency_contact", "Emergency contact:", "check")]


class CareTeamPage(QWidget):
    title = "Care team"

    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.patient_id = ctx, patient_id
        self.service = CareTeamService(ctx.store)
        self.prescribers = ChartTableModel([
            ("Prescriber", lambda p: p.display_name),
            ("Role", lambda p: p.role + (" (primary care)" if p.is_primary_care and
                                         "primary" not in p.role else "")),
            ("Specialty", lambda p: p.specialty), ("Phone", lambda p: p.phone),
            ("Fax", lambda p: p.fax), ("Practice", lambda p: p.practice)], self)
        self.pharmacies = ChartTableModel([
            ("Pharmacy", lambda p: p.name), ("Kind", lambda p: PHARMACY_KINDS.get(p.kind, p.kind)),
            ("Primary", lambda p: "yes" if p.is_primary else ""), ("Phone", lambda p: p.phone),
            ("Fax", lambda p: p.fax)], self)
        self.caregivers = ChartTableModel([
            ("Name", lambda c: c.name), ("Relationship", lambda c: c.relationship),
            ("Phone", lambda c: c.phone),
            ("Emergency contact", lambda c: "yes" if c.is_emergency_contact else "")], self)
        lay = QVBoxLayout(self)
        self.prescriber_table = self._section(lay, "Prescribers", self.prescribers, [
            ("Add &new prescriber…", self._on_new_prescriber_clicked),
            ("&Link existing…", self._on_link_prescriber_clicked),
            ("Remove from team", self._on_unlink_prescriber_clicked)])
        self.pharmacy_table = self._section(lay, "Pharmacies", self.pharmacies, [
            ("Add new p&harmacy…", self._on_new_pharmacy_clicked),
            ("Link e&xisting…", self._on_link_pharmacy_clicked),
            ("Remove from team", self._on_unlink_pharmacy_clicked)])
        self.caregiver_table = self._section(lay, "Caregivers", self.caregivers, [
            ("Add &caregiver…", self._on_add_caregiver_clicked),
            ("Remove caregiver", self._on_remove_caregiver_clicked)])
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self.refresh()

    def _section(self, lay: QVBoxLayout, title: str, model: ChartTableModel, actions: list
                 ) -> QTableView:
        box = QGroupBox(title)
        v = QVBoxLayout(box)
        row = QHBoxLayout()
        for text, slot in actions:
            b = QPushButton(text)
            b.clicked.connect(slot)
            row.addWidget(b)
        row.addStretch()
        table = make_table(title)
        table.setModel(model)
        v.addLayout(row)
        v.addWidget(table)
        lay.addWidget(box, 1)
        return table

    def refresh(self) -> None:
        team = self.service.team(self.patient_id)
        self.prescribers.set_rows(team.prescribers)
        self.pharmacies.set_rows(team.pharmacies)
        self.caregivers.set_rows(team.caregivers)
        for t in (self.prescriber_table, self.pharmacy_table, self.caregiver_table):
            fit_columns(t)

    def _publish(self, change: ChangeSet | None) -> None:
        if change is not None:
            self.ctx.events.publish(change)

    def _run(self, dlg: PrescriberDialog | PharmacyDialog | RecordDialog) -> None:
        accepted = dlg.exec()
        change = dlg.change
        dlg.deleteLater()
        if accepted:
            self._publish(change)

    @Slot()
    def _on_new_prescriber_clicked(self) -> None:
        self._run(PrescriberDialog(self.service, self.patient_id, self))

    @Slot()
    def _on_new_pharmacy_clicked(self) -> None:
        self._run(PharmacyDialog(self.service, self.patient_id, self))

    @Slot()
    def _on_link_prescriber_clicked(self) -> None:
        linked = {p.id for p in self.prescribers.rows}
        choices = [p for p in self.service.all_prescribers() if p.id not in linked]
        if not choices:
            return
        labels = [f"{p.display_name} — {p.specialty or p.practice}" for p in choices]
        label, ok = QInputDialog.getItem(self, "Link prescriber", "Prescriber:", labels, 0, False)
        if ok:
            role, _ = QInputDialog.getText(self, "Link prescriber", "Role for this patient:")
            self._publish(self.service.link_prescriber(self.patient_id,
                                                       choices[labels.index(label)].id, role))

    @Slot()
    def _on_link_pharmacy_clicked(self) -> None:
        linked = {p.id for p in self.pharmacies.rows}
        choices = [p for p in self.service.all_pharmacies() if p.id not in linked]
        if not choices:
            return
        labels = [p.name for p in choices]
        label, ok = QInputDialog.getItem(self, "Link pharmacy", "Pharmacy:", labels, 0, False)
        if ok:
            self._publish(self.service.link_pharmacy(self.patient_id,
                                                     choices[labels.index(label)].id))

    @Slot()
    def _on_unlink_prescriber_clicked(self) -> None:
        i = selected_row(self.prescriber_table)
        if i is not None:
            self._publish(self.service.unlink_prescriber(self.patient_id,
                                                         self.prescribers.row(i).id))

    @Slot()
    def _on_unlink_pharmacy_clicked(self) -> None:
        i = selected_row(self.pharmacy_table)
        if i is not None:
            self._publish(self.service.unlink_pharmacy(self.patient_id,
                                                       self.pharmacies.row(i).id))

    @Slot()
    def _on_add_caregiver_clicked(self) -> None:
        def save(d: CaregiverDraft) -> ChangeSet:
            return self.service.add_caregiver(self.patient_id, d.name, d.relationship, d.phone,
                                              d.is_emergency_contact)
        self._run(RecordDialog("Add caregiver", CaregiverDraft, CAREGIVER_SPECS, save,
                               parent=self))

    @Slot()
    def _on_remove_caregiver_clicked(self) -> None:
        i = selected_row(self.caregiver_table)
        if i is not None:
            self._publish(self.service.remove_caregiver(self.caregivers.row(i).id))

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if self.patient_id in change.patient_ids and change.touches(changes.CARE_TEAM,
                                                                    changes.DEMOGRAPHICS):
            self.refresh()
