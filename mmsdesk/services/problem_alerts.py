"""Screening alerts as drug therapy problems: one click on the Assess page drafts a problem
(category, medicines, priority and the alert's key filled in) that says what it is.

The category follows the finding, in the seven categories of Cipolle, Strand and Morley
(Pharmaceutical Care Practice, 3rd ed., ch. 5, the causes listed under each category):
an interaction that raises a drug's levels is "dosage too high", one that lowers them
"dosage too low", any other interaction an "adverse drug reaction" (a risk of one);
a duplication or a drug without an indication is "unnecessary drug therapy"; a condition
left untreated is "needs additional drug therapy"; a low PDC is "adherence". The description
names the medicines and the finding; the pharmacist can change both on the Assess page.
"""

from __future__ import annotations

import re

from mmsdesk.models.enums import ProblemCategory
from mmsdesk.services.visits.draft import ProblemDraft, new_key

# Alert kind -> (category, the cause in words). Kinds from clinical.screening.model.KINDS, plus
# the findings the Assess page adds ("no-indication", "needs-therapy", "adherence") and
# "unrecognised" (not a problem in itself: the pharmacist chooses).
_ALERT_CATEGORY: dict[str, tuple[str, str]] = {
    "renal": (ProblemCategory.DOSAGE_TOO_HIGH, "Dose too high for the kidney function"),
    "dose": (ProblemCategory.DOSAGE_TOO_HIGH, "Dose above the labelled limit"),
    "duplicate": (ProblemCategory.UNNECESSARY, "Duplicate therapy"),
    "interaction": (ProblemCategory.ADVERSE_REACTION, "Drug interaction"),
    "beers": (ProblemCategory.ADVERSE_REACTION, "Unsafe drug for the patient (Beers)"),
    "anticholinergic": (ProblemCategory.ADVERSE_REACTION, "Anticholinergic load"),
    "drug-disease": (ProblemCategory.ADVERSE_REACTION, "Unsafe drug for the patient's condition"),
    "allergy": (ProblemCategory.ADVERSE_REACTION, "Recorded allergy"),
    "pgx": (ProblemCategory.ADVERSE_REACTION, "Pharmacogenomic result"),
    "no-indication": (ProblemCategory.UNNECESSARY, "No medical indication"),
    "needs-therapy": (ProblemCategory.NEEDS_ADDITIONAL, "Untreated condition"),
    "adherence": (ProblemCategory.ADHERENCE, "Does not take the medicine as directed"),
    "ineffective": (ProblemCategory.INEFFECTIVE, "Not working as hoped"),
    "adverse": (ProblemCategory.ADVERSE_REACTION, "A safety concern"),
    "unrecognised": ("", "Medicine not in the dictionary"),
}
# An interaction's mechanism (interactions.psv) says which way the levels go; only its first
# clause is read ("Serotonergic excess; fluoxetine raises TCA levels" is the excess).
_LEVELS_UP = re.compile(r"levels? (rise|triple|go up)|(raises?|higher|increases?) [\w\- ]{0,30}"
                        r"(levels?|exposure|effect)|higher [\w\- ]*(levels|exposure)|INR rise|"
                        r"(reduced|less) [\w\- ]{0,20}clearance", re.I)
_LEVELS_DOWN = re.compile(r"levels? fall|(lowers?|less|reduces?) [\w\- ]{0,30}(levels?|exposure|"
                          r"absorption|activation|effect)|absorption falls|"
                          r"prevents [\w\- ]*absorption|lower [\w\- ]*(levels|exposure)", re.I)
# Alerts that add up several drugs' risks (risk_groups.psv, lab_risks.psv, the NSAID partners)
_GROUP_RULES = {"sedative": "Additive CNS depression", "falls": "Fall-risk-increasing drugs",
                "qt": "Additive QT prolongation", "bleeding": "Additive bleeding risk",
                "serotonin": "Additive serotonergic effect",
                "hyperkalaemia": "Drugs that raise potassium, with a high potassium result",
                "hyponatraemia": "Drugs that lower sodium, with a low sodium result",
                "nsaid-partners": "NSAID with drugs it interacts with"}
_PGX_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"toxicity|side effects|adverse", re.I), ProblemCategory.ADVERSE_REACTION),
    (re.compile(r"barely activated|reduced activation|little conversion|poor (pain )?relief|"
                r"response is poor|lower levels|less \w+:|lower \w+ effect|unlikely|"
                r"reduced (effect|efficacy)|lack of effect", re.I), ProblemCategory.INEFFECTIVE),
    (re.compile(r"raise the dose|higher dose|may need more|increase the dose", re.I),
     ProblemCategory.DOSAGE_TOO_LOW),
    (re.compile(r"lower (starting |maintenance )?dose|half|50% lower|reduce|start low|halved|"
                r"do not exceed|at most", re.I), ProblemCategory.DOSAGE_TOO_HIGH),
)
_PROPER = frozenset({"Parkinson", "Parkinson's", "St"})
_PRIORITY = {"high": "high", "moderate": "medium", "low": "low"}


