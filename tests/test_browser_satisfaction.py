"""The Satisfaction page in headless Chromium: both languages, the repurchase window in the link, screenshots."""

import re

import pytest
from browsertest import metric_value, new_page, no_traceback, screenshot, settle

from analytics import satisfaction, store
from analytics.filters import Filters

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHARTS = 7  # distribution, trend, NPS, loyalty, drivers, Pareto, before/after
TALL = {"width": 1440, "height": 5200}  # the whole page: Streamlit scrolls inside its own container
LOAD_MS = 120_000  # seven charts on a shared, busy machine


def open_satisfaction(page, server: str, lang: str, query: str = "") -> None:
    """Open the page by its URL and wait until every chart is drawn."""
    params = "&".join(p for p in (f"lang={lang}" if lang != "zh" else "", query) if p)
    page.goto(f"{server}/feedback" + (f"?{params}" if params else ""))
    page.locator(".js-plotly-plot").nth(CHARTS - 1).wait_for(timeout=LOAD_MS)
    settle(page)
    no_traceback(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_satisfaction_page_in_chromium(server, browser, lang):
    page = new_page(browser, lang)
    page.set_viewport_size(TALL)
    page.goto(server)  # the frame's first run of a process resolves the pages; then deep links work
    page.get_by_test_id("stMetric").first.wait_for()
    open_satisfaction(page, server, lang)
    mean = metric_value(page, "平均满意度" if lang == "zh" else "Mean score")
    assert re.fullmatch(r"\d\.\d\d / 5", mean)
    assert page.locator(".js-plotly-plot").count() == CHARTS
    screenshot(page, f"satisfaction_{lang}")
    page.close()


def test_repurchase_window_goes_into_the_link(server, browser):
    page = new_page(browser)
    page.set_viewport_size(TALL)
    page.goto(server)
    page.get_by_test_id("stMetric").first.wait_for()
    open_satisfaction(page, server, "zh")
    box = page.get_by_role("spinbutton", name="复购观察期（调查后天数）")
    box.fill("30")
    box.press("Enter")
    page.wait_for_url(re.compile(r"sat_days=30"))
    settle(page)
    rate_30 = metric_value(page, "5 分客户复购率")
    # a new session opened from the copied link shows the same window and the same numbers
    other = new_page(browser)
    other.set_viewport_size(TALL)
    other.goto(page.url)
    other.locator(".js-plotly-plot").nth(CHARTS - 1).wait_for(timeout=LOAD_MS)
    settle(other)
    assert other.get_by_role("spinbutton", name="复购观察期（调查后天数）").input_value() == "30"
    assert metric_value(other, "5 分客户复购率") == rate_30
    no_traceback(other)
    other.close()
    page.close()


def test_window_numbers_match_the_analytics(server, browser, tmp_path):
    # the served database is the demo company; the same demo built here gives the expected rate
    from data import demo

    con = store.connect(tmp_path / "demo.duckdb")
    demo.load_demo(con)
    expected = satisfaction.repurchase_by_score(con, Filters(), days=30).by_score.set_index("score")
    con.close()
    page = new_page(browser)
    page.set_viewport_size(TALL)
    page.goto(server)
    page.get_by_test_id("stMetric").first.wait_for()
    open_satisfaction(page, server, "en", "sat_days=30")
    assert metric_value(page, "Repurchase rate, score 5") == f"{100 * expected.loc[5.0, 'repurchase_rate']:.1f}%"
    page.close()
