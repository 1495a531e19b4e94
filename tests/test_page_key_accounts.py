"""Key accounts page (AppTest): headline, KPIs, ABC and top-share sliders, dimension toggle, tabs, edge cases."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pagetest import metric, no_errors, open_page
from streamlit.testing.v1 import AppTest

from analytics import key_accounts, loader, pareto, store
from analytics.customer_facts import dimension_facts
from analytics.filters import Filters
from ui import charts
from ui import format as fmt
from ui.i18n import t

PAGE = "key_accounts"


@pytest.fixture(scope="module")
def demo_facts(demo_db: Path) -> key_accounts.PeriodFacts:
    con = store.connect(demo_db)
    try:
        return key_accounts.period_facts(con, Filters())
    finally:
        con.close()


def make_db(path: Path, rows: list[tuple[str, dt.date, float]]) -> Path:
    """A store holding only ``rows`` (customer, date, amount): no profit, no product, no region."""
    con = store.connect(path)
    try:
        frame = pd.DataFrame(rows, columns=["customer", "order_date", "amount"])
        loader.store_frame(con, frame, loader.UploadMeta(kind="ledger", file_name="t.csv", file_hash=path.name))
    finally:
        con.close()
    return path


def class_metrics(at: AppTest, lang: str) -> dict[str, str]:
    shown = {m.label: m.value for m in at.metric}
    return {cls: shown[t("ka.kpi_class", lang, cls=cls)] for cls in pareto.ABC_CLASSES}


def expected_classes(classified: pd.DataFrame) -> dict[str, str]:
    counts = classified["abc_class"].astype(str).value_counts()
    return {cls: fmt.integer(int(counts.get(cls, 0))) for cls in pareto.ABC_CLASSES}


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


def chart_spec(at: AppTest, index: int = 0) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(at.get("plotly_chart")[index].proto.spec)
    return spec


def numbers(value: Any) -> np.ndarray:
    """A numeric array of a Plotly JSON spec (plain list or base64 typed array)."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).astype(float)
    return np.asarray(value, dtype=float)


def open_tab(at: AppTest, tab: str, lang: str) -> AppTest:
    at.session_state["ka_tab"] = t(f"ka.tab.{tab}", lang)
    return at.run()


def pandas_headline(facts: pd.DataFrame, top_share: float, target: float = 0.8) -> tuple[float, int]:
    """Y (top X% bring Y, interpolated on the curve through (0, 0)) and m (customers for 80%), by hand."""
    x = np.sort(facts.loc[facts["revenue"] > 0, "revenue"].to_numpy())[::-1]
    c = np.concatenate([[0.0], np.cumsum(x) / x.sum()])
    k = np.arange(len(x) + 1) / len(x)
    return float(np.interp(top_share, k, c)), int(np.argmax(c[1:] >= target - 1e-12)) + 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_headline_and_kpis(demo_db, demo_facts, monkeypatch, lang):
    at = open_page(demo_db, monkeypatch, PAGE, lang)
    no_errors(at)
    assert at.title[0].value == t("ka.title", lang)
    head = pareto.headline(demo_facts.facts, 0.2)
    assert head is not None
    # the analytics agree with a plain pandas reading of the same facts
    top, m = pandas_headline(demo_facts.facts, 0.2)
    assert head.top_revenue_share == pytest.approx(top) and head.count_to_target == m
    sentence = t(
        "ka.headline",
        lang,
        share="20%",
        count=fmt.integer(0.2 * head.count),
        revenue_share=fmt.percent(top),
        target="80%",
        target_count=fmt.integer(m),
        target_share=fmt.percent(m / head.count),
    )
    assert at.subheader[0].value == sentence
    assert metric(at, "ka.kpi_ranked", lang) == fmt.integer(int((demo_facts.facts["revenue"] > 0).sum()))
    gini = pareto.gini(demo_facts.facts.loc[demo_facts.facts["revenue"] > 0, "revenue"])
    assert metric(at, "ka.kpi_gini", lang) == f"{gini:.2f}"
    assert class_metrics(at, lang) == expected_classes(pareto.abc(demo_facts.facts))
    # the Pareto chart title states the same finding; the ABC table counts every customer
    assert "20%" in chart_titles(at)[0] and fmt.percent(top) in chart_titles(at)[0]
    abc_table = at.dataframe[0].value
    assert abc_table.iloc[:, 1].tolist() == [int(v) for v in expected_classes(pareto.abc(demo_facts.facts)).values()]
    assert abc_table.iloc[:, 1].sum() == len(demo_facts.facts)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_abc_slider_moves_the_classes(demo_db, demo_facts, monkeypatch, lang):
    at = open_page(demo_db, monkeypatch, PAGE, lang)
    before = class_metrics(at, lang)
    at.slider(key="abc_cuts").set_value((70, 90)).run()
    no_errors(at)
    after = class_metrics(at, lang)
    assert after == expected_classes(pareto.abc(demo_facts.facts, 0.7, 0.9))
    assert after != before
    # A = the customers before whom less than 70% of revenue is accumulated (the crossing one included)
    _, a_count = pandas_headline(demo_facts.facts, 0.2, target=0.7)
    assert after["A"] == fmt.integer(a_count)
    # the headline does not depend on the cutoffs, the top-share slider moves it
    at.slider(key="top_share").set_value(30).run()
    no_errors(at)
    top, _ = pandas_headline(demo_facts.facts, 0.3)
    assert fmt.percent(top) in at.subheader[0].value and "30%" in at.subheader[0].value


