"""Opening visits from the chart, the dashboard and the resume offer: start a new one (the
start dialog), open a saved draft at its step, start the follow-up that is due."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtWidgets import QWidget

from mmsdesk import settings
from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.patients import PatientService
from mmsdesk.services.visits.service import VisitService
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.visit.start_dialog import StartVisitDialog
from mmsdesk.ui.visit.wizard import VisitWizard, open_wizards


def patient_name(ctx: AppContext, patient_id: int) -> str:
    d = PatientService(ctx.store).get(patient_id).data
    return " ".join(p for p in (d.first_name, d.last_name) if p)


def host_window(widget: QWidget | None) -> QWidget | None:
    """Visit windows belong to the main window (they outlive a chart that is replaced)."""
    return widget.window() if widget is not None else None


def show_wizard(wizard: VisitWizard) -> VisitWizard:
    wizard.show()
    wizard.raise_()
    wizard.activateWindow()
    return wizard


def open_visit(ctx: AppContext, visit_id: int, step: str | None = None,
               parent: QWidget | None = None) -> VisitWizard:
    """Open a saved draft exactly as it was saved, at ``step`` (default: the saved step)."""
    existing = open_wizards().get(visit_id)
    if existing is not None:
        if step:
            existing.go_to(step)
        return show_wizard(existing)
    service = VisitService(ctx.store)
    draft = service.resume(visit_id, now=datetime.now().astimezone())
    wizard = VisitWizard(ctx, service, draft, patient_name(ctx, draft.patient_id),
                         host_window(parent))
    follow_reloads(ctx, wizard, parent)
    wizard.start_at(step or draft.step)
    return show_wizard(wizard)


def follow_reloads(ctx: AppContext, wizard: VisitWizard, parent: QWidget | None) -> None:
    """A wizard closed to show a draft a colleague saved meanwhile opens again on it."""
    wizard.reopen = functools.partial(_reopen, ctx, parent)


def _reopen(ctx: AppContext, parent: QWidget | None, visit_id: int, step: str) -> None:
    open_visit(ctx, visit_id, step, parent)


def start_visit(ctx: AppContext, patient_id: int, parent: QWidget | None = None, *,
                service: str = "cmr", modality: str = "home", note: str = "",
                on_started: Callable[[VisitWizard], None] | None = None,
                follow_up_id: int | None = None) -> StartVisitDialog:
    """Ask for service, modality and payer (prefilled from the patient), then start the visit
    and open its wizard. The dialog is window-modal and returned at once (nothing blocks)."""
    name = patient_name(ctx, patient_id)
    payer = PatientService(ctx.store).get(patient_id).data.payer_type or "self_pay"
    dlg = StartVisitDialog(name, service=service, modality=modality, payer=payer, note=note,
                           parent=parent)

    def finished(result: int) -> None:
        dlg.deleteLater()
        if not result:
            return
        visits = VisitService(ctx.store)
        draft = visits.start(patient_id, dlg.service(), dlg.modality(), dlg.payer(),
                             today=ctx.today(), now=datetime.now().astimezone(),
                             follow_up_id=follow_up_id)
        if draft.follow_up.next_due is None:  # the practice's usual interval; she can change it
            days = settings.load().follow_up_after(draft.service)
            draft.follow_up.next_due = draft.visit_date + timedelta(days=days)
            visits.save_draft(draft)
        ctx.events.publish(ChangeSet.of(changes.VISITS, patient_id=patient_id))
        wizard = VisitWizard(ctx, visits, draft, name, host_window(parent))
        follow_reloads(ctx, wizard, parent)
        wizard.start_at(draft.step)
        show_wizard(wizard)
        if on_started is not None:
            on_started(wizard)

    dlg.finished.connect(finished)
    dlg.open()
    return dlg


def start_follow_up(ctx: AppContext, patient_id: int, follow_up_id: int,
                    parent: QWidget | None = None) -> VisitWizard | StartVisitDialog:
    """The follow-up that is due: its unfinished visit if there is one, else a new visit
    (service and modality as planned) with every open problem to judge."""
    visits = VisitService(ctx.store)
    for d in visits.open_drafts(patient_id):
        if d.service == "follow_up":
            return open_visit(ctx, d.visit_id, None, parent)
    service, modality, reason = _planned(ctx, follow_up_id)
    return start_visit(ctx, patient_id, parent, service=service, modality=modality,
                       note=f"Follow-up planned: {reason}" if reason else "",
                       follow_up_id=follow_up_id)


def _planned(ctx: AppContext, follow_up_id: int) -> tuple[str, str, str]:
    from mmsdesk.models import FollowUp

    with ctx.store.session() as s:
        row = s.get(FollowUp, follow_up_id)
        if row is None:
            return "follow_up", "telephone", ""
        return row.service or "follow_up", row.modality or "telephone", row.reason
