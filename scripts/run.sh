#!/usr/bin/env bash
# Set up (first time: only what the app needs to run) and start MMS Desk. Load demo patients
# from File > Load demo patients, or run: .venv/bin/mmsdesk --data-dir ~/mmsdesk-demo demo
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --runtime  # fast when nothing is missing
exec .venv/bin/mmsdesk "$@"
