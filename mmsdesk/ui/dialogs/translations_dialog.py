"""The pieces of a document still in English, each with a cell to type it in the patient's
language, for the print at hand (the document preview's **Translate…**)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class TranslationsDialog(QDialog):
    """The pieces of a document still in English, each with a cell to type it in the
    patient's language (used for this print)."""

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
                      "English. The text is used for this print (it is not saved).")
        note.setWordWrap(True)
        ok = QPushButton("&Use for this print")
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
