"""Fewer, clearer alerts: one alert per cumulative risk, one alert per NSAID.

* A cumulative risk (QT prolongation, serotonin toxicity, bleeding, CNS depression,
  anticholinergic burden): when two or more of the pairwise interaction rules that
  ``risk_groups.psv`` lists for it fire, or its load alert fires, they become ONE alert that
  lists every contributing drug, with one evidence line per pair and one action. A single pair
  on its own stays as it is (its key, and so its acknowledgement, is unchanged).
* An NSAID with two or more partners left after that: one alert naming the NSAID and every
  partner, one evidence line per partner, and the one action that removes every risk.
* One allergy alert per medicine: a combination product (sacubitril/valsartan after ACE-inhibitor
  angioedema) is one alert, the most severe, the others kept as its evidence.
"""

from __future__ import annotations

from dataclasses import replace

from mmsdesk.clinical.screening.knowledge import Knowledge, Row
from mmsdesk.clinical.screening.model import SEVERITIES, Alert, MedicationInput

_RANK = {s: i for i, s in enumerate(SEVERITIES)}
NSAID_RULE = "nsaid-partners"
_NSAID_SOURCES = ("label", "stopp", "beers")


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _most_severe(alerts: list[Alert]) -> Alert:
    return min(alerts, key=lambda a: _RANK[a.severity])


def _refs(alerts: list[Alert]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(r for a in alerts for r in a.references))


def _pair_line(a: Alert) -> str:
    return f"{' + '.join(a.drugs)}: {a.detail}"


def _group(kb: Knowledge, row: Row, load: Alert | None, pairs: list[Alert]) -> Alert:
    group = row["group"]
    drugs = sorted({d for a in pairs for d in a.drugs} | set(load.drugs if load else ()))
    worst = _most_severe(pairs + ([load] if load else []))
    # One action: the most severe pair's (it is the most specific, e.g. an MAOI washout);
    # the group's own advice when the load is the most severe or there is no pair.
    pair_worst = _most_severe(pairs) if pairs else None
    action = (pair_worst.recommendation if pair_worst is not None
              and _RANK[pair_worst.severity] <= _RANK[worst.severity] else row["recommendation"])
    evidence = tuple(_pair_line(a) for a in pairs)
    if load is not None:
        evidence += (load.detail, *load.evidence)
    risk = row["risk"]
    # "QT prolongation", "CNS depression" keep their capitals; "Bleeding risk" -> "bleeding risk"
    phrase = risk if risk[:2].isupper() else risk[0].lower() + risk[1:]
    detail = f"{_join(drugs)} each add to the {phrase}."
    kind = "anticholinergic" if group == "anticholinergic" else "interaction"
    return Alert(kind, worst.severity, tuple(drugs), f"{risk} from {len(drugs)} drugs", detail,
                 action, _refs(pairs + ([load] if load else [])) or kb.references(row), group,
                 evidence)


def group_risks(kb: Knowledge, alerts: list[Alert]) -> list[Alert]:
    out = list(alerts)
    for row in kb.rules["risk_groups"]:
        rules = {r.strip() for r in row["rules"].split(",") if r.strip()}
        group = row["group"]
        load = next((a for a in out if a.rule_id == group), None)
        pairs = [a for a in out if a.kind == "interaction" and a.rule_id in rules]
        if load is None and len(pairs) < 2:
            continue
        if load is not None and not pairs:
            continue  # the load alert alone already lists every drug
        merged = _group(kb, row, load, pairs)
        folded = {id(a) for a in pairs} | ({id(load)} if load else set())
        out = [a for a in out if id(a) not in folded] + [merged]
    return out


def group_nsaid_partners(kb: Knowledge, alerts: list[Alert]) -> list[Alert]:
    nsaids = kb.classes.get("nsaids", frozenset())
    by_nsaid: dict[str, list[Alert]] = {}
    for a in alerts:
        if a.kind != "interaction" or len(a.drugs) != 2:
            continue
        mine = [d for d in a.drugs if d in nsaids]
        if len(mine) == 1:
            by_nsaid.setdefault(mine[0], []).append(a)
    out = list(alerts)
    for nsaid, pairs in sorted(by_nsaid.items()):
        if len(pairs) < 2:
            continue
        partners = sorted({d for a in pairs for d in a.drugs if d != nsaid})
        worst = _most_severe(pairs)
        name = nsaid.capitalize()
        merged = Alert(
            "interaction", worst.severity, (nsaid, *partners), f"{name} with {_join(partners)}",
            f"{name} adds a risk with each of {_join(partners)}.",
            f"Stop {nsaid} if possible and use acetaminophen for pain; if it must continue, keep "
            "the lowest dose for the shortest time and check kidney function, blood pressure and "
            "potassium within a week.",
            _refs(pairs) + tuple(kb.sources[k] for k in _NSAID_SOURCES
                                 if kb.sources[k] not in _refs(pairs)),
            NSAID_RULE, tuple(_pair_line(a) for a in sorted(pairs, key=lambda a: _RANK[a.severity])))
        folded = {id(a) for a in pairs}
        out = [a for a in out if id(a) not in folded] + [merged]
    return out


def one_allergy_alert_per_medicine(alerts: list[Alert],
                                   meds: list[MedicationInput]) -> list[Alert]:
    allergy = [a for a in alerts if a.kind == "allergy" and len(a.drugs) == 1]
    drop: set[int] = set()
    for m in meds:
        mine = [a for a in allergy if a.drugs[0] in m.ingredients and id(a) not in drop]
        if len(mine) < 2:
            continue
        keep = _most_severe(mine)
        for a in mine:
            if a is not keep:
                drop.add(id(a))
        merged = replace(keep, evidence=keep.evidence + tuple(
            f"Also in {m.text}: {a.title}" for a in mine if a is not keep))
        alerts = [merged if x is keep else x for x in alerts]
        allergy = [merged if x is keep else x for x in allergy]
    return [a for a in alerts if id(a) not in drop]
