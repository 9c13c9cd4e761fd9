"""Scan with camera: frames (QImage, as the live view's video sink gives them) go through the
frame decoder; each package is read once and becomes its line in the list being typed."""

from __future__ import annotations

import random

import zxingcpp
from PIL import Image
from PySide6.QtGui import QImage

from mmsdesk.clinical.dictionary.barcodes import ndc_to_upc
from mmsdesk.ui.widgets.camera_scan import CameraScanDialog, FrameScanner, multimedia_problem
from tests.conftest import TODAY, shared_data

W, H = 1280, 720


def _frame_with(ndc: str) -> QImage:
    code = zxingcpp.create_barcode(ndc_to_upc(ndc), zxingcpp.BarcodeFormat.UPCA)
    view = memoryview(zxingcpp.write_barcode_to_image(code, scale=3))
    symbol = Image.frombytes("L", (view.shape[1], view.shape[0]), view.tobytes())
    frame = Image.effect_noise((W, H), 12).point(lambda v: 70 + v // 4).convert("RGB")
    rng = random.Random(ndc)
    frame.paste(symbol.convert("RGB"), (rng.randrange(W - symbol.width),
                                        rng.randrange(H - symbol.height)))
    data = frame.tobytes()
    return QImage(data, W, H, 3 * W, QImage.Format.Format_RGB888).copy()


def test_frames_read_once_per_package_into_the_list(qtbot):
    from mmsdesk.clinical.dictionary import get_dictionary
    from mmsdesk.clinical.dictionary.importers import import_ndc
    from mmsdesk.ui.visit.recon_panel import AddListDialog

    d = get_dictionary()
    import_ndc(shared_data("fda-ndc", "openfda-ndc-test-product_trimmed.txt"), d.extension_path, d)
    dlg = AddListDialog(today=TODAY)
    qtbot.addWidget(dlg)
    scanner = FrameScanner()
    scanner.code_read.connect(dlg.add_scanned)
    quinidine, water = _frame_with("0002-1407-01"), _frame_with("0002-0800-01")
    for image in (quinidine, quinidine, water, quinidine, water):  # the bottle held still
        scanner.take_image(image)
    lines = dlg.lines.toPlainText().splitlines()
    assert [line.split(" | ")[1] for line in lines] == ["NDC 0002-1407-01", "NDC 0002-0800-01"]
    assert lines[0].startswith("Quinidine 80 mg/mL solution")


def test_camera_dialog_says_why_it_cannot_show_the_camera(qtbot):
    problem = multimedia_problem()
    dlg = CameraScanDialog()
    qtbot.addWidget(dlg)
    if problem:  # no camera (or no Qt camera support) on this machine: said in words
        assert problem in dlg.status.text() and "Scan field" in dlg.status.text()
    seen: list[str] = []
    dlg.code_read.connect(seen.append)
    dlg.scanner.take_image(_frame_with("0002-1407-01"))
    assert seen == [ndc_to_upc("0002-1407-01")] or seen == ["0" + ndc_to_upc("0002-1407-01")]
    assert dlg.count == 1 and "1 package(s) read" in dlg.status.text()
