"""'Waiting for prescriber' rows say what is waiting (#20 item 4): the medicine, the
recommendation in words, the prescriber, the date sent and the days waiting, longest first."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from mmsdesk.models import DrugTherapyProblem, Patient, Prescriber, Recommendation
from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from tests.conftest import TODAY, med_entry


def _waiting(store) -> None:
    with store.session() as s:
        p = Patient(first_name="Ana", last_name="Ruiz", date_of_birth=TODAY.replace(year=1948))
        doc = Prescriber(first_name="Lena", last_name="Ortiz", credentials="MD")
        s.add_all([p, doc])
        s.flush()
        ibu = med_entry(p.id, "ibuprofen 400 mg tablet", "ibuprofen")
        s.add(ibu)
        prob = DrugTherapyProblem(patient_id=p.id, category="needs_additional_therapy",
                                  medications="atorvastatin", identified_on=TODAY)
        s.add(prob)
        s.flush()
        s.add_all([
            Recommendation(patient_id=p.id, intervention="stop", prescriber_id=doc.id,
                           medication_id=ibu.id, text="Stop ibuprofen; acetaminophen for the knee",
                           sent_on=TODAY - timedelta(days=5), sent_method="fax"),
            Recommendation(patient_id=p.id, intervention="monitor", problem_id=prob.id,
                           text="Check a lipid panel in 6 weeks",
                           sent_on=TODAY - timedelta(days=21), sent_method="fax"),
            Recommendation(patient_id=p.id, intervention="start", prescriber_id=doc.id,
                           proposed_medicine="atorvastatin 20 mg tablet", text="",
                           sent_on=TODAY - timedelta(days=9), sent_method="fax"),
        ])


def test_waiting_rows_name_medicine_recommendation_prescriber_and_days(qtbot, store,
                                                                       main_window):
    _waiting(store)
    main_window.ctx.events.publish(ChangeSet.of(changes.VISITS))
    page = main_window.dashboard
    view = page.views["recommendations"]
    page.tabs.setCurrentWidget(view)
    model = view.model()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert titles == ["Patient", "Days waiting", "Medicine", "Recommendation", "Prescriber",
                      "Sent"]
    rows = [[model.index(r, c).data() for c in range(1, 6)] for r in range(model.rowCount())]
    sent = [(TODAY - timedelta(days=n)).strftime("%m/%d/%Y") for n in (21, 9, 5)]
    assert rows == [
        ["21", "atorvastatin", "Monitor: check a lipid panel in 6 weeks.", "none on file",
         sent[0]],
        ["9", "atorvastatin 20 mg tablet", "Start atorvastatin 20 mg tablet.", "Lena Ortiz, MD", sent[1]],
        ["5", "Ibuprofen", "Stop ibuprofen; acetaminophen for the knee.", "Lena Ortiz, MD",
         sent[2]],
    ]
    # no more "Stop / Stop / Monitor": each recommendation is a sentence of its own
    assert len({r[2] for r in rows}) == 3
