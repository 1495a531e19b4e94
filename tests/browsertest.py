"""Helpers for browser tests: the real server on a free port, headless Chromium, page waits."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from ui import serverlog

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 60_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(db: Path, log_path: Path) -> Iterator[str]:
    """Run the app (``python -m ui.serve``, as scripts/app.sh does) on ``db``; yield its base URL.

    Fails the test when the server's log shows a traceback.
    """
    port = _free_port()
    env = {**os.environ, "KARADAR_DB": str(db), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ui.serve", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as resp:
                        if resp.read().strip() == b"ok":
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start:\n{log_path.read_text(errors='replace')}")
                time.sleep(0.3)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    text = log_path.read_text(errors="replace")
    assert "Traceback" not in serverlog.without_disconnect_races(text), text


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# Delays every message the page's websockets receive by the same time (their order kept): a viewer
# on a slow network, whose moves reach the server before the answers to the moves before them.
_SLOW_NETWORK = """
(() => {
  const Native = window.WebSocket;
  const late = (listener) => (event) => setTimeout(() => listener(event), %d);
  window.WebSocket = class extends Native {
    set onmessage(listener) { super.onmessage = listener && late(listener); }
    addEventListener(type, listener, options) {
      return super.addEventListener(type, type === "message" ? late(listener) : listener, options);
    }
  };
})();
"""


def new_page(browser: Any, lang: str = "zh", lag_ms: int = 0) -> Any:
    """A page in a fresh browser context (own cookies and session), tall enough for full screenshots.

    ``lag_ms``: the server's messages reach the page that much later (a slow network).
    """
    context = browser.new_context(viewport={"width": 1440, "height": 2000}, locale="zh-CN" if lang == "zh" else "en-US")
    page = context.new_page()
    if lag_ms:
        page.add_init_script(_SLOW_NETWORK % lag_ms)
    page.set_default_timeout(TIMEOUT_MS)
    return page


def metric_value(page: Any, label: str) -> str:
    """The value text of the metric labelled exactly ``label``."""
    metric = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    value = metric.first.get_by_test_id("stMetricValue")
    value.wait_for(timeout=TIMEOUT_MS)
    return str(value.inner_text()).strip()


def to_int(text: str) -> int:
    """Digits of ``text`` as an integer ("2,400" → 2400)."""
    return int(re.sub(r"[^\d]", "", text))


def settle(page: Any) -> None:
    """Wait until the script run finished (the status widget says nothing is running)."""
    page.wait_for_timeout(300)
    page.get_by_test_id("stStatusWidget").filter(has_text=re.compile("Running|运行")).wait_for(
        state="detached", timeout=TIMEOUT_MS
    )
    page.wait_for_timeout(500)


def no_traceback(page: Any) -> None:
    """No exception element and no traceback text on the page."""
    assert page.get_by_test_id("stException").count() == 0
    assert "Traceback" not in page.inner_text("body")


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under ``screenshots/`` and return its path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
