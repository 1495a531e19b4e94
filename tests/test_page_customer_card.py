"""The Customer card page, run headless with AppTest on the demo company.

Expected values come from the analytics functions on the same database file (the Key accounts
table, the churn early warning, BG/NBD), computed outside the app.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pagetest import label, metric, new_app, no_errors, open_page
from streamlit.testing.v1 import AppTest

from analytics import bgnbd, churn, customer_card, key_accounts, rfm, store, tiers
from analytics.filters import Filters
from data import demo
from ui import customer_card_view as view
from ui import format as fmt
from ui.i18n import TEXTS

PAGE = "customer_card"


def _expected(db: Path, settings: key_accounts.KeyAccountSettings | None = None) -> pd.DataFrame:
    """The Key accounts customer table of the database, indexed by name (demo names are unique)."""
    con = store.connect(db)
    try:
        data = key_accounts.period_facts(con, Filters())
        table = key_accounts.customer_table(data, settings or key_accounts.KeyAccountSettings())
    finally:
        con.close()
    assert table["customer"].is_unique
    return table.set_index("customer")


def _query(db: Path, fn: Any, *args: Any) -> Any:
    con = store.connect(db)
    try:
        return fn(con, *args)
    finally:
        con.close()


def _open(db: Path, monkeypatch: pytest.MonkeyPatch, lang: str = "zh", **params: str) -> AppTest:
    at = new_app(db, monkeypatch, lang)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(f"pages/{PAGE}.py").run()


def _markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def _standing_shown(at: AppTest, row: pd.Series, lang: str) -> None:
    """Revenue metric, tier and ABC badges of the card equal the Key accounts row."""
    assert metric(at, "card.kpi.revenue", lang) == fmt.money(row["revenue"], lang)
    badges = " ".join(_markdown(at))
    tier = TEXTS[f"tier.{row['tier']}"][lang]
    assert TEXTS["card.badge.tier"][lang].format(tier=tier) in badges
    assert TEXTS["card.badge.abc"][lang].format(abc=row["abc"]) in badges
    segment = TEXTS[f"rfm.segment.{row['rfm_segment']}"][lang]
    assert TEXTS["card.badge.segment"][lang].format(segment=segment) in badges


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_default_card_is_the_top_customer(demo_db: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    at = open_page(demo_db, monkeypatch, PAGE, lang)
    no_errors(at)
    assert at.title[0].value == label("card.title", lang)
    table = _expected(demo_db)
    top = table.index[0]
    assert at.header[0].value == fmt.escape_markdown(top)
    _standing_shown(at, table.loc[top], lang)
    assert metric(at, "card.kpi.orders", lang) == fmt.integer(table.loc[top, "orders"])
    top_id = int(_query(demo_db, customer_card.search, Filters(), top, 1, "exact")["customer_id"].iloc[0])
    surveyed = not _query(demo_db, customer_card.survey_history, Filters(), top_id).empty
    assert len(at.get("plotly_chart")) == 2 + surveyed  # trend, products (, survey scores)
    assert "customer" not in at.query_params  # the default keeps the link clean
    assert len(at.selectbox(key=view.CUSTOMER_KEY).options) == view.SEARCH_LIMIT


@pytest.mark.parametrize(("lang", "position"), [("zh", 4), ("en", 30)])
def test_query_parameter_selects_the_card(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, lang: str, position: int
) -> None:
    table = _expected(demo_db)
    name = table.index[position]
    at = _open(demo_db, monkeypatch, lang, customer=name)
    no_errors(at)
    assert at.header[0].value == fmt.escape_markdown(name)
    _standing_shown(at, table.loc[name], lang)
    assert at.query_params["customer"] == name
    assert not at.warning or all(label("card.risk.signals", lang) in w.value for w in at.warning)


def test_a_customer_beyond_the_picker_list_opens_from_the_link(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table = _expected(demo_db)
    name = table.index[view.SEARCH_LIMIT + 50]  # not among the first SEARCH_LIMIT options
    at = _open(demo_db, monkeypatch, "en", customer=name)
    no_errors(at)
    assert at.header[0].value == fmt.escape_markdown(name)
    _standing_shown(at, table.loc[name], "en")
    assert len(at.selectbox(key=view.CUSTOMER_KEY).options) == view.SEARCH_LIMIT + 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unknown_customer_falls_back_with_a_notice(demo_db: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    at = _open(demo_db, monkeypatch, lang, customer="没有这家公司")
    no_errors(at)
    notice = TEXTS["card.unknown_customer"][lang].format(name=fmt.escape_markdown("没有这家公司"))
    assert notice in [w.value for w in at.warning]
    assert at.header[0].value == fmt.escape_markdown(_expected(demo_db).index[0])
    assert "customer" not in at.query_params  # Streamlit dropped the invalid value


def test_search_narrows_the_picker_and_opens_the_biggest_match(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _open(demo_db, monkeypatch, "zh", customer=_expected(demo_db).index[3])  # a card is open
    at.text_input(key=view.SEARCH_KEY).input("医药").run()
    no_errors(at)
    found = _query(demo_db, customer_card.search, Filters(), "医药", view.SEARCH_LIMIT)
    assert 1 < len(found) < view.SEARCH_LIMIT
    picker = at.selectbox(key=view.CUSTOMER_KEY)
    # the matches, biggest first (the customer of the link stays selectable after them)
    assert picker.options[: len(found)] == found["customer_name"].tolist()
    assert at.header[0].value == fmt.escape_markdown(found["customer_name"].iloc[0])  # the biggest match
    at.text_input(key=view.SEARCH_KEY).input("zzz-nobody").run()
    no_errors(at)
    assert TEXTS["card.no_match"]["zh"].format(term="zzz\\-nobody") in [i.value for i in at.info]
    assert not at.metric  # no card without a customer


def test_picking_a_customer_updates_the_card(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(demo_db, monkeypatch, PAGE, "en")
    table = _expected(demo_db)
    name = table.index[7]
    found = _query(demo_db, customer_card.search, Filters(), name, 5, "exact")
    at.selectbox(key=view.CUSTOMER_KEY).set_value(int(found["customer_id"].iloc[0])).run()
    no_errors(at)
    assert at.header[0].value == fmt.escape_markdown(name)
    _standing_shown(at, table.loc[name], "en")


def test_shared_abc_cutoffs_move_the_class(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A cutoff of 5 %: the top customer (7 % of revenue) stays A, the second one becomes B
    settings = key_accounts.KeyAccountSettings(a_cut=0.05, b_cut=0.95)
    table = _expected(demo_db, settings)
    second = table.index[1]
    assert table.loc[second, "abc"] == "B"
    at = new_app(demo_db, monkeypatch, "zh")
    at.query_params["customer"] = second
    at.session_state["abc_cuts"] = (5, 95)
    at.run()
    at.switch_page(f"pages/{PAGE}.py").run()
    no_errors(at)
    _standing_shown(at, table.loc[second], "zh")


def test_churn_risk_and_horizon(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = churn.WarningRules()
    warnings = _query(demo_db, churn.early_warning, Filters(), None, rules, tiers.TierScheme())
    risky = warnings.iloc[0]  # the highest risk score
    name = str(risky["customer_name"])
    at = _open(demo_db, monkeypatch, "en", customer=name)
    no_errors(at)
    assert metric(at, "card.risk.score", "en") == f"{float(risky['risk_score']):,.4g} / 100"
    signals = [w.value for w in at.warning if TEXTS["card.risk.signals"]["en"] in w.value]
    assert len(signals) == 1 and signals[0].count("\n- ") == len(risky["risk_signals"]) > 0
    model = _query(demo_db, churn.bgnbd_summary, Filters(), None, 26.0)
    row = customer_card.row_of(model.customers, int(risky["customer_id"]))
    assert row is not None
    assert metric(at, "card.p_alive", "en") == fmt.percent(float(row["p_alive"]), "en")
    expected_label = TEXTS["card.expected"]["en"].format(weeks=26)
    shown = [m.value for m in at.metric if m.label == expected_label]
    assert shown == [f"{float(row['expected_purchases']):.1f}"]
    # a longer horizon: more expected purchases, as the model computes them
    at.number_input(key=view.HORIZON_KEY).set_value(52).run()
    no_errors(at)
    fitted = model.fit
    assert fitted is not None
    longer = bgnbd.conditional_expected_purchases(
        fitted, 52.0, row[["x"]].to_numpy(float), row[["t_x"]].to_numpy(float), row[["T"]].to_numpy(float)
    )[0]
    shown = [m.value for m in at.metric if m.label == TEXTS["card.expected"]["en"].format(weeks=52)]
    assert shown == [f"{float(longer):.1f}"]
    assert float(longer) > float(row["expected_purchases"])


def test_customer_without_purchases_in_the_period(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _query(demo_db, customer_card.search, Filters(), "", 5000)
    quiet = found[found["revenue"] == 0].iloc[0]
    at = _open(demo_db, monkeypatch, "zh", customer=str(quiet["customer_name"]))
    no_errors(at)
    assert metric(at, "card.kpi.revenue") == fmt.money(0.0, "zh")
    infos = [i.value for i in at.info]
    assert any(v.startswith(TEXTS["card.not_in_period"]["zh"].split("（")[0]) for v in infos)
    assert label("card.products.empty") in infos


def test_signal_words_cover_every_signal() -> None:
    row = pd.Series(
        {
            "orders_recent": 1,
            "orders_before": 4,
            "freq_change": -0.75,
            "aov_before": 1000.0,
            "aov_recent": 500.0,
            "value_change": -0.5,
            "days_since_last": 61,
            "median_gap_days": 28.0,
            "open_complaints": 1,
            "latest_score": 2.0,
            "previous_score": 4.0,
            "scale_min": 1.0,
            "scale_max": 5.0,
            "tier": "vip",
            "previous_tier": "gold",
            "risk_signals": list(churn.SIGNALS),
        }
    )
    texts = view.signal_texts(row, churn.WarningRules(), "en", "CNY")
    assert texts == [
        "Ordering less often: orders per 90 days 4 → 1 (-75%)",
        "Smaller orders: average order ¥1.0K → ¥500 (-50%)",
        "Overdue: 61 days since the last purchase, more than 2 × the usual gap of 28 days",
        "1 complaint still open",
        "Low satisfaction: latest score 2 on a 1–5 scale",
        "Satisfaction falling: 4 → 2",
        "Tier downgrade: Gold → VIP (last 12 months against the 12 before)",
    ]
    zh = view.signal_texts(row, churn.WarningRules(), "zh", "CNY")
    assert zh[3] == "有 1 条投诉尚未解决" and zh[6].startswith("客户等级下降：黄金 → 贵宾")


def test_translation_families_exist() -> None:
    for code in (*tiers.ABSOLUTE_TIERS, *tiers.RANK_TIERS):
        assert f"tier.{code}" in TEXTS
    for code in rfm.SEGMENTS:
        assert f"rfm.segment.{code}" in TEXTS and f"rfm.action.{rfm.ACTIONS[code]}" in TEXTS
    for code in churn.SIGNALS:
        assert f"card.signal.{code}" in TEXTS
    for code in bgnbd.REASON_CODES:
        assert f"card.bgnbd.{code}" in TEXTS
    for code in view.TAB_CODES:
        assert f"card.tab.{code}" in TEXTS


def test_tabs_keep_their_place_across_languages(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _open(demo_db, monkeypatch, "zh", card_tab="complaints")  # the link carries the tab's code
    no_errors(at)
    assert at.session_state[view.TAB_KEY] == TEXTS["card.tab.complaints"]["zh"]
    at.sidebar.radio(key="lang_switch").set_value("en").run()
    no_errors(at)
    assert at.session_state[view.TAB_KEY] == TEXTS["card.tab.complaints"]["en"]
    assert at.query_params["card_tab"] in ("complaints", ["complaints"])


def test_empty_store_shows_a_notice(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "empty.duckdb"
    shutil.copy(demo_db, db)
    con = store.connect(db)
    try:
        demo.remove_demo(con)  # leaves undone uploads: the demo does not come back
    finally:
        con.close()
    at = open_page(db, monkeypatch, PAGE, "en")
    no_errors(at)
    assert label("card.no_data", "en") in [w.value for w in at.warning]
    assert not at.metric


def test_picker_labels_tell_equal_names_apart() -> None:
    found = pd.DataFrame({"customer_id": [1, 2, 3], "customer_name": ["Same", "Same", "Other"]})
    assert view._labels(found) == {1: "Same · #1", 2: "Same · #2", 3: "Other"}
    twin = view._DUPLICATE_LABEL.match("Same · #2")
    assert twin is not None and twin.group("name") == "Same"
