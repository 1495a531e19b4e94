"""The demo company: deterministic, big enough, heavy-tailed, and loadable/removable as demo uploads."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics import loader, store
from data import demo

TIERS = {"钻石": 5_000_000, "白金": 1_000_000, "黄金": 500_000, "贵宾": 10_000, "普通": -np.inf}


@pytest.fixture(scope="module")
def data() -> demo.DemoData:
    return demo.generate()


@pytest.fixture(scope="module")
def last_12_months(data: demo.DemoData) -> pd.DataFrame:
    ledger = data.ledger
    since = pd.Timestamp(demo.END_DATE) - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    return ledger[ledger["order_date"] >= since]


def test_generate_is_deterministic(data: demo.DemoData) -> None:
    again = demo.generate()
    for kind in demo.KIND_ORDER:
        pd.testing.assert_frame_equal(data.frame(kind), again.frame(kind))
    other = demo.generate(seed=8)
    assert not other.ledger["amount"].equals(data.ledger["amount"])


def test_frames_carry_canonical_columns(data: demo.DemoData) -> None:
    for kind in demo.KIND_ORDER:
        frame = data.frame(kind)
        assert set(loader.REQUIRED_COLUMNS[kind]) <= set(frame.columns)
        extra = {c for c in frame.columns if not c.startswith(loader.DIMENSION_PREFIX)}
        assert extra <= {*loader.CANONICAL_COLUMNS[kind], "source_row"}, kind
        assert frame["source_row"].tolist() == list(range(1, len(frame) + 1))
    dims = {c for c in data.surveys.columns if c.startswith(loader.DIMENSION_PREFIX)}
    assert dims == {"dim:产品质量", "dim:服务态度", "dim:交付及时性", "dim:价格合理性"}


def test_size_and_span(data: demo.DemoData) -> None:
    ledger = data.ledger
    assert 100_000 <= len(ledger) <= 200_000
    assert ledger["customer"].nunique() >= 2_000
    assert data.customers["customer"].is_unique
    assert set(ledger["customer"]) == set(data.customers["customer"])
    span = ledger["order_date"].max() - ledger["order_date"].min()
    assert span >= pd.Timedelta(days=3 * 365)
    assert ledger["order_date"].max() == pd.Timestamp(demo.END_DATE)
    assert ledger["region"].nunique() >= 5
    assert data.customers["sales_rep"].nunique() >= 12
    assert ledger["category"].nunique() >= 5
    assert data.customers["customer"].str.endswith("公司").all()


def test_ledger_lines_are_consistent(data: demo.DemoData) -> None:
    ledger = data.ledger
    assert np.allclose((ledger["quantity"] * ledger["unit_price"]).round(2), ledger["amount"])
    assert (ledger["unit_price"] > 0).all()
    assert ledger["order_id"].notna().all()
    # master and ledger agree on region and rep
    master = data.customers.set_index("customer")
    assert (ledger["region"].to_numpy() == master.loc[ledger["customer"], "region"].to_numpy()).all()


def test_top_fifth_brings_most_revenue(last_12_months: pd.DataFrame) -> None:
    revenue = last_12_months.groupby("customer")["amount"].sum().sort_values(ascending=False)
    top = int(np.ceil(len(revenue) * 0.2))
    share = revenue.iloc[:top].sum() / revenue.sum()
    assert 0.65 <= share <= 0.90


def test_every_default_tier_is_populated(last_12_months: pd.DataFrame) -> None:
    revenue = last_12_months.groupby("customer")["amount"].sum()
    bounds = sorted(TIERS.values())
    counts = pd.cut(revenue, [*bounds, np.inf], right=False).value_counts()
    assert (counts > 0).all(), counts
    assert (revenue >= TIERS["钻石"]).sum() >= 2


def test_profit_whale_curve_peaks_above_total(last_12_months: pd.DataFrame) -> None:
    profit = last_12_months.groupby("customer")["profit"].sum().sort_values(ascending=False)
    assert profit.sum() > 0
    assert (profit < 0).any()
    peak = (profit.cumsum() / profit.sum()).max()
    assert peak > 1.2


def test_returns_are_present(data: demo.DemoData) -> None:
    returns = data.ledger["amount"] < 0
    assert 0.01 <= returns.mean() <= 0.03
    assert (data.ledger.loc[returns, "quantity"] < 0).all()


def test_some_customers_churned_and_some_are_slowing(data: demo.DemoData) -> None:
    ledger = data.ledger
    end = pd.Timestamp(demo.END_DATE)
    last = ledger.groupby("customer")["order_date"].max()
    churned = last < end - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    assert churned.sum() >= 100
    assert (~churned).sum() >= 1_000
    orders = ledger[ledger["amount"] > 0].drop_duplicates("order_id")
    recent = orders[orders["order_date"] > end - pd.Timedelta(days=90)].groupby("customer").size()
    before_mask = (orders["order_date"] > end - pd.Timedelta(days=180)) & (
        orders["order_date"] <= end - pd.Timedelta(days=90)
    )
    before = orders[before_mask].groupby("customer").size()
    both = pd.concat([recent.rename("recent"), before.rename("before")], axis=1).fillna(0)
    slowing = (both["before"] >= 4) & (both["recent"] <= both["before"] / 2)
    assert slowing.sum() >= 20


def test_customers_are_acquired_every_month(data: demo.DemoData) -> None:
    first = data.ledger.groupby("customer")["order_date"].min().dt.to_period("M")
    cohorts = first.value_counts()
    months = pd.period_range(demo.START_DATE, demo.END_DATE, freq="M")
    assert cohorts.reindex(months[1:-1]).fillna(0).min() > 0


def test_satisfaction_links_to_loyalty(data: demo.DemoData) -> None:
    surveys = data.surveys
    assert 1_000 <= len(surveys) <= 10_000
    assert surveys["overall"].between(1, 5).all()
    assert surveys["recommend"].between(0, 10).all()
    last = data.ledger.groupby("customer")["order_date"].max()
    churned = last < pd.Timestamp(demo.END_DATE) - pd.DateOffset(years=1)
    is_churner = surveys["customer"].map(churned)
    assert surveys.loc[is_churner, "overall"].mean() < surveys.loc[~is_churner, "overall"].mean() - 0.3
    # satisfied customers come back sooner
    orders = data.ledger[data.ledger["amount"] > 0][["customer", "order_date"]].sort_values("order_date")
    nxt = pd.merge_asof(
        surveys[["customer", "survey_date", "overall"]].sort_values("survey_date"),
        orders.rename(columns={"order_date": "next_order"}),
        left_on="survey_date",
        right_on="next_order",
        by="customer",
        direction="forward",
    )
    nxt["repurchased"] = (nxt["next_order"] - nxt["survey_date"]).dt.days <= 90
    rate = nxt.groupby("overall")["repurchased"].mean()
    assert rate[5.0] > rate[3.0] > rate[1.0]


def test_complaints_skew_and_open_escalations(data: demo.DemoData, last_12_months: pd.DataFrame) -> None:
    complaints = data.complaints
    assert complaints["complaint_id"].is_unique
    by_category = complaints["category"].value_counts()
    assert len(by_category) == 6
    assert by_category.iloc[:2].sum() / by_category.sum() >= 0.45
    resolved = complaints["status"] == "已解决"
    assert set(complaints["status"]) == {"已解决", "处理中"}
    assert complaints.loc[resolved, "resolved_date"].notna().all()
    assert complaints.loc[~resolved, "resolved_date"].isna().all()
    assert (complaints.loc[resolved, "resolved_date"] >= complaints.loc[resolved, "opened_date"]).all()
    top = last_12_months.groupby("customer")["amount"].sum().nlargest(10).index
    open_at_top = complaints[~resolved & complaints["customer"].isin(top)]
    assert open_at_top["customer"].nunique() >= 3


def test_load_and_remove_demo(data: demo.DemoData) -> None:
    con = store.connect(":memory:")
    try:
        ids = demo.load_demo(con, data=data)
        assert len(ids) == 4
        counts = {
            "transactions": len(data.ledger),
            "customer_master": len(data.customers),
            "surveys": len(data.surveys),
            "complaints": len(data.complaints),
        }
        for table, expected in counts.items():
            assert con.execute(f"select count(*) from {table}").fetchall() == [(expected,)], table
        uploads = con.execute(
            "select kind, file_name, is_demo, status, rows_stored from uploads order by upload_id"
        ).fetchall()
        assert [u[0] for u in uploads] == list(demo.KIND_ORDER)
        assert all(u[1] == f"demo:{u[0]}" and u[2] is True and u[3] == "stored" for u in uploads)
        assert con.execute("select count(*) from survey_scales").fetchall() == [(1,)]
        assert con.execute("select count(*) from v_customers where region is null").fetchall() == [(0,)]
        # loading again does not double the data
        assert demo.load_demo(con, data=data) == ids
        assert con.execute("select count(*) from transactions").fetchall() == [(len(data.ledger),)]

        assert demo.remove_demo(con) == 4
        for table in ("transactions", "customer_master", "surveys", "survey_scores", "complaints", "customers"):
            assert con.execute(f"select count(*) from {table}").fetchall() == [(0,)], table
        assert store.is_empty(con)
        assert demo.remove_demo(con) == 0
    finally:
        con.close()


def test_load_demo_generates_by_default() -> None:
    con = store.connect(":memory:")
    try:
        ids = demo.load_demo(con)
        [row] = con.execute("select count(*), min(order_date), max(order_date) from transactions").fetchall()
        assert row[0] >= 100_000
        assert row[2] == demo.END_DATE
        assert demo.stored_demo_uploads(con) == ids
    finally:
        con.close()
