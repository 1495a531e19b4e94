"""The meeting features in headless Chromium: live updates across sessions, presentation mode."""

import pytest
from browsertest import ROOT, metric_value, new_page, no_traceback, screenshot, settle, to_int

from ui.frame import POLL_SECONDS

SAMPLE = ROOT / "tests" / "fixtures" / "samples" / "north_region_2024.xlsx"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_an_upload_in_one_session_shows_in_the_other(server, browser):
    from playwright.sync_api import expect

    watcher = new_page(browser)
    watcher.goto(server)
    before = to_int(metric_value(watcher, "交易笔数"))
    settle(watcher)

    uploader = new_page(browser)
    uploader.goto(f"{server}/uploads")
    uploader.get_by_test_id("stFileUploader").wait_for()
    uploader.locator("input[type=file]").set_input_files(str(SAMPLE))
    uploader.get_by_role("button", name="确认导入").click()
    expect(uploader.get_by_test_id("stAlertContentSuccess").first).to_contain_text("377")

    # the watcher did nothing: its page polls the data version and refreshes itself
    value = watcher.get_by_test_id("stMetric").filter(has_text="交易笔数").get_by_test_id("stMetricValue")
    expect(value).to_have_text(f"{before + 377:,}", timeout=(POLL_SECONDS + 15) * 1000)
    expect(watcher.get_by_text("数据已更新").first).to_be_visible()
    no_traceback(watcher)
    no_traceback(uploader)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_presentation_mode_hides_the_controls(server, browser, lang):
    from playwright.sync_api import expect

    page = new_page(browser, lang)
    page.goto(f"{server}/?present=1&lang={lang}")
    metric_value(page, "交易笔数" if lang == "zh" else "Transactions")
    settle(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    leave = page.get_by_role("button", name="退出演示" if lang == "zh" else "Leave presentation")
    expect(leave).to_be_visible()
    no_traceback(page)
    screenshot(page, f"present_{lang}")
    leave.click()
    expect(page.get_by_test_id("stSidebar")).to_be_visible()
    assert "present" not in page.url


def test_meeting_report_download_opens_offline(server, browser, tmp_path):
    from playwright.sync_api import expect

    page = new_page(browser)
    page.goto(f"{server}/accounts?abc_cuts=70&abc_cuts=90")
    page.locator(".js-plotly-plot").first.wait_for()
    settle(page)
    a_before = metric_value(page, "A 类客户")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载会议报告（HTML）").click()
    saved = tmp_path / "report.html"
    download.value.save_as(saved)
    # the download did not rerun or reset the page
    assert metric_value(page, "A 类客户") == a_before
    assert "abc_cuts=70" in page.url
    offline = browser.new_context(offline=True)
    report_page = offline.new_page()
    report_page.goto(saved.as_uri())
    expect(report_page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    assert report_page.locator(".js-plotly-plot").count() >= 1
    assert "大客户" in report_page.locator("h2").first.inner_text()
    screenshot(report_page, "report_zh")
    offline.close()
    no_traceback(page)
