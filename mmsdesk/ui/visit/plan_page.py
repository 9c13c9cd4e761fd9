"""Step 3, Plan: an intervention for each problem (what, who acts, priority), measurable goals
(measure, target, date) and the patient's action plan ("What we talked about" / "What I need
to do").

An intervention that changes the list (start, stop, change the dose, change the drug) names
the change: the medicine on the list (the problem's medicines first), the medicine to start
as typed, the proposed strength and directions. The strength is read for the medicine's
ingredients as the list will read it, and refused at the field with a message when it does
not read; completing the visit copies the change onto the recommendation, so that the
prescriber's acceptance can later be applied to the list."""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QTabWidget

from mmsdesk.models.enums import Intervention, Recipient
from mmsdesk.models.measures import MEASURES, measure
from mmsdesk.services.validation import format_date, parse_date
from mmsdesk.services.visits.draft import ActionItem, GoalDraft, PlanItem, new_key
from mmsdesk.services.visits.replies import CHANGE_DOSE, CHANGE_DRUG, START, STOP
from mmsdesk.ui.qtmodels.row_table import Column
from mmsdesk.ui.visit.base import VisitPage, choice, line, named, text_box
from mmsdesk.ui.visit.list_editor import Field, ListEditor
from mmsdesk.ui.visit.problems_panel import PRIORITY_LABELS

log = logging.getLogger(__name__)

INTERVENTION_LABELS = {
    Intervention.START: "Start a medicine",
    Intervention.STOP: "Stop a medicine",
    Intervention.CHANGE_DOSE: "Change the dose",
    Intervention.CHANGE_DRUG: "Change the drug",
    Intervention.MONITOR: "Monitor",
    Intervention.EDUCATE: "Educate",
    Intervention.REFER: "Refer",
}
RECIPIENT_LABELS = {Recipient.PRESCRIBER: "Prescriber", Recipient.PATIENT: "Patient",
                    Recipient.PHARMACIST: "Pharmacist"}
# The fields of a change to the list that each intervention uses.
CHANGE_FIELDS = {START: ("new_medicine", "strength", "directions"),
                 STOP: ("medication",),
                 CHANGE_DOSE: ("medication", "strength", "directions"),
                 CHANGE_DRUG: ("medication", "new_medicine", "strength", "directions")}
COMPARATORS = {"<": "below (<)", "<=": "at most (≤)", ">": "above (>)", ">=": "at least (≥)",
               "=": "equal to (=)"}


def _measure_label(key: str) -> str:
    try:
        return measure(key).label
    except KeyError:
        return key


def _date_in(text: str) -> date | None:
    value, msg = parse_date(text, "Date")
    if msg:
        raise ValueError(msg)
    return value


