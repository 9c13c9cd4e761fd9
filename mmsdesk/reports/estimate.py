"""Good Faith Estimate for a self-pay patient, with the contents 45 CFR 149.610(c) asks for:
the patient's name and date of birth; the service in plain words and its scheduled date; the
items and services expected, each with its service code, diagnosis codes and expected charge;
the provider's name, NPI, tax id and where the service is given; and the notices that the
estimate is not a contract, that other services may be recommended and estimated separately,
that actual charges may differ, and how to dispute a bill $400 or more above the estimate.
Wording ours."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Paragraph, Spacer

from mmsdesk.i18n import _ as gettext
from mmsdesk.reports.common import Context, open_document, to_bytes
from mmsdesk.reports.data import DocumentData, EstimateInfo
from mmsdesk.reports.flowables import fields_table, para
from mmsdesk.reports.invoice import diagnosis_lines, money, service_table
from mmsdesk.reports.styles import markup

TITLE = "Good Faith Estimate"
INTRO = ("You have the right to receive a Good Faith Estimate explaining how much your "
         "medical care will cost if you do not have insurance or do not use it for this "
         "service. This estimate lists what we expect to charge you for the service below.")
NOTICES = (
    "This is only an estimate of the services we reasonably expect to give you, made on the "
    "day it was issued. The actual services and charges may differ.",
    "We may recommend other services during your care that are scheduled or asked for "
    "separately. They are not included here, and you can ask for an estimate for them.",
    "This estimate is not a contract: it does not oblige you to receive the service.",
    "If you are billed at least $400 more than this estimate, you have the right to dispute "
    "the bill through the federal patient-provider dispute resolution process, within 120 "
    "days of the date on the bill. Starting a dispute will not affect the quality of the care "
    "you receive. To learn how, visit www.cms.gov/nosurprises or call 1-800-985-3059.",
    "Keep this estimate: you need a copy to start a dispute.",
)


def story(ctx: Context) -> list[Flowable]:
    s, _ = ctx.sheet, ctx._
    data = ctx.data
    est = data.estimate
    assert isinstance(est, EstimateInfo), "a Good Faith Estimate needs its lines"
    pt, ph = data.patient, data.practice
    ids = " · ".join(x for x in (f"NPI {ph.npi}" if ph.npi else "",
                                 f"{_('Tax ID')} {ph.tin}" if ph.tin else "") if x)
    provider = "\n".join(x for x in (ph.signature, ph.practice_name, ph.address, ids) if x)
    out: list[Flowable] = [Paragraph(markup(_(TITLE)), s["title"]), para(_(INTRO), s)]
    out.append(fields_table([
        (_("Estimate number:"), f"{est.number} · {_('Issued on:')} {ctx.d(est.issued_on)}"),
        (_("Patient:"), f"{pt.name} · {_('DOB:')} {ctx.d(pt.date_of_birth)}"),
        (_("Service:"), _(est.service)),
        (_("Scheduled for:"), ctx.d(est.scheduled_on) if est.scheduled_on else _("not yet")),
        (_("Where:"), _(est.location)),
        (_("Provider:"), provider),
    ], s, ctx.width, 2.1 * inch))
    out += [Spacer(1, s.body_size * 0.5), service_table(ctx, est.lines, True),
            Spacer(1, s.body_size * 0.3), *diagnosis_lines(ctx, est.diagnoses),
            Paragraph(f"<b>{markup(_('Total estimated charges:'))} "
                      f"{markup(money(est.total))}</b>", s["body"]),
            Paragraph(f"<b>{markup(_('What you should know'))}</b>", s["body"])]
    notice = ParagraphStyle("notice", parent=s["cell"], leading=s.body_size * 1.18)
    out += [Paragraph(f"• {markup(_(n))}", notice) for n in NOTICES]
    return out


def build(data: DocumentData, out: BinaryIO) -> None:
    # the practice on one line at the top (the provider's name, address and ids are in the
    # estimate's own "Provider" field) and 0.6-inch margins: the estimate keeps to one page
    ctx = open_document(data, out, gettext(TITLE, data.lang), clinical=False, compact=True,
                        margin=0.6 * inch)
    ctx.build(story(ctx))


def build_pdf(data: DocumentData) -> bytes:
    return to_bytes(build, data)
