"""Who is working on an open store (team mode): the signed-in person and their role.

A store with no people of the practice has nobody signed in (``Store.who`` is None): the sole
proprietor's laptop, where every step is allowed. Services read the role from here, so a
technician is refused a pharmacist's step whatever screen or command asked for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from mmsdesk.store.errors import StoreError

PHARMACIST = "pharmacist"
TECHNICIAN = "technician"
ROLES = (PHARMACIST, TECHNICIAN)


@dataclass(frozen=True)
class Who:
    """``person_id`` is None on a laptop's store holding charts taken along: the person who
    took them works there, and the people of the practice stay on its server."""

    person_id: int | None
    login: str
    name: str
    role: str

    @property
    def is_pharmacist(self) -> bool:
        return self.role == PHARMACIST


class NotPermitted(StoreError):
    """A step the signed-in person's role does not allow (a technician signing, deciding)."""


def require_pharmacist(who: Who | None, what: str) -> None:
    """Refuse ``what`` (e.g. "complete a visit") unless a pharmacist, or nobody, is signed in."""
    if who is not None and not who.is_pharmacist:
        raise NotPermitted(f"Only a pharmacist can {what}; {who.name} is signed in as a "
                           "technician.")
