"""The chart header never hides what matters (#20 item 2): name, age, sex, weight, kidney
function with its date, the allergy state in its colours, the open problems; the same at the
top of every visit step."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from mmsdesk.models import Allergy, DrugTherapyProblem, Observation, Patient
from mmsdesk.services.chart_header import LISTED, NKA, NOT_ASKED
from tests.conftest import TODAY
from tests.ui.test_visit_wizard import demo_window, johnson, start_cmr  # noqa: F401 (fixtures)


def _patient(store, allergies=(), problems=0) -> int:
    with store.session() as s:
        p = Patient(first_name="Rosa", last_name="Vidal", sex="female",
                    date_of_birth=TODAY.replace(year=TODAY.year - 84) - timedelta(days=3))
        s.add(p)
        s.flush()
        s.add_all([
            Observation(patient_id=p.id, measure="weight", value=52, unit="kg",
                        taken_on=TODAY - timedelta(days=30)),
            Observation(patient_id=p.id, measure="creatinine", value=1.1, unit="mg/dL",
                        taken_on=TODAY - timedelta(days=20)),
            Observation(patient_id=p.id, measure="egfr", value=47, unit="mL/min/1.73m2",
                        taken_on=TODAY - timedelta(days=20))])
        for substance, reaction in allergies:
            s.add(Allergy(patient_id=p.id, substance=substance, reaction=reaction))
        for n in range(problems):
            s.add(DrugTherapyProblem(patient_id=p.id, category="adherence",
                                     priority="high" if n == 0 else "medium",
                                     identified_on=TODAY))
        return p.id


def test_header_with_allergies_kidney_weight_and_problems(qtbot, store, main_window):
    pid = _patient(store, [("penicillin", "hives"), ("sulfamethoxazole", "")], problems=2)
    chart = main_window.open_patient(pid)
    h = chart.header
    assert h.name_label.text() == "Rosa Vidal"
    ago = (TODAY - timedelta(days=30)).strftime("%m/%d/%Y")
    assert h.facts_label.text() == f"84 y · female · 52 kg ({ago})"
    lab = (TODAY - timedelta(days=20)).strftime("%m/%d/%Y")
    # Cockcroft-Gault: (140-84) x 52 / (72 x 1.1) x 0.85 = 31.3
    assert h.kidney_label.text() == f"eGFR 47 ({lab}) · CrCl 31.3 mL/min (creatinine {lab})"
    assert h.header.allergy_state == LISTED
    assert h.allergy_label.text() == "Allergies: penicillin (hives); sulfamethoxazole"
    assert "background" in h.allergy_label.styleSheet()  # in warning colours
    assert not h.nka_button.isVisible()
    assert "2 open problems, 1 high" in h.problems_label.text()


def test_allergies_not_asked_then_no_known_allergies(qtbot, store, main_window):
    pid = _patient(store)
    chart = main_window.open_patient(pid)
    h = chart.header
    assert h.header.allergy_state == NOT_ASKED
    assert h.allergy_label.text() == "Allergies not asked"
    assert "background" in h.allergy_label.styleSheet()
    assert h.nka_button.isVisible()
    qtbot.mouseClick(h.nka_button, Qt.MouseButton.LeftButton)
    assert h.header.allergy_state == NKA
    assert h.allergy_label.text() == "No known allergies"
    assert "background" not in h.allergy_label.styleSheet()  # nothing to warn about
    assert not h.nka_button.isVisible()
    assert "0 open problems" in h.problems_label.text()
    with store.session() as s:  # a real allergy recorded later wins over the statement
        s.add(Allergy(patient_id=pid, substance="codeine", reaction="vomiting"))
    from mmsdesk.services import changes
    from mmsdesk.services.changes import ChangeSet

    main_window.ctx.events.publish(ChangeSet.of(changes.ALLERGIES, patient_id=pid))
    assert h.allergy_label.text() == "Allergies: codeine (vomiting)"


def test_no_kidney_function_is_a_warning(qtbot, store, main_window):
    with store.session() as s:
        p = Patient(first_name="Al", last_name="Byrne", date_of_birth=TODAY.replace(year=1950))
        s.add(p)
        s.flush()
        pid = p.id
    h = main_window.open_patient(pid).header
    assert h.kidney_label.text() == "Kidney function: none on file"
    assert "color" in h.kidney_label.styleSheet()
    assert h.facts_label.text().endswith("no weight on file")


def test_every_visit_step_shows_the_header(qtbot, demo_window, demo_store, johnson):  # noqa: F811
    from mmsdesk.ui.visit.wizard import STEPS

    wizard = start_cmr(qtbot, demo_window, johnson)
    h = demo_window.chart.header
    expected = [h.name_label.text(), h.facts_label.text(), h.kidney_label.text(),
                h.allergy_label.text()]
    for step in STEPS:
        ph = wizard.page_for(step).patient_header
        assert [ph.name_label.text(), ph.facts_label.text(), ph.kidney_label.text(),
                ph.allergy_label.text()] == expected, step


def test_no_known_allergies_imported_as_text(qtbot, store, main_window):
    pid = _patient(store, [("NKDA", "")])
    h = main_window.open_patient(pid).header
    assert h.header.allergy_state == NKA and h.allergy_label.text() == "No known allergies"


def test_header_says_who_holds_a_chart_taken_along(qtbot, store, main_window):
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from mmsdesk.models.practice_people import PatientHold

    pid = _patient(store)
    with store.session() as s:
        s.add(PatientHold(patient_id=pid, holder_name="Dana Ortiz", device="laptop-9",
                          until=datetime(2026, 11, 25, 18, 0, tzinfo=UTC)))
    h = main_window.open_patient(pid).header
    assert h.facts_label.text().endswith(  # that day has passed: it says so
        " · Held by Dana Ortiz until 2026-11-25 18:00 UTC (taken along to laptop-9, overdue: "
        "not brought back by then)")
    soon = datetime.now(UTC).replace(microsecond=0, second=0) + timedelta(days=1)
    with store.session() as s:
        s.execute(select(PatientHold)).scalar_one().until = soon
    h = main_window.open_patient(pid).header
    assert h.facts_label.text().endswith(
        f" · Held by Dana Ortiz until {soon:%Y-%m-%d %H:%M} UTC (taken along to laptop-9)")
