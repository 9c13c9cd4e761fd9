"""Medicare Part D MTM targeting criteria and review due dates."""

from __future__ import annotations

from datetime import date

import pytest

from mmsdesk.models import Condition, MedicationEntry, Patient, Visit
from mmsdesk.services import eligibility as el
from tests.conftest import TODAY


@pytest.mark.parametrize("name, icd, disease", [
    ("Type 2 diabetes mellitus", "E11.9", "Diabetes"),
    ("", "I10", "Hypertension"),
    ("Pulmonary hypertension", "I27.0", ""),
    ("Heart failure with reduced EF", "", "Chronic heart failure"),
    ("Hypertensive heart disease with heart failure", "I11.0", "Chronic heart failure"),
    ("CKD stage 5 on dialysis", "N18.6", "End-stage renal disease"),
    ("CKD stage 3", "N18.30", ""),
    ("Mixed hyperlipidemia", "E78.2", "Dyslipidemia"),
    ("Major depressive disorder", "F33.1", "Mental health"),
    ("COPD", "", "Respiratory disease"),
    ("Late-onset Alzheimer's", "G30.1", "Alzheimer's disease"),
    ("Age-related osteoporosis", "M81.0", "Bone disease-arthritis"),
    ("HIV disease", "B20", "HIV/AIDS"),
    ("Gastro-oesophageal reflux", "K21.9", ""),
])
def test_core_disease_mapping(name, icd, disease):
    assert el.core_disease_of(name, icd) == disease


def test_2025_defaults_and_thresholds():
    c = el.criteria_for(2025)
    assert (c.min_core_diseases, c.min_part_d_drugs, c.min_annual_cost) == (3, 8, 1623.0)
    conds = [("Diabetes", "E11.9"), ("Hypertension", "I10"), ("Hyperlipidemia", "E78.5")]
    none = el.ReviewsDue(None, None)
    yes = el.assess(c, conds, [210.0] * 8, none)
    assert yes.eligible and yes.annual_cost == 1680.0
    assert not el.assess(c, conds[:2], [210.0] * 8, none).eligible  # 2 diseases
    assert not el.assess(c, conds, [210.0] * 7, none).eligible  # 7 drugs
    low = el.assess(c, conds, [200.0] * 7 + [None], none)
    assert not low.meets_cost and low.drugs_without_cost == 1
    assert any("without a cost" in r for r in low.reasons)
    # the same condition twice counts once
    assert len(el.assess(c, conds + [("Type 1 diabetes", "E10.9")], [], none).core_diseases) == 3


def test_thresholds_are_editable_per_year_and_later_years_inherit():
    assert el.criteria_for(2026).assumed_from == 2025
    el.save_criteria(el.MtmCriteria(2026, 3, 8, 1403.0))
    assert el.config_path().exists()
    c26 = el.criteria_for(2026)
    assert c26.min_annual_cost == 1403.0 and c26.assumed_from is None
    assert el.criteria_for(2027).min_annual_cost == 1403.0
    assert el.criteria_for(2025).min_annual_cost == 1623.0
    with pytest.raises(ValueError):
        el.save_criteria(el.MtmCriteria(2026, 0, 8, 1.0))


def test_broken_config_falls_back_to_defaults():
    el.config_path().parent.mkdir(parents=True, exist_ok=True)
    el.config_path().write_text("{not json", encoding="utf-8")
    assert el.criteria_for(2025).min_annual_cost == 1623.0


def test_patient_eligibility_from_the_record(store):
    with store.session() as s:
        p = Patient(first_name="Ana", last_name="Ruiz", date_of_birth=date(1948, 1, 1),
                    mtm_enrolled_on=date(2026, 1, 10))
        s.add(p)
        s.flush()
        pid = p.id
        for name, icd in [("Diabetes", "E11.9"), ("Hypertension", "I10"), ("COPD", "J44.9"),
                          ("Old asthma", "J45")]:
            s.add(Condition(patient_id=pid, name=name, icd10_code=icd,
                            status="resolved" if name == "Old asthma" else "active"))
        for i in range(9):
            s.add(MedicationEntry(patient_id=pid, text_given=f"drug {i}", annual_cost=200.0,
                                  part_d=i < 8, status="active"))
        s.add(MedicationEntry(patient_id=pid, text_given="stopped", annual_cost=900.0,
                              status="stopped"))
        s.add(Visit(patient_id=pid, service="cmr", visit_date=date(2026, 2, 1), status="complete"))
        s.add(Visit(patient_id=pid, service="tmr", visit_date=date(2026, 9, 1), status="complete"))
    e = el.patient_eligibility(store, pid, TODAY, year=2025)
    assert e.core_diseases == ("Diabetes", "Hypertension", "Respiratory disease")
    assert (e.part_d_drugs, e.annual_cost) == (8, 1600.0)
    assert not e.eligible and e.meets_diseases and e.meets_drugs and not e.meets_cost
    # plan year: the 2026 CMR is done (next in 2027); no review yet this quarter
    assert e.reviews == el.ReviewsDue(date(2027, 12, 31), date(2026, 12, 31), False, True)
