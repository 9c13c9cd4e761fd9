"""The store's error, importable without the database layer (the lock file uses it before the
window shows, when SQLAlchemy is not loaded yet)."""

from __future__ import annotations


class StoreError(Exception):
    """A store problem to show the user as one clear sentence."""
