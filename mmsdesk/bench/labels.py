"""Photos of pharmacy labels drawn for the OCR bench and tests (Pillow): several retail
layouts and fonts, the label on a table at a slight angle, with a camera's blur and noise.

The drugs are real products at strengths they are sold in; the people, pharmacies and numbers
are made up. Each :class:`LabelSpec` knows what its label says, so a reading can be checked.
"""

from __future__ import annotations

import io
import random
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

W, H = 1280, 720
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONTS = {
    "sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "serif": ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    "mono": ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
    "condensed": ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
}

# (as the label prints it, the generic ingredients, the strength the dictionary gives)
DRUGS = [
    ("METOPROLOL TARTRATE 50 MG TAB", ("metoprolol",), "50 mg"),
    ("LISINOPRIL 10 MG TABLET", ("lisinopril",), "10 mg"),
    ("ATORVASTATIN 40MG TAB", ("atorvastatin",), "40 mg"),
    ("Amlodipine Besylate 5 mg Tablet", ("amlodipine",), "5 mg"),
    ("LEVOTHYROXINE SODIUM 75 MCG TAB", ("levothyroxine",), "75 mcg"),
    ("METFORMIN HCL 500 MG TABLET", ("metformin",), "500 mg"),
    ("Sertraline 50 mg Tablet", ("sertraline",), "50 mg"),
    ("OMEPRAZOLE DR 20 MG CAPSULE", ("omeprazole",), "20 mg"),
    ("GABAPENTIN 300MG CAPSULE", ("gabapentin",), "300 mg"),
    ("FUROSEMIDE 40 MG TAB", ("furosemide",), "40 mg"),
    ("Losartan Potassium 50 mg Tab", ("losartan",), "50 mg"),
    ("SIMVASTATIN 20 MG TABLET", ("simvastatin",), "20 mg"),
    ("WARFARIN SODIUM 5 MG TAB", ("warfarin",), "5 mg"),
    ("ELIQUIS 5 MG TABLET", ("apixaban",), "5 mg"),
    ("HYDROCHLOROTHIAZIDE 25 MG TAB", ("hydrochlorothiazide",), "25 mg"),
    ("Pravastatin Sodium 40 mg Tablet", ("pravastatin",), "40 mg"),
    ("CARVEDILOL 12.5 MG TABLET", ("carvedilol",), "12.5 mg"),
    ("Tamsulosin HCl 0.4 mg Capsule", ("tamsulosin",), "0.4 mg"),
    ("DONEPEZIL 10 MG TAB", ("donepezil",), "10 mg"),
    ("ALLOPURINOL 100MG TABLET", ("allopurinol",), "100 mg"),
    ("Montelukast 10 mg Tablet", ("montelukast",), "10 mg"),
    ("PANTOPRAZOLE 40 MG TAB EC", ("pantoprazole",), "40 mg"),
    ("CLOPIDOGREL 75 MG TABLET", ("clopidogrel",), "75 mg"),
    ("Escitalopram 10 mg Tablet", ("escitalopram",), "10 mg"),
]
SIGS = [
    "TAKE 1 TABLET BY MOUTH TWICE DAILY",
    "Take 1 tablet by mouth once daily",
    "TAKE ONE TABLET BY MOUTH AT BEDTIME",
    "Take 1 tablet by mouth every morning",
    "TAKE 1 CAPSULE BY MOUTH DAILY BEFORE BREAKFAST",
    "Take 2 tablets by mouth once daily",
]
PHARMACIES = ["MAIN STREET PHARMACY", "Riverside Drug", "OAKWOOD APOTHECARY",
              "Hilltop Pharmacy", "CORNER DRUG STORE"]
PRESCRIBERS = ["ALAN SMITH", "Maria Gonzalez", "JAMES O'NEIL", "Priya Raman", "LINDA CHO",
               "Robert Hayes"]
PATIENTS = ["JANE DOE", "Mary Jones", "ROBERT BROWN", "Linda Park"]
LAYOUTS = ("retail", "columns", "compact")


@dataclass(frozen=True)
class LabelSpec:
    drug: str
    ingredients: tuple[str, ...]
    strength: str
    sig: str
    prescriber: str
    pharmacy: str
    patient: str
    rx_number: str
    quantity: int
    filled_on: date
    layout: str
    font: str
    angle: float
    blur: float
    noise: int


