"""Pareto ranking, headline, ABC, Gini/Lorenz, whale curve and pareto_by, computed by hand."""

from __future__ import annotations

import datetime as dt
import time

import duckdb
import numpy as np
import pandas as pd
import pytest

from analytics import loader, pareto, store
from analytics.customer_facts import customer_facts
from analytics.filters import Filters

d = dt.date


def facts(revenue: dict[int, float], profit: dict[int, float | None] | None = None) -> pd.DataFrame:
    """A minimal customer-facts frame: id → revenue (and profit)."""
    ids = list(revenue)
    return pd.DataFrame(
        {
            "customer_id": pd.array(ids, dtype="int32"),
            "customer_name": pd.array([f"c{i}" for i in ids], dtype="str"),
            "revenue": [float(revenue[i]) for i in ids],
            "profit": [np.nan if profit is None or profit.get(i) is None else profit[i] for i in ids],
        }
    )


def make_store(rows: list[tuple[object, ...]]) -> duckdb.DuckDBPyConnection:
    columns = ["customer", "order_date", "amount", "profit", "product", "region"]
    frame = pd.DataFrame(rows, columns=columns)
    con = store.connect(":memory:")
    for i, (_, part) in enumerate(frame.groupby("customer", sort=False)):
        meta = loader.UploadMeta(kind="ledger", file_name=f"{i}.csv", file_hash=f"h{i}")
        loader.store_frame(con, part.reset_index(drop=True), meta)
    return con


# revenue 50/30/15/5 of 100: c = 0.50, 0.80, 0.95, 1.00; k = 0.25, 0.50, 0.75, 1.00
BASIC = facts({1: 15, 2: 50, 3: 5, 4: 30})


