"""A small horizontal bar chart drawn with QPainter (labels left, value at the bar's end)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR = QColor("#2b6cb0")
BAR_ALT = QColor("#9ab8d8")


class BarChartWidget(QWidget):
    """Bars for (label, value) pairs; an optional second series draws a lighter twin bar."""

    ROW = 22

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.items: list[tuple[str, float, float | None]] = []
        self.value_format = "{:,.0f}"
        self.legend: tuple[str, str] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(title)

    def set_items(self, items: list[tuple[str, float]] | list[tuple[str, float, float | None]],
                  value_format: str = "{:,.0f}", legend: tuple[str, str] | None = None) -> None:
        self.items = [(t[0], t[1], t[2] if len(t) > 2 else None) for t in items]  # type: ignore[misc]
        self.value_format = value_format
        self.legend = legend
        self.setAccessibleDescription("; ".join(
            f"{label}: {self.value_format.format(v)}" for label, v, _ in self.items))
        self.updateGeometry()
        self.update()

    def _rows(self) -> int:
        return max(1, len(self.items)) * (2 if any(b is not None for *_, b in self.items) else 1)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(420, 30 + self._rows() * self.ROW + (18 if self.legend else 0))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(260, self.sizeHint().height())

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        fm = self.fontMetrics()
        bold = self.font()
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(text)
        p.drawText(QRectF(0, 0, self.width(), 24), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   self.title)
        p.setFont(self.font())
        if not self.items:
            p.drawText(QRectF(0, 28, self.width(), self.ROW), Qt.AlignmentFlag.AlignLeft, "No data in this period")
            return
        label_w = min(self.width() * 0.45, max(fm.horizontalAdvance(lbl) for lbl, *_ in self.items) + 12)
        value_w = fm.horizontalAdvance("000,000 %") + 8
        bar_w = max(10.0, self.width() - label_w - value_w)
        top = max(max(v, b or 0) for _, v, b in self.items) or 1
        y = 28.0
        twin = any(b is not None for *_, b in self.items)
        for label, value, second in self.items:
            p.setPen(text)
            elided = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 8))
            p.drawText(QRectF(0, y, label_w - 8, self.ROW), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, elided)
            for val, color in ((value, BAR), (second, BAR_ALT)) if twin else ((value, BAR),):
                if val is None:
                    y += self.ROW
                    continue
                w = bar_w * (val / top)
                p.fillRect(QRectF(label_w, y + 3, w, self.ROW - 6), color)
                p.setPen(text)
                p.drawText(QRectF(label_w + w + 4, y, value_w, self.ROW),
                           Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                           self.value_format.format(val))
                y += self.ROW
        if self.legend:
            for i, (name, color) in enumerate(zip(self.legend, (BAR, BAR_ALT), strict=True)):
                x = label_w + i * 140
                p.fillRect(QRectF(x, y + 5, 12, 10), color)
                p.setPen(text)
                p.drawText(QRectF(x + 16, y, 120, 18), Qt.AlignmentFlag.AlignVCenter, name)
        p.end()
