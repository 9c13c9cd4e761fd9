"""Structured directions in Spanish, for patient documents printed in Spanish.

The counterpart of :func:`mmsdesk.clinical.sig.render` ("Take 1 tablet by mouth every
morning" -> "Tome 1 tableta por la boca por la mañana"). Only directions recorded as codes
(dose, unit, route, frequency, times of day) are translated; free-text directions and the
as-needed reason stay as the pharmacist wrote them.
"""

from __future__ import annotations

import re

from mmsdesk.clinical.sig import FREQUENCIES, TIMES_OF_DAY, Directions, format_amount, route_code

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
