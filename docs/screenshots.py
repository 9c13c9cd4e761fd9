"""Regenerate the screenshots in docs/screenshots/ from the real windows, offscreen.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots.py
Each shot builds real widgets over a temporary demo store at 1366x768 and saves a PNG.
Later features add their shots to SHOTS.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
SIZE = (1366, 768)
TODAY = date(2026, 11, 24)


def demo_window():  # type: ignore[no-untyped-def]
    from mmsdesk.services.demo import load_demo
    from mmsdesk.store import Store
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.main_window import MainWindow

    store = Store.open(Path(tempfile.mkdtemp()) / "mmsdesk.sqlite3")
    load_demo(store, TODAY)
    window = MainWindow()
    window.attach(AppContext(store=store, events=AppEvents(), today=lambda: TODAY))
    window.resize(*SIZE)
    window.show()
    return window


def find_patient_id(window, last_name: str) -> int:  # type: ignore[no-untyped-def]
    from mmsdesk.services.patients import PatientService

    return next(r.id for r in PatientService(window.ctx.store).list_rows() if r.last_name == last_name)


def shot_patient_list(window) -> None:  # type: ignore[no-untyped-def]
    window.show_patient_list()


def shot_chart_demographics(window) -> None:  # type: ignore[no-untyped-def]
    window.open_patient(find_patient_id(window, "Müller")).show_page("Demographics")


SHOTS: dict[str, Callable] = {
    "patient_list": shot_patient_list,
    "chart_demographics": shot_chart_demographics,
}


def main(names: list[str]) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    window = demo_window()
    for name, setup in SHOTS.items():
        if names and name not in names:
            continue
        setup(window)
        for _ in range(5):
            app.processEvents()
        window.grab().save(str(OUT / f"{name}.png"))
        print(OUT / f"{name}.png")


if __name__ == "__main__":
    main(sys.argv[1:])
