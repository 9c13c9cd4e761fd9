"""Rules that read measurements: kidney function (on the measure each rule's source uses), dose
limits summed across products, the DOAC label dose criteria, and lab-driven cumulative risks
(hyperkalaemia, hyponatraemia) and the INR with warfarin. Each alert carries its evidence lines:
the values used, their inputs and dates, or why a value was not used. Pure Python."""

from __future__ import annotations

import re

from mmsdesk.clinical.screening.kidney import LABELS, UNITS, Kidney, stale
from mmsdesk.clinical.screening.knowledge import Knowledge, Row
from mmsdesk.clinical.screening.model import SEVERITIES, Alert, MedicationInput, PatientContext

_RANK = {s: i for i, s in enumerate(SEVERITIES)}
_COND = re.compile(r"^(age|crcl|egfr|weight_kg)\s*(<=|>=|<|>)\s*([\d.]+)$")
_CMP = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__}
_TO_MG = {"mg": 1.0, "mcg": 0.001, "g": 1000.0}
WORDS = {"<": "below", "<=": "at or below", ">": "above", ">=": "at or above"}


def _threshold(text: str) -> tuple[str, float]:
    m = re.match(r"^(<=|>=|<|>)\s*([\d.]+)$", text.strip())
    if not m:
        raise ValueError(f"bad threshold {text!r}")
    return m.group(1), float(m.group(2))


def _releases(meds: list[MedicationInput], drug: str) -> set[str]:
    return {m.release for m in meds if drug in m.ingredients}


def _release_ok(row: Row, releases: set[str]) -> bool:
    want = row["release"]
    if want == "extended":
        return "extended" in releases
    if want == "immediate":
        return any(r != "extended" for r in releases)
    return True


# -- kidney -----------------------------------------------------------------------------------

def renal_alerts(kb: Knowledge, ctx: PatientContext, meds: list[MedicationInput],
                 present: frozenset[str], k: Kidney) -> list[Alert]:
    best: dict[str, tuple[float, Row, float, str, tuple[str, ...]]] = {}
    for row in kb.rules["renal"]:
        drugs = present & kb.expand(row["drugs"])
        if not drugs:
            continue
        value, used, lines = k.for_rule(row["measure"])
        if value is None:
            continue
        op, limit = _threshold(row["threshold"])
        if not _CMP[op](float(value), limit):
            continue
        for drug in drugs:
            if not _release_ok(row, _releases(meds, drug)):
                continue
            old = best.get(drug)
            if old is None or limit < old[0] or (limit == old[0] and
                                                  _RANK[row["severity"]] < _RANK[old[1]["severity"]]):
                best[drug] = (limit, row, value, used, lines)
    out = []
    for drug, (limit, row, value, used, lines) in sorted(best.items()):
        op, _ = _threshold(row["threshold"])
        own = row["measure"]
        detail = (f"{LABELS[used]} {value:g} {UNITS[used]} is {WORDS[op]} {limit:g} for {drug} "
                  f"(the source's measure is {_measure_name(own)}).")
        out.append(Alert("renal", row["severity"], (drug,), row["title"], detail,
                         row["recommendation"], kb.references(row), row.rule_id,
                         lines + (f"Source: {row['section']}",)))
    return out


def _measure_name(name: str) -> str:
    return "Cockcroft-Gault CrCl" if name == "crcl" else "eGFR"


# -- dose limits ------------------------------------------------------------------------------

