"""Invoice / receipt for a self-paying patient: practice details, service, date, price and
payment. A receipt when paid in full, else an invoice with the balance due."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Paragraph, Spacer, TableStyle

from mmsdesk.i18n import _ as gettext
from mmsdesk.reports.common import Context, open_document, to_bytes
from mmsdesk.reports.data import DocumentData, InvoiceInfo
from mmsdesk.reports.flowables import Table, data_table, fields_table, para
from mmsdesk.reports.styles import ACCENT, markup

METHODS = {"cash": "Cash", "card": "Card", "check": "Check", "hsa": "HSA/FSA card",
           "transfer": "Bank transfer", "other": "Other"}


def money(value: float) -> str:
    return f"${value:,.2f}"


def title(data: DocumentData) -> str:
    inv = data.invoice
    paid = inv is not None and inv.amount_paid is not None and inv.balance <= 0
    return gettext("Receipt" if paid else "Invoice", data.lang)


def story(ctx: Context) -> list[Flowable]:
    s, _ = ctx.sheet, ctx._
    data = ctx.data
    inv = data.invoice
    assert isinstance(inv, InvoiceInfo), "an invoice needs its lines"
    pt, ph = data.patient, data.practice
    out: list[Flowable] = [Paragraph(markup(title(data)), s["title"])]
    fields: list[tuple[str, object]] = [
        (_("Number:"), inv.number), (_("Date:"), ctx.d(data.prepared_on)),
        (_("Billed to:"), "\n".join((pt.name, *pt.address_lines))),
        (_("From:"), "\n".join(x for x in (ph.signature, ph.practice_name, ph.address,
                                            f"{_('Phone')} {ph.phone}" if ph.phone else "",
                                            f"NPI {ph.npi}" if ph.npi else "") if x)),
    ]
    out.append(fields_table(fields, s, ctx.width, 1.9 * inch))
    out.append(Spacer(1, s.body_size))
    w = ctx.width
    rows: list[list[Flowable | str]] = [
        [para(line.description, s, "cell"), para(str(line.quantity), s, "right"),
         para(money(line.amount * line.quantity), s, "money")] for line in inv.lines]
    out.append(data_table([_("Service"), _("Quantity"), _("Amount")], rows,
                          [w * 0.64, w * 0.14, w * 0.22], s, zebra=False))
    totals = [[para(_("Total"), s, "label"), para(money(inv.total), s, "money_bold")]]
    if inv.amount_paid is not None:
        how = _(METHODS.get(inv.payment_method, inv.payment_method)) if inv.payment_method else ""
        when = ctx.d(inv.paid_on) if inv.paid_on else ""
        detail = ", ".join(x for x in (how, when) if x)
        totals.append([para(_("Paid") + (f" ({detail})" if detail else ""), s, "cell"),
                       para(money(inv.amount_paid), s, "money")])
    totals.append([para(_("Balance due"), s, "label"), para(money(max(inv.balance, 0.0)), s,
                                                             "money_bold")])
    t = Table(totals, colWidths=[w * 0.78, w * 0.22])
    t.setStyle(TableStyle([("LINEABOVE", (0, 0), (-1, 0), 1.0, ACCENT),
                           ("LINEABOVE", (0, -1), (-1, -1), 0.6, ACCENT),
                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    out += [t, Spacer(1, s.body_size)]
    if data.visit is not None:
        out.append(para(_("Service date: {date}. {service}, {modality}.").format(
            date=ctx.d(data.visit.visit_date), service=_(data.visit.service),
            modality=_(data.visit.modality)), s))
    if inv.balance <= 0 and inv.amount_paid is not None:
        out.append(para(_("Paid in full. Thank you."), s, "label"))
    else:
        out.append(para(_("Please pay the balance due within 30 days. Thank you."), s, "label"))
    out.append(para(_("Keep this receipt for your records; you may be able to claim it from an "
                      "insurance plan or a health savings account."), s, "note"))
    return out


def build(data: DocumentData, out: BinaryIO) -> None:
    ctx = open_document(data, out, title(data), clinical=False)
    ctx.build(story(ctx))


def build_pdf(data: DocumentData) -> bytes:
    return to_bytes(build, data)
