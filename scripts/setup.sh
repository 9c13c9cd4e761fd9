#!/usr/bin/env bash
# Set up MMS Desk in a virtual environment (.venv) in this checkout.
# On Debian/Ubuntu, also installs the system libraries Qt needs (when run as root or with sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${MMSDESK_SKIP_APT:-0}" != "1" ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; else SUDO="skip"; fi
  fi
  if [ "$SUDO" != "skip" ]; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends \
      xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
      libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-randr0 libxcb-shape0 \
      libxcb-cursor0 libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 \
      poppler-utils >/dev/null
  fi
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test,build]"