def _condition(text: str, ctx: PatientContext, k: Kidney, kb: Knowledge | None = None,
               present: frozenset[str] = frozenset()) -> tuple[bool | None, str]:
    """(met, evidence): None when a value the condition needs is unknown. ``with:TERM`` is met
    when the patient takes a drug the term names (e.g. aspirin's limit beside ticagrelor)."""
    if not text:
        return True, ""
    if text.startswith("with:"):
        if kb is None:
            raise ValueError(f"condition {text!r} needs the knowledge base")
        taken = sorted(present & kb.expand(text[5:]))
        return bool(taken), (f"Taken with {', '.join(taken)}" if taken else "")
    m = _COND.match(text.replace(" ", ""))
    if not m:
        raise ValueError(f"bad condition {text!r}")
    what, op, limit = m.group(1), m.group(2), float(m.group(3))
    if what in ("crcl", "egfr"):
        value, used, lines = k.for_rule(what)
        if value is None:
            return None, k.get(what).line
        return _CMP[op](float(value), limit), "; ".join(lines)
    value = ctx.age if what == "age" else ctx.weight_kg
    if value is None:
        return None, f"{what}: not on file"
    return _CMP[op](float(value), limit), ""


def _mg(amount: float, unit: str) -> float | None:
    factor = _TO_MG.get(unit)
    return amount * factor if factor is not None else None


def dose_alerts(kb: Knowledge, ctx: PatientContext, meds: list[MedicationInput],
                present: frozenset[str], k: Kidney) -> list[Alert]:
    out: list[Alert] = []
    by_drug: dict[tuple[str, str], list[Row]] = {}
    for row in kb.rules["dose"]:
        for drug in present & kb.expand(row["drugs"]):
            by_drug.setdefault((drug, row["limit"]), []).append(row)
    for (drug, limit_kind), rows in sorted(by_drug.items()):
        applying: list[tuple[float, Row, str]] = []
        for row in rows:
            met, why = _condition(row["when"], ctx, k, kb, present)
            if met:
                applying.append((_mg(float(row["amount"]), row["unit"]) or 0.0, row, why))
        if not applying:
            continue
        applying.sort(key=lambda t: t[0])
        for limit_mg, row, why in applying:
            takers = [m for m in meds if drug in m.ingredients
                      and _release_ok(row, {m.release})]
            found = _amount(takers, drug, limit_kind)
            if found is None:
                continue
            total, lines, partial = found
            if total <= limit_mg + 1e-9:
                continue
            what = "a dose" if limit_kind == "per_dose" else "a day"
            least = "at least " if partial else ""
            detail = (f"{drug.capitalize()} {least}{_fmt(total)} mg {what} "
                      f"(limit {_fmt(limit_mg)} mg {what}"
                      + (f" when {_when_words(row['when'])}" if row["when"] else "") + ").")
            evidence = tuple(lines) + ((why,) if why else ()) + (f"Source: {row['section']}",)
            out.append(Alert("dose", row["severity"], (drug,), row["title"], detail,
                             row["recommendation"], kb.references(row), row.rule_id, evidence))
            break  # the lowest limit exceeded is the one reported
    return out


def _when_words(when: str) -> str:
    return f"taken with {when[5:].lstrip('@').replace('_', ' ')}" if when.startswith("with:") \
        else when


def _fmt(value: float) -> str:
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _amount(takers: list[MedicationInput], drug: str, kind: str
            ) -> tuple[float, list[str], bool] | None:
    """Per dose: the largest single administration; per day: the sum over every product. None
    when no product's amount is known; partial when some product's amount is unknown."""
    values, lines, partial = [], [], False
    for m in takers:
        per_dose, per_day, unit = m.amount_of(drug)
        v = per_dose if kind == "per_dose" else per_day
        mg = _mg(v, unit) if v is not None else None
        if mg is None:
            partial = True
            lines.append(f"{m.text}: amount of {drug} not known from the strength and directions")
            continue
        values.append(mg)
        upto = "up to " if m.as_needed and kind == "per_day" else ""
        lines.append(f"{m.text}: {upto}{_fmt(mg)} mg of {drug} "
                     + ("a dose" if kind == "per_dose" else "a day"))
    if not values:
        return None
    total = max(values) if kind == "per_dose" else sum(values)
    return total, lines, partial and kind == "per_day"


# -- DOAC label dose criteria -----------------------------------------------------------------

