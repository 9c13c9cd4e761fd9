"""Record CMR offer… on the chart's MTM tab (#21): the offer is saved, listed on the tab for its
plan year, and a date after today is not offered by the date field."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt

from mmsdesk.models import Patient
from mmsdesk.services.mtm_offers import patient_offers


def test_record_a_cmr_offer_from_the_mtm_tab(qtbot, store, main_window):
    with store.session() as s:
        p = Patient(first_name="Ida", last_name="Park", date_of_birth=date(1944, 2, 2),
                    mtm_enrolled_on=date(2022, 3, 2), plan_name="Prairie Senior Rx (PDP)")
        s.add(p)
        s.flush()
        pid = p.id
    chart = main_window.open_patient(pid)
    chart.show_page("MTM")
    page = chart.pages["MTM"]
    today = main_window.ctx.today()
    page.year_spin.setValue(today.year)
    assert page.offers.text() == f"no offer recorded in {today.year}"
    dlg = page.open_offer()
    assert dlg.date_edit.maximumDate() == QDate(today.year, today.month, today.day)
    dlg.date_edit.setDate(QDate(today.year, 1, 6))
    dlg.method.setCurrentIndex(dlg.method.findData("telephone"))
    dlg.notes.setText("spoke with her daughter")
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    [offer] = patient_offers(store, pid)
    assert (offer.offered_on, offer.method, offer.plan_name, offer.notes) == (
        date(today.year, 1, 6), "telephone", "Prairie Senior Rx (PDP)", "spoke with her daughter")
    assert page.offers.text() == f"01/06/{today.year} by telephone"
    page.year_spin.setValue(today.year - 1)
    assert page.offers.text() == f"no offer recorded in {today.year - 1}"


def test_record_a_cmr_offer_from_the_dashboards_reviews_due(qtbot, store, main_window):
    today = main_window.ctx.today()
    with store.session() as s:
        p = Patient(first_name="Ida", last_name="Park", date_of_birth=date(1944, 2, 2),
                    mtm_enrolled_on=today - timedelta(days=40), plan_name="Heartland Rx (PDP)")
        s.add(p)
        s.flush()
        pid = p.id
    main_window.show_dashboard()
    dash = main_window.dashboard
    dash.refresh()
    view = dash.views["reviews"]
    assert not dash.offer_button.isEnabled()
    dash.tabs.setCurrentWidget(view)
    [row] = [i for i in range(dash.reviews.rowCount())
             if dash.reviews.data(dash.reviews.index(i, 0), Qt.ItemDataRole.UserRole)
             .patient_id == pid]
    view.setCurrentIndex(dash.reviews.index(row, 0))
    assert dash.offer_button.isEnabled()
    dlg = dash.open_offer()
    assert "Park" in dlg.windowTitle()
    dlg.method.setCurrentIndex(dlg.method.findData("mail"))
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    [offer] = patient_offers(store, pid)
    assert (offer.offered_on, offer.method, offer.plan_name) == (today, "mail",
                                                                 "Heartland Rx (PDP)")
    dash.tabs.setCurrentIndex(0)  # another list: nothing selected to offer
    assert not dash.offer_button.isEnabled()
