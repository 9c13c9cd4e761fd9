"""The local store: engine, sessions, migrations, backup and integrity checks.

``Store`` and ``StoreError`` are loaded on first use: the lock file (:mod:`mmsdesk.store.lock`)
is taken before the window shows, and importing this package must not load SQLAlchemy then.
Importing the engine registers the audit trail's, the seal's and the text guard's session
events (:mod:`mmsdesk.store.engine`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mmsdesk.store.engine import Store, StoreError

__all__ = ["Store", "StoreError"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from mmsdesk.store import engine

        return getattr(engine, name)
    raise AttributeError(name)
