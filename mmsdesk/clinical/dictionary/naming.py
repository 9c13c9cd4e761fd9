"""The names a patient reads, built from a medicine's components at the moment they are shown.

``medication_name(components, "tablet", "", "Eliquis")`` is "Apixaban 2.5 mg tablet (Eliquis)";
a combination lists each ingredient with its own amount ("Carbidopa 10 mg / levodopa 100 mg
tablet (Sinemet)"). Nothing here is stored: a changed strength shows everywhere at once.

Amounts follow the Institute for Safe Medication Practices' List of Error-Prone Abbreviations,
Symbols, and Dose Designations: no trailing zero ("5 mg", never "5.0 mg"), a leading zero
("0.5 mg"), a thousands comma from 1,000 ("5,000 units"), and "units" spelled out (never "U").
"""

from __future__ import annotations

from mmsdesk.clinical.dictionary.model import Component

RELEASES = ("", "extended", "delayed")

# stored dose form -> (English, Spanish), as the patient says it
_FORMS: dict[str, tuple[str, str]] = {
    "tablet": ("tablet", "tableta"),
    "oral tablet": ("tablet", "tableta"),
    "capsule": ("capsule", "cápsula"),
    "oral capsule": ("capsule", "cápsula"),
    "chewable tablet": ("chewable tablet", "tableta masticable"),
    "effervescent tablet": ("effervescent tablet", "tableta efervescente"),
    "orally disintegrating tablet": ("tablet that melts in the mouth",
                                     "tableta que se disuelve en la boca"),
    "sublingual tablet": ("tablet under the tongue", "tableta sublingual"),
    "sublingual film": ("film under the tongue", "película sublingual"),
    "buccal film": ("film for the cheek", "película bucal"),
    "oral film": ("film", "película oral"),
    "oral solution": ("liquid", "líquido"),
    "solution": ("solution", "solución"),
    "oral suspension": ("oral suspension", "suspensión oral"),
    "suspension": ("suspension", "suspensión"),
    "enteral suspension": ("suspension for the feeding tube", "suspensión enteral"),
    "oral powder": ("powder", "polvo"),
    "powder": ("powder", "polvo"),
    "injection": ("injection", "inyección"),
    "injectable solution": ("injection", "inyección"),
    "injectable suspension": ("injection", "inyección"),
    "prefilled syringe": ("prefilled syringe", "jeringa precargada"),
    "auto-injector": ("auto-injector", "autoinyector"),
    "pen injector": ("pen", "pluma"),
    "transdermal patch": ("patch", "parche"),
    "dry powder inhaler": ("inhaler", "inhalador"),
    "metered dose inhaler": ("inhaler", "inhalador"),
    "inhaler": ("inhaler", "inhalador"),
    "inhalation spray": ("inhaler", "inhalador"),
    "inhalation powder": ("inhaler", "inhalador"),
    "inhalation solution": ("nebulizer solution", "solución para nebulizador"),
    "nasal spray": ("nasal spray", "aerosol nasal"),
    "mucosal spray": ("spray", "aerosol"),
    "spray": ("spray", "aerosol"),
    "ophthalmic solution": ("eye drops", "gotas para los ojos"),
    "ophthalmic suspension": ("eye drops", "gotas para los ojos"),
    "ophthalmic emulsion": ("eye drops", "gotas para los ojos"),
    "ophthalmic ointment": ("eye ointment", "pomada para los ojos"),
    "otic solution": ("ear drops", "gotas para los oídos"),
    "otic suspension": ("ear drops", "gotas para los oídos"),
    "topical cream": ("cream", "crema"),
    "cream": ("cream", "crema"),
    "topical gel": ("gel", "gel"),
    "gel": ("gel", "gel"),
    "topical solution": ("solution for the skin", "solución para la piel"),
    "ointment": ("ointment", "pomada"),
    "lotion": ("lotion", "loción"),
    "shampoo": ("shampoo", "champú"),
    "vaginal cream": ("vaginal cream", "crema vaginal"),
    "vaginal ring": ("vaginal ring", "anillo vaginal"),
    "rectal suppository": ("suppository", "supositorio"),
    "suppository": ("suppository", "supositorio"),
    "enema": ("enema", "enema"),
    "intrauterine system": ("intrauterine device", "dispositivo intrauterino"),
    "implant": ("implant", "implante"),
    "lozenge": ("lozenge", "pastilla para chupar"),
    "troche": ("lozenge", "pastilla para chupar"),
    "chewing gum": ("gum", "chicle"),
    "pack": ("pack", "paquete"),
}
_RELEASE_WORDS = {"extended": ("extended-release", "de liberación prolongada"),
                  "delayed": ("delayed-release", "de liberación retardada")}