@pytest.mark.parametrize("dimension", ["product", "region"])
def test_dimension_toggle_ranks_products_and_regions(demo_db, demo_facts, monkeypatch, dimension):
    at = open_page(demo_db, monkeypatch, PAGE, "en")
    at.button_group(key="ka_dim").set_value(dimension).run()
    no_errors(at)
    assert demo_facts.bounds is not None
    con = store.connect(demo_db)
    try:
        items = dimension_facts(con, demo_facts.bounds.current_filters(Filters()), dimension)
    finally:
        con.close()
    ranking = pareto.rank(items, key="item", unit="item")
    head = pareto.headline(ranking, 0.2)
    assert head is not None
    title = chart_titles(at)[0]
    assert t(f"ka.unit.{dimension}", "en") in title and fmt.percent(head.top_revenue_share) in title
    table = at.dataframe[0].value
    expected = expected_classes(pareto.abc(ranking))
    assert table.iloc[:, 1].tolist() == [int(v) for v in expected.values()]
    # few items: their names label the bars
    bars = chart_spec(at)["data"][0]
    assert len(numbers(bars["x"])) == len(items) and chart_spec(at)["layout"]["xaxis"]["ticktext"][0] == str(
        ranking.ranked["item"].iloc[0]
    )
    # the customer KPIs stay
    assert class_metrics(at, "en") == expected_classes(pareto.abc(demo_facts.facts))


def test_lorenz_whale_and_customer_list_tabs(demo_db, demo_facts, monkeypatch):
    facts = demo_facts.facts
    at = open_page(demo_db, monkeypatch, PAGE, "zh")
    open_tab(at, "lorenz", "zh")
    no_errors(at)
    gini = pareto.gini(facts.loc[facts["revenue"] > 0, "revenue"])
    assert gini is not None
    assert chart_titles(at)[0].startswith(f"基尼系数 {gini:.2f}")

    open_tab(at, "whale", "zh")
    no_errors(at)
    whale = pareto.whale_curve(facts)
    assert whale is not None
    profit = np.sort(facts["profit"].dropna().to_numpy())[::-1]
    assert whale.peak_share == pytest.approx(profit[profit > 0].sum() / profit.sum())
    assert metric(at, "ka.whale_peak_metric") == fmt.percent(whale.peak_share)
    assert metric(at, "ka.whale_losers") == fmt.integer(int((profit < 0).sum()))
    assert metric(at, "ka.whale_given_back") == fmt.percent(whale.profit_given_back)
    assert fmt.percent(whale.peak_share) in chart_titles(at)[0]

    open_tab(at, "list", "zh")
    no_errors(at)
    shown = at.dataframe[0].value
    assert len(shown) == len(facts)
    top = facts.loc[facts["revenue"].idxmax()]
    assert shown.iloc[0][t("ka.name.customer")] == top["customer_name"]
    assert shown.iloc[0][t("ka.col.tier")] in {t(f"tier.{code}") for code in ("diamond", "platinum", "gold")}
    assert shown[t("col.abc")].tolist()[-1] == "C"  # the unranked (net ≤ 0) customers come last


def test_empty_filter_shows_an_info(demo_db, monkeypatch):
    con = store.connect(demo_db)
    try:
        row = con.execute(
            """
            select r.region, s.sales_rep
            from (select distinct region from v_ledger where region is not null) as r
            cross join (select distinct sales_rep from v_ledger where sales_rep is not null) as s
            except select distinct region, sales_rep from v_ledger
            order by 1, 2
            limit 1
            """
        ).fetchone()
    finally:
        con.close()
    assert row is not None, "every region/rep pair has sales: pick another empty filter"
    region, rep = row
    at = open_page(demo_db, monkeypatch, PAGE, "zh")
    at.sidebar.multiselect(key="region").set_value([region]).run()
    at.sidebar.multiselect(key="rep").set_value([rep]).run()
    no_errors(at)
    assert [i.value for i in at.info] == [t("ka.no_data", "zh")]
    assert not at.get("plotly_chart")


