"""Screenshot of the document preview (issue 5), added to ``docs/screenshots.py``'s SHOTS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

TODAY = date(2026, 11, 24)


def shot_documents_dialog(window):  # type: ignore[no-untyped-def]
    """José Müller's chart: Documents… showing his CMS summary (Medicare Part D), in Spanish."""
    from mmsdesk.services.document_samples import add_sample_visit, ensure_profile
    from mmsdesk.services.patients import PatientService

    store = window.ctx.store
    pid = next(r.id for r in PatientService(store).list_rows() if r.last_name == "Müller")
    ensure_profile(store)
    add_sample_visit(store, pid, TODAY)
    chart = window.open_patient(pid)
    dialog = chart.open_documents()
    dialog.resize(1000, 760)
    _settle()  # QPdfView renders its pages on a worker thread
    return dialog


def _settle(seconds: float = 1.5) -> None:
    import time

    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.05)


DOCUMENT_SHOTS: dict[str, Callable] = {"dialog_documents": shot_documents_dialog}
