"""Invoice / receipt for a visit: practice details with the NPI, the service as CPT codes with
units, the ICD-10-CM codes addressed, price and payment. A receipt when paid in full, else an
invoice with the balance due. A service the patient's plan pays for (Part D MTM) charges the
patient nothing: the plan is named and the patient's charge is $0.00."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Paragraph, Spacer, TableStyle

from mmsdesk.i18n import _ as gettext
from mmsdesk.reports.common import Context, open_document, to_bytes
from mmsdesk.reports.data import DocumentData, InvoiceInfo, InvoiceLine
from mmsdesk.reports.flowables import Table, data_table, fields_table, para
from mmsdesk.reports.styles import ACCENT, markup

METHODS = {"cash": "Cash", "card": "Card", "check": "Check", "hsa": "HSA/FSA card",
           "transfer": "Bank transfer", "other": "Other"}


def money(value: float) -> str:
    return f"${value:,.2f}"


def title(data: DocumentData) -> str:
    inv = data.invoice
    paid = inv is not None and (inv.plan_paid or (inv.amount_paid is not None
                                                  and inv.balance <= 0))
    return gettext("Receipt" if paid else "Invoice", data.lang)


def practice_lines(ctx: Context) -> str:
    _, ph = ctx._, ctx.data.practice
    return "\n".join(x for x in (
        ph.signature, ph.practice_name, ph.address,
        f"{_('Phone')} {ph.phone}" if ph.phone else "",
        f"NPI {ph.npi}" if ph.npi else "", f"{_('Tax ID')} {ph.tin}" if ph.tin else "") if x)


def service_table(ctx: Context, lines: tuple[InvoiceLine, ...], priced: bool) -> Table:
    s, _, w = ctx.sheet, ctx._, ctx.width
    rows: list[list[Flowable | str]] = [
        [para(_(line.description), s, "cell"), para(line.code or "—", s, "cell"),
         para(str(line.quantity), s, "right"),
         para(money(line.charge) if priced else "—", s, "money")] for line in lines]
    return data_table([_("Service"), _("CPT code"), _("Units"), _("Amount")], rows,
                      [w * 0.56, w * 0.14, w * 0.14, w * 0.16], s, zebra=False)


def diagnosis_lines(ctx: Context, diagnoses: tuple[tuple[str, str], ...]) -> list[Flowable]:
    s, _ = ctx.sheet, ctx._
    if not diagnoses:
        return [para(_("Diagnoses (ICD-10-CM): none recorded."), s, "note")]
    text = "; ".join(f"{code} {desc}".strip() for code, desc in diagnoses)
    return [Paragraph(f"<b>{markup(_('Diagnoses (ICD-10-CM):'))}</b> {markup(text)}",
                      s["body"])]


def totals(ctx: Context, inv: InvoiceInfo) -> Table:
    s, _, w = ctx.sheet, ctx._, ctx.width
    rows = []
    if inv.priced:
        rows.append([para(_("Total charges"), s, "label"), para(money(inv.total), s,
                                                                "money_bold")])
    if inv.plan_paid:
        rows.append([para(_("Billed to your plan ({payer}); you pay nothing for this "
                            "service.").format(payer=_(inv.payer)), s, "cell"),
                     para(money(inv.total) if inv.priced else "", s, "money")])
        rows.append([para(_("Your charge"), s, "label"), para(money(0.0), s, "money_bold")])
    else:
        if inv.amount_paid is not None:
            how = _(METHODS.get(inv.payment_method, inv.payment_method)) \
                if inv.payment_method else ""
            when = ctx.d(inv.paid_on) if inv.paid_on else ""
            detail = ", ".join(x for x in (how, when) if x)
            rows.append([para(_("Paid") + (f" ({detail})" if detail else ""), s, "cell"),
                         para(money(inv.amount_paid), s, "money")])
        rows.append([para(_("Balance due"), s, "label"),
                     para(money(max(inv.balance, 0.0)), s, "money_bold")])
    t = Table(rows, colWidths=[w * 0.78, w * 0.22])
    t.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 1.0, ACCENT),
                           ("LINEABOVE", (0, -1), (-1, -1), 0.6, ACCENT),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return t


def story(ctx: Context) -> list[Flowable]:
    s, _ = ctx.sheet, ctx._
    data = ctx.data
    inv = data.invoice
    assert isinstance(inv, InvoiceInfo), "an invoice needs its lines"
    pt = data.patient
    billed = "\n".join((pt.name, *pt.address_lines))
    if inv.plan_paid:
        plan = " · ".join(x for x in (pt.plan_name or _(inv.payer),
                                      f"{_('Member ID')} {pt.member_id}" if pt.member_id
                                      else "") if x)
        billed = f"{plan}\n{_('for')} {billed}"
    out: list[Flowable] = [Paragraph(markup(title(data)), s["title"])]
    out.append(fields_table([(_("Number:"), inv.number), (_("Date:"), ctx.d(data.prepared_on)),
                             (_("Billed to:"), billed), (_("From:"), practice_lines(ctx))],
                            s, ctx.width, 1.9 * inch))
    out += [Spacer(1, s.body_size), service_table(ctx, inv.lines, inv.priced),
            Spacer(1, s.body_size * 0.5), *diagnosis_lines(ctx, inv.diagnoses),
            Spacer(1, s.body_size * 0.5), totals(ctx, inv), Spacer(1, s.body_size)]
    if data.visit is not None:
        out.append(para(_("Service date: {date}. {service}, {modality}.").format(
            date=ctx.d(data.visit.visit_date), service=_(data.visit.service),
            modality=_(data.visit.modality)), s))
    if inv.plan_paid:
        out.append(para(_("Nothing to pay. Thank you."), s, "label"))
    elif inv.balance <= 0 and inv.amount_paid is not None:
        out.append(para(_("Paid in full. Thank you."), s, "label"))
    else:
        out.append(para(_("Please pay the balance due within 30 days. Thank you."), s, "label"))
    if not inv.plan_paid:
        out.append(para(_("Keep this receipt for your records; you may be able to claim it "
                          "from an insurance plan or a health savings account."), s, "note"))
    return out


def build(data: DocumentData, out: BinaryIO) -> None:
    ctx = open_document(data, out, title(data), clinical=False)
    ctx.build(story(ctx))


def build_pdf(data: DocumentData) -> bytes:
    return to_bytes(build, data)
