"""Composition root: shows the window at once, then opens the store and attaches the pages."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from mmsdesk import APP_NAME, __version__
from mmsdesk.ui.main_window import MainWindow


def make_application(argv: list[str] | None = None, *, fonts: bool = True) -> QApplication:
    """``fonts``: register the bundled fonts now; the window's start passes False and
    registers them right after the window shows (a few milliseconds of the start, and the
    first screen names no patient)."""
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    from PySide6.QtGui import QIcon

    from mmsdesk import paths

    app.setWindowIcon(QIcon(str(paths.resources_dir() / "icons" / "mmsdesk.svg")))
    if fonts:
        register_fonts()
    follow_dark_mode(app)  # type: ignore[arg-type]
    return app


def follow_dark_mode(app: QApplication) -> None:
    """Windows' classic style cannot draw dark: in dark mode use Fusion, which follows the
    system's dark palette (Windows 11's own style, macOS and Linux themes already do)."""
    from PySide6.QtCore import Qt

    if (sys.platform == "win32" and app.style().name().lower() == "windowsvista"
            and app.styleHints().colorScheme() == Qt.ColorScheme.Dark):
        app.setStyle("Fusion")


def register_fonts() -> None:
    """The bundled fonts, so every patient name shows (CJK too) even where the system lacks them."""
    from PySide6.QtGui import QFontDatabase

    from mmsdesk import paths

    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "DroidSansFallbackFull.ttf"):
        QFontDatabase.addApplicationFont(str(paths.resources_dir() / "fonts" / name))  # type: ignore[return-value]


def lock_minutes() -> float:
    """Idle minutes before the lock: ``MMSDESK_LOCK_MINUTES``, else settings.json, else 5."""
    from mmsdesk import settings

    return settings.lock_minutes()


def _server_name(store_path: Path) -> str:
    import hashlib

    digest = hashlib.sha256(str(Path(store_path).resolve()).encode("utf-8")).hexdigest()
    return f"mmsdesk-{digest[:20]}"


def claim_store(store_path: Path, window: MainWindow) -> bool:
    """Hold the store's lock for this window, and come forward when a second start asks.

    Returns False when another process holds the store; the caller then calls
    :func:`already_open` and ends.
    """
    if not take_store(store_path):
        return False
    listen_for_second_start(store_path, window)
    return True


def take_store(store_path: Path) -> bool:
    """Hold the store's lock for this process; False when another process holds it."""
    from mmsdesk.store.lock import StoreBusy, acquire

    try:
        acquire(store_path)
    except StoreBusy:
        return False
    return True


