"""File ▸ Take along… / Bring back… in the window on the practice's server (#22 item 4): the
charts copied to this computer's encrypted data file and held; brought back, and a chart
changed on the server meanwhile settled in the side-by-side dialog."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog, QMessageBox

from mmsdesk import paths
from mmsdesk.services import take_along as ta
from mmsdesk.services.medications import MedicationService
from mmsdesk.store.vault import open_encrypted
from mmsdesk.ui.take_along_actions import SettleDialog, TakeAlongDialog
from tests.conftest import TODAY
from tests.services.visit_helpers import make_bob
from tests.ui.test_team_window import server_window  # noqa: F401 (fixture)

PASS = "laptop passphrase for the take along"


def _strength(store, med_id: int, strength: str) -> None:
    meds = MedicationService(store)
    data, version = meds.get_for_edit(med_id)
    meds.update(med_id, dataclasses.replace(data, strength=strength), TODAY,
                expected_version=version)


def test_take_along_then_bring_back_settling_in_the_dialog(qtbot, server_window,  # noqa: F811
                                                           monkeypatch):
    window = server_window
    server = window.ctx.store
    bob = make_bob(server)
    texts = [a.text() for a in window.file_menu.actions()]
    assert texts.index("&Take along…") < texts.index("&Bring back…") < texts.index("&Quit")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))

    errors: list[BaseException] = []

    def guarded(fn):  # a failed check closes the dialog instead of leaving it open
        def run() -> None:
            dialog = QApplication.activeModalWidget()
            try:
                fn(dialog)
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
                if dialog is not None:
                    dialog.reject()
        return run

    @guarded
    def fill_take_along(dialog) -> None:
        assert isinstance(dialog, TakeAlongDialog), dialog
        item = dialog.patient_list.item(0)
        assert item.text() == "Stone, Bob"
        item.setCheckState(Qt.CheckState.Checked)
        dialog.passphrase_edit.setText(PASS)
        dialog.accept()

    QTimer.singleShot(0, fill_take_along)
    window.take_along_action.trigger()
    assert not errors, errors
    assert any("RECOVERY KEY" in s for s in shown)  # a new data file: its key shown once
    info = ta.held_by(server, bob.patient_id)
    assert info is not None
    assert "Held by" in window.open_patient(bob.patient_id).header.facts_label.text()

    # away: a new dose on this computer's copy; at the office the same medicine changes too
    with open_encrypted(paths.store_path(), PASS).store as laptop:
        from sqlalchemy import select

        from mmsdesk.models import MedicationEntry

        with laptop.session() as s:
            local = s.execute(select(MedicationEntry.id).where(
                MedicationEntry.text_given.like("Doxazosin%"))).scalar_one()
        _strength(laptop, local, "8 mg")
    _strength(server, bob.doxazosin, "2 mg")

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (PASS, True))
    seen: list[int] = []

    @guarded
    def settle(dialog) -> None:
        assert isinstance(dialog, SettleDialog), dialog
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        seen.append(dialog.table.rowCount())
        assert not ok.isEnabled()  # every difference needs a choice
        for combo in dialog.combos:
            combo.setCurrentIndex(combo.findData("server"))
        assert ok.isEnabled()
        ok.click()

    QTimer.singleShot(0, settle)
    window.bring_back_action.trigger()
    assert not errors, errors
    assert seen and seen[0] >= 2
    assert ta.held_by(server, bob.patient_id) is None
    assert MedicationService(server).get(bob.doxazosin).strength == "2 mg"  # as chosen
    assert window.statusBar().currentMessage() == "1 charts brought back."
