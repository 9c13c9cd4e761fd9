"""Editors shared by the first-run wizard and the Settings dialog: the pharmacist's profile,
the follow-up intervals and the service catalogue. Thin widgets over plain dataclasses."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.models.enums import SERVICE_LABELS, ServiceType
from mmsdesk.services.practice import (
    MAX_DURATION,
    MAX_LOGO_BYTES,
    MAX_PRICE,
    OfferingData,
    ProfileData,
    logo_problem,
)
from mmsdesk.settings import DEFAULT_FOLLOW_UP_DAYS
from mmsdesk.ui.widgets.form import FieldForm, text_lines_height
from mmsdesk.ui.widgets.theme import error_style


class ProfileForm(QWidget):
    """The letterhead: name, credentials, NPI, practice, address, phone, fax, email, logo.

    Signals:
        changed(): any field was edited.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = f = FieldForm()
        self.name = f.add_field("name", "Your &name:", QLineEdit())
        self.name.setPlaceholderText("Dana Rivera")
        self.credentials = f.add_field("credentials", "&Credentials:", QLineEdit())
        self.credentials.setPlaceholderText("PharmD, BCGP")
        self.npi = f.add_field("npi", "N&PI:", QLineEdit(),
                               "Your 10-digit National Provider Identifier")
        self.npi.setMaxLength(10)
        self.practice_name = f.add_field("practice_name", "P&ractice name:", QLineEdit())
        self.address = f.add_field("address", "&Address:", QPlainTextEdit(),
                                   "As it should appear on letters, one line per line")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(text_lines_height(self.address, 4))
        self.phone = f.add_field("phone", "P&hone:", QLineEdit())
        self.phone.setPlaceholderText("(555) 123-4567")
        self.fax = f.add_field("fax", "&Fax:", QLineEdit())
        self.fax.setPlaceholderText("(555) 123-4568")
        self.email = f.add_field("email", "&Email:", QLineEdit())
        self.hours = f.add_field("hours", "Office ho&urs:", QLineEdit(),
                                 "When patients can call; the CMS cover letter prints it")
        self.hours.setPlaceholderText("Monday to Friday, 9 am to 5 pm")
        self.hours.setMaxLength(200)
        self.tty = f.add_field("tty", "&TTY:", QLineEdit(),
                               "A TTY number for patients who are deaf or hard of hearing, or 711")
        self.tty.setPlaceholderText("711")
        self.tin = f.add_field("tin", "Ta&x ID:", QLineEdit(),
                               "Federal tax id (EIN) for claims and Good Faith Estimates")
        self.tin.setPlaceholderText("12-3456789")
        self.tin.setMaxLength(11)
        self.logo_button = QPushButton("Choose &logo…")
        self.logo_button.setAccessibleName("Choose logo")
        self.logo_button.clicked.connect(self._on_logo_button_clicked)
        self.logo_clear = QPushButton("Remove logo")
        self.logo_clear.clicked.connect(lambda: self.set_logo(None))
        self.logo_preview = QLabel("No logo")
        self.logo_preview.setAccessibleName("Logo preview")
        logo_row = QWidget()
        row = QHBoxLayout(logo_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.logo_preview)
        row.addWidget(self.logo_button)
        row.addWidget(self.logo_clear)
        row.addStretch(1)
        f.add_field("logo", "Logo:", logo_row, f"PNG or JPEG, at most {MAX_LOGO_BYTES // 1024} KB")
        self.logo: bytes | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(f)
        lay.addStretch(1)
        for w in (self.name, self.credentials, self.npi, self.practice_name, self.phone,
                  self.fax, self.email, self.hours, self.tty, self.tin):
            w.textChanged.connect(self.changed)
        self.address.textChanged.connect(self.changed)
        self.set_logo(None)

    def data(self) -> ProfileData:
        return ProfileData(name=self.name.text(), credentials=self.credentials.text(),
                           npi=self.npi.text(), practice_name=self.practice_name.text(),
                           address=self.address.toPlainText(), phone=self.phone.text(),
                           fax=self.fax.text(), email=self.email.text(), logo=self.logo,
                           hours=self.hours.text(), tty=self.tty.text(), tin=self.tin.text())

    def set_data(self, d: ProfileData) -> None:
        for key in ("name", "credentials", "npi", "practice_name", "phone", "fax", "email",
                    "hours", "tty", "tin"):
            getattr(self, key).setText(getattr(d, key))
        self.address.setPlainText(d.address)
        self.set_logo(d.logo)

    def show_errors(self, errors: dict[str, str]) -> None:
        self.form.show_errors(errors)

    def set_logo(self, data: bytes | None) -> None:
        self.logo = data or None
        pix = QPixmap()
        if data and pix.loadFromData(data):
            side = self.fontMetrics().height() * 3
            self.logo_preview.setPixmap(pix.scaled(side * 2, side, Qt.AspectRatioMode.KeepAspectRatio,
                                                   Qt.TransformationMode.SmoothTransformation))
        else:
            self.logo_preview.setText("No logo")
        self.logo_clear.setEnabled(self.logo is not None)
        self.changed.emit()

    def load_logo_file(self, path: str) -> str | None:
        """Take the logo from a file; returns the problem (shown under the field) or None."""
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_LOGO_BYTES + 1)
        except OSError:
            problem: str | None = "That file cannot be read."
        else:
            problem = logo_problem(data)
            if problem is None and not QPixmap().loadFromData(data):
                problem = "That image cannot be read."
            if problem is None:
                self.set_logo(data)
        self.form.show_errors({"logo": problem} if problem else {})
        return problem

    @Slot()
    def _on_logo_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose your logo", "",
                                              "Images (*.png *.jpg *.jpeg)")
        if path:
            self.load_logo_file(path)


