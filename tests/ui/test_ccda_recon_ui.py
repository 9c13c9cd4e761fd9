"""A real C-CDA discharge document imported in the visit wizard's reconciliation, driven as the
pharmacist does it: its discharge medications become a discharge list with the document's
date and author, beside the chart; a truncated copy is refused with its reason."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from mmsdesk.services.visits.service import VisitService
from tests.conftest import TODAY, shared_data
from tests.ui.test_visit_wizard import click, click_tab, demo_window, johnson  # noqa: F401

NIST = "NIST__CCDA_CCD_b1_Ambulatory_v2.xml"


@pytest.fixture
def wizard(qtbot, demo_window, demo_store, johnson):  # noqa: F811
    from mmsdesk.ui.visit.launcher import open_visit

    d = VisitService(demo_store).start(johnson, "med_rec", "home", today=TODAY,
                                       now=datetime(2026, 11, 24, 9).astimezone())
    return open_visit(demo_window.ctx, d.visit_id, None, demo_window)


def _choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """The file dialog answers with ``path`` (the pharmacist picks it); what it offered is
    kept."""
    offered: list[str] = []

    def pick(_parent, _title, _dir, filters):  # type: ignore[no-untyped-def]
        offered.append(filters)
        return str(path), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(pick))
    return offered


def test_ccda_discharge_summary_becomes_a_discharge_list(qtbot, wizard, monkeypatch, tmp_path):
    doc = shared_data("ccda", NIST)
    offered = _choose(monkeypatch, doc)
    collect = wizard.pages["collect"]
    click_tab(qtbot, collect.tabs, "Reconciliation")
    recon = collect.recon
    assert recon.import_button.text().replace("&", "") == "Import a list file…"
    click(qtbot, recon.import_button)
    assert "*.xml" in offered[0] and "*.json" in offered[0]
    src = wizard.draft.collect.sources[-1]
    assert src.source == "discharge_list"
    assert src.label == "Discharge list: Henry Seven, Community Health and Hospitals"
    assert src.listed_on == date(2012, 9, 12)
    assert [i.ingredients for i in src.items] == [["fluticasone"]]
    assert src.items[0].directions == "0.11 MG/ACTUAT Metered Dose Once Daily"
    grid = recon.grid_model
    headers = [grid.headerData(c, Qt.Orientation.Horizontal) for c in range(grid.columnCount())]
    assert "Discharge list: Henry Seven, Community Health and Hospitals (9/12/2012)" in headers
    kinds = {(d.kind, tuple(d.ingredients)) for d in wizard.draft.collect.discrepancies}
    # a discharge list says what she should take: its inhaler is an omission from the chart
    assert ("omission", ("fluticasone",)) in kinds
    assert any(k == "not_on_list" for k, _ in kinds)
    assert recon.remove_box.itemText(recon.remove_box.count() - 1) == src.label
    shot = Path(os.environ.get("MMSDESK_SHOT_DIR", tmp_path)) / "ccda_discharge_list.png"
    assert wizard.grab().save(str(shot)) and shot.stat().st_size > 10_000
    qtbot.waitUntil(lambda: not wizard.dirty, timeout=2000)
    saved = VisitService(wizard.ctx.store).load_draft(wizard.draft.visit_id)
    assert (saved.collect.sources[-1].source, saved.collect.sources[-1].listed_on) == (
        "discharge_list", date(2012, 9, 12))


def test_truncated_ccda_is_refused_with_its_reason(qtbot, wizard, monkeypatch, tmp_path):
    raw = shared_data("ccda", NIST).read_bytes()
    cut = tmp_path / "discharge.xml"
    cut.write_bytes(raw[: len(raw) // 3])
    _choose(monkeypatch, cut)
    collect = wizard.pages["collect"]
    click_tab(qtbot, collect.tabs, "Reconciliation")
    before = list(wizard.draft.collect.sources)
    seen: dict[str, str] = {}

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["text"] = box.text()
        box.accept()

    QTimer.singleShot(0, close_box)
    click(qtbot, collect.recon.import_button)
    qtbot.waitUntil(lambda: "text" in seen, timeout=3000)
    assert "discharge.xml: not a readable C-CDA document" in seen["text"]
    assert wizard.draft.collect.sources == before


def test_imported_list_kind_and_date_corrected(qtbot, wizard, monkeypatch, tmp_path):
    """A list imported as "other list" is the hospital's discharge list: the pharmacist sets
    its kind and date in Edit list (a date after today, or not a date, is refused at the
    field); its name follows the kind, the lists are compared again as a discharge list (a
    chart medicine left off it is "not on the list", no longer a commission) and the draft
    saved with them."""
    from mmsdesk.ui.visit.list_dialog import EditListDialog

    typed = tmp_path / "from-hospital.txt"
    typed.write_text("fluticasone 110 mcg inhaler 2 puffs twice a day\n", encoding="utf-8")
    _choose(monkeypatch, typed)
    collect = wizard.pages["collect"]
    click_tab(qtbot, collect.tabs, "Reconciliation")
    recon = collect.recon
    click(qtbot, recon.import_button)
    src = wizard.draft.collect.sources[-1]
    assert (src.source, src.label, src.listed_on) == ("import", "Other list (from-hospital.txt)",
                                                      None)
    assert "commission" in {d.kind for d in wizard.draft.collect.discrepancies}
    seen: dict[str, object] = {}

    def edit() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, EditListDialog)
        dlg.source.setCurrentIndex(dlg.source.findData("discharge_list"))
        seen["label"] = dlg.label.text()
        dlg.listed_on.setText("12/31/2099")
        click(qtbot, dlg.buttons.button(dlg.buttons.StandardButton.Ok))
        seen["future"] = dlg.form.error_text("listed_on")
        dlg.listed_on.setText("13/45/2026")
        click(qtbot, dlg.buttons.button(dlg.buttons.StandardButton.Ok))
        seen["not a date"] = dlg.form.error_text("listed_on")
        seen["open"] = dlg.isVisible()
        dlg.listed_on.setText("11/20/2026")
        click(qtbot, dlg.buttons.button(dlg.buttons.StandardButton.Ok))

    recon.remove_box.setCurrentIndex(recon.remove_box.count() - 1)
    QTimer.singleShot(0, edit)
    click(qtbot, recon.edit_button)
    assert seen["label"] == "Discharge list (from-hospital.txt)"
    assert seen["future"] == "The date of the list is after today."
    assert seen["not a date"] and seen["open"]
    assert (src.source, src.label, src.listed_on) == (
        "discharge_list", "Discharge list (from-hospital.txt)", date(2026, 11, 20))
    kinds = {d.kind for d in wizard.draft.collect.discrepancies}
    assert "not_on_list" in kinds and "commission" not in kinds
    assert {(d.source, d.listed_on) for d in wizard.draft.collect.discrepancies
            if d.kind == "omission"} == {("discharge_list", date(2026, 11, 20))}
    assert recon.remove_box.currentText() == src.label
    qtbot.waitUntil(lambda: not wizard.dirty, timeout=2000)
    saved = VisitService(wizard.ctx.store).load_draft(wizard.draft.visit_id).collect.sources[-1]
    assert (saved.source, saved.label, saved.listed_on) == (
        "discharge_list", "Discharge list (from-hospital.txt)", date(2026, 11, 20))


def test_list_details_checked_by_the_service():
    from mmsdesk.services.visits.draft import ReconSource
    from mmsdesk.services.visits.recon_lists import edit_list, relabel

    src = ReconSource("import", "Other list (a.json)")
    assert edit_list(src, "nonsense", " ", date(2027, 1, 1), date(2026, 12, 1)) == {
        "source": "Choose the kind of list.", "label": "Give the list a name.",
        "listed_on": "The date of the list is after today."}
    assert (src.source, src.label, src.listed_on) == ("import", "Other list (a.json)", None)
    assert "source" in edit_list(ReconSource("chart", "Chart"), "bottle", "Bottles", None, None)
    assert relabel("Discharge list: Dr Seven", "discharge_list", "prescriber_record") == \
        "Prescriber's list: Dr Seven"
    assert relabel("Bottles on the table", "bottle", "patient") == "Bottles on the table"
