"""customer_facts / dimension_facts / period_bounds on small hand-built ledgers."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest

from analytics import loader, store
from analytics.customer_facts import (
    FACT_COLUMNS,
    TOTAL_COLUMNS,
    Period,
    customer_facts,
    dimension_facts,
    period_bounds,
    previous_period,
    purchase_totals,
    shift_months,
    trailing_period,
)
from analytics.filters import Filters

d = dt.date
COLUMNS = ["customer", "order_date", "amount", "profit", "order_id", "product", "region", "sales_rep"]


def make_store(rows: list[tuple[object, ...]], columns: list[str] = COLUMNS) -> duckdb.DuckDBPyConnection:
    """Store ``rows``; one upload per customer in order of appearance, so customer_id = 1, 2, 3, …"""
    frame = pd.DataFrame(rows, columns=columns)
    con = store.connect(":memory:")
    for i, (_, part) in enumerate(frame.groupby("customer", sort=False)):
        meta = loader.UploadMeta(kind="ledger", file_name=f"part{i}.csv", file_hash=f"hash{i}")
        loader.store_frame(con, part.reset_index(drop=True), meta)
    return con


# A (id 1): order ids, one return; B (id 2): no order ids, no profit; C (id 3): a return only.
LEDGER: list[tuple[object, ...]] = [
    ("A", d(2024, 1, 5), 100.0, 10.0, "o1", "P1", "N", "r1"),
    ("A", d(2024, 1, 5), 50.0, 5.0, "o1", "P2", "N", "r1"),
    ("A", d(2024, 2, 10), 200.0, 20.0, "o2", "P1", "S", "r1"),
    ("A", d(2024, 3, 1), -30.0, -3.0, "o3", "P1", "N", "r1"),
    ("B", d(2024, 1, 10), 80.0, None, None, "P2", "S", "r2"),
    ("B", d(2024, 1, 10), 20.0, None, None, "P2", "S", "r2"),
    ("B", d(2024, 3, 15), 100.0, None, None, "P1", "S", "r3"),
    ("B", d(2024, 3, 20), -50.0, None, None, "P1", "S", "r3"),
    ("C", d(2024, 2, 1), -40.0, -4.0, "o9", "P3", "N", "r1"),
]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return make_store(LEDGER)


def expected(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(FACT_COLUMNS))
    for column in ("customer_name", "region", "sales_rep"):
        frame[column] = frame[column].astype("str")
    for column in ("first_date", "last_date"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[us]")
    return frame


def assert_facts(actual: pd.DataFrame, rows: list[tuple[object, ...]]) -> None:
    assert list(actual.columns) == list(FACT_COLUMNS)
    pd.testing.assert_frame_equal(actual, expected(rows), check_dtype=False)


def test_customer_facts_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    facts = customer_facts(con, Filters())
    assert_facts(
        facts,
        [
            # A: revenue 100 + 50 + 200 − 30 = 320; profit 10 + 5 + 20 − 3 = 32
            #    orders: ids of purchase lines {o1, o2} = 2 (o3 is a return); purchase days {01-05, 02-10}
            #    region: N on 3 lines, S on 1 → N
            (1, "A", "N", "r1", 320.0, 32.0, 2, 2, d(2024, 1, 5), d(2024, 2, 10)),
            # B: 80 + 20 + 100 − 50 = 150; no profit → null; no order ids → orders = purchase days
            #    {01-10, 03-15} = 2; rep r2 on 2 lines, r3 on 2 lines → tie → the one seen last: r3
            (2, "B", "S", "r3", 150.0, np.nan, 2, 2, d(2024, 1, 10), d(2024, 3, 15)),
            # C: only a return: −40, no order, no purchase day, no purchase dates
            (3, "C", "N", "r1", -40.0, -4.0, 0, 0, None, None),
        ],
    )
    assert facts["revenue"].dtype == np.float64
    # net revenue reconciles with the ledger total: 320 + 150 − 40 = 430
    assert facts["revenue"].sum() == pytest.approx(430.0)


@pytest.mark.parametrize(
    ("customers", "rows"),
    [
        # B alone: the same facts as in the unrestricted table above (tie of reps → r3)
        pytest.param([2], [(2, "B", "S", "r3", 150.0, np.nan, 2, 2, d(2024, 1, 10), d(2024, 3, 15))], id="one"),
        pytest.param(
            [3, 1],
            [
                (1, "A", "N", "r1", 320.0, 32.0, 2, 2, d(2024, 1, 5), d(2024, 2, 10)),
                (3, "C", "N", "r1", -40.0, -4.0, 0, 0, None, None),
            ],
            id="two_unsorted",
        ),
        pytest.param([], [], id="none"),
        pytest.param([99], [], id="unknown"),
    ],
)
def test_customer_facts_of_some_customers(
    con: duckdb.DuckDBPyConnection, customers: list[int], rows: list[tuple[object, ...]]
) -> None:
    facts = customer_facts(con, Filters(), customers=customers)
    if rows:
        assert_facts(facts, rows)
    else:
        assert facts.empty and list(facts.columns) == list(FACT_COLUMNS)


@pytest.mark.parametrize(
    ("filters", "rows"),
    [
        pytest.param(
            Filters(regions=("N",)),
            [
                # A in N: 100 + 50 − 30 = 120, profit 10 + 5 − 3 = 12, orders {o1}, day 01-05
                (1, "A", "N", "r1", 120.0, 12.0, 1, 1, d(2024, 1, 5), d(2024, 1, 5)),
                (3, "C", "N", "r1", -40.0, -4.0, 0, 0, None, None),
            ],
            id="region",
        ),
        pytest.param(
            Filters(date_to=d(2024, 2, 29)),
            [
                # A until Feb: 100 + 50 + 200 = 350; region N 2 lines vs S 1 → N
                (1, "A", "N", "r1", 350.0, 35.0, 2, 2, d(2024, 1, 5), d(2024, 2, 10)),
                # B until Feb: 80 + 20 = 100, one purchase day
                (2, "B", "S", "r2", 100.0, np.nan, 1, 1, d(2024, 1, 10), d(2024, 1, 10)),
                (3, "C", "N", "r1", -40.0, -4.0, 0, 0, None, None),
            ],
            id="date_to",
        ),
        pytest.param(
            Filters(date_from=d(2024, 3, 1), sales_reps=("r3", "r1")),
            [
                (1, "A", "N", "r1", -30.0, -3.0, 0, 0, None, None),
                # B in March with r3: 100 − 50 = 50
                (2, "B", "S", "r3", 50.0, np.nan, 1, 1, d(2024, 3, 15), d(2024, 3, 15)),
            ],
            id="date_from_and_rep",
        ),
    ],
)
def test_customer_facts_respects_filters(
    con: duckdb.DuckDBPyConnection, filters: Filters, rows: list[tuple[object, ...]]
) -> None:
    assert_facts(customer_facts(con, filters), rows)


@pytest.mark.parametrize(
    "filters",
    [Filters(regions=("nowhere",)), Filters(date_from=d(2030, 1, 1)), Filters(categories=("none",))],
)
def test_empty_filter_result(con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    facts = customer_facts(con, filters)
    assert facts.empty
    assert list(facts.columns) == list(FACT_COLUMNS)
    assert facts["revenue"].dtype == np.float64
    assert dimension_facts(con, filters, "product").empty


def test_empty_store() -> None:
    con = store.connect(":memory:")
    assert customer_facts(con, Filters()).empty
    assert period_bounds(con, Filters()) is None


def test_mixed_order_ids_and_returns() -> None:
    con = make_store(
        [
            ("D", d(2024, 5, 1), 10.0, None, "x1", None, None, None),
            ("D", d(2024, 5, 1), 5.0, None, None, None, None, None),
            ("D", d(2024, 5, 2), 7.0, None, None, None, None, None),
            ("D", d(2024, 5, 3), -7.0, None, None, None, None, None),  # return-only day
            ("D", d(2024, 5, 4), 3.0, None, "x1", None, None, None),  # same order id, later line
        ]
    )
    facts = customer_facts(con, Filters())
    # orders: ids {x1} = 1 + id-less purchase days {05-01, 05-02} = 2 → 3
    # purchase days: {05-01, 05-02, 05-04} = 3 (05-03 is a return only); revenue 10 + 5 + 7 − 7 + 3 = 18
    assert_facts(facts, [(1, "D", None, None, 18.0, np.nan, 3, 3, d(2024, 5, 1), d(2024, 5, 4))])


def test_master_region_wins() -> None:
    con = make_store([("E", d(2024, 1, 1), 1.0, None, None, None, "ledger-region", None)])
    master = pd.DataFrame({"customer": ["E"], "region": ["master-region"]})
    loader.store_frame(con, master, loader.UploadMeta(kind="customers", file_name="m.xlsx", file_hash="m"))
    assert customer_facts(con, Filters())["region"].tolist() == ["master-region"]
    assert customer_facts(con, Filters(regions=("master-region",)))["revenue"].tolist() == [1.0]


def test_master_attributes_match_v_ledger() -> None:
    # customer_facts reads transactions + master attributes itself (not v_ledger): same rules.
    con = make_store(
        [
            ("F", d(2024, 1, 1), 10.0, None, "f1", None, "ledger-F", "lr"),
            ("F", d(2024, 1, 2), 20.0, None, "f2", None, "ledger-F", "lr"),
            ("G", d(2024, 1, 3), 5.0, None, "g1", None, "ledger-G", "lg"),
        ]
    )
    for i, master in enumerate(
        [
            pd.DataFrame({"customer": ["F", "G"], "region": ["m1", None], "display_name": [None, "Gee"]}),
            # newer upload: F's region moves to m2, its rep stays unset → ledger rep
            pd.DataFrame({"customer": ["F"], "region": ["m2"], "sales_rep": [None]}),
        ]
    ):
        meta = loader.UploadMeta(kind="customers", file_name=f"m{i}.xlsx", file_hash=f"m{i}")
        loader.store_frame(con, master, meta)
    facts = customer_facts(con, Filters())
    # G's newest master row is the first upload: name Gee, no master region → ledger region
    assert facts[["customer_name", "region", "sales_rep"]].values.tolist() == [
        ["F", "m2", "lr"],
        ["Gee", "ledger-G", "lg"],
    ]
    reference = con.execute(
        "select customer_id, customer_name, region, sales_rep from v_ledger group by all order by customer_id"
    ).fetchall()
    assert [tuple(r) for r in facts[["customer_id", "customer_name", "region", "sales_rep"]].values.tolist()] == [
        tuple(r) for r in reference
    ]
    assert customer_facts(con, Filters(regions=("m2",)))["revenue"].tolist() == [30.0]
    assert customer_facts(con, Filters(regions=("m1",))).empty  # superseded by the newer upload
    assert customer_facts(con, Filters(sales_reps=("lg",)))["customer_name"].tolist() == ["Gee"]


def test_dimension_facts(con: duckdb.DuckDBPyConnection) -> None:
    by_region = dimension_facts(con, Filters(), "region")
    expected_frame = pd.DataFrame(
        {
            "item": ["N", "S"],
            # N: A 100 + 50 − 30, C −40 → 80; S: A 200, B 80 + 20 + 100 − 50 → 350
            "revenue": [80.0, 350.0],
            "profit": [8.0, 20.0],  # N: 10 + 5 − 3 − 4; S: A's 20 (B has none)
            "customers": [2, 2],
            "lines": [4, 5],
        }
    )
    pd.testing.assert_frame_equal(by_region, expected_frame, check_dtype=False)
    by_product = dimension_facts(con, Filters(regions=("S",)), "product")
    # S only: P1 = 200 + 100 − 50 = 250 (A, B); P2 = 80 + 20 = 100 (B)
    assert by_product["item"].tolist() == ["P1", "P2"]
    assert by_product["revenue"].tolist() == [250.0, 100.0]
    assert by_product["customers"].tolist() == [2, 1]


def test_dimension_whitelist(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="unknown dimension"):
        dimension_facts(con, Filters(), "amount; drop table transactions")


@pytest.mark.parametrize(
    ("filters", "as_of", "period", "previous", "default"),
    [
        pytest.param(
            Filters(),
            d(2024, 3, 20),  # latest transaction
            Period(d(2023, 3, 21), d(2024, 3, 20)),
            Period(d(2022, 3, 21), d(2023, 3, 20)),
            True,
            id="latest",
        ),
        pytest.param(
            Filters(regions=("N",)),
            d(2024, 3, 1),  # latest transaction in N
            Period(d(2023, 3, 2), d(2024, 3, 1)),
            Period(d(2022, 3, 2), d(2023, 3, 1)),
            True,
            id="filtered",
        ),
        pytest.param(
            Filters(date_to=d(2024, 12, 31)),
            d(2024, 12, 31),  # set by the user even without data that late
            Period(d(2024, 1, 1), d(2024, 12, 31)),
            Period(d(2023, 1, 1), d(2023, 12, 31)),
            True,
            id="date_to",
        ),
        pytest.param(
            Filters(date_from=d(2024, 1, 1), date_to=d(2024, 1, 10)),
            d(2024, 1, 10),
            Period(d(2024, 1, 1), d(2024, 1, 10)),
            Period(d(2023, 12, 22), d(2023, 12, 31)),  # same 10 days before
            False,
            id="custom_range",
        ),
    ],
)
def test_period_bounds(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    as_of: dt.date,
    period: Period,
    previous: Period,
    default: bool,
) -> None:
    bounds = period_bounds(con, filters)
    assert bounds is not None
    assert (bounds.as_of, bounds.period, bounds.previous, bounds.default_period) == (
        as_of,
        period,
        previous,
        default,
    )
    assert bounds.current_filters(Filters(regions=("N",))) == Filters(
        date_from=period.start, date_to=period.end, regions=("N",)
    )


def test_period_bounds_empty(con: duckdb.DuckDBPyConnection) -> None:
    assert period_bounds(con, Filters(regions=("nowhere",))) is None


@pytest.mark.parametrize(
    ("day", "months", "result"),
    [
        (d(2024, 3, 31), -1, d(2024, 2, 29)),  # clamped to month end (leap year)
        (d(2024, 12, 31), -12, d(2023, 12, 31)),
        (d(2024, 1, 15), -1, d(2023, 12, 15)),
        (d(2023, 11, 30), 3, d(2024, 2, 29)),
    ],
)
def test_shift_months(day: dt.date, months: int, result: dt.date) -> None:
    assert shift_months(day, months) == result


@pytest.mark.parametrize(
    ("as_of", "months", "period", "previous"),
    [
        (d(2024, 12, 31), 12, Period(d(2024, 1, 1), d(2024, 12, 31)), Period(d(2023, 1, 1), d(2023, 12, 31))),
        # 2024-02-29 − 12 months = 2023-02-28, + 1 day
        (d(2024, 2, 29), 12, Period(d(2023, 3, 1), d(2024, 2, 29)), Period(d(2022, 3, 1), d(2023, 2, 28))),
        (d(2024, 6, 15), 3, Period(d(2024, 3, 16), d(2024, 6, 15)), Period(d(2023, 12, 16), d(2024, 3, 15))),
    ],
)
def test_trailing_and_previous_period(as_of: dt.date, months: int, period: Period, previous: Period) -> None:
    assert trailing_period(as_of, months) == period
    assert previous_period(period) == previous
    assert previous.end + dt.timedelta(days=1) == period.start  # contiguous, no overlap


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(regions=("N",)),  # C: only returns, so revenue −40 and no purchase day
        Filters(date_to=d(2024, 2, 29)),
        Filters(date_from=d(2024, 3, 1), sales_reps=("r3", "r1")),
        Filters(regions=("nowhere",)),
    ],
)
def test_purchase_totals_are_the_facts_columns(con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    totals = purchase_totals(con, filters)
    assert list(totals.columns) == list(TOTAL_COLUMNS)
    pd.testing.assert_frame_equal(totals, customer_facts(con, filters)[list(TOTAL_COLUMNS)])
