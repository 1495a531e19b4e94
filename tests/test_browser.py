"""End to end in headless Chromium: the real server, the real file input, screenshots."""

import pytest
from browsertest import ROOT, metric_value, new_page, no_traceback, screenshot, settle, to_int

SAMPLE = ROOT / "tests" / "fixtures" / "samples" / "华东区_2024年销售明细.xlsx"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_upload_through_the_browser(server, browser):
    from playwright.sync_api import expect

    page = new_page(browser)

    # Home, in Chinese, with the demo company loaded on the first start
    page.goto(server)
    before = to_int(metric_value(page, "交易笔数"))
    assert before > 10_000
    expect(page.get_by_text("演示数据").first).to_be_visible()
    page.locator(".js-plotly-plot").first.wait_for()
    settle(page)
    no_traceback(page)
    screenshot(page, "home_zh")

    # the same page in English through the URL
    page.goto(f"{server}/?lang=en")
    assert to_int(metric_value(page, "Transactions")) == before
    page.locator(".js-plotly-plot").first.wait_for()
    settle(page)
    no_traceback(page)
    screenshot(page, "home_en")

    # Data page (Chinese): upload the regional ledger through the real file input
    page.goto(server)
    metric_value(page, "交易笔数")
    page.get_by_test_id("stSidebarNav").get_by_text("数据", exact=True).click()
    page.get_by_test_id("stFileUploader").wait_for()
    page.locator("input[type=file]").set_input_files(str(SAMPLE))
    expect(page.get_by_test_id("stMetric").filter(has_text="将导入行数")).to_contain_text("662")
    expect(page.get_by_test_id("stMetric").filter(has_text="跳过行数")).to_contain_text("13")
    assert to_int(metric_value(page, "将导入行数")) == 662
    assert to_int(metric_value(page, "跳过行数")) == 13
    settle(page)
    no_traceback(page)
    screenshot(page, "data_report")

    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_test_id("stAlertContentSuccess").first).to_contain_text("662", timeout=60_000)
    settle(page)
    no_traceback(page)
    screenshot(page, "data_stored")

    # back on Home the transactions grew by exactly the stored rows
    page.get_by_test_id("stSidebarNav").get_by_text("首页", exact=True).click()
    expect(page.get_by_test_id("stMetric").filter(has_text="交易笔数").get_by_test_id("stMetricValue")).to_have_text(
        f"{before + 662:,}", timeout=60_000
    )
    no_traceback(page)
    page.close()
