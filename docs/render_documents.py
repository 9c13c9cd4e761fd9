"""Render every patient and prescriber document for the demo patient José Müller as PNGs.

Run:  .venv/bin/python docs/render_documents.py
Loads the demo practice into a temporary store, adds the sample pharmacist profile and a
completed CMR (problems, recommendations, action plan, follow-up, payment), builds each
document with ``services.documents.render_document`` and writes its pages (at most
``MAX_PAGES``) with ``pdftoppm -png -r 60`` to ``docs/documents/<name>-<page>.png``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "documents"
TODAY = date(2026, 11, 24)
MAX_PAGES = 2
# (file name, kind, language, large print)
RENDERS = (
    ("pml", "pml", "en", False),
    ("pml-es", "pml", "es", False),
    ("pml-large-print", "pml", "en", True),
    ("pml-compact", "pml", "en", False),  # the compact portrait form
    ("pml-es-compact", "pml", "es", False),
    ("map", "map", "en", False),
    ("map-es", "map", "es", False),
    ("cms-summary", "cms-summary", "en", False),
    ("cms-summary-es", "cms-summary", "es", False),
    ("prescriber-letter", "prescriber-letter", "en", False),
    ("visit-note", "visit-note", "en", False),
    ("calendar", "calendar", "en", False),
    ("calendar-es", "calendar", "es", False),
    ("invoice", "invoice", "en", False),  # a Part D CMR: billed to the plan, $0.00 to pay
    ("claim", "claim", "en", False),
    # from here on the visit is self-paid (see PREPARE)
    ("invoice-self-pay", "invoice", "en", False),
    ("gfe", "gfe", "en", False),
    ("gfe-es", "gfe", "es", False),
    ("gfe-follow-up", "gfe", "en", False),  # for the follow-up the visit planned
    # and then printed before the practice's details are set up
    ("cms-summary-no-profile", "cms-summary", "en", False),
)


def _received_by_caregiver(s, visit) -> None:  # type: ignore[no-untyped-def]
    from mmsdesk.models import Visit

    v = s.get(Visit, visit)
    v.recipient, v.recipient_name, v.recipient_relation = "caregiver", "Lucía Müller", "daughter"
    v.delivery_method, v.delivered_on = "mail", TODAY


def _self_pay(s, visit) -> None:  # type: ignore[no-untyped-def]
    from mmsdesk.models import ServiceOffering, Visit

    v = s.get(Visit, visit)
    v.payer_type, v.amount_paid = "self_pay", None
    v.status = "draft"  # a Good Faith Estimate is given before the service
    s.add(ServiceOffering(service="cmr", name="Comprehensive medication review",
                          duration_minutes=60, price=150.0))


def _no_profile(s, visit) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import delete

    from mmsdesk.models import PharmacistProfile

    s.execute(delete(PharmacistProfile))


def _follow_up_priced(s, visit) -> None:  # type: ignore[no-untyped-def]
    from mmsdesk.models import Patient, ServiceOffering, Visit

    s.get(Patient, s.get(Visit, visit).patient_id).payer_type = "self_pay"
    s.add(ServiceOffering(service="follow_up", name="Follow-up", duration_minutes=20,
                          price=60.0))


def _planned_follow_up(store, visit):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from mmsdesk.models import FollowUp

    with store.session() as s:
        return s.execute(select(FollowUp.id).where(FollowUp.visit_id == visit)).scalar_one()


# Changes to the sample visit made just before the named render (and kept for the rest).
PREPARE = {"pml": _received_by_caregiver, "invoice-self-pay": _self_pay,
           "gfe-follow-up": _follow_up_priced, "cms-summary-no-profile": _no_profile}


def main() -> int:
    from mmsdesk.services.demo import load_demo
    from mmsdesk.services.document_samples import add_sample_visit, ensure_profile
    from mmsdesk.services.documents import render_document
    from mmsdesk.store import Store

    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "mmsdesk.sqlite3")
        try:
            jose = load_demo(store, TODAY)[0]
            ensure_profile(store)
            visit = add_sample_visit(store, jose, TODAY)
            for name, kind, lang, large in RENDERS:
                if name in PREPARE:
                    with store.session() as s:
                        PREPARE[name](s, visit)
                pdf = Path(tmp) / f"{name}.pdf"
                follow_up = _planned_follow_up(store, visit) if name == "gfe-follow-up" else None
                pdf.write_bytes(render_document(store, kind, jose, visit_id=visit, lang=lang,
                                                large_print=large, today=TODAY,
                                                compact=name.endswith("-compact"),
                                                follow_up_id=follow_up))
                subprocess.run(["pdftoppm", "-png", "-r", "60", "-l", str(MAX_PAGES), str(pdf),
                                str(OUT / name)], check=True)
                print(f"{name}: {len(list(OUT.glob(name + '-*.png')))} page(s)")
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
