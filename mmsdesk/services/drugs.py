"""Medication entries and the drug dictionary: fill what the dictionary knows about a text."""

from __future__ import annotations

from mmsdesk.clinical.dictionary import ResolvedMedication, resolve
from mmsdesk.models import MedicationEntry

# Fields a pharmacist may have set by hand ("manual" match): the dictionary never overwrites them.
MANUAL = "manual"


def _fit(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit]


def apply_resolution(entry: MedicationEntry, res: ResolvedMedication) -> None:
    """Copy a resolution onto the entry (ingredients ";"-joined, lowercase generic names)."""
    entry.ingredients = _fit(";".join(res.ingredients), 500)
    entry.match = res.match
    entry.brand = _fit(res.brand, 200)
    entry.strength = _fit(res.strength, 100)
    entry.dose_form = _fit(res.form, 100)
    entry.route = _fit(res.route, 50)
    entry.rxnorm_code = _fit(res.rxnorm, 32)
    entry.product = _fit(res.product, 300)


def fill_medication_entry(entry: MedicationEntry, *, rxnorm: str | None = None) -> None:
    """Resolve ``entry.text_given`` (and its RxNorm code when known) and fill the entry.

    An entry the pharmacist matched by hand keeps its ingredients. Unrecognised text is kept as
    given, with ``match = "unrecognised"`` and no ingredients, so the screen can ask for it.
    """
    if entry.match == MANUAL:
        return
    res = resolve(entry.text_given or "", rxnorm=rxnorm or entry.rxnorm_code or None)
    apply_resolution(entry, res)
