"""Pyramid and RFM pages in headless Chromium: a floor typed in, the counts follow; screenshots in zh and en."""

from __future__ import annotations

import pytest
from browsertest import metric_value, new_page, no_traceback, screenshot, settle

from analytics import key_accounts, rfm, store, tiers
from analytics.filters import Filters

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# tall enough for the whole page (Streamlit scrolls inside its own container), per page
HEIGHTS = {"pyramid": 3300, "rfm": 2800}


@pytest.fixture(scope="module")
def facts(demo_db):
    """Period facts of the demo company (the server's new database holds the same seeded demo)."""
    con = store.connect(demo_db)
    try:
        return key_accounts.period_facts(con, Filters())
    finally:
        con.close()


def counts(facts, scheme: tiers.TierScheme) -> dict[str, int]:
    table = tiers.tier_table(tiers.assign_tiers(facts.facts, scheme), scheme)
    return dict(zip(table["tier"], table["customers"], strict=True))


def open_page(browser, server: str, lang: str, nav: str, charts: int, height: int):
    page = new_page(browser, lang)
    page.set_viewport_size({"width": 1440, "height": height})
    page.goto(server if lang == "zh" else f"{server}/?lang=en")
    page.get_by_test_id("stSidebarNav").get_by_text(nav, exact=True).click()
    for i in range(charts):
        page.locator(".js-plotly-plot").nth(i).wait_for()
    settle(page)
    no_traceback(page)
    return page


@pytest.mark.parametrize(("lang", "nav", "vip"), [("zh", "客户金字塔", "贵宾"), ("en", "Pyramid", "VIP")])
def test_pyramid_floor_typed_in(server, browser, facts, lang, nav, vip):
    from playwright.sync_api import expect

    page = open_page(browser, server, lang, nav, charts=2, height=HEIGHTS["pyramid"])
    default = counts(facts, tiers.TierScheme())
    assert metric_value(page, vip) == f"{default['vip']:,}"
    page.wait_for_timeout(1500)  # let the Sankey finish its transition
    screenshot(page, f"pyramid_{lang}")
    settle(page)  # type into an idle app: a rerun still drawing the inputs would redraw the field
    field = page.locator(".st-key-tier_vip input")
    field.fill("100000")
    field.press("Enter")
    moved = counts(facts, tiers.TierScheme(thresholds=tiers.AbsoluteThresholds(vip=100_000.0)))
    assert moved["vip"] != default["vip"]
    value = page.get_by_test_id("stMetric").filter(has_text=vip).first.get_by_test_id("stMetricValue")
    expect(value).to_have_text(f"{moved['vip']:,}", timeout=60_000)
    page.wait_for_url(lambda url: "tier_vip=100000" in url)  # the view is in the link (written after the run)
    no_traceback(page)
    page.close()


@pytest.mark.parametrize(
    ("lang", "nav", "scored_label"), [("zh", "RFM 分群", "参与评分的客户"), ("en", "RFM", "Customers scored")]
)
def test_rfm_page(server, browser, facts, lang, nav, scored_label):
    page = open_page(browser, server, lang, nav, charts=2, height=HEIGHTS["rfm"])
    scored = rfm.rfm(facts.facts, facts.bounds.as_of)
    assert metric_value(page, scored_label) == f"{len(scored):,}"
    screenshot(page, f"rfm_{lang}")
    page.close()
