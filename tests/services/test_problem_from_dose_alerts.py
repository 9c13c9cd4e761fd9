"""A DOAC dose alert drafts the right drug therapy problem: under the label dose is "dosage too
low", over it "dosage too high", edoxaban above CrCl 95 "ineffective drug" (Savaysa boxed
warning)."""

from __future__ import annotations

import pytest

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.screening import PatientContext, screen
from mmsdesk.clinical.screening.inputs import medication_input
from mmsdesk.clinical.sig import Directions
from mmsdesk.services.problem_alerts import problem_from_alert


def _ctx(drug: str, mg: float, crcl: float, freq: str = "daily") -> PatientContext:
    med = medication_input(drug, [drug], components=(Component(drug, mg, "mg"),),
                           directions=Directions(1, "tablet", "oral", freq))
    return PatientContext((med,), age=70, sex="male", weight_kg=70,
                          creatinine=70 * 70 / (72 * crcl))


@pytest.mark.parametrize(("ctx", "rule", "category"), [
    (_ctx("rivaroxaban", 15, 80), "dose-rivaroxaban-low", "dosage_too_low"),
    (_ctx("rivaroxaban", 20, 40), "dose-rivaroxaban-high", "dosage_too_high"),
    (_ctx("edoxaban", 60, 110), "dose-edoxaban-crcl95", "ineffective_drug"),
])
def test_doac_dose_alert_category(ctx, rule, category):
    [alert] = [a for a in screen(ctx).alerts if a.rule_id == rule]
    assert problem_from_alert(alert).category == category
