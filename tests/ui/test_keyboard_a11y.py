"""Keyboard and accessibility: Tab follows reading order, every stop has an accessible name,
labels have buddies, errors stay readable in a dark palette."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from mmsdesk.services.patients import PatientService
from mmsdesk.ui.dialogs.patient_form import PatientDialog
from tests.conftest import TODAY


def accessible_name(w: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(w)
    return iface.text(QAccessible.Text.Name) if iface is not None else ""


def walk_tab(qtbot, start: QWidget, limit: int = 80) -> list[QWidget]:
    """Press Tab from ``start`` until focus comes back round; the focus stops in order."""
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    seen = [start]
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        w = QApplication.focusWidget()
        if w is start:
            return seen
        seen.append(w)
    raise AssertionError("Tab never came back to the first field")


def test_patient_form_tab_order_and_accessible_names(qtbot, store):
    dlg = PatientDialog(PatientService(store), None, TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow)
    stops = walk_tab(qtbot, dlg.first_name)
    order = [dlg.first_name, dlg.middle_name, dlg.last_name, dlg.preferred_name,
             dlg.date_of_birth, dlg.sex, dlg.preferred_language, dlg.phone, dlg.email,
             dlg.address_line1, dlg.address_line2, dlg.city, dlg.state, dlg.postal_code,
             dlg.payer_type, dlg.deceased_date, dlg.notes, dlg.caregivers]
    # Self-pay: the plan fields are disabled and skipped; the rest in reading order.
    fields = [w for w in stops if w in order]
    assert fields == order
    assert stops.index(dlg.caregivers) < stops.index(dlg.buttons.button(dlg.buttons.StandardButton.Save))
    unnamed = [f"{type(w).__name__}({w.objectName()})" for w in stops if not accessible_name(w)]
    assert not unnamed, unnamed
    # A Medicare Part D payer brings the plan fields into the chain, right after the payer.
    from mmsdesk.ui.widgets.form import select_data

    select_data(dlg.payer_type, "medicare_part_d")
    stops = walk_tab(qtbot, dlg.first_name)
    i = stops.index(dlg.payer_type)
    assert stops[i + 1:i + 4] == [dlg.plan_name, dlg.member_id, dlg.mtm_enrolled_on]


def test_every_form_label_has_a_buddy_in_the_setup_and_settings_forms(qtbot, store):
    from mmsdesk.services.practice import PracticeService
    from mmsdesk.ui.setup.settings_dialog import SettingsDialog

    dlg = SettingsDialog(PracticeService(store))
    qtbot.addWidget(dlg)
    for i in range(dlg.tabs.count()):
        dlg.tabs.setCurrentIndex(i)
        page = dlg.tabs.widget(i)
        for label in page.findChildren(QLabel):
            if label.text().endswith(":") and "&" in label.text():
                assert label.buddy() is not None, label.text()


def test_setup_wizard_tab_order_on_the_profile_page(qtbot, tmp_path):
    from mmsdesk.ui.setup.wizard import ProfilePage, SetupWizard

    wizard = SetupWizard(tmp_path / "data" / "mmsdesk.sqlite3")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    wizard.next()
    form = wizard.currentPage().form
    assert isinstance(wizard.currentPage(), ProfilePage)
    stops = walk_tab(qtbot, form.name)
    expected = [form.name, form.credentials, form.npi, form.practice_name, form.address,
                form.phone, form.fax, form.email, form.logo_button]
    assert [w for w in stops if w in expected] == expected
    unnamed = [type(w).__name__ for w in stops if not accessible_name(w)]
    assert not unnamed, unnamed


def test_unlock_page_fields_are_named_and_reachable(qtbot):
    from mmsdesk.ui.lock.unlock_page import UnlockMode, UnlockPage

    page = UnlockPage(UnlockMode.RECOVER)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    stops = walk_tab(qtbot, page.secret)
    assert stops[:4] == [page.secret, page.new, page.confirm, page.button]
    assert [accessible_name(w) for w in stops[:3]] == ["Recovery key", "New passphrase",
                                                        "Repeat the passphrase"]


@pytest.fixture
def dark_palette(qapp):
    old = qapp.palette()
    pal = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.Base, "#1e1e1e"),
                         (QPalette.ColorRole.WindowText, "#e8e8e8"), (QPalette.ColorRole.Text, "#e8e8e8")):
        pal.setColor(role, QColor(colour))
    qapp.setPalette(pal)
    yield pal
    qapp.setPalette(old)


def _contrast(a: QColor, b: QColor) -> float:
    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_error_colour_is_readable_in_light_and_dark(qapp, dark_palette):
    from mmsdesk.ui.widgets.theme import ERROR, readable

    window = dark_palette.color(QPalette.ColorRole.Window)
    assert _contrast(QColor(ERROR), window) < 3  # the light-theme red is unreadable here
    assert _contrast(readable(ERROR), window) >= 4.5
    qapp.setPalette(QPalette(QColor("#f0f0f0")))
    assert readable(ERROR) == QColor(ERROR)
    assert _contrast(QColor(ERROR), QColor("#ffffff")) >= 4.5


def _named_tab_stops(qtbot, top: QWidget, first: QWidget) -> list[str]:
    """Tab round the window from ``first`` (a whole cycle); the stops without a name."""
    top.show()
    qtbot.waitExposed(top)
    top.activateWindow()
    qtbot.waitUntil(top.isActiveWindow)
    first.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    seen: list[QWidget] = []
    for _ in range(150):
        w = QApplication.focusWidget()
        if w in seen:
            break
        seen.append(w)
        qtbot.keyClick(w, Qt.Key.Key_Tab)
    else:
        raise AssertionError("Tab never came round")
    assert len(seen) > 3
    return [f"{type(w).__name__}({w.objectName()})" for w in seen if not accessible_name(w)]


def test_medication_dialog_tab_stops_are_named(qtbot, main_window, demo_store):
    from mmsdesk.ui.dialogs.medication_dialog import MedicationDialog

    row = next(r for r in PatientService(demo_store).list_rows() if r.last_name == "Müller")
    chart = main_window.open_patient(row.id)
    chart.show_page("Medications")
    page = chart.pages["Medications"]
    dlg = MedicationDialog(page.service, page.care_team, row.id, None, TODAY, main_window)
    qtbot.addWidget(dlg)
    assert _named_tab_stops(qtbot, dlg, dlg.buttons.buttons()[0]) == []


def test_chart_and_dashboard_tab_stops_are_named(qtbot, main_window, demo_store):
    row = next(r for r in PatientService(demo_store).list_rows() if r.last_name == "Müller")
    main_window.show_dashboard()
    assert _named_tab_stops(qtbot, main_window, main_window.dashboard.tabs) == []
    chart = main_window.open_patient(row.id)
    from mmsdesk.ui.chart.chart_page import CHART_PAGES

    for title, _ in CHART_PAGES:
        chart.show_page(title)
        assert _named_tab_stops(qtbot, main_window, chart.tabs) == [], title


def test_text_boxes_grow_with_the_system_font(qtbot, store, qapp):
    from PySide6.QtGui import QFont

    small = PatientDialog(PatientService(store), None, TODAY)
    qtbot.addWidget(small)
    old = qapp.font()
    big_font = QFont(old)
    big_font.setPointSizeF(old.pointSizeF() * 2)
    qapp.setFont(big_font)
    try:
        big = PatientDialog(PatientService(store), None, TODAY)
        qtbot.addWidget(big)
        assert big.notes.height() > small.notes.height() * 1.6
    finally:
        qapp.setFont(old)


def test_return_in_the_first_passphrase_field_moves_on_to_the_repeat(qtbot):
    from mmsdesk.ui.lock.unlock_page import UnlockMode, UnlockPage

    page = UnlockPage(UnlockMode.SETUP)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    submitted = []
    page.submitted.connect(lambda *a: submitted.append(a))
    page.secret.setFocus()
    qtbot.keyClicks(page.secret, "a long passphrase")
    qtbot.keyClick(page.secret, Qt.Key.Key_Return)
    assert page.confirm.hasFocus() and page.error.isHidden() and not submitted
    qtbot.keyClicks(page.confirm, "a long passphrase")
    qtbot.keyClick(page.confirm, Qt.Key.Key_Return)
    assert submitted and submitted[0][1] == "a long passphrase"


def test_catalogue_tab_goes_row_by_row_and_every_cell_is_named(qtbot):
    from mmsdesk.services.practice import default_catalogue
    from mmsdesk.ui.setup.practice_forms import CatalogueEditor

    editor = CatalogueEditor()
    qtbot.addWidget(editor)
    editor.set_rows(default_catalogue()[:3])
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    first = editor.table.cellWidget(0, 0)
    stops = walk_tab(qtbot, first)
    cells = [editor.table.cellWidget(r, c) for r in range(3) for c in range(5)]
    assert [w for w in stops if w in cells] == cells
    assert stops.index(editor.add_button) > stops.index(cells[-1])
    assert accessible_name(cells[7]) == "Minutes, row 2"
    assert not [w for w in stops if not accessible_name(w)]


def test_setup_wizard_fits_a_small_scaled_screen(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    from mmsdesk.ui.setup.wizard import SetupWizard

    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, 1092, 574))
    wizard = SetupWizard(tmp_path / "data" / "mmsdesk.sqlite3")
    qtbot.addWidget(wizard)
    assert wizard.width() <= 1092 * 0.9 and wizard.height() <= 574 * 0.9
