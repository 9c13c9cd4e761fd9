"""The chart's audit trail page: the patient's entries, newest first, chain status."""

from __future__ import annotations

from sqlalchemy import text

from mmsdesk.services.patients import PatientService


def _cells(page) -> list[list[str]]:
    t = page.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_audit_page_lists_changes_and_flags_tampering(qtbot, main_window, demo_store, tmp_path):
    svc = PatientService(demo_store)
    row = next(r for r in svc.list_rows() if r.last_name == "Müller")
    chart = main_window.open_patient(row.id)
    chart.show_page("Audit trail")
    page = chart.pages["Audit trail"]
    cells = _cells(page)
    assert cells and {c[2] for c in cells} == {"Created"}
    assert {c[3] for c in cells} >= {"Patient", "Medication entry", "Allergy"}
    assert page.status.text().startswith("History intact")
    flat = " ".join(" ".join(c) for c in cells)
    assert "Müller" not in flat and "José" not in flat and "Warfarin" not in flat
    # A change made through the service appears at the top once published.
    detail = svc.get(row.id)
    detail.data.phone = "(555) 987-6543"
    main_window.ctx.events.publish(svc.update(row.id, detail.data))
    newest = [c[2:5] for c in _cells(page)[:len(detail.data.caregivers) * 2 + 1]]
    assert ["Changed", "Patient", str(row.id)] in newest  # (caregivers are rewritten too)
    page.grab().save(str(tmp_path / "audit-page.png"))
    with demo_store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET detail='x' WHERE id=3"))
    page.refresh()
    assert page.status.text().startswith("History BROKEN: entry 3 was altered")


def test_the_page_reports_a_cut_tail_and_records_changed_outside(qtbot, main_window, demo_store):
    """The window checks what `audit verify --deep` checks: the seal on the chain's head (the
    newest entries deleted leave a valid chain) and, on request, every record."""
    row = next(r for r in PatientService(demo_store).list_rows() if r.last_name == "Müller")
    chart = main_window.open_patient(row.id)
    chart.show_page("Audit trail")
    page = chart.pages["Audit trail"]
    assert page.status.text().startswith("History intact")
    page.deep_button.click()
    assert "records match their last entry" in page.status.text()
    with demo_store.engine.begin() as conn:  # a change made with another tool
        conn.execute(text("UPDATE allergy SET reaction='none' WHERE patient_id=:p"),
                     {"p": row.id})
    page.refresh()
    assert page.status.text().startswith("History intact")  # the chain alone can't see it
    page.deep_button.click()
    assert page.status.text().startswith("History BROKEN:")
    assert "records changed outside MMS Desk" in page.status.text()
    assert "allergy" in page.status.toolTip()
    with demo_store.engine.begin() as conn:  # the newest entries removed: the chain still links
        newest = conn.execute(text("SELECT max(id) FROM audit_event")).scalar_one()
        conn.execute(text("DELETE FROM audit_event WHERE id > :n"), {"n": newest - 2})
    page.refresh()
    assert page.status.text().startswith("History BROKEN:")


def test_the_page_names_who_made_each_change(qtbot, main_window, demo_store):
    """Team mode (#22): the person signed in, else the computer's login name."""
    from mmsdesk.services import people
    from mmsdesk.store.audit import ACTOR

    row = next(r for r in PatientService(demo_store).list_rows() if r.last_name == "Müller")
    people.add_person(demo_store, login="ana", name="Ana Ruiz", passphrase="pharmacist pass")
    people.sign_in(demo_store, "ana", "pharmacist pass")
    svc = PatientService(demo_store)
    detail = svc.get(row.id)
    detail.data.phone = "(555) 987-6543"
    change = svc.update(row.id, detail.data)
    chart = main_window.open_patient(row.id)
    chart.show_page("Audit trail")
    page = chart.pages["Audit trail"]
    main_window.ctx.events.publish(change)
    cells = _cells(page)
    assert page.table.horizontalHeaderItem(1).text() == "By"
    assert ["Ana Ruiz", "Changed", "Patient", str(row.id)] == next(
        c[1:5] for c in cells if c[3] == "Patient" and c[2] == "Changed")
    assert cells[-1][1] == ACTOR  # the demo, loaded before anyone signed in
