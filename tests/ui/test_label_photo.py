"""Photo of the label: a label photo from a file is read by the OCR engine into proposed
fields; nothing is kept until the pharmacist ticks the fields and adds the line; then the list
line exists and its photo is in the store (LabelPhoto), viewable again from the line.
Cancelling keeps nothing."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QFileDialog

from mmsdesk.bench.labels import LabelSpec, render
from mmsdesk.services.visits.label_photos import LabelPhotoService
from tests.ui.test_visit_wizard import (  # noqa: F401 (fixtures)
    click,
    click_tab,
    demo_window,
    drive,
    johnson,
    pick,
    start_cmr,
)

SPEC = LabelSpec("LISINOPRIL 10 MG TABLET", ("lisinopril",), "10 mg",
                 "TAKE 1 TABLET BY MOUTH TWICE DAILY", "ALAN SMITH", "MAIN STREET PHARMACY",
                 "ROBERT BROWN", "6024117", 60, date(2026, 11, 2), "retail", "sans", 1.5, 0.6, 8)


@pytest.fixture
def label_file(tmp_path, monkeypatch):
    path = tmp_path / "label.png"
    path.write_bytes(render(SPEC))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))
    return path


def _run(qtbot, steps, seen):  # type: ignore[no-untyped-def]
    def guarded(dlg):  # type: ignore[no-untyped-def]
        try:
            steps(dlg)
        except BaseException as exc:  # raised again after the dialog is closed
            seen["failed"] = exc
            dlg.reject()
    return guarded


def _read_photo(qtbot, dlg) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, dlg.file_button)
    assert not dlg.ok.isEnabled()
    qtbot.waitUntil(lambda: dlg.reading is not None, timeout=60_000)


def test_a_label_photo_becomes_a_confirmed_line_with_its_photo_kept(
        qtbot, demo_window, demo_store, johnson, label_file):  # noqa: F811
    from mmsdesk.ui.dialogs.label_photo_dialog import LabelPhotoDialog, LabelPhotoViewer
    from mmsdesk.ui.visit.recon_panel import AddListDialog

    photos = LabelPhotoService(demo_store)
    wizard = start_cmr(qtbot, demo_window, johnson)
    draft = wizard.draft
    collect = wizard.pages["collect"]
    click_tab(qtbot, collect.tabs, "Reconciliation")
    recon = collect.recon
    seen: dict[str, object] = {}

    def confirm(dlg: LabelPhotoDialog) -> None:
        _read_photo(qtbot, dlg)
        assert dlg.photo.pixmap() is not None and not dlg.photo.pixmap().isNull()
        assert dlg.edits["drug"].text() == "Lisinopril 10 mg tablet"
        assert dlg.edits["strength"].text() == "10 mg"
        assert dlg.edits["directions"].text() == "Take 1 tablet by mouth twice daily"
        assert dlg.edits["rx_number"].text() == "6024117"
        assert dlg.sure["drug"].text().endswith("%")
        # proposed, not confirmed: nothing ticked, nothing kept, the line cannot be added
        assert not any(c.isChecked() for c in dlg.checks.values())
        assert not dlg.ok.isEnabled() and photos.count(johnson) == 0
        for key in ("drug", "directions", "rx_number", "filled_on"):
            click(qtbot, dlg.checks[key])
        dlg.edits["filled_on"].setText("2026-11-02")  # as she reads it on the photo
        seen["confirmed"] = dlg.confirmed()
        assert photos.count(johnson) == 0
        click(qtbot, dlg.ok)

    def add_list(dlg: AddListDialog) -> None:
        pick(qtbot, dlg.source, "Patient's bottles")
        drive(LabelPhotoDialog, _run(qtbot, confirm, seen))
        click(qtbot, dlg.label_button)
        if "failed" in seen:
            raise seen["failed"]  # type: ignore[misc]
        seen["lines"] = dlg.lines.toPlainText().splitlines()
        seen["kept_before_list"] = photos.count(johnson)
        click(qtbot, dlg.buttons.button(dlg.buttons.StandardButton.Ok))

    drive(AddListDialog, _run(qtbot, add_list, seen))
    click(qtbot, recon.add_button)
    if "failed" in seen:
        raise seen["failed"]  # type: ignore[misc]
    assert seen["confirmed"] == {"drug": "Lisinopril 10 mg tablet",
                                 "directions": "Take 1 tablet by mouth twice daily",
                                 "rx_number": "6024117", "filled_on": "2026-11-02"}
    (line,) = seen["lines"]  # type: ignore[misc]
    assert line.startswith("Lisinopril 10 mg tablet Take 1 tablet by mouth twice daily  | "
                           "label photo ")
    assert line.endswith(": Rx 6024117, filled 2026-11-02")
    qtbot.waitUntil(lambda: len(draft.collect.sources) == 2, timeout=3000)
    (item,) = draft.collect.sources[1].items
    assert item.ingredients == ["lisinopril"] and item.strength == "10 mg"
    assert item.frequency == "bid" and item.photo
    kept = photos.get(johnson, item.photo)
    assert kept is not None and kept.image == label_file.read_bytes()
    assert "6024117" in kept.read_text and kept.mime == "image/png"
    assert draft.visit_id is not None and kept.visit_id == draft.visit_id
    assert photos.count(johnson) == 1

    # the photo again, from the line in the grid
    model = recon.grid_model
    row = next(r for r, k in enumerate(model.keys) if "lisinopril" in k)
    col = 1 + next(i for i, s in enumerate(model.sources) if s.source == "bottle")
    recon.grid.setCurrentIndex(model.index(row, col))
    assert recon.photo_button.isEnabled()

    def look(viewer: LabelPhotoViewer) -> None:
        seen["viewer_text"] = viewer.text.toPlainText()
        seen["viewer_photo"] = not viewer.photo.pixmap().isNull()
        viewer.reject()

    drive(LabelPhotoViewer, look)
    click(qtbot, recon.photo_button)
    assert seen["viewer_photo"] and "6024117" in str(seen["viewer_text"])
    recon.grid.setCurrentIndex(model.index(row, 0))
    assert not recon.photo_button.isEnabled()


def test_cancelled_label_or_list_keeps_nothing(qtbot, demo_window, demo_store, johnson,  # noqa: F811
                                              label_file):
    from mmsdesk.ui.dialogs.label_photo_dialog import LabelPhotoDialog
    from mmsdesk.ui.visit.recon_panel import AddListDialog

    photos = LabelPhotoService(demo_store)
    wizard = start_cmr(qtbot, demo_window, johnson)
    draft = wizard.draft
    collect = wizard.pages["collect"]
    click_tab(qtbot, collect.tabs, "Reconciliation")
    seen: dict[str, object] = {}

    def cancel_label(dlg: LabelPhotoDialog) -> None:
        _read_photo(qtbot, dlg)
        click(qtbot, dlg.checks["drug"])
        click(qtbot, dlg.buttons.button(dlg.buttons.StandardButton.Cancel))

    def confirm_label(dlg: LabelPhotoDialog) -> None:  # the reading not waited for: a fake one
        from mmsdesk.clinical.label_read import OcrLine, read_label

        dlg._on_job_read(read_label([OcrLine("LISINOPRIL 10 MG TABLET", 0.99)]))
        click(qtbot, dlg.checks["drug"])
        click(qtbot, dlg.ok)

    def add_list(dlg: AddListDialog) -> None:
        drive(LabelPhotoDialog, _run(qtbot, cancel_label, seen))
        click(qtbot, dlg.label_button)
        if "failed" in seen:
            raise seen["failed"]  # type: ignore[misc]
        seen["after_cancel"] = (dlg.lines.toPlainText(), photos.count(johnson))
        drive(LabelPhotoDialog, _run(qtbot, confirm_label, seen))
        click(qtbot, dlg.label_button)
        if "failed" in seen:
            raise seen["failed"]  # type: ignore[misc]
        seen["after_confirm"] = photos.count(johnson)
        click(qtbot, dlg.buttons.button(dlg.buttons.StandardButton.Cancel))

    drive(AddListDialog, _run(qtbot, add_list, seen))
    click(qtbot, collect.recon.add_button)
    if "failed" in seen:
        raise seen["failed"]  # type: ignore[misc]
    assert seen["after_cancel"] == ("", 0)
    assert seen["after_confirm"] == 1  # kept with its line while the list is open…
    assert photos.count(johnson) == 0  # …and taken back when the list is cancelled
    assert len(draft.collect.sources) == 1
