"""The document preview shows the exact PDF, prints it page by page and saves it (audited)."""

from __future__ import annotations

from datetime import UTC

import pytest
from pypdf import PdfReader

from tests.conftest import TODAY


@pytest.fixture
def ctx(qtbot, demo_store):
    from mmsdesk.services.document_samples import add_sample_visit, ensure_profile
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext

    ensure_profile(demo_store)
    add_sample_visit(demo_store, 1, TODAY)
    return AppContext(store=demo_store, events=AppEvents(), today=lambda: TODAY)


def _audit(store, action):
    from sqlalchemy import select

    from mmsdesk.models import AuditEvent

    with store.session() as s:
        return [r.detail for r in s.execute(select(AuditEvent).where(
            AuditEvent.action == action)).scalars()]


def test_preview_shows_the_pdf_and_switches_documents(qtbot, ctx):
    from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog

    dlg = DocumentPreviewDialog(ctx, "cms-summary", 1)
    qtbot.addWidget(dlg)
    assert dlg.pdf.startswith(b"%PDF")
    assert dlg.doc.pageCount() == len(PdfReader(__import__("io").BytesIO(dlg.pdf)).pages) >= 3
    assert dlg.lang == "es"  # José prefers Spanish
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("calendar"))
    assert dlg.kind == "calendar" and b"%PDF" in dlg.pdf[:8]
    before = len(dlg.pdf)
    dlg.large_print.setChecked(True)
    assert len(dlg.pdf) != before
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("visit-note"))
    assert not dlg.lang_combo.isEnabled()  # professional documents are in English


def test_no_visit_shows_a_message_and_disables_printing(qtbot, ctx):
    from datetime import date

    from mmsdesk.models import Patient
    from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog

    with ctx.store.session() as s:
        p = Patient(first_name="Nguyễn Thị", last_name="Lan", date_of_birth=date(1950, 1, 2))
        s.add(p)
        s.flush()
        pid = p.id
    dlg = DocumentPreviewDialog(ctx, "invoice", pid)  # a new patient: no visit yet
    qtbot.addWidget(dlg)
    assert dlg.pdf == b""
    assert "needs a visit" in dlg.message.text()
    assert not dlg.print_button.isEnabled() and not dlg.save_button.isEnabled()


def test_save_and_print_are_audited_without_phi(qtbot, ctx, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog

    dlg = DocumentPreviewDialog(ctx, "pml", 1)
    qtbot.addWidget(dlg)
    out = tmp_path / "pml.pdf"
    produced = []
    dlg.document_produced.connect(lambda kind, action: produced.append((kind, action)))
    dlg.save_to(out)
    assert out.read_bytes() == dlg.pdf
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = dlg.print_to(printer)
    assert pages == dlg.doc.pageCount()
    printed = PdfReader(str(tmp_path / "printed.pdf")).pages
    assert len(printed) == pages
    for page in printed:  # each printed page carries the rasterised document page
        xobjects = page["/Resources"].get_object().get("/XObject", {})
        assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())
    assert produced == [("pml", "export"), ("pml", "print")]
    exports, prints = _audit(ctx.store, "export"), _audit(ctx.store, "print")
    assert len(exports) == 1 and exports[0].startswith("pml;")
    assert len(prints) == 1 and f"pages={pages}" in prints[0]
    for detail in exports + prints:
        assert "Müller" not in detail and "José" not in detail


def test_chart_documents_button_opens_the_payers_family(qtbot, ctx):
    from mmsdesk.ui.chart.chart_page import ChartPage
    from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog

    chart = ChartPage(ctx, 3)  # Ольга Иванова, self-pay: the PML first
    qtbot.addWidget(chart)
    chart.documents_button.click()
    dialogs = chart.findChildren(DocumentPreviewDialog)
    assert len(dialogs) == 1 and dialogs[0].kind == "pml"
    dialogs[0].close()
    dlg = chart.open_documents(visit_id=None)
    assert dlg.kind == "pml"
    medicare = ChartPage(ctx, 1)  # José Müller, Medicare Part D: the CMS summary first
    qtbot.addWidget(medicare)
    assert medicare.open_documents().kind == "cms-summary"


