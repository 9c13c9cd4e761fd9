"""The local store: engine, sessions, migrations, backup and integrity checks."""

from mmsdesk.store import audit as _audit  # noqa: F401  (registers the audit session events)
from mmsdesk.store import audit_seal as _audit_seal  # noqa: F401  (seals the trail's head)
from mmsdesk.store import guard as _guard  # noqa: F401  (refuses unstorable text before a flush)
from mmsdesk.store.engine import Store, StoreError

__all__ = ["Store", "StoreError"]
