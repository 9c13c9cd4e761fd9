"""The local store: engine, sessions, migrations, backup and integrity checks."""

from mmsdesk.store.engine import Store, StoreError

__all__ = ["Store", "StoreError"]
