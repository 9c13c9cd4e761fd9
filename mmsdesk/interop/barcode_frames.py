"""Package barcodes in camera frames, decoded with zxing-cpp (a maintained C++ decoder that
ships as a wheel: UPC-A, EAN-13, GS1-128, GS1 DataMatrix and GS1 DataBar).

One function per frame, :func:`decode_frame`, is what the live view calls on each grayscale
frame; :class:`FrameReader` keeps one read per package (the same package held in front of the
camera gives the same code frame after frame). No Qt here: a frame is its bytes and size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import zxingcpp

# Medicine packages: UPC/EAN carry the NDC, GS1 symbols the GTIN with lot and expiry.
FORMATS = [zxingcpp.BarcodeFormat.UPCA, zxingcpp.BarcodeFormat.EAN13,
           zxingcpp.BarcodeFormat.DataMatrix, zxingcpp.BarcodeFormat.Code128,
           zxingcpp.BarcodeFormat.DataBar, zxingcpp.BarcodeFormat.DataBarExpanded]


def decode_frame(pixels: bytes | bytearray | memoryview, width: int, height: int,
                 stride: int | None = None) -> list[str]:
    """The codes in one 8-bit grayscale frame, as a scanner would type them (GS1 data in its
    human-readable "(01)…(17)…(10)…" form, which barcodes.read_code reads)."""
    stride = stride or width
    view = memoryview(pixels).cast("B")
    if len(view) < stride * height:
        raise ValueError(f"a {width}x{height} frame needs {stride * height} bytes, got {len(view)}")
    if stride != width:
        view = memoryview(b"".join(view[r * stride:r * stride + width] for r in range(height)))
    image = view[:width * height].cast("B", (height, width))
    return [b.text for b in zxingcpp.read_barcodes(image, formats=FORMATS) if b.text]


@dataclass
class FrameReader:
    """Decodes frame after frame; each package is reported once (a package is its code)."""

    seen: set[str] = field(default_factory=set)

    def new_codes(self, pixels: bytes | bytearray | memoryview, width: int, height: int,
                  stride: int | None = None) -> list[str]:
        out = []
        for text in decode_frame(pixels, width, height, stride):
            key = _package_key(text)
            if key not in self.seen:
                self.seen.add(key)
                out.append(text)
        return out


def _package_key(text: str) -> str:
    """UPC-A and its EAN-13 form are one package; GS1 data is keyed by all of it (two lots of
    one product are two packages)."""
    digits = text.strip()
    if digits.isdigit() and len(digits) == 13 and digits.startswith("0"):
        return digits[1:]
    return digits
