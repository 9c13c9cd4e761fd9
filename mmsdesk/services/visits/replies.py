"""A prescriber's reply that changes the medication list.

A recommendation may propose a change to the list (:class:`Proposal`): stop a chart medicine,
change its strength or directions, change it for another medicine, or start a new one. When
the prescriber accepts it (as proposed, or with changes the pharmacist types in), and only
when the pharmacist confirms, the change is made through ``MedicationService`` in the same
transaction as the reply. The history event says "On the prescriber's reply of MM/DD/YYYY",
what was done in plain words, and that the prescriber decided; a stopped medicine's reason is
in the patient's words ("Stopped by Dr Okafor"), as the PML prints it under "Why I stopped
using it". The recommendation keeps the day the change was made (``applied_on``), so it is
never made twice. A declined reply, or no answer, changes nothing.

Used by the dashboard's reply dialog (:func:`record_reply`) and when a visit's Follow-up step
is completed (:func:`apply_in_session`, from services/visits/complete.py); the Plan step's
fields are checked with :func:`check_proposal`, which reads a strength with the drug
dictionary's one strength reader, as the list itself will. No Qt; plain dataclasses out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from mmsdesk.clinical.sig import Directions
from mmsdesk.models import MedicationEntry, Prescriber, ProblemEvent, Recommendation
from mmsdesk.models.enums import InfoSource, Intervention, MedicationStatus, Response
from mmsdesk.services import changes
from mmsdesk.services import validation as v
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.medications import MedicationInput, MedicationService, input_of
from mmsdesk.services.validation import ValidationError, format_date
from mmsdesk.services.versions import expect
from mmsdesk.services.visits.draft import PlanItem, ProblemFollowUp, VisitDraft
from mmsdesk.store import Store

START, STOP = Intervention.START.value, Intervention.STOP.value
CHANGE_DOSE, CHANGE_DRUG = Intervention.CHANGE_DOSE.value, Intervention.CHANGE_DRUG.value
CHANGES_THE_LIST = frozenset({START, STOP, CHANGE_DOSE, CHANGE_DRUG})
APPLIES = frozenset({Response.ACCEPTED.value, Response.MODIFIED.value})
# Credentials whose holder a patient calls "Dr" (Dr Okafor); anyone else by name.
_DOCTORS = frozenset({"md", "do", "dds", "dmd", "dpm", "od", "mbbs", "mbchb"})


@dataclass(frozen=True)
class Proposal:
    """The change a recommendation (or a Plan step's intervention) proposes to the list:
    the chart medicine concerned, the medicine to start as typed, the proposed strength
    ("2.5 mg") and directions ("1 tablet twice a day")."""

    intervention: str
    medication_id: int | None = None
    new_medicine: str = ""
    strength: str = ""
    directions: str = ""

    @classmethod
    def of(cls, intervention: str, medication_id: int | None, new_medicine: str,
           strength: str, directions: str) -> Proposal:
        """Only the parts the intervention uses: a stop has no strength or directions, a
        start no chart medicine, a dose change no new medicine."""
        if intervention not in CHANGES_THE_LIST:
            return cls(intervention)
        return cls(intervention,
                   medication_id if intervention != START else None,
                   " ".join(new_medicine.split()) if intervention in (START, CHANGE_DRUG)
                   else "",
                   strength.strip() if intervention != STOP else "",
                   " ".join(directions.split()) if intervention != STOP else "")

    @classmethod
    def of_plan(cls, item: PlanItem) -> Proposal:
        return cls.of(item.intervention, item.medication_id, item.proposed_medicine,
                      item.proposed_strength, item.proposed_directions)

    @property
    def is_change(self) -> bool:
        """Whether it changes the list (a recommendation in free text only does not)."""
        if self.intervention == START:
            return bool(self.new_medicine)
        if self.medication_id is None:
            return False
        if self.intervention == STOP:
            return True
        if self.intervention == CHANGE_DOSE:
            return bool(self.strength or self.directions)
        return self.intervention == CHANGE_DRUG and bool(
            self.new_medicine or self.strength or self.directions)

    @property
    def switches(self) -> bool:
        """A change of drug to another medicine: the chart medicine stops, the new one starts."""
        return self.intervention == CHANGE_DRUG and bool(self.new_medicine)


@dataclass(frozen=True)
class ProposedChange:
    """A recommendation's change to the list, as the pharmacist is shown it before it is made."""

    recommendation_id: int
    patient_id: int
    proposal: Proposal
    medicine: str  # the chart medicine's name as the list shows it; "" for a start
    prescriber: str  # "Dr Okafor"; "" when no prescriber is recorded
    description: str  # "Stop Doxazosin 4 mg tablet"
    applied_on: date | None  # the day it was made on the list; None while not made

    @property
    def intervention(self) -> str:
        return self.proposal.intervention

    @property
    def editable(self) -> bool:
        """Whether a strength and directions go with it (everything but a stop)."""
        return self.intervention != STOP


@dataclass(frozen=True)
class AppliedChange:
    """A change made on the list on a prescriber's reply."""

    recommendation_id: int
    description: str  # "Change Apixaban 5 mg tablet to 2.5 mg, take 1 tablet twice a day"
    on: date
    stopped: tuple[int, ...] = ()  # chart medicines stopped
    changed: tuple[int, ...] = ()  # chart medicines changed
    started: tuple[int, ...] = ()  # chart medicines added


@dataclass(frozen=True)
class ReplyResult:
    """What recording a prescriber's reply did: what changed (for the screens) and the change
    made on the list, when the pharmacist confirmed one."""

    changes: ChangeSet
    applied: AppliedChange | None = None


# -- words
def plain_prescriber(p: Prescriber | None) -> str:
    """How a patient names the prescriber: "Dr Okafor" for a physician, else the name."""
    if p is None:
        return ""
    creds = {c.lower().replace(".", "") for c in re.split(r"[\s,/]+", p.credentials) if c}
    if p.last_name.strip() and creds & _DOCTORS:
        return f"Dr {p.last_name.strip()}"
    return " ".join(x for x in (p.first_name.strip(), p.last_name.strip()) if x)


def _directions_words(directions: str) -> str:
    """Directions as the second half of a sentence: "take 1 tablet twice a day"."""
    text = " ".join(directions.split())
    if not text:
        return ""
    if text[0].isdigit():
        return f"take {text}"
    return text[0].lower() + text[1:] if not text[:2].isupper() else text


def describe(intervention: str, medicine: str, new_medicine: str, strength: str,
             directions: str) -> str:
    """The change in plain words. ``medicine`` is the chart medicine's name, ``new_medicine``
    the name of the one to start (its strength already in it)."""
    how = _directions_words(directions)
    if intervention == STOP:
        return f"Stop {medicine}"
    if intervention == START:
        return f"Start {new_medicine}" + (f", {how}" if how else "")
    if intervention == CHANGE_DRUG and new_medicine:
        return f"Stop {medicine} and start {new_medicine}" + (f", {how}" if how else "")
    return f"Change {medicine} to " + ", ".join(x for x in (strength, how) if x)


def _on_reply(on: date, what: str) -> str:
    return f"On the prescriber's reply of {format_date(on)}: {what}"[:400]


# -- checking
def _medications() -> MedicationService:
    """The medication service without a store: only its in-session methods are used."""
    return MedicationService(None)  # type: ignore[arg-type]


def _new_input(p: Proposal, prescriber_id: int | None = None,
               on: date | None = None) -> MedicationInput:
    return MedicationInput(text_given=p.new_medicine, strength=p.strength,
                           directions_text=p.directions, prescriber_id=prescriber_id,
                           source=InfoSource.PRESCRIBER_RECORD.value, started=on)


def _plain(directions: str) -> str:
    """Directions compared as words: "Take 1 tablet daily" is "1 tablet daily"."""
    text = " ".join(directions.casefold().split())
    return text.removeprefix("take ")


def _changed_input(entry: MedicationEntry, p: Proposal) -> MedicationInput:
    data = input_of(entry)
    if p.strength:
        data.strength = p.strength
    if p.directions and _plain(p.directions) != _plain(entry.directions_text()):
        # the plain text now rules; stale structured codes would render the old directions
        data.directions, data.directions_text = Directions(), p.directions
    return data


def check_proposal(s: Session, patient_id: int, p: Proposal, on: date) -> dict[str, str]:
    """What is wrong with a proposed change, by field: ``medication`` (the chart medicine),
    ``new_medicine``, ``strength``, ``directions``. A strength must read for the medicine's
    ingredients with the dictionary's strength reader, as the list will read it."""
    if p.intervention not in CHANGES_THE_LIST:
        return {}
    errors = v.collect(new_medicine=v.optional_text(p.new_medicine, "Medicine to start", 500),
                       strength=v.optional_text(p.strength, "Strength", 100),
                       directions=v.optional_text(p.directions, "Directions", 1000))
    entry = s.get(MedicationEntry, p.medication_id) if p.medication_id is not None else None
    if p.medication_id is not None:
        if entry is None or entry.patient_id != patient_id:
            errors["medication"] = "That medicine is not on this patient's list."
        elif entry.status == MedicationStatus.STOPPED:
            errors["medication"] = (f"{entry.name()} was stopped"
                                    + (f" on {format_date(entry.stopped)}" if entry.stopped
                                       else "") + ": choose a medicine the patient takes.")
    elif p.intervention != START and (p.new_medicine or p.strength or p.directions):
        errors["medication"] = "Choose the medicine on the list that this changes."
    if p.intervention == START and not p.new_medicine and (p.strength or p.directions):
        errors["new_medicine"] = "Write the medicine to start."
    if p.intervention == CHANGE_DOSE and entry is not None and not (p.strength or p.directions):
        errors["strength"] = "Give the proposed strength or the proposed directions."
    if errors:
        return errors
    if p.new_medicine:
        data, current = _new_input(p), None
    elif entry is not None and p.intervention != STOP:
        data, current = _changed_input(entry, p), entry
    else:
        return {}
    try:
        _medications().checked(data, on, current)
    except ValidationError as exc:
        fields = {"strength": "strength", "text_given": "new_medicine",
                  "directions_text": "directions"}
        return {fields[k]: msg for k, msg in exc.errors.items() if k in fields}
    return {}


def check_plan_item(s: Session, patient_id: int, item: PlanItem, on: date) -> dict[str, str]:
    """The Plan step's fields of one intervention, checked (see :func:`check_proposal`)."""
    return check_proposal(s, patient_id, Proposal.of_plan(item), on)


def plan_messages(store: Store, draft: VisitDraft) -> list[str]:
    """The Plan step's messages about proposed changes to the list."""
    names = {p.key: p.description.strip()[:60] or p.category for p in draft.assess.problems}
    plans = [pl for pl in draft.plan.plans if Proposal.of_plan(pl) != Proposal(pl.intervention)]
    out: list[str] = []
    if not plans:
        return out
    with store.session() as s:
        for pl in plans:
            errors = check_plan_item(s, draft.patient_id, pl, draft.visit_date)
            name = names.get(pl.problem_key, pl.problem_key)
            out += [f"Plan for “{name}”: {msg}" for msg in errors.values()]
    return out


def _follow_up_proposal(rec: Recommendation, r: ProblemFollowUp) -> Proposal:
    modified = r.prescriber_response == Response.MODIFIED
    return _proposal_of(rec, r.new_strength if modified else None,
                        r.new_directions if modified else None)


def follow_up_messages(store: Store, draft: VisitDraft, problem_names: dict[int, str]) -> list[str]:
    """The Follow-up step's messages about changes to the list to make on a reply."""
    out: list[str] = []
    with store.session() as s:
        for r in draft.follow_up.reviews:
            if not (r.apply_change and r.prescriber_response in APPLIES
                    and r.recommendation_id is not None):
                continue
            name = problem_names.get(r.problem_id, f"problem {r.problem_id}")
            rec = s.get(Recommendation, r.recommendation_id)
            if rec is None or rec.patient_id != draft.patient_id:
                out.append(f"“{name}”: the recommendation is no longer in the record.")
                continue
            errors = _reply_errors(s, rec, _follow_up_proposal(rec, r), draft.visit_date)
            if "apply" in errors and rec.applied_on is not None:
                errors["apply"] += " Untick “Apply to the list”."
            out += [f"“{name}”: {msg}" for msg in errors.values()]
    return out


def _reply_errors(s: Session, rec: Recommendation, p: Proposal, on: date) -> dict[str, str]:
    """What stops a recommendation's change from being made on the list now (by field, as
    :func:`check_proposal`; ``apply`` for the recommendation as a whole)."""
    if rec.applied_on is not None:
        return {"apply": "This change was already made on the list on "
                         f"{format_date(rec.applied_on)}."}
    errors = check_proposal(s, rec.patient_id, p, on)
    if errors or p.is_change:
        return errors
    if p.intervention == _proposal_of(rec).intervention and _proposal_of(rec).is_change:
        return {"strength": "Give the strength or the directions the prescriber chose."}
    return {"apply": "This recommendation proposes no change to the medication list."}


def check_reply(store: Store, recommendation_id: int, on: date, strength: str | None = None,
                directions: str | None = None) -> dict[str, str]:
    """Whether the recommendation's change can be made on the list on a reply dated ``on``,
    with the prescriber's own ``strength``/``directions`` when given: the messages by field
    (``strength``, ``directions``, ``medication``, ``new_medicine``, ``apply``)."""
    with store.session() as s:
        rec = s.get(Recommendation, recommendation_id)
        if rec is None:
            raise LookupError(f"No recommendation with id {recommendation_id}.")
        return _reply_errors(s, rec, _proposal_of(rec, strength, directions), on)


# -- reading
def _proposal_of(rec: Recommendation, strength: str | None = None,
                 directions: str | None = None) -> Proposal:
    return Proposal.of(rec.intervention, rec.medication_id, rec.proposed_medicine,
                       rec.proposed_strength if strength is None else strength,
                       rec.proposed_directions if directions is None else directions)


def _names(s: Session, p: Proposal, on: date) -> tuple[str, str]:
    """The chart medicine's name, and the name of the medicine to start (with its strength)."""
    entry = s.get(MedicationEntry, p.medication_id) if p.medication_id is not None else None
    medicine = entry.name() if entry is not None else ""
    new = ""
    if p.new_medicine:
        try:
            new = _medications().name_of(_medications().checked(_new_input(p), on))
        except ValidationError:
            new = p.new_medicine
        if p.strength and p.strength not in new:  # a medicine the dictionary cannot read
            new = f"{new} {p.strength}"
    return medicine, new


def _describe(s: Session, p: Proposal, on: date) -> str:
    medicine, new = _names(s, p, on)
    return describe(p.intervention, medicine, new, p.strength, p.directions)


def _prescriber(s: Session, rec: Recommendation) -> str:
    return plain_prescriber(s.get(Prescriber, rec.prescriber_id) if rec.prescriber_id else None)


def proposed_change(store: Store, recommendation_id: int, on: date,
                    strength: str | None = None,
                    directions: str | None = None) -> ProposedChange | None:
    """The change a recommendation proposes to the list, in plain words; None when it
    proposes none (a free-text recommendation, monitoring, education, a referral).
    ``strength``/``directions``: the prescriber's own, when the answer came with changes."""
    with store.session() as s:
        rec = s.get(Recommendation, recommendation_id)
        if rec is None:
            raise LookupError(f"No recommendation with id {recommendation_id}.")
        p = _proposal_of(rec, strength, directions)
        base = _proposal_of(rec)
        if not (p.is_change or base.is_change):
            return None
        medicine, _new = _names(s, p, on)
        assert rec.id is not None
        return ProposedChange(rec.id, rec.patient_id, p, medicine, _prescriber(s, rec),
                              _describe(s, p, on), rec.applied_on)


# -- applying
def apply_in_session(s: Session, rec: Recommendation, on: date, *, strength: str | None = None,
                     directions: str | None = None) -> AppliedChange:
    """Make the recommendation's change on the list inside the caller's transaction, on the
    prescriber's reply dated ``on``. ``strength``/``directions`` replace the proposed ones
    (an answer "accepted with changes"). Raises ``ValidationError`` when it was already made,
    proposes nothing, or does not fit the list as it is now."""
    assert rec.id is not None
    p = _proposal_of(rec, strength, directions)
    errors = _reply_errors(s, rec, p, on)
    if errors:
        raise ValidationError(errors)
    who = _prescriber(s, rec)
    by = who or "the prescriber"
    medicine, new = _names(s, p, on)
    description = describe(p.intervention, medicine, new, p.strength, p.directions)
    svc = _medications()
    stopped: tuple[int, ...] = ()
    changed: tuple[int, ...] = ()
    started: tuple[int, ...] = ()
    if p.intervention == STOP or p.switches:
        assert p.medication_id is not None
        if p.switches:  # the PML's "Why I stopped using it", in the patient's words
            patient_words = f"Changed to {new} by {who or 'your prescriber'}"
            history = f"changed to {new} by {by}"
        else:
            patient_words, history = f"Stopped by {who or 'your prescriber'}", f"stopped by {by}"
        svc.stop_in_session(s, p.medication_id, on, patient_words[:400], on,
                            history_reason=_on_reply(on, history), decided_by="prescriber")
        stopped = (p.medication_id,)
    if p.intervention == START or p.switches:
        what = f"started by {by}" + (f" in place of {medicine}" if p.switches else "")
        entry = svc.add_in_session(s, rec.patient_id, _new_input(p, rec.prescriber_id, on), on,
                                   reason=_on_reply(on, what), decided_by="prescriber")
        assert entry.id is not None
        started = (entry.id,)
    elif p.intervention in (CHANGE_DOSE, CHANGE_DRUG) and not p.switches:
        entry = s.get(MedicationEntry, p.medication_id)
        assert entry is not None and entry.id is not None
        to = ", ".join(x for x in (p.strength, _directions_words(p.directions)) if x)
        data = svc.checked(_changed_input(entry, p), on, entry)
        svc.update_in_session(s, entry, data, on,
                              reason=_on_reply(on, f"dose changed by {by} to {to}"),
                              decided_by="prescriber")
        changed = (entry.id,)
    rec.applied_on = on
    s.add(rec)
    s.flush()
    return AppliedChange(rec.id, description, on, stopped, changed, started)


def record_reply(store: Store, recommendation_id: int, response: str, on: date, note: str = "",
                 *, apply: bool = False, strength: str | None = None,
                 directions: str | None = None,
                 expected_version: int | None = None) -> ReplyResult:
    """A prescriber's answer that came between visits (a faxed reply), recorded on the
    recommendation and in its problem's history, against ``expected_version`` (the version
    the screen showed: an answer a colleague recorded meanwhile is refused, RecordChanged);
    with ``apply`` (the pharmacist confirmed),
    the change it proposes is made on the list in the same transaction. Only an accepted
    answer ("accepted", "modified") can change the list; only a pharmacist confirms it."""
    if apply:
        from mmsdesk.store.who import require_pharmacist

        require_pharmacist(getattr(store, "who", None),
                           "make a prescriber's accepted change on the medication list")
    if response not in {r.value for r in Response} or response == Response.PENDING:
        raise ValidationError({"response": "Choose the answer: accepted, modified, declined "
                                           "or no answer."})
    if apply and response not in APPLIES:
        raise ValidationError({"response": "Only an accepted answer changes the medication "
                                           "list."})
    with store.session() as s:
        rec = s.get(Recommendation, recommendation_id)
        if rec is None:
            raise LookupError(f"No recommendation with id {recommendation_id}.")
        expect(rec, expected_version)
        if rec.sent_on is not None and on < rec.sent_on:
            raise ValidationError({"on": "The answer cannot be dated before the "
                                         "recommendation was sent."})
        rec.response, rec.response_on = response, on
        rec.response_note = note.strip() or rec.response_note
        s.add(rec)
        if rec.problem_id is not None:
            s.add(ProblemEvent(problem_id=rec.problem_id, event_date=on,
                               prescriber_response=response, note=note.strip()))
        applied = (apply_in_session(s, rec, on, strength=strength, directions=directions)
                   if apply else None)
        pid = rec.patient_id
    kinds = [changes.PROBLEMS, changes.VISITS]
    if applied is not None:
        kinds += [changes.MEDICATIONS, changes.PATIENTS]
    return ReplyResult(ChangeSet.of(*kinds, patient_id=pid), applied)
