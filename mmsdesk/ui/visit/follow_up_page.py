"""Step 5, Follow-up: the next contact, and at a follow-up every open problem with its history,
its outcome (resolved, improved, unchanged, worse, unable to assess) and the prescriber's
response.

When the problem's recommendation proposes a change to the medication list and the prescriber
accepted it, the change is shown in plain words with an "Apply to the list" box: ticked, the
change is made when the visit is completed (for an answer with changes, with the strength and
directions the pharmacist types in). Nothing changes on the list without the tick."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QItemSelection, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from mmsdesk.models.enums import (
    PROBLEM_CATEGORY_LABELS,
    SERVICE_LABELS,
    GoalStatus,
    Outcome,
    Response,
)
from mmsdesk.services.validation import format_date, parse_date
from mmsdesk.services.visits.draft import ProblemFollowUp
from mmsdesk.services.visits.replies import APPLIES
from mmsdesk.services.visits.service import shown_reviews
from mmsdesk.ui.qtmodels.row_table import Column
from mmsdesk.ui.visit.base import VisitPage, choice, line, on_text, set_choice
from mmsdesk.ui.visit.list_editor import Field, ListEditor
from mmsdesk.ui.visit.start_dialog import MODALITY_LABELS
from mmsdesk.ui.widgets.theme import error_style

log = logging.getLogger(__name__)

OUTCOME_LABELS = {Outcome.RESOLVED: "Resolved", Outcome.IMPROVED: "Improved",
                  Outcome.UNCHANGED: "Unchanged", Outcome.WORSE: "Worse",
                  Outcome.UNABLE_TO_ASSESS: "Unable to assess"}
GOAL_LABELS = {GoalStatus.MET: "Met", GoalStatus.NOT_MET: "Not met",
               GoalStatus.CANCELLED: "No longer a goal"}
RESPONSE_LABELS = {Response.ACCEPTED: "Accepted", Response.MODIFIED: "Modified",
                   Response.DECLINED: "Declined", Response.NO_ANSWER: "No answer",
                   Response.PENDING: "Still waiting"}


def _d(value: Any) -> str:
    return format_date(value) if isinstance(value, date) else str(value or "")


class FollowUpPage(VisitPage):
    step = "follow_up"

    subtitle = "When to see the patient again; how each open problem is doing."

    def build(self) -> None:
        self.open_problems: dict[int, Any] = {}
        fu = lambda: self.draft.follow_up  # noqa: E731
        self.next_due = line("Next contact date", "MM/DD/YYYY")
        self.next_due.textEdited.connect(self._on_next_due_text_edited)
        self.next_due_error = QLabel()
        self.next_due_error.setStyleSheet(error_style())
        self.next_due_error.hide()
        self.next_due.setMaximumWidth(160)
        self.next_reason = line("Next contact reason", "for example: check BP after the change")
        on_text(self.next_reason, lambda t: setattr(fu(), "next_reason", t), self)
        self.next_service = choice("Next contact service", SERVICE_LABELS)
        self.next_service.currentIndexChanged.connect(self._on_next_combo_changed)
        self.next_modality = choice("Next contact how", MODALITY_LABELS)
        self.next_modality.currentIndexChanged.connect(self._on_next_combo_changed)
        form = QFormLayout()
        self.suggest_button = QPushButton()
        self.suggest_button.clicked.connect(self._on_suggest_clicked)
        due = QHBoxLayout()
        due.addWidget(self.next_due)
        due.addWidget(self.suggest_button)
        due.addWidget(self.next_due_error)
        due.addStretch(1)
        lab = QLabel("Next &contact on:")
        lab.setBuddy(self.next_due)
        form.addRow(lab, due)
        for text, w in (("Re&ason:", self.next_reason), ("Ser&vice:", self.next_service),
                        ("Ho&w:", self.next_modality)):
            lab = QLabel(text)
            lab.setBuddy(w)
            form.addRow(lab, w)
        box = QGroupBox("Schedule the next contact")
        box.setLayout(form)
        self.reviews = ListEditor(
            self, "Open problems from earlier visits", [
                Column("Problem", lambda r: self._problem_text(r.problem_id)),
                Column("Identified", lambda r: _d(getattr(self.open_problems.get(r.problem_id),
                                                          "identified_on", ""))),
                Column("Outcome", lambda r: OUTCOME_LABELS.get(r.outcome, "— to judge —"),
                       warn=lambda r: not r.outcome),
                Column("Prescriber's response", lambda r: RESPONSE_LABELS.get(
                    r.prescriber_response, ""))],
            lambda: self.draft.follow_up.reviews, [
                Field("outcome", "&Outcome:", choice("Outcome", OUTCOME_LABELS, "— to judge —"),
                      "outcome", from_widget=lambda v: str(v or "")),
                Field("response", "&Prescriber's response:", choice(
                    "Prescriber's response", RESPONSE_LABELS, "— none recorded —"),
                      "prescriber_response", from_widget=lambda v: str(v or "")),
                Field("note", "No&te:", line("Follow-up note"), "note")],
            None, stretch=0, hint="each gets an outcome", removable=False)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setAccessibleName("Problem history")
        self.reviews.form.addRow("History:", self.history)
        self._build_change_rows()
        self.reviews.table.selectionModel().selectionChanged.connect(
            self._on_reviews_selection_changed)
        self.reviews.fields[1].widget.currentIndexChanged.connect(self._on_response_changed)
        self.open_goals: dict[int, Any] = {}
        self.goals = ListEditor(
            self, "Goals from earlier visits", [
                Column("Goal", lambda g: self._goal_text(g.goal_id)),
                Column("Due", lambda g: _d(getattr(self.open_goals.get(g.goal_id), "due_on", ""))),
                Column("Latest", lambda g: _latest(self.open_goals.get(g.goal_id))),
                Column("Judged", lambda g: GOAL_LABELS.get(g.status, "— still open —"))],
            lambda: self.draft.follow_up.goals, [
                Field("goal_status", "&Goal:", choice("Goal status", GOAL_LABELS,
                                                      "— still open —"),
                      "status", from_widget=lambda v: str(v or "")),
                Field("goal_note", "Goal &evidence:", line("Goal note"), "note")],
            None, stretch=0, hint="met or not, as you judge it", removable=False)
        lay = QVBoxLayout()
        lay.addWidget(box)
        self.body.addLayout(lay)
        self.body.addWidget(self.reviews, 3)
        self.body.addWidget(self.goals, 2)

    # -- the recommendation's change to the list
    def _build_change_rows(self) -> None:
        self.proposals: dict[int, Any] = {}  # recommendation id -> ProposedChange
        self.change_text = QLabel()
        self.change_text.setWordWrap(True)
        self.change_text.setAccessibleName("Change to the medication list")
        self.apply_box = QCheckBox("Apply to the &list when the visit is completed")
        self.apply_box.setAccessibleName("Apply the change to the medication list")
        self.apply_box.toggled.connect(self._on_apply_box_toggled)
        self.new_strength = line("Strength the prescriber chose", "2.5 mg")
        self.new_strength.textEdited.connect(self._on_change_edited)
        self.new_directions = line("Directions the prescriber chose", "1 tablet twice a day")
        self.new_directions.textEdited.connect(self._on_change_edited)
        self.change_error = QLabel()
        self.change_error.setWordWrap(True)
        self.change_error.setStyleSheet(error_style())
        form = self.reviews.form
        form.addRow("Change to the list:", self.change_text)
        form.addRow("", self.apply_box)
        for text, w in (("New strengt&h:", self.new_strength),
                        ("New di&rections:", self.new_directions)):
            lab = QLabel(text)
            lab.setBuddy(w)
            form.addRow(lab, w)
        form.addRow("", self.change_error)
        self._show_change(None)

    def _review(self) -> ProblemFollowUp | None:
        cur = self.reviews.current()
        return cur[1] if cur else None

    def _edits(self, r: ProblemFollowUp) -> tuple[str | None, str | None]:
        if r.prescriber_response != Response.MODIFIED:
            return None, None
        return r.new_strength, r.new_directions

    def _show_change(self, r: ProblemFollowUp | None) -> None:
        """The selected problem's recommendation's change to the list, if it proposes one."""
        p = self.proposals.get(r.recommendation_id) if r and r.recommendation_id else None
        form = self.reviews.form
        rows = (self.change_text, self.apply_box, self.new_strength, self.new_directions,
                self.change_error)
        for w in rows:
            form.setRowVisible(w, p is not None)
        if r is None or p is None:
            return
        accepted = r.prescriber_response in APPLIES and p.applied_on is None
        modified = accepted and r.prescriber_response == Response.MODIFIED and p.editable
        self.apply_box.blockSignals(True)
        self.apply_box.setChecked(accepted and r.apply_change)
        self.apply_box.setEnabled(accepted)
        self.apply_box.blockSignals(False)
        form.setRowVisible(self.apply_box, p.applied_on is None)
        for w, value in ((self.new_strength, r.new_strength), (self.new_directions,
                                                               r.new_directions)):
            form.setRowVisible(w, modified)
            if not w.hasFocus():
                w.setText(value or "")
        errors: dict[str, str] = {}
        description = p.description
        if accepted:
            strength, directions = self._edits(r)
            try:
                service = self.visit().service
                if strength is not None or directions is not None:
                    shown = service.proposed_change(p.recommendation_id, self.draft.visit_date,
                                                    strength, directions)
                    description = shown.description if shown is not None else description
                if r.apply_change:
                    errors = service.check_reply(p.recommendation_id, self.draft.visit_date,
                                                 strength, directions)
            except Exception:  # noqa: BLE001 - a checker bug must not lose the visit
                log.exception("checking the change to the list failed")
        if p.applied_on is not None:
            description += f". Made on the list on {format_date(p.applied_on)}"
        elif not accepted:
            description += " (only when the prescriber accepts)"
        self.change_text.setText(description + ".")
        self.change_error.setText(" ".join(errors.values()))
        form.setRowVisible(self.change_error, bool(errors))

    @Slot()
    def _on_response_changed(self, *_a: object) -> None:
        r = self._review()
        if r is None or self._loading:
            return
        p = self.proposals.get(r.recommendation_id) if r.recommendation_id else None
        if p is not None and r.prescriber_response not in APPLIES and r.apply_change:
            r.apply_change = False  # declined or no answer: the list stays as it is
            self.changed()
        if p is not None and r.prescriber_response == Response.MODIFIED and \
                r.new_strength is None and r.new_directions is None:
            r.new_strength, r.new_directions = p.proposal.strength, p.proposal.directions
            self.changed()
        self._show_change(r)

    @Slot(bool)
    def _on_apply_box_toggled(self, on: bool) -> None:
        r = self._review()
        if r is None:
            return
        r.apply_change = on
        self.changed()
        self._show_change(r)

    @Slot()
    def _on_change_edited(self, *_a: object) -> None:
        r = self._review()
        if r is None:
            return
        r.new_strength = self.new_strength.text()
        r.new_directions = self.new_directions.text()
        self.changed()
        self._show_change(r)

    def _load_proposals(self) -> None:
        service = self.visit().service
        self.proposals = {}
        for r in self.draft.follow_up.reviews:
            if r.recommendation_id is None:
                continue
            try:
                p = service.proposed_change(r.recommendation_id, self.draft.visit_date)
            except Exception:  # noqa: BLE001
                log.exception("reading a recommendation's change failed")
                continue
            if p is not None:
                self.proposals[r.recommendation_id] = p

    def _problem_text(self, problem_id: int) -> str:
        p = self.open_problems.get(problem_id)
        if p is None:
            return f"Problem #{problem_id}"
        category = PROBLEM_CATEGORY_LABELS.get(getattr(p, "category", ""), "")
        text = getattr(p, "description", "") or category
        meds = getattr(p, "medications", "")
        if isinstance(meds, list | tuple):
            meds = ", ".join(meds)
        return text + (f" ({meds})" if meds else "")

    def _goal_text(self, goal_id: int) -> str:
        g = self.open_goals.get(goal_id)
        return (g.target or g.measure) if g is not None else f"Goal #{goal_id}"

    def load(self) -> None:
        visit = self.visit()
        try:
            self.open_goals = {g.goal_id: g for g in visit.service.open_goals(
                self.draft.patient_id)}
        except Exception:  # noqa: BLE001
            log.exception("open goals failed")
            self.open_goals = {}
        try:
            self.open_problems = {p.problem_id: p
                                  for p in visit.service.open_problems(self.draft.patient_id)}
        except Exception:  # noqa: BLE001
            log.exception("open problems failed")
            self.open_problems = {}
        # a review for each, on the versions shown (judged ones keep theirs)
        shown_reviews(self.draft, list(self.open_problems.values()),
                      list(self.open_goals.values()))
        fu = self.draft.follow_up
        self.next_due.setText(format_date(fu.next_due) if fu.next_due else "")
        days = self.suggested_days()
        self.suggest_button.setText(f"In {days} days")
        self.suggest_button.setAccessibleName(f"Next contact in {days} days (the practice's "
                                              "interval for this service)")
        self.suggest_button.setToolTip("The practice's follow-up interval for this service "
                                       "(File › Settings)")
        self.next_reason.setText(fu.next_reason)
        set_choice(self.next_service, fu.next_service)
        set_choice(self.next_modality, fu.next_modality)
        self._load_proposals()
        self.reviews.load()
        self._show_change(self._review())
        self.goals.load()
        self.goals.setVisible(bool(self.draft.follow_up.goals))

    def suggested_days(self) -> int:
        from mmsdesk import settings

        days = settings.load().follow_up_days
        return int(days.get(self.draft.service, days.get("follow_up", 30)))

    @Slot()
    def _on_suggest_clicked(self) -> None:
        due = self.draft.visit_date + timedelta(days=self.suggested_days())
        self.next_due.setText(format_date(due))
        self._on_next_due_text_edited(self.next_due.text())

    @Slot(str)
    def _on_next_due_text_edited(self, text: str) -> None:
        value, msg = parse_date(text, "Next contact date")
        self.next_due_error.setText(msg or "")
        self.next_due_error.setVisible(bool(msg))
        if not msg:
            self.draft.follow_up.next_due = value
            self.changed()

    @Slot()
    def _on_next_combo_changed(self, *_a: object) -> None:
        if self._loading:
            return
        self.draft.follow_up.next_service = str(self.next_service.currentData())
        self.draft.follow_up.next_modality = str(self.next_modality.currentData())
        self.changed()

    @Slot(QItemSelection, QItemSelection)
    def _on_reviews_selection_changed(self, *_a: object) -> None:
        cur = self.reviews.current()
        p = self.open_problems.get(cur[1].problem_id) if cur else None
        self.history.setText(_history(p) if p is not None else "")
        self._show_change(cur[1] if cur else None)


def _latest(g: Any) -> str:
    """The latest value and whether it meets the target (a hint: the pharmacist judges)."""
    if g is None or g.latest_value is None:
        return "no value recorded"
    text = f"{g.latest_value:g} {g.latest_unit} on {_d(g.latest_on)}".replace("  ", " ")
    meets = g.latest_meets_target
    return text + ("" if meets is None else " (at target)" if meets else " (not at target)")


def _history(p: Any) -> str:
    lines = []
    ident = getattr(p, "identified_on", None)
    if ident:
        lines.append(f"{_d(ident)}: identified" + (f" — {p.cause}" if getattr(p, "cause", "")
                                                   else ""))
    for r in getattr(p, "recommendations", ()) or ():
        what = getattr(r, "intervention", "")
        answer = RESPONSE_LABELS.get(getattr(r, "response", ""), "").lower()
        lines.append(f"{_d(getattr(r, 'sent_on', ''))}: recommended {what.replace('_', ' ')}"
                     + (f", {answer}" if answer else ""))
    for e in getattr(p, "events", ()) or ():
        outcome = OUTCOME_LABELS.get(getattr(e, "outcome", ""), "").lower()
        lines.append(f"{_d(getattr(e, 'event_date', ''))}: {outcome or 'seen'}"
                     + (f" — {e.note}" if getattr(e, "note", "") else ""))
    return "\n".join(lines) or "No earlier follow-up."