def test_rank_by_hand() -> None:
    ranking = pareto.rank(BASIC)
    table = ranking.ranked
    assert table["customer_id"].tolist() == [2, 4, 1, 3]
    assert table["rank"].tolist() == [1, 2, 3, 4]
    np.testing.assert_allclose(table["revenue_share"], [0.5, 0.3, 0.15, 0.05])
    np.testing.assert_allclose(table["cum_customer_share"], [0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(table["cum_revenue_share"], [0.5, 0.8, 0.95, 1.0])
    assert ranking.count == 4 and ranking.total == 100.0 and ranking.excluded.empty


def test_ties_broken_by_customer_id() -> None:
    ranking = pareto.rank(facts({9: 40, 2: 40, 5: 20, 7: 40}))
    assert ranking.ranked["customer_id"].tolist() == [2, 7, 9, 5]


def test_headline_by_hand() -> None:
    head = pareto.headline(BASIC, top_share=0.2)
    assert head is not None
    # k = 0.2 lies between (0, 0) and (0.25, 0.5): 0.5 × 0.2 / 0.25 = 0.4
    assert head.top_revenue_share == pytest.approx(0.4)
    # smallest m with c_m ≥ 0.8: c_2 = 0.8 → m = 2 of 4
    assert (head.count_to_target, head.share_to_target) == (2, 0.5)
    assert (head.count, head.revenue, head.excluded_count, head.excluded_revenue) == (4, 100.0, 0, 0.0)
    # Gini of 5, 15, 30, 50: 2·(1·5 + 2·15 + 3·30 + 4·50)/(4·100) − 5/4 = 1.625 − 1.25
    assert head.gini == pytest.approx(0.375)
    half = pareto.headline(BASIC, top_share=0.5)
    assert half is not None and half.top_revenue_share == pytest.approx(0.8)
    # target 0.9: c_3 = 0.95 is the first ≥ 0.9
    ninety = pareto.headline(BASIC, target_revenue_share=0.9)
    assert ninety is not None and ninety.count_to_target == 3


@pytest.mark.parametrize(
    ("revenue", "top", "count_to_80", "gini", "classes"),
    [
        # one customer: the curve is the diagonal from (0, 0) to (1, 1)
        pytest.param({1: 10.0}, 0.2, 1, 0.0, ["A"], id="one_customer"),
        # all equal: c = 0.25, 0.5, 0.75, 1.0; the first c ≥ 0.8 is c_4; every c_{i−1} < 0.8 → all A
        pytest.param({1: 5.0, 2: 5.0, 3: 5.0, 4: 5.0}, 0.2, 4, 0.0, ["A", "A", "A", "A"], id="all_equal"),
        # ties: 40, 40, 20 of 100 → c = 0.4, 0.8, 1.0; top 20% → 0.4 × 0.2/(1/3) = 0.24
        pytest.param({3: 20.0, 2: 40.0, 1: 40.0}, 0.24, 2, 2 / 15, ["A", "A", "B"], id="ties"),
    ],
)
def test_headline_edge_cases(
    revenue: dict[int, float], top: float, count_to_80: int, gini: float, classes: list[str]
) -> None:
    head = pareto.headline(facts(revenue))
    assert head is not None
    assert head.top_revenue_share == pytest.approx(top)
    assert head.count_to_target == count_to_80
    assert head.gini == pytest.approx(gini)
    assert pareto.abc(facts(revenue))["abc_class"].tolist() == classes


def test_negative_and_zero_revenue_are_excluded_and_reported() -> None:
    data = facts({1: 100.0, 2: -30.0, 3: 0.0, 4: 50.0})
    ranking = pareto.rank(data)
    # only 100 and 50 are ranked: c = 100/150, 150/150; k = 0.5, 1.0
    assert ranking.ranked["customer_id"].tolist() == [1, 4]
    np.testing.assert_allclose(ranking.ranked["cum_revenue_share"], [2 / 3, 1.0])
    np.testing.assert_allclose(ranking.ranked["cum_customer_share"], [0.5, 1.0])
    head = pareto.headline(data)
    assert head is not None
    assert (head.count, head.revenue, head.excluded_count, head.excluded_revenue) == (2, 150.0, 2, -30.0)
    # reconciles with net revenue: 150 + (−30) = 120 = 100 − 30 + 0 + 50
    assert head.revenue + head.excluded_revenue == data["revenue"].sum()
    classified = pareto.abc(data)
    # excluded units follow by revenue descending (0 before −30), with null rank and class C
    assert classified["customer_id"].tolist() == [1, 4, 3, 2]
    assert classified["abc_class"].tolist() == ["A", "A", "C", "C"]  # 4 crosses 0.8 (2/3 → 1) → A
    assert classified["rank"].isna().tolist() == [False, False, True, True]
    assert classified["cum_revenue_share"].isna().tolist() == [False, False, True, True]
    lorenz = pareto.lorenz(data)
    np.testing.assert_allclose(lorenz["cum_revenue_share"], [0.0, 1 / 3, 1.0])


@pytest.mark.parametrize(
    ("revenue", "a_cut", "b_cut", "classes"),
    [
        # c = 0.5, 0.8, 0.95, 1.0: exactly on a cutoff stays in the class
        pytest.param({1: 50, 2: 30, 3: 15, 4: 5}, 0.8, 0.95, ["A", "A", "B", "C"], id="on_cutoffs"),
        # c = 0.6, 0.9, 1.0: customer 2 crosses 0.8 → A; customer 3 crosses 0.95 → B
        pytest.param({1: 60, 2: 30, 3: 10}, 0.8, 0.95, ["A", "A", "B"], id="crossing"),
        # c = 0.7, 0.85, 0.97, 1.0 with cutoffs 0.7 / 0.9: 1 lands on 0.7 → A; 2 starts at 0.7 → B,
        # 3 crosses 0.9 → B; 4 starts at 0.97 → C
        pytest.param({1: 70, 2: 15, 3: 12, 4: 3}, 0.7, 0.9, ["A", "B", "B", "C"], id="sliders"),
        # a_cut = 0: no A; first customer starts at 0 < 0.95 → B
        pytest.param({1: 60, 2: 30, 3: 10}, 0.0, 0.95, ["B", "B", "B"], id="no_A"),
        pytest.param({1: 60, 2: 30, 3: 10}, 1.0, 1.0, ["A", "A", "A"], id="all_A"),
    ],
)
def test_abc_crossing_rule(revenue: dict[int, float], a_cut: float, b_cut: float, classes: list[str]) -> None:
    assert pareto.abc(facts(revenue), a_cut=a_cut, b_cut=b_cut)["abc_class"].tolist() == classes


def test_abc_float_rounding_on_cutoff() -> None:
    # 10 × 0.1: c_8 is computed as 0.7999999999999999 but is exactly 8/10 = 0.8 → customer 9 starts
    # on the cutoff → B (not a crossing A); c_9 = 0.9 < 0.95 → customer 10 crosses 0.95 → B
    data = facts({i: 0.1 for i in range(1, 11)})
    ranking = pareto.rank(data)
    assert ranking.cum_value[7] != 0.8  # the float rounding this test is about
    assert pareto.abc(ranking)["abc_class"].tolist() == ["A"] * 8 + ["B", "B"]


def test_abc_reuses_ranking_and_validates() -> None:
    ranking = pareto.rank(BASIC)
    first = pareto.abc(ranking, 0.8, 0.95)
    second = pareto.abc(ranking, 0.5, 0.8)
    assert first["abc_class"].tolist() == ["A", "A", "B", "C"]
    assert second["abc_class"].tolist() == ["A", "B", "C", "C"]
    assert "abc_class" not in ranking.table.columns  # the cached ranking is not modified
    with pytest.raises(ValueError):
        pareto.abc(ranking, 0.9, 0.8)
    with pytest.raises(ValueError):
        pareto.abc(ranking, -0.1, 0.8)


def test_abc_summary() -> None:
    summary = pareto.abc_summary(pareto.abc(BASIC))
    assert summary["abc_class"].tolist() == ["A", "B", "C"]
    assert summary["count"].tolist() == [2, 1, 1]
    np.testing.assert_allclose(summary["revenue"], [80.0, 15.0, 5.0])
    np.testing.assert_allclose(summary["revenue_share"], [0.8, 0.15, 0.05])
    np.testing.assert_allclose(summary["count_share"], [0.5, 0.25, 0.25])


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 1, 1, 1], 0.0),
        ([0, 0, 0, 1], 0.75),  # Σ|xi − xj| = 6 over ordered pairs; 6 / (2 · 4² · 0.25)
        ([1, 2, 3, 4], 0.25),  # Σ|xi − xj| = 20; 20 / (2 · 16 · 2.5)
        ([5], 0.0),
        ([3, np.nan, 1], 0.25),  # NaN ignored: |3 − 1| · 2 / (2 · 4 · 2)
    ],
)
def test_gini_known_values(values: list[float], expected: float) -> None:
    assert pareto.gini(values) == pytest.approx(expected)


