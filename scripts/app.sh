#!/usr/bin/env bash
# Set up (once) and run KA Radar. Demo data is loaded on first start when the database is empty.
# Usage: bash scripts/app.sh [extra streamlit options, e.g. --server.port 8502]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec .venv/bin/python -m ui.serve "$@"
