"""Brown-bag review: ten bottles scanned through the Scan field (what a USB barcode scanner
types, ending with Enter) into a bottles list, then the reconciliation finished with them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from mmsdesk.clinical.dictionary.barcodes import ndc_to_ean13, ndc_to_gtin14, ndc_to_upc
from mmsdesk.services.visits.working_list import working_list
from tests.conftest import shared_data
from tests.ui.test_visit_wizard import (  # noqa: F401 (fixtures)
    click,
    click_row,
    click_tab,
    demo_window,
    drive,
    johnson,
    pick,
    start_cmr,
    type_into,
)
from tests.ui.typing import type_text

GS = "\x1d"
# Rows for the patient's bottles in the FDA directory's own format, beside the directory's
# real rows (the shared sample). Labeler codes 99901-99907 are test codes, not real products.
BOTTLE_ROWS = [
    ("99901-0030", "ISOSORBIDE MONONITRATE", "TABLET, EXTENDED RELEASE", "30"),
    ("99902-0050", "SILDENAFIL CITRATE", "TABLET, FILM COATED", "50"),
    ("99903-300", "ALLOPURINOL", "TABLET", "300"),
    ("99904-0080", "SIMVASTATIN", "TABLET, FILM COATED", "80"),
    ("99905-0050", "METOPROLOL TARTRATE", "TABLET", "50"),
    ("99906-0075", "CLOPIDOGREL BISULFATE", "TABLET, FILM COATED", "75"),
    ("99907-0040", "ESOMEPRAZOLE MAGNESIUM", "CAPSULE, DELAYED RELEASE", "40"),
    ("9990-0081", "ASPIRIN", "TABLET, DELAYED RELEASE", "81"),
]


def _import_directory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from mmsdesk.clinical.dictionary import get_dictionary
    from mmsdesk.clinical.dictionary.importers import import_ndc

    real = shared_data("fda-ndc", "openfda-ndc-test-product_trimmed.txt").read_text(
        encoding="utf-8").splitlines()
    header = real[0].split("\t")
    rows = list(real)
    for ndc, substance, form, mg in BOTTLE_ROWS:
        row = dict.fromkeys(header, "")
        row.update(PRODUCTID=f"{ndc}_test", PRODUCTNDC=ndc, PRODUCTTYPENAME="HUMAN PRESCRIPTION "
                   "DRUG", NONPROPRIETARYNAME=substance.title(), DOSAGEFORMNAME=form,
                   ROUTENAME="ORAL", SUBSTANCENAME=substance, ACTIVE_NUMERATOR_STRENGTH=mg,
                   ACTIVE_INGRED_UNIT="mg/1")
        rows.append("\t".join(row[h] for h in header))
    path = tmp_path / "product.txt"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    d = get_dictionary()
    import_ndc(path, d.extension_path, d)


# (what the scanner types, the directions typed after it)
SCANS = [
    (ndc_to_upc("99901-0030-1"), "1 tablet every morning"),
    ("]d201" + ndc_to_gtin14("99902-0050-3") + "17281231" + "10SL4471",
     "1 tablet as needed, 1 hour before sex"),
    (ndc_to_ean13("99903-300-90"), "1 tablet every morning"),
    ("99904008003", "1 tablet every evening"),  # the 11-digit NDC printed on a pharmacy label
    (ndc_to_upc("99905-0050-1"), "1 tablet twice a day"),  # 50 mg: the chart says 25
    ("99906-0075-9", "1 tablet every morning"),  # typed from the box, hyphenated 5-4-1
    ("]d201" + ndc_to_gtin14("99907-0040-3") + "10EX88" + GS + "17260500",  # expired in May
     "1 capsule before breakfast"),
    (ndc_to_upc("0002-1407-01"), "10 mL daily"),  # a real product of the NDC directory
    (ndc_to_upc("0045-0449-10"), "2 tablets as needed"),  # an NDC the dictionary lacks
]
LAST_INTO_MEDICINES = ndc_to_upc("9990-0081-36")  # scanned while the cursor is in the list


def test_scan_ten_bottles_and_finish_the_reconciliation(qtbot, demo_window, demo_store,  # noqa: F811
                                                        johnson, tmp_path):  # noqa: F811
    from mmsdesk.ui.visit.recon_panel import AddListDialog

    _import_directory(tmp_path)
    wizard = start_cmr(qtbot, demo_window, johnson)
    draft = wizard.draft
    collect = wizard.pages["collect"]
    click_tab(qtbot, collect.tabs, "Reconciliation")
    recon = collect.recon
    seen: dict[str, object] = {}

    def scan(dlg: AddListDialog) -> None:
        pick(qtbot, dlg.source, "Patient's bottles")
        for code, directions in SCANS:
            type_into(qtbot, dlg.scan, code)
            qtbot.keyClick(dlg.scan, Qt.Key.Key_Return)  # the scanner's Enter: no OK pressed
            assert dlg.isVisible() and dlg.scan.text() == ""
            assert not dlg.form.error_text("scan"), dlg.form.error_text("scan")
            assert dlg.focusWidget() is dlg.lines  # the cursor waits in its directions
            cursor = dlg.lines.textCursor()
            assert cursor.block().text()[cursor.positionInBlock():].startswith(" | NDC")
            type_text(qtbot, dlg.lines, directions)
        # the next bottle scanned with the cursor still in the medicines
        qtbot.keyClick(dlg.lines, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(dlg.lines, Qt.Key.Key_Return)
        type_text(qtbot, dlg.lines, LAST_INTO_MEDICINES)
        qtbot.keyClick(dlg.lines, Qt.Key.Key_Return)
        type_text(qtbot, dlg.lines, "1 tablet daily")
        type_into(qtbot, dlg.scan, "300450449107")  # a misread: bad check digit, nothing added
        qtbot.keyClick(dlg.scan, Qt.Key.Key_Return)
        seen["error"] = dlg.form.error_text("scan")
        seen["lines"] = dlg.lines.toPlainText().splitlines()
        click(qtbot, dlg.buttons.button(dlg.buttons.StandardButton.Ok))

    def scan_or_close(dlg: AddListDialog) -> None:
        try:
            scan(dlg)
        except BaseException as exc:  # shown after the dialog is closed
            seen["failed"] = exc
            dlg.reject()

    drive(AddListDialog, scan_or_close)
    click(qtbot, recon.add_button)
    if "failed" in seen:
        raise seen["failed"]  # type: ignore[misc]
    qtbot.waitUntil(lambda: len(draft.collect.sources) == 2, timeout=3000)
    assert "wrong check digit" in str(seen["error"])
    lines = seen["lines"]
    assert len(lines) == 10
    # the directory's "TABLET, EXTENDED RELEASE" keeps its release (it read as a plain tablet)
    assert lines[0] == ("Isosorbide mononitrate 30 mg extended-release tablet 1 tablet every "
                        "morning | NDC 99901-0030-1")
    assert lines[8] == "Not in the drug dictionary 2 tablets as needed | NDC 0045044910"
    bottles = draft.collect.sources[1]
    assert bottles.source == "bottle" and len(bottles.items) == 10
    items = bottles.items
    assert [i.ingredients for i in items] == [
        ["isosorbide mononitrate"], ["sildenafil"], ["allopurinol"], ["simvastatin"],
        ["metoprolol"], ["clopidogrel"], ["esomeprazole"], ["quinidine"], [], ["aspirin"]]
    assert [i.strength for i in items[:7]] == ["30 mg", "50 mg", "300 mg", "80 mg", "50 mg",
                                              "75 mg", "40 mg"]
    assert items[0].form and items[7].form == "solution"
    assert [i.directions for i in items[:9]] == [d for _, d in SCANS]
    assert items[9].directions == "1 tablet daily"
    assert [i.ndc for i in items] == [
        "99901-0030-1", "99902-0050-3", "99903-300-90", "99904-0080-3", "99905-0050-1",
        "99906-0075-9", "99907-0040-3", "0002-1407-01", "0045044910", "9990-0081-36"]
    assert (items[1].lot, items[1].expired, items[6].lot, items[6].expired) == (
        "SL4471", False, "EX88", True)
    assert "not in the drug dictionary" in items[8].text.lower() and "0045044910" in items[8].text
    from mmsdesk.services.visits.draft import VisitDraft

    saved = VisitDraft.from_json(draft.to_json()).collect.sources[1].items  # the autosaved form
    assert [(i.ndc, i.lot, i.expires, i.expired) for i in saved] == [
        (i.ndc, i.lot, i.expires, i.expired) for i in items]

    kinds = sorted(d.kind for d in draft.collect.discrepancies)
    assert kinds == ["dose", "expired", "omission", "omission", "omission"]
    expired = next(d for d in draft.collect.discrepancies if d.kind == "expired")
    assert "expired on 5/31/2026" in expired.detail and expired.ingredients == ["esomeprazole"]
    assert not collect.isComplete()
    decisions = {"omission": "Leave off the list", "dose": "Change to",
                 "expired": "Set the expired package aside"}
    for row, d in enumerate(list(draft.collect.discrepancies)):
        click_row(qtbot, recon.table, row)
        pick(qtbot, recon.decision, decisions[d.kind])
    assert all(d.decision for d in draft.collect.discrepancies)
    assert collect.isComplete()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    after = {w.name: w for w in working_list(draft)}
    meto = next(w for n, w in after.items() if n.startswith("Metoprolol"))
    assert meto.change == "changed" and meto.item is not None and meto.item.strength == "50 mg"
    esome = next(w for n, w in after.items() if n.startswith("Esomeprazole"))
    assert esome.change == ""  # an expired package changes nothing on the list
    assert not any(w.change == "added" for w in after.values())
