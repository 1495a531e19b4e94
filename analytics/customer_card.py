"""Customer card (大客户档案卡; SPEC §4.6): everything known about one customer.

UI-free: functions take a DuckDB connection (or a cached frame) and plain parameters and return
DataFrames or small frozen dataclasses. The card combines them with the key-account standing
(:func:`standing`, the same rank / ABC / tier / RFM as :func:`analytics.key_accounts.customer_table`),
the churn early warning and BG/NBD P(alive) of :mod:`analytics.churn`.

Which global filters apply
    * :func:`search` — customers with a ledger line under the region / rep / category / channel
      filters on or before the as-of date; ranked by net revenue in the analysis period
      (:func:`analytics.customer_facts.period_bounds`, the same period as the Key accounts page).
    * :func:`profile` — none: master data and lifetime figures describe the customer as a whole.
    * :func:`timeline`, :func:`purchases` — the lines of ``filters`` as given (date range
      included); the card passes the global filters to the timeline (the whole history when no
      date range is set) and the analysis period to the products, so the products add up to the
      period revenue shown in the header.
    * :func:`survey_history`, :func:`complaint_history` — as everywhere in
      :mod:`analytics.satisfaction`: the date range on the survey / opened date, the other filters
      select customers (a customer outside them has no rows).

SQL follows the portable subset (lowercase CTE chains ending in ``final``, explicit GROUP BY,
DOUBLE casts on both sides of ratios, a tie-break key in every window ORDER BY, DATE_TRUNC cast
to DATE, month index year × 12 + month, aliased outputs, bound ``?`` parameters).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import duckdb
import numpy as np
import pandas as pd

from analytics import rfm, store
from analytics.customer_facts import period_bounds
from analytics.filters import Filters
from analytics.satisfaction import complaint_ctes, month_start, survey_ctes

__all__ = [
    "SEARCH_COLUMNS",
    "PeriodRevenue",
    "Profile",
    "Standing",
    "complaint_history",
    "period_revenue",
    "profile",
    "purchases",
    "row_of",
    "search",
    "standing",
    "survey_history",
    "timeline",
]

#: Columns of :func:`search`, in order.
SEARCH_COLUMNS: tuple[str, ...] = ("customer_id", "customer_name", "revenue", "lifetime_revenue", "last_purchase")
#: Fixed columns of :func:`survey_history`; dimension columns follow them.
SURVEY_COLUMNS: tuple[str, ...] = (
    "response_id",
    "survey_date",
    "overall",
    "scale_min",
    "scale_max",
    "norm_overall",
    "recommend",
    "comment",
)


def _dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """``columns`` of ``frame`` as ``datetime64[us]`` (DuckDB returns dates in various units)."""
    for column in columns:
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[us]")
    return frame


def _as_date(value: Any) -> dt.date | None:
    """A date-like value as ``datetime.date`` (None for null)."""
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _optional(value: Any) -> float | None:
    """A number as float, None for null/NaN."""
    if value is None or pd.isna(value):
        return None
    return float(value)


# --------------------------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------------------------


def search(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    term: str = "",
    limit: int = 200,
    match: Literal["contains", "exact"] = "contains",
) -> pd.DataFrame:
    """Customers whose name (or customer code) matches ``term``, biggest first, at most ``limit``.

    Population: customers with a ``v_ledger`` line under the non-date filters on or before the
    as-of date of ``filters``. Match (case-insensitive, surrounding spaces ignored): ``contains``
    — ``term`` is a substring of the name or the master-data customer code (an empty term
    matches everyone); ``exact`` — the name equals ``term`` (a link names its customer).

    Columns (:data:`SEARCH_COLUMNS`): ``customer_id``, ``customer_name``, ``revenue`` = Σ amount
    in the analysis period (net, 0 when none), ``lifetime_revenue`` = Σ amount up to as-of,
    ``last_purchase`` = latest date with a line of amount > 0 up to as-of (null when none).
    Order: revenue desc, lifetime_revenue desc, customer_id — so with an empty term the first
    row is the top customer of the Key accounts page. Grain: customer. Units: data currency.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    empty = pd.DataFrame(
        {
            "customer_id": pd.Series(dtype="int64"),
            "customer_name": pd.Series(dtype="object"),
            "revenue": pd.Series(dtype="float64"),
            "lifetime_revenue": pd.Series(dtype="float64"),
            "last_purchase": pd.Series(dtype="datetime64[us]"),
        }
    )
    bounds = period_bounds(con, filters)
    if bounds is None:
        return empty
    predicate, params = filters.without_dates().where("l")
    needle = term.strip().lower()
    if match == "exact":
        match_sql = "lower(trim(p.customer_name)) = ?"
        match_params: list[object] = [needle]
    else:
        match_sql = "(contains(lower(p.customer_name), ?) or contains(lower(coalesce(vc.customer_code, '')), ?))"
        match_params = [needle, needle]
    frame = store.fetch_df(
        con,
        f"""
        with ledger as (
            select l.customer_id as customer_id, l.customer_name as customer_name,
                   l.order_date as order_date, l.amount as amount
            from v_ledger as l
            where {predicate} and l.order_date <= ?
        ),
        per_customer as (
            select customer_id as customer_id,
                   customer_name as customer_name,
                   cast(sum(case when order_date >= ? then amount else 0 end) as double) as revenue,
                   cast(sum(amount) as double) as lifetime_revenue,
                   max(case when amount > 0 then order_date end) as last_purchase
            from ledger
            group by customer_id, customer_name
        ),
        final as (
            select p.customer_id as customer_id, p.customer_name as customer_name, p.revenue as revenue,
                   p.lifetime_revenue as lifetime_revenue, p.last_purchase as last_purchase
            from per_customer as p
            join v_customers as vc on vc.customer_id = p.customer_id
            where {match_sql}
        )
        select customer_id as customer_id, customer_name as customer_name, revenue as revenue,
               lifetime_revenue as lifetime_revenue, last_purchase as last_purchase
        from final
        order by revenue desc, lifetime_revenue desc, customer_id asc
        limit ?
        """,
        [*params, bounds.as_of, bounds.period.start, *match_params, int(limit)],
    )
    if frame.empty:
        return empty
    frame = frame.astype({"customer_id": "int64", "revenue": "float64", "lifetime_revenue": "float64"})
    return _dates(frame, "last_purchase")[list(SEARCH_COLUMNS)]


