"""The view is the URL, in headless Chromium: a link copied from a page opens the same view in a new browser.

For each page the controls are set through the UI (keyboard, typing, clicks) in Chinese, the URL is
read from the address bar and opened in a fresh browser context in English: the controls show the
same values and the headline numbers equal the analytics computed with those settings. The first
test opens a deep link as the very first request of a new server. Shared settings follow a sidebar
page switch (ABC cutoffs moved on Key accounts → the Customer card's class) and appear in the link of
the other page; fast key presses on a slider keep every step, in the slider and in the link, also
on a slow network (the server's messages delayed in the page).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from browsertest import metric_value, new_page, no_traceback, settle, to_int

from analytics import churn, key_accounts, pareto, rfm, satisfaction, store, summary, tiers
from analytics.filters import Filters
from ui import format as fmt
from ui import satisfaction_view as sat_view
from ui.i18n import t, tier_name

pytestmark = [pytest.mark.browser, pytest.mark.slow]

URL_TIMEOUT_MS = 30_000
T = TypeVar("T")


def on(db: Path, fn: Any, *args: Any) -> Any:
    con = store.connect(db)
    try:
        return fn(con, *args)
    finally:
        con.close()


def eventually(read: Callable[[], T], expected: T, timeout: float = 30.0) -> None:
    """``read()`` becomes ``expected`` (a reopened page fills its widgets a moment after it shows)."""
    deadline = time.monotonic() + timeout
    while (value := read()) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    assert value == expected


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def with_lang(url: str, lang: str) -> str:
    """``url`` with ``lang=<lang>`` (the link opened by someone who reads the other language)."""
    parts = urlsplit(url)
    params = {**parse_qs(parts.query), "lang": [lang]}
    return urlunsplit(parts._replace(query=urlencode(params, doseq=True)))


def wait_for_params(page: Any, **expected: str | list[str]) -> dict[str, list[str]]:
    """Wait until the address bar holds every ``key=value`` (the view is in the link), return its query."""
    wanted = {k: [v] if isinstance(v, str) else v for k, v in expected.items()}
    page.wait_for_url(lambda url: all(query(url).get(k) == v for k, v in wanted.items()), timeout=URL_TIMEOUT_MS)
    return query(page.url)


def open_url(browser: Any, url: str, lang: str, charts: int = 0, lag_ms: int = 0) -> Any:
    page = new_page(browser, lang, lag_ms)
    page.goto(url)
    page.get_by_test_id("stMainBlockContainer").get_by_test_id("stHeading").first.wait_for()
    for i in range(charts):
        page.locator(".js-plotly-plot").nth(i).wait_for()
    settle(page)
    no_traceback(page)
    return page


def reopen(browser: Any, page: Any, lang: str = "en", charts: int = 0) -> Any:
    """The URL of ``page`` opened in a new browser context, in ``lang``."""
    return open_url(browser, with_lang(page.url, lang), lang, charts)


def thumb(page: Any, key: str, index: int = 0) -> Any:
    return page.locator(f".st-key-{key} input[type=range]").nth(index)


def press(page: Any, key: str, arrow: str, times: int, index: int = 0) -> None:
    """Move a slider thumb with the keyboard, as fast as the keys come."""
    handle = thumb(page, key, index)
    handle.focus()
    for _ in range(times):
        handle.press(arrow)


def slider(page: Any, key: str, index: int = 0) -> int:
    return int(thumb(page, key, index).input_value())


def choose(page: Any, key: str, text: str) -> None:
    page.locator(f".st-key-{key} [role=radio]").filter(has_text=text).click()


def chosen(page: Any, key: str) -> str:
    return str(page.locator(f".st-key-{key} [role=radio][aria-checked=true]").inner_text()).strip()


def type_number(page: Any, key: str, value: float) -> None:
    field = page.locator(f".st-key-{key} input")
    field.fill(f"{value:g}")
    field.press("Enter")


def number(page: Any, key: str) -> float:
    return float(page.locator(f".st-key-{key} input").input_value().replace(",", ""))


def open_tab(page: Any, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def open_tab_name(page: Any) -> str:
    return str(page.get_by_role("tab", selected=True).first.inner_text()).strip()


def customer_name(page: Any) -> str:
    """The card's header: the heading after the page title."""
    headings = page.get_by_test_id("stMainBlockContainer").get_by_test_id("stHeading")
    return str(headings.nth(1).inner_text()).strip()


def abc_badge(page: Any, lang: str, cls: str) -> int:
    """How many badges of the card say "class ``cls``"."""
    return int(page.get_by_test_id("stMainBlockContainer").get_by_text(t("card.badge.abc", lang, abc=cls)).count())


