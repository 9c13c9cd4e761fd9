"""Map a medicine saved as unrecognised to an entry of the drug dictionary."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services.medications import DrugHit, search_drugs


class MapDrugDialog(QDialog):
    """After accept: ``chosen`` is the dictionary entry picked."""

    def __init__(self, text_given: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Map to the drug dictionary")
        self.chosen: DrugHit | None = None
        intro = QLabel(f"Written as: <b>{text_given}</b><br>Search the dictionary and pick the "
                       "medicine it means.")
        intro.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setAccessibleName("Search the drug dictionary")
        self.search.textEdited.connect(self._on_search_text_edited)
        self.hits = QListWidget()
        self.hits.setAccessibleName("Dictionary entries")
        self.hits.currentItemChanged.connect(self._on_hits_current_item_changed)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        lay = QVBoxLayout(self)
        for w in (intro, self.search, self.hits, self.buttons):
            lay.addWidget(w)
        self.resize(520, 380)
        first_word = text_given.split()[0] if text_given.split() else ""
        self.search.setText(first_word)
        self._on_search_text_edited(first_word)

    @Slot(str)
    def _on_search_text_edited(self, text: str) -> None:
        self.hits.clear()
        for h in search_drugs(text, 30):
            item = QListWidgetItem(h.label)
            item.setData(Qt.ItemDataRole.UserRole, h)
            self.hits.addItem(item)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_hits_current_item_changed(self, item: QListWidgetItem | None, _old: object) -> None:
        self.chosen = item.data(Qt.ItemDataRole.UserRole) if item else None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.chosen is not None)
