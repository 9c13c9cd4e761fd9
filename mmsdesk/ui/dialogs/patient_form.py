"""New / edit patient dialog. Nothing is saved until every field passes validation."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.models.enums import PayerType, Sex
from mmsdesk.services.patients import (
    LANGUAGES,
    CaregiverInput,
    PatientInput,
    PatientService,
    validate_patient,
)
from mmsdesk.services.validation import ValidationError, format_date, parse_date
from mmsdesk.store.conflicts import RecordChanged
from mmsdesk.ui.widgets.form import FieldForm, text_lines_height
from mmsdesk.ui.widgets.theme import error_style

SEX_LABELS = {Sex.FEMALE: "Female", Sex.MALE: "Male", Sex.OTHER: "Other", Sex.UNKNOWN: "Not stated"}
PAYER_LABELS = {
    PayerType.SELF_PAY: "Self-pay",
    PayerType.MEDICARE_PART_D: "Medicare Part D plan",
    PayerType.OTHER: "Other payer",
}


def _combo(items: dict[str, str]) -> QComboBox:
    box = QComboBox()
    for value, label in items.items():
        box.addItem(label, str(value))
    return box


def _select(box: QComboBox, value: str) -> None:
    i = box.findData(value)
    box.setCurrentIndex(max(i, 0))


class PatientDialog(QDialog):
    """Create or edit a patient. After ``accept()``, ``patient_id`` and ``change`` are set."""

    def __init__(self, service: PatientService, patient_id: int | None = None,
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.patient_id = patient_id
        self.change = None
        self.loaded_version: int | None = None
        self._today = today or date.today()
        self.setWindowTitle("Edit patient" if patient_id else "New patient")
        self.resize(640, 720)

        self.form = f = FieldForm()
        self.first_name = f.add_field("first_name", "&First name:", QLineEdit())
        self.middle_name = f.add_field("middle_name", "Middle name:", QLineEdit())
        self.last_name = f.add_field("last_name", "&Last name:", QLineEdit())
        self.preferred_name = f.add_field("preferred_name", "Preferred name:", QLineEdit())
        self.date_of_birth = f.add_field("date_of_birth", "&Date of birth:", QLineEdit(),
                                         "Month/day/year, for example 05/14/1943")
        self.date_of_birth.setPlaceholderText("MM/DD/YYYY")
        self.sex = f.add_field("sex", "Sex:", _combo(SEX_LABELS))
        self.preferred_language = f.add_field("preferred_language", "Preferred language:",
                                              _combo(LANGUAGES))
        self.phone = f.add_field("phone", "&Phone:", QLineEdit())
        self.phone.setPlaceholderText("(555) 123-4567")
        self.email = f.add_field("email", "Email:", QLineEdit())
        self.address_line1 = f.add_field("address_line1", "Address:", QLineEdit())
        self.address_line2 = f.add_field("address_line2", "Address line 2:", QLineEdit())
        self.city = f.add_field("city", "City:", QLineEdit())
        self.state = f.add_field("state", "State:", QLineEdit())
        self.postal_code = f.add_field("postal_code", "ZIP code:", QLineEdit())
        self.payer_type = f.add_field("payer_type", "Payer:", _combo(PAYER_LABELS))
        self.plan_name = f.add_field("plan_name", "Plan name:", QLineEdit())
        self.member_id = f.add_field("member_id", "Member ID:", QLineEdit())
        self.payer_other = f.add_field("payer_other", "Other payer:", QLineEdit())
        self.mtm_enrolled_on = f.add_field("mtm_enrolled_on", "MTM enrolled on:", QLineEdit(),
                                           "Date the patient joined the plan's MTM program")
        self.mtm_enrolled_on.setPlaceholderText("MM/DD/YYYY")
        self.deceased_date = f.add_field("deceased_date", "Date of death:", QLineEdit())
        self.deceased_date.setPlaceholderText("MM/DD/YYYY")
        self.notes = f.add_field("notes", "Notes:", QPlainTextEdit())
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(text_lines_height(self.notes, 3))
        self.payer_type.currentIndexChanged.connect(self._update_payer_fields)

        self.caregivers = QTableWidget(0, 4)
        self.caregivers.setObjectName("caregivers")
        self.caregivers.setAccessibleName("Caregivers")
        self.caregivers.setHorizontalHeaderLabels(["Name", "Relationship", "Phone", "Emergency contact"])
        self.caregivers.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.caregivers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.caregivers.setMinimumHeight(110)
        add_cg = QPushButton("Add caregiver")
        add_cg.clicked.connect(lambda: self._add_caregiver_row(CaregiverInput("")))
        del_cg = QPushButton("Remove caregiver")
        del_cg.clicked.connect(self._remove_caregiver_row)
        self.caregiver_error = QLabel()
        self.caregiver_error.setStyleSheet(error_style())
        self.caregiver_error.hide()
        cg_box = QGroupBox("Caregivers")
        cg_lay = QVBoxLayout(cg_box)
        cg_lay.addWidget(self.caregivers)
        row = QHBoxLayout()
        row.addWidget(add_cg)
        row.addWidget(del_cg)
        row.addStretch()
        cg_lay.addLayout(row)
        cg_lay.addWidget(self.caregiver_error)

        inner = QWidget()
        inner_lay = QVBoxLayout(inner)
        inner_lay.addLayout(f)
        inner_lay.addWidget(cg_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop; it follows the focus
        scroll.setWidget(inner)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(scroll)
        lay.addWidget(self.buttons)

        if patient_id is not None:
            detail = service.get(patient_id)
            self.loaded_version = detail.version  # saved against: a colleague's save is refused
            self._load(detail.data)
        else:  # a new patient's documents: the practice's usual language (Settings)
            from mmsdesk import settings

            _select(self.preferred_language, settings.load().document_language)
        self._update_payer_fields()
        self.first_name.setFocus()

    # -- caregivers table
    def _add_caregiver_row(self, c: CaregiverInput) -> None:
        r = self.caregivers.rowCount()
        self.caregivers.insertRow(r)
        for col, text in enumerate((c.name, c.relationship, c.phone)):
            self.caregivers.setItem(r, col, QTableWidgetItem(text))
        item = QTableWidgetItem()
        item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        item.setCheckState(Qt.CheckState.Checked if c.is_emergency_contact else Qt.CheckState.Unchecked)
        self.caregivers.setItem(r, 3, item)

    def _remove_caregiver_row(self) -> None:
        r = self.caregivers.currentRow()
        if r >= 0:
            self.caregivers.removeRow(r)

    def _caregiver_inputs(self) -> list[CaregiverInput]:
        out = []
        for r in range(self.caregivers.rowCount()):
            texts = [(self.caregivers.item(r, c).text() if self.caregivers.item(r, c) else "")
                     for c in range(3)]
            check = self.caregivers.item(r, 3)
            if not any(t.strip() for t in texts):
                continue
            out.append(CaregiverInput(*texts, is_emergency_contact=bool(
                check and check.checkState() == Qt.CheckState.Checked)))
        return out

    def _update_payer_fields(self) -> None:
        payer = self.payer_type.currentData()
        part_d = payer == PayerType.MEDICARE_PART_D
        for w in (self.plan_name, self.member_id, self.mtm_enrolled_on):
            w.setEnabled(part_d or payer == PayerType.OTHER)
        self.payer_other.setEnabled(payer == PayerType.OTHER)

    # -- load / collect
    def _load(self, d: PatientInput) -> None:
        for key in ("first_name", "middle_name", "last_name", "preferred_name", "phone", "email",
                    "address_line1", "address_line2", "city", "state", "postal_code", "plan_name",
                    "member_id", "payer_other"):
            getattr(self, key).setText(getattr(d, key))
        self.date_of_birth.setText(format_date(d.date_of_birth))
        self.mtm_enrolled_on.setText(format_date(d.mtm_enrolled_on))
        self.deceased_date.setText(format_date(d.deceased_date))
        _select(self.sex, d.sex)
        _select(self.preferred_language, d.preferred_language)
        _select(self.payer_type, d.payer_type)
        self.notes.setPlainText(d.notes)
        for c in d.caregivers:
            self._add_caregiver_row(c)

    def collect(self) -> tuple[PatientInput, dict[str, str]]:
        errors: dict[str, str] = {}
        dates = {}
        for key, label in (("date_of_birth", "Date of birth"), ("mtm_enrolled_on", "MTM enrolment date"),
                           ("deceased_date", "Date of death")):
            value, msg = parse_date(getattr(self, key).text(), label)
            dates[key] = value
            if msg:
                errors[key] = msg
        data = PatientInput(
            first_name=self.first_name.text(), middle_name=self.middle_name.text(),
            last_name=self.last_name.text(), preferred_name=self.preferred_name.text(),
            date_of_birth=dates["date_of_birth"], sex=self.sex.currentData(),
            preferred_language=self.preferred_language.currentData(), phone=self.phone.text(),
            email=self.email.text(), address_line1=self.address_line1.text(),
            address_line2=self.address_line2.text(), city=self.city.text(), state=self.state.text(),
            postal_code=self.postal_code.text(), payer_type=self.payer_type.currentData(),
            plan_name=self.plan_name.text(), member_id=self.member_id.text(),
            payer_other=self.payer_other.text(), mtm_enrolled_on=dates["mtm_enrolled_on"],
            deceased_date=dates["deceased_date"], notes=self.notes.toPlainText(),
            caregivers=self._caregiver_inputs(),
        )
        for k, msg in validate_patient(data.normalised(), self._today).items():
            errors.setdefault(k, msg)
        return data, errors

    def _show_errors(self, errors: dict[str, str]) -> None:
        self.form.show_errors(errors)
        cg = [m for k, m in errors.items() if k.startswith("caregivers.")]
        self.caregiver_error.setText(" ".join(cg))
        self.caregiver_error.setVisible(bool(cg))

    def accept(self) -> None:
        data, errors = self.collect()
        self._show_errors(errors)
        if errors:
            return
        try:
            if self.patient_id is None:
                self.patient_id, self.change = self.service.create(data, self._today)
            else:
                self.change = self.service.update(self.patient_id, data, self._today,
                                                  expected_version=self.loaded_version)
        except ValidationError as exc:
            self._show_errors(exc.errors)
            return
        except RecordChanged as exc:
            self._settle(exc)
            return
        super().accept()

    def _settle(self, refused: RecordChanged) -> None:
        """A colleague saved this patient meanwhile: show both; reload or keep editing."""
        from mmsdesk.ui.dialogs.conflict_dialog import settle_refused_save

        assert self.patient_id is not None
        reload = settle_refused_save(self, refused)
        if refused.deleted:
            if reload:
                self.reject()
            return
        detail = self.service.get(self.patient_id)  # saves now go against the stored version
        self.loaded_version = detail.version
        if reload:
            self._load(detail.data)
