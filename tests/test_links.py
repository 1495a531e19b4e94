"""The view is the URL (AppTest): a link setting every control of a page opens that view, in both languages.

Each case opens the app with a query string of non-default values (as a copied link would hold),
then checks that every widget shows its value and that the page's headline numbers equal the
analytics computed directly with those settings. Shared settings are carried by links of other
pages (ABC cutoffs on the Customer card, the churn window on Satisfaction, tier floors on the Key
accounts list). Bad or stale parameters fall back to their defaults with a notice, never an error.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pagetest import label, metric, new_app, no_errors
from streamlit.testing.v1 import AppTest

from analytics import (
    churn,
    customer_facts,
    key_accounts,
    pareto,
    rfm,
    satisfaction,
    store,
    summary,
    tiers,
)
from analytics.filters import Filters
from ui import churn_view, customer_card_view
from ui import format as fmt
from ui import satisfaction_view as sat_view
from ui.i18n import t, tier_name

T = TypeVar("T")
LANGS = ["zh", "en"]
Params = dict[str, str | list[str]]


def on(db: Path, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(con, *args)`` on the database file, outside the app."""
    con = store.connect(db)
    try:
        return fn(con, *args, **kwargs)
    finally:
        con.close()


def open_link(db: Path, monkeypatch: pytest.MonkeyPatch, page: str, params: Params, lang: str) -> AppTest:
    """The app opened with ``params`` in the URL, then on ``pages/<page>.py`` (AppTest needs a first run)."""
    at = new_app(db, monkeypatch, lang)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(f"pages/{page}.py").run()


def url_value(at: AppTest, key: str) -> list[str]:
    """The URL's values of ``key`` after the run (AppTest unwraps a single value)."""
    value = at.query_params.get(key)
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def assert_link_kept(at: AppTest, params: Params) -> None:
    """Every parameter of the link is still in the URL after the runs (nothing was dropped as invalid)."""
    for key, value in params.items():
        assert url_value(at, key) == ([value] if isinstance(value, str) else value), key


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


def metric_value(at: AppTest, text: str) -> str:
    values = [m.value for m in at.metric if m.label == text]
    assert values, f"no metric {text!r} among {[m.label for m in at.metric]}"
    return values[0]


def period_facts(db: Path, filters: Filters | None = None) -> key_accounts.PeriodFacts:
    return on(db, key_accounts.period_facts, filters or Filters())


# ---------------------------------------------------------------- home: the sidebar filters


@pytest.mark.parametrize("lang", LANGS)
def test_home_link(demo_db, monkeypatch, lang):
    region = on(demo_db, summary.filter_options).regions[1]
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    params: Params = {"region": region, "period": [str(start), str(end)]}
    at = open_link(demo_db, monkeypatch, "home", params, lang)
    no_errors(at)
    assert at.sidebar.multiselect(key="region").value == [region]
    assert at.sidebar.date_input(key="period").value == (start, end)
    expected = on(demo_db, summary.kpis, Filters(regions=(region,), date_from=start, date_to=end))
    assert metric(at, "kpi.transactions", lang) == fmt.integer(expected.transactions)
    assert metric(at, "kpi.customers", lang) == fmt.integer(expected.customers)
    assert_link_kept(at, params)


# ---------------------------------------------------------------- key accounts


