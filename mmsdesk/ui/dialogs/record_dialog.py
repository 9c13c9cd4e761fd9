"""One dialog for the simple record kinds (allergy, condition, PGx result, lab or vital),
built from a list of field specs. Validation messages show under their field; nothing is saved
until the service accepts the whole record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.record import parse_number
from mmsdesk.services.validation import ValidationError, format_date, parse_date
from mmsdesk.store.conflicts import RecordChanged
from mmsdesk.ui.widgets.form import FieldForm, combo, select_data, text_lines_height


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    kind: str = "text"  # text | date | number | combo | check | notes
    options: dict[str, str] | None = None
    placeholder: str = ""
    completions: Callable[[], list[str]] | None = None


Save = Callable[[Any], ChangeSet]


class RecordDialog(QDialog):
    """Edits one dataclass instance of ``kind``; ``save(data)`` stores it and returns the
    ChangeSet (raising ValidationError with field keys). After accept: ``change``."""

    def __init__(self, title: str, kind: type, specs: list[FieldSpec], save: Save,
                 initial: Any | None = None, parent: QWidget | None = None, *,
                 fresh: Callable[[], Any] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.kind, self.specs, self.save = kind, specs, save
        # fresh(): the record as stored now (and ``save`` then saves against that version);
        # after a refused save (a colleague saved meanwhile) Reload shows it
        self.fresh = fresh
        self.initial = initial
        self.change: ChangeSet | None = None
        self.form = FieldForm()
        self.widgets: dict[str, QWidget] = {}
        for spec in specs:
            self.widgets[spec.key] = self.form.add_field(spec.key, spec.label, self._widget(spec))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.buttons)
        self.resize(520, 0)
        if initial is not None:
            self.load(initial)

    @staticmethod
    def _widget(spec: FieldSpec) -> QWidget:
        if spec.kind == "combo":
            return combo(spec.options or {})
        if spec.kind == "check":
            return QCheckBox()
        if spec.kind == "notes":
            w = QPlainTextEdit()
            w.setTabChangesFocus(True)
            w.setFixedHeight(text_lines_height(w, 3))
            return w
        line = QLineEdit()
        line.setPlaceholderText(spec.placeholder or ("MM/DD/YYYY" if spec.kind == "date" else ""))
        if spec.completions is not None:
            comp = QCompleter(spec.completions(), line)
            comp.setCaseSensitivity(comp.caseSensitivity().CaseInsensitive)
            comp.setFilterMode(comp.filterMode().MatchContains)
            line.setCompleter(comp)
        return line

    def load(self, data: Any) -> None:
        for spec in self.specs:
            self.set_value(spec.key, getattr(data, spec.key))

    def set_value(self, key: str, value: Any) -> None:
        w = self.widgets[key]
        spec = next(s for s in self.specs if s.key == key)
        if isinstance(w, QComboBox):
            select_data(w, value)
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(value or "")
        elif isinstance(w, QLineEdit):
            if spec.kind == "date":
                w.setText(format_date(value))
            elif spec.kind == "number":
                w.setText("" if value is None else f"{value:g}")
            else:
                w.setText(value or "")

    def value(self) -> tuple[Any, dict[str, str]]:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for spec in self.specs:
            w = self.widgets[spec.key]
            if isinstance(w, QComboBox):
                values[spec.key] = w.currentData()
            elif isinstance(w, QCheckBox):
                values[spec.key] = w.isChecked()
            elif isinstance(w, QPlainTextEdit):
                values[spec.key] = w.toPlainText()
            elif isinstance(w, QLineEdit):
                text = w.text()
                if spec.kind == "date":
                    values[spec.key], msg = parse_date(text, spec.label.replace("&", "")
                                                       .rstrip(":"))
                    if msg:
                        errors[spec.key] = msg
                elif spec.kind == "number":
                    values[spec.key] = parse_number(text)
                    if text.strip() and values[spec.key] is None:
                        errors[spec.key] = "Enter a number, for example 7.2."
                else:
                    values[spec.key] = text
        names = {f.name for f in fields(self.kind)}
        # what the form does not show (an imported allergy's category and criticality) is kept
        kept = {n: getattr(self.initial, n) for n in names - values.keys()
                if self.initial is not None}
        return self.kind(**kept, **{k: v for k, v in values.items() if k in names}), errors

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
        except RecordChanged as exc:
            self._settle(exc)
            return
        self.accept()

    def _settle(self, refused: RecordChanged) -> None:
        """A colleague saved this record meanwhile: show both; reload or keep editing."""
        from mmsdesk.ui.dialogs.conflict_dialog import settle_refused_save

        reload = settle_refused_save(self, refused)
        if refused.deleted or self.fresh is None:
            if reload:
                self.reject()
            return
        data = self.fresh()  # from now on, saves go against the version now stored
        if reload:
            self.initial = data
            self.load(data)

