"""Add or edit a medication: type-ahead search in the drug dictionary, strength and form from
the product, structured directions shown as the plain-language line, indication, prescriber and
pharmacy (add new inline), and where the information came from. Nothing is saved until every
field passes validation."""

from __future__ import annotations

import html
import time
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.clinical.sig import FREQUENCIES, ROUTE_LABELS, TIMES_OF_DAY, UNITS, Directions, render
from mmsdesk.services.care_team import CareTeamService
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.medications import (
    KIND_LABELS,
    SOURCE_LABELS,
    DrugHit,
    MedicationInput,
    MedicationService,
    product_options,
    scanned_drug,
    search_drugs,
    warm_dictionary,
)
from mmsdesk.services.record import parse_number
from mmsdesk.services.validation import ValidationError, format_date, parse_date
from mmsdesk.store.conflicts import RecordChanged
from mmsdesk.ui.dialogs.care_team_dialogs import PharmacyDialog, PrescriberDialog
from mmsdesk.ui.widgets.form import FieldForm, combo, select_data, text_lines_height
from mmsdesk.ui.widgets.scan_field import ScanField

SUGGESTION_LIMIT = 20


def _editable_combo() -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return box


class MedicationDialog(QDialog):
    """After ``accept()``: ``medication_id`` and ``change`` are set. ``side_change`` holds what
    was saved inline (a new prescriber or pharmacy), kept even when the dialog is cancelled."""

    def __init__(self, service: MedicationService, care_team: CareTeamService, patient_id: int,
                 medication_id: int | None, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.care_team = service, care_team
        self.patient_id, self.medication_id = patient_id, medication_id
        self.today = today
        self.change: ChangeSet | None = None
        self.loaded_version: int | None = None  # saved against: a colleague's save is refused
        self.side_change: ChangeSet | None = None
        self.chosen: DrugHit | None = None
        self.last_search_ms = 0.0
        self.setWindowTitle("Edit medication" if medication_id else "Add medication")
        warm_dictionary()
        self.resize(980, 520)

        self.left = lf = FieldForm()
        self.scan = lf.add_field("scan", "S&can:", ScanField(),
                                 "A barcode scanner types the package's code here (UPC, GS1 "
                                 "DataMatrix) and Enter: the product, strength and form are "
                                 "filled in")
        self.scan.scanned.connect(self._on_scan_scanned)
        self.medicine = lf.add_field("text_given", "&Medicine:", QLineEdit(),
                                     "Type a generic or brand name; pick from the list or keep "
                                     "what is written on the bottle")
        self.medicine.setPlaceholderText("Type 2 letters or more: generic or brand name")
        self.medicine.textEdited.connect(self._on_medicine_text_edited)
        self.medicine.installEventFilter(self)
        self.suggestions = QListWidget()
        self.suggestions.setObjectName("suggestions")
        self.suggestions.setAccessibleName("Drug dictionary suggestions")
        self.suggestions.setMaximumHeight(130)
        self.suggestions.itemActivated.connect(self._on_suggestions_item_activated)
        self.suggestions.itemClicked.connect(self._on_suggestions_item_activated)
        lf.addRow("", self.suggestions)
        self.match_label = QLabel()
        self.match_label.setWordWrap(True)
        lf.addRow("", self.match_label)
        self.strength = lf.add_field("strength", "&Strength:", _editable_combo())
        self.dose_form = lf.add_field("dose_form", "F&orm:", _editable_combo())
        self.kind = lf.add_field("kind", "&Kind:", combo(KIND_LABELS))
        self.indication = lf.add_field("indication", "&Why I use it:", QLineEdit(),
                                       "The reason, in the patient's words")
        self.prescriber = QComboBox()
        self.new_prescriber_button = QPushButton("New…")
        self.new_prescriber_button.setAccessibleName("New prescriber")
        self.new_prescriber_button.clicked.connect(self._on_new_prescriber_clicked)
        lf.add_field("prescriber", "&Prescriber:", self._with_button(self.prescriber,
                                                                      self.new_prescriber_button))
        self.pharmacy = QComboBox()
        self.new_pharmacy_button = QPushButton("New…")
        self.new_pharmacy_button.setAccessibleName("New pharmacy")
        self.new_pharmacy_button.clicked.connect(self._on_new_pharmacy_clicked)
        lf.add_field("pharmacy", "P&harmacy:", self._with_button(self.pharmacy,
                                                                  self.new_pharmacy_button))
        self.source = lf.add_field("source", "Information &from:", combo(SOURCE_LABELS))
        self.started = lf.add_field("started", "Started:", QLineEdit(), "MM/DD/YYYY")
        self.started.setPlaceholderText("MM/DD/YYYY")

        self.right = rf = FieldForm()
        self.dose = rf.add_field("dose_amount", "&Dose:", QLineEdit(), "How many at a time")
        self.dose.setPlaceholderText("1")
        self.unit = rf.add_field("dose_unit", "&Unit:", combo({u: u for u in ("", *UNITS)}))
        self.route = rf.add_field("route", "&Route:", combo({"": "", **ROUTE_LABELS}))
        self.frequency = rf.add_field("frequency", "How &often:",
                                      combo({"": "", **FREQUENCIES}))
        times = QWidget()
        tl = QHBoxLayout(times)
        tl.setContentsMargins(0, 0, 0, 0)
        self.times: dict[str, QCheckBox] = {}
        for t in TIMES_OF_DAY:
            self.times[t] = QCheckBox(t.capitalize())
            tl.addWidget(self.times[t])
        tl.addStretch()
        rf.add_field("times_of_day", "Times of day:", times)
        self.as_needed = rf.add_field("as_needed", "", QCheckBox("&As needed"))
        self.as_needed_reason = rf.add_field("as_needed_reason", "As needed for:", QLineEdit())
        self.as_needed_reason.setPlaceholderText("pain, shortness of breath, sleep…")
        self.directions_text = rf.add_field("directions_text", "Or as &written:", QLineEdit(),
                                            "Used when the structured directions are empty")
        self.preview = QLabel()
        self.preview.setObjectName("directions_preview")
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("font-weight: bold;")
        rf.addRow("Reads:", self.preview)
        self.notes = rf.add_field("notes", "Notes:", QPlainTextEdit())
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(text_lines_height(self.notes, 2))
        for w in (self.dose, self.as_needed_reason, self.directions_text):
            w.textChanged.connect(self._update_preview)
        for c in (self.unit, self.route, self.frequency):
            c.currentIndexChanged.connect(self._update_preview)
        for cb in (*self.times.values(), self.as_needed):
            cb.toggled.connect(self._update_preview)

        med_box, dir_box = QGroupBox("Medicine"), QGroupBox("How I use it")
        for box, form in ((med_box, lf), (dir_box, rf)):
            inner = QVBoxLayout(box)
            inner.addLayout(form)
            inner.addStretch(1)
        cols = QHBoxLayout()
        cols.addWidget(med_box, 1)
        cols.addWidget(dir_box, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(cols)
        lay.addWidget(self.buttons)
        self._load_pickers()
        if medication_id is not None:
            data, self.loaded_version = service.get_for_edit(medication_id)
            self._load(data)
            row = service.get(medication_id)
            note = f"As first written: {html.escape(row.text_given)}"
            if row.strength_to_confirm:
                note += ("<br><b>Confirm the strength</b>: it could not be read with confidence "
                         "from the record; check the label and save.")
            self.match_label.setText(note)
        self._update_preview()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Down arrow in the medicine field moves into the suggestions (Enter then picks)."""
        if (watched is self.medicine and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down
                and self.suggestions.count()):
            self.suggestions.setFocus()
            self.suggestions.setCurrentRow(0)
            return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _with_button(box: QComboBox, button: QPushButton) -> QWidget:
        w = QWidget()
        h = QHBoxLayout(w)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(box, 1)
        h.addWidget(button)
        return w

    def _load_pickers(self, prescriber_id: int | None = None,
                      pharmacy_id: int | None = None) -> None:
        team = self.care_team.team(self.patient_id)
        mine_pr = {p.id for p in team.prescribers}
        mine_ph = {p.id for p in team.pharmacies}
        self.prescriber.clear()
        self.prescriber.addItem("— none / not known —", None)
        for p in sorted(self.care_team.all_prescribers(), key=lambda p: p.id not in mine_pr):
            self.prescriber.addItem(p.display_name + (f" ({p.specialty})" if p.specialty else ""),
                                    p.id)
        self.pharmacy.clear()
        self.pharmacy.addItem("— none / not known —", None)
        for p in sorted(self.care_team.all_pharmacies(), key=lambda p: p.id not in mine_ph):
            self.pharmacy.addItem(p.name, p.id)
        if prescriber_id is not None:
            select_data(self.prescriber, prescriber_id)
        if pharmacy_id is not None:
            select_data(self.pharmacy, pharmacy_id)

    def _load(self, d: MedicationInput) -> None:
        self.medicine.setText(d.text_given)
        self.strength.setEditText(d.strength)
        self.dose_form.setEditText(d.dose_form)
        select_data(self.kind, d.kind)
        self.indication.setText(d.indication)
        self._load_pickers(d.prescriber_id, d.pharmacy_id)
        select_data(self.source, d.source)
        self.started.setText(format_date(d.started))
        s = d.directions
        self.dose.setText("" if s.dose_amount is None else f"{s.dose_amount:g}")
        select_data(self.unit, s.dose_unit)
        select_data(self.route, s.route)
        select_data(self.frequency, s.frequency)
        for t, cb in self.times.items():
            cb.setChecked(t in s.times_of_day)
        self.as_needed.setChecked(s.as_needed)
        self.as_needed_reason.setText(s.as_needed_reason)
        self.directions_text.setText(d.directions_text)
        self.notes.setPlainText(d.notes)

    # -- type-ahead
    @Slot(str)
    def _on_medicine_text_edited(self, text: str) -> None:
        start = time.perf_counter()
        self.chosen = None
        hits = search_drugs(text, SUGGESTION_LIMIT)
        self.suggestions.clear()
        for h in hits:
            item = QListWidgetItem(h.label)
            item.setData(Qt.ItemDataRole.UserRole, h)
            self.suggestions.addItem(item)
        self.match_label.setText("" if hits or len(text.strip()) < 2 else
                                 "Not in the drug dictionary: it will be saved as written and "
                                 "marked unrecognised, so you can map it later.")
        self.last_search_ms = (time.perf_counter() - start) * 1000

    @Slot(QListWidgetItem)
    def _on_suggestions_item_activated(self, item: QListWidgetItem) -> None:
        hit: DrugHit = item.data(Qt.ItemDataRole.UserRole)
        self.choose(hit)

    def choose(self, hit: DrugHit) -> None:
        """Take a dictionary entry: its label, and the strengths and forms of its products."""
        self.chosen = hit
        self.medicine.setText(hit.label)
        same = [h for h in search_drugs(" ".join(hit.ingredients) or hit.label, 50)
                if h.ingredients == hit.ingredients]
        known_strengths, known_forms = product_options(hit.ingredients)
        strengths = list(dict.fromkeys([*hit.strengths, *(x for h in same for x in h.strengths),
                                        *known_strengths, *([hit.strength] if hit.strength else [])]))
        forms = sorted({h.form for h in same if h.form} | set(known_forms) | ({hit.form} - {""}))
        self.strength.clear()
        self.strength.addItems(["", *strengths])
        self.strength.setEditText(hit.strength)
        self.dose_form.clear()
        self.dose_form.addItems(["", *forms])
        # a medicine sold in one form only: that form
        self.dose_form.setEditText(hit.form or (known_forms[0] if len(known_forms) == 1 else ""))
        self.suggestions.clear()
        self.match_label.setText("In the drug dictionary: " + (", ".join(hit.ingredients)
                                                              or hit.label))

    @Slot(str)
    def _on_scan_scanned(self, text: str) -> None:
        self.take_scan(text)

    def take_scan(self, text: str) -> bool:
        """The scanned package's product, strength and form; the cursor then in the dose. An
        NDC the dictionary lacks is kept as the medicine's text, which says so."""
        try:
            found = scanned_drug(text, self.today)
        except ValueError as exc:
            self.left.show_errors({"scan": str(exc)})
            self.scan.setFocus()
            return False
        self.left.show_errors({})
        if found.hit is not None:
            self.choose(found.hit)
            note = self.match_label.text()
        else:
            self.chosen = None
            self.medicine.setText(f"NDC {found.ndc}")
            note = (f"NDC {found.ndc} is not in the drug dictionary: it will be saved as written "
                    "and marked unrecognised; type the name from the label if you can.")
        if found.expired:
            note = "<b>Expired package</b>: set it aside and tell the patient. " + note
        self.match_label.setText(note)
        notes = self.notes.toPlainText().strip()
        self.notes.setPlainText("\n".join(x for x in (notes, found.package) if x))
        self.dose.setFocus()
        return True

    # -- directions
    def directions(self) -> tuple[Directions, str | None]:
        text = self.dose.text().strip()
        amount = parse_number(text) if text else None
        error = "Dose must be a number, for example 1 or 0.5." if text and amount is None else None
        d = Directions(amount, self.unit.currentData() or "", self.route.currentData() or "",
                       self.frequency.currentData() or "",
                       tuple(t for t, cb in self.times.items() if cb.isChecked()),
                       self.as_needed.isChecked(), self.as_needed_reason.text())
        return d, error

    @Slot()
    def _update_preview(self) -> None:
        d, _ = self.directions()
        self.preview.setText(render(d) if d.is_structured or d.as_needed
                             else self.directions_text.text().strip() or "—")

    # -- inline add
    @Slot()
    def _on_new_prescriber_clicked(self) -> None:
        dlg = PrescriberDialog(self.care_team, self.patient_id, self)
        if dlg.exec() and dlg.created_id is not None:
            self._load_pickers(dlg.created_id, self.pharmacy.currentData())
            self._add_side_change(dlg.change)
        dlg.deleteLater()

    @Slot()
    def _on_new_pharmacy_clicked(self) -> None:
        dlg = PharmacyDialog(self.care_team, self.patient_id, self)
        if dlg.exec() and dlg.created_id is not None:
            self._load_pickers(self.prescriber.currentData(), dlg.created_id)
            self._add_side_change(dlg.change)
        dlg.deleteLater()

    def _add_side_change(self, change: ChangeSet | None) -> None:
        if change is not None:
            self.side_change = change if self.side_change is None else self.side_change | change

    # -- save
    def _settle(self, refused: RecordChanged) -> None:
        """A colleague saved this medicine meanwhile: show both; reload or keep editing."""
        from mmsdesk.ui.dialogs.conflict_dialog import settle_refused_save

        assert self.medication_id is not None
        if settle_refused_save(self, refused):
            if refused.deleted:
                self.reject()
                return
            data, self.loaded_version = self.service.get_for_edit(self.medication_id)
            self._load(data)
        elif not refused.deleted:  # kept on screen; saving again is a knowing choice
            self.loaded_version = self.service.get_for_edit(self.medication_id)[1]

    def value(self) -> tuple[MedicationInput, dict[str, str]]:
        errors: dict[str, str] = {}
        started, msg = parse_date(self.started.text(), "Start date")
        if msg:
            errors["started"] = msg
        directions, msg = self.directions()
        if msg:
            errors["dose_amount"] = msg
        data = MedicationInput(
            text_given=self.medicine.text(), strength=self.strength.currentText().strip(),
            dose_form=self.dose_form.currentText().strip(),
            rxnorm_code=self.chosen.rxnorm if self.chosen else "", directions=directions,
            directions_text=self.directions_text.text(), indication=self.indication.text(),
            prescriber_id=self.prescriber.currentData(), pharmacy_id=self.pharmacy.currentData(),
            kind=self.kind.currentData(), source=self.source.currentData(), started=started,
            part_d=self.kind.currentData() == "prescription",
            notes=self.notes.toPlainText())
        return data, errors

    @Slot()
    def _on_buttons_accepted(self) -> None:
        data, errors = self.value()
        try:
            if errors:
                raise ValidationError(errors)
            if self.medication_id is None:
                self.medication_id, self.change = self.service.add(self.patient_id, data,
                                                                   self.today)
            else:
                self.change = self.service.update(self.medication_id, data, self.today,
                                                  expected_version=self.loaded_version)
        except ValidationError as exc:
            self.left.show_errors(exc.errors)
            self.right.show_errors(exc.errors)
            return
        except RecordChanged as exc:
            self._settle(exc)
            return
        self.accept()