def alert_category(alert) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(category, cause in words) for an alert; category "" when the pharmacist must choose."""
    category, cause = _ALERT_CATEGORY.get(alert.kind, (ProblemCategory.ADVERSE_REACTION, ""))
    if alert.kind == "dose" and alert.rule_id.endswith("-low"):
        category = ProblemCategory.DOSAGE_TOO_LOW  # a DOAC under the label dose (measured.py)
        cause = "Dose below the labelled dose"
    elif alert.kind == "dose" and alert.rule_id == "dose-edoxaban-crcl95":
        category = ProblemCategory.INEFFECTIVE  # label: less effective above CrCl 95
        cause = "Less effective at this kidney function"
    elif alert.kind == "interaction" and alert.rule_id.endswith("-dup"):
        category, cause = ProblemCategory.UNNECESSARY, "Duplicate therapy"
    elif alert.kind == "interaction" and alert.rule_id in _GROUP_RULES:
        cause = _GROUP_RULES[alert.rule_id]
    elif alert.kind == "interaction":
        text = re.split(r";|, and ", alert.detail or "", maxsplit=1)[0]
        if _LEVELS_DOWN.search(text) and not _LEVELS_UP.search(text):
            category = ProblemCategory.DOSAGE_TOO_LOW
            cause = "Drug interaction lowers the drug's levels"
        elif _LEVELS_UP.search(text) and not _LEVELS_DOWN.search(text):
            category = ProblemCategory.DOSAGE_TOO_HIGH
            cause = "Drug interaction raises the drug's levels"
    elif alert.kind == "pgx":
        text = alert.recommendation or ""
        category = next((c for rx, c in _PGX_RULES if rx.search(text)),
                        ProblemCategory.ADVERSE_REACTION)
    return str(category), cause


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def alert_description(alert) -> str:  # type: ignore[no-untyped-def]
    """One sentence naming the medicines and the finding: "Simvastatin and diltiazem:
    statin with a CYP3A4 inhibitor". A title that already names every medicine is kept."""
    title = alert.title.strip()
    drugs = [d for d in alert.drugs if d]
    named = all(d.lower() in title.lower() for d in drugs)
    if not drugs or named and " or " not in title:  # "X or Y": a class, not the patient's drugs
        return title
    first = title.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower() and first not in _PROPER:  # "Statin with..." -> "statin with..."
        title = title[0].lower() + title[1:]
    names = _join(drugs)
    return f"{names[0].upper()}{names[1:]}: {title}"


def problem_from_alert(alert) -> ProblemDraft:  # type: ignore[no-untyped-def]
    """A drug therapy problem drafted from a screening alert (one click on the Assess page)."""
    category, cause = alert_category(alert)
    detail = (alert.detail or "").strip()
    cause_text = f"{cause}: {detail}" if cause and detail else cause or detail
    return ProblemDraft(key=new_key(), category=category, description=alert_description(alert),
                        cause=cause_text[:400], medications=list(alert.drugs),
                        priority=_PRIORITY.get(alert.severity, "medium"), alert_key=alert.key)


# The per-medicine review's "No" answers, offered beside the screening alerts as findings to
# make problems from (kind, finding in words).
_REVIEW_FINDINGS = (
    ("indication", "no-indication", "no indication found at the review"),
    ("effective", "ineffective", "not working as hoped at the review"),
    ("safe", "adverse", "a safety concern at the review"),
    ("adherent", "adherence", "not taken as directed at the review"),
)


def review_findings(draft) -> list:  # type: ignore[no-untyped-def,type-arg]
    """Alerts for the medicines the pharmacist's review answered "No" (indication,
    effectiveness, safety, adherence), so each can be made a problem in one click like a
    screening alert: no indication is "unnecessary drug therapy", not effective "ineffective
    drug", not safe "adverse drug reaction", not adherent "adherence"."""
    from mmsdesk.clinical.screening import Alert
    from mmsdesk.services.visits.working_list import active_medicines

    reviews = {(r.medication_id, "" if r.medication_id is not None else r.discrepancy_key): r
               for r in draft.assess.reviews}
    out = []
    for med in active_medicines(draft):
        rev = reviews.get(med.review_key)
        if rev is None:
            continue
        name = " ".join(med.name.split())
        drugs = tuple(med.ingredients) or (name.lower(),)
        for field_name, kind, finding in _REVIEW_FINDINGS:
            if getattr(rev, field_name) == "no":
                out.append(Alert(kind, "moderate", drugs, f"{name}: {finding}",
                                 rev.note.strip() or f"{name}: {finding}.", "",
                                 ("Pharmacist's review at this visit",),
                                 f"review-{field_name}"))
    return out
