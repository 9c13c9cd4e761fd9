"""File ▸ Take along… and Bring back… in the window on the practice's server (team mode).

Take along copies the checked patients' charts into this computer's own encrypted data file
(the one the window opens without ``--database``) and holds them on the server until the chosen
day; Bring back writes them back, and when a chart was changed on the server meanwhile shows
its differences side by side, one choice per field, then brings it back again
(:mod:`mmsdesk.services.take_along`).
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from PySide6.QtCore import QDate, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class TakeAlongDialog(QDialog):
    """The patients to take along (checked), the day they are held until, and the passphrase
    of this computer's data file."""

    def __init__(self, patients: list[tuple[int, str]], today: datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Take along")
        self.patient_list = QListWidget()
        for pid, name in patients:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, pid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.patient_list.addItem(item)
        self.until_edit = QDateEdit(QDate(today.year, today.month, today.day).addDays(1))
        self.until_edit.setCalendarPopup(True)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("Held until (end of day)", self.until_edit)
        form.addRow("Passphrase of this computer's data file", self.passphrase_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Charts to copy to this computer for home visits (colleagues can "
                             "still read them, and see who holds them until when):"))
        lay.addWidget(self.patient_list)
        lay.addLayout(form)
        lay.addWidget(buttons)

    def chosen(self) -> list[int]:
        return [int(self.patient_list.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.patient_list.count())
                if self.patient_list.item(i).checkState() == Qt.CheckState.Checked]

    def until(self) -> datetime:
        d = self.until_edit.date().toPython()
        return datetime.combine(d, time(23, 59), tzinfo=UTC)  # type: ignore[arg-type]


class SettleDialog(QDialog):
    """One chart's differences side by side (record, field, laptop, server), a choice each."""

    def __init__(self, differences: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Changed on the server meanwhile")
        self.differences = differences
        self.table = QTableWidget(len(differences), 5)
        self.table.setHorizontalHeaderLabels(["Record", "Field", "On this computer",
                                              "On the server", "Keep"])
        self.combos: list[QComboBox] = []
        for row, d in enumerate(differences):
            for col, text in enumerate((d.label, d.field, _shown(d.laptop), _shown(d.server))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, item)
            combo = QComboBox()
            combo.addItem("— choose —", None)
            combo.addItem("this computer's", "laptop")
            combo.addItem("the server's", "server")
            combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
            self.table.setCellWidget(row, 4, combo)
            self.combos.append(combo)
        self.table.resizeColumnsToContents()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("This chart was changed on the server after you took it along. "
                             "Nothing of it was written. Choose which value to keep for each "
                             "difference; then it is brought back."))
        lay.addWidget(self.table)
        lay.addWidget(self.buttons)
        self._on_combo_current_index_changed()

    @Slot()
    def _on_combo_current_index_changed(self, *_: object) -> None:
        done = all(c.currentData() for c in self.combos)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(done)

    def choices(self) -> dict[tuple[str, str, str], str]:
        return {d.choice_key: c.currentData() for d, c in zip(self.differences, self.combos,
                                                              strict=True)}


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def _open_laptop(passphrase: str, window: QWidget | None = None) -> Any:
    """This computer's own data file (created encrypted when there is none yet: its recovery
    key is shown once, as at any first start)."""
    from mmsdesk import paths
    from mmsdesk.store.vault import open_encrypted

    unlocked = open_encrypted(paths.store_path(), passphrase, create=True)
    if unlocked.recovery_key:
        QMessageBox.information(window, "Recovery key", "This computer's data file was "
                                "created for the charts you take along. Its RECOVERY KEY, shown "
                                "only this once (print it and keep it safe):\n\n"
                                f"{unlocked.recovery_key}")
    return unlocked.store


def add_take_along_actions(window: QMainWindow) -> None:
    """Add the pair to the File menu of the window on the server, before Quit."""
    from PySide6.QtGui import QAction

    menu = window.file_menu  # type: ignore[attr-defined]
    before = window.quit_action  # type: ignore[attr-defined]
    window.take_along_action = QAction("&Take along…", window)  # type: ignore[attr-defined]
    window.bring_back_action = QAction("&Bring back…", window)  # type: ignore[attr-defined]
    window.take_along_action.triggered.connect(lambda: take_along_clicked(window))  # type: ignore[attr-defined]
    window.bring_back_action.triggered.connect(lambda: bring_back_clicked(window))  # type: ignore[attr-defined]
    menu.insertAction(before, window.take_along_action)  # type: ignore[attr-defined]
    menu.insertAction(before, window.bring_back_action)  # type: ignore[attr-defined]
    menu.insertSeparator(before)


def take_along_clicked(window: QMainWindow) -> None:
    from mmsdesk.services import take_along as ta
    from mmsdesk.services.patients import PatientService
    from mmsdesk.store import StoreError
    from mmsdesk.store.crypto import KeyProblem

    ctx = window.ctx  # type: ignore[attr-defined]
    rows = PatientService(ctx.store).list_rows()
    dialog = TakeAlongDialog([(r.id, r.display_name) for r in rows], datetime.now(UTC), window)
    if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen():
        return
    try:
        with _open_laptop(dialog.passphrase_edit.text(), window) as laptop:
            taken = ta.take_along(ctx.store, laptop, dialog.chosen(), dialog.until())
    except (StoreError, KeyProblem) as exc:
        QMessageBox.warning(window, "Take along", str(exc))
        return
    from mmsdesk.services import changes
    from mmsdesk.services.changes import ChangeSet

    ctx.events.publish(ChangeSet.of(changes.PATIENTS))
    window.statusBar().showMessage(  # type: ignore[attr-defined]
        f"{len(taken)} charts taken along until {dialog.until():%Y-%m-%d}.", 8000)


def bring_back_clicked(window: QMainWindow) -> None:
    from mmsdesk.services import take_along as ta
    from mmsdesk.store import StoreError
    from mmsdesk.store.crypto import KeyProblem

    ctx = window.ctx  # type: ignore[attr-defined]
    passphrase, ok = QInputDialog.getText(window, "Bring back", "Passphrase of this "
                                          "computer's data file:", QLineEdit.EchoMode.Password)
    if not ok:
        return
    try:
        with _open_laptop(passphrase, window) as laptop:
            result = ta.bring_back(ctx.store, laptop)
            brought = list(result.brought_back)
            for puuid in dict.fromkeys(d.patient_uuid for d in result.differences):
                dialog = SettleDialog([d for d in result.differences
                                       if d.patient_uuid == puuid], window)
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    continue
                ta.settle(ctx.store, laptop, puuid, dialog.choices())  # type: ignore[arg-type]
                again = ta.bring_back(ctx.store, laptop, [puuid])
                brought += again.brought_back
                result.refused += again.refused
    except (StoreError, KeyProblem) as exc:
        QMessageBox.warning(window, "Bring back", str(exc))
        return
    from mmsdesk.services import changes
    from mmsdesk.services.changes import ChangeSet

    ctx.events.publish(ChangeSet.of(changes.PATIENTS))
    text = f"{len(brought)} charts brought back."
    if result.refused:
        QMessageBox.warning(window, "Bring back", text + "\n\n" + "\n".join(result.refused))
    window.statusBar().showMessage(text, 8000)  # type: ignore[attr-defined]


__all__ = ["SettleDialog", "TakeAlongDialog", "add_take_along_actions"]
