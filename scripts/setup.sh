#!/usr/bin/env bash
# Set up MMS Desk in a virtual environment (.venv) in this checkout.
# On Debian/Ubuntu, also installs the system libraries Qt needs (when run as root or with sudo).
#   ./scripts/setup.sh            everything: the app, the tests and the installer build
#   ./scripts/setup.sh --runtime  only what the app needs to run (scripts/run.sh uses this)
# Only what is missing is installed; when another apt or dpkg holds its lock (an update running
# in the background), apt waits for it (MMSDESK_APT_LOCK_WAIT seconds, 600 by default).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNTIME_ONLY=0
[ "${1:-}" = "--runtime" ] && RUNTIME_ONLY=1

# Qt's system libraries; the tests also need a virtual display, pdftotext and a PostgreSQL
# server (team mode: the tests start a throwaway cluster of their own, tests/pgcluster.py).
APT_RUNTIME="libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xinerama0
  libxcb-xkb1 libxkbcommon-x11-0 libxcb-randr0 libxcb-shape0 libxcb-cursor0 libegl1 libgl1
  libfontconfig1 libdbus-1-3 libglib2.0-0"
APT_TEST="xvfb xauth poppler-utils postgresql"

if [ "${MMSDESK_SKIP_APT:-0}" != "1" ] && command -v apt-get >/dev/null 2>&1; then
  WANTED="$APT_RUNTIME"
  [ "$RUNTIME_ONLY" = "1" ] || WANTED="$WANTED $APT_TEST"
  MISSING=""
  for pkg in $WANTED; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      MISSING="$MISSING $pkg"
    fi
  done
  if [ -n "$MISSING" ]; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then
      if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; else SUDO="skip"; fi
    fi
    if [ "$SUDO" = "skip" ]; then
      echo "setup: missing system packages (install them with apt-get):$MISSING" >&2
    else
      export DEBIAN_FRONTEND=noninteractive
      LOCK=(-o "DPkg::Lock::Timeout=${MMSDESK_APT_LOCK_WAIT:-600}")
      echo "setup: installing$MISSING (waiting for apt's lock if another apt holds it)" >&2
      $SUDO apt-get "${LOCK[@]}" update -qq
      # shellcheck disable=SC2086
      $SUDO apt-get "${LOCK[@]}" install -y -qq --no-install-recommends $MISSING >/dev/null
    fi
  fi
fi

[ "${MMSDESK_SKIP_PIP:-0}" = "1" ] && exit 0

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
EXTRAS=".[test,build]"
[ "$RUNTIME_ONLY" = "1" ] && EXTRAS="."
# Python packages: installed again only when pyproject.toml (or the extras asked) changed.
STAMP=".venv/.mmsdesk-setup-$( (cat pyproject.toml; echo "$EXTRAS") | cksum | cut -d' ' -f1)"
FULL_STAMP=".venv/.mmsdesk-setup-$( (cat pyproject.toml; echo ".[test,build]") | cksum | cut -d' ' -f1)"
if [ ! -e "$STAMP" ] && [ ! -e "$FULL_STAMP" ]; then
  .venv/bin/python -m pip install -q -e "$EXTRAS"
  touch "$STAMP"
fi
