"""Step 3, Plan: an intervention for each problem (what, who acts, priority), measurable goals
(measure, target, date) and the patient's action plan ("What we talked about" / "What I need
to do")."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QTabWidget

from mmsdesk.models.enums import Intervention, Recipient
from mmsdesk.models.measures import MEASURES, measure
from mmsdesk.services.validation import format_date, parse_date
from mmsdesk.services.visits.draft import ActionItem, GoalDraft, PlanItem, new_key
from mmsdesk.ui.qtmodels.row_table import Column
from mmsdesk.ui.visit.base import VisitPage, choice, line, named, text_box
from mmsdesk.ui.visit.list_editor import Field, ListEditor
from mmsdesk.ui.visit.problems_panel import PRIORITY_LABELS

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
                Field("text", "Recommendation &text:", text_box(
                    "Recommendation", "What exactly: drug, dose, timing, monitoring", height=60),
                      "text")],
            self._another_plan, stretch=4, add_text="Another interv&ention for the problem",
            hint="one row for each problem; add another for a problem that needs two")
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
        for editor in (self.interventions, self.goals, self.actions):
            editor.load()
        named(self.tabs, "Plan sections")
