"""Absolute and rank-share tiers, the per-tier table, migration and upgrade candidates."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np
import pandas as pd
import pytest

from analytics import loader, pareto, store, tiers
from analytics.filters import Filters
from analytics.tiers import AbsoluteThresholds, RankShares, TierScheme

d = dt.date
RANK = TierScheme(mode="rank")


def facts(rows: list[tuple[int, float, int, float | None, int]]) -> pd.DataFrame:
    """Customer facts from (customer_id, revenue, orders, profit, purchase_days)."""
    return pd.DataFrame(
        {
            "customer_id": pd.array([r[0] for r in rows], dtype="int32"),
            "customer_name": pd.array([f"c{r[0]}" for r in rows], dtype="str"),
            "revenue": [float(r[1]) for r in rows],
            "profit": [np.nan if r[3] is None else float(r[3]) for r in rows],
            "orders": np.asarray([r[2] for r in rows], dtype=np.int64),
            "purchase_days": np.asarray([r[4] for r in rows], dtype=np.int64),
        }
    )


def simple(revenue: dict[int, float]) -> pd.DataFrame:
    return facts([(i, v, 1, None, 1) for i, v in revenue.items()])


@pytest.mark.parametrize(
    ("revenue", "tier"),
    [
        (6_000_000.0, "diamond"),
        (5_000_000.0, "diamond"),  # exactly at the threshold goes up
        (4_999_999.99, "platinum"),
        (1_000_000.0, "platinum"),
        (999_999.99, "gold"),
        (500_000.0, "gold"),
        (499_999.99, "vip"),
        (10_000.0, "vip"),
        (9_999.99, "ordinary"),
        (0.0, "ordinary"),
        (-500.0, "ordinary"),
    ],
)
def test_absolute_boundaries(revenue: float, tier: str) -> None:
    assert tiers.assign_tiers(simple({1: revenue}))["tier"].tolist() == [tier]


def test_absolute_custom_thresholds() -> None:
    scheme = TierScheme(thresholds=AbsoluteThresholds(diamond=100, platinum=50, gold=50, vip=1))
    result = tiers.assign_tiers(simple({1: 100, 2: 99, 3: 50, 4: 1, 5: 0.5}), scheme)
    # gold = platinum = 50: a 50 reaches platinum first (highest tier whose floor ≤ revenue); gold stays empty
    assert result["tier"].tolist() == ["diamond", "platinum", "platinum", "vip", "ordinary"]
    assert list(result["tier"].cat.categories) == list(tiers.ABSOLUTE_TIERS)
    with pytest.raises(ValueError):
        AbsoluteThresholds(diamond=1, platinum=2)


@pytest.mark.parametrize(
    ("n", "counts"),
    [
        # (r − 1)/n < 5 % → key; < 20 % → major; < 50 % → ordinary; else small
        (100, [5, 15, 30, 50]),
        (10, [1, 1, 3, 5]),  # r = 1 (0 < 0.05) key; r = 2 (0.1 < 0.2) major; r = 3..5 ordinary
        (20, [1, 3, 6, 10]),  # key r = 1; major r − 1 < 4 → r = 2..4; ordinary r − 1 < 10 → r = 5..10
        (4, [1, 0, 1, 2]),  # r = 2 starts at 25 % > 20 %: no major; r = 2 (0.25 < 0.5) ordinary
        (1, [1, 0, 0, 0]),
    ],
)
def test_rank_share_counts(n: int, counts: list[int]) -> None:
    data = simple({i: float(1000 - i) for i in range(1, n + 1)})
    result = tiers.assign_tiers(data, RANK)
    assert result["tier"].value_counts().reindex(list(tiers.RANK_TIERS)).tolist() == counts
    # tiers follow the revenue order
    codes = result["tier"].cat.codes.to_numpy()
    assert (np.diff(codes) >= 0).all()


def test_rank_share_ties_and_custom_shares() -> None:
    # all equal → order by customer_id; n = 10 with shares 10 / 20 / 20: key r = 1; major r − 1 < 3 → 2, 3;
    # ordinary r − 1 < 5 → 4, 5; small the rest
    data = simple({i: 7.0 for i in (10, 9, 8, 7, 6, 5, 4, 3, 2, 1)})
    result = tiers.assign_tiers(data, TierScheme(mode="rank", shares=RankShares(key=0.1, major=0.2, ordinary=0.2)))
    by_id = dict(zip(result["customer_id"], result["tier"], strict=True))
    assert [by_id[i] for i in range(1, 11)] == ["key", "major", "major", "ordinary", "ordinary"] + ["small"] * 5
    with pytest.raises(ValueError):
        RankShares(key=0.5, major=0.5, ordinary=0.1)


def test_rank_share_with_cached_ranking_is_identical_and_cheap() -> None:
    rng = np.random.default_rng(3)
    n = 200_000
    data = pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1, dtype=np.int32),
            "customer_name": pd.array(np.arange(n).astype(str), dtype="str"),
            "revenue": np.round(rng.lognormal(8, 2, n), 0) - 50,  # rounded: many ties, some ≤ 0
        }
    )
    ranking = pareto.rank(data)
    start = time.perf_counter()
    cached = tiers.assign_tiers(ranking, RANK)
    elapsed = time.perf_counter() - start
    direct = tiers.assign_tiers(data, RANK)
    merged = direct[["customer_id", "tier"]].merge(cached[["customer_id", "tier"]], on="customer_id")
    assert len(merged) == n and (merged["tier_x"] == merged["tier_y"]).all()
    assert elapsed < 0.2  # a few ms in practice


def test_tier_table_by_hand() -> None:
    data = facts(
        [
            # (id, revenue, orders, profit, purchase days)
            (1, 6_000_000, 10, 600_000, 10),  # diamond
            (2, 1_000_000, 4, 100_000, 4),  # platinum
            (3, 20_000, 4, 2_000, 3),  # vip
            (4, 10_000, 1, None, 1),  # vip, no profit data
            (5, 5_000, 2, 500, 2),  # ordinary
        ]
    )
    table = tiers.tier_table(tiers.assign_tiers(data))
    total = 7_035_000.0  # 6,000,000 + 1,000,000 + 20,000 + 10,000 + 5,000
    expected = pd.DataFrame(
        {
            "tier": ["diamond", "platinum", "gold", "vip", "ordinary"],
            "customers": [1, 1, 0, 2, 1],
            "customer_share": [0.2, 0.2, 0.0, 0.4, 0.2],
            "revenue": [6_000_000.0, 1_000_000.0, 0.0, 30_000.0, 5_000.0],
            "revenue_share": [6e6 / total, 1e6 / total, 0.0, 30_000 / total, 5_000 / total],
            "profit": [600_000.0, 100_000.0, np.nan, 2_000.0, 500.0],  # vip: 2,000 + (none)
            "orders": [10, 4, 0, 5, 2],
            # revenue / orders: 600,000; 250,000; —; 30,000 / 5 = 6,000; 5,000 / 2 = 2,500
            "average_order_value": [600_000.0, 250_000.0, np.nan, 6_000.0, 2_500.0],
            # orders / customers: 10; 4; —; 5 / 2; 2
            "purchase_frequency": [10.0, 4.0, np.nan, 2.5, 2.0],
            "min_revenue": [6e6, 1e6, np.nan, 10_000.0, 5_000.0],
            "max_revenue": [6e6, 1e6, np.nan, 20_000.0, 5_000.0],
        }
    )
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)


def test_tier_table_empty() -> None:
    empty = facts([])
    table = tiers.tier_table(tiers.assign_tiers(empty, RANK), RANK)
    assert table["tier"].tolist() == list(tiers.RANK_TIERS)
    assert table["customers"].tolist() == [0, 0, 0, 0]
    assert table["revenue_share"].isna().all()


PREVIOUS = facts(
    [
        (1, 6_000_000, 1, None, 1),  # diamond
        (2, 600_000, 1, None, 1),  # gold
        (3, 20_000, 1, None, 1),  # vip
        (4, 5_000, 1, None, 1),  # ordinary
        (5, 50_000, 1, None, 1),  # vip, no purchase now → lost
        (7, -100, 0, None, 0),  # only a return before → not present before
    ]
)
CURRENT = facts(
    [
        (1, 2_000_000, 1, None, 1),  # platinum: down
        (2, 1_200_000, 1, None, 1),  # platinum: up (+100 %)
        (3, 15_000, 1, None, 1),  # vip: same (−25 %)
        (4, 12_000, 1, None, 1),  # vip: up (+140 %)
        (6, 700_000, 1, None, 1),  # gold: new
        (7, 30_000, 1, None, 1),  # vip: new (nothing bought before)
        (8, -50, 0, None, 0),  # only a return now, nothing before → in neither period
    ]
)


def test_migration_matrix_counts() -> None:
    moved = tiers.migration(CURRENT, PREVIOUS)
    matrix = moved.matrix
    assert matrix.index.tolist() == [*tiers.ABSOLUTE_TIERS, "new"]
    assert matrix.columns.tolist() == [*tiers.ABSOLUTE_TIERS, "lost"]
    expected = {
        ("diamond", "platinum"): 1,
        ("gold", "platinum"): 1,
        ("vip", "vip"): 1,
        ("ordinary", "vip"): 1,
        ("vip", "lost"): 1,
        ("new", "gold"): 1,
        ("new", "vip"): 1,
    }
    for row in matrix.index:
        for column in matrix.columns:
            assert matrix.loc[row, column] == expected.get((row, column), 0), (row, column)
    assert moved.counts() == {"up": 2, "same": 1, "down": 1, "new": 2, "lost": 1}
    people = moved.customers.set_index("customer_id")
    assert people.loc[5, "movement"] == "lost" and pd.isna(people.loc[5, "tier"]) and people.loc[5, "revenue"] == 0
    assert people.loc[7, "movement"] == "new" and pd.isna(people.loc[7, "previous_tier"])
    assert 8 not in people.index
    flows = moved.flows.set_index(["from_tier", "to_tier"])
    assert flows.loc[("gold", "platinum"), "movement"] == "up"
    assert flows.loc[("gold", "platinum"), "previous_revenue"] == 600_000
    assert flows.loc[("new", "vip"), "revenue"] == 30_000
    assert flows["customers"].sum() == 7


def test_migration_rank_mode_and_empty() -> None:
    # previous: 1 > 2 > 3 > 4 (n = 4: key, ordinary, small, small); current: 4 > 1 > 2 (n = 3:
    # key r = 1; major: r − 1 < 0.6 → none; ordinary r − 1 < 1.5 → r = 2; small r = 3)
    previous = simple({1: 400, 2: 300, 3: 200, 4: 100})
    current = simple({4: 900, 1: 500, 2: 100})
    moved = tiers.migration(current, previous, RANK)
    people = moved.customers.set_index("customer_id")
    assert people["previous_tier"].tolist() == ["key", "ordinary", "small", "small"]
    assert people["tier"].astype(object).where(people["tier"].notna(), None).tolist() == [
        "ordinary",
        "small",
        None,
        "key",
    ]
    assert people["movement"].tolist() == ["down", "down", "lost", "up"]
    assert moved.tier_floors["key"] == 900 and np.isnan(moved.tier_floors["major"])
    empty = tiers.migration(simple({}), simple({}))
    assert int(empty.matrix.to_numpy().sum()) == 0 and empty.customers.empty and empty.flows.empty


def test_upgrade_candidates() -> None:
    moved = tiers.migration(CURRENT, PREVIOUS)
    found = tiers.upgrade_candidates(moved)
    # 4: 12,000 / 5,000 − 1 = 1.4 ≥ 0.5, ≥ 10,000, vip → next gold at 500,000: gap 488,000
    # 2: 1,200,000 / 600,000 − 1 = 1.0, platinum → next diamond at 5,000,000: gap 3,800,000
    # 3 fell (−25 %), 1 fell, 6 and 7 are new (no growth ratio)
    assert found["customer_id"].tolist() == [4, 2]
    np.testing.assert_allclose(found["growth"], [1.4, 1.0])
    assert found["next_tier"].tolist() == ["gold", "diamond"]
    np.testing.assert_allclose(found["gap_to_next_tier"], [488_000.0, 3_800_000.0])
    assert found["previous_tier"].tolist() == ["ordinary", "gold"]
    # the floor keeps small spenders out; the tier list restricts to the lower tiers
    assert tiers.upgrade_candidates(moved, min_revenue=20_000)["customer_id"].tolist() == [2]
    assert tiers.upgrade_candidates(moved, candidate_tiers=("vip", "ordinary"))["customer_id"].tolist() == [4]
    assert tiers.upgrade_candidates(moved, min_growth=1.2)["customer_id"].tolist() == [4]
    # growth exactly at the threshold qualifies: 2 grew exactly +100 %
    assert tiers.upgrade_candidates(moved, min_growth=1.0)["customer_id"].tolist() == [4, 2]


def test_period_migration_from_store() -> None:
    rows = [
        ("X", d(2023, 1, 15), 20_000.0),  # previous window only → lost
        ("Y", d(2024, 6, 30), 15_000.0),  # current only → new; as-of = 2024-06-30
        ("Z", d(2022, 12, 1), 1_000.0),  # previous: 2022-07-01 … 2023-06-30 → ordinary
        ("Z", d(2024, 1, 1), 11_000.0),  # current: 2023-07-01 … 2024-06-30 → vip (up)
        ("W", d(2022, 6, 30), 99_000.0),  # before both windows: ignored
    ]
    frame = pd.DataFrame(rows, columns=["customer", "order_date", "amount"])
    con = store.connect(":memory:")
    loader.store_frame(con, frame, loader.UploadMeta(kind="ledger", file_name="l.csv", file_hash="l"))
    moved = tiers.period_migration(con, Filters())
    assert moved is not None
    people = moved.customers.set_index("customer_name")
    assert people["movement"].to_dict() == {"X": "lost", "Y": "new", "Z": "up"}
    assert moved.matrix.loc["ordinary", "vip"] == 1
    assert moved.matrix.loc["vip", "lost"] == 1
    assert moved.matrix.loc["new", "vip"] == 1
    assert tiers.period_migration(con, Filters(regions=("nowhere",))) is None


def test_migration_names_and_top_tier_candidates() -> None:
    # names as of the current period (a renamed customer shows its new name), else as before;
    # input in any order (not sorted by id)
    previous = simple({9: 20_000, 3: 5_000_000, 5: 50_000}).assign(
        customer_name=pd.array(["nine", "three before", "five"], dtype="str")
    )
    current = simple({3: 6_000_000, 4: 40_000}).assign(customer_name=pd.array(["three now", "four"], dtype="str"))
    people = tiers.migration(current, previous).customers.set_index("customer_id")
    assert people["customer_name"].to_dict() == {3: "three now", 4: "four", 5: "five", 9: "nine"}
    assert people["movement"].astype(str).to_dict() == {3: "same", 4: "new", 5: "lost", 9: "lost"}
    # the top tier may be asked for: nothing above it, so no next tier and no gap
    moved = tiers.migration(current, previous)
    found = tiers.upgrade_candidates(moved, min_growth=0.1, candidate_tiers=tiers.ABSOLUTE_TIERS)
    assert found["customer_id"].tolist() == [3]
    assert found["next_tier"].tolist() == [None] and np.isnan(found["gap_to_next_tier"].iloc[0])


def test_pair_periods_by_hand() -> None:
    pair = tiers.pair_periods(CURRENT, PREVIOUS)
    # present now: 1 2 3 4 6 7 (8 only returned); present before: 1 2 3 4 5 (7 only returned)
    assert pair.customers["customer_id"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert pair.customers["customer_name"].tolist() == ["c1", "c2", "c3", "c4", "c5", "c6", "c7"]
    assert pair.present.tolist() == [True, True, True, True, False, True, True]
    assert pair.previous_present.tolist() == [True, True, True, True, True, False, False]
    np.testing.assert_array_equal(pair.revenue, [2_000_000, 1_200_000, 15_000, 12_000, 0, 700_000, 30_000])
    np.testing.assert_array_equal(pair.previous_revenue, [6_000_000, 600_000, 20_000, 5_000, 50_000, 0, 0])
    # ranks over all rows of each frame: now 1 > 2 > 6 > 7 > 3 > 4 > 8; before 1 > 2 > 5 > 3 > 4 > 7
    assert pair.position.tolist() == [0, 1, 4, 5, -1, 2, 3]
    assert pair.previous_position.tolist() == [0, 1, 3, 4, 2, -1, -1]
    assert (pair.size, pair.previous_size) == (7, 6)


@pytest.mark.parametrize(
    "scheme",
    [
        TierScheme(),
        TierScheme(thresholds=AbsoluteThresholds(1_000_000, 600_000, 20_000, 12_000)),  # revenues on the floors
        RANK,
        TierScheme(mode="rank", shares=RankShares(0.3, 0.3, 0.0)),
    ],
)
def test_one_pair_retiered_equals_a_fresh_migration(scheme: TierScheme) -> None:
    # the pair is built once (with the default scheme in mind) and re-tiered per slider move
    pair = tiers.pair_periods(CURRENT, PREVIOUS)
    moved, fresh = tiers.migrate(pair, scheme), tiers.migration(CURRENT.iloc[::-1], PREVIOUS, scheme)
    pd.testing.assert_frame_equal(moved.matrix, fresh.matrix)
    pd.testing.assert_frame_equal(moved.flows, fresh.flows)
    pd.testing.assert_frame_equal(moved.customers, fresh.customers)
    assert moved.tier_floors.keys() == fresh.tier_floors.keys()
    np.testing.assert_array_equal(list(moved.tier_floors.values()), list(fresh.tier_floors.values()))


def test_retiering_a_pair_is_fast() -> None:
    # 500,000 customers in each period: aligning them is the costly step, re-tiering must fit a slider step
    rng = np.random.default_rng(3)
    n = 500_000
    current = simple(dict(zip(range(n), rng.lognormal(9, 2, n), strict=True)))
    previous = simple(dict(zip(range(n // 10, n + n // 10), rng.lognormal(9, 2, n), strict=True)))
    pair = tiers.pair_periods(current, previous)
    start = time.perf_counter()
    tiers.migrate(pair, RANK)
    assert time.perf_counter() - start < 0.5  # ~0.03 s on an idle core; generous for a loaded CI machine
