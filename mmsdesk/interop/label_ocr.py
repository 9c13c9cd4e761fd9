"""Printed text on a photo of a pharmacy label, read offline with RapidOCR (PaddleOCR's
detection and recognition models run by onnxruntime on the CPU; the models ship inside the
``rapidocr-onnxruntime`` wheel, so nothing is downloaded and nothing else is installed).

The photo is read from its bytes in memory: a label is PHI and is never written to a temporary
file. The engine is loaded once per process (about a quarter of a second) and kept.

:func:`read_lines` gives the label's lines top to bottom, each with the engine's confidence;
:func:`read_label_image` turns them into proposed fields (clinical/label_read.py). No Qt here.
"""

from __future__ import annotations

import os
import statistics
import threading
from dataclasses import dataclass
from typing import Any

from mmsdesk.clinical.label_read import LabelReading, OcrLine, read_label

# opencv-python (a dependency of RapidOCR) points Qt at its own plugins and fonts when it is
# imported; the application's Qt must keep its own.
_QT_VARS = ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR", "QT_PLUGIN_PATH")

_engine: Any = None
_lock = threading.Lock()


class OcrUnavailable(RuntimeError):
    """The OCR engine cannot be loaded on this computer (its message says why)."""


def engine() -> Any:
    """The RapidOCR engine, loaded on first use."""
    global _engine
    with _lock:
        if _engine is None:
            saved = {k: os.environ.get(k) for k in _QT_VARS}
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as exc:  # pragma: no cover - the dependency is installed
                raise OcrUnavailable(f"the OCR engine is not installed ({exc})") from exc
            finally:
                for k, v in saved.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v
            # one core left to the window: onnxruntime's threads wait spinning, and on a
            # two-core laptop two of them fight the GUI (median 3.4 s a label against 2.5 s)
            _engine = RapidOCR(print_verbose=False,
                               intra_op_num_threads=max(1, (os.cpu_count() or 2) - 1))
        return _engine


@dataclass(frozen=True)
class _Box:
    left: float
    right: float
    top: float
    bottom: float


def _box(points: Any) -> _Box:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return _Box(min(xs), max(xs), min(ys), max(ys))


def spaced(text: str, char_boxes: Any) -> str:
    """The recognised text with the spaces its characters' boxes show (the recognition model
    often runs words together: "METOPROLOLTARTRATE"); a gap wider than half the usual
    letter width is a space. The text as read when the boxes do not match its letters."""
    letters = [c for c in text if not c.isspace()]
    if not char_boxes or len(char_boxes) != len(letters):
        return text
    boxes = [_box(b) for b in char_boxes]
    widths = [b.right - b.left for b in boxes if b.right > b.left]
    if not widths:
        return text
    usual = statistics.median(widths)
    out = [letters[0]]
    for prev, cur, ch in zip(boxes, boxes[1:], letters[1:], strict=False):
        if cur.left - prev.right > usual / 2:
            out.append(" ")
        out.append(ch)
    return "".join(out)


MAX_SIDE = 1600  # a phone's 12-megapixel photo is read at this size: seconds, not a minute


def _pixels(image: bytes) -> Any:
    """The photo as the engine's BGR pixel array, upright (a phone records its orientation
    apart) and no larger than MAX_SIDE; decoded in memory."""
    import io

    import numpy as np
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(image)) as photo:
            upright = ImageOps.exif_transpose(photo).convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError("the file is not a picture this program reads (PNG or JPEG)") from exc
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    return np.ascontiguousarray(np.asarray(upright)[:, :, ::-1])


def read_lines(image: bytes) -> list[OcrLine]:
    """The text lines of an image (PNG or JPEG bytes), top to bottom and left to right; lines
    that sit side by side at the same height are joined into one line."""
    ocr, pixels = engine(), _pixels(image)
    try:
        result, _elapsed = ocr(pixels, return_word_box=True)
    except Exception as exc:  # the engine's own errors on an unreadable image
        raise ValueError(f"the image could not be read ({exc})") from exc
    pieces = []
    for row in result or []:
        box = _box(row[0])
        text = spaced(str(row[1]), row[3] if len(row) > 3 else None)
        pieces.append((box, text, float(row[2])))
    return _rows(pieces)


def _rows(pieces: list[tuple[_Box, str, float]]) -> list[OcrLine]:
    """Pieces whose middles are within half a line height of each other form one line."""
    pieces.sort(key=lambda p: (p[0].top + p[0].bottom) / 2)
    rows: list[list[tuple[_Box, str, float]]] = []
    for piece in pieces:
        mid = (piece[0].top + piece[0].bottom) / 2
        if rows:
            last = rows[-1][0][0]
            if abs(mid - (last.top + last.bottom) / 2) < (last.bottom - last.top) / 2:
                rows[-1].append(piece)
                continue
        rows.append([piece])
    lines = []
    for row in rows:
        row.sort(key=lambda p: p[0].left)
        lines.append(OcrLine("   ".join(p[1] for p in row), min(p[2] for p in row)))
    return lines


def read_label_image(image: bytes) -> LabelReading:
    """A photo of a pharmacy label -> the fields it proposes (each with its confidence)."""
    return read_label(read_lines(image))