def test_text_still_in_english_is_listed_translated_and_kept_for_the_next_print(qtbot, ctx):
    """José's documents print in Spanish; the visit's free text and a reason for use typed in
    the chart have no translation: the preview lists them; what the pharmacist types in
    Translate… is stored, so the next PML printed through the service has it, until the
    English changes in the chart."""
    from dataclasses import replace

    from PySide6.QtCore import QTimer
    from sqlalchemy import select

    from mmsdesk.models import MedicationEntry
    from mmsdesk.services.documents import render_document
    from mmsdesk.services.medications import MedicationService
    from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog, TranslationsDialog
    from tests.reports.pdfcheck import pdftotext

    meds = MedicationService(ctx.store)
    with ctx.store.session() as s:
        med_id = next(m.id for m in s.execute(select(MedicationEntry).where(
            MedicationEntry.patient_id == 1)).scalars() if "furosemide" in m.name("en").lower())
    ankles = "for the swelling in my ankles"
    meds.update(med_id, replace(meds.get_input(med_id), indication=ankles), TODAY)

    dlg = DocumentPreviewDialog(ctx, "pml", 1)
    qtbot.addWidget(dlg)
    assert dlg.lang == "es"
    left = dict((t, w) for w, t in dlg.still_in_english())
    education = "Bleeding signs with warfarin; safe pain relief; sleep hygiene."
    assert education in left and ankles in left
    assert not dlg.language_bar.isHidden() and "still in English" in dlg.language_note.text()
    assert "Tome 1 tableta por la boca" in pdftotext(dlg.pdf)  # the sig is already Spanish

    typed = {education: "Señales de sangrado con warfarina; alivio seguro del dolor.",
             ankles: "para la hinchazón de los tobillos"}

    def type_and_save():
        editor = dlg.findChild(TranslationsDialog)
        for r in range(editor.table.rowCount()):
            said = typed.get(editor.table.item(r, 1).text())
            if said:
                editor.table.item(r, 2).setText(said)
        editor.accept()

    QTimer.singleShot(0, type_and_save)
    dlg.translate_button.click()
    text = pdftotext(dlg.pdf)
    assert "Señales de sangrado con warfarina" in text and "Bleeding signs" not in text
    assert "tobillos" in text and "swelling" not in text
    left = dict((t, w) for w, t in dlg.still_in_english())
    assert education not in left and ankles not in left
    dlg.close()

    # the next print, through the service (no dialog): the stored translations
    text = pdftotext(render_document(ctx.store, "pml", 1, today=TODAY))
    assert "tobillos" in text and "Señales de sangrado" in text and "swelling" not in text
    # the English indication changed in the chart: untranslated again, the old text unused
    meds.update(med_id, replace(meds.get_input(med_id), indication=ankles + " and feet"), TODAY)
    again = DocumentPreviewDialog(ctx, "pml", 1)
    qtbot.addWidget(again)
    assert ankles + " and feet" in dict((t, w) for w, t in again.still_in_english())
    assert "tobillos" not in pdftotext(again.pdf) and "Señales de sangrado" in pdftotext(again.pdf)
    again.lang_combo.setCurrentIndex(again.lang_combo.findData("en"))
    assert again.still_in_english() == [] and again.language_bar.isHidden()
    assert not again.saved_translations_button.isEnabled()


