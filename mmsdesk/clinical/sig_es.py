"""Structured directions in Spanish, for patient documents printed in Spanish.

The counterpart of :func:`mmsdesk.clinical.sig.render` ("Take 1 tablet by mouth every
morning" -> "Tome 1 tableta por la boca por la mañana"). Only directions recorded as codes
(dose, unit, route, frequency, times of day) are translated; free-text directions and the
as-needed reason stay as the pharmacist wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from mmsdesk.clinical.sig import FREQUENCIES, TIMES_OF_DAY, Directions, format_amount, route_code
from mmsdesk.clinical.sig_read import Sig

ROUTES_ES: dict[str, tuple[str, str]] = {
    "oral": ("Tome", "por la boca"),
    "inhaled": ("Inhale", "por la boca"),
    "sublingual": ("Coloque", "debajo de la lengua"),
    "topical": ("Aplique", "en la piel"),
    "transdermal": ("Aplique", "en la piel"),
    "subcutaneous": ("Inyecte", "debajo de la piel"),
    "intramuscular": ("Inyecte", "en el músculo"),
    "nasal": ("Use", "en cada fosa nasal"),
    "ophthalmic": ("Aplique", "en el ojo afectado"),
    "otic": ("Aplique", "en el oído afectado"),
    "rectal": ("Introduzca", "por vía rectal"),
    "vaginal": ("Introduzca", "por vía vaginal"),
}
UNITS_ES: dict[str, tuple[str, str]] = {
    "tablet": ("tableta", "tabletas"), "capsule": ("cápsula", "cápsulas"),
    "puff": ("inhalación", "inhalaciones"), "spray": ("atomización", "atomizaciones"),
    "drop": ("gota", "gotas"), "patch": ("parche", "parches"), "mL": ("mL", "mL"),
    "teaspoon": ("cucharadita", "cucharaditas"), "unit": ("unidad", "unidades"),
    "mg": ("mg", "mg"), "mcg": ("mcg", "mcg"), "g": ("g", "g"),
    "suppository": ("supositorio", "supositorios"), "packet": ("sobre", "sobres"),
    "application": ("aplicación", "aplicaciones"), "injection": ("inyección", "inyecciones"),
    "lozenge": ("pastilla", "pastillas"),
}
FREQUENCIES_ES: dict[str, str] = {
    "daily": "una vez al día", "bid": "dos veces al día", "tid": "tres veces al día",
    "qid": "cuatro veces al día", "q4h": "cada 4 horas", "q6h": "cada 6 horas",
    "q8h": "cada 8 horas", "q12h": "cada 12 horas", "qod": "un día sí y otro no",
    "weekly": "una vez a la semana", "monthly": "una vez al mes", "once": "una sola vez",
}
TIMES_ES = {"morning": "por la mañana", "noon": "al mediodía", "evening": "por la noche",
            "bedtime": "al acostarse"}
assert set(FREQUENCIES_ES) == set(FREQUENCIES)


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " y " + words[-1]


def render_es(d: Directions) -> str:
    code = route_code(d.route)
    verb, where = ROUTES_ES.get(code, ("Tome", ""))
    if code == "" and d.route:
        where = d.route.strip()
    words = [verb]
    if d.dose_amount is not None:
        words.append(format_amount(d.dose_amount))
        if d.dose_unit:
            one, many = UNITS_ES.get(d.dose_unit, (d.dose_unit, d.dose_unit))
            words.append(one if 0 < d.dose_amount <= 1 else many)
    if where:
        words.append(where)
    times = [TIMES_ES[t] for t in TIMES_OF_DAY if t in d.times_of_day]
    if times:
        if d.frequency in {"qod", "weekly", "monthly"}:
            words.append(FREQUENCIES_ES[d.frequency] + ",")
        words.append(_join(times))
    elif d.frequency:
        words.append(FREQUENCIES_ES.get(d.frequency, d.frequency))
    if d.as_needed:
        reason = d.as_needed_reason.strip()
        words.append(f"cuando lo necesite ({reason})" if reason else "cuando lo necesite")
    return re.sub(r"\s+", " ", " ".join(w for w in words if w)).strip()


# -- directions read from English text (clinical/sig_read.py), in Spanish
SITES_ES = {
    "by mouth": "por la boca", "under the tongue": "debajo de la lengua", "to the skin": "en la piel",
    "on the skin": "en la piel", "under the skin": "debajo de la piel",
    "into the muscle": "en el músculo", "in each nostril": "en cada fosa nasal",
    "in each eye": "en cada ojo", "in both eyes": "en ambos ojos",
    "in the affected eye": "en el ojo afectado", "in the affected ear": "en el oído afectado",
    "rectally": "por vía rectal", "vaginally": "por vía vaginal",
}
UNITS_ES_EXTRA = {"capful": ("tapón", "tapones")}
WEEKDAYS_ES = {"monday": "lunes", "tuesday": "martes", "wednesday": "miércoles",
               "thursday": "jueves", "friday": "viernes", "saturday": "sábado",
               "sunday": "domingo"}
_MEAL_ES = {"meals": ("de las comidas", "con las comidas", "de las comidas"),
            "breakfast": ("del desayuno", "con el desayuno", "del desayuno"),
            "lunch": ("del almuerzo", "con el almuerzo", "del almuerzo"),
            "supper": ("de la cena", "con la cena", "de la cena"),
            "food": ("de comer", "con comida", "de comer")}
_RELATION_ES = {"before": "antes", "with": "", "after": "después"}
NOTES_ES = {"full_glass_water": "con un vaso lleno de agua",
            "rinse_mouth": "enjuáguese la boca después"}


def meal_es(relation: str, meal: str, minutes: int | None = None) -> str:
    if meal not in _MEAL_ES or relation not in _RELATION_ES:
        return ""
    phrase = _MEAL_ES[meal][("before", "with", "after").index(relation)]
    if relation == "with":
        return phrase
    lead = f"{minutes} minutos " if minutes else ""
    return f"{lead}{_RELATION_ES[relation]} {phrase}"


def _plural(days: list[str]) -> str:
    return _join([WEEKDAYS_ES[d] for d in days])


def render_sig_es(sig: Sig, reasons: Mapping[str, str]) -> str | None:
    """A sig read from English text, in Spanish; None when a part of it has no translation
    (words the reader did not understand, an as-needed reason not in ``reasons``)."""
    if not sig.understood:
        return None
    if sig.steps:
        parts = [render_sig_es(s, reasons) for s in sig.steps]
        if any(p is None for p in parts):
            return None
        first, *more = [p for p in parts if p]
        return ", ".join([first] + ["luego " + p[:1].lower() + p[1:] for p in more])
    d = sig.directions
    code = route_code(d.route)
    verb, where = ROUTES_ES.get(code, ("Tome", ""))
    if sig.site:
        where = SITES_ES.get(sig.site, where)
    words = [verb]
    if d.dose_amount is not None:
        words.append(format_amount(d.dose_amount))
        if d.dose_unit:
            one, many = {**UNITS_ES, **UNITS_ES_EXTRA}.get(d.dose_unit, (d.dose_unit, d.dose_unit))
            words.append(one if 0 < d.dose_amount <= 1 else many)
    if where:
        words.append(where)
    times = [TIMES_ES[t] for t in TIMES_OF_DAY if t in d.times_of_day]
    if sig.except_weekdays:
        words.append(f"todos los días excepto el {_plural(list(sig.except_weekdays))}")
    elif sig.weekdays:
        lead = "una vez a la semana, " if d.frequency == "weekly" and len(sig.weekdays) == 1 else ""
        words.append(f"{lead}cada {_plural(list(sig.weekdays))}")
    elif times and d.frequency in {"qod", "weekly", "monthly"}:
        words.append(FREQUENCIES_ES[d.frequency] + ",")
    elif d.frequency and not times:
        words.append(FREQUENCIES_ES.get(d.frequency, d.frequency))
    if times:
        words.append(_join(times))
    meal = meal_es(*sig.meal, sig.meal_minutes)
    if meal:
        words.append(meal)
    words += ["," + NOTES_ES[n] for n in sig.notes if n in NOTES_ES]
    if sig.for_days:
        words.append(f"durante {sig.for_days} días")
    if d.as_needed:
        reason = d.as_needed_reason.strip().lower()
        if reason and reason not in reasons:
            return None
        words.append(f"cuando lo necesite para {reasons[reason]}" if reason
                     else "cuando lo necesite")
    if sig.max_per_day:
        words.append(f", como máximo {format_amount(sig.max_per_day)} al día")
    text = " ".join(w for w in words if w)
    text = re.sub(r"\s*,\s*", ", ", text)
    return re.sub(r"\s+", " ", text).strip()
