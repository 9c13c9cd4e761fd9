"""Supply timeline: one lane per medicine across the period; supply as bars, long gaps in red."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from mmsdesk.services.adherence import PdcResult

SUPPLY = QColor("#2f855a")
LOW = QColor("#c05621")
GAP = QColor(192, 38, 44, 60)


class SupplyTimelineWidget(QWidget):
    LANE = 26
    TOP = 22

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results: list[PdcResult] = []
        self.start: date | None = None
        self.end: date | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Supply timeline")

    def set_results(self, results: list[PdcResult], start: date, end: date) -> None:
        self.results = [r for r in results if r.period_start is not None]
        self.start, self.end = start, end
        self.setAccessibleDescription("; ".join(
            f"{r.label}: {len(r.segments)} supply periods, {len(r.gaps)} long gaps"
            for r in self.results))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(600, self.TOP + max(1, len(self.results)) * self.LANE + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(300, self.sizeHint().height())

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        p.setPen(text)
        if not self.results or self.start is None or self.end is None:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No fills recorded in this period")
            return
        fm = self.fontMetrics()
        label_w = min(self.width() * 0.3, max(fm.horizontalAdvance(r.label) for r in self.results) + 12)
        x0, x1 = label_w, self.width() - 60.0
        span = max(1, (self.end - self.start).days + 1)

        def x(d: date) -> float:
            return x0 + (x1 - x0) * ((d - self.start).days / span)  # type: ignore[operator]

        # month ticks
        grid = QPen(self.palette().color(QPalette.ColorRole.Mid))
        d = date(self.start.year, self.start.month, 1)
        while d <= self.end:
            if d >= self.start:
                p.setPen(grid)
                p.drawLine(int(x(d)), self.TOP - 4, int(x(d)), self.height())
                p.setPen(text)
                p.drawText(QRectF(x(d) + 2, 0, 60, self.TOP - 4), Qt.AlignmentFlag.AlignVCenter,
                           d.strftime("%b"))
            d = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        y = float(self.TOP)
        for r in self.results:
            p.setPen(text)
            p.drawText(QRectF(0, y, label_w - 8, self.LANE),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       fm.elidedText(r.label, Qt.TextElideMode.ElideRight, int(label_w - 8)))
            for g in r.gaps:
                p.fillRect(QRectF(x(g.start), y + 2, x(g.end + timedelta(days=1)) - x(g.start),
                                  self.LANE - 4), GAP)
            color = LOW if r.below_threshold else SUPPLY
            for seg in r.segments:
                p.fillRect(QRectF(x(seg.start), y + 7, max(1.0, x(seg.end + timedelta(days=1)) - x(seg.start)),
                                  self.LANE - 14), color)
            pdc = "—" if r.pdc is None else f"{r.pdc * 100:.0f}%"
            p.setPen(text)
            p.drawText(QRectF(x1 + 6, y, 54, self.LANE), Qt.AlignmentFlag.AlignVCenter, pdc)
            y += self.LANE
        p.end()