def test_saved_translations_are_listed_corrected_and_removed(qtbot, ctx):
    from mmsdesk.services import translations
    from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog
    from mmsdesk.ui.dialogs.translations_dialog import SavedTranslationsDialog
    from tests.reports.pdfcheck import pdftotext

    education = "Bleeding signs with warfarin; safe pain relief; sleep hygiene."
    translations.save_translations(ctx.store, 1, "es", {education: "Señales de sangrado."})
    dlg = DocumentPreviewDialog(ctx, "pml", 1)
    qtbot.addWidget(dlg)
    assert "Señales de sangrado." in pdftotext(dlg.pdf)
    assert dlg.saved_translations_button.isEnabled()
    dlg.saved_translations_button.click()
    saved = dlg.findChild(SavedTranslationsDialog)
    assert saved.table.rowCount() == 1 and saved.table.item(0, 0).text() == education
    saved.table.item(0, 1).setText("Señales de sangrado con warfarina.")
    saved.save_button.click()
    assert "Señales de sangrado con warfarina." in pdftotext(dlg.pdf)  # re-rendered
    dlg.saved_translations_button.click()
    saved = [w for w in dlg.findChildren(SavedTranslationsDialog) if w.isVisible()][0]
    saved.table.setCurrentCell(0, 1)
    saved.remove_button.click()
    saved.save_button.click()
    assert translations.list_translations(ctx.store, 1, "es") == []
    assert education in dict((t, w) for w, t in dlg.still_in_english())


def test_a_good_faith_estimate_for_a_planned_follow_up_from_the_preview(qtbot, ctx):
    """José pays for himself now: Documents > Good Faith Estimate > Estimate for: the
    telephone follow-up his CMR planned; it is issued and kept; given after the rule's
    deadline, the preview says so."""
    from datetime import datetime

    from sqlalchemy import select

    from mmsdesk.models import FollowUp, Patient, ServiceOffering
    from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog
    from tests.reports.pdfcheck import pdftotext

    with ctx.store.session() as s:
        s.get(Patient, 1).payer_type = "self_pay"
        fu = s.execute(select(FollowUp).where(
            FollowUp.reason == "INR result and knee pain")).scalars().one()
        fu.created_at = datetime(2026, 11, 2, tzinfo=UTC)  # scheduled weeks ago
        s.add(ServiceOffering(service=fu.service, name="Follow-up", duration_minutes=20,
                              price=60.0))
        fid, due = fu.id, fu.due_on
    dlg = DocumentPreviewDialog(ctx, "pml", 1)
    qtbot.addWidget(dlg)
    assert dlg.estimate_bar.isHidden()
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("gfe"))
    assert not dlg.estimate_bar.isHidden()
    bar = dlg.estimate_bar
    index = bar.combo.findData(fid)
    assert index > 0 and due.strftime("%m/%d/%Y") in bar.combo.itemText(index)
    bar.combo.setCurrentIndex(index)
    text = pdftotext(dlg.pdf)
    assert f"{due:%Y%m%d}-F{fid:05d}" in text and "$60.00" in text
    assert "given 11/24/2026" in bar.combo.currentText()
    assert not bar.note.isHidden() and "deadline" in bar.note.text()
    dlg.kind_combo.setCurrentIndex(dlg.kind_combo.findData("pml"))
    assert bar.isHidden()


def test_a_spanish_patients_first_good_faith_estimate_opens_in_the_preview(qtbot, ctx):
    """The preview read the text still in English before the estimate was issued, and a
    visit's first estimate for José (Spanish) showed "No Good Faith Estimate was issued"."""
    from mmsdesk.models import Patient, ServiceOffering, Visit
    from mmsdesk.services.documents import visit_choices
    from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog
    from tests.reports.pdfcheck import pdftotext

    visit = visit_choices(ctx.store, 1)[0][0]
    with ctx.store.session() as s:
        s.get(Patient, 1).payer_type = "self_pay"
        v = s.get(Visit, visit)
        v.status, v.payer_type, v.amount_paid = "draft", "self_pay", None
        s.add(ServiceOffering(service="cmr", name="CMR", duration_minutes=60, price=150.0))
    dlg = DocumentPreviewDialog(ctx, "gfe", 1, visit_id=visit)
    qtbot.addWidget(dlg)
    assert dlg.lang == "es" and dlg.stack.currentWidget() is dlg.view, dlg.message.text()
    assert "$150.00" in pdftotext(dlg.pdf)
