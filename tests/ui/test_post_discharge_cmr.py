"""A home-visit CMR right after a hospital discharge, through the real wizard.

Frank Kowalski (demo practice, 14 medicines, a penicillin allergy) comes home with a discharge
list that stops three medicines, lowers two doses, adds an antibiotic he is allergic to (and an
antiemetic) and writes Sinemet in other notation; the bag from the kitchen table holds an
old-strength apixaban bottle and a medicine the hospital stopped. Every discrepancy is found
(and no false one), Assess screens the list he will have (the allergy shows before the plan),
and after completion the chart, `mmsdesk meds --json` and every printed document carry the
new doses, with the stopped medicines only as stopped, with a plain reason.
"""

from __future__ import annotations

import json
from datetime import date

from PySide6.QtWidgets import QWizard

from mmsdesk.services.documents import render_document
from mmsdesk.services.medications import MedicationService
from mmsdesk.services.patients import PatientService
from mmsdesk.ui.visit.recon_panel import AddListDialog
from tests.conftest import TODAY, run_cli
from tests.reports.pdfcheck import pdftotext
from tests.ui.test_visit_wizard import (  # noqa: F401 - demo_window is a fixture
    click,
    click_row,
    click_tab,
    demo_window,
    drive,
    pick,
    type_into,
)

DISCHARGE = [
    "carbidopa-levodopa 25-100 mg 1 tab three times a day",  # Sinemet, other notation
    "apixaban 2.5 mg 1 tab twice a day",  # lowered from 5 mg
    "tamsulosin 0.4 mg 1 cap after supper",
    "quetiapine 25 mg 1 tab at bedtime",
    "polyethylene glycol 3350 17 g every day",
    "citalopram 10 mg 1 tab every morning",  # lowered from 20 mg
    "omeprazole 20 mg 1 cap before breakfast",
    "vitamin B12 1000 mcg 1 tab every day",  # 1,000 mcg on the chart: the same
    "senna 8.6 mg 2 tabs at bedtime",
    "tizanidine 4 mg 1 tab at bedtime",
    "ciprofloxacin 500 mg 1 tab twice a day",
    "cephalexin 500 mg 1 cap four times a day for 5 days",  # new; penicillin allergy
    "ondansetron 4 mg 1 tab every 8 hours as needed",  # new; QT with citalopram
]  # left off: metoclopramide, doxazosin, docusate
BOTTLES = ["Eliquis 5 mg 1 tab twice a day",  # the old strength, still at home
           "Reglan 10 mg 1 tab before meals",  # stopped in hospital, still in the bag
           "Sinemet 25/100 1 tab three times a day"]
EXPECTED = {  # every discrepancy, and no other
    "omission:cephalexin", "omission:ondansetron",
    "not_on_list:docusate", "not_on_list:doxazosin", "not_on_list:metoclopramide",
    "dose:apixaban", "dose:citalopram", "still_at_home:apixaban:bottle:strength"}
DOCUMENTS = ("pml", "map", "cms-summary", "calendar", "prescriber-letter")


def _start_cmr(qtbot, window, patient_id: int):  # type: ignore[no-untyped-def]
    from mmsdesk.ui.visit.start_dialog import StartVisitDialog
    from mmsdesk.ui.visit.wizard import open_wizards

    chart = window.open_patient(patient_id)

    def fill(dlg: StartVisitDialog) -> None:
        pick(qtbot, dlg.service_box, "Comprehensive")
        pick(qtbot, dlg.modality_box, "Home visit")
        click(qtbot, dlg.buttons.button(dlg.buttons.StandardButton.Ok))

    drive(StartVisitDialog, fill)
    click(qtbot, chart.start_visit_button)
    qtbot.waitUntil(lambda: len(open_wizards()) == 1, timeout=3000)
    (wizard,) = open_wizards().values()
    qtbot.waitExposed(wizard)
    return wizard


def _key(d) -> str:  # type: ignore[no-untyped-def]
    parts = d.key.split(":")
    return ":".join(parts[:2]) if parts[0] in ("not_on_list", "dose") else d.key


