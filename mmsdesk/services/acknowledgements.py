"""Acknowledged alerts: the pharmacist's reason is kept; the alert stays hidden for the same
medicines until something it rests on changes (a new signature shows it again)."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import select

from mmsdesk.models import AlertAcknowledgement, MedicationEntry
from mmsdesk.services import changes
from mmsdesk.services import validation as v
from mmsdesk.services.changes import ChangeSet
from mmsdesk.store import Store


class AlertLike(Protocol):
    key: str
    detail: str
    drugs: Sequence[str]


@dataclass(frozen=True)
class Acknowledged:
    alert_key: str
    reason: str
    acknowledged_at: datetime


def signature(alert: AlertLike, medications: Iterable[MedicationEntry]) -> str:
    """A hash of what the alert rests on: its key and detail (which carry the lab values and
    doses the rule used) and each involved active medicine's product and directions."""
    drugs = set(alert.drugs)
    parts = [alert.key, alert.detail]
    for m in medications:
        if m.status == "active" and drugs.intersection(m.ingredient_list):
            parts.append("|".join((";".join(m.ingredient_list), m.strength, m.dose_form, m.directions,
                                   str(m.dose_amount), m.frequency)))
    return hashlib.sha256("\n".join(sorted(parts[2:]) + parts[:2]).encode()).hexdigest()


class AcknowledgementService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _signatures(self, patient_id: int, alerts: Sequence[AlertLike]) -> dict[str, str]:
        with self.store.session() as s:
            meds = list(s.execute(select(MedicationEntry).where(
                MedicationEntry.patient_id == patient_id)).scalars())
        return {a.key: signature(a, meds) for a in alerts}

    def acknowledge(self, patient_id: int, alert: AlertLike, reason: str) -> ChangeSet:
        reason = unicodedata.normalize("NFC", reason or "").strip()
        if not reason:
            raise v.ValidationError({"reason": "Give the reason for acknowledging this alert."})
        msg = v.optional_text(reason, "Reason", 1000)
        if msg:
            raise v.ValidationError({"reason": msg})
        sig = self._signatures(patient_id, [alert])[alert.key]
        with self.store.session() as s:
            s.add(AlertAcknowledgement(patient_id=patient_id, alert_key=alert.key[:300],
                                       signature=sig, reason=reason))
        return ChangeSet.of(changes.ALERTS, patient_id=patient_id)

    def split(self, patient_id: int, alerts: Sequence[AlertLike]
              ) -> tuple[list[AlertLike], list[tuple[AlertLike, Acknowledged]]]:
        """(alerts to show, alerts hidden by a still-valid acknowledgement)."""
        if not alerts:
            return [], []
        sigs = self._signatures(patient_id, alerts)
        with self.store.session() as s:
            acks = s.execute(select(AlertAcknowledgement).where(
                AlertAcknowledgement.patient_id == patient_id).order_by(
                AlertAcknowledgement.id)).scalars()
            by_sig = {(a.alert_key, a.signature): Acknowledged(a.alert_key, a.reason,
                                                               a.acknowledged_at) for a in acks}
        shown, hidden = [], []
        for a in alerts:
            ack = by_sig.get((a.key[:300], sigs[a.key]))
            if ack is None:
                shown.append(a)
            else:
                hidden.append((a, ack))
        return shown, hidden
