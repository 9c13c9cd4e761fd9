"""Claim summary for payers that take paper: the visit's claim laid out by the item numbers of
the CMS-1500 (02/12) health insurance claim form, so that a biller can copy it onto the form
(or a payer accept it as is): insured and patient, diagnoses (ICD-10-CM, item 21), service
lines (date, place of service, CPT code, diagnosis pointer, charge, units, rendering NPI: item
24), tax id, totals, and the billing provider with the NPI (items 25 to 33)."""

from __future__ import annotations

import string
from typing import BinaryIO

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Paragraph, Spacer

from mmsdesk.reports.common import Context, open_document, to_bytes
from mmsdesk.reports.data import DocumentData, InvoiceInfo
from mmsdesk.reports.flowables import data_table, fields_table, para
from mmsdesk.reports.invoice import money
from mmsdesk.reports.styles import markup

TITLE = "Claim summary (CMS-1500 items)"
NOT_SET = "not set: enter it in Settings"
SEX = {"female": "F", "male": "M"}


def _section(ctx: Context, text: str) -> Paragraph:
    return Paragraph(markup(text), ctx.sheet["h2"])


def story(ctx: Context) -> list[Flowable]:
    s, data = ctx.sheet, ctx.data
    inv, pt, ph, v = data.invoice, data.patient, data.practice, data.visit
    assert isinstance(inv, InvoiceInfo) and v is not None, "a claim needs a visit's bill"
    w = ctx.width
    out: list[Flowable] = [Paragraph(TITLE, s["title"]),
                           para("For payers that accept paper claims: each line gives the "
                                "CMS-1500 item it fills. Claim " + inv.number + ".", s, "note")]
    out.append(_section(ctx, "Insured and patient"))
    address = ", ".join(pt.address_lines) or "not recorded"
    out.append(fields_table([
        ("1. Program:", inv.payer or "not recorded"),
        ("1a. Insured's ID:", pt.member_id or "not recorded"),
        ("2. Patient's name:", pt.name),
        ("3. Birth date, sex:", f"{ctx.d(pt.date_of_birth)}  {SEX.get(pt.sex, '')}".strip()),
        ("5. Patient's address:", address + (f" · {pt.phone}" if pt.phone else "")),
        ("11c. Plan name:", pt.plan_name or "not recorded"),
    ], s, w, 2.1 * inch))
    out.append(_section(ctx, "21. Diagnoses (ICD Ind. 0: ICD-10-CM)"))
    letters = string.ascii_uppercase
    if inv.diagnoses:  # two a row, as the form has them across
        cells = [[para(letters[i], s, "cell_bold"), para(code, s, "cell"), para(desc, s, "cell")]
                 for i, (code, desc) in enumerate(inv.diagnoses)]
        rows = [cells[i] + (cells[i + 1] if i + 1 < len(cells) else ["", "", ""])
                for i in range(0, len(cells), 2)]
        out.append(data_table(["", "Code", "Description"] * 2, rows,
                              [w * f for f in (0.05, 0.11, 0.34) * 2], s, zebra=False))
    else:
        out.append(para("No diagnosis code recorded: a payer will reject the claim without "
                        "one. Record the conditions' ICD-10-CM codes in the chart.", s, "label"))
    pointer = "".join(letters[i] for i in range(min(4, len(inv.diagnoses))))
    pos_code, pos_label = inv.place_of_service
    out.append(_section(ctx, "24. Service lines"))
    rows = [[para(ctx.d(v.visit_date), s, "cell"), para(pos_code, s, "cell"),
             para(line.code or "—", s, "cell"), para(pointer, s, "cell"),
             para(money(line.charge) if inv.priced else "—", s, "money"),
             para(str(line.quantity), s, "right"), para(ph.npi or "—", s, "cell")]
            for line in inv.lines]
    out.append(data_table(["A. Date", "B. Place", "D. CPT", "E. Dx pointer", "F. Charges",
                           "G. Units", "J. Rendering NPI"], rows,
                          [w * f for f in (0.15, 0.1, 0.12, 0.14, 0.17, 0.12, 0.2)], s,
                          zebra=False))
    if pos_code:
        out.append(para(f"Place of service {pos_code}: {pos_label}.", s, "note"))
    out.append(_section(ctx, "Totals and provider"))
    paid = inv.amount_paid if inv.amount_paid is not None else 0.0
    out.append(fields_table([
        ("25. Federal tax ID:", ph.tin or NOT_SET),
        ("28. Total charge:", money(inv.total) if inv.priced else "no price in the catalogue"),
        ("29. Amount paid:", money(paid)),
        ("31. Signed:", ph.signature or NOT_SET),
        ("32. Service location:", pos_label or v.modality),
        ("33. Billing provider:", "\n".join(x for x in (ph.practice_name or ph.signature,
                                                        ph.address, ph.phone) if x) or NOT_SET),
        ("33a. NPI:", ph.npi or NOT_SET),
    ], s, w, 2.1 * inch))
    out += [Spacer(1, s.body_size), para(
        "Service: " + v.service + (f", {v.minutes} minutes" if v.minutes is not None else "")
        + ". Prepared from the visit record; check it against the payer's own rules before "
        "sending.", s, "note")]
    return out


def build(data: DocumentData, out: BinaryIO) -> None:
    ctx = open_document(data, out, TITLE, clinical=False, lang="en")
    ctx.build(story(ctx))


def build_pdf(data: DocumentData) -> bytes:
    return to_bytes(build, data)
