"""Step 1, Collect: the reason for the visit and the patient's own words (concerns, goals,
barriers), the medication reconciliation, self-reported adherence, vitals and labs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.models.measures import MEASURES, measure
from mmsdesk.services.visits.draft import AdherenceReport, Barrier, VitalEntry
from mmsdesk.ui.qtmodels.row_table import Column
from mmsdesk.ui.visit.base import (
    VisitPage,
    choice,
    line,
    named,
    on_text,
    reset_layout,
    text_box,
)
from mmsdesk.ui.visit.models import DraftListModel, item_text, rows_fit_text
from mmsdesk.ui.visit.recon_panel import ReconPanel
from mmsdesk.ui.widgets.tables import fit_columns, make_table, selected_row
from mmsdesk.ui.widgets.theme import error_style

BARRIER_LABELS = {
    Barrier.COST: "C&ost",
    Barrier.ACCESS: "&Access (transport, pharmacy, supply)",
    Barrier.SIDE_EFFECTS: "Side &effects",
    Barrier.FORGETTING: "&Forgetting doses",
    Barrier.BELIEFS: "Beliefs about &medicines",
}
VITAL_COLUMNS: list[Column[VitalEntry]] = [
    Column("Measure", lambda v: _measure_label(v.measure)),
    Column("Value", lambda v: f"{v.value:g}", align_right=True),
    Column("Unit", lambda v: v.unit),
]


def _measure_label(key: str) -> str:
    try:
        return measure(key).label
    except KeyError:
        return key


class CollectPage(VisitPage):
    step = "collect"

    subtitle = "Reason, the patient's own words, the real medication list."

    def build(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Collect sections")
        self.tabs.addTab(self._story_tab(), "&Reason and concerns")
        self.recon = ReconPanel(self)
        self.tabs.addTab(self.recon, "Reconci&liation")
        self.adherence_tab = QWidget()
        self.tabs.addTab(self.adherence_tab, "Self-reported ad&herence")
        self.tabs.addTab(self._vitals_tab(), "Vitals and la&bs")
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.body.addWidget(self.tabs, 1)

    # -- reason, concerns, goals, barriers
    def _story_tab(self) -> QWidget:
        tab = QWidget()
        outer = QVBoxLayout(tab)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        c = lambda: self.draft.collect  # noqa: E731
        self.reason = line("Reason for visit", "for example: annual CMR, new dizziness")
        on_text(self.reason, lambda t: setattr(c(), "reason", t), self)
        self.concerns = text_box("Patient's concerns", "In the patient's words", height=70)
        on_text(self.concerns, lambda t: setattr(c(), "concerns", t), self)
        self.goals = text_box("Goals and values", "What matters to the patient", height=70)
        on_text(self.goals, lambda t: setattr(c(), "goals_values", t), self)
        self.barriers: dict[str, QCheckBox] = {}
        row = QGridLayout()
        for n, (key, label) in enumerate(BARRIER_LABELS.items()):
            box = QCheckBox(label)
            box.setAccessibleName("Barrier: " + label.replace("&", ""))
            box.toggled.connect(self._on_barrier_toggled)
            self.barriers[str(key)] = box
            row.addWidget(box, n // 3, n % 3)
        self.barrier_notes = line("Barrier notes", "for example: $90 copay for the inhaler")
        on_text(self.barrier_notes, lambda t: setattr(c(), "barrier_notes", t), self)
        self.lifestyle = line("Lifestyle", "diet, activity, alcohol, tobacco, sleep")
        on_text(self.lifestyle, lambda t: setattr(c(), "lifestyle", t), self)
        for text, widget in (("Reason for &visit:", self.reason),
                             ("Patient's &concerns:", self.concerns),
                             ("&Goals and values:", self.goals)):
            lab = QLabel(text)
            lab.setBuddy(widget)
            form.addRow(lab, widget)
        form.addRow("Barriers:", row)
        for text, widget in (("Barrier note&s:", self.barrier_notes),
                             ("Lifest&yle:", self.lifestyle)):
            lab = QLabel(text)
            lab.setBuddy(widget)
            form.addRow(lab, widget)
        return tab

    @Slot(bool)
    def _on_barrier_toggled(self, _checked: bool) -> None:
        if self._loading:
            return
        self.draft.collect.barriers = [k for k, b in self.barriers.items() if b.isChecked()]
        self.changed()

    # -- adherence per medicine (the chart's list)
    def _fill_adherence(self) -> None:
        chart = next((s for s in self.draft.collect.sources if s.source == "chart"), None)
        meds = [i for i in (chart.items if chart else []) if i.medication_id is not None]
        reports = {a.medication_id: a for a in self.draft.collect.adherence}
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.addWidget(QLabel("<b>Medicine</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Missed doses a week</b>"), 0, 1)
        grid.addWidget(QLabel("<b>Note</b>"), 0, 2)
        self.adherence_spins: dict[int, QSpinBox] = {}
        self.adherence_notes = {}
        for n, item in enumerate(meds, 1):
            mid = item.medication_id
            assert mid is not None
            name = QLabel(item_text(item).split("\n")[0])
            name.setWordWrap(True)
            spin = QSpinBox()
            spin.setRange(-1, 50)
            spin.setSpecialValueText("not asked")
            spin.setAccessibleName(f"Missed doses a week: {item.text}")
            rep = reports.get(mid)
            spin.setValue(-1 if rep is None or rep.missed_doses_per_week is None
                          else rep.missed_doses_per_week)
            note = line(f"Adherence note: {item.text}", "how it is taken, why doses are missed")
            note.setText(rep.note if rep else "")
            spin.valueChanged.connect(lambda _v, m=mid: self._on_adherence_edited(m))
            note.textEdited.connect(lambda _t, m=mid: self._on_adherence_edited(m))
            name.setBuddy(spin)
            grid.addWidget(name, n, 0)
            grid.addWidget(spin, n, 1)
            grid.addWidget(note, n, 2)
            self.adherence_spins[mid], self.adherence_notes[mid] = spin, note
        if not meds:
            grid.addWidget(QLabel("No medicines on the chart's list."), 1, 0, 1, 3)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(2, 3)
        grid.setRowStretch(len(meds) + 1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, not the frame
        scroll.setWidget(inner)
        reset_layout(self.adherence_tab).addWidget(scroll)

    def _on_adherence_edited(self, mid: int) -> None:
        value = self.adherence_spins[mid].value()
        note = self.adherence_notes[mid].text()
        reports = self.draft.collect.adherence
        rep = next((a for a in reports if a.medication_id == mid), None)
        if rep is None:
            rep = AdherenceReport(mid)
            reports.append(rep)
        rep.missed_doses_per_week = None if value < 0 else value
        rep.note = note
        if rep.missed_doses_per_week is None and not rep.note:
            reports.remove(rep)
        self.changed()

    # -- vitals and labs taken at the visit
    def _vitals_tab(self) -> QWidget:
        tab = QWidget()
        self.measure = choice("Measure", {m.key: m.label for m in MEASURES})
        self.value = line("Value", "value")
        self.value.setMaximumWidth(120)
        self.unit = QLabel()
        self.unit.setMinimumWidth(90)
        self.add_vital = named(QPushButton("Add &measurement"), "Add measurement")
        self.add_vital.setDefault(False)
        self.remove_vital = named(QPushButton("Remove selected"), "Remove selected measurement")
        self.vital_error = QLabel()
        self.vital_error.setStyleSheet(error_style())
        self.measure.currentIndexChanged.connect(self._on_measure_current_index_changed)
        self.add_vital.clicked.connect(self._on_add_vital_clicked)
        self.value.returnPressed.connect(self._on_add_vital_clicked)
        self.remove_vital.clicked.connect(self._on_remove_vital_clicked)
        row = QHBoxLayout()
        lab = QLabel("Mea&sure:")
        lab.setBuddy(self.measure)
        row.addWidget(lab)
        row.addWidget(self.measure, 2)
        row.addWidget(self.value, 1)
        row.addWidget(self.unit)
        row.addWidget(self.add_vital)
        row.addStretch(1)
        self.vitals_model = DraftListModel(VITAL_COLUMNS, self)
        self.vitals = rows_fit_text(make_table("Vitals and labs taken at the visit"))
        self.vitals.setModel(self.vitals_model)
        lay = QVBoxLayout(tab)
        lay.addLayout(row)
        lay.addWidget(self.vital_error)
        lay.addWidget(self.vitals, 1)
        lay.addWidget(self.remove_vital)
        self._on_measure_current_index_changed(0)
        return tab

    @Slot(int)
    def _on_measure_current_index_changed(self, _i: int) -> None:
        self.unit.setText(measure(str(self.measure.currentData())).unit)

    @Slot()
    def _on_add_vital_clicked(self) -> None:
        m = measure(str(self.measure.currentData()))
        try:
            value = float(self.value.text().replace(",", "."))
        except ValueError:
            self.vital_error.setText("Enter the value as a number.")
            return
        if not m.low <= value <= m.high:
            self.vital_error.setText(f"{m.label} must be between {m.low:g} and {m.high:g} {m.unit}.")
            return
        self.vital_error.setText("")
        self.vitals_model.beginResetModel()
        self.draft.collect.vitals.append(VitalEntry(m.key, value, m.unit))
        self.vitals_model.endResetModel()
        self.value.clear()
        fit_columns(self.vitals)
        self.changed()

    @Slot()
    def _on_remove_vital_clicked(self) -> None:
        row = selected_row(self.vitals)
        if row is None:
            return
        self.vitals_model.beginResetModel()
        del self.draft.collect.vitals[row]
        self.vitals_model.endResetModel()
        self.changed()

    # -- load
    def load(self) -> None:
        c = self.draft.collect
        self.reason.setText(c.reason)
        self.concerns.setPlainText(c.concerns)
        self.goals.setPlainText(c.goals_values)
        for key, box in self.barriers.items():
            box.setChecked(key in c.barriers)
        self.barrier_notes.setText(c.barrier_notes)
        self.lifestyle.setText(c.lifestyle)
        self.recon.load()
        self._fill_adherence()
        self.vitals_model.bind(c.vitals)
        fit_columns(self.vitals)

    @Slot(int)
    def _on_tabs_current_changed(self, _i: int) -> None:
        if self.tabs.currentWidget() is self.recon:
            fit_columns(self.recon.grid, cap=280)
