"""Customer-card analytics on a small hand-built store: every expected number is worked out here.

Store (as-of 2024-06-30 = the latest line; analysis period 2023-07-01 … 2024-06-30, the one
before 2022-07-01 … 2023-06-30). One ledger upload per customer, so ids are A=1, B=2, C=3, D=4.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import duckdb
import numpy as np
import pandas as pd
import pytest

from analytics import customer_card, key_accounts, loader, store, tiers
from analytics.filters import Filters

d = dt.date
LEDGER_COLUMNS = ["customer", "order_date", "amount", "profit", "quantity", "order_id", "product", "category",
                  "region", "sales_rep"]  # fmt: skip
NAN = float("nan")
LEDGER: list[tuple[object, ...]] = [
    # A: period revenue 1000 + 500 + 2000 − 200 + 700 = 4000, profit 630; region/rep overridden by master data
    ("Acme 有限公司", d(2024, 1, 10), 1000.0, 200.0, 10.0, "O1", "P1", "C1", "N", "r1"),
    ("Acme 有限公司", d(2024, 1, 10), 500.0, 100.0, 5.0, "O1", "P2", "C2", "N", "r1"),
    ("Acme 有限公司", d(2024, 3, 5), 2000.0, 300.0, 20.0, "O2", "P1", "C1", "N", "r1"),
    ("Acme 有限公司", d(2024, 3, 20), -200.0, -40.0, -2.0, "O3", "P1", "C1", "N", "r1"),  # a return
    ("Acme 有限公司", d(2024, 6, 1), 700.0, 70.0, 7.0, None, "P3", "C1", "S", "r2"),  # no order id
    # B: 4000 as well (ties A; A wins by id), no profit, regions S and W once each (W seen last)
    ("Beta", d(2024, 2, 1), 3000.0, NAN, NAN, "B1", "P1", "C1", "S", "r2"),
    ("Beta", d(2024, 6, 30), 1000.0, NAN, NAN, "B2", "P1", "C1", "W", "r2"),
    # C: bought only in the previous period
    ("gamma ltd", d(2023, 5, 1), 400.0, 40.0, 4.0, "G1", "P2", "C2", "S", "r3"),
    # D: a purchase two years back, only a return in the period
    ("Delta", d(2023, 1, 1), 50.0, 5.0, 1.0, "D1", "P2", "C2", "S", "r3"),
    ("Delta", d(2024, 4, 1), -100.0, -10.0, -1.0, "D2", "P2", "C2", "S", "r3"),
]
MASTER = pd.DataFrame(
    [("Acme 有限公司", "KH-001", "N", "沈阳", "机械", "r9", d(2020, 5, 6), "AA", "王五")],
    columns=["customer", "customer_code", "region", "city", "industry", "sales_rep", "first_contact",
             "credit_rating", "contact_person"],
)  # fmt: skip
SURVEYS = pd.DataFrame(
    [
        ("Acme 有限公司", d(2024, 2, 1), 4.0, 9.0, "好", 5.0, 3.0),
        ("Acme 有限公司", d(2024, 5, 1), 2.0, NAN, None, 2.0, NAN),
        ("Beta", d(2024, 3, 1), 5.0, 10.0, None, NAN, NAN),
    ],
    columns=["customer", "survey_date", "overall", "recommend", "comment", "dim:服务", "dim:价格"],
)
COMPLAINTS = pd.DataFrame(
    [
        ("Acme 有限公司", "K1", d(2024, 2, 10), "交付", "严重", "已解决", d(2024, 2, 15), "late"),
        ("Acme 有限公司", "K2", d(2024, 5, 20), "质量", "一般", "处理中", None, "broken"),
        ("Acme 有限公司", "K3", d(2024, 4, 1), "服务", "低", "closed", None, "rude"),
    ],
    columns=["customer", "complaint_id", "opened_date", "category", "severity", "status", "resolved_date",
             "description"],
)  # fmt: skip
A, B, C, D = 1, 2, 3, 4


def _store(
    ledger: Sequence[tuple[object, ...]],
    master: pd.DataFrame | None = None,
    surveys: pd.DataFrame | None = None,
    complaints: pd.DataFrame | None = None,
) -> duckdb.DuckDBPyConnection:
    con = store.connect(":memory:")
    frame = pd.DataFrame(ledger, columns=LEDGER_COLUMNS)
    for i, (_, part) in enumerate(frame.groupby("customer", sort=False)):
        meta = loader.UploadMeta(kind="ledger", file_name=f"l{i}.csv", file_hash=f"l{i}")
        loader.store_frame(con, part.reset_index(drop=True), meta)
    if master is not None:
        loader.store_frame(con, master, loader.UploadMeta(kind="customers", file_name="m.xlsx", file_hash="m"))
    if surveys is not None:
        meta = loader.UploadMeta(kind="surveys", file_name="s.xlsx", file_hash="s", survey_scale=(1.0, 5.0))
        loader.store_frame(con, surveys, meta)
    if complaints is not None:
        loader.store_frame(con, complaints, loader.UploadMeta(kind="complaints", file_name="c.xlsx", file_hash="c"))
    return con


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = _store(LEDGER, MASTER, SURVEYS, COMPLAINTS)
    yield connection
    connection.close()


# ---------------------------------------------------------------- search


def test_search_ranks_by_period_revenue_then_lifetime_then_id(con: duckdb.DuckDBPyConnection) -> None:
    found = customer_card.search(con, Filters())
    expected = pd.DataFrame(
        {
            "customer_id": [A, B, C, D],
            "customer_name": ["Acme 有限公司", "Beta", "gamma ltd", "Delta"],
            "revenue": [4000.0, 4000.0, 0.0, -100.0],  # C: nothing in the period; D: a return only
            "lifetime_revenue": [4000.0, 4000.0, 400.0, -50.0],
            "last_purchase": pd.to_datetime(["2024-06-01", "2024-06-30", "2023-05-01", "2023-01-01"]).astype(
                "datetime64[us]"
            ),
        }
    )
    pd.testing.assert_frame_equal(found, expected, check_dtype=False)
    assert list(found.columns) == list(customer_card.SEARCH_COLUMNS)


@pytest.mark.parametrize(
    ("term", "match", "limit", "ids"),
    [
        ("ACME", "contains", 10, [A]),  # case-insensitive
        ("  有限 ", "contains", 10, [A]),  # surrounding spaces ignored, Chinese substring
        ("kh-0", "contains", 10, [A]),  # the master-data customer code
        ("a", "contains", 10, [A, B, C, D]),  # every name has an "a", biggest first
        ("a", "contains", 2, [A, B]),  # limited
        ("beta", "exact", 10, [B]),
        ("bet", "exact", 10, []),  # exact means the whole name
        ("%", "contains", 10, []),  # no LIKE wildcards
        ("nobody", "contains", 10, []),
    ],
)
def test_search_terms(con: duckdb.DuckDBPyConnection, term: str, match: str, limit: int, ids: list[int]) -> None:
    found = customer_card.search(con, Filters(), term, limit, match)  # type: ignore[arg-type]
    assert found["customer_id"].tolist() == ids


def test_search_respects_filters(con: duckdb.DuckDBPyConnection) -> None:
    # region W: only B has a W line (A's lines read N from its master data)
    assert customer_card.search(con, Filters(regions=("W",)))["customer_id"].tolist() == [B]
    # as-of 2023-12-31: period 2023-01-01 … 2023-12-31; A and B had not bought yet
    early = customer_card.search(con, Filters(date_to=d(2023, 12, 31)))
    assert early["customer_id"].tolist() == [C, D]
    assert early["revenue"].tolist() == [400.0, 50.0]
    # nothing matches: empty with the columns
    none = customer_card.search(con, Filters(regions=("nowhere",)))
    assert none.empty and list(none.columns) == list(customer_card.SEARCH_COLUMNS)
    with pytest.raises(ValueError):
        customer_card.search(con, Filters(), limit=0)


# ---------------------------------------------------------------- profile


def test_profile_with_master_data(con: duckdb.DuckDBPyConnection) -> None:
    assert customer_card.profile(con, A) == customer_card.Profile(
        customer_id=A,
        name="Acme 有限公司",
        customer_code="KH-001",
        region="N",
        city="沈阳",
        industry="机械",
        sales_rep="r9",  # master wins over the ledger's r1
        credit_rating="AA",
        contact_person="王五",
        first_contact=d(2020, 5, 6),
        has_master=True,
        first_purchase=d(2024, 1, 10),
        last_purchase=d(2024, 6, 1),
        lifetime_revenue=4000.0,
    )


def test_profile_without_master_data_takes_region_and_rep_from_the_ledger(con: duckdb.DuckDBPyConnection) -> None:
    beta = customer_card.profile(con, B)
    assert beta is not None
    assert (beta.region, beta.sales_rep) == ("W", "r2")  # S and W once each: the one seen last
    assert not beta.has_master
    assert (beta.industry, beta.customer_code, beta.first_contact) == (None, None, None)
    delta = customer_card.profile(con, D)
    assert delta is not None
    # the return is not a purchase; lifetime revenue nets it: 50 − 100
    assert (delta.first_purchase, delta.last_purchase, delta.lifetime_revenue) == (d(2023, 1, 1), d(2023, 1, 1), -50.0)
    assert customer_card.profile(con, 999) is None


# ---------------------------------------------------------------- standing


def test_standing_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    table = key_accounts.customer_table(key_accounts.period_facts(con, Filters()), key_accounts.KeyAccountSettings())
    acme = customer_card.standing(table, A)
    # ranked: A and B (4000 each, A first by id); D (−100) is not ranked
    # RFM among A, B: recency A 29 days, B 0 → r 2 / 4; purchase days 3 / 2 → f 4 / 2; M tie → 3
    assert acme == customer_card.Standing(
        customer_id=A,
        revenue=4000.0,
        profit=630.0,
        orders=3,  # O1, O2 and the id-less purchase day (O3 is a return)
        first_date=d(2024, 1, 10),
        last_date=d(2024, 6, 1),
        revenue_rank=1,
        ranked_customers=2,
        cum_revenue_share=0.5,
        abc="A",
        tier="ordinary",  # 4000 < 10,000
        recency_days=29,
        frequency=3,
        r_score=2,
        f_score=4,
        m_score=3,
        rfm_segment="at_risk",  # grid[R=2][F=4]
        action="win_back_visit",
    )
    delta = customer_card.standing(table, D)
    assert delta is not None
    assert (delta.revenue, delta.revenue_rank, delta.abc, delta.tier) == (-100.0, None, "C", "ordinary")
    assert (delta.rfm_segment, delta.r_score, delta.recency_days, delta.action) == (None, None, None, None)
    assert customer_card.standing(table, C) is None  # nothing in the period


def test_standing_follows_the_settings(con: duckdb.DuckDBPyConnection) -> None:
    data = key_accounts.period_facts(con, Filters())
    scheme = tiers.TierScheme(thresholds=tiers.AbsoluteThresholds(10_000.0, 8_000.0, 5_000.0, 3_000.0))
    settings = key_accounts.KeyAccountSettings(a_cut=0.4, b_cut=0.95, scheme=scheme)
    beta = customer_card.standing(key_accounts.customer_table(data, settings), B)
    assert beta is not None
    assert (beta.abc, beta.tier, beta.profit) == ("B", "vip", None)  # c_A = 0.5 > 0.4 → B starts class B
    empty = key_accounts.period_facts(con, Filters(regions=("nowhere",)))
    assert customer_card.standing(key_accounts.customer_table(empty, settings), A) is None


def test_standing_equals_the_customer_table(con: duckdb.DuckDBPyConnection) -> None:
    data = key_accounts.period_facts(con, Filters())
    settings = key_accounts.KeyAccountSettings()
    table = key_accounts.customer_table(data, settings)
    assert table["customer_id"].tolist() == [A, B, D]  # rank order: A and B tie (A by id), D unranked
    assert table["customer"].tolist() == ["Acme 有限公司", "Beta", "Delta"]
    rows = table.set_index("customer_id")
    for customer_id in (A, B, D):
        card = customer_card.standing(key_accounts.customer_table(data, settings), customer_id)
        row = rows.loc[customer_id]
        assert card is not None
        assert (card.revenue, card.abc, card.tier) == (row["revenue"], row["abc"], row["tier"])
        assert card.rfm_segment == (None if pd.isna(row["rfm_segment"]) else row["rfm_segment"])


def test_standing_tells_customers_with_the_same_name_apart() -> None:
    # two customers whose master display names are equal: the table's names collide, ids do not
    master = pd.DataFrame({"customer": ["X1", "X2"], "display_name": ["Same", "Same"]})
    con = _store([("X1", d(2024, 1, 1), 100.0, NAN, NAN, None, None, None, None, None),
                  ("X2", d(2024, 1, 2), 900.0, NAN, NAN, None, None, None, None, None)], master)  # fmt: skip
    table = key_accounts.customer_table(key_accounts.period_facts(con, Filters()), key_accounts.KeyAccountSettings())
    first = customer_card.standing(table, 1)
    second = customer_card.standing(table, 2)
    assert first is not None and second is not None
    assert (first.revenue, first.revenue_rank) == (100.0, 2)
    assert (second.revenue, second.revenue_rank) == (900.0, 1)


def test_row_of() -> None:
    frame = pd.DataFrame({"customer_id": [3, 1], "value": [30, 10]})
    row = customer_card.row_of(frame, 1)
    assert row is not None and row["value"] == 10
    assert customer_card.row_of(frame, 2) is None


# ---------------------------------------------------------------- timeline and revenue change


def _months(*labels: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(labels)).astype("datetime64[us]"), name="month")


def test_timeline_fills_quiet_months(con: duckdb.DuckDBPyConnection) -> None:
    frame = customer_card.timeline(con, Filters(), A, through=d(2024, 8, 15))
    expected = pd.DataFrame(
        {
            "month": _months(*(f"2024-{m:02d}-01" for m in range(1, 9))),
            "month_index": np.arange(2024 * 12 + 1, 2024 * 12 + 9),
            # Jan 1000 + 500; Mar 2000 − 200; Jun 700; Feb, Apr, May (and Jul, Aug up to `through`) zero
            "revenue": [1500.0, 0.0, 1800.0, 0.0, 0.0, 700.0, 0.0, 0.0],
            "profit": [300.0, 0.0, 260.0, 0.0, 0.0, 70.0, 0.0, 0.0],
            # Jan: order O1; Mar: O2 (O3 is a return); Jun: one id-less purchase day
            "orders": [1, 0, 1, 0, 0, 1, 0, 0],
        }
    )
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False)


def test_timeline_without_profit_and_with_filters(con: duckdb.DuckDBPyConnection) -> None:
    beta = customer_card.timeline(con, Filters(), B)
    assert beta["month"].tolist() == _months(*(f"2024-{m:02d}-01" for m in range(2, 7))).tolist()
    assert beta["revenue"].tolist() == [3000.0, 0.0, 0.0, 0.0, 1000.0]
    assert beta["profit"].isna().all()  # no profit data: never 0
    category = customer_card.timeline(con, Filters(categories=("C2",)), A)
    assert (category["revenue"].tolist(), category["profit"].tolist()) == ([500.0], [100.0])
    empty = customer_card.timeline(con, Filters(regions=("W",)), A)
    assert empty.empty and list(empty.columns) == ["month", "month_index", "revenue", "profit", "orders"]


@pytest.mark.parametrize(
    ("customer_id", "current", "previous", "change"),
    [
        (A, 4000.0, 0.0, None),  # new in the period
        (C, 0.0, 400.0, -1.0),
        (D, -100.0, 50.0, -3.0),  # −100 / 50 − 1
    ],
)
def test_period_revenue(
    con: duckdb.DuckDBPyConnection, customer_id: int, current: float, previous: float, change: float | None
) -> None:
    result = customer_card.period_revenue(con, Filters(), customer_id)
    assert result == customer_card.PeriodRevenue(current, previous)
    assert result.change == (None if change is None else pytest.approx(change))
    assert customer_card.period_revenue(con, Filters(regions=("nowhere",)), A) is None


# ---------------------------------------------------------------- products


def test_purchases_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    frame = customer_card.purchases(con, Filters(), A)
    expected = pd.DataFrame(
        {
            "product": ["P1", "P3", "P2"],
            "category": ["C1", "C1", "C2"],
            "revenue": [2800.0, 700.0, 500.0],  # P1: 1000 + 2000 − 200
            "revenue_share": [0.7, 0.175, 0.125],  # of 4000
            "profit": [460.0, 70.0, 100.0],
            "quantity": [28.0, 7.0, 5.0],
            "lines": [3, 1, 1],
            "orders": [2, 1, 1],  # P1: O1 and O2 (O3 is a return); P3: its id-less day
            "last_purchase": pd.to_datetime(["2024-03-05", "2024-06-01", "2024-01-10"]).astype("datetime64[us]"),
        }
    )
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False)
    assert frame["revenue"].sum() == customer_card.search(con, Filters(), "acme")["revenue"].iloc[0]


def test_purchases_of_returns_only_have_no_share(con: duckdb.DuckDBPyConnection) -> None:
    period = Filters(date_from=d(2023, 7, 1))
    frame = customer_card.purchases(con, period, D)
    assert frame[["product", "revenue", "lines"]].values.tolist() == [["P2", -100.0, 1]]
    assert frame["revenue_share"].isna().all() and frame["last_purchase"].isna().all()
    assert customer_card.purchases(con, Filters(), B)["profit"].isna().all()
    assert customer_card.purchases(con, Filters(regions=("W",)), A).empty


# ---------------------------------------------------------------- surveys and complaints


def test_survey_history_with_dimensions(con: duckdb.DuckDBPyConnection) -> None:
    frame = customer_card.survey_history(con, Filters(), A)
    assert list(frame.columns) == [*customer_card.SURVEY_COLUMNS, "价格", "服务"]  # dimensions A→Z
    assert frame["survey_date"].tolist() == [pd.Timestamp("2024-02-01"), pd.Timestamp("2024-05-01")]
    assert frame["overall"].tolist() == [4.0, 2.0]
    assert frame["norm_overall"].tolist() == [0.75, 0.25]  # (4 − 1) / 4, (2 − 1) / 4
    assert (frame["scale_min"].tolist(), frame["scale_max"].tolist()) == ([1.0, 1.0], [5.0, 5.0])
    assert frame["recommend"].iloc[0] == 9.0 and np.isnan(frame["recommend"].iloc[1])
    assert frame["comment"].iloc[0] == "好" and pd.isna(frame["comment"].iloc[1])
    assert frame["服务"].tolist() == [5.0, 2.0]
    assert frame["价格"].iloc[0] == 3.0 and np.isnan(frame["价格"].iloc[1])


def test_survey_history_filters_and_edge_cases(con: duckdb.DuckDBPyConnection) -> None:
    assert customer_card.survey_history(con, Filters(date_from=d(2024, 3, 1)), A)["overall"].tolist() == [2.0]
    assert customer_card.survey_history(con, Filters(regions=("W",)), A).empty  # A is not a W customer
    beta = customer_card.survey_history(con, Filters(), B)
    assert beta["overall"].tolist() == [5.0]
    assert list(beta.columns[: len(customer_card.SURVEY_COLUMNS)]) == list(customer_card.SURVEY_COLUMNS)
    assert customer_card.survey_history(con, Filters(), C).empty


def test_survey_dimension_named_like_a_column_is_renamed() -> None:
    surveys = pd.DataFrame({"customer": ["A"], "survey_date": [d(2024, 1, 1)], "overall": [3.0], "dim:comment": [4.0]})
    con = _store([("A", d(2024, 1, 1), 10.0, NAN, NAN, None, None, None, None, None)], surveys=surveys)
    frame = customer_card.survey_history(con, Filters(), 1)
    assert frame["comment (dim)"].tolist() == [4.0]


def test_complaint_history(con: duckdb.DuckDBPyConnection) -> None:
    frame = customer_card.complaint_history(con, Filters(), A)
    assert frame["complaint_id"].tolist() == ["K2", "K3", "K1"]  # newest first
    assert frame["is_open"].tolist() == [True, False, False]  # K3 is closed by its status
    assert frame["days_to_resolve"].tolist() == [pd.NA, pd.NA, 5]  # 2024-02-10 → 2024-02-15
    assert frame["description"].tolist() == ["broken", "rude", "late"]
    assert frame["resolved_date"].iloc[2] == pd.Timestamp("2024-02-15")
    assert list(frame.columns) == ["complaint_id", "opened_date", "category", "severity", "status",
                                   "resolved_date", "days_to_resolve", "is_open", "description"]  # fmt: skip
    assert customer_card.complaint_history(con, Filters(date_to=d(2024, 4, 30)), A)["complaint_id"].tolist() == [
        "K3",
        "K1",
    ]
    assert customer_card.complaint_history(con, Filters(), B).empty
