"""Brown-bag scanning figures: a scanned package code to the list line it adds (NDC directory
of 20,000 imported products), one 1280x720 camera frame decoded, and one 1280x720 photo of a
pharmacy label read into proposed fields."""

from __future__ import annotations

import random
import time
from datetime import date

from mmsdesk.bench import BenchContext, Figure, median, percentile

DIRECTORY_PRODUCTS = 20_000
CODES = 300
FRAMES = 40
W, H = 1280, 720


def bench_scan_to_line(ctx: BenchContext) -> list[Figure]:
    from mmsdesk.bench.dictionary import _sources, write_large_ndc
    from mmsdesk.clinical.dictionary import load_dictionary
    from mmsdesk.clinical.dictionary.barcodes import (
        ndc_to_gtin14,
        ndc_to_upc,
        read_code,
        resolve_package,
    )
    from mmsdesk.clinical.dictionary.importers import import_ndc
    from mmsdesk.services.visits.reconciliation import scanned_line

    folder = ctx.folder("scan")
    d = load_dictionary(_sources(), folder / "cache", folder / "knowledge" / "ext.sqlite3")
    product_file = folder / "product.txt"
    write_large_ndc(product_file, DIRECTORY_PRODUCTS)
    import_ndc(product_file, d.extension_path, d)  # type: ignore[arg-type]
    rng = random.Random(5)
    codes = []
    for _ in range(CODES):
        labeler, product = divmod(rng.randrange(DIRECTORY_PRODUCTS), 9000)
        ndc = f"{10000 + labeler:05d}-{product:04d}-{rng.randrange(10)}"
        codes.append(rng.choice((ndc_to_upc(ndc), f"]d201{ndc_to_gtin14(ndc)}17281231"
                                                  f"10L{rng.randrange(999)}")))
    today = date(2026, 11, 24)
    times, unresolved = [], 0
    for code in codes:
        started = time.perf_counter()
        package = resolve_package(d, read_code(code))  # type: ignore[arg-type]
        scanned_line(package, today)
        times.append((time.perf_counter() - started) * 1000)
        unresolved += package.medication is None
    d.close()
    if unresolved:
        raise RuntimeError(f"{unresolved} scanned codes did not resolve")
    return [Figure("scan_to_line_median_ms", median(times), "ms"),
            Figure("scan_to_line_p95_ms", percentile(times, 95), "ms", target=50)]


def _frames() -> list[bytes]:
    import zxingcpp
    from PIL import Image

    from mmsdesk.clinical.dictionary.barcodes import ndc_to_gtin14, ndc_to_upc

    rng = random.Random(9)
    out = []
    for n in range(FRAMES):
        ndc = f"{10000 + n:05d}-{rng.randrange(10000):04d}-{rng.randrange(10)}"
        if n % 2:
            code = zxingcpp.create_barcode(ndc_to_upc(ndc), zxingcpp.BarcodeFormat.UPCA)
        else:
            code = zxingcpp.create_barcode(f"(01){ndc_to_gtin14(ndc)}(17)281231(10)B{n}",
                                           zxingcpp.BarcodeFormat.DataMatrix, gs1=True)
        view = memoryview(zxingcpp.write_barcode_to_image(code, scale=3 if n % 2 else 4))
        symbol = Image.frombytes("L", (view.shape[1], view.shape[0]), view.tobytes())
        frame = Image.effect_noise((W, H), 12).point(lambda v: 70 + v // 4)
        frame.paste(symbol, (rng.randrange(W - symbol.width), rng.randrange(H - symbol.height)))
        out.append(frame.tobytes())
    out.append(bytes(W * H))  # nothing in view: every format tried, none found
    return out


def bench_frame_decode(ctx: BenchContext) -> list[Figure]:
    from mmsdesk.interop.barcode_frames import decode_frame

    frames = _frames()
    decode_frame(frames[0], W, H)  # warm up
    times, read = [], 0
    for pixels in frames:
        started = time.perf_counter()
        read += bool(decode_frame(pixels, W, H))
        times.append((time.perf_counter() - started) * 1000)
    return [Figure("camera_frame_decode_median_ms", median(times), "ms"),
            Figure("camera_frame_decode_p95_ms", percentile(times, 95), "ms", target=50),
            Figure("camera_frames_read_pct", 100 * read / (len(frames) - 1), "%", target=95,
                   better="higher")]


LABEL_PHOTOS = 6


def bench_label_ocr(ctx: BenchContext) -> list[Figure]:
    """One 1280x720 photo of a pharmacy label to the fields it proposes (the OCR engine
    loaded once before, as the dialog keeps it), and how many proposed the right drug and
    strength."""
    from mmsdesk.bench.labels import render, specs
    from mmsdesk.interop.label_ocr import engine, read_label_image

    photos = [(spec, render(spec)) for spec in specs(LABEL_PHOTOS, seed=41)]
    started = time.perf_counter()
    engine()
    load_ms = (time.perf_counter() - started) * 1000
    times, right = [], 0
    for spec, png in photos:
        started = time.perf_counter()
        reading = read_label_image(png)
        times.append((time.perf_counter() - started) * 1000)
        right += bool(reading.drug and reading.drug.ingredients == spec.ingredients
                      and reading.value("strength") == spec.strength)
    return [Figure("label_ocr_engine_load_ms", load_ms, "ms"),
            Figure("label_photo_to_fields_median_ms", median(times), "ms", target=3000),
            Figure("label_photo_to_fields_max_ms", max(times), "ms"),
            Figure("label_drug_strength_right_pct", 100 * right / len(photos), "%", target=90,
                   better="higher")]


BENCHMARKS = {
    "scan_to_line": bench_scan_to_line,
    "camera_frame_decode": bench_frame_decode,
    "label_ocr": bench_label_ocr,
}
