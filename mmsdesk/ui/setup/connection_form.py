"""Settings ▸ Practice connection: the practice's PostgreSQL server (team mode).

Makes the address from its parts (host, port, database, user, sslmode, the practice's CA
file), tests it (off the GUI thread: a server that does not answer keeps nothing waiting), and
hands it to the Settings dialog, which saves it to settings.json at OK; the next start opens
the window on it. The password never goes to settings.json: the one typed here is used for
the test, and kept in this computer's keyring at OK when the person ticks the box (the app
takes it from PGPASSWORD, ~/.pgpass, the keyring, or asks).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)
from sqlalchemy.engine import URL, make_url

from mmsdesk.store import StoreError
from mmsdesk.ui.widgets.form import select_data

TESTING = "Testing…"

SSL_MODES = {
    "verify-full": "verify-full: encrypted, the server proves its name (recommended)",
    "verify-ca": "verify-ca: encrypted, the server's certificate is checked, not its name",
    "require": "require: encrypted, the server is not checked",
    "disable": "disable: not encrypted (a test server on this computer only)",
}


class _TestSignals(QObject):
    finished = Signal(bool, str)  # connected?, the sentence to show


class _ConnectionTest(QRunnable):
    """One connection to the server on a pool thread (nothing is changed on it)."""

    def __init__(self, address: str, password: str | None, signals: _TestSignals) -> None:
        super().__init__()
        self.address, self.password, self.signals = address, password, signals

    def run(self) -> None:
        from mmsdesk.store.server import open_server, safe_url

        try:
            store = open_server(self.address, migrate=False, ask=False, password=self.password)
            store.close()
        except StoreError as exc:
            self.signals.finished.emit(False, f"✗ {exc}")
            return
        except Exception as exc:  # noqa: BLE001 - whatever it was, say so; never crash
            self.signals.finished.emit(False, f"✗ The connection could not be tested "
                                              f"({type(exc).__name__}).")
            return
        self.signals.finished.emit(True, f"✓ Connected to {safe_url(self.address)}.")


class ConnectionForm(QWidget):
    """The connection's parts; :meth:`address` is what Settings saves ("" = the data file).

    Signals:
        tested(bool): a connection test ended (True: connected); its sentence is in ``result``.
    """

    tested = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from mmsdesk.store.server import keyring_problem

        self._testing = False
        self._keyring_problem = keyring_problem()
        form = QFormLayout(self)
        self.use_server = QCheckBox("Use the practice's shared &database server (team mode)")
        self.use_server.setToolTip("At start, open the practice's PostgreSQL server instead "
                                   "of this computer's data file")
        self.use_server.toggled.connect(self._on_use_server_toggled)
        form.addRow(self.use_server)
        self.host = QLineEdit()
        self.host.setPlaceholderText("db.mypractice.example")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("mmsdesk")
        self.user = QLineEdit()
        self.sslmode = QComboBox()
        for mode, label in SSL_MODES.items():
            self.sslmode.addItem(label, mode)
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText("None: ~/.postgresql/root.crt or the system's CAs")
        choose = QPushButton("C&hoose…")
        choose.setAccessibleName("Choose the practice's CA certificate file")
        choose.clicked.connect(self._on_choose_clicked)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(choose)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("For the test, and the keyring if ticked below")
        self.remember = QCheckBox("&Remember the password in this computer's keyring")
        self.remember.setToolTip(self._keyring_problem or "At OK, the password typed above "
                                 "is kept in the system keyring (unticked: removed from it)")
        self.test_button = QPushButton("&Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields: list[QWidget] = [self.host, self.port, self.database, self.user,
                                      self.sslmode, self.ca_file, choose, self.password,
                                      self.test_button]
        for text, w, name in (("&Server:", self.host, "Database server"),
                              ("P&ort:", self.port, "Port"),
                              ("Data&base:", self.database, "Database name"),
                              ("&User:", self.user, "Database user"),
                              ("&Encryption:", self.sslmode, "Encryption (sslmode)"),
                              ("&CA certificate:", ca_row, ""),
                              ("Pass&word:", self.password, "Password for the test")):
            lab = QLabel(text)
            if isinstance(w, QWidget):
                lab.setBuddy(w)
                w.setAccessibleName(name)
            else:
                lab.setBuddy(self.ca_file)
                self.ca_file.setAccessibleName("Practice's CA certificate file")
            form.addRow(lab, w)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        form.addRow("", self.remember)
        form.addRow("", test_row)
        form.addRow(self.result)
        note = QLabel("Saved at OK; used from the next start. The password is never saved in "
                      "the settings: MMS Desk takes it from PGPASSWORD, ~/.pgpass or the system "
                      "keyring (tick the box above to keep it there), or asks for it at start.")
        note.setWordWrap(True)
        form.addRow(note)
        self._on_use_server_toggled(False)

    def set_address(self, address: str) -> None:
        self.use_server.setChecked(bool(address))
        if not address:
            return
        url = make_url(address)
        self.host.setText(url.host or "")
        self.port.setValue(url.port or 5432)
        self.database.setText(url.database or "")
        self.user.setText(url.username or "")
        select_data(self.sslmode, str(url.query.get("sslmode", "verify-full")))
        self.ca_file.setText(str(url.query.get("sslrootcert", "")))
        if self._keyring_problem is None:
            from mmsdesk.store.server import has_remembered_password

            self.remember.setChecked(has_remembered_password(self.address()))

    def address(self) -> str:
        """The server's address (no password), or "" for this computer's data file."""
        if not self.use_server.isChecked():
            return ""
        query = {"sslmode": self.sslmode.currentData()}
        if self.ca_file.text().strip():
            query["sslrootcert"] = self.ca_file.text().strip()
        url = URL.create("postgresql", username=self.user.text().strip() or None,
                         host=self.host.text().strip() or None, port=self.port.value(),
                         database=self.database.text().strip() or None, query=query)
        return url.render_as_string(hide_password=False)

    def save_password(self) -> str | None:
        """At OK: keep the typed password in the keyring when the box is ticked, remove it
        when unticked. None when done (or nothing to do); else the sentence saying why not."""
        address = self.address()
        if not address or self._keyring_problem is not None:
            return None
        from mmsdesk.store import server

        try:
            if not self.remember.isChecked():
                server.forget_password(address)
            elif self.password.text():
                server.remember_password(address, self.password.text())
            elif not server.has_remembered_password(address):
                return "Type the password to keep in the keyring (Practice connection)."
        except StoreError as exc:
            return str(exc)
        return None

    def test_connection(self) -> None:
        """Connect once with these settings, off the GUI thread (nothing is changed on the
        server): "Testing…" meanwhile, then how it went in one sentence (``tested``)."""
        if self._testing:
            return
        self._testing = True
        self.test_button.setEnabled(False)
        self.result.setText(TESTING)
        self._signals = _TestSignals()  # kept until the next test: the worker emits on it
        self._signals.finished.connect(self._on_test_finished)
        QThreadPool.globalInstance().start(_ConnectionTest(
            self.address(), self.password.text() or None, self._signals))

    @Slot(bool, str)
    def _on_test_finished(self, ok: bool, text: str) -> None:
        self._testing = False
        self.test_button.setEnabled(self.use_server.isChecked())
        self.result.setText(text)
        self.tested.emit(ok)

    def _on_use_server_toggled(self, on: bool) -> None:
        for w in self.fields:
            w.setEnabled(on)
        self.test_button.setEnabled(on and not self._testing)
        self.remember.setEnabled(on and self._keyring_problem is None)
        self.result.clear()

    def _on_choose_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "The practice's CA certificate",
                                              self.ca_file.text(),
                                              "Certificates (*.crt *.pem);;All files (*)")
        if path:
            self.ca_file.setText(path)
