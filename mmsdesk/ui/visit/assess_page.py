"""Step 2, Assess: screening alerts into problems, problems by hand, a review of each
medicine (indication, effectiveness, safety, adherence), the medication burden and PDC."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services.visits.draft import MedicationReview
from mmsdesk.ui.chart.adherence import PDC_COLUMNS
from mmsdesk.ui.qtmodels.row_table import RowTableModel
from mmsdesk.ui.visit.base import YES_NO, VisitPage, choice, line, reset_layout, set_choice
from mmsdesk.ui.visit.models import rows_fit_text
from mmsdesk.ui.visit.problems_panel import ProblemsPanel
from mmsdesk.ui.widgets.tables import fit_columns, make_table

log = logging.getLogger(__name__)
REVIEW_FIELDS = (("indication", "Indication"), ("effective", "Effective"), ("safe", "Safe"),
                 ("adherent", "Adherent"))


def screening_alerts(ctx: Any, patient_id: int) -> list[Any]:
    """The alerts the chart shows (acknowledged ones left out), unrecognised medicines too."""
    from mmsdesk.services.acknowledgements import AcknowledgementService
    from mmsdesk.services.medications import MedicationService, unrecognised_alerts
    from mmsdesk.services.screening import screen_patient

    result = screen_patient(ctx.store, patient_id, ctx.today())
    alerts = list(result.alerts) + unrecognised_alerts(MedicationService(ctx.store), patient_id)
    shown, _hidden = AcknowledgementService(ctx.store).split(patient_id, alerts)
    order = {"high": 0, "moderate": 1, "low": 2}
    return sorted(shown, key=lambda a: order.get(a.severity, 3))


class AssessPage(VisitPage):
    step = "assess"

    subtitle = "What is wrong: alerts, problems, each medicine, the burden."

    def build(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Assess sections")
        self.problems_panel = ProblemsPanel(self)
        self.tabs.addTab(self.problems_panel, "&Problems")
        self.review_tab = QWidget()
        self.tabs.addTab(self.review_tab, "Medication &review")
        self.tabs.addTab(self._burden_tab(), "B&urden and refills")
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.body.addWidget(self.tabs, 1)

    def _burden_tab(self) -> QWidget:
        tab = QWidget()
        self.burden_form = QFormLayout()
        self.burden_labels: dict[str, QLabel] = {}
        for key, label in (("medicines", "Medicines"), ("doses", "Doses a day"),
                           ("acb", "Anticholinergic burden (ACB total)"), ("other", "Also")):
            value = QLabel()
            value.setWordWrap(True)
            value.setAccessibleName(label)
            self.burden_labels[key] = value
            self.burden_form.addRow(label + ":", value)
        self.pdc_model: RowTableModel[Any] = RowTableModel(PDC_COLUMNS, self)
        self.pdc_table = rows_fit_text(make_table("Proportion of days covered"))
        self.pdc_table.setModel(self.pdc_model)
        self.pdc_note = QLabel()
        self.pdc_note.setWordWrap(True)
        lay = QVBoxLayout(tab)
        lay.addWidget(QLabel("<b>Medication burden</b>"))
        lay.addLayout(self.burden_form)
        lay.addWidget(QLabel("<b>Refill history: proportion of days covered (last 365 days)</b>"))
        lay.addWidget(self.pdc_note)
        lay.addWidget(self.pdc_table, 1)
        lay.addStretch(0)  # takes the room when there is no table
        self.burden_lay = lay
        return tab

    def load(self) -> None:
        """Screen the working list: the chart's list with the reconciliation's decisions."""
        from mmsdesk.services.visits.working_list import screen_working_list

        visit = self.visit()
        acb: int | None = None
        try:
            result = screen_working_list(visit.ctx.store, self.draft, visit.ctx.today())
            alerts, new, resolved = result.alerts, result.new_keys, result.resolved
            acb = result.acb_total
        except Exception:  # noqa: BLE001 - the visit goes on without the screen
            log.exception("screening failed")
            alerts, new, resolved = [], frozenset(), []
        self._screen = (list(alerts), new, resolved)
        self._load_problems()
        self._fill_reviews()
        self._fill_burden(acb)

    def _load_problems(self) -> None:
        """The screening alerts, then the review's findings ("No" answers) to make problems of."""
        from mmsdesk.services.problem_alerts import review_findings

        alerts, new, resolved = self._screen
        self.problems_panel.load(alerts + review_findings(self.draft), new, resolved)

    def _on_tabs_current_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.problems_panel and hasattr(self, "_screen"):
            self._load_problems()  # findings from the review just made

    # -- per-medicine review
    def _fill_reviews(self) -> None:
        """One row per medicine of the working list: what the patient will take after the
        visit (medicines being stopped are not reviewed; ones added or changed say so)."""
        from mmsdesk.services.visits.working_list import ADDED, CHANGED, active_medicines

        meds = active_medicines(self.draft)
        reviews = {(r.medication_id, "" if r.medication_id is not None else r.discrepancy_key): r
                   for r in self.draft.assess.reviews}
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.addWidget(QLabel("<b>Medicine</b>"), 0, 0)
        for c, (_k, title) in enumerate(REVIEW_FIELDS, 1):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, c)
        grid.addWidget(QLabel("<b>Note</b>"), 0, len(REVIEW_FIELDS) + 1)
        self.review_widgets: dict[tuple[int | None, str], tuple[list[QComboBox], QLineEdit]] = {}
        marks = {ADDED: "new on the list", CHANGED: "changed at this visit"}
        for n, med in enumerate(meds, 1):
            key = med.review_key
            rev = reviews.get(key)
            text = " ".join(med.name.split())
            shown = text + (f"\n{med.directions}" if med.directions else "")
            if med.change in marks:
                shown += f" ({marks[med.change]})"
            name = QLabel(shown)
            name.setWordWrap(True)
            grid.addWidget(name, n, 0)
            boxes = []
            for c, (field_key, title) in enumerate(REVIEW_FIELDS, 1):
                box = choice(f"{title}: {text}", YES_NO, "—")
                set_choice(box, getattr(rev, field_key) if rev else "")
                box.currentIndexChanged.connect(lambda _i, k=key: self._on_review_edited(k))
                grid.addWidget(box, n, c)
                boxes.append(box)
            note = line(f"Review note: {text}")
            note.setText(rev.note if rev else "")
            note.textEdited.connect(lambda _t, k=key: self._on_review_edited(k))
            grid.addWidget(note, n, len(REVIEW_FIELDS) + 1)
            self.review_widgets[key] = (boxes, note)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(len(REVIEW_FIELDS) + 1, 3)
        grid.setRowStretch(len(meds) + 1, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, not the frame
        scroll.setWidget(inner)
        reset_layout(self.review_tab).addWidget(scroll)

    def _on_review_edited(self, key: tuple[int | None, str]) -> None:
        boxes, note = self.review_widgets[key]
        mid, added = key
        reviews = self.draft.assess.reviews
        rev = next((r for r in reviews if (r.medication_id, "" if r.medication_id is not None
                                           else r.discrepancy_key) == key), None)
        if rev is None:
            rev = MedicationReview(mid, discrepancy_key=added)
            reviews.append(rev)
        for box, (field_key, _t) in zip(boxes, REVIEW_FIELDS, strict=True):
            setattr(rev, field_key, str(box.currentData() or ""))
        rev.note = note.text()
        self.changed()

    # -- burden and PDC
    def _fill_burden(self, acb: int | None = None) -> None:
        """The burden of the working list (its ACB total from the screening beside it)."""
        from mmsdesk.services.visits.burden import working_burden

        visit = self.visit()
        try:
            if acb is None:
                b = visit.service.burden(self.draft.patient_id, visit.ctx.today())
            else:
                b = working_burden(visit.ctx.store, self.draft, acb)
        except Exception:  # noqa: BLE001
            log.exception("burden summary failed")
            b = None
        labels = self.burden_labels
        if b is not None:
            labels["medicines"].setText(_burden_count(b))
            labels["doses"].setText(_attr(b, "doses_per_day", "unknown"))
            labels["acb"].setText(_attr(b, "anticholinergic_total", "0"))
            labels["other"].setText(_burden_other(b))
        try:
            from mmsdesk.services.refills import patient_adherence

            summary = patient_adherence(visit.ctx.store, self.draft.patient_id, visit.ctx.today())
            rows = [("Medicine", r) for r in summary.by_drug] + [("Class", r) for r in
                                                                 summary.by_class]
        except Exception:  # noqa: BLE001
            log.exception("PDC failed")
            rows = []
        self.pdc_model.set_rows(rows)
        self.pdc_note.setText("" if rows else "No refill history recorded for this patient "
                              "(import a pharmacy's fill history on the chart's Adherence tab).")
        self.pdc_table.setVisible(bool(rows))
        n = self.burden_lay.count()
        self.burden_lay.setStretch(n - 2, 1 if rows else 0)
        self.burden_lay.setStretch(n - 1, 0 if rows else 1)
        fit_columns(self.pdc_table, cap=260)


def _attr(obj: Any, name: str, default: str) -> str:
    value = getattr(obj, name, None)
    if value is None:
        return default
    return f"{value:g}" if isinstance(value, float) else str(value)


def _burden_count(b: Any) -> str:
    total = getattr(b, "medicines", None) or getattr(b, "medication_count", None)
    return str(total) if total is not None else "unknown"


def _burden_other(b: Any) -> str:
    skip = {"medicines", "medication_count", "doses_per_day", "anticholinergic_total",
            "patient_id"}
    fields = getattr(b, "__dataclass_fields__", {})
    parts = []
    for name in fields:
        if name in skip:
            continue
        value = getattr(b, name)
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value) or "none"
        parts.append(f"{name.replace('_', ' ')}: {value}")
    return " · ".join(parts) or "—"