def _dose_mg(m: MedicationInput, drug: str) -> float | None:
    per_dose, _, unit = m.amount_of(drug)
    if per_dose is None:
        comp = next((c for c in m.components if c[0] == drug and c[1] is not None), None)
        if comp is None or m.dose_per_admin not in (None, 1.0):
            return None
        per_dose, unit = comp[1], comp[2]  # one unit a dose when the directions do not say
    return _mg(per_dose, unit)


def doac_alerts(kb: Knowledge, ctx: PatientContext, meds: list[MedicationInput],
                k: Kidney) -> list[Alert]:
    out: list[Alert] = []
    for m in meds:
        for drug in m.ingredients:
            check = _DOAC.get(drug)
            if check is None:
                continue
            dose = _dose_mg(m, drug)
            if dose is None:
                continue
            alert = check(kb, ctx, k, m, dose)
            if alert is not None:
                out.append(alert)
    return out


def _doac(kb: Knowledge, key: str, severity: str, drug: str, rule: str, title: str,
          detail: str, action: str, evidence: tuple[str, ...]) -> Alert:
    return Alert("dose", severity, (drug,), title, detail, action, (kb.sources[key],), rule,
                 evidence)


def _apixaban(kb, ctx, k, m, dose):  # noqa: ANN001, ANN202
    creat_old = stale(ctx, "creatinine", 365)
    weight_old = stale(ctx, "weight_kg", 365)
    crit = {
        "age 80 or older": None if ctx.age is None else ctx.age >= 80,
        "weight 60 kg or less": None if ctx.weight_kg is None or weight_old else ctx.weight_kg <= 60,
        "serum creatinine 1.5 mg/dL or more": (None if ctx.creatinine is None or creat_old
                                               else ctx.creatinine >= 1.5)}
    met = [c for c, v in crit.items() if v]
    unknown = [c for c, v in crit.items() if v is None]
    lines = (f"Dose: {_fmt(dose)} mg ({m.text})",
             f"Criteria met: {', '.join(met) or 'none'}"
             + (f"; not known: {', '.join(unknown)}" if unknown else ""),
             "Source: Eliquis label 2.2 (atrial fibrillation: 2.5 mg twice daily with any two of "
             "age 80 or older, weight 60 kg or less, serum creatinine 1.5 mg/dL or more)")
    if dose >= 5 and len(met) >= 2:
        return _doac(kb, "label-eliquis", "high", "apixaban", "dose-apixaban-high",
                     "Apixaban 5 mg with the label criteria for 2.5 mg",
                     f"{len(met)} of the 3 dose-reduction criteria are met; for atrial "
                     "fibrillation the label dose is 2.5 mg twice daily.",
                     "Ask the prescriber to confirm the indication and reduce to 2.5 mg twice "
                     "daily if it is for atrial fibrillation.", lines)
    if dose == 2.5 and len(met) + len(unknown) < 2 and k.crcl.value is not None \
            and k.crcl.value >= 25:
        return _doac(kb, "label-eliquis", "moderate", "apixaban", "dose-apixaban-low",
                     "Apixaban 2.5 mg without the label criteria",
                     "Fewer than 2 of the 3 dose-reduction criteria are met; for atrial "
                     "fibrillation the label dose is 5 mg twice daily (2.5 mg is for hip or knee "
                     "surgery prophylaxis or extended VTE prevention).",
                     "Ask the prescriber to confirm the indication; for atrial fibrillation an "
                     "under-dose leaves stroke risk.", lines + (k.crcl.line,))
    return None


