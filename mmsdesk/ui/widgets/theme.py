"""Colours that stay readable in the light and the dark system theme.

Qt 6 follows the system palette (light or dark). A fixed dark red on a dark window is barely
visible, so every status colour goes through :func:`readable`: in a dark palette its lightness
is raised until it stands out against the window, keeping its hue.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

ERROR = "#b00020"
WARNING = "#a4262c"
MIN_DARK_LIGHTNESS = 175  # of 255: about 4.5:1 against a #2b2b2b window


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    pal = QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def readable(colour: str | QColor) -> QColor:
    """``colour`` as is in a light palette, lightened (same hue) in a dark one."""
    c = QColor(colour)
    if not is_dark():
        return c
    h, s, lightness, a = c.getHsl()
    if lightness < MIN_DARK_LIGHTNESS:
        c.setHsl(h, s, MIN_DARK_LIGHTNESS, a)
    return c


def error_style(extra: str = "") -> str:
    """The style sheet of an error message: ``label.setStyleSheet(error_style())``."""
    return f"color: {readable(ERROR).name()};{(' ' + extra) if extra else ''}"


def error_border() -> str:
    return f"border: 1px solid {readable(ERROR).name()};"
