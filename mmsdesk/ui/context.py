"""What every screen needs: the open store, the app-wide events, and today's date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from mmsdesk.store import Store
from mmsdesk.ui.app_events import AppEvents


@dataclass
class AppContext:
    store: Store
    events: AppEvents
    today: Callable[[], date] = field(default=date.today)
