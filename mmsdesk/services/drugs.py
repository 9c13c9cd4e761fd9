"""Medication entries and the drug dictionary: fill what the dictionary knows about a text."""

from __future__ import annotations

from mmsdesk.clinical.dictionary import ResolvedMedication, resolve
from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.dictionary.naming import split_form
from mmsdesk.models import MedicationEntry

# Fields a pharmacist may have set by hand ("manual" match): the dictionary never overwrites them.
MANUAL = "manual"


def _fit(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit]


def apply_resolution(entry: MedicationEntry, res: ResolvedMedication) -> None:
    """Copy a resolution onto the entry: its components (in the order the product is sold),
    form and release, route, brand and code. Unrecognised text becomes one component named as
    written, so the medicine keeps its name and is shown as unrecognised."""
    entry.match = res.match
    if res.recognised:
        components = res.components or tuple(Component(i) for i in res.ingredients)
        entry.set_components(components)
    else:
        entry.set_components((Component(" ".join((res.text or entry.text_given).split())),))
    form, release = split_form(res.form)
    entry.brand = _fit(res.brand, 200)
    entry.dose_form = _fit(form, 100)
    entry.release = release
    entry.route = _fit(res.route, 50)
    entry.rxnorm_code = _fit(res.rxnorm, 32)


def fill_medication_entry(entry: MedicationEntry, *, rxnorm: str | None = None) -> None:
    """Resolve ``entry.text_given`` (and its RxNorm code when known) and fill the entry.

    An entry the pharmacist matched by hand keeps its ingredients. Unrecognised text is kept as
    given, with ``match = "unrecognised"``, so the screen can ask for it.
    """
    if entry.match == MANUAL:
        return
    res = resolve(entry.text_given or "", rxnorm=rxnorm or entry.rxnorm_code or None)
    apply_resolution(entry, res)
