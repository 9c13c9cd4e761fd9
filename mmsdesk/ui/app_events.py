"""One app-wide signal that carries what changed (see services.changes.ChangeSet)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from mmsdesk.services.changes import ChangeSet


class AppEvents(QObject):
    """Broadcasts data changes so each screen refreshes only if it cares.

    Signals:
        data_changed(ChangeSet): a service call changed data.
        patient_opened(int): a patient's chart was opened.
    """

    data_changed = Signal(object)
    patient_opened = Signal(int)

    def publish(self, change: ChangeSet) -> None:
        self.data_changed.emit(change)
