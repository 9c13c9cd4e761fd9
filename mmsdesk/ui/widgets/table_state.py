"""Tables remember their column widths and sort between sessions, per table name.

Kept as JSON in ``paths.config_dir()/tables.json`` (plain data, no pickled preferences). Only
what the user did is kept: a width dragged or a header clicked; widths the program fits to the
contents are not stored, so an untouched table keeps fitting its contents."""

from __future__ import annotations

import json
import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QTableView

from mmsdesk import paths

log = logging.getLogger(__name__)
STATE_FILE = "tables.json"
SAVE_DELAY_MS = 400


def _file():  # type: ignore[no-untyped-def]
    return paths.config_dir() / STATE_FILE


def load_all() -> dict[str, Any]:
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(key: str, state: dict[str, Any]) -> None:
    data = load_all()
    data[key] = state
    try:
        _file().parent.mkdir(parents=True, exist_ok=True)
        _file().write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    except OSError as exc:  # a read-only profile: the table still works, it just forgets
        log.warning("table layout not saved: %s", exc.strerror)


class TableMemory(QObject):
    """Watches one table; ``remember(view, key)`` makes one."""

    def __init__(self, view: QTableView, key: str) -> None:
        super().__init__(view)
        self.view, self.key = view, key
        self.fitting = False  # set while the program sizes columns (not stored)
        saved = load_all().get(key, {})
        self.widths: dict[str, int] = {str(k): int(v) for k, v in
                                       dict(saved.get("widths", {})).items()}
        self.sort: tuple[int, int] | None = (
            (int(saved["sort"][0]), int(saved["sort"][1])) if saved.get("sort") else None)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SAVE_DELAY_MS)
        self.timer.timeout.connect(self.save)
        header = view.horizontalHeader()
        view.setSortingEnabled(True)
        if self.sort is None:  # rows come in the service's order until a header is clicked
            header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        model = view.model()
        if model is not None:
            model.modelReset.connect(self.apply_sort)
            self.apply_sort()
        # connected last: setting up the table is not the user's choice (nothing written)
        header.sectionResized.connect(self._on_header_section_resized)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)

    @Slot()
    def apply_sort(self) -> None:
        if self.sort is not None and self.view.model() is not None:
            column, order = self.sort
            self.view.horizontalHeader().blockSignals(True)
            self.view.horizontalHeader().setSortIndicator(column, Qt.SortOrder(order))
            self.view.horizontalHeader().blockSignals(False)
            self.view.model().sort(column, Qt.SortOrder(order))

    def apply_widths(self) -> bool:
        """Apply the widths the user set; False when there are none (fit to the contents)."""
        model = self.view.model()
        if not self.widths or model is None:
            return False
        header = self.view.horizontalHeader()
        self.fitting = True
        try:
            for c in range(model.columnCount()):
                title = str(model.headerData(c, Qt.Orientation.Horizontal))
                if title in self.widths and header.sectionResizeMode(c) != header.ResizeMode.Stretch:
                    header.resizeSection(c, self.widths[title])
        finally:
            self.fitting = False
        return True

    @Slot(int, int, int)
    def _on_header_section_resized(self, column: int, _old: int, new: int) -> None:
        model = self.view.model()
        if self.fitting or model is None or not self.view.isVisible():
            return
        header = self.view.horizontalHeader()
        last = header.count() - 1
        if header.sectionResizeMode(column) == header.ResizeMode.Stretch or (
                header.stretchLastSection() and header.logicalIndex(last) == column):
            return  # a stretching column follows the window, not the user
        self.widths[str(model.headerData(column, Qt.Orientation.Horizontal))] = new
        self.timer.start()

    @Slot(int, Qt.SortOrder)
    def _on_header_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        self.sort = (column, order.value) if column >= 0 else None
        self.timer.start()

    @Slot()
    def save(self) -> None:
        state: dict[str, Any] = {"widths": self.widths}
        if self.sort is not None:
            state["sort"] = list(self.sort)
        _save(self.key, state)


def remember(view: QTableView, key: str) -> TableMemory:
    """Make ``view`` (its model set) keep its column widths and sort under ``key``."""
    memory = TableMemory(view, key)
    view._memory = memory  # type: ignore[attr-defined]
    return memory


def memory_of(view: QTableView) -> TableMemory | None:
    return getattr(view, "_memory", None)