def sidebar_to(page: Any, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()


def period_facts(db: Path) -> key_accounts.PeriodFacts:
    return on(db, key_accounts.period_facts, Filters())


def class_counts(db: Path, a_cut: float, b_cut: float) -> dict[str, int]:
    counts = pareto.abc(period_facts(db).facts, a_cut, b_cut)["abc_class"].astype(str).value_counts()
    return {cls: int(counts.get(cls, 0)) for cls in pareto.ABC_CLASSES}


def metric_number(page: Any, label: str) -> int:
    return to_int(metric_value(page, label))


def shown_classes(page: Any, lang: str) -> dict[str, int]:
    return {cls: to_int(metric_value(page, t("ka.kpi_class", lang, cls=cls))) for cls in pareto.ABC_CLASSES}


# ---------------------------------------------------------------- first request: a deep link


def test_a_deep_link_is_the_first_request_of_a_new_server(server, browser, demo_db):
    link = f"{server}/accounts?top_share=30&abc_cuts=70&abc_cuts=90&ka_dim=region&lang=en"
    page = open_url(browser, link, "en", charts=1)
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_test_id("stDialog").count() == 0
    ends = (30, 70, 90)
    eventually(lambda: (slider(page, "top_share"), slider(page, "abc_cuts", 0), slider(page, "abc_cuts", 1)), ends)
    eventually(lambda: chosen(page, "ka_dim"), t("ka.dim.region", "en"))
    eventually(lambda: shown_classes(page, "en"), class_counts(demo_db, 0.7, 0.9))
    head = pareto.headline(period_facts(demo_db).facts, 0.3)
    assert head is not None
    heading = page.get_by_test_id("stHeading").filter(has_text="30%").first.inner_text()
    assert fmt.percent(head.top_revenue_share, "en") in heading
    page.context.close()


def test_a_stale_deep_link_falls_back_with_a_notice(server, browser, demo_db):
    page = open_url(browser, f"{server}/accounts?top_share=500&ka_dim=nowhere&ka_tab=pie&lang=en", "en", charts=1)
    toast = page.get_by_test_id("stToast").first
    toast.wait_for()
    text = toast.inner_text()
    assert t("link.stale", "en", params="ka_dim, ka_tab, top_share") in text
    assert slider(page, "top_share") == 20 and chosen(page, "ka_dim") == t("ka.dim.customer", "en")
    assert open_tab_name(page) == t("ka.tab.pareto", "en")
    assert shown_classes(page, "en") == class_counts(demo_db, 0.8, 0.95)
    assert not {"top_share", "ka_dim", "ka_tab"} & set(query(page.url))
    page.context.close()


# ---------------------------------------------------------------- one page after the other


def test_home_link(server, browser, demo_db):
    page = open_url(browser, server, "zh")
    region = on(demo_db, summary.filter_options).regions[0]
    field = page.locator(".st-key-region input")
    field.click()
    field.fill(region)
    field.press("Enter")
    field.press("Escape")
    wait_for_params(page, region=region)
    other = reopen(browser, page)
    eventually(lambda: region in other.locator(".st-key-region").inner_text(), True)
    expected = on(demo_db, summary.kpis, Filters(regions=(region,)))
    for lang, shown in (("zh", page), ("en", other)):
        eventually(
            partial(metric_number, shown, t("kpi.transactions", lang)),
            expected.transactions,
        )
    page.context.close()
    other.context.close()


def test_key_accounts_link(server, browser, demo_db):
    page = open_url(browser, f"{server}/accounts", "zh", charts=1)
    press(page, "top_share", "ArrowRight", 10)
    press(page, "abc_cuts", "ArrowLeft", 10, index=0)
    choose(page, "ka_dim", t("ka.dim.region", "zh"))
    wait_for_params(page, top_share="30", abc_cuts=["70", "95"], ka_dim="region")
    other = reopen(browser, page, charts=1)
    ends = (30, 70, 95)
    eventually(lambda: (slider(other, "top_share"), slider(other, "abc_cuts", 0), slider(other, "abc_cuts", 1)), ends)
    eventually(lambda: chosen(other, "ka_dim"), t("ka.dim.region", "en"))
    expected = class_counts(demo_db, 0.7, 0.95)
    eventually(lambda: shown_classes(page, "zh"), expected)
    eventually(lambda: shown_classes(other, "en"), expected)
    # a tab is in the link too, by its code
    open_tab(page, t("ka.tab.lorenz", "zh"))
    wait_for_params(page, ka_tab="lorenz")
    third = reopen(browser, page, charts=1)
    eventually(lambda: open_tab_name(third), t("ka.tab.lorenz", "en"))
    for opened in (page, other, third):
        opened.context.close()


def test_pyramid_link(server, browser, demo_db):
    page = open_url(browser, f"{server}/tiers", "zh", charts=2)
    choose(page, "tier_mode", t("pyr.mode.rank", "zh"))
    wait_for_params(page, tier_mode="rank")
    thumb(page, "share_key").wait_for()
    press(page, "share_key", "ArrowRight", 5)
    press(page, "upgrade_growth", "ArrowRight", 2)
    wait_for_params(page, tier_mode="rank", share_key="10", upgrade_growth="70")
    other = reopen(browser, page, charts=2)
    eventually(lambda: chosen(other, "tier_mode"), t("pyr.mode.rank", "en"))
    eventually(lambda: (slider(other, "share_key"), slider(other, "upgrade_growth")), (10, 70))
    scheme = tiers.TierScheme(mode="rank", shares=tiers.RankShares(0.10, 0.15, 0.30))
    table = tiers.tier_table(tiers.assign_tiers(period_facts(demo_db).facts, scheme), scheme)
    expected = dict(zip(table["tier"], table["customers"], strict=True))
    eventually(lambda: {code: to_int(metric_value(other, tier_name(code, "en"))) for code in expected}, expected)
    page.context.close()
    other.context.close()


def test_a_slow_network_keeps_the_last_step_in_the_link(server, browser):
    """The answers of the server arrive 2 s late; the link ends with the slider's last value.

    Run 1 (share_key 6) publishes the setting; run 2 (upgrade_growth 60) started before that answer
    arrived, so it publishes it again, with 60. The second step (70) leaves the browser after run 1's
    answer and before run 2's: run 3 finds nothing to change. Before every run re-sent its whole
    query string, run 2's late answer was the last word and the link said 60 under a slider at 70.
    """
    page = open_url(browser, f"{server}/tiers", "zh", charts=2, lag_ms=2_000)
    choose(page, "tier_mode", t("pyr.mode.rank", "zh"))
    wait_for_params(page, tier_mode="rank")
    press(page, "share_key", "ArrowRight", 1)
    page.wait_for_timeout(500)  # run 1 has started, its answer is on the way
    press(page, "upgrade_growth", "ArrowRight", 1)
    page.wait_for_url(lambda url: query(url).get("share_key") == ["6"], timeout=URL_TIMEOUT_MS)
    press(page, "upgrade_growth", "ArrowRight", 1)
    page.wait_for_timeout(4_000)  # run 2's and run 3's answers have arrived
    wait_for_params(page, tier_mode="rank", share_key="6", upgrade_growth="70")
    assert (slider(page, "share_key"), slider(page, "upgrade_growth")) == (6, 70)
    page.context.close()


def test_rfm_link(server, browser, demo_db):
    page = open_url(browser, f"{server}/segments", "zh", charts=2)
    picker = page.locator(".st-key-rfm_segment input")
    picker.click()
    picker.fill(t("rfm.segment.at_risk", "zh"))
    page.get_by_role("option").filter(has_text=t("rfm.segment.at_risk", "zh")).first.click()
    wait_for_params(page, rfm_segment="at_risk")
    other = reopen(browser, page, charts=2)
    data = period_facts(demo_db)
    assert data.bounds is not None
    scored = rfm.rfm(data.facts, data.bounds.as_of)
    at_risk = int((scored["segment"] == "at_risk").sum())
    option = t("rfm.pick_option", "en", segment=t("rfm.segment.at_risk", "en"), n=fmt.integer(at_risk))
    eventually(lambda: other.locator(".st-key-rfm_segment input").input_value(), option)
    eventually(lambda: other.get_by_text(t("table.rows", "en", n=f"{at_risk:,}"), exact=True).count(), 1)
    page.context.close()
    other.context.close()


def test_churn_link(server, browser, demo_db):
    page = open_url(browser, f"{server}/retention", "zh", charts=1)
    press(page, "churn_window", "ArrowLeft", 6)  # 12 → 6, as fast as the keys come: no step lost
    wait_for_params(page, churn_window="6")
    open_tab(page, t("churn.tab.at_risk", "zh"))
    wait_for_params(page, churn_window="6", churn_tab="at_risk")
    page.locator(".st-key-overdue_k input").wait_for()
    type_number(page, "overdue_k", 3)
    wait_for_params(page, churn_window="6", churn_tab="at_risk", overdue_k="3")
    other = reopen(browser, page)
    eventually(lambda: slider(other, "churn_window"), 6)
    eventually(lambda: open_tab_name(other), t("churn.tab.at_risk", "en"))
    eventually(lambda: number(other, "overdue_k"), 3.0)
    headline = on(demo_db, churn.churn_summary, Filters(), None, 6)
    for lang, shown in (("zh", page), ("en", other)):
        eventually(partial(metric_number, shown, t("churn.lost", lang)), headline.lost)
        eventually(
            partial(metric_value, shown, t("churn.rate", lang)),
            fmt.percent(headline.churn_rate, lang),
        )
    page.context.close()
    other.context.close()


def test_satisfaction_link(server, browser, demo_db):
    page = open_url(browser, f"{server}/feedback", "zh", charts=1)
    type_number(page, "sat_days", 60)
    wait_for_params(page, sat_days="60")
    other = reopen(browser, page, charts=1)
    eventually(lambda: number(other, "sat_days"), 60.0)
    loyalty = on(demo_db, satisfaction.repurchase_by_score, Filters(), 60, 12)
    ratio = sat_view.ratio_text(loyalty.top_vs_next_ratio)
    for lang, shown in (("zh", page), ("en", other)):
        expected = t("sat.loyalty.ratio_value", lang, ratio=ratio)
        eventually(partial(metric_value, shown, t("sat.loyalty.ratio", lang)), expected)
    page.context.close()
    other.context.close()


def test_customer_card_link(server, browser, demo_db):
    page = open_url(browser, f"{server}/customer", "zh", charts=1)
    search = page.locator(".st-key-card_search input")
    search.fill("有限公司")
    search.press("Enter")
    wait_for_params(page, card_search="有限公司")
    type_number(page, "card_horizon", 52)
    wait_for_params(page, card_search="有限公司", card_horizon="52")
    open_tab(page, t("card.tab.products", "zh"))
    wait_for_params(page, card_search="有限公司", card_horizon="52", card_tab="products")
    settle(page)
    name = customer_name(page)
    orders = to_int(metric_value(page, t("card.kpi.orders", "zh")))
    other = reopen(browser, page)
    eventually(lambda: other.locator(".st-key-card_search input").input_value(), "有限公司")
    eventually(lambda: number(other, "card_horizon"), 52.0)
    eventually(lambda: open_tab_name(other), t("card.tab.products", "en"))
    eventually(lambda: customer_name(other), name)
    eventually(lambda: to_int(metric_value(other, t("card.kpi.orders", "en"))), orders)
    eventually(lambda: other.get_by_text(t("card.expected", "en", weeks=52), exact=True).count(), 1)
    page.context.close()
    other.context.close()


# ---------------------------------------------------------------- shared settings across pages


def test_abc_cutoffs_follow_to_the_customer_card(server, browser, demo_db):
    data = period_facts(demo_db)
    table = key_accounts.customer_table(data, key_accounts.KeyAccountSettings(a_cut=0.5, b_cut=0.95))
    row = table.loc[table["abc"] == "B"].iloc[0]  # class A at the default 80/95, class B at 50/95
    name = str(row["customer"])
    page = open_url(browser, f"{server}/customer?{urlencode({'customer': name})}", "zh", charts=1)
    eventually(lambda: abc_badge(page, "zh", "A"), 1)

    sidebar_to(page, t("nav.key_accounts", "zh"))
    thumb(page, "abc_cuts").wait_for()
    settle(page)
    press(page, "abc_cuts", "ArrowLeft", 30, index=0)  # 80 → 50 without pauses: every step must count
    wait_for_params(page, abc_cuts=["50", "95"])
    eventually(lambda: slider(page, "abc_cuts", 0), 50)
    eventually(lambda: shown_classes(page, "zh"), class_counts(demo_db, 0.5, 0.95))  # the server agrees

    sidebar_to(page, t("nav.customer_card", "zh"))
    params = wait_for_params(page, abc_cuts=["50", "95"], customer=name)  # the setting is in this page's link
    assert re.search(r"/customer\?", page.url) and params["abc_cuts"] == ["50", "95"]
    eventually(lambda: customer_name(page), name)
    eventually(lambda: abc_badge(page, "zh", "B"), 1)
    other = reopen(browser, page, charts=1)
    eventually(lambda: abc_badge(other, "en", "B"), 1)
    # back on Key accounts the slider still holds the value
    sidebar_to(page, t("nav.key_accounts", "zh"))
    thumb(page, "abc_cuts").wait_for()
    eventually(lambda: slider(page, "abc_cuts", 0), 50)
    page.context.close()
    other.context.close()