def test_post_discharge_cmr_from_lists_to_paper(qtbot, demo_window, demo_store):  # noqa: F811
    pid = next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Kowalski")
    assert len([r for r in MedicationService(demo_store).list_for_patient(pid)
                if r.status == "active"]) >= 12
    wizard = _start_cmr(qtbot, demo_window, pid)
    draft = wizard.draft
    collect = wizard.pages["collect"]
    type_into(qtbot, collect.reason, "Home after a hospital stay")
    click_tab(qtbot, collect.tabs, "Reconciliation")
    recon = collect.recon
    for kind, name, when, lines in (("Discharge", "Discharge list, St Mary's", "11/22/2026",
                                     DISCHARGE),
                                    ("Patient's bottles", "", "", BOTTLES)):
        def add(dlg: AddListDialog, kind=kind, name=name, when=when, lines=lines) -> None:
            pick(qtbot, dlg.source, kind)
            if name:
                dlg.label.selectAll()
                type_into(qtbot, dlg.label, name)
            if when:
                type_into(qtbot, dlg.listed_on, when)
            type_into(qtbot, dlg.lines, "\n".join(lines))
            click(qtbot, dlg.buttons.button(dlg.buttons.StandardButton.Ok))

        drive(AddListDialog, add)
        click(qtbot, recon.add_button)
    assert draft.collect.sources[1].listed_on == date(2026, 11, 22)

    # every discrepancy found, and no false one (Sinemet in other notation is the same)
    found = {_key(d): d for d in draft.collect.discrepancies}
    assert set(found) == EXPECTED, sorted(found)
    assert "still in: Patient's bottles" in found["not_on_list:metoclopramide"].detail
    assert not collect.isComplete()  # nothing is decided yet

    decisions = {
        "omission:cephalexin": "Add to the list", "omission:ondansetron": "Add to the list",
        "not_on_list:docusate": "Stop", "not_on_list:doxazosin": "Stop",
        "not_on_list:metoclopramide": "Stop", "dose:apixaban": "Change to 2.5 mg",
        "dose:citalopram": "Change to 10 mg",
        "still_at_home:apixaban:bottle:strength": "Set the old bottle aside"}
    rows = [_key(d) for d in draft.collect.discrepancies]
    for key, decision in decisions.items():
        click_row(qtbot, recon.table, rows.index(key))
        pick(qtbot, recon.decision, decision)
        if decision.startswith("Add"):
            type_into(qtbot, recon.indication, "for the infection" if "cephalexin" in key
                      else "for nausea")
            click(qtbot, recon.details_unknown)  # prescriber: ask the hospital
    assert collect.isComplete()
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))

    # Assess screens the working list: the allergy to cephalexin is there before the plan
    assert wizard.current_step() == "assess"
    panel = wizard.pages["assess"].problems_panel
    texts = [panel.alert_list.item(i).text() for i in range(panel.alert_list.count())]
    allergy = [a for a in panel.alerts if a.kind == "allergy" and "cephalexin" in a.drugs]
    assert allergy and allergy[0].key in panel.new_keys, texts
    assert any(t.startswith("NEW") and allergy[0].title in t for t in texts)
    qt = [a for a in panel.alerts if {"citalopram", "ondansetron"} <= set(a.drugs)]
    assert qt and qt[0].key in panel.new_keys  # the QT pair only the discharge list brings
    resolved = [t for t in texts if t.startswith("Resolved by the reconciliation")]
    assert any("metoclopramide" in t.lower() or "doxazosin" in t.lower() for t in resolved), \
        texts
    # the per-medicine review and the burden are the working list's too: the three stopped
    # medicines are not reviewed, the two added ones are, the two lowered doses say so
    assess = wizard.pages["assess"]
    chart_rows = MedicationService(demo_store).list_for_patient(pid)
    chart_active = [r for r in chart_rows if r.status == "active"]
    stopping = {r.id for r in chart_active
                if r.ingredients[0] in ("metoclopramide", "doxazosin", "docusate")}
    keys = set(assess.review_widgets)
    assert len(stopping) == 3 and not stopping & {mid for mid, _k in keys}
    added = {k for mid, k in keys if mid is None}
    assert added == {found["omission:cephalexin"].key, found["omission:ondansetron"].key}
    assert len(keys) == len(chart_active) - 3 + 2
    from PySide6.QtWidgets import QLabel

    shown = [w.text() for w in assess.review_tab.findChildren(QLabel)]
    assert any(t.startswith("Apixaban 2.5 mg tablet") and "(changed at this visit)" in t
               for t in shown), shown
    assert not any(t.startswith(("Metoclopramide", "Apixaban 5 mg")) for t in shown), shown
    assert assess.burden_labels["medicines"].text().startswith(str(len(chart_active) - 1))
    click_tab(qtbot, assess.tabs, "Medication review")
    _boxes, cephalexin_note = assess.review_widgets[(None, found["omission:cephalexin"].key)]
    type_into(qtbot, cephalexin_note, "Five-day course from the hospital")
    review = [r for r in draft.assess.reviews if r.medication_id is None]
    assert [(r.discrepancy_key, r.note) for r in review] == [
        (found["omission:cephalexin"].key, "Five-day course from the hospital")]
    click_tab(qtbot, assess.tabs, "Problems")

    cephalexin = allergy[0]
    panel.alert_list.setFocus()
    panel.alert_list.setCurrentRow(panel.alerts.index(cephalexin))
    click(qtbot, panel.from_alert)
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))

    # Plan: the allergy problem goes to the prescriber
    assert wizard.current_step() == "plan"
    ed = wizard.pages["plan"].interventions
    click_row(qtbot, ed.table, 0)
    widgets = {f.key: f.widget for f in ed.fields}
    pick(qtbot, widgets["intervention"], "Change the drug")
    pick(qtbot, widgets["recipient"], "Prescriber")
    type_into(qtbot, widgets["text"], "Cephalexin with a penicillin allergy (lip swelling): "
                                      "suggest a non-beta-lactam antibiotic")
    box = widgets["prescriber"]
    pick(qtbot, box, box.itemText(1))
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))

    # Implement: the preview prints the working list
    assert wizard.current_step() == "implement"
    wizard.save_now()
    preview = pdftotext(render_document(demo_store, "pml", pid, visit_id=draft.visit_id,
                                        today=TODAY))
    assert "Apixaban 2.5 mg tablet" in preview and "Apixaban 5 mg" not in preview
    assert "Cephalexin 500 mg capsule" in preview
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))

    # Follow-up and completion: one transaction
    fu = wizard.pages["follow_up"]
    # the problem open since the last visit (metoclopramide in Parkinson's): resolved, since
    # the discharge stopped it
    for row in range(fu.reviews.model.rowCount()):
        click_row(qtbot, fu.reviews.table, row)
        pick(qtbot, {f.key: f.widget for f in fu.reviews.fields}["outcome"], "Resolved")
    if not fu.next_due.text():
        type_into(qtbot, fu.next_due, "12/08/2026")
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    from mmsdesk.services.visits.service import VisitService

    assert finish.isEnabled(), VisitService(demo_store).validate_all(draft)["follow_up"]
    with qtbot.waitSignal(wizard.completed):
        click(qtbot, finish)

    # the chart: new doses, the three stopped with a plain reason, the two added
    rows_after = MedicationService(demo_store).list_for_patient(pid)
    active = {r.name: r for r in rows_after if r.status == "active"}
    stopped = {r.ingredients[0]: r for r in rows_after if r.status == "stopped"}
    assert "Apixaban 2.5 mg tablet (Eliquis)" in active
    assert "Citalopram 10 mg tablet (Celexa)" in active
    assert active["Apixaban 2.5 mg tablet (Eliquis)"].directions == \
        "Take 1 tablet by mouth twice a day"  # the chart's plain words kept
    assert {"metoclopramide", "doxazosin", "docusate"} <= set(stopped)
    for name in ("metoclopramide", "doxazosin", "docusate"):
        assert stopped[name].stop_reason == "Stopped by the hospital, 11/22"
    assert any(n.startswith("Cephalexin 500 mg capsule") for n in active)
    assert any(n.startswith("Ondansetron 4 mg tablet") for n in active)
    history = MedicationService(demo_store).history(active["Apixaban 2.5 mg tablet (Eliquis)"].id)
    assert history[-1].decided_by == "reconciliation"
    assert "strength: 5 mg → 2.5 mg" in history[-1].changes

    # the headless list says the same
    out = run_cli("--no-encryption", "meds", "--patient", str(pid), "--json", "--all")
    assert out.returncode == 0, out.stderr
    meds = json.loads(out.stdout)["medications"]
    by_status = {(m["name"], m["status"]) for m in meds}
    assert ("Apixaban 2.5 mg tablet (Eliquis)", "active") in by_status
    assert ("Doxazosin 4 mg tablet", "stopped") in by_status
    assert not [m for m in meds if m["name"].startswith("Apixaban 5 mg")]

    # every document: new doses; stopped medicines only as stopped, with the plain reason
    for kind in DOCUMENTS:
        text = pdftotext(render_document(demo_store, kind, pid, visit_id=draft.visit_id,
                                         today=TODAY, attach_list=kind == "prescriber-letter"))
        assert "Apixaban 2.5 mg tablet" in text, kind
        assert "Apixaban 5 mg" not in text and "Citalopram 20 mg" not in text, kind
        assert "Reconciliation:" not in text, kind  # never the chart's internal wording
        if kind in ("cms-summary", "calendar"):  # current medicines only
            assert "Doxazosin" not in text and "Metoclopramide" not in text, kind
    pml = pdftotext(render_document(demo_store, "pml", pid, visit_id=draft.visit_id,
                                    today=TODAY))
    assert pml.count("Stopped by the hospital, 11/22") >= 3
    action_plan = pdftotext(render_document(demo_store, "map", pid, visit_id=draft.visit_id,
                                            today=TODAY))
    assert "Doxazosin 4 mg tablet: stopped on 11/24/2026" in action_plan
    assert "The strength is now 2.5 mg (it was 5 mg)" in action_plan
