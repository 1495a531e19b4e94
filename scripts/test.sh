#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine, then lint, type-check and test.
# Usage: bash scripts/test.sh [extra pytest options]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"

# Browser tests drive Debian's Chromium; CJK fonts so Chinese renders in screenshots;
# the Spark lane needs Java 17.
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto sans cjk" || ! command -v java >/dev/null; then
    if [ "$(id -u)" = "0" ]; then
        apt-get update -qq
        packages="chromium fonts-noto-cjk"
        command -v java >/dev/null || packages="$packages openjdk-17-jre-headless"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages >/dev/null
    else
        echo "warning: chromium/fonts-noto-cjk/java missing and not root: those tests will be skipped" >&2
    fi
fi

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# lanes one after another: beside the CPU-bound unit lane, the browser lane's timing-sensitive
# flows flaked (a typed-in floor or the session's language lost under the load of both cores)
.venv/bin/python -m pytest -m "not spark and not browser" "$@" || [ $? -eq 5 ]  # 5: extra options selected no test
.venv/bin/python -m pytest -m "browser and not spark" "$@" || [ $? -eq 5 ]
# the warehouse lane: the same analytics on Spark local (KARADAR_SPARK_FULL=1 for every filter set)
.venv/bin/python -m pytest -m spark "$@" || [ $? -eq 5 ]  # 5: extra options selected no Spark test