def test_gini_degenerate() -> None:
    assert pareto.gini([]) is None
    assert pareto.gini([0, 0]) is None
    with pytest.raises(ValueError):
        pareto.gini([1, -1, 3])


def test_lorenz_by_hand_and_gini_area() -> None:
    curve = pareto.lorenz(BASIC)
    # ascending 5, 15, 30, 50 of 100 → L = 0, 0.05, 0.20, 0.50, 1.0
    np.testing.assert_allclose(curve["cum_customer_share"], [0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(curve["cum_revenue_share"], [0, 0.05, 0.2, 0.5, 1.0])
    area = np.trapezoid(curve["cum_revenue_share"], curve["cum_customer_share"])
    assert 1 - 2 * area == pytest.approx(pareto.gini(BASIC["revenue"]))
    thin = pareto.lorenz(facts({i: float(i) for i in range(1, 101)}), max_points=11)
    assert len(thin) == 11
    assert thin.iloc[0].tolist() == [0.0, 0.0] and thin.iloc[-1].tolist() == [1.0, 1.0]


def test_whale_curve_peak() -> None:
    data = facts(
        {1: 100, 2: 100, 3: 100, 4: 100, 5: 100, 6: 100},
        profit={1: -20, 2: 60, 3: 10, 4: 50, 5: -50, 6: None},
    )
    whale = pareto.whale_curve(data)
    assert whale is not None
    # by profit: 60 (2), 50 (4), 10 (3), −20 (1), −50 (5); total Π = 50
    # cumulative 60, 110, 120, 100, 50 → shares 1.2, 2.2, 2.4, 2.0, 1.0
    assert whale.curve["customer_id"].tolist() == [2, 4, 3, 1, 5]
    np.testing.assert_allclose(whale.curve["cum_profit_share"], [1.2, 2.2, 2.4, 2.0, 1.0])
    np.testing.assert_allclose(whale.curve["cum_customer_share"], [0.2, 0.4, 0.6, 0.8, 1.0])
    assert whale.total_profit == 50.0
    assert whale.peak_share == pytest.approx(2.4)
    assert (whale.peak_customers, whale.peak_customer_share) == (3, 0.6)
    assert whale.profit_given_back == pytest.approx(1.4)  # 240 % − 100 %
    assert (whale.unprofitable_customers, whale.unprofitable_profit) == (2, -70.0)
    assert whale.customers_without_profit == 1


def test_whale_curve_ties_and_no_losses() -> None:
    whale = pareto.whale_curve(facts({3: 1, 1: 1, 2: 1}, profit={3: 10, 1: 10, 2: 20}))
    assert whale is not None
    assert whale.curve["customer_id"].tolist() == [2, 1, 3]
    # no losses: the peak is the end point, 100 %, nothing given back
    assert (whale.peak_share, whale.peak_customers, whale.profit_given_back) == (1.0, 3, 0.0)


@pytest.mark.parametrize(
    "profit",
    [
        pytest.param(None, id="no_profit_column_data"),
        pytest.param({1: -10.0, 2: 5.0}, id="total_loss"),
        pytest.param({1: 0.0, 2: 0.0}, id="zero_total"),
    ],
)
def test_whale_curve_none(profit: dict[int, float | None] | None) -> None:
    assert pareto.whale_curve(facts({1: 10, 2: 5}, profit=profit)) is None


def test_empty_facts_do_not_crash() -> None:
    empty = facts({})
    assert pareto.headline(empty) is None
    assert pareto.abc(empty).empty
    assert pareto.lorenz(empty).empty
    assert pareto.whale_curve(empty) is None
    assert pareto.abc_summary(pareto.abc(empty))["count"].tolist() == [0, 0, 0]
    only_returns = facts({1: -5.0})
    assert pareto.headline(only_returns) is None
    assert pareto.abc(only_returns)["abc_class"].tolist() == ["C"]


LEDGER: list[tuple[object, ...]] = [
    ("A", d(2024, 1, 1), 100.0, 10.0, "P1", "N"),
    ("A", d(2024, 1, 2), 30.0, 3.0, "P1", "S"),
    ("B", d(2024, 1, 3), 50.0, -5.0, "P2", "N"),
    ("B", d(2024, 1, 4), 20.0, 2.0, None, "N"),
    ("C", d(2024, 1, 5), -10.0, -1.0, "P3", "S"),
]


def test_pareto_by_product() -> None:
    con = make_store(LEDGER)
    result = pareto.pareto_by(con, Filters(), "product")
    table = result.table
    # P1 = 130, P2 = 50, blank = 20 (ranked, total 200: c = 0.65, 0.90, 1.00), P3 = −10 excluded
    assert table["item"].isna().tolist() == [False, False, True, False]
    assert table["item"].iloc[[0, 1, 3]].tolist() == ["P1", "P2", "P3"]
    assert table["revenue"].tolist() == [130.0, 50.0, 20.0, -10.0]
    np.testing.assert_allclose(table["cum_revenue_share"].iloc[:3], [0.65, 0.9, 1.0])
    np.testing.assert_allclose(table["cum_item_share"].iloc[:3], [1 / 3, 2 / 3, 1.0])
    # P2 crosses 0.8 (0.65 → 0.9) → A; blank starts at 0.9 < 0.95 → B; P3 excluded → C
    assert table["abc_class"].tolist() == ["A", "A", "B", "C"]
    assert result.headline is not None
    assert (result.headline.count_to_target, result.headline.excluded_count) == (2, 1)
    by_region = pareto.pareto_by(con, Filters(regions=("S",)), "region")
    # S only: A 30 + C −10 = 20 in one region
    assert by_region.table["item"].tolist() == ["S"]
    assert by_region.table["revenue"].tolist() == [20.0]


def test_pareto_by_rejects_unknown_dimension() -> None:
    con = make_store(LEDGER)
    with pytest.raises(ValueError):
        pareto.pareto_by(con, Filters(), "customer_name")


def test_end_to_end_with_filters() -> None:
    con = make_store(LEDGER)
    # all: A 130, B 70, C −10 → ranked A, B (c = 130/200 = 0.65, 1.0), C excluded
    head = pareto.headline(customer_facts(con, Filters()))
    assert head is not None
    assert (head.count, head.revenue, head.excluded_count, head.excluded_revenue) == (2, 200.0, 1, -10.0)
    # region N: A 100, B 70 → c = 100/170, 1.0
    north = pareto.rank(customer_facts(con, Filters(regions=("N",))))
    np.testing.assert_allclose(north.ranked["cum_revenue_share"], [100 / 170, 1.0])
    # date filter: until 01-02 only A
    assert pareto.rank(customer_facts(con, Filters(date_to=d(2024, 1, 2)))).ranked["customer_name"].tolist() == ["A"]
    # empty filter result
    assert pareto.headline(customer_facts(con, Filters(regions=("nowhere",)))) is None


def test_reclassification_is_cheap() -> None:
    rng = np.random.default_rng(7)
    n = 500_000
    big = pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1, dtype=np.int32),
            "customer_name": pd.array(np.arange(n).astype(str), dtype="str"),
            "revenue": rng.lognormal(8, 2, n),
        }
    )
    ranking = pareto.rank(big)
    start = time.perf_counter()
    classified = pareto.abc(ranking, 0.7, 0.9)
    head = pareto.headline(ranking, top_share=0.3)
    elapsed = time.perf_counter() - start
    assert head is not None and len(classified) == n
    assert elapsed < 0.25  # a few ms in practice; generous for slow CI machines