@pytest.mark.parametrize("lang", LANGS)
def test_key_accounts_pareto_link(demo_db, monkeypatch, lang):
    params: Params = {"top_share": "30", "abc_cuts": ["70", "90"], "ka_dim": "region", "ka_pareto_data": "true"}
    at = open_link(demo_db, monkeypatch, "key_accounts", params, lang)
    no_errors(at)
    assert at.slider(key="top_share").value == 30
    assert at.slider(key="abc_cuts").value == (70, 90)
    assert at.button_group(key="ka_dim").value == "region"
    assert at.session_state["ka_tab"] == t("ka.tab.pareto", lang)
    assert at.session_state["ka_pareto_data"] is True
    facts = period_facts(demo_db)
    head = pareto.headline(facts.facts, 0.3)
    assert head is not None
    assert "30%" in at.subheader[0].value and fmt.percent(head.top_revenue_share, lang) in at.subheader[0].value
    counts = pareto.abc(facts.facts, 0.7, 0.9)["abc_class"].astype(str).value_counts()
    for cls in pareto.ABC_CLASSES:
        assert metric_value(at, t("ka.kpi_class", lang, cls=cls)) == fmt.integer(int(counts.get(cls, 0)))
    # the Pareto chart ranks regions: its title names them and their top-30% share
    assert facts.bounds is not None
    items = on(demo_db, customer_facts.dimension_facts, facts.bounds.current_filters(Filters()), "region")
    item_head = pareto.headline(pareto.rank(items, key="item", unit="item"), 0.3)
    assert item_head is not None
    title = chart_titles(at)[0]
    assert t("ka.unit.region", lang) in title and fmt.percent(item_head.top_revenue_share, lang) in title
    assert_link_kept(at, params)


@pytest.mark.parametrize("lang", LANGS)
def test_key_accounts_list_link_carries_the_pyramid_floors(demo_db, monkeypatch, lang):
    params: Params = {"ka_tab": "list", "abc_cuts": ["60", "90"], "tier_vip": "20000", "tier_gold": "400000"}
    at = open_link(demo_db, monkeypatch, "key_accounts", params, lang)
    no_errors(at)
    assert at.session_state["ka_tab"] == t("ka.tab.list", lang)
    scheme = tiers.TierScheme(thresholds=tiers.AbsoluteThresholds(gold=400_000.0, vip=20_000.0))
    settings = key_accounts.KeyAccountSettings(a_cut=0.6, b_cut=0.9, scheme=scheme)
    expected = key_accounts.customer_table(period_facts(demo_db), settings)
    shown = at.dataframe[0].value
    assert shown[t("ka.col.tier", lang)].tolist() == [tier_name(code, lang) for code in expected["tier"]]
    assert shown[t("col.abc", lang)].tolist() == expected["abc"].tolist()
    assert_link_kept(at, params)


@pytest.mark.parametrize("lang", LANGS)
def test_key_accounts_lorenz_link(demo_db, monkeypatch, lang):
    params: Params = {"ka_tab": "lorenz", "ka_lorenz_data": "true"}
    at = open_link(demo_db, monkeypatch, "key_accounts", params, lang)
    no_errors(at)
    assert at.session_state["ka_tab"] == t("ka.tab.lorenz", lang)
    assert at.session_state["ka_lorenz_data"] is True
    facts = period_facts(demo_db).facts
    head, half = pareto.headline(facts, 0.2), pareto.headline(facts, 0.5)
    assert head is not None and half is not None
    bottom = fmt.percent(1.0 - half.top_revenue_share, lang)
    assert chart_titles(at)[0] == t("ka.lorenz_title", lang, gini=f"{head.gini:.2f}", bottom=bottom)
    assert_link_kept(at, params)


# ---------------------------------------------------------------- pyramid


def tier_counts(db: Path, scheme: tiers.TierScheme) -> dict[str, int]:
    table = tiers.tier_table(tiers.assign_tiers(period_facts(db).facts, scheme), scheme)
    return dict(zip(table["tier"], table["customers"], strict=True))


