"""Churn analytics on small hand-built ledgers: every expected number is worked out in the comments."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics import bgnbd, churn, loader, satisfaction, store
from analytics.customer_facts import Period
from analytics.filters import Filters

d = dt.date
COLUMNS = ["customer", "order_date", "amount", "profit", "category", "region", "sales_rep"]
SURVEY_COLUMNS = ["customer", "survey_date", "overall"]
COMPLAINT_COLUMNS = ["customer", "complaint_id", "opened_date", "category", "severity", "status", "resolved_date"]


def make_store(
    rows: Sequence[tuple[object, ...]],
    columns: list[str] = COLUMNS,
    surveys: Sequence[tuple[object, ...]] | None = None,
    complaints: Sequence[tuple[object, ...]] | None = None,
    one_upload: bool = False,
) -> duckdb.DuckDBPyConnection:
    """Store ``rows``; one upload per customer in order of appearance, so customer_id = 1, 2, 3, …

    ``one_upload`` stores the ledger in a single upload (faster; customer ids then unspecified).
    """
    con = store.connect(":memory:")
    frame = pd.DataFrame(rows, columns=columns)
    parts = [frame] if one_upload else [part for _, part in frame.groupby("customer", sort=False)]
    for i, part in enumerate(parts):
        meta = loader.UploadMeta(kind="ledger", file_name=f"part{i}.csv", file_hash=f"hash{i}")
        loader.store_frame(con, part.reset_index(drop=True), meta)
    if surveys:
        meta = loader.UploadMeta(kind="surveys", file_name="s.xlsx", file_hash="s", survey_scale=(1.0, 5.0))
        loader.store_frame(con, pd.DataFrame(surveys, columns=SURVEY_COLUMNS), meta)
    if complaints:
        meta = loader.UploadMeta(kind="complaints", file_name="c.xlsx", file_hash="c")
        loader.store_frame(con, pd.DataFrame(complaints, columns=COMPLAINT_COLUMNS), meta)
    return con


# --------------------------------------------------------------------------------------------
# The main hand-built ledger (as-of 2024-12-31 unless said otherwise)
# ids: A=1, B=2, C=3, D=4, E=5, F=6, H=7, I=8
# --------------------------------------------------------------------------------------------
LEDGER: list[tuple[object, ...]] = [
    ("A", d(2023, 3, 10), 1000.0, 100.0, "pump", "N", "r1"),
    ("A", d(2023, 5, 1), -400.0, -40.0, "pump", "N", "r1"),  # a return: net 2023 revenue 600
    ("A", d(2024, 2, 10), 2000.0, 300.0, "pump", "N", "r1"),
    ("B", d(2023, 6, 1), 30000.0, 5000.0, "pump", "N", "r2"),
    ("B", d(2023, 9, 1), 10000.0, 2000.0, "valve", "N", "r2"),  # B stops after 2023
    ("C", d(2023, 12, 31), 500.0, 50.0, "valve", "S", "r2"),
    ("C", d(2024, 12, 31), -200.0, -20.0, "valve", "S", "r2"),  # only a return in 2024: not a purchase
    ("D", d(2024, 5, 5), 5000.0, 500.0, "valve", "S", "r3"),  # new in 2024
    ("E", d(2022, 6, 1), 800.0, 80.0, "pump", "S", "r3"),  # two windows back
    ("F", d(2023, 1, 1), -100.0, -10.0, "pump", "S", "r3"),  # only a return: never active
    ("H", d(2024, 11, 15), 700.0, 70.0, "pump", "S", "r1"),
    ("H", d(2024, 12, 20), 300.0, 30.0, "pump", "S", "r1"),
    ("I", d(2024, 11, 20), 400.0, 40.0, "valve", "N", "r1"),
]
SURVEYS: list[tuple[object, ...]] = [
    ("A", d(2024, 6, 1), 5.0),
    ("B", d(2024, 3, 1), 2.0),
    ("B", d(2025, 1, 15), 5.0),  # after the as-of date: ignored
]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return make_store(LEDGER, surveys=SURVEYS)


@pytest.fixture(scope="module")
def empty() -> duckdb.DuckDBPyConnection:
    return store.connect(":memory:")


# ---------------------------------------------------------------- windows


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (d(2024, 3, 31), 1, d(2024, 2, 29)),  # month end → month end
        (d(2024, 2, 29), 1, d(2024, 1, 31)),  # month end → month end (not Jan 29)
        (d(2024, 3, 30), 1, d(2024, 2, 29)),  # clamped
        (d(2024, 12, 31), 12, d(2023, 12, 31)),
        (d(2024, 2, 29), 12, d(2023, 2, 28)),
        (d(2023, 2, 28), 12, d(2022, 2, 28)),
        (d(2024, 6, 15), 24, d(2022, 6, 15)),
    ],
)
def test_months_back(day: dt.date, months: int, result: dt.date) -> None:
    assert churn.months_back(day, months) == result


@pytest.mark.parametrize(
    ("as_of", "w", "current", "previous"),
    [
        (d(2024, 12, 31), 12, Period(d(2024, 1, 1), d(2024, 12, 31)), Period(d(2023, 1, 1), d(2023, 12, 31))),
        (d(2024, 12, 31), 1, Period(d(2024, 12, 1), d(2024, 12, 31)), Period(d(2024, 11, 1), d(2024, 11, 30))),
        (d(2024, 12, 31), 24, Period(d(2023, 1, 1), d(2024, 12, 31)), Period(d(2021, 1, 1), d(2022, 12, 31))),
        (d(2024, 2, 29), 1, Period(d(2024, 2, 1), d(2024, 2, 29)), Period(d(2024, 1, 1), d(2024, 1, 31))),
        (d(2024, 3, 15), 1, Period(d(2024, 2, 16), d(2024, 3, 15)), Period(d(2024, 1, 16), d(2024, 2, 15))),
    ],
)
def test_churn_windows(as_of: dt.date, w: int, current: Period, previous: Period) -> None:
    windows = churn.churn_windows(as_of, w)
    assert (windows.current, windows.previous) == (current, previous)


@pytest.mark.parametrize("w", [0, 25, -1])
def test_window_outside_slider_range(con: duckdb.DuckDBPyConnection, w: int) -> None:
    with pytest.raises(ValueError):
        churn.churn_summary(con, Filters(), window_months=w)
    with pytest.raises(ValueError):
        churn.churn_over_time(con, Filters(), window_months=w)


# ---------------------------------------------------------------- churn summary


@pytest.mark.parametrize(
    ("as_of", "w", "expected"),
    [
        # w = 12, as-of = latest line 2024-12-31 (C's return): previous = 2023, current = 2024.
        # active (purchase in 2023) = A, B, C (F only returned, E bought in 2022) → 3
        # lost = B (nothing in 2024), C (only a return in 2024) → 2; new = D, H, I → 3
        # prior revenue = A 1000 − 400 + B 30000 + 10000 + C 500 = 41100; lost prior = 40500
        # cohort now = A 2000 + B 0 + C −200 = 1800
        (None, 12, (3, 1, 2, 3, 41100.0, 40500.0, 1800.0)),
        # w = 1: previous = Nov 2024 (H 700, I 400), current = Dec 2024 (H 300; C only a return)
        # active 2, lost I → 1; new: nobody bought in Dec without Nov → 0
        # prior 1100, lost prior 400, cohort now 300
        (None, 1, (2, 1, 1, 0, 1100.0, 400.0, 300.0)),
        # w = 24: previous = 2021–2022 (E 800), current = 2023–2024 (E absent) → 1 active, 1 lost
        # new = A, B, C, D, H, I → 6; prior 800, lost prior 800, cohort now 0
        (None, 24, (1, 0, 1, 6, 800.0, 800.0, 0.0)),
        # as-of 2024-06-30, w = 12: previous = 2022-07-01…2023-06-30 (A 1000 − 400, B 30000) → prior 30600
        # current = 2023-07-01…2024-06-30 (A 2000, B 10000, C 500, D 5000); lost 0, new C, D
        # cohort now = A 2000 + B 10000 = 12000 (later lines H, I, C's return are after the as-of date)
        (d(2024, 6, 30), 12, (2, 2, 0, 2, 30600.0, 0.0, 12000.0)),
    ],
)
def test_churn_summary_by_hand(
    con: duckdb.DuckDBPyConnection, as_of: dt.date | None, w: int, expected: tuple[float, ...]
) -> None:
    active, retained, lost, new, prior, lost_prior, cohort_now = expected
    s = churn.churn_summary(con, Filters(), as_of, w)
    assert (s.active_at_start, s.retained, s.lost, s.new_customers) == (active, retained, lost, new)
    assert s.prior_revenue == pytest.approx(prior)
    assert s.lost_prior_revenue == pytest.approx(lost_prior)
    assert s.cohort_current_revenue == pytest.approx(cohort_now)
    assert s.churn_rate == pytest.approx(lost / active)
    assert s.revenue_churn == pytest.approx(lost_prior / prior)
    assert s.net_revenue_retention == pytest.approx(cohort_now / prior)
    assert s.window_months == w


def test_churn_summary_rates_spelled_out(con: duckdb.DuckDBPyConnection) -> None:
    s = churn.churn_summary(con, Filters())
    assert s.as_of == d(2024, 12, 31)
    assert s.churn_rate == pytest.approx(2 / 3)  # 2 lost of 3 active
    assert s.revenue_churn == pytest.approx(0.985401459854)  # 40500 / 41100
    assert s.net_revenue_retention == pytest.approx(0.043795620438)  # 1800 / 41100


def test_nobody_active_gives_none_rates(con: duckdb.DuckDBPyConnection) -> None:
    # as-of 2022-01-31, w = 1: previous = Dec 2021, nobody bought → rates undefined
    s = churn.churn_summary(con, Filters(), d(2022, 1, 31), 1)
    assert (s.active_at_start, s.lost) == (0, 0)
    assert (s.churn_rate, s.revenue_churn, s.net_revenue_retention) == (None, None, None)


def test_date_to_is_the_as_of_date_and_date_from_is_ignored(con: duckdb.DuckDBPyConnection) -> None:
    explicit = churn.churn_summary(con, Filters(), d(2024, 6, 30))
    assert churn.churn_summary(con, Filters(date_to=d(2024, 6, 30))) == explicit
    assert churn.churn_summary(con, Filters(date_from=d(2024, 5, 1), date_to=d(2024, 6, 30))) == explicit


def test_region_filter(con: duckdb.DuckDBPyConnection) -> None:
    # region N: A, B, I. previous (2023): A, B active; B lost → 1/2; I new
    s = churn.churn_summary(con, Filters(regions=("N",)), d(2024, 12, 31))
    assert (s.active_at_start, s.lost, s.new_customers) == (2, 1, 1)
    assert s.revenue_churn == pytest.approx(40000 / 40600)


def test_empty_store(empty: duckdb.DuckDBPyConnection) -> None:
    s = churn.churn_summary(empty, Filters())
    assert s.windows is None and s.as_of is None
    assert (s.active_at_start, s.lost, s.churn_rate, s.net_revenue_retention) == (0, 0, None, None)
    assert churn.churn_over_time(empty, Filters()).empty
    assert churn.lost_customers(empty, Filters()).empty
    assert churn.lost_profile(empty, Filters()).empty
    assert churn.inactivity(empty, Filters()).empty
    assert churn.early_warning(empty, Filters()).empty
    cohorts = churn.cohort_retention(empty, Filters())
    assert cohorts.matrix.empty and cohorts.sizes.empty and cohorts.last_month_index is None
    what_if = churn.retention_what_if(empty, Filters())
    assert (what_if.active_customers, what_if.customers_retained, what_if.value_kept) == (0, 0.0, None)
    model = churn.bgnbd_summary(empty, Filters())
    assert model.fit is None and model.customers.empty


# ---------------------------------------------------------------- churn over time

# X buys Jan, Feb, Apr 2024; Y Jan only; Z Mar and Apr (the last line 2024-04-30 is the as-of date)
MONTHLY: list[tuple[object, ...]] = [
    ("X", d(2024, 1, 5), 10.0, None, None, "N", "r1"),
    ("X", d(2024, 2, 5), 10.0, None, None, "N", "r1"),
    ("X", d(2024, 4, 5), 10.0, None, None, "N", "r1"),
    ("Y", d(2024, 1, 9), 10.0, None, None, "N", "r1"),
    ("Y", d(2024, 3, 9), -10.0, None, None, "N", "r1"),  # a return is not a purchase
    ("Z", d(2024, 3, 1), 10.0, None, None, "N", "r1"),
    ("Z", d(2024, 4, 30), 10.0, None, None, "N", "r1"),
]


def test_churn_over_time_by_hand() -> None:
    con = make_store(MONTHLY)
    one = churn.churn_over_time(con, Filters(), window_months=1, points=4)
    # Jan 31: previous Dec 2023 → nobody; Feb 29: Jan (X, Y) → Feb (X): Y lost → 1/2
    # Mar 31: Feb (X) → Mar (Z only): X lost → 1/1; Apr 30: Mar (Z) → Apr (X, Z): 0/1
    assert one["as_of"].dt.date.tolist() == [d(2024, 1, 31), d(2024, 2, 29), d(2024, 3, 31), d(2024, 4, 30)]
    assert one["month_index"].tolist() == [2024 * 12 + m for m in (1, 2, 3, 4)]
    assert one["active_at_start"].tolist() == [0, 2, 1, 1]
    assert one["lost"].tolist() == [0, 1, 1, 0]
    assert np.isnan(one["churn_rate"].iloc[0])
    assert one["churn_rate"].iloc[1:].tolist() == [0.5, 1.0, 0.0]
    two = churn.churn_over_time(con, Filters(), window_months=2, points=1)
    # Apr 30, w = 2: previous Jan–Feb (X, Y), current Mar–Apr (X, Z): Y lost → 1/2
    assert two[["active_at_start", "lost"]].values.tolist() == [[2, 1]]
    # date_from sets the first point instead of ``points``
    dated = churn.churn_over_time(con, Filters(date_from=d(2024, 3, 10)), window_months=1, points=1)
    assert dated["as_of"].dt.date.tolist() == [d(2024, 3, 31), d(2024, 4, 30)]


def test_churn_over_time_skips_the_unfinished_month(con: duckdb.DuckDBPyConnection) -> None:
    rows = churn.churn_over_time(con, Filters(), window_months=12, points=3, as_of=d(2024, 12, 30))
    assert rows["as_of"].dt.date.tolist() == [d(2024, 9, 30), d(2024, 10, 31), d(2024, 11, 30)]


@pytest.mark.parametrize("w", [1, 3, 12, 24])
def test_churn_over_time_matches_churn_summary(con: duckdb.DuckDBPyConnection, w: int) -> None:
    rows = churn.churn_over_time(con, Filters(), window_months=w, points=14)
    assert len(rows) == 14
    for row in rows.itertuples(index=False):
        s = churn.churn_summary(con, Filters(), row.as_of.date(), w)
        assert (row.active_at_start, row.lost) == (s.active_at_start, s.lost), row.as_of


@settings(max_examples=8, deadline=None)
@given(
    days=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 700), st.sampled_from([50.0, -20.0])), min_size=1, max_size=14
    ),
    w=st.sampled_from([1, 2, 5, 12]),
)
def test_churn_over_time_agrees_with_summary_on_random_ledgers(days: list[tuple[int, int, float]], w: int) -> None:
    start = d(2023, 1, 1)
    rows = [(f"k{c}", start + dt.timedelta(days=n), amount, None, None, "N", "r") for c, n, amount in days]
    rows.sort(key=lambda r: str(r[0]))
    con = make_store(rows, one_upload=True)
    series = churn.churn_over_time(con, Filters(), window_months=w, points=8)
    for row in series.itertuples(index=False):
        s = churn.churn_summary(con, Filters(), row.as_of.date(), w)
        assert (row.active_at_start, row.lost) == (s.active_at_start, s.lost)


# ---------------------------------------------------------------- lost customers and their profile


def test_lost_customers_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    lost = churn.lost_customers(con, Filters())
    assert lost["customer_name"].tolist() == ["B", "C"]  # prior revenue 40000, 500
    b, c = lost.iloc[0], lost.iloc[1]
    # B: 2023 revenue 40000 → vip (≥ 10,000); pump 30000 > valve 10000; last purchase 2023-09-01
    assert (b["region"], b["sales_rep"], b["tier"], b["main_category"]) == ("N", "r2", "vip", "pump")
    assert (b["prior_revenue"], b["prior_profit"], b["prior_orders"]) == (40000.0, 7000.0, 2)
    assert b["last_purchase"].date() == d(2023, 9, 1)
    assert b["days_since_last"] == 487  # 2023-09-01 → 2024-09-01 = 366 (leap year) + 121
    # latest survey on or before the as-of date: 2 on 1–5 (the 2025 answer is later) → dissatisfied
    assert (b["latest_score"], b["scale_min"], b["scale_max"]) == (2.0, 1.0, 5.0)
    assert b["latest_survey_date"].date() == d(2024, 3, 1)
    assert b["satisfaction_band"] == "dissatisfied"
    # C: 500 → ordinary; valve; 2023-12-31 → 366 days; no survey
    assert (c["tier"], c["main_category"], c["days_since_last"], c["satisfaction_band"]) == (
        "ordinary",
        "valve",
        366,
        "no_survey",
    )
    assert np.isnan(c["latest_score"])


def test_lost_customers_one_month_window(con: duckdb.DuckDBPyConnection) -> None:
    # w = 1: I bought 400 in Nov 2024 and nothing in Dec. Tier on the 12 months to 2024-11-30: 400 → ordinary
    lost = churn.lost_customers(con, Filters(), window_months=1)
    assert lost[["customer_name", "tier", "prior_revenue", "days_since_last"]].values.tolist() == [
        ["I", "ordinary", 400.0, 41]
    ]


def test_lost_profile_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    profile = churn.lost_profile(con, Filters())
    got = {
        (r.dimension, r.value): (r.active_at_start, r.lost, r.churn_rate, r.revenue_churn)
        for r in profile.itertuples(index=False)
    }
    # cohort A (N, r1, ordinary, pump, satisfied), B (N, r2, vip, pump, dissatisfied), C (S, r2, ordinary, valve, —)
    assert got == {
        ("region", "N"): (2, 1, 0.5, pytest.approx(40000 / 40600)),
        ("region", "S"): (1, 1, 1.0, 1.0),
        ("sales_rep", "r2"): (2, 2, 1.0, 1.0),
        ("sales_rep", "r1"): (1, 0, 0.0, 0.0),
        ("tier", "ordinary"): (2, 1, 0.5, pytest.approx(500 / 1100)),
        ("tier", "vip"): (1, 1, 1.0, 1.0),
        ("category", "pump"): (2, 1, 0.5, pytest.approx(40000 / 40600)),
        ("category", "valve"): (1, 1, 1.0, 1.0),
        ("satisfaction", "satisfied"): (1, 0, 0.0, 0.0),
        ("satisfaction", "dissatisfied"): (1, 1, 1.0, 1.0),
        ("satisfaction", "no_survey"): (1, 1, 1.0, 1.0),
    }
    assert profile["dimension"].drop_duplicates().tolist() == list(churn.PROFILE_DIMENSIONS)
    assert profile["value"].tolist()[:2] == ["N", "S"]  # more active customers first


# ---------------------------------------------------------------- inactivity

# P: purchase days 01-01, 01-11 (two lines), 01-31, 02-10 → gaps 10, 20, 10 → median 10
# (the return on 01-05 is not a purchase; counted, the gaps would be 4, 6, 20, 10 → median 8)
# Q: a single purchase day (two lines)
RHYTHM: list[tuple[object, ...]] = [
    ("P", d(2024, 1, 1), 10.0, None, None, "N", "r1"),
    ("P", d(2024, 1, 5), -3.0, None, None, "N", "r1"),
    ("P", d(2024, 1, 11), 10.0, None, None, "N", "r1"),
    ("P", d(2024, 1, 11), 5.0, None, None, "N", "r1"),
    ("P", d(2024, 1, 31), 10.0, None, None, "N", "r1"),
    ("P", d(2024, 2, 10), 10.0, None, None, "N", "r1"),
    ("Q", d(2023, 1, 1), 10.0, None, None, "N", "r1"),
    ("Q", d(2023, 1, 1), 10.0, None, None, "N", "r1"),
]


@pytest.mark.parametrize(
    ("as_of", "k", "floor", "days", "status"),
    [
        (d(2024, 3, 1), 2.0, 30, 20, "on_rhythm"),  # 20 days (Feb has 29) = 2 × 10: not more than
        (d(2024, 3, 2), 2.0, 30, 21, "within_floor"),  # 21 > 20 but not > 30
        (d(2024, 3, 2), 2.0, 0, 21, "overdue"),  # no floor
        (d(2024, 3, 12), 2.0, 30, 31, "overdue"),  # 31 > 20 and > 30
        (d(2024, 3, 12), 3.5, 30, 31, "on_rhythm"),  # 31 ≤ 35
        (d(2024, 2, 10), 2.0, 30, 0, "on_rhythm"),
    ],
)
def test_inactivity_by_hand(as_of: dt.date, k: float, floor: int, days: int, status: str) -> None:
    con = make_store(RHYTHM)
    frame = churn.inactivity(con, Filters(), as_of, k=k, floor_days=floor).set_index("customer_name")
    p = frame.loc["P"]
    assert (p["purchase_days"], p["days_since_last"], p["median_gap_days"]) == (4, days, 10.0)
    assert p["gap_ratio"] == pytest.approx(days / 10)
    assert (p["status"], bool(p["overdue"])) == (status, status == "overdue")
    q = frame.loc["Q"]  # one purchase day: no rhythm, never overdue by this rule
    assert (q["purchase_days"], q["status"], bool(q["overdue"])) == (1, "too_few_purchases", False)
    assert np.isnan(q["median_gap_days"])


def test_inactivity_ignores_purchases_after_as_of() -> None:
    con = make_store(RHYTHM)
    frame = churn.inactivity(con, Filters(), d(2024, 1, 20)).set_index("customer_name")
    # purchase days up to 01-20: 01-01, 01-11 → one gap of 10; 9 days since 01-11
    assert (frame.loc["P", "purchase_days"], frame.loc["P", "days_since_last"]) == (2, 9)
    with pytest.raises(ValueError):
        churn.inactivity(con, Filters(), k=0)


# ---------------------------------------------------------------- early warning

AS_OF = d(2024, 12, 31)  # last 90 days: 2024-10-03 … 12-31; the 90 before: 07-05 … 10-02
WARN: list[tuple[object, ...]] = [
    # c01 frequency: 4 orders before (07-10, 08-10, 09-10, 09-30), 2 recent (10-10, 12-20): −50 %
    *[("c01", day, 1000.0, None, None, "N", "r1") for day in (d(2024, 7, 10), d(2024, 8, 10), d(2024, 9, 10))],
    *[("c01", day, 1000.0, None, None, "N", "r1") for day in (d(2024, 9, 30), d(2024, 10, 10), d(2024, 12, 20))],
    # c02 steady: 4 before, 3 recent (−25 %), same order value, 21 days since the last of a ~30-day rhythm
    *[("c02", d(2024, m, 10), 1000.0, None, None, "N", "r1") for m in (7, 8, 9, 10, 11, 12)],
    ("c02", d(2024, 9, 30), 1000.0, None, None, "N", "r1"),
    # c03 value: 2 orders of 10,000 before, 2 of 5,000 recent → average order value −50 %
    ("c03", d(2024, 8, 1), 10000.0, None, None, "N", "r1"),
    ("c03", d(2024, 9, 1), 10000.0, None, None, "N", "r1"),
    ("c03", d(2024, 11, 1), 5000.0, None, None, "N", "r1"),
    ("c03", d(2024, 12, 1), 5000.0, None, None, "N", "r1"),
    # c04 overdue: every 10 days in January, then silence: 336 days > 2 × 10 and > 30
    *[("c04", d(2024, 1, day), 100.0, None, None, "N", "r1") for day in (10, 20, 30)],
    # c05 complaints; c06 low and falling satisfaction; c07 falling satisfaction (one order per window each)
    *[(c, day, 100.0, None, None, "N", "r1") for c in ("c05",) for day in (d(2024, 9, 15), d(2024, 12, 15))],
    *[(c, day, 100.0, None, None, "N", "r1") for c in ("c06", "c07") for day in (d(2024, 9, 1), d(2024, 12, 1))],
    # c08 tier downgrade: 20,000 in 2023 (vip) → 5,000 in 2024 (ordinary)
    ("c08", d(2023, 6, 1), 20000.0, None, None, "N", "r1"),
    ("c08", d(2024, 11, 15), 5000.0, None, None, "N", "r1"),
    # c09 last bought 2022-12-01: outside the 24-month population
    ("c09", d(2022, 12, 1), 100.0, None, None, "N", "r1"),
    # c10 lapsed in 2023 (tier movement "lost", not "down"); 640 days since a 31-day rhythm → overdue
    ("c10", d(2023, 3, 1), 100.0, None, None, "N", "r1"),
    ("c10", d(2023, 4, 1), 100.0, None, None, "N", "r1"),
]
WARN_SURVEYS: list[tuple[object, ...]] = [
    ("c06", d(2024, 6, 1), 4.0),
    ("c06", d(2024, 11, 1), 3.0),  # (3 − 1) / 4 = 0.5 ≤ 0.5 → low; 0.5 < 0.75 → falling
    ("c07", d(2024, 3, 1), 5.0),
    ("c07", d(2024, 10, 1), 4.0),  # 0.75: not low; 0.75 < 1.0 → falling
    ("c07", d(2025, 1, 20), 1.0),  # after the as-of date: ignored
]
WARN_COMPLAINTS: list[tuple[object, ...]] = [
    ("c05", "K1", d(2024, 11, 1), "quality", "一般", "处理中", None),  # open
    ("c05", "K2", d(2024, 10, 1), "quality", "一般", "已解决", d(2024, 11, 20)),  # resolved
    ("c05", "K3", d(2024, 12, 1), "delivery", "严重", "已解决", d(2025, 1, 10)),  # still open at 12-31
    ("c05", "K4", d(2025, 1, 5), "delivery", "严重", "未处理", None),  # opened after the as-of date
]
EXPECTED_SIGNALS = {
    "c01": ["freq_falling"],
    "c02": [],
    "c03": ["value_falling"],
    "c04": ["overdue"],
    "c05": ["open_complaints"],
    "c06": ["low_satisfaction", "falling_satisfaction"],
    "c07": ["falling_satisfaction"],
    "c08": ["tier_downgrade"],
    "c10": ["overdue"],
}
# default weights: freq 20, value 10, overdue 25, complaints 15, low 10, falling 5, tier 15 (sum 100)
EXPECTED_SCORES = {"c01": 20, "c02": 0, "c03": 10, "c04": 25, "c05": 15, "c06": 15, "c07": 5, "c08": 15, "c10": 25}


@pytest.fixture(scope="module")
def warn_con() -> duckdb.DuckDBPyConnection:
    return make_store(WARN, surveys=WARN_SURVEYS, complaints=WARN_COMPLAINTS)


def test_early_warning_signals_fire_exactly_when_they_should(warn_con: duckdb.DuckDBPyConnection) -> None:
    frame = churn.early_warning(warn_con, Filters(), AS_OF)
    got = dict(zip(frame["customer_name"], frame["risk_signals"], strict=True))
    assert got == EXPECTED_SIGNALS
    assert dict(zip(frame["customer_name"], frame["risk_score"], strict=True)) == EXPECTED_SCORES
    # order: score desc, then trailing-12-month revenue desc (c04 300 before c10 0; c08 5000 before c05/c06 200)
    assert frame["customer_name"].tolist() == ["c04", "c10", "c01", "c08", "c05", "c06", "c03", "c07", "c02"]
    row = frame.set_index("customer_name")
    assert (row.loc["c01", "orders_before"], row.loc["c01", "orders_recent"]) == (4, 2)
    assert row.loc["c01", "freq_change"] == pytest.approx(-0.5)
    assert row.loc["c03", "value_change"] == pytest.approx(-0.5)  # 5,000 / 10,000 − 1
    assert row.loc["c04", "days_since_last"] == 336 and row.loc["c04", "median_gap_days"] == 10.0
    assert row.loc["c05", "open_complaints"] == 2  # K1 and K3 (resolved only after the as-of date)
    assert (row.loc["c06", "latest_score"], row.loc["c06", "previous_score"]) == (3.0, 4.0)
    assert (row.loc["c08", "previous_tier"], row.loc["c08", "tier"]) == ("vip", "ordinary")
    assert row.loc["c10", "tier"] is None or pd.isna(row.loc["c10", "tier"])
    assert row.loc["c01", "risk_text"] == "freq_falling: orders 4 → 2 (-50%)"
    assert row.loc["c04", "risk_text"] == "overdue: 336 days since last purchase > 2 × median gap 10 days"
    assert row.loc["c06", "risk_text"] == ("low_satisfaction: latest score 3 on 1–5; falling_satisfaction: score 4 → 3")
    assert row.loc["c02", "risk_text"] == ""
    assert "c09" not in row.index
    assert frame["risk_score"].between(0, 100).all()


def test_early_warning_thresholds_and_weights_are_parameters(warn_con: duckdb.DuckDBPyConnection) -> None:
    # a 60 % fall needed: c01's 50 % no longer counts; the value fall of 50 % needs ≥ 30 % → still fires
    stricter = churn.early_warning(warn_con, Filters(), AS_OF, churn.WarningRules(freq_drop=0.6))
    got = dict(zip(stricter["customer_name"], stricter["risk_signals"], strict=True))
    assert got["c01"] == [] and got["c03"] == ["value_falling"]
    # c02 falls 25 %: fires with freq_drop 0.25
    looser = churn.early_warning(warn_con, Filters(), AS_OF, churn.WarningRules(freq_drop=0.25))
    assert dict(zip(looser["customer_name"], looser["risk_signals"], strict=True))["c02"] == ["freq_falling"]
    # weights: overdue 75 → total 150; overdue alone = 100 × 75 / 150 = 50
    heavy = churn.early_warning(warn_con, Filters(), AS_OF, churn.WarningRules(weight_overdue=75.0))
    assert dict(zip(heavy["customer_name"], heavy["risk_score"], strict=True))["c04"] == pytest.approx(50.0)
    # low-score threshold 0.25: c06's 3 (0.5) is no longer low
    calm = churn.early_warning(warn_con, Filters(), AS_OF, churn.WarningRules(low_score_share=0.25))
    assert dict(zip(calm["customer_name"], calm["risk_signals"], strict=True))["c06"] == ["falling_satisfaction"]
    with pytest.raises(ValueError):
        churn.WarningRules(freq_drop=0.0)
    with pytest.raises(ValueError):
        churn.WarningRules(weight_overdue=-1.0)
    assert sum(churn.WarningRules().weights.values()) == 100.0
    assert list(churn.WarningRules().weights) == list(churn.SIGNALS)


# ---------------------------------------------------------------- cohorts

# A: Jan, Feb, Apr; B: Jan, Mar; C: Feb, Mar; D: a Feb return, first purchase in Mar. Last month: Apr 2024.
COHORT: list[tuple[object, ...]] = [
    ("A", d(2024, 1, 5), 10.0, None, None, "N", "r1"),
    ("A", d(2024, 2, 5), 10.0, None, None, "N", "r1"),
    ("A", d(2024, 4, 5), 10.0, None, None, "N", "r1"),
    ("B", d(2024, 1, 10), 10.0, None, None, "N", "r1"),
    ("B", d(2024, 3, 10), 10.0, None, None, "N", "r1"),
    ("C", d(2024, 2, 15), 10.0, None, None, "S", "r1"),
    ("C", d(2024, 3, 15), 10.0, None, None, "S", "r1"),
    ("D", d(2024, 2, 20), -50.0, None, None, "S", "r1"),
    ("D", d(2024, 3, 20), 100.0, None, None, "S", "r1"),
]
nan = float("nan")


def test_cohort_retention_by_hand() -> None:
    con = make_store(COHORT)
    result = churn.cohort_retention(con, Filters(), max_months=4)
    # Jan cohort (A, B): month 0 2/2, Feb A 1/2, Mar B 1/2, Apr A 1/2, May unobserved
    # Feb cohort (C): 1, Mar 1, Apr 0, May/Jun unobserved; Mar cohort (D): 1, Apr 0
    expected = np.array(
        [
            [1.0, 0.5, 0.5, 0.5, nan],
            [1.0, 1.0, 0.0, nan, nan],
            [1.0, 0.0, nan, nan, nan],
        ]
    )
    np.testing.assert_array_equal(result.matrix.to_numpy(), expected)
    assert result.matrix.index.date.tolist() == [d(2024, 1, 1), d(2024, 2, 1), d(2024, 3, 1)]
    assert result.matrix.columns.tolist() == [0, 1, 2, 3, 4]
    assert result.sizes.tolist() == [2, 1, 1]
    assert result.last_month_index == 2024 * 12 + 4
    jan = result.table[result.table["cohort_index"] == 2024 * 12 + 1]
    cells = jan[["months_since", "customers", "cohort_size"]].values.tolist()
    assert cells == [[0, 2, 2], [1, 1, 2], [2, 1, 2], [3, 1, 2]]


def test_cohort_retention_filters() -> None:
    con = make_store(COHORT)
    # date_from drops the Jan cohort (A's Feb purchase does not make A a Feb customer)
    later = churn.cohort_retention(con, Filters(date_from=d(2024, 2, 1)), max_months=2)
    assert later.sizes.tolist() == [1, 1]
    # region S: C (Feb) and D (Mar); the as-of date is the region's last line, 2024-03-20, so April is unobserved
    south = churn.cohort_retention(con, Filters(regions=("S",)), max_months=1)
    np.testing.assert_array_equal(south.matrix.to_numpy(), np.array([[1.0, 1.0], [1.0, nan]]))
    # as-of in March: April is unobserved
    march = churn.cohort_retention(con, Filters(), max_months=3, as_of=d(2024, 3, 31))
    np.testing.assert_array_equal(march.matrix.iloc[0].to_numpy(), np.array([1.0, 0.5, 0.5, nan]))


# ---------------------------------------------------------------- retention what-if


def test_retention_what_if_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    result = churn.retention_what_if(con, Filters(), churn_reduction_points=5.0)
    # 3 active, churn 2/3 → 2/3 − 0.05; retained customers 3 × 0.05 = 0.15
    # the retained customer A made a profit of 300 in 2024 → average 300; kept 0.15 × 300 = 45; baseline 300
    assert result.active_customers == 3 and result.lost_customers == 2
    assert result.current_churn_rate == pytest.approx(2 / 3)
    assert result.target_churn_rate == pytest.approx(2 / 3 - 0.05)
    assert result.customers_retained == pytest.approx(0.15)
    assert result.value_basis == "profit"
    assert result.average_value_per_customer == pytest.approx(300.0)
    assert result.value_kept == pytest.approx(45.0)
    assert result.value_kept_share == pytest.approx(0.15)
    assert "Reichheld" in result.source and "Sasser" in result.source
    assert "saved_customers_like_retained" in result.assumptions
    assert dict(result.parameters)["churn_reduction_points"] == 5.0
    # a 100-point cut cannot go below 0: 3 × 2/3 = 2 customers kept, 2 × 300 = 600
    full = churn.retention_what_if(con, Filters(), churn_reduction_points=100.0)
    assert (full.target_churn_rate, full.customers_retained, full.value_kept) == (
        0.0,
        pytest.approx(2.0),
        pytest.approx(600.0),
    )


def test_retention_what_if_uses_revenue_without_profit() -> None:
    no_profit = [(r[0], r[1], r[2], None, r[4], r[5], r[6]) for r in LEDGER]
    result = churn.retention_what_if(make_store(no_profit), Filters(), churn_reduction_points=5.0)
    # A's 2024 revenue 2000 → 0.15 × 2000 = 300
    assert result.value_basis == "revenue"
    assert result.value_kept == pytest.approx(300.0)


# ---------------------------------------------------------------- BG/NBD


def test_bgnbd_summary_failure_is_explained(con: duckdb.DuckDBPyConnection) -> None:
    model = churn.bgnbd_summary(con, Filters(), d(2024, 12, 31))
    # 7 customers with a purchase day (F only returned; returns are not purchase days) < 10 → too few
    assert model.fit is None and model.reason_code == "too_few_customers"
    assert model.reason and "customers" in model.reason
    assert model.customers["p_alive"].isna().all()
    assert len(model.customers) == len(bgnbd.rfm_triplets(con, Filters(), d(2024, 12, 31)))


def test_bgnbd_summary_matches_the_model() -> None:
    rng = np.random.default_rng(3)
    rows: list[tuple[object, ...]] = []
    for c in range(60):
        first = int(rng.integers(0, 200))
        buys = sorted({first, *(first + int(g) for g in np.cumsum(rng.integers(3, 60, size=rng.integers(0, 6))))})
        rows += [(f"m{c:02d}", d(2023, 1, 1) + dt.timedelta(days=b), 10.0, None, None, "N", "r") for b in buys]
    con = make_store(rows, one_upload=True)
    end = d(2023, 12, 31)
    model = churn.bgnbd_summary(con, Filters(), end, horizon_weeks=26)
    assert model.fit is not None and model.reason_code is None
    triplets = bgnbd.rfm_triplets(con, Filters(), end)
    x, t_x, T = (triplets[c].to_numpy(dtype=float) for c in ("x", "t_x", "T"))
    np.testing.assert_allclose(model.customers["p_alive"], bgnbd.p_alive(model.fit, x, t_x, T))
    np.testing.assert_allclose(
        model.customers["expected_purchases"], bgnbd.conditional_expected_purchases(model.fit, 26, x, t_x, T)
    )
    assert model.customers["p_alive"].between(0, 1).all()
    assert model.calibration_end == end and model.horizon_weeks == 26


# ---------------------------------------------------------------- SQL rules


def test_sql_follows_the_portable_rules(
    con: duckdb.DuckDBPyConnection, warn_con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    original = store.fetch_df

    def recording(connection: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> pd.DataFrame:
        seen.append(sql)
        return original(connection, sql, params)

    monkeypatch.setattr(store, "fetch_df", recording)  # every frame query of churn, satisfaction, customer facts
    churn.churn_over_time(con, Filters(regions=("N",)), 3)
    churn.lost_customers(con, Filters())
    churn.early_warning(warn_con, Filters(), AS_OF)
    churn.cohort_retention(con, Filters())
    assert len(seen) >= 6
    for sql in seen:
        check_portable_sql(sql)


def check_portable_sql(sql: str) -> None:
    """The portable-SQL rules that can be checked on the text."""
    text = " ".join(sql.split())
    assert text == text.lower(), "lowercase SQL"
    assert "group by all" not in text
    assert "final as (" in text and "from final" in text  # a CTE chain ending in ``final``
    assert "date_trunc" not in text  # months are year * 12 + month
    for left, right in re.findall(r"(\S+) / (\S+)", text):  # every ratio casts both sides to double
        assert left.endswith("double)") and right.startswith("cast("), (left, right)
    for window in re.findall(r"over \((.*?)\)", text):
        assert "order by" in window and "," in window.split("order by")[1], window  # a tie-break key


def test_analytics_modules_have_no_streamlit() -> None:
    for module in (churn, satisfaction):
        assert "streamlit" not in Path(str(module.__file__)).read_text(encoding="utf-8")


# ---------------------------------------------------------------- purchase activity: the window slider's one scan


def assert_same(left: object, right: object) -> None:
    """Equal results: dataclasses field by field, frames exactly but floats to 1e-12 (sums in another order)."""
    if isinstance(left, float) and isinstance(right, float):
        assert left == pytest.approx(right, rel=1e-12, abs=1e-9, nan_ok=True)
    elif isinstance(left, pd.DataFrame):
        pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-12)
    elif isinstance(left, pd.Series):
        pd.testing.assert_series_equal(left, right)
    elif isinstance(left, tuple):
        assert isinstance(right, tuple) and len(left) == len(right)
        for a, b in zip(left, right, strict=True):
            assert_same(a, b)
    elif hasattr(left, "__dataclass_fields__"):
        assert type(left) is type(right)
        for name in left.__dataclass_fields__:
            assert_same(getattr(left, name), getattr(right, name))
    else:
        assert left == right


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),  # as-of 2024-12-31, a month end: buckets are calendar months
        Filters(date_to=d(2024, 11, 19)),  # mid-month: buckets split months at day 19
        Filters(date_to=d(2024, 3, 30)),  # day 30: February's buckets clamp to its end
        Filters(date_from=d(2023, 6, 1), date_to=d(2024, 6, 30)),  # date_from: only trend and cohorts use it
        Filters(regions=("N",)),
        Filters(regions=("nowhere",)),  # no line: no as-of date
    ],
)
def test_activity_equals_the_sql_for_every_window(con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    activity = churn.purchase_activity(con, filters)
    for w in range(churn.MIN_WINDOW_MONTHS, churn.MAX_WINDOW_MONTHS + 1):
        assert_same(churn.activity_summary(activity, w), churn.churn_summary(con, filters, None, w))
        assert_same(churn.activity_what_if(activity, w, 5.0), churn.retention_what_if(con, filters, None, w, 5.0))
    for w, points in ((1, 1), (3, 14), (12, 24), (24, 60)):
        assert_same(churn.activity_over_time(activity, w, points), churn.churn_over_time(con, filters, w, points))
    for months in (0, 1, 12, 36):
        assert_same(churn.activity_cohorts(activity, months), churn.cohort_retention(con, filters, months))


def test_activity_by_hand_mid_month(con: duckdb.DuckDBPyConnection) -> None:
    # as-of 2024-11-19 (I's line of 11-20 is after it), w = 12: current (2023-11-19, 2024-11-19] holds
    # C 2023-12-31, A 2024-02-10, D 2024-05-05, H 2024-11-15; previous (2022-11-19, 2023-11-19] holds
    # A 1000 − 400, B 30000 + 10000 and F's return. Active A, B; lost B; new C, D, H
    # prior revenue 600 + 40000 = 40600, lost prior 40000, cohort now A 2000
    activity = churn.purchase_activity(con, Filters(date_to=d(2024, 11, 19)))
    s = churn.activity_summary(activity, 12)
    assert (s.active_at_start, s.retained, s.lost, s.new_customers) == (2, 1, 1, 3)
    assert (s.prior_revenue, s.lost_prior_revenue, s.cohort_current_revenue) == (40600.0, 40000.0, 2000.0)
    # buckets: C's Dec 31 is after day 19, so it belongs with Jan 2024's first 19 days: bucket 10
    per_bucket = np.diff(activity.bucket_ends)
    assert per_bucket[10] == 1 and activity.revenue[activity.bucket_ends[10]] == 500.0
    # calendar purchase months, by customer then month (A: Mar 2023, Feb 2024; B: Jun, Sep 2023; …)
    assert activity.purchase_month[:4].tolist() == [2023 * 12 + 3, 2024 * 12 + 2, 2023 * 12 + 6, 2023 * 12 + 9]


def test_activity_of_an_empty_store(empty: duckdb.DuckDBPyConnection) -> None:
    activity = churn.purchase_activity(empty, Filters())
    assert activity.as_of is None and activity.customers == 0
    assert_same(churn.activity_summary(activity, 12), churn.churn_summary(empty, Filters()))
    assert churn.activity_over_time(activity).empty and churn.activity_cohorts(activity).matrix.empty
    with pytest.raises(ValueError):
        churn.activity_summary(activity, 25)


def test_activity_sql_follows_the_portable_rules(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    original = store.fetch_arrow

    def run(connection: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> object:
        seen.append(sql)
        return original(connection, sql, params)

    monkeypatch.setattr(store, "fetch_arrow", run)
    churn.purchase_activity(con, Filters(regions=("N",)))
    assert len(seen) == 1
    check_portable_sql(seen[0])
