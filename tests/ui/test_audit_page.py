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
    assert cells and {c[1] for c in cells} == {"Created"}
    assert {c[2] for c in cells} >= {"Patient", "Medication entry", "Allergy"}
    assert page.status.text().startswith("History intact")
    flat = " ".join(" ".join(c) for c in cells)
    assert "Müller" not in flat and "José" not in flat and "Warfarin" not in flat
    # A change made through the service appears at the top once published.
    detail = svc.get(row.id)
    detail.data.phone = "(555) 987-6543"
    main_window.ctx.events.publish(svc.update(row.id, detail.data))
    newest = [c[1:4] for c in _cells(page)[:len(detail.data.caregivers) * 2 + 1]]
    assert ["Changed", "Patient", str(row.id)] in newest  # (caregivers are rewritten too)
    page.grab().save(str(tmp_path / "audit-page.png"))
    with demo_store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET detail='x' WHERE id=3"))
    page.refresh()
    assert page.status.text().startswith("History BROKEN: entry 3 was altered")
