"""ACB scale exactly as published (Boustani 2008; Aging Brain Care 2012 update): the scores the
scale gives, and no points for drugs it does not list (issue 16, item 6)."""

from __future__ import annotations

import pytest

from mmsdesk.clinical.screening import PatientContext, screen
from tests.clinical.screening_cases import med


def acb(*drugs: str) -> int:
    return int(screen(PatientContext(tuple(med(d) for d in drugs))).risk_profile["anticholinergic"])


PUBLISHED = [  # (drug, score on the published scale)
    ("amitriptyline", 3), ("oxybutynin", 3), ("diphenhydramine", 3), ("paroxetine", 3),
    ("quetiapine", 3), ("olanzapine", 3), ("atropine", 3), ("clemastine", 3), ("amoxapine", 3),
    ("carbinoxamine", 3), ("cyproheptadine", 2), ("cyclobenzaprine", 2), ("carbamazepine", 2),
    ("pimozide", 2), ("amantadine", 2), ("meperidine", 2), ("furosemide", 1), ("warfarin", 1),
    ("metoprolol", 1), ("digoxin", 1), ("hydralazine", 1), ("quinidine", 1),
    ("paliperidone", 1), ("levocetirizine", 1), ("desloratadine", 1), ("disopyramide", 1),
]


@pytest.mark.parametrize(("drug", "score"), PUBLISHED, ids=[f"acb-{d}-{s}" for d, s in PUBLISHED])
def test_published_score(drug, score):
    assert acb(drug) == score


NOT_LISTED = ["sertraline", "citalopram", "escitalopram", "fluoxetine", "duloxetine",
              "desvenlafaxine", "oxycodone", "hydrocodone", "tramadol", "lorazepam", "clonazepam",
              "temazepam", "chlordiazepoxide", "baclofen", "tizanidine", "methocarbamol",
              "mirtazapine", "metoclopramide", "famotidine", "lithium", "hydrochlorothiazide",
              "carvedilol", "ziprasidone", "prochlorperazine", "protriptyline"]


@pytest.mark.parametrize("drug", NOT_LISTED, ids=[f"acb-not-listed-{d}" for d in NOT_LISTED])
def test_no_points_for_a_drug_the_scale_does_not_list(drug):
    assert acb(drug) == 0


def test_total_and_alert_at_three():
    assert acb("furosemide", "warfarin") == 2
    result = screen(PatientContext((med("furosemide"), med("warfarin"), med("metoprolol"))))
    assert result.risk_profile["anticholinergic"] == 3
    assert any(a.rule_id == "anticholinergic" for a in result.alerts)
    # sertraline + oxycodone + tramadol used to add 3 points; the scale lists none of them
    assert acb("sertraline", "oxycodone", "tramadol") == 0