# --------------------------------------------------------------------------------------------
# Master data and lifetime figures
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """Who the customer is (:func:`profile`); ``has_master`` tells whether master data exists."""

    customer_id: int
    name: str
    customer_code: str | None
    region: str | None
    city: str | None
    industry: str | None
    sales_rep: str | None
    credit_rating: str | None
    contact_person: str | None
    first_contact: dt.date | None
    has_master: bool
    first_purchase: dt.date | None
    last_purchase: dt.date | None
    lifetime_revenue: float


def _text(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def profile(con: duckdb.DuckDBPyConnection, customer_id: int) -> Profile | None:
    """Master data and lifetime figures of one customer; None for an unknown id. No filters apply.

    * name = master display name, else the name as first seen (``v_customers``);
    * region / sales_rep = master value, else the value on most of the customer's ledger lines
      (ties → the one seen last, then A→Z), as :func:`analytics.customer_facts.customer_facts`;
    * industry, city, credit rating, contact person, first contact, customer code: master only
      (null without master data); ``has_master`` = a customer-master row exists;
    * first / last purchase = first / last date with a line of amount > 0 (whole history);
      lifetime_revenue = Σ amount of every line (net, data currency).
    """
    frame = store.fetch_df(
        con,
        """
        with lines as (
            select t.region as region, t.sales_rep as sales_rep, t.order_date as order_date, t.amount as amount
            from transactions as t
            where t.customer_id = ?
        ),
        region_counts as (
            select region as value, count(*) as lines, max(order_date) as last_seen
            from lines
            where region is not null
            group by region
        ),
        rep_counts as (
            select sales_rep as value, count(*) as lines, max(order_date) as last_seen
            from lines
            where sales_rep is not null
            group by sales_rep
        ),
        ledger_region as (
            select value as value from region_counts order by lines desc, last_seen desc, value asc limit 1
        ),
        ledger_rep as (
            select value as value from rep_counts order by lines desc, last_seen desc, value asc limit 1
        ),
        totals as (
            select min(case when amount > 0 then order_date end) as first_purchase,
                   max(case when amount > 0 then order_date end) as last_purchase,
                   cast(coalesce(sum(amount), 0) as double) as lifetime_revenue
            from lines
        ),
        final as (
            select vc.customer_id as customer_id,
                   vc.customer_name as name,
                   vc.customer_code as customer_code,
                   coalesce(vc.region, (select lr.value from ledger_region as lr)) as region,
                   vc.city as city,
                   vc.industry as industry,
                   coalesce(vc.sales_rep, (select lp.value from ledger_rep as lp)) as sales_rep,
                   vc.credit_rating as credit_rating,
                   vc.contact_person as contact_person,
                   vc.first_contact as first_contact,
                   exists (select 1 from customer_master as m where m.customer_id = vc.customer_id) as has_master,
                   t.first_purchase as first_purchase,
                   t.last_purchase as last_purchase,
                   t.lifetime_revenue as lifetime_revenue
            from v_customers as vc
            cross join totals as t
            where vc.customer_id = ?
        )
        select customer_id as customer_id, name as name, customer_code as customer_code, region as region,
               city as city, industry as industry, sales_rep as sales_rep, credit_rating as credit_rating,
               contact_person as contact_person, first_contact as first_contact, has_master as has_master,
               first_purchase as first_purchase, last_purchase as last_purchase,
               lifetime_revenue as lifetime_revenue
        from final
        """,
        [int(customer_id), int(customer_id)],
    )
    if frame.empty:
        return None
    row = frame.iloc[0]
    return Profile(
        customer_id=int(row["customer_id"]),
        name=str(row["name"]),
        customer_code=_text(row["customer_code"]),
        region=_text(row["region"]),
        city=_text(row["city"]),
        industry=_text(row["industry"]),
        sales_rep=_text(row["sales_rep"]),
        credit_rating=_text(row["credit_rating"]),
        contact_person=_text(row["contact_person"]),
        first_contact=_as_date(row["first_contact"]),
        has_master=bool(row["has_master"]),
        first_purchase=_as_date(row["first_purchase"]),
        last_purchase=_as_date(row["last_purchase"]),
        lifetime_revenue=float(row["lifetime_revenue"]),
    )


# --------------------------------------------------------------------------------------------
# Key-account standing (rank, ABC, tier, RFM) — the numbers of the Key accounts page
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """The customer's row of :func:`analytics.key_accounts.customer_table`, plus its context.

    Money in the data's currency (``profit`` None without profit data); ``revenue_rank`` None
    for net revenue ≤ 0 (not ranked, class C); ``ranked_customers`` = how many are ranked;
    ``recency_days`` at the as-of date; RFM scores 1–5 and the segment are None when the
    customer made no purchase in the period (only returns); ``action`` = the segment's
    suggested action code (:data:`analytics.rfm.ACTIONS`).
    """

    customer_id: int
    revenue: float
    profit: float | None
    orders: int
    first_date: dt.date | None
    last_date: dt.date | None
    revenue_rank: int | None
    ranked_customers: int
    cum_revenue_share: float | None
    abc: str
    tier: str
    recency_days: int | None
    frequency: int | None
    r_score: int | None
    f_score: int | None
    m_score: int | None
    rfm_segment: str | None
    action: str | None


def _int_or_none(value: object) -> int | None:
    number = _optional(value)
    return None if number is None else int(number)


def standing(table: pd.DataFrame, customer_id: int) -> Standing | None:
    """Rank, ABC class, tier and RFM of one customer in the analysis period; None when absent.

    ``table`` is :func:`analytics.key_accounts.customer_table` of the period (formulas there and
    in :mod:`analytics.pareto`, :mod:`analytics.tiers`, :mod:`analytics.rfm`) — the table the Key
    accounts page lists and caches — so the card always agrees with the Key accounts, Pyramid
    and RFM pages; its row is found by ``customer_id`` (names need not be unique).
    """
    ids = table["customer_id"].to_numpy()
    found = np.flatnonzero(ids == int(customer_id))
    if len(found) == 0:
        return None
    ranked = int(table["revenue_rank"].notna().sum())
    row = table.iloc[int(found[0])]
    segment = _text(row["rfm_segment"])
    return Standing(
        customer_id=int(customer_id),
        revenue=float(row["revenue"]),
        profit=_optional(row["profit"]),
        orders=int(row["orders"]),
        first_date=_as_date(row["first_date"]),
        last_date=_as_date(row["last_date"]),
        revenue_rank=_int_or_none(row["revenue_rank"]),
        ranked_customers=ranked,
        cum_revenue_share=_optional(row["cum_revenue_share"]),
        abc=str(row["abc"]),
        tier=str(row["tier"]),
        recency_days=_int_or_none(row["recency_days"]),
        frequency=_int_or_none(row["frequency"]),
        r_score=_int_or_none(row["r_score"]),
        f_score=_int_or_none(row["f_score"]),
        m_score=_int_or_none(row["m_score"]),
        rfm_segment=segment,
        action=rfm.ACTIONS.get(segment) if segment else None,
    )


def row_of(frame: pd.DataFrame, customer_id: int) -> pd.Series | None:
    """The row of ``customer_id`` in a per-customer frame (early warning, BG/NBD); None when absent."""
    rows = frame.loc[frame["customer_id"].to_numpy() == int(customer_id)]
    return None if rows.empty else rows.iloc[0]


# --------------------------------------------------------------------------------------------
# Ledger: monthly timeline and products bought
# --------------------------------------------------------------------------------------------


def timeline(
    con: duckdb.DuckDBPyConnection, filters: Filters, customer_id: int, through: dt.date | None = None
) -> pd.DataFrame:
    """Monthly revenue, profit and orders of one customer under ``filters``.

    Per calendar month (``month`` = DATE_TRUNC('month') as DATE, ``month_index`` = year × 12 +
    month): revenue = Σ amount (net of returns), profit = Σ profit of the lines that carry one
    (null when none do), orders = distinct order ids among purchase lines (amount > 0) +
    distinct id-less purchase days (the definition of :func:`analytics.customer_facts.customer_facts`).
    Every month from the customer's first month with a line up to its last — or up to the month
    of ``through`` when later (so months of silence before the as-of date show as zero) — is
    present: months without lines have revenue 0, orders 0 and profit 0 (null when the customer
    has no profit data at all). Grain: customer × month. Units: data currency, orders.
    """
    predicate, params = filters.where("l")
    frame = store.fetch_df(
        con,
        f"""
        with ledger as (
            select l.order_date as order_date, l.amount as amount, l.profit as profit, l.order_id as order_id
            from v_ledger as l
            where {predicate} and l.customer_id = ?
        ),
        final as (
            select year(order_date) * 12 + month(order_date) as month_index,
                   cast(date_trunc('month', order_date) as date) as month,
                   cast(sum(amount) as double) as revenue,
                   cast(sum(profit) as double) as profit,
                   cast(count(distinct case when amount > 0 then order_id end)
                        + count(distinct case when amount > 0 and order_id is null then order_date end) as bigint)
                       as orders
            from ledger
            group by year(order_date) * 12 + month(order_date), cast(date_trunc('month', order_date) as date)
        )
        select month_index as month_index, month as month, revenue as revenue, profit as profit, orders as orders
        from final
        order by month_index
        """,
        [*params, int(customer_id)],
    )
    columns = ["month", "month_index", "revenue", "profit", "orders"]
    if frame.empty:
        return pd.DataFrame(
            {
                "month": pd.Series(dtype="datetime64[us]"),
                "month_index": pd.Series(dtype="int64"),
                "revenue": pd.Series(dtype="float64"),
                "profit": pd.Series(dtype="float64"),
                "orders": pd.Series(dtype="int64"),
            }
        )
    frame = frame.astype({"month_index": "int64", "revenue": "float64", "profit": "float64", "orders": "int64"})
    first = int(frame["month_index"].iloc[0])
    last = int(frame["month_index"].iloc[-1])
    if through is not None:
        last = max(last, through.year * 12 + through.month)
    has_profit = bool(frame["profit"].notna().any())
    full = frame.set_index("month_index").reindex(np.arange(first, last + 1, dtype=np.int64))
    gaps = full["revenue"].isna().to_numpy()
    full["revenue"] = full["revenue"].fillna(0.0)
    full["orders"] = full["orders"].fillna(0).astype("int64")
    if has_profit:
        full.loc[gaps, "profit"] = 0.0
    full = full.rename_axis("month_index").reset_index()
    full["month"] = pd.to_datetime([month_start(int(i)) for i in full["month_index"]]).astype("datetime64[us]")
    return full[columns]


def purchases(con: duckdb.DuckDBPyConnection, filters: Filters, customer_id: int) -> pd.DataFrame:
    """Products (and their categories) one customer bought under ``filters``.

    One row per (product, category) of the customer's lines: revenue = Σ amount (net),
    revenue_share = revenue / Σ revenue of the customer (null when that total is ≤ 0),
    profit = Σ profit (null when no line has one), quantity = Σ quantity (null when none is
    given), lines = number of ledger lines, orders = distinct order ids among purchase lines +
    distinct id-less purchase days, last_purchase = latest date with a line of amount > 0 (null
    when only returns). A null product or category stays a null value (lines without one).
    Order: revenue desc, product, category (nulls last). Grain: customer × product × category.
    Units: data currency, the ledger's quantity units, lines, orders.
    """
    predicate, params = filters.where("l")
    frame = store.fetch_df(
        con,
        f"""
        with ledger as (
            select l.product as product, l.category as category, l.order_date as order_date,
                   l.amount as amount, l.profit as profit, l.quantity as quantity, l.order_id as order_id
            from v_ledger as l
            where {predicate} and l.customer_id = ?
        ),
        per_product as (
            select product as product,
                   category as category,
                   cast(sum(amount) as double) as revenue,
                   cast(sum(profit) as double) as profit,
                   cast(sum(quantity) as double) as quantity,
                   cast(count(*) as bigint) as lines,
                   cast(count(distinct case when amount > 0 then order_id end)
                        + count(distinct case when amount > 0 and order_id is null then order_date end) as bigint)
                       as orders,
                   max(case when amount > 0 then order_date end) as last_purchase
            from ledger
            group by product, category
        ),
        final as (
            select product as product,
                   category as category,
                   revenue as revenue,
                   case when sum(revenue) over () > 0
                        then cast(revenue as double) / cast(sum(revenue) over () as double) end as revenue_share,
                   profit as profit,
                   quantity as quantity,
                   lines as lines,
                   orders as orders,
                   last_purchase as last_purchase
            from per_product
        )
        select product as product, category as category, revenue as revenue, revenue_share as revenue_share,
               profit as profit, quantity as quantity, lines as lines, orders as orders,
               last_purchase as last_purchase
        from final
        order by revenue desc, product asc nulls last, category asc nulls last
        """,
        [*params, int(customer_id)],
    )
    frame = frame.astype(
        {
            "product": "object",
            "category": "object",
            "revenue": "float64",
            "revenue_share": "float64",
            "profit": "float64",
            "quantity": "float64",
            "lines": "int64",
            "orders": "int64",
        }
    )
    return _dates(frame, "last_purchase")


@dataclass(frozen=True)
class PeriodRevenue:
    """Net revenue of one customer in the analysis period and the one before (:func:`period_revenue`)."""

    current: float
    previous: float

    @property
    def change(self) -> float | None:
        """Relative change current / previous − 1; None when the previous period is ≤ 0."""
        return self.current / self.previous - 1.0 if self.previous > 0 else None


def period_revenue(con: duckdb.DuckDBPyConnection, filters: Filters, customer_id: int) -> PeriodRevenue | None:
    """Σ amount of one customer in the analysis period and in the comparison period before it.

    Periods from :func:`analytics.customer_facts.period_bounds` (the Key accounts period and its
    :func:`~analytics.customer_facts.previous_period`); the non-date filters apply to the lines.
    None when nothing anchors the period (no data under the filters). Units: data currency, net.
    """
    bounds = period_bounds(con, filters)
    if bounds is None:
        return None
    predicate, params = filters.without_dates().where("l")
    frame = store.fetch_df(
        con,
        f"""
        with ledger as (
            select l.order_date as order_date, l.amount as amount
            from v_ledger as l
            where {predicate} and l.customer_id = ? and l.order_date >= ? and l.order_date <= ?
        ),
        final as (
            select cast(coalesce(sum(case when order_date >= ? then amount end), 0) as double) as current_revenue,
                   cast(coalesce(sum(case when order_date <= ? then amount end), 0) as double) as previous_revenue
            from ledger
        )
        select current_revenue as current_revenue, previous_revenue as previous_revenue
        from final
        """,
        [*params, int(customer_id), bounds.previous.start, bounds.as_of, bounds.period.start, bounds.previous.end],
    )
    row = frame.iloc[0]
    return PeriodRevenue(current=float(row["current_revenue"]), previous=float(row["previous_revenue"]))


# --------------------------------------------------------------------------------------------
# Surveys and complaints
# --------------------------------------------------------------------------------------------


def survey_history(con: duckdb.DuckDBPyConnection, filters: Filters, customer_id: int) -> pd.DataFrame:
    """Every survey response of one customer, oldest first, with its dimension scores as columns.

    Responses as in :func:`analytics.satisfaction.survey_ctes` (filters: module docstring).
    Columns: :data:`SURVEY_COLUMNS` — ``response_id``, ``survey_date``, ``overall`` (on the
    upload's scale), ``scale_min`` / ``scale_max`` (that scale), ``norm_overall`` =
    (overall − scale_min) / (scale_max − scale_min) ∈ [0, 1], ``recommend`` (0–10, null when not
    asked), ``comment`` — then one column per dimension (its name as stored, A→Z; a name equal
    to a fixed column gets the suffix `` (dim)``) holding that response's score (null when the
    response did not rate it). Order: survey_date, response_id. Grain: survey response.
    """
    ctes, params = survey_ctes(filters)
    base = store.fetch_df(
        con,
        f"""
        with {ctes},
        final as (
            select r.response_id as response_id, r.survey_date as survey_date, r.overall as overall,
                   r.scale_min as scale_min, r.scale_max as scale_max, r.norm_overall as norm_overall,
                   r.recommend as recommend, s.comment as comment
            from responses as r
            join surveys as s on s.response_id = r.response_id
            where r.customer_id = ?
        )
        select response_id as response_id, survey_date as survey_date, overall as overall,
               scale_min as scale_min, scale_max as scale_max, norm_overall as norm_overall,
               recommend as recommend, comment as comment
        from final
        order by survey_date, response_id
        """,
        [*params, int(customer_id)],
    )
    base = base.astype(
        {
            "response_id": "int64",
            "overall": "float64",
            "scale_min": "float64",
            "scale_max": "float64",
            "norm_overall": "float64",
            "recommend": "float64",
            "comment": "object",
        }
    )
    base = _dates(base, "survey_date")
    if base.empty:
        return base
    ids = base["response_id"].tolist()
    scores = store.fetch_df(
        con,
        f"""
        with final as (
            select ss.response_id as response_id, ss.dimension as dimension, ss.score as score
            from survey_scores as ss
            where ss.response_id in ({", ".join("?" for _ in ids)})
        )
        select response_id as response_id, dimension as dimension, score as score
        from final
        order by response_id, dimension
        """,
        ids,
    )
    if scores.empty:
        return base
    wide = scores.pivot_table(index="response_id", columns="dimension", values="score", aggfunc="mean")
    wide = wide.reindex(sorted(wide.columns), axis=1)
    wide.columns = [f"{name} (dim)" if name in SURVEY_COLUMNS else str(name) for name in wide.columns]
    return base.merge(wide.reset_index(), on="response_id", how="left")


def complaint_history(con: duckdb.DuckDBPyConnection, filters: Filters, customer_id: int) -> pd.DataFrame:
    """Every complaint of one customer, newest first.

    Complaints as in :func:`analytics.satisfaction.complaint_ctes` (filters: module docstring;
    open = not resolved today: no resolved date and no resolved status). Columns:
    ``complaint_id``, ``opened_date``, ``category``, ``severity``, ``status``, ``resolved_date``,
    ``days_to_resolve`` = resolved_date − opened_date in days (null while open or undated),
    ``is_open`` (bool), ``description``. Order: opened_date desc, then the stored row.
    Grain: complaint. Units: days.
    """
    ctes, params = complaint_ctes(filters)
    frame = store.fetch_df(
        con,
        f"""
        with {ctes},
        final as (
            select cr.complaint_id as complaint_id, cr.opened_date as opened_date, cr.category as category,
                   cr.severity as severity, cr.status as status, cr.resolved_date as resolved_date,
                   cr.days_to_resolve as days_to_resolve, cr.is_open as is_open, c.description as description,
                   cr.upload_id as upload_id, cr.source_row as source_row
            from complaint_rows as cr
            join complaints as c on c.upload_id = cr.upload_id and c.source_row = cr.source_row
            where cr.customer_id = ?
        )
        select complaint_id as complaint_id, opened_date as opened_date, category as category,
               severity as severity, status as status, resolved_date as resolved_date,
               days_to_resolve as days_to_resolve, is_open as is_open, description as description
        from final
        order by opened_date desc, upload_id desc, source_row desc
        """,
        [*params, int(customer_id)],
    )
    frame = frame.astype(
        {
            "complaint_id": "object",
            "category": "object",
            "severity": "object",
            "status": "object",
            "days_to_resolve": "Int64",
            "description": "object",
        }
    )
    frame["is_open"] = frame["is_open"].to_numpy(dtype=np.int64) == 1
    return _dates(frame, "opened_date", "resolved_date")
