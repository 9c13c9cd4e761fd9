"""Collect and Assess details: a medication list imported from a FHIR bundle, PDC from the
patient's refill history, documents ticked when printed or saved from the preview."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mmsdesk.models import FillRecord
from mmsdesk.services.visits.service import VisitService
from tests.conftest import TODAY
from tests.ui.test_visit_wizard import click, click_tab, demo_window, johnson  # noqa: F401


@pytest.fixture
def wizard(qtbot, demo_window, demo_store, johnson):  # noqa: F811
    from mmsdesk.ui.visit.launcher import open_visit

    d = VisitService(demo_store).start(johnson, "med_rec", "home", today=TODAY,
                                       now=datetime(2026, 11, 24, 9).astimezone())
    return open_visit(demo_window.ctx, d.visit_id, None, demo_window)


def test_list_imported_from_a_fhir_bundle_sits_beside_the_chart(qtbot, wizard, demo_store,
                                                                tmp_path):
    from mmsdesk.services.fhir_export import export_fhir
    from mmsdesk.services.patients import PatientService

    other = next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Rahman")
    bundle = tmp_path / "discharge.json"
    export_fhir(demo_store, other, bundle)  # another system's list, as a FHIR bundle
    collect = wizard.pages["collect"]
    assert not collect.isComplete()  # a reconciliation needs a list besides the chart's
    click_tab(qtbot, collect.tabs, "Reconciliation")
    collect.recon.import_fhir(str(bundle), "discharge_list", "Discharge list")
    src = wizard.draft.collect.sources[-1]
    assert (src.source, src.label) == ("discharge_list", "Discharge list")
    assert "lithium" in {i for item in src.items for i in item.ingredients}
    grid = collect.recon.grid_model
    assert grid.headerData(2, Qt.Orientation.Horizontal) == "Discharge list"
    kinds = {d.kind for d in wizard.draft.collect.discrepancies}
    # a discharge list says what she should take: the chart's medicines left off it are
    # "not on the list", and its own are omissions (two different patients' lists)
    assert {"omission", "not_on_list"} <= kinds and "commission" not in kinds
    qtbot.waitUntil(lambda: not wizard.dirty, timeout=2000)
    saved = VisitService(demo_store).load_draft(wizard.draft.visit_id)
    assert [s.label for s in saved.collect.sources][-1] == "Discharge list"


def test_assess_shows_pdc_from_refills_and_the_burden(qtbot, wizard, demo_store, johnson):  # noqa: F811
    with demo_store.session() as s:
        day = TODAY - timedelta(days=300)
        while day <= TODAY:
            s.add(FillRecord(patient_id=johnson, drug_text="Allopurinol 300 mg tablet",
                             ingredients="allopurinol", fill_date=day, days_supply=30,
                             source="test"))
            day += timedelta(days=45)  # a month's supply every six weeks: PDC about 67 %
    wizard.go_to("assess")
    page = wizard.pages["assess"]
    click_tab(qtbot, page.tabs, "Burden")
    rows = page.pdc_model.rows
    allo = next(r for kind, r in rows if kind == "Medicine" and "llopurinol" in r.label)
    assert allo.below_threshold and 0.6 < (allo.pdc or 0) < 0.72
    assert page.pdc_table.isVisible()
    assert page.burden_labels["medicines"].text() == "7"
    assert page.burden_labels["acb"].text().isdigit()


def test_printing_or_saving_a_document_ticks_it(qtbot, wizard, tmp_path):
    from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog

    wizard.go_to("implement")
    imp = wizard.pages["implement"]
    assert not imp.doc_boxes["pml"].isChecked()
    click(qtbot, imp.doc_buttons["pml"])
    dlg = QApplication.activeModalWidget()
    assert isinstance(dlg, DocumentPreviewDialog) and dlg.kind == "pml"
    dlg.save_to(tmp_path / "pml.pdf")  # what "Save as PDF…" does after its file dialog
    assert (tmp_path / "pml.pdf").stat().st_size > 1000
    assert imp.doc_boxes["pml"].isChecked() and wizard.draft.implement.documents == ["pml"]
    dlg.accept()
    assert QApplication.activeModalWidget() is None


def test_completing_with_an_earlier_step_unfinished_goes_there(qtbot, wizard, demo_store):
    from PySide6.QtWidgets import QWizard

    from mmsdesk.models import Visit

    wizard.go_to("follow_up")
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isEnabled()  # this step is fine
    click(qtbot, finish)
    assert wizard.isVisible() and wizard.current_step() == "collect"
    collect = wizard.pages["collect"]
    assert collect.messages.isVisible() and "besides the chart" in collect.messages.text()
    assert wizard.step_bar.buttons["collect"].text().endswith("•")
    with demo_store.session() as s:
        assert s.get(Visit, wizard.draft.visit_id).status == "draft"


def test_timer_stops_restarts_and_suggests_cpt_codes(qtbot, wizard):
    t = datetime(2026, 11, 24, 10, 40).astimezone()
    wizard.now = lambda: t
    d = wizard.draft
    d.started_at = t - timedelta(minutes=40)
    billing = wizard.billing
    billing.refresh()
    assert billing.elapsed.text() == "Timer: 40 min (running)"
    assert billing.timer_button.text() == "Stop timer"
    click(qtbot, billing.timer_button)
    assert d.ended_at == t and billing.elapsed.text() == "Timer: 40 min (stopped)"
    assert billing.cpt.text() == "CPT: 99605, 99607×2"  # Johnson has no completed visit yet
    click(qtbot, billing.new_patient)  # established after all
    assert billing.cpt.text() == "CPT: 99606, 99607×2" and d.is_new_patient is False
    t += timedelta(minutes=30)  # a pause: the restarted timer counts on from 40 minutes
    click(qtbot, billing.timer_button)
    assert d.ended_at is None and d.started_at == t - timedelta(minutes=40)
    qtbot.waitUntil(lambda: not wizard.dirty, timeout=2000)
    saved = VisitService(wizard.ctx.store).load_draft(d.visit_id)
    assert (saved.started_at, saved.ended_at, saved.is_new_patient) == (d.started_at, None, False)
