"""First-run set-up as plain data: the wizard fills a SetupDraft, ``apply_setup`` builds it.

Nothing is written until :func:`apply_setup`: it creates the encrypted store with the key
the wizard made (so the recovery key the pharmacist wrote down is the one that works),
saves the profile and the service catalogue, writes the settings and, when asked, makes the
separate demo practice (same passphrase, its own folder and key file).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mmsdesk import paths
from mmsdesk import settings as app_settings
from mmsdesk.services.practice import (
    OfferingData,
    PracticeService,
    ProfileData,
    default_catalogue,
    validate_catalogue,
    validate_profile,
)
from mmsdesk.services.validation import ValidationError
from mmsdesk.store import Store
from mmsdesk.store.vault import NewKey, StoreState, open_encrypted, store_state

log = logging.getLogger(__name__)


@dataclass
class SetupDraft:
    profile: ProfileData = field(default_factory=ProfileData)
    passphrase: str = ""
    key: NewKey | None = None  # made when the passphrase page is left
    follow_up_days: dict[str, int] = field(
        default_factory=lambda: dict(app_settings.DEFAULT_FOLLOW_UP_DAYS))
    catalogue: list[OfferingData] = field(default_factory=default_catalogue)
    load_demo: bool = False

    def problems(self) -> dict[str, str]:
        errors = {f"profile.{k}": m for k, m in validate_profile(self.profile).items()}
        errors.update({f"catalogue.{k}": m for k, m in validate_catalogue(self.catalogue).items()})
        if self.key is None:
            errors["passphrase"] = "Choose a passphrase."
        return errors


@dataclass
class SetupResult:
    store: Store  # the practice's store, open
    demo_path: Path | None


def apply_setup(draft: SetupDraft, store_path: Path, today: date | None = None) -> SetupResult:
    """Create the practice from ``draft``; returns its open store. Raises ValidationError."""
    errors = draft.problems()
    if errors:
        raise ValidationError(errors)
    assert draft.key is not None
    if store_state(store_path) is not StoreState.MISSING:
        raise ValidationError({"store": "A data file already exists here; it is never replaced."})
    base = app_settings.load()
    app_settings.save(base.with_changes(follow_up_days=dict(draft.follow_up_days)))
    store = open_encrypted(store_path, draft.passphrase, prepared=draft.key).store
    try:
        svc = PracticeService(store)
        svc.save_profile(draft.profile)
        svc.save_catalogue(draft.catalogue)
    except BaseException:
        store.close()
        raise
    demo_path = _make_demo(draft, today) if draft.load_demo else None
    log.info("first-run set-up complete%s", " with a demo practice" if demo_path else "")
    return SetupResult(store, demo_path)


def _make_demo(draft: SetupDraft, today: date | None) -> Path | None:
    from mmsdesk.services.demo import load_demo

    path = paths.demo_store_path()
    if store_state(path) is not StoreState.MISSING:
        return path  # an earlier demo practice is kept as it is
    with open_encrypted(path, draft.passphrase).store as demo:
        load_demo(demo, today, unfinished_visit=True)
        svc = PracticeService(demo)
        svc.save_profile(draft.profile)
        svc.save_catalogue(draft.catalogue)
    return path
