"""Chart tab "MTM": whether the patient meets the Medicare Part D MTM targeting criteria of a
plan year (thresholds editable per year), when the next CMR and TMR are due, and the CMR offers
of the plan year ("Record CMR offer…")."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.eligibility import (
    COST_NOT_KNOWN,
    Eligibility,
    MtmCriteria,
    patient_eligibility,
    save_criteria,
)
from mmsdesk.services.mtm_offers import patient_offers
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.widgets.theme import WARNING, readable

WATCHED = (changes.CONDITIONS, changes.MEDICATIONS, changes.VISITS, changes.DEMOGRAPHICS)


def _mark(ok: bool) -> str:
    return "✔ met" if ok else "✘ not met"


def _late(due, today) -> str:  # type: ignore[no-untyped-def]
    days = (today - due).days
    return f" · {days} days overdue" if days > 0 else ""


class MtmPage(QWidget):
    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.patient_id = ctx, patient_id
        self.result: Eligibility | None = None
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2025, 2100)
        self.year_spin.setValue(max(2025, ctx.today().year))
        self.year_spin.setAccessibleName("Plan year")
        self.year_spin.valueChanged.connect(self.refresh)
        self.verdict = QLabel()
        font = self.verdict.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.verdict.setFont(font)
        self.diseases = QLabel()
        self.drugs = QLabel()
        self.cost = QLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.cmr = QLabel()
        self.tmr = QLabel()
        self.offers = QLabel()
        self.offers.setAccessibleName("CMR offers this plan year")
        for label in (self.diseases, self.drugs, self.cost, self.offers):
            label.setWordWrap(True)
        checks = QFormLayout()
        checks.addRow("Core chronic diseases", self.diseases)
        checks.addRow("Part D drugs", self.drugs)
        checks.addRow("Annual Part D drug cost", self.cost)
        checks.addRow("Next CMR due", self.cmr)
        checks.addRow("Next TMR due", self.tmr)
        checks.addRow("CMR offered", self.offers)
        self.min_diseases = QSpinBox()
        self.min_diseases.setRange(1, 10)
        self.min_drugs = QSpinBox()
        self.min_drugs.setRange(1, 50)
        self.min_cost = QDoubleSpinBox()
        self.min_cost.setRange(0, 1_000_000)
        self.min_cost.setDecimals(0)
        self.min_cost.setPrefix("$")
        self.save_button = QPushButton("&Save thresholds for this year")
        self.save_button.clicked.connect(self._on_save_clicked)
        edit = QFormLayout()
        edit.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        edit.addRow("At least … core chronic diseases", self.min_diseases)
        edit.addRow("At least … Part D drugs", self.min_drugs)
        edit.addRow("Annual cost at least", self.min_cost)
        edit.addRow("", self.save_button)
        box = QGroupBox("Targeting criteria for the plan year")
        box.setLayout(edit)
        box.setMaximumWidth(560)
        top = QHBoxLayout()
        top.addWidget(QLabel("Plan year"))
        top.addWidget(self.year_spin)
        top.addStretch(1)
        self.costs_button = QPushButton("Enter annual &costs…")
        self.costs_button.setToolTip("The estimated yearly cost of each Part D medicine")
        self.costs_button.clicked.connect(self._on_costs_button_clicked)
        top.addWidget(self.costs_button)
        self.offer_button = QPushButton("Record CMR o&ffer…")
        self.offer_button.setToolTip("The day a comprehensive medication review was offered, "
                                     "and how (the plans report it)")
        self.offer_button.clicked.connect(self._on_offer_button_clicked)
        top.addWidget(self.offer_button)
        self.source = source = QLabel()
        source.setWordWrap(True)
        source.setAccessibleName("Source of the thresholds")
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.verdict)
        lay.addLayout(checks)
        lay.addWidget(self.note)
        lay.addWidget(box)
        lay.addStretch(1)
        lay.addWidget(source)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        year = self.year_spin.value()
        today = self.ctx.today()
        e = patient_eligibility(self.ctx.store, self.patient_id, today, year)
        self.result = e
        c = e.criteria
        verdicts = {"meets": f"Meets the {year} Part D MTM targeting criteria",
                    "does not meet": f"Does not meet the {year} Part D MTM targeting criteria",
                    COST_NOT_KNOWN: f"{year}: cost not known: enter annual costs "
                                    "(Enter annual costs…)"}
        self.verdict.setText(verdicts[e.verdict])
        self.verdict.setStyleSheet("" if e.verdict != COST_NOT_KNOWN
                                   else f"color: {readable(WARNING).name()};")
        self.diseases.setText(f"{len(e.core_diseases)} of at least {c.min_core_diseases} · "
                              f"{_mark(e.meets_diseases)}"
                              + (f" ({', '.join(e.core_diseases)})" if e.core_diseases else ""))
        self.drugs.setText(f"{e.part_d_drugs} of at least {c.min_part_d_drugs} · {_mark(e.meets_drugs)}")
        if e.cost_known:
            unknown = (f" · {e.drugs_without_cost} drugs have no cost entered"
                       if e.drugs_without_cost else "")
            self.cost.setText(f"${e.annual_cost:,.0f} of at least ${c.min_annual_cost:,.0f} · "
                              f"{_mark(e.meets_cost)}{unknown}")
        else:
            self.cost.setText(f"cost not known: enter annual costs ({e.drugs_without_cost} of "
                              f"{e.part_d_drugs} Part D drugs have none; ${e.annual_cost:,.0f} "
                              f"entered of at least ${c.min_annual_cost:,.0f})")
        r = e.reviews
        if r.next_cmr is None:
            self.cmr.setText("not enrolled in MTM")
        else:
            kind = ("new enrollee: offer within 60 days of enrolment" if r.new_enrollee else
                    f"done for {today.year}; next plan year's" if r.cmr_done_this_year else
                    f"once in plan year {today.year}")
            self.cmr.setText(f"{r.next_cmr:%m/%d/%Y} ({kind})" + _late(r.next_cmr, today))
        self.tmr.setText(f"{r.next_tmr:%m/%d/%Y} (quarterly)" + _late(r.next_tmr, today)
                         if r.next_tmr else "after the first CMR")
        offers = [o for o in patient_offers(self.ctx.store, self.patient_id)
                  if o.offered_on.year == year]
        self.offers.setText("; ".join(f"{o.offered_on:%m/%d/%Y} by {o.method_label.lower()}"
                                      for o in reversed(offers))
                            or f"no offer recorded in {year}")
        self.note.setText(f"{year}'s thresholds are not confirmed: {c.assumed_from}'s are used. "
                          "Check CMS's MTM guidance for the year and save them below."
                          if c.assumed_from else "")
        self.source.setText(f"Source of the {year} thresholds: {c.source or 'none'}. Reviews: "
                            "42 CFR 423.153(d)(1)(vii) (CMR once a plan year, within 60 days "
                            "for a new enrollee; targeted reviews at least quarterly).")
        self.min_diseases.setValue(c.min_core_diseases)
        self.min_drugs.setValue(c.min_part_d_drugs)
        self.min_cost.setValue(c.min_annual_cost)

    @Slot()
    def _on_costs_button_clicked(self) -> None:
        self.open_costs()

    def open_costs(self):  # type: ignore[no-untyped-def]
        from mmsdesk.ui.chart.annual_costs_dialog import AnnualCostsDialog

        dlg = AnnualCostsDialog(self.ctx, self.patient_id, self)
        dlg.accepted.connect(lambda: self.ctx.events.publish(dlg.change)
                             if dlg.change is not None else None)
        dlg.finished.connect(dlg.deleteLater)
        dlg.open()
        return dlg

    @Slot()
    def _on_offer_button_clicked(self) -> None:
        self.open_offer()

    def open_offer(self):  # type: ignore[no-untyped-def]
        from mmsdesk.ui.chart.cmr_offer_dialog import CmrOfferDialog

        dlg = CmrOfferDialog(self.ctx, self.patient_id, self)
        dlg.accepted.connect(lambda: self.ctx.events.publish(dlg.change)
                             if dlg.change is not None else None)
        dlg.finished.connect(dlg.deleteLater)
        dlg.open()
        return dlg

    @Slot()
    def _on_save_clicked(self) -> None:
        save_criteria(MtmCriteria(self.year_spin.value(), self.min_diseases.value(),
                                  self.min_drugs.value(), self.min_cost.value()))
        self.refresh()

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if self.patient_id in change.patient_ids and change.touches(*WATCHED):
            self.refresh()