class FollowUpForm(QWidget):
    """Days until the follow-up, one spin box per service."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        self.boxes: dict[str, QSpinBox] = {}
        for service in ServiceType:
            box = QSpinBox()
            box.setRange(1, 730)
            box.setSuffix(" days")
            box.setMaximumWidth(box.fontMetrics().averageCharWidth() * 14 + 40)
            label = SERVICE_LABELS[service]
            box.setAccessibleName(f"Follow-up after {label}, days")
            form.addRow(f"{label}:", box)
            self.boxes[str(service)] = box
        self.set_days(DEFAULT_FOLLOW_UP_DAYS)

    def days(self) -> dict[str, int]:
        return {k: b.value() for k, b in self.boxes.items()}

    def set_days(self, days: dict[str, int]) -> None:
        for k, b in self.boxes.items():
            b.setValue(days.get(k, DEFAULT_FOLLOW_UP_DAYS.get(k, 30)))


class CatalogueEditor(QWidget):
    """The services the practice offers: service, name, duration, self-pay price, offered."""

    COLUMNS = ("Service", "Name on invoices", "Minutes", "Self-pay price", "Offered")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setAccessibleName("Service catalogue")
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.table.verticalHeader().hide()
        self.add_button = QPushButton("&Add service")
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button = QPushButton("Remo&ve service")
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setObjectName("catalogueError")
        self.error.setStyleSheet(error_style())
        self.error.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.table)
        lay.addLayout(buttons)
        lay.addWidget(self.error)
        self._last_editor: QWidget | None = None  # the Remove button takes the focus itself
        QApplication.instance().focusChanged.connect(self._on_app_focus_changed)  # type: ignore[union-attr]

    def add_row(self, row: OfferingData) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        service = QComboBox()
        for t in ServiceType:
            service.addItem(SERVICE_LABELS[t], str(t))
        service.setCurrentIndex(max(service.findData(row.service), 0))
        service.setAccessibleName(f"Service, row {r + 1}")
        name = QLineEdit(row.name)
        name.setAccessibleName(f"Name on invoices, row {r + 1}")
        minutes = QSpinBox()
        minutes.setRange(5, MAX_DURATION)
        minutes.setSingleStep(5)
        minutes.setValue(row.duration_minutes)
        minutes.setAccessibleName(f"Minutes, row {r + 1}")
        price = QDoubleSpinBox()
        price.setRange(0.0, MAX_PRICE)
        price.setDecimals(2)
        price.setPrefix("$")
        price.setValue(row.price)
        price.setAccessibleName(f"Self-pay price, row {r + 1}")
        offered = QCheckBox()
        offered.setChecked(row.active)
        offered.setAccessibleName(f"Offered, row {r + 1}")
        for col, w in enumerate((service, name, minutes, price, offered)):
            self.table.setCellWidget(r, col, w)

    def set_rows(self, rows: list[OfferingData]) -> None:
        self.table.setRowCount(0)
        for row in rows:
            self.add_row(row)

    def rows(self) -> list[OfferingData]:
        out = []
        for r in range(self.table.rowCount()):
            w = [self.table.cellWidget(r, c) for c in range(len(self.COLUMNS))]
            out.append(OfferingData(w[0].currentData(), w[1].text().strip(), w[2].value(),
                                    round(w[3].value(), 2), w[4].isChecked()))
        return out

    def show_errors(self, errors: dict[str, str]) -> None:
        """Messages keyed ``row<N>.<field>`` (from validate_catalogue)."""
        lines = []
        for key, msg in errors.items():
            row = int(key.split(".")[0].removeprefix("row"))
            lines.append(f"Row {row + 1}: {msg}")
        self.error.setText("\n".join(lines))
        self.error.setVisible(bool(lines))

    def selected_row(self) -> int:
        """The row being edited: the one holding the last focused editor, else the current one."""
        focused = self._last_editor
        for r in range(self.table.rowCount()):
            for c in range(len(self.COLUMNS)):
                w = self.table.cellWidget(r, c)
                if w is not None and focused is not None and (w is focused or w.isAncestorOf(focused)):
                    return r
        return self.table.currentRow()

    @Slot()
    def _on_add_button_clicked(self) -> None:
        self.add_row(OfferingData("follow_up", "", 30, 0.0))
        r = self.table.rowCount() - 1
        self.table.scrollToBottom()
        self.table.cellWidget(r, 0).setFocus()  # the new row, from its first cell

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        r = self.selected_row()
        if r >= 0:
            self.table.removeRow(r)
            self._last_editor = None

    @Slot(QWidget, QWidget)
    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.table.isAncestorOf(new):
            self._last_editor = new
