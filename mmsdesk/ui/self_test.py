"""``mmsdesk --self-test``: prove a build works, offscreen, on a throw-away store.

Opens the main window (Qt forced offscreen) over a temporary demo practice, opens a chart
(screening over the bundled knowledge base), starts a CMR visit and renders its CMS written
summary to PDF, then checks the PDF. Prints one line, ``self-test ok: ...`` (exit 0) or
``self-test failed: ...`` (exit 1). Used on a freshly built installer
(tests/test_installer.py); it never touches the pharmacist's data, config or logs.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path


def check_pdf(pdf: bytes) -> int:
    """The number of pages of a well-formed PDF; ValueError when it is not one."""
    from mmsdesk.services.documents import pdf_pages

    if not pdf.startswith(b"%PDF-"):
        raise ValueError("the document is not a PDF (no %PDF- header)")
    if b"%%EOF" not in pdf[-1024:]:
        raise ValueError("the PDF is truncated (no %%EOF)")
    pages = pdf_pages(pdf)
    if pages < 1:
        raise ValueError("the PDF has no pages")
    return pages


def run_self_test() -> int:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    tmp = Path(tempfile.mkdtemp(prefix="mmsdesk-self-test-"))
    for var, sub in (("MMSDESK_CONFIG_DIR", "config"), ("MMSDESK_LOG_DIR", "logs"),
                     ("MMSDESK_CACHE_DIR", "cache")):
        os.environ[var] = str(tmp / sub)
    started = time.perf_counter()
    try:
        line = _run(tmp)
    except Exception as exc:  # noqa: BLE001 - one line, whatever broke
        print(f"self-test failed: {type(exc).__name__}: {' '.join(str(exc).split())}"[:400],
              flush=True)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"self-test ok: {line}; {time.perf_counter() - started:.1f} s", flush=True)
    return 0


def _run(tmp: Path) -> str:
    from mmsdesk import __version__, paths

    paths.set_data_dir(tmp / "data")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from mmsdesk.services.demo import load_demo
    from mmsdesk.services.documents import render_document
    from mmsdesk.services.patients import PatientService
    from mmsdesk.services.visits.service import VisitService
    from mmsdesk.store import Store
    from mmsdesk.ui.app import make_application
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.main_window import MainWindow

    qInstallMessageHandler(lambda *_: None)  # the offscreen plugin's notices: output stays one line
    app = make_application([sys.argv[0]])
    today = date.today()
    store = Store.open(paths.store_path())  # unencrypted: fictional patients, deleted after
    try:
        ids = load_demo(store, today)
        window = MainWindow()
        window.attach(AppContext(store=store, events=AppEvents(window), today=lambda: today))
        window.show()
        chart = window.open_patient(ids[0])
        chart.show_page("Medications")
        for _ in range(10):
            app.processEvents()
        if not window.isVisible() or window.stack.currentWidget() is not chart:
            raise RuntimeError("the main window did not show the chart")
        rows = len(PatientService(store).list_rows())
        draft = VisitService(store).start(ids[0], "cmr", "home", today=today,
                                          now=datetime.now(UTC))
        pdf = render_document(store, "cms-summary", ids[0], visit_id=draft.visit_id, today=today)
        pages = check_pdf(pdf)
        spanish = render_document(store, "pml", ids[0], lang="es", large_print=True, today=today)
        check_pdf(spanish)  # the translations and the large-print styles are bundled too
        viewer_pages = _pages_in_viewer(pdf)
        if viewer_pages != pages:
            raise RuntimeError(f"the PDF viewer (QtPdf) reads {viewer_pages} pages, not {pages}")
        barcode = _barcode_read_back()
        label = _label_read_back()
        server = _server_driver()
        keyring_backend = _keyring_backend()
        platform = QApplication.platformName()
        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        store.close()
    return (f"MMS Desk {__version__}, window shown ({platform}), {rows} demo patients, "
            f"CMR written summary PDF {pages} pages, {len(pdf)} bytes, read back by QtPdf; "
            f"Spanish large-print PML; {barcode}; {label}; {server}; {keyring_backend}")


def _server_driver() -> str:
    """Team mode's PostgreSQL driver is bundled: SQLAlchemy loads it by name, which an
    installer's import analysis cannot see (an address is made into an engine, no connection)."""
    from mmsdesk.store.server import make_server_engine, parse_url

    engine = make_server_engine(parse_url("postgresql://nobody@localhost/practice"))
    try:
        return f"PostgreSQL driver {engine.dialect.driver} loaded"
    finally:
        engine.dispose()


def _keyring_backend() -> str:
    """The keyring package and its backends are bundled (found through their entry points,
    which an installer's import analysis cannot see): the backend this computer offers."""
    import keyring

    backend = keyring.get_keyring()
    return f"keyring backend {type(backend).__module__.rsplit('.', 1)[-1]}.{type(backend).__name__}"


def _barcode_read_back() -> str:
    """The camera's barcode decoder (zxing-cpp) is bundled: a package code drawn and read."""
    import zxingcpp

    from mmsdesk.interop.barcode_frames import decode_frame

    upc = "300021407018"  # NDC 0002-1407-01
    image = zxingcpp.write_barcode_to_image(
        zxingcpp.create_barcode(upc, zxingcpp.BarcodeFormat.UPCA), scale=2)
    height, width = memoryview(image).shape
    texts = decode_frame(memoryview(image).tobytes(), width, height)
    if not any(t.endswith(upc) for t in texts):
        raise RuntimeError(f"the barcode decoder read {texts!r}, not {upc}")
    return "package barcode decoded"


def _label_read_back() -> str:
    """The label OCR (RapidOCR, onnxruntime and its models) is bundled: a label drawn with Qt
    and read into its drug and strength."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    from mmsdesk.interop.label_ocr import read_label_image
    from mmsdesk.ui.dialogs.label_photo_dialog import png_bytes

    image = QImage(960, 360, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(Qt.GlobalColor.black)
    painter.setFont(QFont("Noto Sans", 22))
    for i, text in enumerate(("TAKE 1 TABLET BY MOUTH DAILY", "LISINOPRIL 10 MG TABLET",
                              "QTY: 30   Rx# 6024117")):
        painter.drawText(40, 80 + i * 90, text)
    painter.end()
    reading = read_label_image(png_bytes(image))
    if reading.value("drug") != "Lisinopril 10 mg tablet":
        raise RuntimeError(f"the label OCR read {reading.text!r}")
    return "label photo read"


def _pages_in_viewer(pdf: bytes) -> int:
    """Pages of ``pdf`` as the preview's viewer (QtPdf) loads them: proves QtPdf is bundled."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtPdf import QPdfDocument

    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buffer)
    if doc.status() != QPdfDocument.Status.Ready:
        raise RuntimeError(f"QtPdf cannot read the PDF ({doc.error()})")
    count = doc.pageCount()
    doc.close()
    return count