@pytest.mark.parametrize("lang", LANGS)
def test_pyramid_floors_link(demo_db, monkeypatch, lang):
    floors = {"tier_diamond": 4_000_000, "tier_platinum": 800_000, "tier_gold": 300_000, "tier_vip": 20_000}
    params: Params = {key: str(value) for key, value in floors.items()}
    params |= {"upgrade_growth": "100", "upgrade_revenue": "20000"}
    at = open_link(demo_db, monkeypatch, "pyramid", params, lang)
    no_errors(at)
    assert at.button_group(key="tier_mode").value == "absolute"
    for key, value in floors.items():
        assert at.number_input(key=key).value == value
    assert at.slider(key="upgrade_growth").value == 100
    assert at.number_input(key="upgrade_revenue").value == 20_000
    scheme = tiers.TierScheme(thresholds=tiers.AbsoluteThresholds(*map(float, floors.values())))
    for code, customers in tier_counts(demo_db, scheme).items():
        assert metric_value(at, tier_name(code, lang)) == fmt.integer(customers)
    moved = on(demo_db, tiers.period_migration, Filters(), scheme)
    assert moved is not None
    candidates = tiers.upgrade_candidates(moved, min_growth=1.0, min_revenue=20_000.0)
    assert len(at.dataframe[-1].value) == len(candidates) > 0
    assert_link_kept(at, params)


@pytest.mark.parametrize("lang", LANGS)
def test_pyramid_rank_link(demo_db, monkeypatch, lang):
    params: Params = {"tier_mode": "rank", "share_key": "10", "share_major": "20", "share_ordinary": "40"}
    at = open_link(demo_db, monkeypatch, "pyramid", params, lang)
    no_errors(at)
    assert at.button_group(key="tier_mode").value == "rank"
    assert [at.slider(key=k).value for k in ("share_key", "share_major", "share_ordinary")] == [10, 20, 40]
    scheme = tiers.TierScheme(mode="rank", shares=tiers.RankShares(0.1, 0.2, 0.4))
    for code, customers in tier_counts(demo_db, scheme).items():
        assert metric_value(at, tier_name(code, lang)) == fmt.integer(customers)
    assert_link_kept(at, params)


# ---------------------------------------------------------------- RFM


@pytest.mark.parametrize("lang", LANGS)
def test_rfm_link(demo_db, monkeypatch, lang):
    params: Params = {"rfm_segment": "at_risk"}
    at = open_link(demo_db, monkeypatch, "rfm", params, lang)
    no_errors(at)
    assert at.selectbox(key="rfm_segment").value == "at_risk"
    data = period_facts(demo_db)
    assert data.bounds is not None
    scored = rfm.rfm(data.facts, data.bounds.as_of)
    assert metric(at, "rfm.scored", lang) == fmt.integer(len(scored))
    assert len(at.dataframe[-1].value) == int((scored["segment"] == "at_risk").sum()) > 0
    assert_link_kept(at, params)


# ---------------------------------------------------------------- churn: one link per tab

CHURN_TABS: dict[str, dict[str, str]] = {
    "trend": {"churn_trend_points": "12"},
    "profile": {"churn_profile_dimension": "tier"},
    "cohorts": {"churn_cohorts": "10", "churn_cohort_months": "6"},
    "at_risk": {
        "overdue_k": "3",
        "overdue_floor": "45",
        "churn_horizon": "13",
        "churn_min_score": "50",
        "churn_rules": "true",
        "churn_rule_recent_days": "120",
        "churn_rule_weight_overdue": "50",
    },
    "model_check": {"churn_calibration_end": "2024-03-31"},
    "what_if": {"churn_reduction": "10"},
}


def churn_widget_value(at: AppTest, key: str) -> Any:
    for kind in ("slider", "number_input", "button_group", "date_input"):
        found: list[Any] = [w for w in at.get(kind) if getattr(w, "key", None) == key]
        if found:
            return found[0].value
    return at.session_state[key]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("tab", churn_view.TAB_CODES)
