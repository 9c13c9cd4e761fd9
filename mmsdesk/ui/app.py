"""Composition root: shows the window at once, then opens the store and attaches the pages."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from mmsdesk import APP_NAME, __version__
from mmsdesk.ui.main_window import MainWindow


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    return app  # type: ignore[return-value]


def open_and_attach(window: MainWindow, store_path: Path) -> bool:
    """Open the store and build the pages. Returns False (after telling the user) on failure."""
    from mmsdesk.store import Store, StoreError
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext

    try:
        store = Store.open(store_path)
    except StoreError as exc:
        QMessageBox.critical(window, APP_NAME, str(exc))
        return False
    window.attach(AppContext(store=store, events=AppEvents()))
    return True


def run(store_path: Path) -> int:
    app = make_application()
    window = MainWindow()
    window.show()
    bench = bool(os.environ.get("MMSDESK_EXIT_WHEN_SHOWN"))

    def start() -> None:
        if bench:
            print("MMSDESK_SHOWN", flush=True)
        ok = open_and_attach(window, store_path)
        if bench or not ok:
            print("MMSDESK_READY" if ok else "MMSDESK_FAILED", flush=True)
            app.exit(0 if ok else 2)

    QTimer.singleShot(0, start)
    code = app.exec()
    if window.ctx is not None:
        window.ctx.store.close()
    return code
