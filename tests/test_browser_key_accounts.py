"""Key accounts in headless Chromium: the ABC slider moved with the keyboard changes the class counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from browsertest import metric_value, new_page, no_traceback, screenshot, settle, to_int

from analytics import key_accounts, pareto, store
from analytics.filters import Filters
from ui.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NAV = {"zh": "大客户", "en": "Key accounts"}


def class_counts(db: Path, a_cut: float, b_cut: float) -> dict[str, int]:
    """A/B/C counts of the demo company, computed directly (the server holds the same seeded demo)."""
    con = store.connect(db)
    try:
        facts = key_accounts.period_facts(con, Filters()).facts
    finally:
        con.close()
    counts = pareto.abc(facts, a_cut, b_cut)["abc_class"].astype(str).value_counts()
    return {cls: int(counts.get(cls, 0)) for cls in pareto.ABC_CLASSES}


def open_key_accounts(browser, server: str, lang: str):
    page = new_page(browser, lang)
    page.goto(f"{server}/?lang={lang}")
    nav = page.get_by_test_id("stSidebarNav").get_by_text(NAV[lang], exact=True)
    nav.wait_for()
    settle(page)
    nav.click()
    page.locator(".js-plotly-plot").first.wait_for()
    settle(page)
    return page


def shown_counts(page, lang: str) -> dict[str, int]:
    return {cls: to_int(metric_value(page, t("ka.kpi_class", lang, cls=cls))) for cls in pareto.ABC_CLASSES}


def test_abc_slider_by_keyboard(server, browser, demo_db):
    page = open_key_accounts(browser, server, "zh")
    no_traceback(page)
    assert shown_counts(page, "zh") == class_counts(demo_db, 0.80, 0.95)
    screenshot(page, "key_accounts_zh")

    # focus the left thumb of the ABC range slider and walk it down with the arrow key
    thumb = page.locator(f"input[type=range][aria-label='{t('ka.abc_cuts', 'zh')} — start']")
    thumb.focus()
    for _ in range(5):
        thumb.press("ArrowLeft")
        page.wait_for_timeout(150)
    settle(page)
    # each press is one step down (a press landing during a rerun may be dropped)
    a_pct = int(thumb.input_value())
    assert 75 <= a_pct < 80
    page.wait_for_url(lambda url: f"abc_cuts={a_pct}" in url)  # the view is in the link
    expected = class_counts(demo_db, a_pct / 100, 0.95)
    assert expected != class_counts(demo_db, 0.80, 0.95)
    page.wait_for_function(
        "([label, value]) => [...document.querySelectorAll('[data-testid=stMetric]')].some("
        "m => m.innerText.includes(label) && m.innerText.includes(value))",
        arg=[t("ka.kpi_class", "zh", cls="A"), f"{expected['A']:,}"],
    )
    assert shown_counts(page, "zh") == expected
    no_traceback(page)
    page.close()


def test_english_page(server, browser, demo_db):
    page = open_key_accounts(browser, server, "en")
    no_traceback(page)
    assert shown_counts(page, "en") == class_counts(demo_db, 0.80, 0.95)
    assert page.get_by_text("The top 20% of customers").first.is_visible()
    screenshot(page, "key_accounts_en")
    page.close()