def test_churn_link(demo_db, monkeypatch, lang, tab):
    params: Params = {"churn_window": "6", **({"churn_tab": tab} if tab != "trend" else {}), **CHURN_TABS[tab]}
    at = open_link(demo_db, monkeypatch, "churn", params, lang)
    no_errors(at)
    assert at.slider(key="churn_window").value == 6
    assert at.session_state[churn_view.TAB_KEY] == t(f"churn.tab.{tab}", lang)
    for key, value in CHURN_TABS[tab].items():
        shown = churn_widget_value(at, key)
        expected: Any = {"true": True}.get(value, value)
        if isinstance(shown, dt.date):
            expected = dt.date.fromisoformat(value)
        elif isinstance(shown, int | float) and not isinstance(shown, bool):
            expected = float(value)
        assert shown == expected, key
    headline = on(demo_db, churn.churn_summary, Filters(), None, 6)
    assert metric(at, "churn.rate", lang) == fmt.percent(headline.churn_rate, lang)
    assert metric(at, "churn.lost", lang) == fmt.integer(headline.lost)
    if tab == "at_risk":
        rules = churn.WarningRules(recent_days=120, weight_overdue=50.0, overdue_k=3.0, overdue_floor_days=45)
        warning = on(demo_db, churn.early_warning, Filters(), None, rules, tiers.TierScheme())
        high = int((warning["risk_score"] >= 50 - 1e-9).sum())
        caption = t("churn.at_risk_count", lang, n=high, total=len(warning), score=50)
        assert caption in [c.value for c in at.caption]
    assert_link_kept(at, params)


# ---------------------------------------------------------------- satisfaction


@pytest.mark.parametrize("lang", LANGS)
def test_satisfaction_link_with_the_shared_churn_window(demo_db, monkeypatch, lang):
    params: Params = {"sat_days": "60", "sat_pair_days": "180", "churn_window": "6", "sat_loyalty_tables": "true"}
    at = open_link(demo_db, monkeypatch, "satisfaction", params, lang)
    no_errors(at)
    assert at.number_input(key="sat_days").value == 60
    assert at.number_input(key="sat_pair_days").value == 180
    assert at.session_state["sat_loyalty_tables"] is True
    loyalty = on(demo_db, satisfaction.repurchase_by_score, Filters(), 60, 6)
    assert loyalty.top_vs_next_ratio is not None
    ratio = t("sat.loyalty.ratio_value", lang, ratio=sat_view.ratio_text(loyalty.top_vs_next_ratio))
    assert metric(at, "sat.loyalty.ratio", lang) == ratio
    assert loyalty.data_end is not None
    captions = [c.value for c in at.caption]
    assert t("sat.loyalty.caption", lang, days=60, months=6, end=fmt.date(loyalty.data_end, lang)) in captions
    pairs = on(demo_db, satisfaction.satisfaction_around_complaints, Filters(), 180)
    everyone = on(demo_db, satisfaction.satisfaction_around_complaints, Filters(), None)
    assert 0 < pairs.pairs < everyone.pairs  # the 180-day limit leaves pairs out
    counted = label("sat.around.caption", lang).format(
        pairs=fmt.integer(pairs.pairs, lang), customers=fmt.integer(pairs.customers, lang), test=""
    )
    assert any(c.startswith(counted) for c in captions)  # the p-value may follow
    assert_link_kept(at, params)


# ---------------------------------------------------------------- customer card


@pytest.mark.parametrize("lang", LANGS)
def test_customer_card_link_with_the_shared_abc_cutoffs(demo_db, monkeypatch, lang):
    data = period_facts(demo_db)
    table = key_accounts.customer_table(data, key_accounts.KeyAccountSettings(a_cut=0.5, b_cut=0.95))
    row = table.loc[table["abc"] == "B"].iloc[0]  # class B at 50/95 cutoffs, class A at the default 80/95
    assert key_accounts.customer_table(data, key_accounts.KeyAccountSettings()).loc[row.name, "abc"] == "A"
    name = str(row["customer"])
    term = "有限公司"  # the search lists many customers, the picked one is not the first of them
    assert term in name
    params: Params = {
        "customer": name,
        "card_search": term,
        "card_horizon": "52",
        "card_tab": "products",
        "abc_cuts": ["50", "95"],
    }
    at = open_link(demo_db, monkeypatch, "customer_card", params, lang)
    no_errors(at)
    assert at.selectbox(key=customer_card_view.CUSTOMER_KEY).value == int(row["customer_id"])
    assert at.text_input(key=customer_card_view.SEARCH_KEY).value == term
    assert at.number_input(key=customer_card_view.HORIZON_KEY).value == 52
    assert at.session_state[customer_card_view.TAB_KEY] == t("card.tab.products", lang)
    assert at.header[0].value == fmt.escape_markdown(name)
    assert metric(at, "card.kpi.revenue", lang) == fmt.money(row["revenue"], lang)
    badges = " ".join(m.value for m in at.markdown)
    assert t("card.badge.abc", lang, abc="B") in badges  # the cutoffs of the link, not the defaults
    assert any(m.label == t("card.expected", lang, weeks=52) for m in at.metric)
    assert_link_kept(at, params)


