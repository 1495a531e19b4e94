"""RFM: quintile scores with ties, the R × F segment grid, actions, end to end through the store."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from analytics import loader, rfm, store
from analytics.customer_facts import customer_facts, period_bounds
from analytics.filters import Filters

d = dt.date
AS_OF = d(2024, 12, 31)


def facts(rows: list[tuple[int, dt.date | None, int, float]]) -> pd.DataFrame:
    """Customer facts from (customer_id, last purchase date, purchase days, revenue)."""
    return pd.DataFrame(
        {
            "customer_id": pd.array([r[0] for r in rows], dtype="int32"),
            "customer_name": pd.array([f"c{r[0]}" for r in rows], dtype="str"),
            "revenue": [float(r[3]) for r in rows],
            "purchase_days": np.asarray([r[2] for r in rows], dtype=np.int64),
            "last_date": pd.to_datetime(pd.Series([r[1] for r in rows], dtype="object")).astype("datetime64[us]"),
        }
    )


@pytest.mark.parametrize(
    ("values", "higher_is_better", "scores"),
    [
        # n = 5 distinct: PR = 0.1, 0.3, 0.5, 0.7, 0.9 → ⌊5·PR⌋ + 1 = 1 … 5
        ([10, 20, 30, 40, 50], True, [1, 2, 3, 4, 5]),
        ([10, 20, 30, 40, 50], False, [5, 4, 3, 2, 1]),  # recency: fewer days is better
        # n = 10 distinct → exact quintiles, two per score
        (list(range(10)), True, [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]),
        # everybody equal: PR = (0 + ½·4)/4 = 0.5 → 3
        ([7, 7, 7, 7], True, [3, 3, 3, 3]),
        ([7], True, [3]),
        # ties: four 1s → PR = (0 + 2)/10 = 0.2 → 2 (all four together); 2 → (4 + 0.5)/10 = 0.45 → 3;
        # 3 → 0.55 → 3; 4 → 0.65 → 4; 5 → 0.75 → 4; 6 → 0.85 → 5; 10 → 0.95 → 5
        ([1, 1, 1, 1, 2, 3, 4, 5, 6, 10], True, [2, 2, 2, 2, 3, 3, 4, 4, 5, 5]),
        # ties at the top: 5 → PR = (0 + 0.5)/6 → 1; 9 → (1 + 2.5)/6 = 0.583 → 3 for all five
        ([9, 9, 5, 9, 9, 9], True, [3, 3, 1, 3, 3, 3]),
        ([], True, []),
    ],
)
def test_quintile_scores(values: list[float], higher_is_better: bool, scores: list[int]) -> None:
    assert rfm.quintile_scores(values, higher_is_better).tolist() == scores


def test_ties_never_split() -> None:
    rng = np.random.default_rng(1)
    values = rng.integers(0, 7, 1_000)
    scores = rfm.quintile_scores(values)
    for value in np.unique(values):
        assert len(set(scores[values == value].tolist())) == 1
    # monotone: a better value never gets a lower score
    order = np.argsort(values, kind="stable")
    assert (np.diff(scores[order]) >= 0).all()


def test_rfm_by_hand() -> None:
    data = facts(
        [
            # (id, last purchase, purchase days, revenue)
            (1, d(2024, 12, 31), 10, 500),  # R 0 days → 5, F 10 → 5, M 500 → 5
            (2, d(2024, 12, 21), 1, 400),  # R 10 → 4, F 1 → 1, M → 4
            (3, d(2024, 11, 1), 8, 300),  # R 60 → 3, F 8 → 4, M → 3
            (4, d(2024, 6, 1), 5, 200),  # R 213 → 2, F 5 → 3, M → 2
            (5, d(2024, 1, 1), 3, 100),  # R 365 → 1, F 3 → 2, M → 1
            (6, None, 0, -40),  # only returns in the period: no recency → not scored
        ]
    )
    scored = rfm.rfm(data, AS_OF)
    expected = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 5],
            "customer_name": ["c1", "c2", "c3", "c4", "c5"],
            "recency_days": [0, 10, 60, 213, 365],
            "frequency": [10, 1, 8, 5, 3],
            "monetary": [500.0, 400.0, 300.0, 200.0, 100.0],
            "r_score": [5, 4, 3, 2, 1],
            "f_score": [5, 1, 4, 3, 2],
            "m_score": [5, 4, 3, 2, 1],
        }
    )
    pd.testing.assert_frame_equal(scored[expected.columns], expected, check_dtype=False)
    assert scored["rfm_cell"].tolist() == ["555", "414", "343", "232", "121"]
    # grid: R5 F5 champions; R4 F1 promising; R3 F4 loyal; R2 F3 at_risk; R1 F2 lost
    assert scored["segment"].tolist() == ["champions", "promising", "loyal", "at_risk", "lost"]
    assert scored["action"].tolist() == [
        "reward_and_ask_referrals",
        "build_relationship",
        "upsell_and_cross_sell",
        "win_back_visit",
        "deprioritise",
    ]


def test_rfm_recency_ties_and_unsorted_input() -> None:
    # three customers bought on the same last day: same recency → same R score (3, all together)
    data = facts([(9, d(2024, 12, 1), 1, 10), (3, d(2024, 12, 1), 1, 10), (5, d(2024, 12, 1), 1, 10)])
    scored = rfm.rfm(data, AS_OF)
    assert scored["customer_id"].tolist() == [3, 5, 9]
    assert scored["recency_days"].tolist() == [30, 30, 30]
    assert scored["r_score"].tolist() == [3, 3, 3]
    assert scored["segment"].tolist() == ["need_attention"] * 3  # R3 F3


def test_segment_grid_is_complete() -> None:
    assert len(rfm.SEGMENT_GRID) == 5 and all(len(row) == 5 for row in rfm.SEGMENT_GRID)
    used = {code for row in rfm.SEGMENT_GRID for code in row}
    assert used == set(rfm.SEGMENTS)
    assert set(rfm.ACTIONS) == set(rfm.SEGMENTS)
    # spot checks of the documented map (row = R − 1, column = F − 1)
    assert rfm.SEGMENT_GRID[4][0] == "new"
    assert rfm.SEGMENT_GRID[0][4] == "cant_lose"
    assert rfm.SEGMENT_GRID[1][0] == "hibernating"


def test_custom_grid() -> None:
    grid = tuple(tuple("lost" for _ in range(5)) for _ in range(5))
    scored = rfm.rfm(facts([(1, d(2024, 12, 31), 3, 10)]), AS_OF, grid=grid)
    assert scored["segment"].tolist() == ["lost"]


def test_segment_summary() -> None:
    data = facts(
        [
            (1, d(2024, 12, 31), 10, 500),
            (2, d(2024, 12, 21), 1, 400),
            (3, d(2024, 11, 1), 8, 300),
            (4, d(2024, 6, 1), 5, 200),
            (5, d(2024, 1, 1), 3, 100),
        ]
    )
    summary = rfm.segment_summary(rfm.rfm(data, AS_OF)).set_index("segment")
    assert summary.index.tolist() == list(rfm.SEGMENTS)
    assert summary["customers"].sum() == 5
    assert summary.loc["champions", "customers"] == 1
    assert summary.loc["champions", "monetary_share"] == pytest.approx(500 / 1500)
    assert summary.loc["loyal", "mean_recency_days"] == 60
    assert summary.loc["cant_lose", "customers"] == 0 and np.isnan(summary.loc["cant_lose", "mean_frequency"])


def test_rfm_empty() -> None:
    scored = rfm.rfm(facts([]), AS_OF)
    assert scored.empty
    assert {"r_score", "f_score", "m_score", "segment", "action"} <= set(scored.columns)
    assert rfm.segment_summary(scored)["customers"].sum() == 0
    assert rfm.rfm(facts([(1, None, 0, -5)]), AS_OF).empty  # returns only


def test_rfm_end_to_end_with_filters() -> None:
    rows = [
        ("A", d(2024, 3, 1), 100.0, "N"),
        ("A", d(2024, 3, 1), 50.0, "N"),  # same day: one purchase day
        ("A", d(2024, 6, 30), 10.0, "S"),
        ("B", d(2024, 5, 1), 500.0, "N"),
        ("B", d(2024, 5, 20), -100.0, "N"),  # a return is not a purchase: recency counts from 05-01
    ]
    frame = pd.DataFrame(rows, columns=["customer", "order_date", "amount", "region"])
    con = store.connect(":memory:")
    loader.store_frame(con, frame, loader.UploadMeta(kind="ledger", file_name="l.csv", file_hash="l"))
    bounds = period_bounds(con, Filters())
    assert bounds is not None and bounds.as_of == d(2024, 6, 30)
    scored = rfm.rfm(customer_facts(con, bounds.current_filters(Filters())), bounds.as_of).set_index("customer_name")
    # A: last 06-30 → 0 days, days {03-01, 06-30} = 2, M 160; B: last 05-01 → 60 days, 1 day, M 400
    assert scored.loc["A", ["recency_days", "frequency", "monetary"]].tolist() == [0, 2, 160.0]
    assert scored.loc["B", ["recency_days", "frequency", "monetary"]].tolist() == [60, 1, 400.0]
    # n = 2: better → PR 0.75 → 4, worse → PR 0.25 → 2
    assert scored.loc["A", ["r_score", "f_score", "m_score"]].tolist() == [4, 4, 2]
    assert scored.loc["B", ["r_score", "f_score", "m_score"]].tolist() == [2, 2, 4]
    north = period_bounds(con, Filters(regions=("N",)))
    assert north is not None and north.as_of == d(2024, 5, 20)  # latest line in N (a return)
    scored_north = rfm.rfm(customer_facts(con, north.current_filters(Filters(regions=("N",)))), north.as_of)
    # A in N: last purchase 03-01 → 80 days before 05-20; B: 05-01 → 19 days
    assert scored_north.set_index("customer_name")["recency_days"].to_dict() == {"A": 80, "B": 19}


def test_segment_summary_mean_monetary() -> None:
    data = facts(
        [
            (1, d(2024, 12, 31), 10, 500),  # R5 F5 champions
            (2, d(2024, 12, 30), 9, 300),  # R4 F4 loyal (n = 4: PR 0.625 → 4)
            (3, d(2024, 6, 1), 2, 100),  # R2 F2 hibernating
            (4, d(2024, 1, 1), 1, -20),  # R1 F1 lost (net revenue after returns may be negative)
        ]
    )
    summary = rfm.segment_summary(rfm.rfm(data, AS_OF)).set_index("segment")
    assert summary.loc[["champions", "loyal", "hibernating", "lost"], "customers"].tolist() == [1, 1, 1, 1]
    assert summary.loc["champions", "mean_monetary"] == 500
    assert summary.loc["lost", "mean_monetary"] == -20
    assert np.isnan(summary.loc["new", "mean_monetary"])


def test_rf_matrix() -> None:
    data = facts(
        [
            (1, d(2024, 12, 31), 10, 500),  # R 5, F 5
            (2, d(2024, 12, 21), 1, 400),  # R 4, F 1
            (3, d(2024, 11, 1), 8, 300),  # R 3, F 4
            (4, d(2024, 6, 1), 5, 200),  # R 2, F 3
            (5, d(2024, 1, 1), 3, 100),  # R 1, F 2
        ]
    )
    grid = rfm.rf_matrix(rfm.rfm(data, AS_OF))
    assert grid.index.tolist() == [5, 4, 3, 2, 1] and grid.columns.tolist() == [1, 2, 3, 4, 5]
    assert int(grid.to_numpy().sum()) == 5
    for r, f in [(5, 5), (4, 1), (3, 4), (2, 3), (1, 2)]:
        assert grid.loc[r, f] == 1
    assert grid.loc[5, 1] == 0
    empty = rfm.rf_matrix(rfm.rfm(facts([]), AS_OF))
    assert empty.shape == (5, 5) and int(empty.to_numpy().sum()) == 0
