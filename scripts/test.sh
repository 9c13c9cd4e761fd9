#!/usr/bin/env bash
# Set up (first time) and run the whole test suite, Qt offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh  # fast when nothing is missing; installs what a newer pyproject.toml adds
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