# ---------------------------------------------------------------- bad and stale links

BAD: Params = {
    "region": "火星",  # a region that is not in the data
    "period": ["1990-01-01", "1990-02-01"],  # before the ledger
    "top_share": "500",  # beyond the slider
    "abc_cuts": ["95", "80"],  # the ends swapped
    "churn_window": "99",
    "tier_mode": "按排名比例",  # a label, not a code
    "tier_vip": "lots",  # not a number
    "tier_gold": "nan",
}
LOCAL_BAD: Params = {"ka_dim": "nowhere", "ka_tab": "pie"}


@pytest.mark.parametrize("lang", LANGS)
def test_bad_link_falls_back_with_a_notice(demo_db, monkeypatch, lang):
    at = new_app(demo_db, monkeypatch, lang)
    for key, value in {**BAD, **LOCAL_BAD}.items():
        at.query_params[key] = value
    at.run()
    no_errors(at)
    toasts = [toast.value for toast in at.toast]
    assert len(toasts) == 1
    for key in BAD:
        assert key in toasts[0]
        assert key not in at.query_params
    assert toasts[0].startswith(label("link.stale", lang).split("{")[0])
    at.switch_page("pages/key_accounts.py").run()
    no_errors(at)
    assert at.slider(key="top_share").value == 20 and at.slider(key="abc_cuts").value == (80, 95)
    assert at.button_group(key="ka_dim").value == "customer"
    assert at.session_state["ka_tab"] == t("ka.tab.pareto", lang)
    for key in LOCAL_BAD:
        assert key not in at.query_params
    at.switch_page("pages/pyramid.py").run()
    no_errors(at)
    assert at.button_group(key="tier_mode").value == "absolute"
    assert at.number_input(key="tier_vip").value == 10_000.0


def test_contradicting_floors_keep_the_last_ladder_on_every_page(demo_db, monkeypatch):
    at = open_link(demo_db, monkeypatch, "pyramid", {"tier_gold": "300000"}, "en")
    no_errors(at)
    # gold above platinum: the pyramid warns and keeps the last valid ladder (gold 300,000) …
    at.number_input(key="tier_gold").set_value(2_000_000.0).run()
    no_errors(at)
    kept_gold = fmt.escape_markdown(fmt.money(300_000.0, "en"))
    assert at.warning and f"{tier_name('gold', 'en')} ≥ {kept_gold}" in at.warning[0].value
    kept = tiers.TierScheme(thresholds=tiers.AbsoluteThresholds(gold=300_000.0))
    for code, customers in tier_counts(demo_db, kept).items():
        assert metric_value(at, tier_name(code, "en")) == fmt.integer(customers)
    # … and so does the Key accounts list (not the default ladder)
    at.session_state["ka_tab"] = t("ka.tab.list", "en")
    at.switch_page("pages/key_accounts.py").run()
    no_errors(at)
    expected = key_accounts.customer_table(period_facts(demo_db), key_accounts.KeyAccountSettings(scheme=kept))
    shown = at.dataframe[0].value
    assert shown[t("ka.col.tier", "en")].tolist() == [tier_name(code, "en") for code in expected["tier"]]
    assert url_value(at, "tier_gold") == ["2000000"]  # the link keeps what the user typed
