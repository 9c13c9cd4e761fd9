"""Text in the patient's language: the pieces of a document still in English, each with a
cell to type it (the document preview's **Translate…**), and the patient's stored
translations to correct or remove (**Saved translations…**). What is typed is stored for the
patient (``services.translations``): every later document prints it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services import translations
from mmsdesk.services.validation import ValidationError
from mmsdesk.store.conflicts import RecordChanged
from mmsdesk.ui.context import AppContext


class TranslationsDialog(QDialog):
    """The pieces of a document still in English, each with a cell to type it in the
    patient's language (stored by the caller for this patient's documents)."""

    def __init__(self, pieces: tuple[tuple[str, str], ...], done: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Text in the patient's language")
        self.table = QTableWidget(len(pieces), 3)
        self.table.setHorizontalHeaderLabels(["Where", "As written (English)",
                                              "In the patient's language"])
        self.table.setAccessibleName("Text to translate")
        for r, (where, text) in enumerate(pieces):
            for c, value in enumerate((where, text)):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
            self.table.setItem(r, 2, QTableWidgetItem(done.get(text, "")))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        note = QLabel("Type each piece as it should print. What you leave empty prints in "
                      "English. What you type is saved for this patient: every document prints "
                      "it until the English text changes.")
        note.setWordWrap(True)
        ok = QPushButton("&Save translations")
        ok.setDefault(True)
        cancel = QPushButton("Cancel")
        ok.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(ok)
        buttons.addWidget(cancel)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        self.resize(820, 420)

    def translations(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for r in range(self.table.rowCount()):
            text = self.table.item(r, 1).text()
            typed = self.table.item(r, 2).text().strip() if self.table.item(r, 2) else ""
            if typed:
                out[text] = typed
        return out


class SavedTranslationsDialog(QDialog):
    """A patient's stored translations in one language: correct one (type over it), remove
    one (empty it, or **Remove**); **Save** stores the changes in one transaction."""

    def __init__(self, ctx: AppContext, patient_id: int, lang: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.patient_id, self.lang = ctx, patient_id, lang
        self.setWindowTitle("Saved translations")
        self.items = translations.list_translations(ctx.store, patient_id, lang)
        self.over_theirs = False  # Keep editing after a refusal: the next Save goes over
        self.table = QTableWidget(len(self.items), 3)
        self.table.setHorizontalHeaderLabels(["English (as the documents show it)",
                                              "In the patient's language", "Saved on"])
        self.table.setAccessibleName("Saved translations")
        for r, item in enumerate(self.items):
            for c, value in enumerate((item.source_text, item.text,
                                       item.updated_on.strftime("%m/%d/%Y"))):
                cell = QTableWidgetItem(value)
                if c != 1:
                    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        note = QLabel("A translation is used while the English text is as shown; when the "
                      "English changes in the chart or the visit, the new text shows as still "
                      "in English and the old translation is no longer printed."
                      if self.items else "No translation saved for this patient yet.")
        note.setWordWrap(True)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.remove_button.setEnabled(bool(self.items))
        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._on_save_clicked)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        self.resize(820, 420)

    def edited(self) -> dict[str, str]:
        """English -> translation for each row changed (an empty one removes it)."""
        out: dict[str, str] = {}
        for r, item in enumerate(self.items):
            cell = self.table.item(r, 1)
            text = cell.text().strip() if cell is not None else ""
            if text != item.text:
                out[item.source_text] = text
        return out

    @Slot()
    def _on_remove_clicked(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.items) and self.table.item(row, 1) is not None:
            self.table.item(row, 1).setText("")

    @Slot()
    def _on_save_clicked(self) -> None:
        texts = self.edited()
        if texts:
            read = {i.source_text: i.version for i in self.items if i.source_text in texts}
            try:
                change = translations.save_translations(
                    self.ctx.store, self.patient_id, self.lang, texts,
                    expected=None if self.over_theirs else read)
            except RecordChanged as exc:  # a colleague corrected or removed one meanwhile
                from mmsdesk.ui.dialogs.conflict_dialog import settle_refused_save

                if settle_refused_save(self, exc):
                    self.reject()  # theirs stands; opened again, the list shows it
                else:
                    self.over_theirs = True
                return
            except ValidationError as exc:
                QMessageBox.warning(self, "Saved translations", "\n".join(exc.errors.values()))
                return
            self.ctx.events.publish(change)
        self.accept()