def test_small_ledger_by_hand_without_profit(tmp_path, monkeypatch):
    """600/250/100/50 and a customer with only a return: every number computed by hand."""
    day = dt.date(2024, 5, 1)
    rows = [("甲", day, 600.0), ("乙", day, 250.0), ("丙", day, 100.0), ("丁", day, 50.0), ("戊", day, -20.0)]
    db = make_db(tmp_path / "small.duckdb", rows)
    at = open_page(db, monkeypatch, PAGE, "zh")
    no_errors(at)
    # c = 0.60, 0.85, 0.95, 1.00 at k = 0.25 … 1: top 20% → 0.2/0.25 × 0.60 = 48%; 2 customers reach 80%
    assert at.subheader[0].value == ("前 20% 的客户（1 家）贡献了 48.0% 的销售额；80% 的销售额来自 2 家客户（50.0%）")
    assert metric(at, "ka.kpi_ranked") == "4"
    assert metric(at, "ka.kpi_gini") == "0.45"  # 2·(50+200+750+2400)/(4·1000) − 5/4
    assert class_metrics(at, "zh") == {"A": "2", "B": "1", "C": "2"}  # 戊 (net −20) is C
    assert any(c.value.startswith("另有 1 家客户") and "\\-¥20" in c.value for c in at.caption)
    at.slider(key="abc_cuts").set_value((50, 90)).run()
    assert class_metrics(at, "zh") == {"A": "1", "B": "2", "C": "2"}
    # the chart's data as a table: every customer, the unranked one last without shares
    at.session_state["ka_pareto_data"] = True
    at.run()
    no_errors(at)
    chart_data = at.dataframe[1].value
    assert chart_data[t("ka.name.customer", "zh")].tolist() == ["甲", "乙", "丙", "丁", "戊"]
    np.testing.assert_allclose(chart_data[t("col.cum_revenue_share", "zh")].iloc[:4], [0.6, 0.85, 0.95, 1.0])
    assert chart_data[t("col.cum_revenue_share", "zh")].isna().tolist()[-1]
    # no profit column: the whale tab says so instead of drawing
    open_tab(at, "whale", "zh")
    no_errors(at)
    assert [i.value for i in at.info] == [t("ka.no_profit", "zh")]
    # no product on any line: the product Pareto says so
    open_tab(at, "pareto", "zh")
    at.button_group(key="ka_dim").set_value("product").run()
    no_errors(at)
    assert [i.value for i in at.info] == [t("ka.no_items", "zh", unit="产品")]


def test_many_customers_are_downsampled_exactly_at_the_cutoffs(tmp_path, monkeypatch):
    n = 5_000
    day = dt.date(2024, 5, 1)
    revenue = np.round(1e6 / np.arange(1, n + 1) ** 1.2, 2)
    names = [f"客户{i:05d}" for i in range(n)]
    names[0] = "<b>Acme</b>"  # a name from data must reach the hover escaped
    db = make_db(tmp_path / "many.duckdb", [(name, day, float(v)) for name, v in zip(names, revenue, strict=True)])
    at = open_page(db, monkeypatch, PAGE, "en")
    no_errors(at)
    bars, line = chart_spec(at)["data"][:2]
    x = numbers(bars["x"])
    assert len(x) <= charts.MAX_POINTS and len(numbers(line["x"])) == len(x)
    cum = np.cumsum(revenue) / revenue.sum()
    a_count = int(np.searchsorted(cum, 0.8 - 1e-12)) + 1  # the customer crossing 80% is the last A
    b_count = int(np.searchsorted(cum, 0.95 - 1e-12)) + 1 - a_count
    for rank in (1, n, a_count, a_count + 1, a_count + b_count, a_count + b_count + 1):
        assert rank in x, rank
    np.testing.assert_allclose(numbers(line["y"]), cum[x.astype(int) - 1])
    assert numbers(line["y"])[-1] == 1.0
    assert "&lt;b&gt;Acme&lt;/b&gt;" in bars["customdata"][0] and "<b>" not in bars["customdata"][0]
    assert class_metrics(at, "en")["A"] == fmt.integer(a_count)


@pytest.mark.parametrize(
    ("n", "keep", "max_points"),
    [(10, (), 2000), (2000, (5,), 2000), (2001, (), 2000), (100_000, (12_345, 67_890, 99_999), 2000), (50, (7,), 5)],
)
def test_sample_indices(n, keep, max_points):
    idx = charts.sample_indices(n, keep, max_points)
    assert len(idx) <= max(max_points, len(keep) + 2)
    assert idx[0] == 0 and idx[-1] == n - 1
    assert set(keep) <= set(idx.tolist())
    assert (np.diff(idx) > 0).all()
    if n <= max_points:
        assert len(idx) == n
    else:  # the head (largest units) is exact
        head = (max_points - len(set(keep) | {0, n - 1})) // 2
        assert idx[:head].tolist() == list(range(head))
