"""Scan with camera: a live view (QtMultimedia) whose frames go through the frame decoder
(interop/barcode_frames.decode_frame); each new package is reported once, with a beep and a
green flash of the view's border."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from mmsdesk.interop.barcode_frames import FrameReader


class FrameScanner(QObject):
    """Frames in (QImage), new package codes out: the part of the live view that reads."""

    code_read = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reader = FrameReader()

    def take_image(self, image: QImage) -> list[str]:
        gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
        data = bytes(gray.constBits())
        codes = self.reader.new_codes(data, gray.width(), gray.height(), gray.bytesPerLine())
        for text in codes:
            self.code_read.emit(text)
        return codes


def multimedia_problem() -> str:
    """Why the camera cannot be used here, or "" when it can."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as exc:  # Linux without PulseAudio's libpulse, for one
        return f"The camera support of Qt could not be loaded ({exc})."
    if not QMediaDevices.videoInputs():
        return "No camera found."
    return ""


def start_camera(owner: QDialog, on_frame: Callable[[Any], None]) -> QWidget:  # pragma: no cover
    """The laptop's camera started in a live view (QtMultimedia) whose frames go to
    ``on_frame``; the camera is ``owner.camera``, to stop when the dialog closes. The barcode
    scan and the label's photo use the same view."""
    from PySide6.QtMultimedia import QCamera, QMediaCaptureSession
    from PySide6.QtMultimediaWidgets import QVideoWidget

    owner.camera = QCamera(owner)  # type: ignore[attr-defined]
    owner.session = QMediaCaptureSession(owner)  # type: ignore[attr-defined]
    owner.session.setCamera(owner.camera)  # type: ignore[attr-defined]
    view = QVideoWidget()
    view.setMinimumSize(640, 360)
    owner.session.setVideoOutput(view)  # type: ignore[attr-defined]
    view.videoSink().videoFrameChanged.connect(on_frame)
    owner.camera.start()  # type: ignore[attr-defined]
    return view


class CameraScanDialog(QDialog):
    """The live view; ``code_read(text)`` for each package seen, as the Scan field's text."""

    code_read = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Scan with camera")
        self.scanner = FrameScanner(self)
        self.scanner.code_read.connect(self._on_scanner_code_read)
        self.status = QLabel("Hold each package's barcode in front of the camera.")
        self.status.setWordWrap(True)
        self.count = 0
        lay = QVBoxLayout(self)
        self.problem = multimedia_problem()
        self.view: QWidget | None = None
        if not self.problem:
            self._start_camera(lay)
        else:
            self.status.setText(self.problem + " Use the Scan field with a barcode scanner.")
        lay.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _start_camera(self, lay: QVBoxLayout) -> None:  # pragma: no cover - needs a camera
        self._busy = False
        self.view = start_camera(self, self._on_frame)
        lay.addWidget(self.view, 1)

    @Slot(object)
    def _on_frame(self, frame: object) -> None:  # pragma: no cover - needs a camera
        if self._busy:  # a frame still being read: drop this one, the next comes in 30 ms
            return
        self._busy = True
        try:
            self.scanner.take_image(frame.toImage())  # type: ignore[attr-defined]
        finally:
            self._busy = False

    @Slot(str)
    def _on_scanner_code_read(self, text: str) -> None:
        self.count += 1
        self.status.setText(f"{self.count} package(s) read; the last: {text}")
        QApplication.beep()
        target = self.view or self.status
        target.setStyleSheet("border: 4px solid #2e7d32;")
        QTimer.singleShot(300, target, lambda: target.setStyleSheet(""))  # gone with it
        self.code_read.emit(text)

    def done(self, result: int) -> None:
        camera = getattr(self, "camera", None)
        if camera is not None:  # pragma: no cover - needs a camera
            camera.stop()
        super().done(result)


__all__ = ["CameraScanDialog", "FrameScanner", "multimedia_problem", "start_camera"]
