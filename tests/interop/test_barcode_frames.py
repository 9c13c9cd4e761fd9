"""Camera decoding: package barcodes rendered (zxing-cpp's own writer) from the real NDCs of
the FDA directory sample, placed in 1280x720 frames rotated, blurred and faded, read through
the frame decoder the live view uses; at least 95 % read back to the right NDC."""

from __future__ import annotations

import random

import pytest
import zxingcpp
from PIL import Image, ImageFilter

from mmsdesk.clinical.dictionary.barcodes import CodeError, ndc_to_gtin14, ndc_to_upc, read_code
from mmsdesk.interop.barcode_frames import FrameReader, decode_frame
from tests.conftest import shared_data

W, H = 1280, 720


def directory_ndcs() -> list[str]:
    lines = shared_data("fda-ndc", "openfda-ndc-test-package_trimmed.txt").read_text(
        encoding="utf-8").splitlines()
    col = lines[0].split("\t").index("NDCPACKAGECODE")
    return [line.split("\t")[col] for line in lines[1:] if line.strip()]


def symbols(ndc: str) -> list[tuple[str, zxingcpp.Barcode]]:
    gs1 = f"(01){ndc_to_gtin14(ndc)}(17)281130(10)L{ndc[-2:]}7"
    return [("upc-a", zxingcpp.create_barcode(ndc_to_upc(ndc), zxingcpp.BarcodeFormat.UPCA)),
            ("ean-13", zxingcpp.create_barcode("0" + ndc_to_upc(ndc),
                                               zxingcpp.BarcodeFormat.EAN13)),
            ("gs1-datamatrix", zxingcpp.create_barcode(gs1, zxingcpp.BarcodeFormat.DataMatrix,
                                                       gs1=True)),
            ("gs1-128", zxingcpp.create_barcode(gs1, zxingcpp.BarcodeFormat.Code128, gs1=True))]


def to_pil(barcode: zxingcpp.Barcode, scale: int) -> Image.Image:
    view = memoryview(zxingcpp.write_barcode_to_image(barcode, scale=scale))
    return Image.frombytes("L", (view.shape[1], view.shape[0]), view.tobytes())


# pixels per module: each symbol, turned a quarter, still fits in the 720 rows of a frame
SCALES = {"upc-a": 3, "ean-13": 3, "gs1-datamatrix": 4, "gs1-128": 2}
DISTORTIONS = {
    "plain": {},
    "rotated 90": {"angle": 90},
    "rotated 180": {"angle": 180},
    "tilted 8 degrees": {"angle": 8},
    "blurred": {"blur": 1.2},
    "low contrast": {"contrast": (105, 150)},
    "tilted, blurred, low contrast": {"angle": -5, "blur": 0.8, "contrast": (90, 165)},
}


def frame(symbol: Image.Image, rng: random.Random, angle: float = 0, blur: float = 0,
          contrast: tuple[int, int] = (0, 255)) -> Image.Image:
    """The symbol on a bottle in a camera frame: a grey background with noise, the label
    somewhere in it, turned, out of focus or dim."""
    label = Image.new("L", (symbol.width + 80, symbol.height + 80), 255)
    label.paste(symbol, (40, 40))
    if angle:
        label = label.rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BILINEAR)
    out = Image.effect_noise((W, H), 12).point(lambda v: 70 + v // 4)
    x, y = rng.randrange(0, max(1, W - label.width)), rng.randrange(0, max(1, H - label.height))
    out.paste(label, (x, y))
    if blur:
        out = out.filter(ImageFilter.GaussianBlur(blur))
    lo, hi = contrast
    return out.point(lambda v: lo + v * (hi - lo) // 255)


def _package(text: str):  # type: ignore[no-untyped-def]
    """What the live view keeps of a decoded text: a package code, else nothing."""
    try:
        return read_code(text)
    except CodeError:
        return None


def test_at_least_95_percent_of_distorted_frames_read_to_the_right_ndc():
    rng = random.Random(23)
    ndcs = directory_ndcs()
    assert len(ndcs) >= 2
    results: list[tuple[str, str, str, bool]] = []
    for ndc in ndcs:
        for kind, barcode in symbols(ndc):
            symbol = to_pil(barcode, SCALES[kind])
            for name, how in DISTORTIONS.items():
                image = frame(symbol, rng, **how)
                texts = decode_frame(image.tobytes(), W, H)
                codes = [_package(t) for t in texts]
                ok = any(c is not None and c.digits == ndc.replace("-", "") for c in codes)
                if ok and kind.startswith("gs1"):
                    c = next(c for c in codes if c is not None)
                    ok = c.lot == f"L{ndc[-2:]}7" and c.expiry is not None
                results.append((ndc, kind, name, ok))
    read = sum(ok for *_, ok in results)
    missed = [r[:3] for r in results if not r[3]]
    assert len(results) == len(ndcs) * 4 * len(DISTORTIONS)
    assert read / len(results) >= 0.95, missed


def test_same_package_reported_once_and_strided_frames():
    symbol = to_pil(symbols(directory_ndcs()[0])[0][1], 3)
    image = frame(symbol, random.Random(1))
    reader = FrameReader()
    first = reader.new_codes(image.tobytes(), W, H)
    assert len(first) == 1 and read_code(first[0]).digits == directory_ndcs()[0].replace("-", "")
    assert reader.new_codes(image.tobytes(), W, H) == []  # the same bottle, next frame
    padded = b"".join(image.tobytes()[r * W:(r + 1) * W] + b"\0" * 64 for r in range(H))
    assert decode_frame(padded, W, H, stride=W + 64) == decode_frame(image.tobytes(), W, H)
    assert decode_frame(bytes(W * H), W, H) == []  # an empty frame
    with pytest.raises(ValueError, match="needs"):
        decode_frame(bytes(10), W, H)