def _number_in(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError("Enter the target as a number, or leave it empty.") from None


class PlanPage(VisitPage):
    step = "plan"

    subtitle = "For each problem: what to do and who acts; goals you can measure."

    def build(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Plan sections")
        self.prescriber_box = choice("Prescriber", {}, "— not chosen —")
        self.medicine_box = choice("Medicine on the list", {}, "— none —")
        self.new_medicine = line("Medicine to start", "as written: empagliflozin 10 mg tablet")
        self.proposed_strength = line("Proposed strength", "for example 2.5 mg")
        self.proposed_directions = line("Proposed directions", "for example 1 tablet twice a day")
        self._medicines: list = []  # the chart's medicines (MedicationRow), for the choice
        self.interventions = ListEditor(
            self, "Interventions", [
                Column("Problem", lambda p: self._problem_text(p.problem_key)),
                Column("Intervention", lambda p: INTERVENTION_LABELS.get(p.intervention,
                                                                         "— choose —"),
                       warn=lambda p: not p.intervention),
                Column("Who acts", lambda p: RECIPIENT_LABELS.get(p.recipient, p.recipient)),
                Column("Priority", lambda p: PRIORITY_LABELS.get(p.priority, p.priority)),
                Column("Recommendation", lambda p: p.text)],
            lambda: self.draft.plan.plans, [
                Field("intervention", "&Intervention:",
                      choice("Intervention", INTERVENTION_LABELS, "— choose —"), "intervention"),
                Field("recipient", "&Who acts:", choice("Who acts", RECIPIENT_LABELS),
                      "recipient"),
                Field("prescriber", "Pre&scriber:", self.prescriber_box, "prescriber_id",
                      to_widget=lambda v: "" if v is None else str(v),
                      from_widget=lambda v: int(v) if v else None),
                Field("priority", "P&riority:", choice("Plan priority", PRIORITY_LABELS),
                      "priority"),
                Field("medication", "Me&dicine on the list:", self.medicine_box,
                      "medication_id", to_widget=lambda v: "" if v is None else str(v),
                      from_widget=lambda v: int(v) if v else None),
                Field("new_medicine", "Medicine to start (as ty&ped):", self.new_medicine,
                      "proposed_medicine"),
                Field("strength", "Proposed strengt&h:", self.proposed_strength,
                      "proposed_strength"),
                Field("directions", "Proposed directi&ons:", self.proposed_directions,
                      "proposed_directions"),
                Field("text", "Recommendation &text:", text_box(
                    "Recommendation", "What exactly: drug, dose, timing, monitoring", height=60),
                      "text")],
            self._another_plan, stretch=4, add_text="Another interv&ention for the problem",
            hint="one row for each problem; add another for a problem that needs two",
            check=self._check_change)
        self.interventions.table.selectionModel().selectionChanged.connect(
            self._on_interventions_selection_changed)
        self.interventions.fields[0].widget.currentIndexChanged.connect(
            self._on_intervention_changed)
        self.problem_for_goal = choice("Goal's problem", {}, "— none —")
        measure_box = choice("Measure", {m.key: m.label for m in MEASURES})
        measure_box.setEditable(True)
        self.goals = ListEditor(
            self, "Goals", [
                Column("Measure", lambda g: _measure_label(g.measure)),
                Column("Target", lambda g: g.target),
                Column("By", lambda g: format_date(g.due_on) if g.due_on else ""),
                Column("Problem", lambda g: self._problem_text(g.problem_key))],
            lambda: self.draft.plan.goals, [
                Field("measure", "&Measure:", measure_box, "measure",
                      from_widget=lambda v: str(v or "")),
                Field("target", "&Target:", line("Target", "as the patient says it: A1c below 7%"),
                      "target"),
                Field("comparator", "&Comparator:", choice("Comparator", COMPARATORS),
                      "comparator"),
                Field("value", "Target val&ue:", line("Target value", "7"), "target_value",
                      to_widget=lambda v: "" if v is None else f"{v:g}", from_widget=_number_in),
                Field("due_on", "B&y (MM/DD/YYYY):", line("Goal date", "MM/DD/YYYY"), "due_on",
                      to_widget=lambda v: format_date(v) if v else "", from_widget=_date_in),
                Field("problem", "&Problem:", self.problem_for_goal, "problem_key",
                      from_widget=lambda v: str(v or ""))],
            lambda: GoalDraft("", ""), stretch=1, add_text="A&dd goal")
        self.actions = ListEditor(
            self, "Action plan", [
                Column("What we talked about", lambda a: a.talked_about),
                Column("What I need to do", lambda a: a.to_do)],
            lambda: self.draft.plan.action_items, [
                Field("talked_about", "What we &talked about:", text_box(
                    "What we talked about", "in the patient's words", height=60),
                      "talked_about"),
                Field("to_do", "What I need to &do:", text_box(
                    "What I need to do", "one thing the patient will do", height=60), "to_do")],
            lambda: ActionItem("", ""), stretch=1, add_text="Add action &item",
            hint="the patient's Medication Action Plan")
        self.tabs.addTab(self.interventions, "Inter&ventions")
        self.tabs.addTab(self.goals, "&Goals")
        self.tabs.addTab(self.actions, "&Action plan")
        self.body.addWidget(self.tabs, 1)

    # -- the change to the list
    def _check_change(self, item: PlanItem) -> dict[str, str]:
        """The proposed change of the selected intervention, checked by the visit service."""
        try:
            return self.visit().service.check_plan_item(self.draft.patient_id, item,
                                                        self.draft.visit_date)
        except Exception:  # noqa: BLE001 - a checker bug must not lose the typing
            log.exception("checking the proposed change failed")
            return {}

    def _fill_medicines(self, item: PlanItem | None) -> None:
        """The chart's active medicines, the problem's own first; the one chosen stays listed
        even when it was stopped since."""
        problem = next((p for p in self.draft.assess.problems
                        if item is not None and p.key == item.problem_key), None)
        mine = set(problem.medications) if problem is not None else set()
        chosen = item.medication_id if item is not None else None
        rows = [r for r in self._medicines if r.status != "stopped" or r.id == chosen]
        rows.sort(key=lambda r: (not mine.intersection(r.ingredients), r.name.lower()))
        box: QComboBox = self.medicine_box
        box.blockSignals(True)
        box.clear()
        box.addItem("— none —", "")
        for r in rows:
            box.addItem(r.name + (" (stopped)" if r.status == "stopped" else ""), str(r.id))
        box.setCurrentIndex(max(box.findData("" if chosen is None else str(chosen)), 0))
        box.blockSignals(False)

    def _enable_change_fields(self, item: PlanItem | None) -> None:
        used = CHANGE_FIELDS.get(item.intervention, ()) if item is not None else ()
        for f in self.interventions.fields:
            if f.key in ("medication", "new_medicine", "strength", "directions"):
                f.widget.setEnabled(f.key in used)

    @Slot()
    def _on_interventions_selection_changed(self, *_a: object) -> None:
        cur = self.interventions.current()
        item = cur[1] if cur else None
        self._fill_medicines(item)
        self._enable_change_fields(item)

    @Slot()
    def _on_intervention_changed(self, *_a: object) -> None:
        cur = self.interventions.current()
        self._enable_change_fields(cur[1] if cur else None)

    def _problem_text(self, key: str) -> str:
        p = next((p for p in self.draft.assess.problems if p.key == key), None)
        return (p.description or p.category.replace("_", " ")) if p else ""

    def _another_plan(self) -> PlanItem:
        cur = self.interventions.current()
        key = cur[1].problem_key if cur else (self.draft.assess.problems[0].key
                                              if self.draft.assess.problems else "")
        return PlanItem(new_key(), key, "")

    def sync_plans(self) -> None:
        """One intervention row for each problem; rows of removed problems go."""
        keys = [p.key for p in self.draft.assess.problems]
        plans = self.draft.plan.plans
        plans[:] = [p for p in plans if p.problem_key in keys]
        have = {p.problem_key for p in plans}
        for problem in self.draft.assess.problems:
            if problem.key not in have:
                plans.append(PlanItem(new_key(), problem.key, "", priority=problem.priority))
        plans.sort(key=lambda p: keys.index(p.problem_key))

    def entered(self) -> None:
        """Problems may have changed on Assess: one intervention row for each, again."""
        before = [(p.key, p.problem_key) for p in self.draft.plan.plans]
        self.reload()
        if before != [(p.key, p.problem_key) for p in self.draft.plan.plans]:
            self.changed()

    def load(self) -> None:
        self.sync_plans()
        from mmsdesk.services.care_team import CareTeamService

        prescribers = CareTeamService(self.visit().ctx.store).team(self.draft.patient_id).prescribers
        pbox: QComboBox = self.prescriber_box
        pbox.blockSignals(True)
        pbox.clear()
        pbox.addItem("— not chosen —", "")
        for pr in prescribers:
            pbox.addItem(pr.display_name + (f" ({pr.specialty})" if pr.specialty else ""),
                         str(pr.id))
        pbox.blockSignals(False)
        box: QComboBox = self.problem_for_goal
        box.blockSignals(True)
        box.clear()
        box.addItem("— none —", "")
        for p in self.draft.assess.problems:
            box.addItem(p.description or p.category, p.key)
        box.blockSignals(False)
        from mmsdesk.services.medications import MedicationService

        try:
            self._medicines = MedicationService(self.visit().ctx.store).list_for_patient(
                self.draft.patient_id)
        except Exception:  # noqa: BLE001 - the plan can be written without the list
            log.exception("reading the medication list failed")
            self._medicines = []
        self._fill_medicines(None)
        for editor in (self.interventions, self.goals, self.actions):
            editor.load()
        self._on_interventions_selection_changed()
        named(self.tabs, "Plan sections")
