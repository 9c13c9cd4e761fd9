"""Preview of the exact PDF that will print, with Print… and Save as PDF….

The PDF comes from ``services.documents.render_document``; the preview shows those bytes
(QtPdf), printing rasterises the same pages at the printer's resolution, and saving writes the
same bytes. Printing and saving are recorded in the audit trail (kind, pages, hash; no PHI).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt, Signal, Slot
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from mmsdesk import settings as app_settings
from mmsdesk.i18n import LANGUAGES
from mmsdesk.services import document_language, documents, translations
from mmsdesk.services.validation import ValidationError
from mmsdesk.store.conflicts import RecordChanged
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.dialogs.estimate_choice import EstimateChoiceBar
from mmsdesk.ui.dialogs.translations_dialog import SavedTranslationsDialog, TranslationsDialog

MAX_PRINT_DPI = 300


# The PDF is written readable by this user only (0600); the caption says why.
SAVE_CAPTION = ("Save as PDF: the file holds patient data (only you can open it here; "
                "keep copies private)")

class DocumentPreviewDialog(QDialog):
    """Choose a document, its language and print size; see it; print or save it.

    Signals:
        document_produced(str, str): a document was saved or printed: (kind, "export" or
            "print"), e.g. for the visit's Implement step to tick what was handed over.
    """

    document_produced = Signal(str, str)

    def __init__(self, ctx: AppContext, kind: str, patient_id: int, visit_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id = patient_id
        self.pdf: bytes = b""
        self.setWindowTitle("Documents")
        self.kind_combo = QComboBox()
        for k in documents.DOCUMENT_KINDS:
            self.kind_combo.addItem(documents.KIND_LABELS[k], k)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        self.kind_combo.setAccessibleName("Document")
        self.visit_combo = QComboBox()
        self.visit_combo.setAccessibleName("Visit")
        for vid, label in documents.visit_choices(ctx.store, patient_id):
            self.visit_combo.addItem(label, vid)
        if not self.visit_combo.count():
            self.visit_combo.addItem("No visit yet", None)
        if visit_id is not None:
            self.visit_combo.setCurrentIndex(max(0, self.visit_combo.findData(visit_id)))
        # a Good Faith Estimate: the visit's, or a planned follow-up's
        self.estimate_bar = EstimateChoiceBar(ctx.store, patient_id)
        self.lang_combo = QComboBox()
        self.lang_combo.setAccessibleName("Language")
        for code, name in LANGUAGES.items():
            self.lang_combo.addItem(name, code)
        lang = documents.document_language(ctx.store, patient_id)
        self.lang_combo.setCurrentIndex(max(0, self.lang_combo.findData(lang)))
        self.large_print = QCheckBox("&Large print")
        self.large_print.setChecked(app_settings.load().large_print)  # Settings > Preferences
        self.print_button = QPushButton("&Print…")
        self.save_button = QPushButton("&Save as PDF…")
        close = QPushButton("Close")
        self.doc = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.doc)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Printing before the practice is set up: said above the preview (and in red on the
        # document itself), with the way to fix it; never a silent "MMS Desk" signature.
        self.practice_note = QLabel()
        self.practice_note.setWordWrap(True)
        self.practice_note.setStyleSheet("color: #b00020; font-weight: bold")
        self.practice_note.setAccessibleName("Practice details missing")
        self.practice_button = QPushButton("Enter practice de&tails…")
        self.practice_button.clicked.connect(self._on_practice_button_clicked)
        self.practice_bar = QWidget()
        bar = QHBoxLayout(self.practice_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.practice_note, 1)
        bar.addWidget(self.practice_button)
        self.practice_bar.hide()
        # Text still in English in a document in another language: listed before printing,
        # to translate for this print or print anyway.
        self.language_note = QLabel()
        self.language_note.setWordWrap(True)
        self.language_note.setAccessibleName("Text still in English")
        self.translate_button = QPushButton("T&ranslate…")
        self.translate_button.clicked.connect(self._on_translate_button_clicked)
        self.language_bar = QWidget()
        lbar = QHBoxLayout(self.language_bar)
        lbar.setContentsMargins(0, 0, 0, 0)
        lbar.addWidget(self.language_note, 1)
        lbar.addWidget(self.translate_button)
        self.language_bar.hide()
        # the patient's stored translations, to see, correct or remove
        self.saved_translations_button = QPushButton("Saved translat&ions…")
        self.saved_translations_button.clicked.connect(self._on_saved_translations_clicked)
        self.pieces: tuple[tuple[str, str], ...] = ()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.message)
        self._buffer: QBuffer | None = None
        controls = QHBoxLayout()
        for label, widget in (("&Document:", self.kind_combo), ("&Visit:", self.visit_combo),
                              ("Lan&guage:", self.lang_combo)):
            lbl = QLabel(label)
            lbl.setBuddy(widget)
            controls.addWidget(lbl)
            controls.addWidget(widget)
        controls.addWidget(self.large_print)
        controls.addStretch(1)
        controls.addWidget(self.saved_translations_button)
        buttons = QHBoxLayout()
        self.pages_label = QLabel()
        buttons.addWidget(self.pages_label)
        buttons.addStretch(1)
        for b in (self.print_button, self.save_button, close):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addLayout(controls)
        lay.addWidget(self.estimate_bar)
        lay.addWidget(self.practice_bar)
        lay.addWidget(self.language_bar)
        lay.addWidget(self.stack, 1)
        lay.addLayout(buttons)
        self.kind_combo.currentIndexChanged.connect(self._on_options_changed)
        self.visit_combo.currentIndexChanged.connect(self._on_options_changed)
        self.lang_combo.currentIndexChanged.connect(self._on_options_changed)
        self.large_print.toggled.connect(self._on_options_changed)
        self.estimate_bar.choice_changed.connect(self._on_options_changed)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        close.clicked.connect(self.accept)
        self.resize(900, 1000)
        self.render()

    # -- state
    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    @property
    def visit_id(self) -> int | None:
        vid = self.visit_combo.currentData()
        return int(vid) if vid is not None else None

    @property
    def lang(self) -> str:
        return str(self.lang_combo.currentData())

    def render(self) -> bool:
        """Build the PDF for the current choices and show it; False (and a message) if not."""
        patient_doc = self.kind in documents.PATIENT_KINDS
        self.lang_combo.setEnabled(patient_doc)
        lang = self.lang if patient_doc else "en"
        self.saved_translations_button.setEnabled(patient_doc and lang != "en")
        gfe = self.kind == "gfe"
        self.estimate_bar.setVisible(gfe)
        follow_up = self.estimate_bar.follow_up_id if gfe else None
        try:
            self.pdf = documents.render_document(
                self.ctx.store, self.kind, self.patient_id, visit_id=self.visit_id,
                lang=lang, large_print=self.large_print.isChecked(), today=self.ctx.today(),
                follow_up_id=follow_up)
            if gfe:
                self.estimate_bar.show_deadline(self.ctx.today())
            # the stored translations are in both: what is listed is what prints in English
            self.pieces = document_language.untranslated(
                self.ctx.store, self.kind, self.patient_id, visit_id=self.visit_id, lang=lang,
                today=self.ctx.today(), follow_up_id=follow_up) \
                if patient_doc and lang != "en" else ()
        except (ValidationError, LookupError) as exc:
            self.pdf = b""
            errors = getattr(exc, "errors", None)
            self.message.setText("\n".join(errors.values()) if errors else str(exc))
            self.stack.setCurrentWidget(self.message)
            self._set_enabled(False)
            return False
        self.doc.close()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(self.pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.doc.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        self.stack.setCurrentWidget(self.view)
        n = self.doc.pageCount()
        self.pages_label.setText(f"{n} page{'s' if n != 1 else ''}")
        self._set_enabled(True)
        self._show_practice_missing()
        self._show_untranslated()
        return True

    def still_in_english(self) -> list[tuple[str, str]]:
        """The pieces of the document still printed in English (no translation stored)."""
        return list(self.pieces)

    def _show_untranslated(self) -> None:
        left = self.still_in_english()
        n = len(left)
        self.language_note.setText(
            f"{n} piece{'s' if n != 1 else ''} of text still in English: "
            + "; ".join(f"{w}: “{t[:40]}”" for w, t in left[:3]) + ("; …" if n > 3 else "")
            if n else "")
        self.language_bar.setVisible(bool(n))

    def _show_practice_missing(self) -> None:
        missing = documents.practice_info(self.ctx.store).missing
        self.practice_note.setText(
            "Practice details missing (" + ", ".join(missing) + "): this document says so in "
            "red and has no signature or phone to call. Enter them before giving it to anyone."
            if missing else "")
        self.practice_bar.setVisible(bool(missing))

    @Slot()
    def _on_practice_button_clicked(self) -> None:
        from mmsdesk.services.practice import PracticeService
        from mmsdesk.ui.setup.settings_dialog import SettingsDialog

        dlg = SettingsDialog(PracticeService(self.ctx.store), self)
        dlg.show_tab("Profile")
        dlg.accepted.connect(self.render)  # the letterhead and signature as just entered
        dlg.finished.connect(dlg.deleteLater)
        dlg.open()

    def _set_enabled(self, ok: bool) -> None:
        from mmsdesk.store.who import NotPermitted

        try:  # team mode: a technician previews the pharmacist's signed documents only
            documents.check_may_issue(self.ctx.store, self.kind)
            why = ""
        except NotPermitted as exc:
            why = str(exc)
        for button in (self.print_button, self.save_button):
            button.setEnabled(ok and not why)
            button.setToolTip(why)

    # -- actions
    def save_to(self, path: Path | str) -> Path:
        out = documents.save_document(self.ctx.store, self.kind, self.patient_id, self.pdf, path,
                                      visit_id=self.visit_id)
        self.document_produced.emit(self.kind, "export")
        return out

    def print_to(self, printer: QPrinter) -> int:
        """Paint every page, rasterised at the printer's resolution; returns pages printed."""
        documents.check_may_issue(self.ctx.store, self.kind)  # before any page is printed
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("The printer could not be started.")
        try:
            # the printer's resolution, capped: a 1200 dpi letter page is a 540 MB image
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            n = self.doc.pageCount()
            for i in range(n):
                if i:
                    printer.newPage()
                size_pt = self.doc.pagePointSize(i)
                image = self.doc.render(i, QSize(round(size_pt.width() * dpi / 72),
                                                 round(size_pt.height() * dpi / 72)))
                target = QRectF(painter.viewport())
                scale = min(target.width() / image.width(), target.height() / image.height())
                w, h = image.width() * scale, image.height() * scale
                painter.drawImage(QRectF((target.width() - w) / 2, 0, w, h), image)
        finally:
            painter.end()
        documents.record_print(self.ctx.store, self.kind, self.patient_id, self.pdf,
                               visit_id=self.visit_id)
        self.document_produced.emit(self.kind, "print")
        return n

    @Slot()
    def _on_options_changed(self) -> None:
        self.render()

    @Slot()
    def _on_save_clicked(self) -> None:
        name = f"{self.kind}.pdf"
        path, _filter = QFileDialog.getSaveFileName(self, SAVE_CAPTION, name, "PDF (*.pdf)")
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            self.save_to(path)
        except OSError as exc:
            QMessageBox.warning(self, "Save as PDF", f"The file could not be written: {exc}")

    @Slot()
    def _on_translate_button_clicked(self) -> None:
        """Type the pieces in the patient's language: stored for the patient, so this and
        every later document prints them (audited with the store's other changes)."""
        dlg = TranslationsDialog(self.pieces, {}, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.save_translations(dlg.translations())

    def save_translations(self, texts: dict[str, str]) -> None:
        """The pieces were untranslated when shown: a colleague's translation of one saved
        meanwhile is shown beside mine; Reload prints theirs, Keep editing saves mine over."""
        if not texts:
            return
        try:
            try:
                change = translations.save_translations(
                    self.ctx.store, self.patient_id, self.lang, texts,
                    expected=dict.fromkeys(texts))
            except RecordChanged as exc:
                from mmsdesk.ui.dialogs.conflict_dialog import settle_refused_save

                if settle_refused_save(self, exc):
                    self.render()
                    return
                change = translations.save_translations(self.ctx.store, self.patient_id,
                                                        self.lang, texts)
        except ValidationError as exc:
            QMessageBox.warning(self, "Translations", "\n".join(exc.errors.values()))
            return
        self.ctx.events.publish(change)
        self.render()

    @Slot()
    def _on_saved_translations_clicked(self) -> None:
        dlg = SavedTranslationsDialog(self.ctx, self.patient_id, self.lang, self)
        dlg.finished.connect(self.render)  # what was corrected or removed, printed as it is now
        dlg.finished.connect(dlg.deleteLater)
        dlg.open()

    def confirm_untranslated(self) -> bool:
        """Before printing: text still in English is listed; translate it, or print anyway."""
        left = self.still_in_english()
        if not left:
            return True
        box = QMessageBox(QMessageBox.Icon.Question, "Text still in English",
                          f"{len(left)} piece{'s' if len(left) != 1 else ''} of this document "
                          "are still in English:\n\n"
                          + "\n".join(f"• {w}: {t}" for w, t in left[:12])
                          + ("\n…" if len(left) > 12 else ""), parent=self)
        translate = box.addButton("T&ranslate…", QMessageBox.ButtonRole.AcceptRole)
        anyway = box.addButton("Print &anyway", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is translate:
            self._on_translate_button_clicked()
            return not self.still_in_english()
        return box.clickedButton() is anyway

    @Slot()
    def _on_print_clicked(self) -> None:
        if not self.confirm_untranslated():
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        apply_printer_settings(printer)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.print_to(printer)
        except OSError as exc:
            QMessageBox.warning(self, "Print", str(exc))


def apply_printer_settings(printer: QPrinter, settings: app_settings.Settings | None = None) -> None:
    """The printer and paper size chosen in Settings > Preferences (the print dialog can still
    change them); a printer that is not there any more leaves the system's default."""
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrinterInfo

    s = settings or app_settings.load()
    if s.printer_name and s.printer_name in QPrinterInfo.availablePrinterNames():
        printer.setPrinterName(s.printer_name)
    size = QPageSize.PageSizeId.A4 if s.paper_size == "A4" else QPageSize.PageSizeId.Letter
    printer.setPageSize(QPageSize(size))
