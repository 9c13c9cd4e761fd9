"""Settings ▸ People (team mode): the people of the practice, who sign in with their own
passphrase. Each change is saved at once (services/people.py), not at the dialog's OK:
an account is not a preference to take back with Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services import people
from mmsdesk.services.validation import ValidationError
from mmsdesk.store import Store, StoreError
from mmsdesk.ui.widgets.theme import error_style

COLUMNS = ("Name", "Login", "Role", "Credentials", "NPI", "Status")
ROLE_LABELS = {"pharmacist": "Pharmacist", "technician": "Technician"}


def _line(name: str, *, secret: bool = False) -> QLineEdit:
    field = QLineEdit()
    field.setAccessibleName(name)
    if secret:
        field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class PeoplePage(QWidget):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.rows: list[people.PersonInfo] = []
        intro = QLabel("Each person of the practice signs in with their own passphrase, and "
                       "the audit trail names them. Technicians prepare lists, documents and "
                       "visits; pharmacists complete visits and sign. While the practice has "
                       "no people, nobody signs in. Changes here are saved at once.")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("People of the practice")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.role_button = QPushButton("Ma&ke technician")
        self.role_button.setAccessibleName("Change the selected person's role")
        self.role_button.clicked.connect(self._on_role_clicked)
        self.active_button = QPushButton("&Deactivate")
        self.active_button.setAccessibleName("Deactivate or reactivate the selected person")
        self.active_button.clicked.connect(self._on_active_clicked)
        self.new_passphrase = _line("New passphrase of the selected person", secret=True)
        self.new_passphrase.setPlaceholderText("New passphrase")
        self.new_passphrase.setMinimumWidth(200)
        self.passphrase_button = QPushButton("Set pa&ssphrase")
        self.passphrase_button.clicked.connect(self._on_passphrase_clicked)
        actions = QHBoxLayout()
        for w in (self.role_button, self.active_button):
            actions.addWidget(w)
        actions.addStretch(1)
        actions.addWidget(self.new_passphrase)
        actions.addWidget(self.passphrase_button)
        # adding a person
        add = QGroupBox("Add a person")
        form = QFormLayout(add)
        self.login = _line("Login")
        self.name = _line("Name")
        self.role = QComboBox()
        self.role.setAccessibleName("Role")
        for value, label in ROLE_LABELS.items():
            self.role.addItem(label, value)
        self.credentials = _line("Credentials")
        self.credentials.setPlaceholderText("PharmD, CPhT")
        self.npi = _line("NPI")
        self.passphrase = _line("Passphrase", secret=True)
        self.repeat = _line("Repeat the passphrase", secret=True)
        form.addRow("&Login:", self.login)
        form.addRow("Na&me:", self.name)
        form.addRow("&Role:", self.role)
        form.addRow("&Credentials:", self.credentials)
        form.addRow("&NPI:", self.npi)
        form.addRow("Pass&phrase:", self.passphrase)
        form.addRow("R&epeat it:", self.repeat)
        self.add_button = QPushButton("&Add person")
        self.add_button.clicked.connect(self._on_add_clicked)
        form.addRow(self.add_button)
        self.error = QLabel()
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Why the change was not made")
        self.error.hide()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("People: what was done")
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.table, 1)
        lay.addLayout(actions)
        lay.addWidget(self.error)
        lay.addWidget(self.note)
        lay.addWidget(add)
        who = store.who
        if who is not None and not who.is_pharmacist:
            self.note.setText(f"{who.name} is signed in as a technician: only a pharmacist "
                              "adds people or changes their role; you can set your own "
                              "passphrase.")
            for w in (self.role_button, self.active_button, add):
                w.setEnabled(False)
        self.refresh()

    def refresh(self) -> None:
        self.rows = people.list_people(self.store)
        self.table.setRowCount(len(self.rows))
        for r, p in enumerate(self.rows):
            values = (p.name, p.login, ROLE_LABELS.get(p.role, p.role), p.credentials, p.npi,
                      "Active" if p.active else "Inactive")
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
        self._on_table_selection_changed()

    def selected(self) -> people.PersonInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _run(self, action, done: str) -> bool:  # type: ignore[no-untyped-def]
        """Run one change; show why it was refused, or what was done."""
        try:
            action()
        except ValidationError as exc:
            self._fail(" ".join(exc.errors.values()))
            return False
        except StoreError as exc:  # NotPermitted, a conflict with someone else's save
            self._fail(str(exc))
            return False
        self.error.hide()
        self.note.setText(done)
        chosen = self.selected()
        self.refresh()
        if chosen is not None:
            self.select(chosen.login)
        return True

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def select(self, login: str) -> None:
        for r, p in enumerate(self.rows):
            if p.login == login:
                self.table.selectRow(r)

    @Slot()
    def _on_table_selection_changed(self) -> None:
        p = self.selected()
        manager = self.store.who is None or self.store.who.is_pharmacist
        for w in (self.role_button, self.active_button):
            w.setEnabled(p is not None and manager)
        mine = p is not None and self.store.who is not None and p.login == self.store.who.login
        self.passphrase_button.setEnabled(p is not None and (manager or mine))
        self.new_passphrase.setEnabled(self.passphrase_button.isEnabled())
        if p is not None:
            self.role_button.setText("Ma&ke pharmacist" if p.role == "technician"
                                     else "Ma&ke technician")
            self.active_button.setText("&Deactivate" if p.active else "Re&activate")

    @Slot()
    def _on_role_clicked(self) -> None:
        p = self.selected()
        if p is None:
            return
        role = "pharmacist" if p.role == "technician" else "technician"
        self._run(lambda: people.set_role(self.store, p.login, role),
                  f"{p.name} is now a {role}.")

    @Slot()
    def _on_active_clicked(self) -> None:
        p = self.selected()
        if p is None:
            return
        self._run(lambda: people.set_active(self.store, p.login, not p.active),
                  f"{p.name} can {'no longer' if p.active else 'again'} sign in.")

    @Slot()
    def _on_passphrase_clicked(self) -> None:
        p = self.selected()
        if p is None:
            return
        if self._run(lambda: people.set_passphrase(self.store, p.login,
                                                   self.new_passphrase.text()),
                     f"The passphrase of {p.name} was changed."):
            self.new_passphrase.clear()

    @Slot()
    def _on_add_clicked(self) -> None:
        if self.passphrase.text() != self.repeat.text():
            self._fail("The two passphrases differ.")
            return
        login = self.login.text().strip().lower()

        def add() -> None:
            people.add_person(self.store, login=login, name=self.name.text(),
                              role=self.role.currentData(), credentials=self.credentials.text(),
                              npi=self.npi.text(), passphrase=self.passphrase.text() or None)

        if self._run(add, f"{self.name.text().strip()} was added; they sign in as {login}."):
            for field in (self.login, self.name, self.credentials, self.npi, self.passphrase,
                          self.repeat):
                field.clear()
            self.select(login)
