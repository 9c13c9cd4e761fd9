"""One check of the audit trail, for the command line and the window alike: the hash chain,
the seal on its head (a cut tail or an emptied table; on a server, the links this computer
saw of it) and, when asked, every record against its last audit entry (a change made outside
MMS Desk)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mmsdesk.store.audit import ChainReport, verify_chain
from mmsdesk.store.audit_seal import SealReport, check_head, sealer_for
from mmsdesk.store.audit_seen import trail_for

if TYPE_CHECKING:
    from mmsdesk.store.engine import Store


@dataclass(frozen=True)
class AuditCheck:
    chain: ChainReport
    head: SealReport
    deep: bool = False
    records_checked: int = 0
    records: list[str] = field(default_factory=list)  # one line per record changed outside

    @property
    def problems(self) -> list[str]:
        return [p for p in (self.chain.problem, self.head.problem) if p]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.records

    def summary(self) -> str:
        """What is wrong, in one line ("" when nothing is)."""
        found = [f"{len(self.records)} records changed outside MMS Desk"] if self.records else []
        return "; ".join(self.problems + found)


def check_audit(store: Store, *, deep: bool = False) -> AuditCheck:
    from mmsdesk.store.audit_records import verify_records

    with store.engine.connect() as conn:
        chain = verify_chain(conn)
        seen = trail_for(store.engine)  # a server store: what this computer saw of its trail
        head = (seen.check(conn, chain.ok) if seen is not None
                else check_head(conn, sealer_for(store.engine)))
    if not deep:
        return AuditCheck(chain, head)
    with store.session() as s:
        checked, found = verify_records(s)
    return AuditCheck(chain, head, True, checked, [p.line() for p in found])