def _by_crcl(drug: str, key: str, section: str, high_dose: float, low_dose: float,
             cut: float, floor: float):  # noqa: ANN202
    """A DOAC whose atrial-fibrillation dose steps down at CrCl ``cut`` (inclusive) to
    ``low_dose``; below ``floor`` another rule (renal.psv) says avoid."""
    def check(kb, ctx, k, m, dose):  # noqa: ANN001, ANN202
        value, used, lines = k.for_rule("crcl")
        if value is None or value < floor:
            return None
        evidence = (f"Dose: {_fmt(dose)} mg ({m.text})",) + lines + (f"Source: {section}",)
        name = drug.capitalize()
        if value <= cut and dose >= high_dose:
            return _doac(kb, key, "high", drug, f"dose-{drug}-high",
                         f"{name} {_fmt(dose)} mg above the label dose for the CrCl",
                         f"{LABELS[used]} {value:g} is {cut:g} or less: for atrial fibrillation "
                         f"the label dose is {_fmt(low_dose)} mg.",
                         f"Ask the prescriber to confirm the indication and reduce to "
                         f"{_fmt(low_dose)} mg if it is for atrial fibrillation.", evidence)
        if value > cut and dose == low_dose:
            return _doac(kb, key, "moderate", drug, f"dose-{drug}-low",
                         f"{name} {_fmt(dose)} mg below the label dose for the CrCl",
                         f"{LABELS[used]} {value:g} is above {cut:g}: for atrial fibrillation "
                         f"the label dose is {_fmt(high_dose)} mg.",
                         "Ask the prescriber to confirm the indication and the reason for the "
                         "lower dose (an under-dose leaves stroke risk).", evidence)
        return None
    return check


def _edoxaban(kb, ctx, k, m, dose):  # noqa: ANN001, ANN202
    value, used, lines = k.for_rule("crcl")
    if value is not None and value > 95 and dose >= 30:
        return _doac(kb, "label-savaysa", "moderate", "edoxaban", "dose-edoxaban-crcl95",
                     "Edoxaban with CrCl above 95",
                     f"{LABELS[used]} {value:g} is above 95: the label says not to use edoxaban "
                     "for atrial fibrillation (more strokes than with warfarin).",
                     "Ask the prescriber to confirm the indication; for atrial fibrillation "
                     "another anticoagulant is preferred.",
                     (f"Dose: {_fmt(dose)} mg ({m.text})",) + lines
                     + ("Source: Savaysa boxed warning and 2.1",))
    return _edoxaban_steps(kb, ctx, k, m, dose)


_edoxaban_steps = _by_crcl("edoxaban", "label-savaysa", "Savaysa label 2.1 (atrial fibrillation: "
                           "60 mg daily at CrCl above 50 to 95, 30 mg at CrCl 15-50)",
                           60, 30, 50, 15)
_DOAC = {
    "apixaban": _apixaban,
    "rivaroxaban": _by_crcl("rivaroxaban", "label-xarelto", "Xarelto label 2.3 (atrial "
                            "fibrillation: 20 mg daily at CrCl above 50, 15 mg at 50 or less)",
                            20, 15, 50, 15),
    "dabigatran": _by_crcl("dabigatran", "label-pradaxa", "Pradaxa label 2.3 (atrial "
                           "fibrillation: 150 mg twice daily at CrCl above 30, 75 mg at 15-30)",
                           150, 75, 30, 15),
    "edoxaban": _edoxaban,
}


# -- lab-driven cumulative risks and the INR --------------------------------------------------

