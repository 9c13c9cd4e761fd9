"""Render resources/icons/mmsdesk.svg to the PNG, ICO (Windows) and ICNS (macOS) icons.

Run:  QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def main() -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "mmsdesk.svg"))
    images = {}
    for size in (16, 32, 48, 64, 128, 256, 512):
        img = QImage(size, size, QImage.Format.Format_ARGB32)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(p)
        p.end()
        images[size] = img
    for size in (32, 64, 256, 512):
        images[size].save(str(ICONS / f"mmsdesk-{size}.png"))
    images[256].save(str(ICONS / "mmsdesk.ico"))
    images[512].save(str(ICONS / "mmsdesk.icns"))
    del app
    for f in sorted(ICONS.iterdir()):
        print(f, f.stat().st_size)


if __name__ == "__main__":
    main()
