"""The Churn page (pages/churn.py) under AppTest: demo company, CDNOW sample, tiny and empty data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pagetest import label, metric, new_app, no_errors
from streamlit.testing.v1 import AppTest

from analytics import bgnbd, churn, ingest, satisfaction, store, tiers
from analytics.filters import Filters
from ui import churn_view
from ui import format as fmt
from ui.i18n import TEXTS

CDNOW = Path(__file__).parent / "fixtures" / "cdnow_sample.txt"
DEMO_AS_OF = dt.date(2025, 12, 31)  # the demo company's last transaction
HEADLINE = ("churn.active", "churn.lost", "churn.rate", "churn.revenue_churn", "churn.nrr")


def open_tab(db: Path, monkeypatch: pytest.MonkeyPatch, lang: str, tab: str) -> AppTest:
    """The Churn page with ``tab`` open (the tabs keep the open tab's label under ``churn_tab``)."""
    at = new_app(db, monkeypatch, lang).run()
    at.switch_page("pages/churn.py")
    at.session_state[churn_view.TAB_KEY] = TEXTS[f"churn.tab.{tab}"][lang]
    return at.run()


def shown_headline(at: AppTest, lang: str) -> dict[str, str]:
    return {key: metric(at, key, lang) for key in HEADLINE}


def ledger(db: Path) -> pd.DataFrame:
    con = store.connect(db)
    try:
        return con.execute("select customer_id, order_date, amount from v_ledger").df()
    finally:
        con.close()


def hand_churn(lines: pd.DataFrame, previous: tuple[dt.date, dt.date], current: tuple[dt.date, dt.date]) -> dict:
    """Lost, churn rate, revenue churn and NRR straight from the ledger lines (independent of analytics)."""
    day = pd.to_datetime(lines["order_date"]).dt.date

    def window(bounds: tuple[dt.date, dt.date]) -> pd.DataFrame:
        return lines[(day >= bounds[0]) & (day <= bounds[1])]

    before, now = window(previous), window(current)
    active = set(before.loc[before["amount"] > 0, "customer_id"])
    buying_now = set(now.loc[now["amount"] > 0, "customer_id"])
    lost = active - buying_now
    revenue_before = before.groupby("customer_id")["amount"].sum().astype(float)
    revenue_now = now.groupby("customer_id")["amount"].sum().astype(float)
    prior = revenue_before.reindex(sorted(active)).sum()
    return {
        "active": len(active),
        "lost": len(lost),
        "rate": len(lost) / len(active),
        "revenue_churn": revenue_before.reindex(sorted(lost)).sum() / prior,
        "nrr": revenue_now.reindex(sorted(active)).fillna(0.0).sum() / prior,
    }


def formatted(values: dict, lang: str) -> dict[str, str]:
    return {
        "churn.active": fmt.integer(values["active"]),
        "churn.lost": fmt.integer(values["lost"]),
        "churn.rate": fmt.percent(values["rate"], lang),
        "churn.revenue_churn": fmt.percent(values["revenue_churn"], lang),
        "churn.nrr": fmt.percent(values["nrr"], lang),
    }


def from_summary(summary: churn.ChurnSummary) -> dict:
    return {
        "active": summary.active_at_start,
        "lost": summary.lost,
        "rate": summary.churn_rate,
        "revenue_churn": summary.revenue_churn,
        "nrr": summary.net_revenue_retention,
    }


@pytest.fixture(scope="module")
def demo_summaries(demo_db: Path) -> dict[int, churn.ChurnSummary]:
    con = store.connect(demo_db)
    try:
        return {w: churn.churn_summary(con, Filters(), window_months=w) for w in (12, 6)}
    finally:
        con.close()


# ---------------------------------------------------------------- headline and window slider


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headline_equals_churn_summary_and_follows_the_window(demo_db, demo_summaries, monkeypatch, lang):
    at = open_tab(demo_db, monkeypatch, lang, "trend")
    no_errors(at)
    assert at.title[0].value == label("churn.title", lang)
    assert at.slider(key="churn_window").value == 12
    # default window: 2024 (previous) against 2025 (current), computed by hand from the ledger too
    lines = ledger(demo_db)
    by_hand = hand_churn(lines, (dt.date(2024, 1, 1), dt.date(2024, 12, 31)), (dt.date(2025, 1, 1), DEMO_AS_OF))
    assert shown_headline(at, lang) == formatted(from_summary(demo_summaries[12]), lang) == formatted(by_hand, lang)

    at.slider(key="churn_window").set_value(6).run()
    no_errors(at)
    six = hand_churn(lines, (dt.date(2025, 1, 1), dt.date(2025, 6, 30)), (dt.date(2025, 7, 1), DEMO_AS_OF))
    assert shown_headline(at, lang) == formatted(from_summary(demo_summaries[6]), lang) == formatted(six, lang)
    assert six["lost"] != by_hand["lost"] and six["active"] != by_hand["active"]
    # the formula is in the help text, with the numbers
    rate = next(m for m in at.metric if m.label == label("churn.rate", lang))
    assert f"{fmt.integer(six['lost'])} ÷ {fmt.integer(six['active'])}" in rate.help


@pytest.mark.parametrize("tab", churn_view.TAB_CODES)
def test_the_end_of_the_date_range_is_the_as_of_date(demo_db, monkeypatch, tab):
    at = open_tab(demo_db, monkeypatch, "en", tab)
    at.sidebar.date_input(key="period").set_value((dt.date(2023, 1, 1), dt.date(2024, 6, 30))).run()
    no_errors(at)
    by_hand = hand_churn(
        ledger(demo_db), (dt.date(2022, 7, 1), dt.date(2023, 6, 30)), (dt.date(2023, 7, 1), dt.date(2024, 6, 30))
    )
    assert shown_headline(at, "en") == formatted(by_hand, "en")
    if tab == "model_check":  # the holdout ends at the as-of date: 2.5 years of history → 52 weeks
        assert at.date_input(key="churn_calibration_end").value == dt.date(2024, 6, 30) - dt.timedelta(weeks=52)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("tab", churn_view.TAB_CODES)
def test_every_tab_renders(demo_db, monkeypatch, lang, tab):
    at = open_tab(demo_db, monkeypatch, lang, tab)
    no_errors(at)
    assert not at.warning, [w.value for w in at.warning]
    assert at.tabs[churn_view.TAB_CODES.index(tab)].label == TEXTS[f"churn.tab.{tab}"][lang]
    charts = {"trend": 1, "profile": 1, "cohorts": 1, "at_risk": 0, "model_check": 2, "what_if": 0}[tab]
    assert len(at.get("plotly_chart")) == charts


def test_tab_survives_a_language_switch(demo_db, monkeypatch):
    at = open_tab(demo_db, monkeypatch, "zh", "model_check")
    at.sidebar.radio(key="lang_switch").set_value("en").run()
    no_errors(at)
    assert at.session_state[churn_view.TAB_KEY] == "Model check"
    assert metric(at, "churn.param_r", "en")  # the model-check tab is still the open one


def test_trend_points_equal_churn_over_time(demo_db, monkeypatch):
    at = open_tab(demo_db, monkeypatch, "en", "trend")
    table = at.dataframe[0].value
    con = store.connect(demo_db)
    try:
        expected = churn.churn_over_time(con, Filters(), 12, 24)
    finally:
        con.close()
    assert len(table) == 24
    assert table["Lost"].tolist() == expected["lost"].tolist()
    assert table["Churn rate"].to_numpy() == pytest.approx(expected["churn_rate"].to_numpy())
    assert f"{fmt.percent(expected['churn_rate'].iloc[-1], 'en')} at Dec 2025" in at.get("plotly_chart")[0].proto.spec


def test_profile_by_tier_translates_codes(demo_db, monkeypatch):
    at = open_tab(demo_db, monkeypatch, "zh", "profile")
    at.segmented_control(key="churn_profile_dimension").set_value("tier").run()
    no_errors(at)
    profile = at.dataframe[0].value
    con = store.connect(demo_db)
    try:
        expected = churn.lost_profile(con, Filters())
    finally:
        con.close()
    tiers_expected = expected[expected["dimension"] == "tier"]
    names = {TEXTS[f"tier.{code}"]["zh"] for code in tiers.ABSOLUTE_TIERS}
    assert set(profile["客户等级"]) <= names
    assert profile["流失客户"].sum() == tiers_expected["lost"].sum() == 279


# ---------------------------------------------------------------- at-risk list


def test_at_risk_list_has_signals_in_words_and_p_alive(demo_db, monkeypatch):
    at = open_tab(demo_db, monkeypatch, "zh", "at_risk")
    no_errors(at)
    table = at.dataframe[0].value
    con = store.connect(demo_db)
    try:
        warning = churn.early_warning(con, Filters(), rules=churn.WarningRules(), scheme=tiers.TierScheme())
        model = churn.bgnbd_summary(con, Filters(), horizon_weeks=26.0)
    finally:
        con.close()
    risky = warning[warning["risk_score"] >= 30].reset_index(drop=True)
    assert len(table) == len(risky) > 0
    top = risky.iloc[0]
    assert table["客户"].iloc[0] == top["customer_name"]
    assert table["风险分"].iloc[0] == top["risk_score"]
    prediction = model.customers.set_index("customer_id").loc[top["customer_id"]]
    assert table["在世概率 P(alive)"].iloc[0] == pytest.approx(prediction["p_alive"])
    assert table["未来 26 周预计购买次数"].iloc[0] == pytest.approx(prediction["expected_purchases"])
    # the words come from the codes and numbers, never from the English risk_text
    words = table["预警信号"].iloc[0]
    assert "days" not in words and "freq_falling" not in words
    if "freq_falling" in top["risk_signals"]:
        assert f"订单 {int(top['orders_before'])}→{int(top['orders_recent'])} 笔" in words
    if "overdue" in top["risk_signals"]:
        assert f"已 {int(top['days_since_last'])} 天未购" in words
    assert len(words.split("；")) == len(top["risk_signals"])


def test_overdue_k_and_weights_change_the_list(demo_db, monkeypatch):
    at = open_tab(demo_db, monkeypatch, "en", "at_risk")
    at.number_input(key="overdue_k").set_value(4.0).run()
    at.number_input(key="churn_rule_weight_overdue").set_value(50.0).run()
    no_errors(at)
    con = store.connect(demo_db)
    try:
        rules = churn.WarningRules(overdue_k=4.0, weight_overdue=50.0)
        warning = churn.early_warning(con, Filters(), rules=rules, scheme=tiers.TierScheme())
    finally:
        con.close()
    assert len(at.dataframe[0].value) == int((warning["risk_score"] >= 30).sum())
    rule_list = [m.value for m in at.markdown if "**Overdue** (weight 50)" in m.value]
    assert rule_list and "> 4 × the customer's median gap" in rule_list[0]


def test_all_weights_zero_falls_back_with_a_warning(demo_db, monkeypatch):
    at = open_tab(demo_db, monkeypatch, "en", "at_risk")
    for code in churn.SIGNALS:
        at.number_input(key=f"churn_rule_weight_{code}").set_value(0.0)
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == [label("churn.rules_invalid", "en")]
    assert len(at.dataframe) == 1


# ---------------------------------------------------------------- model check


def shown_fit(at: AppTest, lang: str) -> dict[str, float]:
    keys = {"r": "churn.param_r", "alpha": "churn.param_alpha", "a": "churn.param_a", "b": "churn.param_b"}
    values = {name: float(metric(at, key, lang)) for name, key in keys.items()}
    return values | {"loglik": float(metric(at, "churn.param_loglik", lang).replace(",", ""))}


def direct_fit(db: Path, calibration_end: dt.date) -> bgnbd.BgNbdFit:
    con = store.connect(db)
    try:
        triplets = bgnbd.rfm_triplets(con, Filters(), calibration_end)
    finally:
        con.close()
    return bgnbd.fit(triplets["x"], triplets["t_x"], triplets["T"])


def assert_fit_shown(at: AppTest, lang: str, fitted: bgnbd.BgNbdFit) -> None:
    shown = shown_fit(at, lang)
    for name in ("r", "alpha", "a", "b"):
        assert shown[name] == pytest.approx(getattr(fitted, name), rel=1e-3), name
    assert shown["loglik"] == pytest.approx(fitted.loglik, abs=0.05)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_model_check_shows_the_direct_fit(demo_db, monkeypatch, lang):
    at = open_tab(demo_db, monkeypatch, lang, "model_check")
    no_errors(at)
    # default calibration end: half the 4-year history, capped at 52 weeks = 364 days before the as-of date
    default = at.date_input(key="churn_calibration_end").value
    assert isinstance(default, dt.date)
    assert default == DEMO_AS_OF - dt.timedelta(days=364) == dt.date(2025, 1, 1)
    assert_fit_shown(at, lang, direct_fit(demo_db, default))
    at.date_input(key="churn_calibration_end").set_value(dt.date(2024, 6, 30)).run()
    no_errors(at)
    assert_fit_shown(at, lang, direct_fit(demo_db, dt.date(2024, 6, 30)))


@pytest.fixture(scope="module")
def cdnow_raw() -> pd.DataFrame:
    return pd.read_csv(
        CDNOW,
        sep=r"\s+",
        header=None,
        names=["master_id", "sample_id", "date", "cds", "dollars"],
        dtype={"master_id": str, "sample_id": str, "date": str},
    )


@pytest.fixture(scope="module")
def cdnow_db(tmp_path_factory: pytest.TempPathFactory, cdnow_raw: pd.DataFrame) -> Path:
    """A store holding the CDNOW sample, uploaded as a user would: a CSV of customer, date, amount."""
    folder = tmp_path_factory.mktemp("cdnow")
    csv = folder / "cdnow_sample.csv"
    dates = pd.to_datetime(cdnow_raw["date"], format="%Y%m%d").dt.strftime("%Y-%m-%d")
    pd.DataFrame({"customer": cdnow_raw["master_id"], "date": dates, "amount": cdnow_raw["dollars"]}).to_csv(
        csv, index=False
    )
    db = folder / "karadar.duckdb"
    con = store.connect(db)
    try:
        result = ingest.ingest_file(con, csv)
    finally:
        con.close()
    assert result.status == "stored" and result.rows_stored == 6919
    return db


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_model_check_reproduces_fader_hardie_lee_on_cdnow(cdnow_db, cdnow_raw, monkeypatch, lang):
    at = open_tab(cdnow_db, monkeypatch, lang, "model_check")
    at.date_input(key="churn_calibration_end").set_value(dt.date(1997, 9, 30)).run()
    no_errors(at)
    # FHL 2005: r = 0.2426, α = 4.4135, a = 0.7929, b = 2.4258, LL = −9582.43
    shown = shown_fit(at, lang)
    assert shown["r"] == pytest.approx(0.2426, abs=1e-4)
    assert shown["alpha"] == pytest.approx(4.4135, abs=1e-3)
    assert shown["a"] == pytest.approx(0.7929, abs=1e-4)
    assert shown["b"] == pytest.approx(2.4258, abs=1e-3)
    assert shown["loglik"] == pytest.approx(-9582.43, abs=0.05)
    # holdout by calibration frequency, counted by hand from the raw file (purchase days per customer)
    days = cdnow_raw.assign(day=pd.to_datetime(cdnow_raw["date"], format="%Y%m%d")).drop_duplicates(
        ["master_id", "day"]
    )
    calibration = days["day"] <= "1997-09-30"
    x = days[calibration].groupby("master_id").size() - 1
    holdout = days[~calibration].groupby("master_id").size().reindex(x.index, fill_value=0)
    group = np.minimum(x, 7)
    table = at.dataframe[0].value
    frequency, customers, actual = table.columns[:3]
    assert table[frequency].tolist() == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert table[customers].tolist() == group.value_counts().sort_index().tolist()
    assert table[actual].to_numpy() == pytest.approx(holdout.groupby(group).mean().to_numpy())
    assert int(holdout.sum()) == 1882
    spec = at.get("plotly_chart")[0].proto.spec
    assert "1,882" in spec  # the title states the actual holdout total


def test_default_calibration_end_on_cdnow_is_the_paper_split(cdnow_db, monkeypatch):
    at = open_tab(cdnow_db, monkeypatch, "en", "model_check")
    assert at.date_input(key="churn_calibration_end").value == dt.date(1997, 9, 30)


# ---------------------------------------------------------------- little or no data


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five customers: too few for BG/NBD, enough for the rule-based figures."""
    folder = tmp_path_factory.mktemp("tiny")
    csv = folder / "tiny.csv"
    rows = [(f"C{i}", f"2024-{m:02d}-15", 100.0 * (i + 1)) for i in range(5) for m in (1, 4)]
    rows += [("C0", "2025-03-01", 50.0), ("C1", "2025-05-01", 80.0)]
    pd.DataFrame(rows, columns=["customer", "date", "amount"]).to_csv(csv, index=False)
    db = folder / "karadar.duckdb"
    con = store.connect(db)
    try:
        assert ingest.ingest_file(con, csv).status == "stored"
    finally:
        con.close()
    return db


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("tab", ["model_check", "at_risk"])
def test_failed_fit_shows_its_reason(tiny_db, monkeypatch, lang, tab):
    at = open_tab(tiny_db, monkeypatch, lang, tab)
    no_errors(at)
    # as of the last purchase (2025-05-01): all five bought in the previous window (Jan/Apr 2024), only C0
    # and C1 bought again in the current one (2024-05-02 … 2025-05-01) → 3 lost
    assert metric(at, "churn.lost", lang) == "3"
    reason = label("churn.reason.too_few_customers", lang)
    assert [w.value for w in at.warning] == [TEXTS["churn.no_model"][lang].format(reason=reason)]
    assert "Traceback" not in str(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_empty_filter_shows_info(demo_db, monkeypatch, lang):
    at = new_app(demo_db, monkeypatch, lang).run()
    at.switch_page("pages/churn.py").run()
    at.sidebar.multiselect(key="region").set_value(["华东"])
    at.sidebar.multiselect(key="rep").set_value(["刘洋"])  # 刘洋 sells in 华中 only
    at.run()
    no_errors(at)
    assert [i.value for i in at.info] == [label("churn.no_data", lang)]
    assert not at.metric and not at.tabs


# ---------------------------------------------------------------- render helpers (no app)


def test_every_code_has_its_words():
    for code in churn.SIGNALS:
        for family in ("signal", "signal_text", "rule_text"):
            assert f"churn.{family}.{code}" in TEXTS, (family, code)
    for code in bgnbd.REASON_CODES:
        assert f"churn.reason.{code}" in TEXTS
    for code in {*tiers.ABSOLUTE_TIERS, *tiers.RANK_TIERS}:
        assert f"tier.{code}" in TEXTS
    for band in ("satisfied", "neutral", "dissatisfied", "no_survey"):
        assert f"churn.band.{band}" in TEXTS
    for dimension in churn.PROFILE_DIMENSIONS:
        assert f"churn.dim.{dimension}" in TEXTS
    for code in churn.WHAT_IF_ASSUMPTIONS:
        assert f"churn.assumption.{code}" in TEXTS
    for code in churn_view.TAB_CODES:
        assert f"churn.tab.{code}" in TEXTS
    bands = satisfaction.satisfaction_band(
        pd.Series([5.0, 3.0, 1.0, np.nan]), pd.Series([1.0] * 4), pd.Series([5.0] * 4)
    )
    assert set(bands) == {"satisfied", "neutral", "dissatisfied", "no_survey"}  # the bands translated above


def _row(**values: object) -> dict[str, object]:
    base: dict[str, object] = {"risk_signals": []}
    return base | values


@pytest.mark.parametrize(
    ("row", "zh", "en"),
    [
        (
            _row(risk_signals=["freq_falling"], orders_before=4, orders_recent=1, freq_change=-0.75),
            "订单 4→1 笔（-75%）",
            "orders 4 → 1 (-75%)",
        ),
        (
            _row(risk_signals=["value_falling"], aov_before=31_646.4, aov_recent=8_729.9, value_change=-0.7241),
            "客单价 ¥3.2万→¥8,730（-72%）",
            "average order ¥31.6K → ¥8.7K (-72%)",
        ),
        (
            _row(risk_signals=["overdue", "open_complaints"], days_since_last=61, median_gap_days=21.5,
                 open_complaints=2),
            "已 61 天未购，超过平时间隔 21.5 天的 2 倍；2 件投诉未结",
            "61 days without a purchase, over 2 × the usual 21.5-day gap; open complaints: 2",
        ),
        (
            _row(risk_signals=["low_satisfaction", "falling_satisfaction"], latest_score=2.0, previous_score=4.0,
                 scale_min=1.0, scale_max=5.0),
            "满意度低：2 分（1–5 分制）；满意度 4→2 分",
            "low satisfaction: 2 on a 1–5 scale; satisfaction 4 → 2",
        ),
        (
            _row(risk_signals=["tier_downgrade"], previous_tier="gold", tier="vip"),
            "等级 黄金→贵宾",
            "tier Gold → VIP",
        ),
    ],
)  # fmt: skip
def test_signal_words_by_hand(row, zh, en):
    rules = churn.WarningRules()
    frame = pd.DataFrame([row])
    assert churn_view.signal_words(frame, rules, "zh", "CNY") == [zh]
    assert churn_view.signal_words(frame, rules, "en", "CNY") == [en]


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        # CDNOW: 545 days → half = 38.9 weeks → 39 weeks = 273 days (FHL 2005's split)
        (dt.date(1997, 1, 1), dt.date(1998, 6, 30), dt.date(1997, 9, 30)),
        # four years: capped at 52 weeks
        (dt.date(2022, 1, 1), dt.date(2025, 12, 31), dt.date(2025, 1, 1)),
        # ten days: at least one week
        (dt.date(2024, 1, 1), dt.date(2024, 1, 11), dt.date(2024, 1, 4)),
    ],
)
def test_default_calibration_end(first, last, expected):
    assert churn_view.default_calibration_end(first, last) == expected


def test_average_retention_weights_by_cohort_size():
    shares = np.array([[1.0, 0.5, 0.25], [1.0, 0.2, np.nan], [1.0, np.nan, np.nan]])
    sizes = np.array([10.0, 40.0, 5.0])
    # month 1: (0.5 × 10 + 0.2 × 40) / 50 = 0.26; month 2: only the first cohort is observed
    assert churn_view.average_retention(shares, sizes, 1) == pytest.approx(0.26)
    assert churn_view.average_retention(shares, sizes, 2) == pytest.approx(0.25)
    assert churn_view.average_retention(np.full((1, 2), np.nan), np.array([3.0]), 1) is None
