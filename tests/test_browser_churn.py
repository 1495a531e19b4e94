"""The Churn page in headless Chromium: the window slider moved with the keyboard, screenshots."""

from __future__ import annotations

import pytest
from browsertest import metric_value, new_page, no_traceback, screenshot, settle

from analytics import churn, store
from analytics.filters import Filters
from ui import format as fmt

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def expected(demo_db):
    """Churn of the demo company (the server's new database holds the same seeded demo)."""
    con = store.connect(demo_db)
    try:
        return {w: churn.churn_summary(con, Filters(), window_months=w) for w in range(6, 13)}
    finally:
        con.close()


def wait_for_charts(page, count: int) -> None:
    for i in range(count):
        page.locator(".js-plotly-plot").nth(i).wait_for()
    settle(page)


def test_churn_window_slider_and_screenshots(server, browser, expected):
    from playwright.sync_api import expect

    def churn_metric(page, label: str):
        return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")

    page = new_page(browser, "zh")
    page.goto(server)
    page.get_by_test_id("stSidebarNav").get_by_text("客户流失", exact=True).click()
    assert metric_value(page, "客户流失率") == fmt.percent(expected[12].churn_rate, "zh")
    assert metric_value(page, "流失客户") == fmt.integer(expected[12].lost)
    wait_for_charts(page, 1)
    no_traceback(page)
    screenshot(page, "churn_zh")

    # the window slider, moved with the keyboard from 12 to 6 months, one key at a time (as a user
    # watching the figures would): every step shows the churn of that window
    thumb = page.locator(".st-key-churn_window input[type=range]")
    thumb.focus()
    for window in range(11, 5, -1):
        thumb.press("ArrowLeft")
        expect(thumb).to_have_value(str(window))
        for label, value in (
            ("客户流失率", fmt.percent(expected[window].churn_rate, "zh")),
            ("流失客户", fmt.integer(expected[window].lost)),
            ("期初活跃客户", fmt.integer(expected[window].active_at_start)),
        ):
            expect(churn_metric(page, label)).to_have_text(value, timeout=60_000)
    assert expected[6].lost != expected[12].lost
    page.wait_for_url(lambda url: "churn_window=6" in url)  # the view is in the link (written after the run)
    no_traceback(page)

    # the model-check tab (BG/NBD fit, holdout by frequency and over time), back at 12 months
    for window in range(7, 13):
        thumb.press("ArrowRight")
        expect(churn_metric(page, "流失客户")).to_have_text(fmt.integer(expected[window].lost), timeout=60_000)
    page.get_by_role("tab", name="模型检验").click()
    expect(page.get_by_test_id("stMetric").filter(has_text="对数似然")).to_be_visible(timeout=60_000)
    page.set_viewport_size({"width": 1440, "height": 3200})  # the whole tab: fit, both charts, tables
    wait_for_charts(page, 2)
    no_traceback(page)
    screenshot(page, "churn_model_check")
    page.close()

    english = new_page(browser, "en")
    english.goto(f"{server}/retention?lang=en")
    assert metric_value(english, "Churn rate") == fmt.percent(expected[12].churn_rate, "en")
    assert metric_value(english, "Net revenue retention") == fmt.percent(expected[12].net_revenue_retention, "en")
    wait_for_charts(english, 1)
    no_traceback(english)
    screenshot(english, "churn_en")
    english.close()