_UNIT_WORDS = {"unit": ("units", "unidades"), "meq": ("mEq", "mEq"), "ml": ("mL", "mL"),
               "mmol": ("mmol", "mmol")}
_PER_WORDS = {"ml": ("mL", "mL"), "actuat": ("puff", "inhalación"), "hr": ("hours", "horas"),
              "g": ("g", "g"), "l": ("L", "L"), "dose": ("dose", "dosis")}
# The same when there is one of it: "0.583 mg/hour", not "mg/hours".
_PER_ONE = {"hr": ("hour", "hora")}
# Forms whose amount is understood per puff or per device: the name leaves the "per" out.
_PER_UNDERSTOOD = {"actuat"}


def split_form(form: str) -> tuple[str, str]:
    """"extended release oral tablet" -> ("oral tablet", "extended"); ("tablet", "") as is."""
    f = " ".join((form or "").lower().split())
    for release in ("extended", "delayed"):
        for prefix in (f"{release} release ", f"{release}-release "):
            if f.startswith(prefix):
                return f[len(prefix):], release
    return f, ""


def full_form(dose_form: str, release: str) -> str:
    """The form with its release, as the dictionary writes it: "extended release oral tablet"."""
    return f"{release} release {dose_form}".strip() if release and dose_form else dose_form


def format_amount(value: float) -> str:
    """2.5 -> "2.5", 5.0 -> "5", 0.088 -> "0.088", 50000 -> "50,000"."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text if text else "0"


def _unit(unit: str, amount: float | None, lang: str) -> str:
    words = _UNIT_WORDS.get(unit)
    if words is None:
        return unit
    word = words[1] if lang == "es" else words[0]
    if unit == "unit" and amount == 1:
        word = "unidad" if lang == "es" else "unit"
    return word


def amount_text(c: Component, lang: str = "en", *, with_per: bool = True) -> str:
    """"10 mg", "250 mg/5 mL", "21 mg/24 hours"; "" when the amount is not known."""
    if c.amount is None:
        return ""
    text = f"{format_amount(c.amount)} {_unit(c.unit, c.amount, lang)}".strip()
    if with_per and c.per_unit:
        i = 1 if lang == "es" else 0
        per = _PER_WORDS.get(c.per_unit, (c.per_unit, c.per_unit))[i]
        if c.per_amount and c.per_amount != 1:
            per = f"{format_amount(c.per_amount)} {per}"
        elif c.per_unit in _PER_ONE:
            per = _PER_ONE[c.per_unit][i]
        text += f"/{per}"
    return text


def strength_text(components: tuple[Component, ...] | list[Component], lang: str = "en") -> str:
    """The strength alone, each ingredient's amount in order: "10 mg / 100 mg"; "" if none."""
    parts = [amount_text(c, lang) for c in components]
    return " / ".join(p if p else "?" for p in parts) if any(parts) else ""


def form_words(form: str, release: str = "", lang: str = "en") -> str:
    """The dose form as a patient says it: "extended-release tablet", "inhaler", "eye drops"."""
    base, implied = split_form(form)
    release = release or implied
    i = 1 if lang == "es" else 0
    words = _FORMS.get(base)
    if words is not None:
        text = words[i]
    else:
        text = base.removeprefix("oral ").strip()
    if not text:
        return ""
    if release in _RELEASE_WORDS:
        rw = _RELEASE_WORDS[release][i]
        text = f"{text} {rw}" if lang == "es" else f"{rw} {text}"
    return text


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def medication_name(components: tuple[Component, ...] | list[Component], form: str = "",
                    release: str = "", brand: str = "", lang: str = "en",
                    recognised: bool = True) -> str:
    """The name on every screen and document, in plain case, never with directions in it.

    "Apixaban 2.5 mg tablet (Eliquis)"; "Budesonide 80 mcg / formoterol 4.5 mcg inhaler
    (Symbicort)"; an unrecognised medicine is its one component as written.
    """
    if not components:
        return ""
    if not recognised:
        return " ".join(components[0].ingredient.split())
    base, _ = split_form(form)
    with_per = not any(c.per_unit in _PER_UNDERSTOOD for c in components)
    parts = []
    for c in components:
        amount = amount_text(c, lang, with_per=with_per)
        parts.append(f"{c.ingredient} {amount}".strip())
    name = " / ".join(parts)
    fw = form_words(base, release, lang)
    if fw:
        name = f"{name} {fw}"
    name = _capitalised(name)
    if brand and brand.strip().lower() not in {c.ingredient.lower() for c in components}:
        name += f" ({brand.strip()})"
    return name
