"""Photo of the label: a pharmacy label's photo (an image file or the laptop's camera) read by
the offline OCR engine; the fields it proposes sit beside the photo, each to be ticked by the
pharmacist once she has checked it against the photo. Nothing is kept until she presses
"Add the line"; the photo stays in memory (never a temporary file).

Also the viewer that shows a kept photo again from its list line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.clinical.label_read import FIELD_LABELS, LabelReading

SURE = 0.85  # below this the field is marked "check it on the photo"
MIME_OF_SUFFIX = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def _default_reader(image: bytes) -> LabelReading:
    from mmsdesk.interop.label_ocr import read_label_image

    return read_label_image(image)


class _ReadSignals(QObject):
    read = Signal(object)
    failed = Signal(str)


class _ReadJob(QRunnable):
    """The OCR off the GUI thread (one to three seconds)."""

    def __init__(self, reader: Callable[[bytes], LabelReading], image: bytes) -> None:
        super().__init__()
        self.reader, self.image = reader, image
        self.signals = _ReadSignals()

    def run(self) -> None:
        try:
            self.signals.read.emit(self.reader(self.image))
        except (ValueError, RuntimeError) as exc:
            self.signals.failed.emit(str(exc))


def _pixmap(image: bytes, width: int, height: int) -> QPixmap:
    pix = QPixmap()
    pix.loadFromData(image)
    return pix.scaled(width, height, Qt.AspectRatioMode.KeepAspectRatio,
                      Qt.TransformationMode.SmoothTransformation)


class LabelPhotoDialog(QDialog):
    """Photo on the left, proposed fields on the right, each with its tick box and its
    confidence. ``confirmed()`` gives the ticked fields after ``exec()``."""

    def __init__(self, parent: QWidget | None = None,
                 reader: Callable[[bytes], LabelReading] = _default_reader) -> None:
        super().__init__(parent)
        self.setWindowTitle("Photo of the label")
        self.reader = reader
        self.image = b""
        self.mime = "image/png"
        self.reading: LabelReading | None = None
        self._job: _ReadJob | None = None
        self.photo = QLabel("No photo yet.")
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setMinimumSize(480, 300)
        self.photo.setAccessibleName("Label photo")
        self.file_button = QPushButton("Choose an image &file…")
        self.file_button.setAccessibleName("Choose an image file of the label")
        self.file_button.clicked.connect(self._on_file_button_clicked)
        self.camera_button = QPushButton("Take a &picture…")
        self.camera_button.setAccessibleName("Take a picture of the label with the camera")
        self.camera_button.clicked.connect(self._on_camera_button_clicked)
        self.status = QLabel("Choose a photo of the label, or take one with the camera.")
        self.status.setWordWrap(True)
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Use</b>"), 0, 0)
        grid.addWidget(QLabel("<b>As read (correct it if needed)</b>"), 0, 1)
        grid.addWidget(QLabel("<b>Sure</b>"), 0, 2)
        self.checks: dict[str, QCheckBox] = {}
        self.edits: dict[str, QLineEdit] = {}
        self.sure: dict[str, QLabel] = {}
        for row, (key, label) in enumerate(FIELD_LABELS.items(), start=1):
            check = QCheckBox(label)
            check.setAccessibleName(f"Use the {label.lower()}")
            edit = QLineEdit()
            edit.setAccessibleName(label)
            edit.textEdited.connect(lambda _t, c=check: c.setChecked(True))
            check.toggled.connect(self._on_check_toggled)
            sure = QLabel("")
            self.checks[key], self.edits[key], self.sure[key] = check, edit, sure
            grid.addWidget(check, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(sure, row, 2)
        self._set_fields_enabled(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Add the line")
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        left = QVBoxLayout()
        left.addWidget(self.photo, 1)
        pick = QHBoxLayout()
        pick.addWidget(self.file_button)
        pick.addWidget(self.camera_button)
        left.addLayout(pick)
        right = QVBoxLayout()
        right.addWidget(QLabel("Tick each field once you have checked it against the photo; "
                               "only ticked fields go into the line."))
        right.addLayout(grid)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        lay = QVBoxLayout(self)
        lay.addLayout(body, 1)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)
        self.resize(1040, 560)

    # -- the photo
    def load_image(self, image: bytes, mime: str = "image/png") -> None:
        """Show the photo and read it (off the GUI thread); the fields fill when it is read."""
        self.image, self.mime, self.reading = image, mime, None
        self.photo.setPixmap(_pixmap(image, self.photo.width(), self.photo.height()))
        self._clear_fields()
        self.status.setText("Reading the label…")
        self.file_button.setEnabled(False)
        self.camera_button.setEnabled(False)
        self._job = _ReadJob(self.reader, image)
        self._job.signals.read.connect(self._on_job_read)
        self._job.signals.failed.connect(self._on_job_failed)
        QThreadPool.globalInstance().start(self._job)

    @Slot(object)
    def _on_job_read(self, reading: LabelReading) -> None:
        self.reading = reading
        self._job = None
        self.file_button.setEnabled(True)
        self.camera_button.setEnabled(True)
        self._set_fields_enabled(True)
        for f in reading.fields:
            self.edits[f.key].setText(f.value)
            self.edits[f.key].setToolTip(f"Read from: {f.line}")
            self.sure[f.key].setText(f"{round(f.confidence * 100)} %")
            if f.confidence < SURE:
                self.sure[f.key].setStyleSheet("color: #b35900; font-weight: bold;")
                self.sure[f.key].setToolTip("Not sure: check it on the photo")
        found = len(reading.fields)
        self.status.setText(
            f"{found} field(s) read. Tick those that are right; nothing is kept until you add "
            "the line." if found else "Nothing could be read on this photo: take it again, "
            "closer and straight, or type the medicine in the list.")
        self._update_ok()

    @Slot(str)
    def _on_job_failed(self, message: str) -> None:
        self._job = None
        self.reading = None
        self.file_button.setEnabled(True)
        self.camera_button.setEnabled(True)
        self.status.setText(f"The photo could not be read: {message}")
        self._update_ok()

    def _clear_fields(self) -> None:
        for key in FIELD_LABELS:
            self.edits[key].clear()
            self.checks[key].setChecked(False)
            self.sure[key].clear()
            self.sure[key].setStyleSheet("")
        self._set_fields_enabled(False)

    def _set_fields_enabled(self, enabled: bool) -> None:
        for key in FIELD_LABELS:
            self.checks[key].setEnabled(enabled)
            self.edits[key].setEnabled(enabled)

    @Slot(bool)
    def _on_check_toggled(self, _on: bool) -> None:
        self._update_ok()

    def _update_ok(self) -> None:
        """The line needs its medicine: the drug ticked and not empty."""
        self.ok.setEnabled(self.reading is not None and self.checks["drug"].isChecked()
                           and bool(self.edits["drug"].text().strip()))

    def confirmed(self) -> dict[str, str]:
        """The ticked fields, as corrected."""
        return {k: self.edits[k].text().strip() for k in FIELD_LABELS
                if self.checks[k].isChecked() and self.edits[k].text().strip()}

    @property
    def read_text(self) -> str:
        return self.reading.text if self.reading else ""

    # -- slots
    @Slot()
    def _on_file_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Photo of the label", "",
                                              "Images (*.png *.jpg *.jpeg);;All files (*)")
        if name:
            self.load_file(name)

    def load_file(self, path: str | Path) -> None:
        p = Path(path)
        try:
            data = p.read_bytes()
        except OSError as exc:
            self.status.setText(f"The file could not be opened: {exc.strerror or exc}")
            return
        self.load_image(data, MIME_OF_SUFFIX.get(p.suffix.lower(), "image/png"))

    @Slot()
    def _on_camera_button_clicked(self) -> None:
        from mmsdesk.ui.widgets.camera_scan import multimedia_problem

        problem = multimedia_problem()
        if problem:
            self.status.setText(problem + " Choose an image file of the label instead.")
            return
        dlg = CameraPhotoDialog(self)  # pragma: no cover - needs a camera
        if dlg.exec() and dlg.image:  # pragma: no cover
            self.load_image(dlg.image, "image/png")
        dlg.deleteLater()  # pragma: no cover

    def done(self, result: int) -> None:
        if self._job is not None:  # a reading still under way: its result goes nowhere
            self._job.signals.read.disconnect(self._on_job_read)
            self._job.signals.failed.disconnect(self._on_job_failed)
        super().done(result)


def png_bytes(image: QImage) -> bytes:
    """A QImage as PNG bytes, in memory."""
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


class CameraPhotoDialog(QDialog):  # pragma: no cover - needs a camera
    """The camera's live view (as Scan with camera shows it) and a button that keeps the
    current frame as the photo, in memory."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from mmsdesk.ui.widgets.camera_scan import start_camera

        super().__init__(parent)
        self.setWindowTitle("Take a picture of the label")
        self.image = b""
        self._frame: Any = None
        self.view = start_camera(self, self._on_frame)
        take = QPushButton("&Take the picture")
        take.clicked.connect(self._on_take_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(take, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Hold the label flat, filling the view, in good light."))
        lay.addWidget(self.view, 1)
        lay.addWidget(buttons)

    @Slot(object)
    def _on_frame(self, frame: Any) -> None:
        self._frame = frame

    @Slot()
    def _on_take_clicked(self) -> None:
        if self._frame is not None:
            self.image = png_bytes(self._frame.toImage())
            self.accept()

    def done(self, result: int) -> None:
        self.camera.stop()
        super().done(result)


class LabelPhotoViewer(QDialog):
    """A kept label photo, with the text that was read from it."""

    def __init__(self, image: bytes, read_text: str, taken: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Label photo" + (f" ({taken})" if taken else ""))
        self.photo = QLabel()
        self.photo.setAccessibleName("Label photo")
        self.photo.setPixmap(_pixmap(image, 720, 480))
        self.text = QPlainTextEdit(read_text)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Text read from the label")
        self.text.setMaximumHeight(140)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.photo, 1)
        lay.addWidget(QLabel("Text read from it:"))
        lay.addWidget(self.text)
        lay.addWidget(buttons)


__all__ = ["CameraPhotoDialog", "LabelPhotoDialog", "LabelPhotoViewer", "png_bytes"]
