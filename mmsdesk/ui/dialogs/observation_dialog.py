"""Enter a lab value or vital sign by measure; the unit and the plausible range are checked
and a problem is shown under its field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.models.measures import MEASURES, MEASURES_BY_KEY
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.record import ObservationInput, parse_number
from mmsdesk.services.validation import ValidationError, format_date, parse_date
from mmsdesk.ui.widgets.form import FieldForm, select_data

Save = Callable[[ObservationInput], ChangeSet]


class ObservationDialog(QDialog):
    """After accept: ``change``."""

    def __init__(self, save: Save, today: date, measure: str | None = None,
                 initial: ObservationInput | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.save = save
        self.change: ChangeSet | None = None
        self.setWindowTitle("Edit lab or vital" if initial else "Add lab or vital")
        self.form = f = FieldForm()
        self.measure = QComboBox()
        for m in MEASURES:
            self.measure.addItem(f"{m.label} ({'vital' if m.kind == 'vital' else 'lab'})", m.key)
        f.add_field("measure", "&Measure:", self.measure)
        self.value_edit = f.add_field("value", "&Value:", QLineEdit())
        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        f.add_field("unit", "&Unit:", self.unit)
        self.taken_on = f.add_field("taken_on", "&Date taken:", QLineEdit(format_date(today)),
                                    "MM/DD/YYYY")
        self.source = f.add_field("source", "Source:", QLineEdit())
        self.source.setPlaceholderText("clinic, home monitor, lab report…")
        self.range_label = QLabel()
        self.range_label.setWordWrap(True)
        self.range_label.setStyleSheet("color: palette(placeholder-text);")
        f.addRow("", self.range_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(f)
        lay.addWidget(self.buttons)
        self.measure.currentIndexChanged.connect(self._on_measure_changed)
        select_data(self.measure, initial.measure if initial else (measure or "a1c"))
        self._on_measure_changed()
        if initial is not None:
            self.value_edit.setText(f"{initial.value:g}" if initial.value is not None else "")
            self.unit.setEditText(initial.unit)
            self.taken_on.setText(format_date(initial.taken_on))
            self.source.setText(initial.source)
        self.resize(480, 0)
        self.value_edit.setFocus()

    @Slot()
    def _on_measure_changed(self) -> None:
        m = MEASURES_BY_KEY[self.measure.currentData()]
        self.unit.clear()
        self.unit.addItems([m.unit, *[u for u in m.other_units if u]])
        self.unit.setEditText(m.unit)
        self.range_label.setText(f"Accepted: {m.low:g} to {m.high:g} {m.unit}")

    def value(self) -> tuple[ObservationInput, dict[str, str]]:
        errors: dict[str, str] = {}
        taken, msg = parse_date(self.taken_on.text(), "Date taken")
        if msg:
            errors["taken_on"] = msg
        text = self.value_edit.text()
        number = parse_number(text)
        if text.strip() and number is None:
            errors["value"] = "Enter the value as a number, for example 7.2."
        data = ObservationInput(self.measure.currentData(), number, self.unit.currentText(),
                                taken, self.source.text())
        return data, errors

    @Slot()
    def _on_buttons_accepted(self) -> None:
        data, errors = self.value()
        try:
            if errors:
                raise ValidationError(errors)
            self.change = self.save(data)
        except ValidationError as exc:
            self.form.show_errors(exc.errors)
            return
        self.accept()
