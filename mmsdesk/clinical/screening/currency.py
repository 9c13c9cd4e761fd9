"""Is the input today's truth? A deceased patient, and medication orders whose last date is years
before the reference date (today, or the date of death): reported as warnings; orders that are
not current are left out of the list screened. Pure Python."""

from __future__ import annotations

from mmsdesk.clinical.screening.kidney import reference_date
from mmsdesk.clinical.screening.model import MedicationInput, PatientContext

# An order last dated more than this many years before the reference date is not current: it
# is reported and not screened. Long-running orders that were never renewed in the source are
# common (a chronic medicine keeps its first authored date), hence a long limit...
NOT_CURRENT_YEARS = 10
# ...and an order older than this is screened but reported, to be confirmed with the patient.
CONFIRM_YEARS = 2


def _years(days: int) -> int:
    return int(days // 365.25)


def current_medications(ctx: PatientContext) -> tuple[list[MedicationInput], list[str]]:
    """The active medications to screen, and the warnings about the input."""
    warnings: list[str] = list(ctx.warnings)
    if ctx.deceased:
        when = f" on {ctx.deceased_on.isoformat()}" if ctx.deceased_on else ""
        age = f" (age {ctx.age} at death)" if ctx.age is not None and ctx.deceased_on else ""
        warnings.append(f"Patient deceased{when}{age}: this is the record as it stood then, "
                        "not a current medication list.")
    ref = reference_date(ctx)
    meds: list[MedicationInput] = []
    for m in ctx.active():
        days = (ref - m.last_ordered).days if ref and m.last_ordered else 0
        if _years(days) >= NOT_CURRENT_YEARS:
            warnings.append(f"{m.text}: not current: last order {_years(days)} years ago "
                            f"({m.last_ordered.isoformat()}); not screened.")
            continue
        if days > CONFIRM_YEARS * 365.25:
            warnings.append(f"{m.text}: last order {_years(days)} years ago "
                            f"({m.last_ordered.isoformat()}); confirm it is still taken.")
        meds.append(m)
    return meds, warnings
