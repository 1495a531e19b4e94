"""Headline figures for the Home page and ``python -m analytics summary``.

All functions read ``v_ledger`` through the global :class:`~analytics.filters.Filters`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics import store
from analytics.customer_facts import ledger_ctes
from analytics.filters import Filters

ACTIVE_WINDOW_DAYS = 365


@dataclass(frozen=True)
class Kpis:
    """Headline figures of the filtered ledger.

    * ``net_revenue`` = Σ amount (returns are negative lines, so netted), data currency;
    * ``profit`` = Σ profit, ``None`` when no stored line carries a profit;
    * ``customers`` = distinct customers with at least one line in the filter;
    * ``active_customers`` = customers with a line in the ``ACTIVE_WINDOW_DAYS`` days up to
      ``last_date`` (the as-of date);
    * ``transactions`` = ledger lines.
    """

    transactions: int
    customers: int
    active_customers: int
    net_revenue: float
    profit: float | None
    first_date: dt.date | None
    last_date: dt.date | None


def kpis(con: duckdb.DuckDBPyConnection, filters: Filters) -> Kpis:
    """Compute :class:`Kpis` for the filter (grain: whole filtered ledger)."""
    where, params = filters.where()
    row = store.fetch_one(
        con,
        f"""
        with filtered as (
            select customer_id, order_date, amount, profit from v_ledger where {where}
        ),
        bounds as (
            select max(order_date) as last_date from filtered
        ),
        final as (
            select count(*) as transactions,
                   count(distinct f.customer_id) as customers,
                   count(distinct case when f.order_date > b.last_date - cast(? as integer)
                                       then f.customer_id end) as active_customers,
                   coalesce(sum(f.amount), 0) as net_revenue,
                   sum(f.profit) as profit,
                   min(f.order_date) as first_date,
                   max(f.order_date) as last_date
            from filtered as f cross join bounds as b
        )
        select * from final
        """,
        [*params, ACTIVE_WINDOW_DAYS],
    )
    assert row is not None
    return Kpis(
        transactions=int(row[0]),
        customers=int(row[1]),
        active_customers=int(row[2]),
        net_revenue=round(float(row[3]), 2),
        profit=None if row[4] is None else round(float(row[4]), 2),
        first_date=row[5],
        last_date=row[6],
    )


def revenue_by_month(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Net revenue, profit and buying customers per calendar month (grain: month; currency)."""
    where, params = filters.where()
    return (
        con.cursor()
        .execute(
            f"""
            with filtered as (
                select customer_id, order_date, amount, profit from v_ledger where {where}
            ),
            final as (
                select cast(date_trunc('month', order_date) as date) as month,
                       cast(sum(amount) as double) as revenue,
                       cast(sum(profit) as double) as profit,
                       count(distinct customer_id) as customers
                from filtered
                group by cast(date_trunc('month', order_date) as date)
            )
            select month, revenue, profit, customers from final order by month
            """,
            params,
        )
        .df()
    )


@dataclass(frozen=True)
class MonthChange:
    """Latest month with data against the month before it (Home: "what changed")."""

    month: dt.date | None
    revenue: float
    previous_revenue: float
    customers: int
    previous_customers: int
    new_customers: int


def month_change(con: duckdb.DuckDBPyConnection, filters: Filters) -> MonthChange:
    """Revenue and buying customers of the latest month vs the previous one; new = first purchase ever that month."""
    monthly = revenue_by_month(con, filters)
    if monthly.empty:
        return MonthChange(None, 0.0, 0.0, 0, 0, 0)
    last = monthly.iloc[-1]
    previous = monthly.iloc[-2] if len(monthly) > 1 else None
    where, params = filters.without_dates().where()
    row = store.fetch_one(
        con,
        f"""
        with firsts as (
            select customer_id, min(order_date) as first_date from v_ledger where {where} group by customer_id
        ),
        final as (
            select count(*) as new_customers from firsts
            where cast(date_trunc('month', first_date) as date) = ?
        )
        select new_customers from final
        """,
        [*params, last["month"]],
    )
    return MonthChange(
        month=pd.Timestamp(last["month"]).date(),
        revenue=float(last["revenue"]),
        previous_revenue=float(previous["revenue"]) if previous is not None else 0.0,
        customers=int(last["customers"]),
        previous_customers=int(previous["customers"]) if previous is not None else 0,
        new_customers=int(row[0]) if row else 0,
    )


@dataclass(frozen=True)
class FilterOptions:
    """Values the sidebar filters can take, and the ledger's date range."""

    regions: list[str]
    sales_reps: list[str]
    categories: list[str]
    channels: list[str]
    first_date: dt.date | None
    last_date: dt.date | None


def filter_options(con: duckdb.DuckDBPyConnection) -> FilterOptions:
    """Distinct non-empty values of each filter column over the whole ledger."""
    cur = con.cursor()

    def distinct(column: str) -> list[str]:
        # the lines of v_ledger read as transactions + master attributes (ledger_ctes): joining
        # every line to v_customers made each of these four scans ~20× slower on 10M lines
        rows = cur.execute(
            f"""
            with {ledger_ctes("1 = 1")},
            final as (
                select distinct {column} as value from lines where {column} is not null
            )
            select value as value from final order by value
            """
        ).fetchall()
        return [str(r[0]) for r in rows]

    bounds = store.fetch_one(cur, "select min(order_date), max(order_date) from transactions") or (None, None)
    return FilterOptions(
        regions=distinct("region"),
        sales_reps=distinct("sales_rep"),
        categories=distinct("category"),
        channels=distinct("channel"),
        first_date=bounds[0],
        last_date=bounds[1],
    )


def uploads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The upload log, newest first."""
    return (
        con.cursor()
        .execute(
            """
            select upload_id, kind, file_name, sheet, rows_read, rows_stored, rows_skipped, skipped_reasons,
                   first_date, last_date, uploaded_by, uploaded_at, status, undone_at, is_demo
            from uploads order by upload_id desc
            """
        )
        .df()
    )


@dataclass(frozen=True)
class Freshness:
    """How current the data is: last stored upload and whether demo data is loaded."""

    last_upload_at: dt.datetime | None
    last_transaction: dt.date | None
    demo_loaded: bool
    data_version: int


def freshness(con: duckdb.DuckDBPyConnection) -> Freshness:
    """Data freshness for the Home page and the sidebar."""
    row = store.fetch_one(
        con,
        """
        select (select max(uploaded_at) from uploads where status = 'stored') as last_upload_at,
               (select max(order_date) from transactions) as last_transaction,
               (select count(*) from uploads where status = 'stored' and is_demo) as demo_uploads,
               (select version from data_version) as data_version
        """,
    )
    assert row is not None
    return Freshness(row[0], row[1], bool(row[2]), int(row[3]))