def specs(n: int = 24, seed: int = 23) -> list[LabelSpec]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        drug, ingredients, strength = DRUGS[i % len(DRUGS)]
        out.append(LabelSpec(
            drug, ingredients, strength, rng.choice(SIGS), rng.choice(PRESCRIBERS),
            rng.choice(PHARMACIES), rng.choice(PATIENTS), str(rng.randrange(1_000_000, 9_999_999)),
            rng.choice((30, 60, 90)), date(2026, 1, 1) + timedelta(days=rng.randrange(300)),
            LAYOUTS[i % len(LAYOUTS)], list(FONTS)[(i // 3) % len(FONTS)],
            rng.uniform(-3, 3), rng.choice((0.0, 0.6, 1.0)), rng.choice((0, 8, 16))))
    return out


def _font(name: str, bold: bool, size: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    file = FONTS[name][1 if bold else 0]
    for folder in FONT_DIRS:
        if (folder / file).exists():
            return ImageFont.truetype(str(folder / file), size)
    return ImageFont.load_default(size)


def _lines(spec: LabelSpec) -> list[tuple[str, bool, int]]:
    """(text, bold, size) top to bottom, as the layout prints them."""
    day = spec.filled_on.strftime("%m/%d/%Y")
    sig = textwrap.wrap(spec.sig, 30 if spec.layout == "compact" else 36)
    if spec.layout == "retail":
        return [(f"{spec.pharmacy}  (555) 201-4410", False, 26),
                (f"Rx# {spec.rx_number}     Date Filled: {day}", False, 26),
                (spec.patient, True, 32),
                *[(s, True, 32) for s in sig],
                (spec.drug, False, 28),
                (f"QTY: {spec.quantity}     Refills: 2", False, 26),
                (f"Dr. {spec.prescriber}", False, 26)]
    if spec.layout == "columns":
        return [(f"{spec.pharmacy}", True, 28),
                (f"RX {spec.rx_number}                  Filled: {day}", False, 24),
                (spec.drug, True, 30),
                (f"{spec.patient}", False, 26),
                *[(s, False, 30) for s in sig],
                (f"Prescriber: {spec.prescriber}, MD      Qty: {spec.quantity}", False, 24),
                ("Discard after: " + (spec.filled_on + timedelta(days=365)).strftime("%m/%d/%Y"),
                 False, 22)]
    return [(f"{spec.pharmacy} - 12 Elm St", False, 24),
            (f"Rx: {spec.rx_number}  DATE: {spec.filled_on.strftime('%m/%d/%y')}", False, 24),
            (f"{spec.patient}", True, 28),
            *[(s, True, 28) for s in sig],
            (f"{spec.drug}", True, 28),
            (f"Qty {spec.quantity}  No refills", False, 24),
            (f"Prescriber: DR {spec.prescriber}", False, 24)]


def render(spec: LabelSpec, seed: int = 0) -> bytes:
    """The label's photo as PNG bytes (1280x720)."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed or int(spec.rx_number))
    label = Image.new("RGB", (1000, 560), (250, 250, 246))
    draw = ImageDraw.Draw(label)
    y = 24
    for text, bold, size in _lines(spec):
        font = _font(spec.font, bold, size)
        draw.text((30, y), text, font=font, fill=(20, 20, 28))
        y += int(size * 1.55)
    if spec.layout == "columns":
        draw.rectangle((4, 4, 995, 555), outline=(40, 40, 40), width=3)
    label = label.rotate(spec.angle, expand=True, fillcolor=(120, 110, 95),
                         resample=Image.Resampling.BICUBIC)
    photo = Image.new("RGB", (W, H), (120, 110, 95))
    photo.paste(label, ((W - label.width) // 2 + rng.randrange(-40, 40),
                        (H - label.height) // 2 + rng.randrange(-30, 30)))
    if spec.blur:
        photo = photo.filter(ImageFilter.GaussianBlur(spec.blur))
    if spec.noise:
        noise = Image.effect_noise((W, H), spec.noise).convert("RGB")
        photo = Image.blend(photo, noise, 0.12)
    out = io.BytesIO()
    photo.save(out, "PNG")
    return out.getvalue()
