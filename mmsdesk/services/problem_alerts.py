"""Screening alerts as drug therapy problems: one click on the Assess page drafts a problem
(category, medicines, priority and the alert's key filled in)."""

from __future__ import annotations

import re

from mmsdesk.models.enums import ProblemCategory
from mmsdesk.services.visits.draft import ProblemDraft, new_key

_ALERT_CATEGORY: dict[str, str] = {
    "renal": ProblemCategory.DOSAGE_TOO_HIGH, "dose": ProblemCategory.DOSAGE_TOO_HIGH,
    "duplicate": ProblemCategory.UNNECESSARY, "interaction": ProblemCategory.ADVERSE_REACTION,
    "beers": ProblemCategory.ADVERSE_REACTION, "anticholinergic": ProblemCategory.ADVERSE_REACTION,
    "drug-disease": ProblemCategory.ADVERSE_REACTION, "allergy": ProblemCategory.ADVERSE_REACTION,
}
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
_PRIORITY = {"high": "high", "moderate": "medium", "low": "low"}


def problem_from_alert(alert) -> ProblemDraft:  # type: ignore[no-untyped-def]
    """A drug therapy problem drafted from a screening alert (one click on the Assess page).

    Category by the alert's kind: kidney and dose limits are "dosage too high"; duplication
    is "unnecessary drug therapy"; interactions, Beers, anticholinergic load, drug-disease
    and allergy alerts are "adverse drug reaction" (a risk of one); a PGx alert follows its
    recommendation (toxicity: adverse reaction; too little effect: ineffective drug; a higher
    dose: dosage too low; a lower dose: dosage too high).
    """
    category = _ALERT_CATEGORY.get(alert.kind, ProblemCategory.ADVERSE_REACTION)
    if alert.kind == "dose" and alert.rule_id.endswith("-low"):
        category = ProblemCategory.DOSAGE_TOO_LOW  # a DOAC under the label dose (measured.py)
    elif alert.kind == "dose" and alert.rule_id == "dose-edoxaban-crcl95":
        category = ProblemCategory.INEFFECTIVE  # label: less effective above CrCl 95
    if alert.kind == "pgx":
        text = alert.recommendation or ""
        category = next((c for rx, c in _PGX_RULES if rx.search(text)),
                        ProblemCategory.ADVERSE_REACTION)
    return ProblemDraft(key=new_key(), category=str(category), description=alert.title,
                        cause=(alert.detail or "")[:400], medications=list(alert.drugs),
                        priority=_PRIORITY.get(alert.severity, "medium"), alert_key=alert.key)