def lab_alerts(kb: Knowledge, ctx: PatientContext, meds: list[MedicationInput],
               alerts: list[Alert]) -> tuple[list[Alert], list[str]]:
    """The alerts with each lab risk's pairwise rules folded into its one alert; warnings.
    Without an abnormal value the risk alerts from ``alert_at`` contributing medicines (one
    combination product such as sacubitril-valsartan counts once)."""
    out, warnings = list(alerts), []
    for row in kb.rules["lab_risks"]:
        if row["min_age"] and (ctx.age is None or ctx.age < int(row["min_age"])):
            continue
        members = kb.expand(row["members"])
        products = [m for m in meds if members & set(m.ingredients)]
        drugs = sorted({d for m in products for d in m.ingredients if d in members})
        if not drugs:
            continue
        rules = {r.strip() for r in row["rules"].split(",") if r.strip()}
        pairs = [a for a in out if a.kind == "interaction" and a.rule_id in rules]
        value = getattr(ctx, row["lab"])
        label, unit = row["lab_label"], row["unit"]
        when = ctx.lab_date(row["lab"])
        old = stale(ctx, row["lab"], int(row["max_age_days"]))
        if value is None:
            lab_line, abnormal, severe = f"{label}: none on file", False, False
        elif old is not None:
            lab_line = (f"{label} {value:g} {unit} of {old.isoformat()} is stale (older than "
                        f"{row['max_age_days']} days): not used")
            abnormal = severe = False
            warnings.append(f"{label} {value:g} {unit} of {old.isoformat()} is stale: not used "
                            f"for the {row['label'].lower()} check.")
        else:
            on = f" on {when.isoformat()}" if when else " (date unknown)"
            lab_line = f"{label} {value:g} {unit}{on}"
            abnormal = _CMP[_threshold(row["abnormal"])[0]](float(value),
                                                            _threshold(row["abnormal"])[1])
            severe = _CMP[_threshold(row["severe"])[0]](float(value), _threshold(row["severe"])[1])
        if len(products) < int(row["alert_at"]) and not abnormal:
            continue
        severity = "high" if severe or any(a.severity == "high" for a in pairs) \
            else row["severity"]
        verb = "each raise" if len(drugs) > 1 else "raises"
        detail = f"{_join(drugs)} {verb} the {row['label'].lower()} risk."
        if abnormal:
            detail = f"{label} is {value:g} {unit} and {detail}"
        detail = detail[0].upper() + detail[1:]
        evidence = (lab_line,) + tuple(f"{' + '.join(a.drugs)}: {a.detail}" for a in pairs) \
            + (f"Source: {row['section']}",)
        refs = tuple(dict.fromkeys(kb.references(row) + tuple(r for a in pairs
                                                              for r in a.references)))
        merged = Alert("interaction", severity, tuple(drugs),
                       f"{row['title']}" + (f" from {len(drugs)} drugs" if len(drugs) > 1 else "")
                       + (f" ({label.lower()} {value:g})" if abnormal else ""),
                       detail, row["recommendation"], refs, row["risk"], evidence)
        folded = {id(a) for a in pairs}
        out = [a for a in out if id(a) not in folded] + [merged]
    return out, warnings


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


INR_MAX_AGE_DAYS = 84  # 12 weeks: the longest INR interval for a stable patient (CHEST 2012)
INR_HIGH = 4.0


def inr_alerts(kb: Knowledge, ctx: PatientContext, present: frozenset[str]
               ) -> tuple[list[Alert], list[str]]:
    if "warfarin" not in present:
        return [], []
    if ctx.inr is None:
        return [], ["Warfarin is active but no INR is on file."]
    old = stale(ctx, "inr", INR_MAX_AGE_DAYS)
    if old is not None:
        return [], [f"INR {ctx.inr:g} of {old.isoformat()} is more than 12 weeks old: not used; "
                    "an INR is due for warfarin."]
    if ctx.inr < INR_HIGH:
        return [], []
    when = ctx.lab_date("inr")
    line = f"INR {ctx.inr:g}" + (f" on {when.isoformat()}" if when else " (date unknown)")
    return [Alert("interaction", "high", ("warfarin",), f"Warfarin with INR {ctx.inr:g}",
                  f"The INR is {INR_HIGH:g} or more: bleeding risk rises steeply.",
                  "Contact the prescriber today about holding or reducing warfarin and when to "
                  "recheck the INR; ask about bleeding.", (kb.sources["chest-ddi"],
                                                           kb.sources["label"]),
                  "lab-warfarin-inr", (line, "Source: CHEST 2012 anticoagulant therapy "
                                       "(supratherapeutic INR management); Coumadin label 5.1"))], []
