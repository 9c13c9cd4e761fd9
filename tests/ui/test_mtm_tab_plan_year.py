"""The chart's MTM tab and the dashboard by the plan year (#20 item 5): a patient enrolled
years ago without a CMR owes this plan year's, not a 'new enrollee' CMR years overdue; drug
costs not entered say so instead of 'does not meet'."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from mmsdesk.models import Condition, MedicationEntry, Patient
from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from tests.conftest import TODAY


def test_enrolled_years_ago_without_costs(qtbot, store, main_window):
    with store.session() as s:
        p = Patient(first_name="Ida", last_name="Park", date_of_birth=date(1944, 2, 2),
                    mtm_enrolled_on=date(2022, 3, 2))
        s.add(p)
        s.flush()
        for name, icd in [("Diabetes", "E11.9"), ("Hypertension", "I10"), ("COPD", "J44.9")]:
            s.add(Condition(patient_id=p.id, name=name, icd10_code=icd, status="active"))
        for i in range(8):
            s.add(MedicationEntry(patient_id=p.id, text_given=f"drug {i}", part_d=True,
                                  status="active"))
        pid = p.id
    chart = main_window.open_patient(pid)
    chart.show_page("MTM")
    page = chart.pages["MTM"]
    page.year_spin.setValue(2025)
    assert page.verdict.text().startswith("2025: cost not known: enter annual costs")
    assert page.cost.text().startswith("cost not known: enter annual costs (8 of 8")
    assert page.cmr.text() == f"12/31/{TODAY.year} (once in plan year {TODAY.year})"
    assert "Source of the 2025 thresholds: CMS, CY 2025" in page.source.text()
    # enter the costs: the verdict follows
    dlg = page.open_costs()
    assert len(dlg.boxes) == 8
    for box in dlg.boxes.values():
        box.setValue(250)
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    assert page.verdict.text() == "Meets the 2025 Part D MTM targeting criteria"
    assert page.cost.text().startswith("$2,000 of at least $1,623")
    main_window.ctx.events.publish(ChangeSet.of(changes.VISITS))
    main_window.show_dashboard()
    dash = main_window.dashboard
    dash.refresh()
    # not "CMR (new enrollee) due 05/01/2022, 1668 days overdue": due 12/31, beyond the
    # dashboard's 30 days
    assert dash.reviews.rowCount() == 0
