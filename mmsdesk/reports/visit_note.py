"""Visit note (SOAP) for the pharmacist's records and billing: service, modality, times, CPT
units, subjective, objective, assessment (problems), plan and follow-up."""

from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Spacer

from mmsdesk.reports.common import Context, open_document, to_bytes
from mmsdesk.reports.data import DELIVERY_WORDS, RECIPIENT_WORDS, DocumentData
from mmsdesk.reports.flowables import data_table, fields_table, para
from mmsdesk.reports.styles import markup

TITLE = "Visit note"


def _time(t: datetime | None) -> str:
    if t is None:
        return ""
    local = t.astimezone() if t.tzinfo is not None else t
    return local.strftime("%I:%M %p").lstrip("0")


def _section(ctx: Context, letter: str, name: str) -> list[Flowable]:
    """The section's heading, on a new page only when too little room is left for it and a
    few lines. Kept with the whole of what follows (the h2 style's keepWithNext), a long
    medication table took its heading to the next page and left most of page 1 empty."""
    style = ParagraphStyle(f"note_h2_{letter}", parent=ctx.sheet["h2"], keepWithNext=0)
    return [CondPageBreak(ctx.sheet.body_size * 9),
            Paragraph(f"{letter} — {markup(name)}", style)]


def _lines(ctx: Context, pairs: list[tuple[str, str]]) -> list[Flowable]:
    s = ctx.sheet
    out: list[Flowable] = [Paragraph(f"<b>{markup(k)}</b> {markup(v)}", s["body"])
                           for k, v in pairs if v]
    return out or [para("Nothing recorded.", s, "note")]




def received_by(data: DocumentData) -> str:
    """"caregiver Lucía Müller (daughter), in person on 11/24/2026"."""
    dv = data.delivery
    if dv is None or not dv.recipient:
        return ""
    who = RECIPIENT_WORDS.get(dv.recipient, dv.recipient)
    if dv.name:
        who += f" {dv.name}" + (f" ({dv.relation})" if dv.relation else "")
    how = DELIVERY_WORDS.get(dv.method, dv.method)
    when = f" on {dv.on.strftime('%m/%d/%Y')}" if dv.on else ""
    return who + (f", {how}{when}" if how else when)


def story(ctx: Context) -> list[Flowable]:
    s, data = ctx.sheet, ctx.data
    v = data.visit
    assert v is not None, "a visit note needs a visit"
    pt, ph = data.patient, data.practice
    times = " – ".join(x for x in (_time(v.started_at), _time(v.ended_at)) if x)
    cpt = ", ".join(f"{code} × {n}" for code, n in v.cpt_codes) or "not coded yet"
    units = sum(n for _code, n in v.cpt_codes)
    fields: list[tuple[str, object]] = [
        ("Patient:", f"{pt.name} · DOB {ctx.d(pt.date_of_birth)}"),
        ("Service:", v.service), ("Modality:", v.modality),
        ("Date of service:", ctx.d(v.visit_date)),
        ("Time:", (times + " · " if times else "") + (f"{v.minutes} minutes" if v.minutes is not None
                                                       else "time not recorded")),
        ("CPT codes:", cpt + (f" ({units} units)" if units else "")),
        ("Payer:", " · ".join(x for x in (v.payer, pt.plan_name, pt.member_id) if x)),
        ("Pharmacist:", ph.signature + (f" · NPI {ph.npi}" if ph.npi else "")),
        ("Status:", "Completed" if v.status == "complete" else "Draft (visit not completed)"),
    ]
    out: list[Flowable] = [Paragraph(TITLE, s["title"]),
                           fields_table(fields, s, ctx.width, 1.8 * inch)]
    out += _section(ctx, "S", "Subjective")
    out += _lines(ctx, [("Reason for visit:", v.reason), ("Patient's concerns:", v.concerns),
                        ("Goals, values and preferences:", v.goals_values),
                        ("Barriers:", v.barriers), ("Lifestyle:", v.lifestyle)])
    if v.reconciliation:
        out.append(Paragraph("<b>Medication reconciliation:</b>", s["body"]))
        out += [para(line, s) for line in v.reconciliation]
    out += _section(ctx, "O", "Objective")
    meds = [[para(m.name, s, "cell"), para(m.directions, s, "cell"), para(m.indication, s, "cell")]
            for m in data.current_medications]
    if meds:
        out.append(data_table(["Current medication", "Directions", "Indication"], meds,
                              [ctx.width * 0.38, ctx.width * 0.37, ctx.width * 0.25], s))
        out.append(Spacer(1, s.body_size * 0.5))
    allergies = "; ".join(f"{a.substance} ({a.reaction})" if a.reaction else a.substance
                          for a in data.allergies) or "No known allergies recorded"
    out += _lines(ctx, [("Allergies:", allergies), ("Vitals at the visit:", "; ".join(v.vitals)),
                        ("Latest results:", "; ".join(data.labs))])
    out += _section(ctx, "A", "Assessment")
    if not data.problems:
        out.append(para("No drug therapy problem identified.", s))
    for i, p in enumerate(data.problems, 1):
        meds_t = f" ({', '.join(p.medications)})" if p.medications else ""
        out.append(Paragraph(f"<b>{i}. {markup(p.category)}</b>{markup(meds_t)}, "
                             f"{markup(p.priority)} priority: {markup(p.description)}", s["body"]))
    for note in v.assessment_notes:
        out.append(para(note, s))
    out += _section(ctx, "P", "Plan")
    for i, p in enumerate(data.problems, 1):
        for plan in p.plans or ("No intervention recorded.",):
            out.append(Paragraph(f"<b>{i}.</b> {markup(plan)}", s["body"]))
    out += _lines(ctx, [("Goals:", "; ".join(v.goals)), ("Education given:", v.education),
                        ("Referrals:", v.referrals), ("Follow-up:", v.follow_up),
                        ("Documents received by:", received_by(data)),
                        ("Notes:", v.notes)])
    out += [Spacer(1, s.body_size * 1.5), para(ph.signature, s, "label"),
            para(ph.practice_name, s, "cell")]
    return out


def build(data: DocumentData, out: BinaryIO) -> None:
    ctx = open_document(data, out, TITLE, clinical=True, lang="en")
    ctx.build(story(ctx))


def build_pdf(data: DocumentData) -> bytes:
    return to_bytes(build, data)