def listen_for_second_start(store_path: Path, window: MainWindow) -> None:
    """Bring ``window`` forward when a second start on the same data asks."""
    from PySide6.QtNetwork import QLocalServer

    server = QLocalServer(window)
    QLocalServer.removeServer(_server_name(store_path))  # a name left by a crashed window
    server.listen(_server_name(store_path))

    def come_forward() -> None:
        while server.hasPendingConnections():
            server.nextPendingConnection().close()
        window.setWindowState(window.windowState() & ~window.windowState().WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()
        window.raised_by_second_start = True  # type: ignore[attr-defined]

    server.newConnection.connect(come_forward)
    window.forward_server = server  # type: ignore[attr-defined]


def already_open(store_path: Path) -> None:
    """Say that another window has this data, and ask that window to come forward."""
    from PySide6.QtNetwork import QLocalSocket
    from PySide6.QtWidgets import QMessageBox

    from mmsdesk.store.lock import ALREADY_OPEN

    sock = QLocalSocket()
    sock.connectToServer(_server_name(store_path))
    sock.waitForConnected(1000)
    sock.disconnectFromServer()
    message = f"{ALREADY_OPEN}. Its window has been brought forward; use that one."
    print(f"mmsdesk: {message}", file=sys.stderr, flush=True)
    if not os.environ.get("MMSDESK_EXIT_WHEN_SHOWN"):  # scripted runs: no dialog to wait on
        QMessageBox.information(None, APP_NAME, message)


def error_dialog_hook(window: MainWindow, logged: object) -> object:
    """``sys.excepthook`` for the window: the error is logged (``logged``, the hook from
    :func:`mmsdesk.logs.install_error_hooks`), then a short dialog says where the log is.
    The dialog names the error's type only (its message can carry patient data)."""
    from PySide6.QtWidgets import QMessageBox

    from mmsdesk import paths

    showing = False

    def hook(kind: type[BaseException], exc: BaseException, tb: object) -> None:
        nonlocal showing
        logged(kind, exc, tb)  # type: ignore[operator]
        if showing or issubclass(kind, KeyboardInterrupt):
            return
        showing = True
        try:
            if refused_save_shown(window, exc):
                return
            from mmsdesk.ui.team_window import deactivation_shown

            if deactivation_shown(window, exc):
                return
            QMessageBox.warning(
                window, APP_NAME,
                f"Something went wrong ({kind.__name__}). What was saved before is kept; "
                "the last action may not have finished.\n\nThe details are in the log "
                f"folder:\n{paths.log_dir()}")
        finally:
            showing = False

    return hook


def refused_save_shown(window: MainWindow, exc: BaseException) -> bool:
    """A save refused because a colleague saved the same record meanwhile, from a screen that
    does not settle it itself: both versions are shown (nothing was saved), not an error."""
    from mmsdesk.store.conflicts import RecordChanged

    if not isinstance(exc, RecordChanged):
        return False
    from mmsdesk.ui.dialogs.conflict_dialog import ConflictDialog

    dlg = ConflictDialog(exc, window)
    dlg.keep_button.hide()
    dlg.reload_button.setText("OK")
    window.conflict_dialog = dlg  # type: ignore[attr-defined] - tests find it while it is open
    try:
        dlg.exec()
    finally:
        window.conflict_dialog = None  # type: ignore[attr-defined]
        dlg.setParent(None)  # type: ignore[call-overload]
    return True


def run(store_path: Path, *, user: str | None = None) -> int:
    """The window on the laptop's data file; ``user`` (``--user``): who signs in, when the
    practice has people (their passphrase from MMSDESK_USER_PASSPHRASE, else asked)."""
    app = make_application(fonts=False)
    window = MainWindow()
    sys.excepthook = error_dialog_hook(window, sys.excepthook)  # type: ignore[assignment]
    if not take_store(store_path):  # before the window shows: never two windows on one store
        already_open(store_path)
        return 3
    window.show()
    bench = bool(os.environ.get("MMSDESK_EXIT_WHEN_SHOWN"))

    def opened(store) -> None:  # type: ignore[no-untyped-def]
        from mmsdesk.services.take_along_manifest import sign_in_taker
        from mmsdesk.ui.app_events import AppEvents
        from mmsdesk.ui.backup_scheduler import BackupScheduler
        from mmsdesk.ui.context import AppContext
        from mmsdesk.ui.lock.sign_in_dialog import sign_in_if_needed

        sign_in_taker(store)  # charts taken along here: who took them works on them
        if not sign_in_if_needed(store, window, user=user, scripted=bench):  # who is working
            store.close()
            if bench:
                print("MMSDESK_FAILED", flush=True)
            app.exit(2)
            return
        window.attach(AppContext(store=store, events=AppEvents()))
        window.backups = BackupScheduler(window, store)  # type: ignore[attr-defined]
        if bench:
            print("MMSDESK_READY", flush=True)
            app.exit(0)

    def start() -> None:
        if bench:
            print("MMSDESK_SHOWN", flush=True)
        register_fonts()  # before any page: every patient name shows (CJK too)
        # right after the window shows (a second start comes seconds later, not milliseconds):
        # the practice menus and the answer to a second start (QtNetwork)
        from mmsdesk.ui.practice_actions import PracticeActions

        window.practice_actions = PracticeActions(window)  # type: ignore[attr-defined]
        listen_for_second_start(store_path, window)
        from mmsdesk.ui.lock.lock_controller import LockController

        window.lock_controller = LockController(  # type: ignore[attr-defined]
            window, store_path, opened, idle_ms=int(lock_minutes() * 60_000))
        # Scripted runs (bench, tests) pass the passphrase in MMSDESK_PASSPHRASE.
        window.lock_controller.start(os.environ.get("MMSDESK_PASSPHRASE") or None)  # type: ignore[attr-defined]
        if bench and window.ctx is None:
            print("MMSDESK_FAILED", flush=True)
            app.exit(2)

    QTimer.singleShot(0, start)
    code = app.exec()
    if window.ctx is not None:
        if not bench:
            window.backups.on_exit()  # type: ignore[attr-defined]
        window.ctx.store.close()
    from mmsdesk.store.lock import release

    release(store_path)
    return code


def run_server(address: str, *, user: str | None = None) -> int:
    """The window on the practice's database server (team mode): no file lock, no data-file
    passphrase; the server's password from PGPASSWORD, ~/.pgpass, the keyring or a dialog."""
    app = make_application()
    window = MainWindow()
    sys.excepthook = error_dialog_hook(window, sys.excepthook)  # type: ignore[assignment]
    window.show()
    bench = bool(os.environ.get("MMSDESK_EXIT_WHEN_SHOWN"))

    def start() -> None:
        from mmsdesk.ui.app_events import AppEvents
        from mmsdesk.ui.practice_actions import PracticeActions
        from mmsdesk.ui.team_window import attach_server, connect

        window.practice_actions = PracticeActions(window)  # type: ignore[attr-defined]
        store = connect(address, window)
        if store is None:
            if bench:
                print("MMSDESK_FAILED", flush=True)
            app.exit(2)
            return
        from mmsdesk.ui.lock.sign_in_dialog import sign_in_if_needed

        if not sign_in_if_needed(store, window, user=user, scripted=bench):  # who is working
            store.close()
            if bench:
                print("MMSDESK_FAILED", flush=True)
            app.exit(2)
            return
        attach_server(window, store, AppEvents(window))
        if bench:
            print("MMSDESK_READY", flush=True)
            app.exit(0)

    QTimer.singleShot(0, start)
    code = app.exec()
    if window.ctx is not None:
        window.ctx.store.close()
    return code
