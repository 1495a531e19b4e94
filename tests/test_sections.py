"""Summary sections and customer churn columns on small hand-built stores; every number worked out below."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest

from analytics import key_accounts, loader, sections, store
from analytics.filters import Filters

d = dt.date
AS_OF = d(2024, 12, 31)

# As-of 2024-12-31, 12-month windows: previous 2023-01-01 … 2023-12-31, current 2024-01-01 … 2024-12-31.
LEDGER: list[tuple[str, dt.date, float]] = [
    ("A", d(2023, 10, 1), 60.0),
    ("A", d(2023, 11, 1), 40.0),  # A: prior revenue 100
    ("A", d(2024, 2, 1), 150.0),
    ("A", d(2024, 11, 1), -10.0),  # a return, not a purchase: A's current revenue 140
    ("B", d(2023, 6, 1), 200.0),
    ("B", d(2023, 7, 1), -50.0),  # B: prior revenue 150, then silent → lost
    ("C", d(2023, 12, 1), 30.0),  # C: prior revenue 30 → lost
    ("D", d(2024, 5, 1), 300.0),  # new in the current window
    ("F", d(2022, 6, 1), 80.0),
    ("F", d(2024, 3, 1), 40.0),  # back after two years: not active at start
    ("G", d(2024, 1, 10), 10.0),
    ("G", d(2024, 1, 20), 10.0),
    ("G", d(2024, 1, 30), 10.0),  # every 10 days, then 336 days of silence
    ("H", d(2024, 12, 1), 20.0),
    ("H", d(2024, 12, 11), 20.0),
    ("H", d(2024, 12, 21), 20.0),  # every 10 days, last one 10 days ago
]
SURVEY_COLUMNS = ["customer", "survey_date", "overall", "recommend", "dim:服务", "dim:价格"]
SURVEYS: list[tuple[object, ...]] = [
    ("A", d(2024, 3, 1), 5.0, 10.0, 5.0, 2.0),
    ("B", d(2024, 4, 1), 4.0, 9.0, 4.0, 3.0),
    ("C", d(2024, 5, 1), 2.0, 6.0, 1.0, 4.0),
    ("D", d(2024, 6, 1), 3.0, 8.0, 3.0, 5.0),
]
COMPLAINT_COLUMNS = ["customer", "complaint_id", "opened_date", "category", "status", "resolved_date"]
COMPLAINTS: list[tuple[object, ...]] = [
    ("A", "K1", d(2024, 2, 1), "质量", "已解决", d(2024, 2, 11)),  # 10 days
    ("B", "K2", d(2024, 3, 1), "质量", "处理中", None),  # open
    ("C", "K3", d(2024, 4, 1), "交付", "closed", d(2024, 4, 5)),  # 4 days
    ("D", "K4", d(2024, 5, 1), None, "已关闭", None),  # resolved by its status, no duration
    ("A", "K5", d(2024, 6, 1), "交付", None, d(2024, 6, 21)),  # resolved by its date: 20 days
    ("B", "K6", d(2024, 7, 1), "质量", None, None),  # open
]


def make_store(
    ledger: Sequence[tuple[str, dt.date, float]] = LEDGER,
    surveys: Sequence[tuple[object, ...]] = (),
    complaints: Sequence[tuple[object, ...]] = (),
) -> duckdb.DuckDBPyConnection:
    con = store.connect(":memory:")
    frames = {
        "ledger": pd.DataFrame(list(ledger), columns=["customer", "order_date", "amount"]),
        "surveys": pd.DataFrame(list(surveys), columns=SURVEY_COLUMNS),
        "complaints": pd.DataFrame(list(complaints), columns=COMPLAINT_COLUMNS),
    }
    for kind, frame in frames.items():
        if frame.empty:
            continue
        scale = (1.0, 5.0) if kind == "surveys" else None
        meta = loader.UploadMeta(kind=kind, file_name=f"{kind}.xlsx", file_hash=kind, survey_scale=scale)
        loader.store_frame(con, frame, meta)
    return con


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return make_store(surveys=SURVEYS, complaints=COMPLAINTS)


def churn_of(con: duckdb.DuckDBPyConnection, filters: Filters, **settings: Any) -> dict[str, Any]:
    data = key_accounts.period_facts(con, filters)
    return sections.churn_section(con, filters, data, sections.ChurnSettings(**settings))


def test_churn_section_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    section = churn_of(con, Filters(date_to=AS_OF))
    # active at start A, B, C; B and C bought nothing in 2024
    assert section["as_of"] == AS_OF
    assert (section["window_months"], section["active_at_start"], section["lost"]) == (12, 3, 2)
    assert section["churn_rate"] == pytest.approx(2 / 3)
    assert section["revenue_churn"] == pytest.approx((150 + 30) / (100 + 150 + 30))
    assert section["net_revenue_retention"] == pytest.approx(140 / 280)
    # period customers (a line in 2024): A, D, F, G, H. A: purchase days 10-01, 11-01, 02-01 → gaps 31, 92 →
    # median 61.5; 334 days > 2 × 61.5 and > 30. G: 336 > 2 × 10. H: 10 days; F: 305 < 2 × 639; D one purchase.
    assert section["overdue_customers"] == 2
    # 7 customers are fewer than the 10 a BG/NBD fit needs: null, with the reason
    assert section["bgnbd"] is None
    assert section["bgnbd_error_code"] == "too_few_customers"
    assert isinstance(section["bgnbd_error"], str) and section["bgnbd_error"]


def test_churn_window_option_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    # 6 months: previous 2024-01-01 … 06-30 (purchases: A 150, D 300, F 40, G 30), current 07-01 … 12-31
    # (only H buys; A's line is a return): all four lost, and the cohort's current revenue is A's −10.
    section = churn_of(con, Filters(date_to=AS_OF), window_months=6)
    assert (section["active_at_start"], section["lost"], section["churn_rate"]) == (4, 4, 1.0)
    assert section["revenue_churn"] == pytest.approx(1.0)
    assert section["net_revenue_retention"] == pytest.approx(-10 / 520)


@pytest.mark.parametrize(
    ("k", "floor", "expected"),
    [
        (2.0, 30, 2),  # A and G
        (6.0, 30, 1),  # A: 334 ≤ 6 × 61.5 = 369; G: 336 > 60
        (2.0, 334, 1),  # A: 334 is not more than the floor
        (2.0, 336, 0),
    ],
)
def test_overdue_options(con: duckdb.DuckDBPyConnection, k: float, floor: int, expected: int) -> None:
    section = churn_of(con, Filters(date_to=AS_OF), overdue_k=k, overdue_floor_days=floor)
    assert section["overdue_customers"] == expected


def test_overdue_counts_only_period_customers(con: duckdb.DuckDBPyConnection) -> None:
    # --from 2024-12-01: the period holds H alone, who is on rhythm
    assert churn_of(con, Filters(date_from=d(2024, 12, 1), date_to=AS_OF))["overdue_customers"] == 0


@pytest.mark.parametrize(
    "settings",
    [
        {"window_months": 0},
        {"window_months": 25},
        {"overdue_k": 0.0},
        {"overdue_floor_days": -1},
        {"horizon_weeks": -1.0},
    ],
)
def test_churn_settings_reject_bad_values(settings: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        sections.ChurnSettings(**settings)


def test_satisfaction_section_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    section = sections.satisfaction_section(con, Filters())
    assert section is not None
    assert (section["responses"], section["scale_min"], section["scale_max"]) == (4, 1.0, 5.0)
    assert section["mean"] == pytest.approx((5 + 4 + 2 + 3) / 4)
    assert section["mean_normalised"] == pytest.approx((4 + 3 + 1 + 2) / 4 / 4)
    assert section["top2_share"] == pytest.approx(2 / 4)  # 5 and 4
    assert section["nps"] == pytest.approx(100 * (2 - 1) / 4)  # promoters 10, 9; detractor 6
    drivers = {row["dimension"]: row for row in section["drivers"]}
    assert set(drivers) == {"服务", "价格"}
    # 服务 5, 4, 1, 3 ranks like overall 5, 4, 2, 3: ρ = 1
    assert drivers["服务"]["mean"] == pytest.approx(13 / 4)
    assert drivers["服务"]["importance"] == pytest.approx(1.0)
    # 价格 ranks 1, 2, 3, 4 vs overall 4, 3, 1, 2: Σd² = 9 + 1 + 4 + 4 = 18, ρ = 1 − 6 × 18 / (4 × 15) = −0.8
    assert drivers["价格"]["mean"] == pytest.approx(14 / 4)
    assert drivers["价格"]["importance"] == pytest.approx(-0.8)


def test_complaints_section_by_hand(con: duckdb.DuckDBPyConnection) -> None:
    section = sections.complaints_section(con, Filters())
    assert section == {
        "total": 6,
        "open": 2,  # K2, K6
        "median_days_to_resolve": 10.0,  # median of 10, 4, 20
        "by_category": {"质量": 3, "交付": 2, "": 1},
    }
    assert list(section["by_category"]) == ["质量", "交付", ""]  # Pareto order
    # opened from 2024-04-01: K3, K4, K5, K6; K6 open; median of 4 and 20
    later = sections.complaints_section(con, Filters(date_from=d(2024, 4, 1)))
    assert later == {
        "total": 4,
        "open": 1,
        "median_days_to_resolve": 12.0,
        "by_category": {"交付": 2, "质量": 1, "": 1},
    }


def test_sections_are_null_without_surveys_or_complaints() -> None:
    con = make_store()
    data = key_accounts.period_facts(con, Filters())
    summary = sections.summary_sections(con, Filters(), data)
    assert summary["satisfaction"] is None
    assert summary["complaints"] is None
    assert summary["churn"]["active_at_start"] == 3


def test_sections_on_an_empty_store() -> None:
    con = store.connect(":memory:")
    summary = sections.summary_sections(con, Filters(), key_accounts.period_facts(con, Filters()))
    churn = summary["churn"]
    assert (churn["as_of"], churn["active_at_start"], churn["lost"], churn["churn_rate"]) == (None, 0, 0, None)
    assert (churn["overdue_customers"], churn["bgnbd"], churn["bgnbd_error_code"]) == (0, None, "too_few_customers")
    assert (summary["satisfaction"], summary["complaints"]) == (None, None)
    table = sections.customer_table(
        con, Filters(), key_accounts.period_facts(con, Filters()), key_accounts.KeyAccountSettings()
    )
    assert table.empty
    assert list(table.columns) == [*key_accounts.CUSTOMER_COLUMNS, *sections.CHURN_COLUMNS]


def test_customer_table_joins_churn_columns_by_id_with_equal_names() -> None:
    # A and G share one display name (master data): the churn columns must follow the ids, not the names
    con = make_store()
    master = pd.DataFrame({"customer": ["A", "G"], "display_name": ["同名公司", "同名公司"]})
    loader.store_frame(con, master, loader.UploadMeta(kind="customers", file_name="m.xlsx", file_hash="m"))
    filters = Filters(date_to=AS_OF)
    data = key_accounts.period_facts(con, filters)
    table = sections.customer_table(con, filters, data, key_accounts.KeyAccountSettings())
    # revenue order: D 300, A 140, H 60, F 40, G 30; A and G are overdue (see the test below)
    assert table["customer"].tolist() == ["D", "同名公司", "H", "F", "同名公司"]
    assert table["revenue"].tolist() == [300.0, 140.0, 60.0, 40.0, 30.0]
    assert table["overdue"].tolist() == [False, True, False, False, True]
    assert table["risk_score"].tolist() == [0.0, 25.0, 0.0, 0.0, 25.0]
    ids = dict(zip(data.facts["customer_name"], data.facts["customer_id"], strict=False))
    assert table["customer_id"].tolist()[0] == ids["D"]


def test_customer_churn_columns_by_hand() -> None:
    con = make_store()
    filters = Filters(date_to=AS_OF)
    data = key_accounts.period_facts(con, filters)
    table = sections.customer_table(con, filters, data, key_accounts.KeyAccountSettings())
    assert list(table.columns) == [*key_accounts.CUSTOMER_COLUMNS, *sections.CHURN_COLUMNS]
    # revenue order: D 300, A 140, H 60, F 40, G 30
    assert table["customer"].tolist() == ["D", "A", "H", "F", "G"]
    rows = table.set_index("customer")
    assert rows["overdue"].tolist() == [False, True, False, False, True]
    # no other signal fires: no orders in the last 180 days but H's (none before them), every tier ordinary
    assert rows["risk_score"].tolist() == [0.0, 25.0, 0.0, 0.0, 25.0]  # overdue weighs 25 of 100
    assert rows["risk_signals"].tolist() == ["", "overdue", "", "", "overdue"]
    # no BG/NBD fit (too few customers): no P(alive), no expectation
    assert np.isnan(rows["p_alive"].to_numpy(dtype=np.float64)).all()
    assert np.isnan(rows["expected_purchases_next_period"].to_numpy(dtype=np.float64)).all()
    stricter = sections.customer_table(
        con, filters, data, key_accounts.KeyAccountSettings(), sections.ChurnSettings(overdue_k=6.0)
    ).set_index("customer")
    assert stricter["overdue"].tolist() == [False, False, False, False, True]
    assert stricter["risk_signals"].tolist() == ["", "", "", "", "overdue"]
