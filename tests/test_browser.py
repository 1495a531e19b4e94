"""End to end in headless Chromium: the real server, the real file input, screenshots."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "fixtures" / "samples" / "华东区_2024年销售明细.xlsx"
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

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    port = _free_port()
    db = tmp_path_factory.mktemp("browser") / "karadar.duckdb"
    log_path = tmp_path_factory.mktemp("browser_log") / "streamlit.log"
    env = {**os.environ, "KARADAR_DB": str(db), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
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
    assert "Traceback" not in text, text


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _metric_value(page, label: str) -> str:
    metric = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    value = metric.first.get_by_test_id("stMetricValue")
    value.wait_for(timeout=TIMEOUT_MS)
    return value.inner_text().strip()


def _int(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def _settle(page) -> None:
    """Wait until the script run finished (the status widget says nothing is running)."""
    page.wait_for_timeout(300)
    page.get_by_test_id("stStatusWidget").filter(has_text=re.compile("Running|运行")).wait_for(
        state="detached", timeout=TIMEOUT_MS
    )
    page.wait_for_timeout(500)


def _no_traceback(page) -> None:
    assert page.get_by_test_id("stException").count() == 0
    assert "Traceback" not in page.inner_text("body")


def test_upload_through_the_browser(server, browser):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 2000}, locale="zh-CN")
    page.set_default_timeout(TIMEOUT_MS)

    # Home, in Chinese, with the demo company loaded on the first start
    page.goto(server)
    before = _int(_metric_value(page, "交易笔数"))
    assert before > 10_000
    expect(page.get_by_text("演示数据").first).to_be_visible()
    page.locator(".js-plotly-plot").first.wait_for()
    _settle(page)
    _no_traceback(page)
    page.screenshot(path=str(SCREENSHOTS / "home_zh.png"), full_page=True)

    # the same page in English through the URL
    page.goto(f"{server}/?lang=en")
    assert _int(_metric_value(page, "Transactions")) == before
    page.locator(".js-plotly-plot").first.wait_for()
    _settle(page)
    _no_traceback(page)
    page.screenshot(path=str(SCREENSHOTS / "home_en.png"), full_page=True)

    # Data page (Chinese): upload the regional ledger through the real file input
    page.goto(server)
    _metric_value(page, "交易笔数")
    page.get_by_test_id("stSidebarNav").get_by_text("数据", exact=True).click()
    page.get_by_test_id("stFileUploader").wait_for()
    page.locator("input[type=file]").set_input_files(str(SAMPLE))
    expect(page.get_by_test_id("stMetric").filter(has_text="将导入行数")).to_contain_text("662")
    expect(page.get_by_test_id("stMetric").filter(has_text="跳过行数")).to_contain_text("13")
    assert _int(_metric_value(page, "将导入行数")) == 662
    assert _int(_metric_value(page, "跳过行数")) == 13
    _settle(page)
    _no_traceback(page)
    page.screenshot(path=str(SCREENSHOTS / "data_report.png"), full_page=True)

    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_contain_text("662", timeout=TIMEOUT_MS)
    _settle(page)
    _no_traceback(page)
    page.screenshot(path=str(SCREENSHOTS / "data_stored.png"), full_page=True)

    # back on Home the transactions grew by exactly the stored rows
    page.get_by_test_id("stSidebarNav").get_by_text("首页", exact=True).click()
    expect(page.get_by_test_id("stMetric").filter(has_text="交易笔数").get_by_test_id("stMetricValue")).to_have_text(
        f"{before + 662:,}", timeout=TIMEOUT_MS
    )
    _no_traceback(page)
    page.close()
