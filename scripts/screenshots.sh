#!/usr/bin/env bash
# Regenerate every picture in the README from the real app, offscreen: the window and dialog
# screenshots (docs/screenshots/) and the printed documents (docs/documents/).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || ./scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/python docs/screenshots.py "$@"
if [ $# -eq 0 ] && [ -f docs/render_documents.py ]; then
  .venv/bin/python docs/render_documents.py
fi
.venv/bin/python scripts/make_icons.py >/dev/null
