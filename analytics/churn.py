"""Churn (客户流失): lost customers, inactivity, early warnings, cohorts, what-if, BG/NBD (SPEC §4.4).

UI-free: every function takes a DuckDB connection and a :class:`~analytics.filters.Filters` and
returns small frozen dataclasses or DataFrames. The per-customer numbers come from
:func:`analytics.customer_facts.customer_facts`, tiers from :mod:`analytics.tiers`, the
probabilistic model from :mod:`analytics.bgnbd` and survey/complaint data from
:mod:`analytics.satisfaction`; this module adds the churn rules on top.

Definitions
    * **purchase** — a ledger line with amount > 0 (returns and credit notes are not purchases;
      they still count in revenue, which is net: Σ amount).
    * **as-of date** — the ``as_of`` argument, else ``filters.date_to``, else the latest
      transaction date under the filters (:func:`analytics.customer_facts.period_bounds`).
    * **window** of w months (1–24, default 12) — current window (as_of − w months, as_of],
      previous window (as_of − 2w months, as_of − w months]. "d − k months" moves to the same day
      k calendar months earlier, clamped to the month's end (Mar 31 − 1 month = Feb 29), and a
      month-end date moves to the month-end (Feb 29 − 1 month = Jan 31), so windows ending on a
      month end are whole calendar months (:func:`months_back`).
    * **active at start** — customers with a purchase in the previous window; **lost** — of
      those, no purchase in the current window; **retained** — the others; **new** — a purchase
      in the current window but none in the previous one.
    * Churn is history-wide: the region, sales-rep, category and channel filters apply (to the
      ledger lines), the date range only through the as-of date (``date_to``); ``date_from`` is
      ignored except by :func:`churn_over_time` (first point) and :func:`cohort_retention`
      (first cohort).

SQL follows the portable subset (lowercase CTE chains ending in ``final``, explicit GROUP BY,
DOUBLE casts on both sides of ratios, a tie-break key in every window ORDER BY, month index
year × 12 + month, aliased outputs, bound ``?`` parameters, identifiers from whitelists).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, fields
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow.compute as pc

from analytics import bgnbd, store
from analytics.customer_facts import Period, customer_facts, ledger_ctes, period_bounds, shift_months
from analytics.filters import Filters
from analytics.satisfaction import complaint_ctes, latest_scores, month_start, satisfaction_band
from analytics.tiers import TierScheme, assign_tiers, migration

__all__ = [
    "DEFAULT_WINDOW_MONTHS",
    "MAX_WINDOW_MONTHS",
    "MIN_WINDOW_MONTHS",
    "PROFILE_DIMENSIONS",
    "SIGNALS",
    "WHAT_IF_ASSUMPTIONS",
    "BgNbdSummary",
    "ChurnSummary",
    "ChurnWindows",
    "CohortRetention",
    "PurchaseActivity",
    "RetentionWhatIf",
    "WarningRules",
    "activity_cohorts",
    "activity_over_time",
    "activity_summary",
    "activity_what_if",
    "bgnbd_summary",
    "churn_over_time",
    "churn_summary",
    "churn_windows",
    "cohort_retention",
    "early_warning",
    "inactivity",
    "lost_customers",
    "lost_profile",
    "months_back",
    "purchase_activity",
    "resolve_as_of",
    "retention_what_if",
]

DEFAULT_WINDOW_MONTHS = 12
MIN_WINDOW_MONTHS = 1
MAX_WINDOW_MONTHS = 24
#: Early-warning signal codes, in display order.
SIGNALS: tuple[str, ...] = (
    "freq_falling",
    "value_falling",
    "overdue",
    "open_complaints",
    "low_satisfaction",
    "falling_satisfaction",
    "tier_downgrade",
)
#: Dimensions of :func:`lost_profile`, in display order.
PROFILE_DIMENSIONS: tuple[str, ...] = ("region", "sales_rep", "tier", "category", "satisfaction")
_EPS = 1e-9


# --------------------------------------------------------------------------------------------
# Windows and helpers
# --------------------------------------------------------------------------------------------


def _is_month_end(day: dt.date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def months_back(day: dt.date, months: int) -> dt.date:
    """``day`` − ``months`` calendar months with the end-of-month rule.

    Same day number ``months`` months earlier, clamped to that month's end (2024-03-30 − 1 →
    2024-02-29); a month-end date maps to the month-end (2024-02-29 − 1 → 2024-01-31), so
    windows ending on month ends cover whole calendar months.
    """
    shifted = shift_months(day, -months)
    if _is_month_end(day):
        return dt.date(shifted.year, shifted.month, calendar.monthrange(shifted.year, shifted.month)[1])
    return shifted


@dataclass(frozen=True)
class ChurnWindows:
    """The current and previous churn windows for an as-of date (module docstring)."""

    as_of: dt.date
    window_months: int
    current: Period
    previous: Period


def _check_window(window_months: int) -> None:
    if not MIN_WINDOW_MONTHS <= window_months <= MAX_WINDOW_MONTHS:
        raise ValueError(f"window_months must be between {MIN_WINDOW_MONTHS} and {MAX_WINDOW_MONTHS}")


def churn_windows(as_of: dt.date, window_months: int = DEFAULT_WINDOW_MONTHS) -> ChurnWindows:
    """Current window (as_of − w, as_of] and previous window (as_of − 2w, as_of − w] as inclusive periods.

    Example: as-of 2024-12-31, w = 12 → current 2024-01-01 … 2024-12-31, previous
    2023-01-01 … 2023-12-31. Raises ``ValueError`` unless 1 ≤ w ≤ 24.
    """
    _check_window(window_months)
    one_day = dt.timedelta(days=1)
    middle = months_back(as_of, window_months)
    start = months_back(as_of, 2 * window_months)
    return ChurnWindows(
        as_of=as_of,
        window_months=window_months,
        current=Period(middle + one_day, as_of),
        previous=Period(start + one_day, middle),
    )


def resolve_as_of(con: duckdb.DuckDBPyConnection, filters: Filters, as_of: dt.date | None = None) -> dt.date | None:
    """``as_of`` if given, else ``filters.date_to``, else the latest transaction date under ``filters``.

    None when nothing anchors the date (no date given and no matching transaction).
    """
    if as_of is not None:
        return as_of
    bounds = period_bounds(con, filters)
    return bounds.as_of if bounds is not None else None


def _history(filters: Filters) -> Filters:
    """The non-date part of ``filters`` (churn reads the whole history up to the as-of date)."""
    return filters.without_dates()


def _facts(con: duckdb.DuckDBPyConnection, filters: Filters, period: Period) -> pd.DataFrame:
    """customer_facts for ``period`` with the non-date filters, customer_id as int64."""
    facts = customer_facts(con, period.filters(_history(filters)))
    return facts.assign(customer_id=facts["customer_id"].astype("int64"))


def _present(facts: pd.DataFrame) -> pd.Series:
    return facts["purchase_days"].fillna(0).astype("int64") > 0


def _ratio(numerator: float, denominator: float) -> float | None:
    """Return numerator / denominator; None when the denominator is not positive."""
    return float(numerator) / float(denominator) if denominator > 0 else None


# --------------------------------------------------------------------------------------------
# Rule-based churn
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChurnSummary:
    """Churn over one window pair (:func:`churn_summary`); counts in customers, money in the data's currency.

    ``windows`` is None when there is no data to anchor an as-of date (then every count is 0
    and every rate None). Rates are None when their denominator is 0 (or not positive).
    """

    windows: ChurnWindows | None
    window_months: int
    active_at_start: int
    retained: int
    lost: int
    new_customers: int
    churn_rate: float | None
    prior_revenue: float
    lost_prior_revenue: float
    cohort_current_revenue: float
    revenue_churn: float | None
    net_revenue_retention: float | None

    @property
    def as_of(self) -> dt.date | None:
        """The as-of date (end of the current window)."""
        return self.windows.as_of if self.windows else None


def _window_ctes(filters: Filters, windows: ChurnWindows) -> tuple[str, list[object]]:
    """CTEs ``ledger`` and ``per_customer`` (one ledger scan over both windows) and their parameters.

    ``per_customer``: one row per customer with a line in (previous.start … as_of):
    ``prior_revenue`` / ``current_revenue`` (net Σ amount per window, DOUBLE), ``prior_active`` /
    ``current_active`` (1 when the window has a line with amount > 0, else 0) and
    ``current_profit`` (Σ profit of the current window's lines that carry one; null when none).
    """
    predicate, params = _history(filters).where("l")
    middle = windows.previous.end
    sql = f"""ledger as (
            select l.customer_id as customer_id, l.order_date as order_date, l.amount as amount,
                   l.profit as profit
            from v_ledger as l
            where {predicate} and l.order_date >= ? and l.order_date <= ?
        ),
        per_customer as (
            select customer_id as customer_id,
                   cast(sum(case when order_date <= ? then amount else 0 end) as double) as prior_revenue,
                   max(case when order_date <= ? and amount > 0 then 1 else 0 end) as prior_active,
                   cast(sum(case when order_date > ? then amount else 0 end) as double) as current_revenue,
                   max(case when order_date > ? and amount > 0 then 1 else 0 end) as current_active,
                   cast(sum(case when order_date > ? then profit end) as double) as current_profit
            from ledger
            group by customer_id
        )"""
    return sql, [*params, windows.previous.start, windows.as_of, middle, middle, middle, middle, middle]


def _window_totals(con: duckdb.DuckDBPyConnection, filters: Filters, windows: ChurnWindows) -> dict[str, float]:
    """Cohort counts and sums of one window pair (see :func:`churn_summary`), one SQL aggregate."""
    ctes, params = _window_ctes(filters, windows)
    frame = store.fetch_df(
        con,
        f"""
        with {ctes},
        final as (
            select cast(sum(prior_active) as bigint) as active_at_start,
                   cast(sum(case when prior_active = 1 and current_active = 0 then 1 else 0 end) as bigint) as lost,
                   cast(sum(case when prior_active = 0 and current_active = 1 then 1 else 0 end) as bigint)
                       as new_customers,
                   cast(sum(case when prior_active = 1 then prior_revenue else 0 end) as double) as prior_revenue,
                   cast(sum(case when prior_active = 1 and current_active = 0 then prior_revenue else 0 end) as double)
                       as lost_prior_revenue,
                   cast(sum(case when prior_active = 1 then current_revenue else 0 end) as double)
                       as cohort_current_revenue,
                   cast(sum(case when prior_active = 1 and current_active = 1 then current_revenue else 0 end)
                        as double) as retained_revenue,
                   cast(sum(case when prior_active = 1 and current_active = 1 then current_profit end) as double)
                       as retained_profit,
                   cast(sum(case when prior_active = 1 and current_active = 1 and current_profit is not null
                                 then 1 else 0 end) as bigint) as retained_with_profit
            from per_customer
        )
        select active_at_start as active_at_start, lost as lost, new_customers as new_customers,
               prior_revenue as prior_revenue, lost_prior_revenue as lost_prior_revenue,
               cohort_current_revenue as cohort_current_revenue, retained_revenue as retained_revenue,
               retained_profit as retained_profit, retained_with_profit as retained_with_profit
        from final
        """,
        params,
    )
    row = frame.iloc[0]
    return {column: (0.0 if pd.isna(row[column]) else float(row[column])) for column in frame.columns} | {
        "has_profit": float(not pd.isna(row["retained_profit"]))
    }


def _cohort(
    con: duckdb.DuckDBPyConnection, filters: Filters, windows: ChurnWindows
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(cohort, previous facts): one cohort row per customer active at start.

    Cohort columns: the previous-window facts of :func:`analytics.customer_facts.customer_facts`
    (``customer_id``, ``customer_name``, ``region``, ``sales_rep``, ``first_date``, …) with
    ``prior_revenue``, ``prior_profit``, ``prior_orders``, ``prior_purchase_days``,
    ``last_purchase`` (renamed), plus ``current_revenue`` (0 when absent) and ``lost`` (no
    purchase in the current window).
    """
    previous = _facts(con, filters, windows.previous)
    ctes, params = _window_ctes(filters, windows)
    now = store.fetch_df(
        con,
        f"""
        with {ctes},
        final as (
            select customer_id as customer_id, current_revenue as current_revenue, current_active as current_active
            from per_customer
            where prior_active = 1
        )
        select customer_id as customer_id, current_revenue as current_revenue, current_active as current_active
        from final
        order by customer_id
        """,
        params,
    )
    now = now.astype({"customer_id": "int64", "current_revenue": "float64", "current_active": "int64"})
    active = previous[_present(previous).to_numpy()]
    cohort = active.rename(
        columns={
            "revenue": "prior_revenue",
            "profit": "prior_profit",
            "orders": "prior_orders",
            "purchase_days": "prior_purchase_days",
            "last_date": "last_purchase",
        }
    ).merge(now, on="customer_id", how="left")
    cohort["current_revenue"] = cohort["current_revenue"].fillna(0.0).astype("float64")
    cohort["lost"] = cohort["current_active"].fillna(0).to_numpy(dtype=np.int64) == 0
    return cohort.drop(columns="current_active").reset_index(drop=True), previous


def churn_summary(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    as_of: dt.date | None = None,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> ChurnSummary:
    """Rule-based churn for one window: lost customers, churn rate, revenue churn, NRR.

    Formulas (windows and "purchase" as in the module docstring; revenue = net Σ amount):

    * active_at_start = customers with a purchase in the previous window (as_of − 2w, as_of − w];
    * lost = active_at_start customers without a purchase in the current window (as_of − w, as_of];
    * churn_rate = lost / active_at_start;
    * revenue_churn = Σ previous-window revenue of the lost / Σ previous-window revenue of all
      active_at_start customers (``prior_revenue``);
    * net_revenue_retention = Σ current-window revenue of the active_at_start customers /
      ``prior_revenue`` (> 1 when the surviving customers grew more than the lost ones took away).

    Grain: customer × window pair. Units: customers, currency, ratios (0.25 = 25 %). The window
    slider runs from 1 to 24 months (``ValueError`` outside).

    Source: SPEC §4.4; customer churn rate and net revenue retention as defined in subscription
    analytics (e.g. Gupta, Lehmann & Stuart 2004, "Valuing Customers", J. Marketing Research
    41(1): retention = 1 − churn between consecutive periods).
    """
    _check_window(window_months)
    anchor = resolve_as_of(con, filters, as_of)
    if anchor is None:
        return ChurnSummary(None, window_months, 0, 0, 0, 0, None, 0.0, 0.0, 0.0, None, None)
    windows = churn_windows(anchor, window_months)
    return _summary(windows, _window_totals(con, filters, windows))


def _summary(windows: ChurnWindows, totals: dict[str, float]) -> ChurnSummary:
    """:class:`ChurnSummary` from the aggregates of :func:`_window_totals`."""
    window_months = windows.window_months
    active, lost = int(totals["active_at_start"]), int(totals["lost"])
    prior_total, lost_prior = totals["prior_revenue"], totals["lost_prior_revenue"]
    cohort_now = totals["cohort_current_revenue"]
    return ChurnSummary(
        windows=windows,
        window_months=window_months,
        active_at_start=active,
        retained=active - lost,
        lost=lost,
        new_customers=int(totals["new_customers"]),
        churn_rate=_ratio(lost, active),
        prior_revenue=prior_total,
        lost_prior_revenue=lost_prior,
        cohort_current_revenue=cohort_now,
        revenue_churn=_ratio(lost_prior, prior_total),
        net_revenue_retention=_ratio(cohort_now, prior_total),
    )


def churn_over_time(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    window_months: int = DEFAULT_WINDOW_MONTHS,
    points: int = 24,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """Churn rate at month ends: the same rule as :func:`churn_summary` with as-of = each month end.

    Points: the latest ``points`` month ends on or before the as-of date; when
    ``filters.date_from`` is set, every month end from its month up to the as-of date instead. At a month end of month
    M the windows are whole calendar months: current = months (M − w, M], previous =
    (M − 2w, M − w]. One ledger pass: with purchase months p < q of a customer consecutive,
    the customer is active at start for M ∈ [p + w, min(q − 1 + w, p + 2w − 1)] and lost for
    M ∈ [p + w, min(q − 1, p + 2w − 1)]; the counts are summed by a difference array.

    Columns: ``as_of`` (month-end date), ``month_index`` (year × 12 + month), ``active_at_start``,
    ``lost``, ``churn_rate`` (NaN when nobody was active at start). Grain: month end.
    Source: SPEC §4.4 (churn rate over time).
    """
    _check_window(window_months)
    if points < 1:
        raise ValueError("points must be at least 1")
    anchor = resolve_as_of(con, filters, as_of)
    if anchor is None:
        return _over_time(None, 0, 0, window_months)
    first_index, last_index = _over_time_range(anchor, filters.date_from, points)
    if last_index < first_index:
        return _over_time(None, first_index, last_index, window_months)
    predicate, params = _history(filters).where("l")
    spans = store.fetch_df(
        con,
        f"""
        with ledger as (
            select l.customer_id as customer_id, l.order_date as order_date
            from v_ledger as l
            where {predicate} and l.amount > 0 and l.order_date <= ?
        ),
        months as (
            select customer_id as customer_id,
                   year(order_date) * 12 + month(order_date) as month_index
            from ledger
            group by customer_id, year(order_date) * 12 + month(order_date)
        ),
        spans as (
            select customer_id as customer_id,
                   month_index as month_index,
                   lead(month_index) over (partition by customer_id order by month_index, customer_id) as next_index
            from months
        ),
        final as (
            select month_index as month_index, next_index as next_index, count(*) as customers
            from spans
            group by month_index, next_index
        )
        select month_index as month_index, next_index as next_index, customers as customers
        from final
        """,
        [*params, month_start(last_index + 1) - dt.timedelta(days=1)],
    )
    return _over_time(spans, first_index, last_index, window_months)


def _last_full_month(anchor: dt.date) -> int:
    """Month index of the last month end on or before ``anchor``."""
    return anchor.year * 12 + anchor.month - (0 if _is_month_end(anchor) else 1)


def _over_time_range(anchor: dt.date, date_from: dt.date | None, points: int) -> tuple[int, int]:
    """(first, last) month index of the points of :func:`churn_over_time`."""
    last_index = _last_full_month(anchor)
    first_index = last_index - points + 1
    if date_from is not None:
        first_index = date_from.year * 12 + date_from.month
    return first_index, last_index


def _over_time(spans: pd.DataFrame | None, first_index: int, last_index: int, w: int) -> pd.DataFrame:
    """The frame of :func:`churn_over_time` from the purchase-month spans (None or no points: empty frame).

    ``spans``: ``month_index`` p, ``next_index`` q (the customer's next purchase month, null for
    the last one) and ``customers`` (how many customers have that pair), over the purchase
    months up to the month of ``last_index``.
    """
    if spans is None or last_index < first_index:
        return pd.DataFrame(
            {
                "as_of": pd.Series(dtype="datetime64[us]"),
                "month_index": pd.Series(dtype="int64"),
                "active_at_start": pd.Series(dtype="int64"),
                "lost": pd.Series(dtype="int64"),
                "churn_rate": pd.Series(dtype="float64"),
            }
        )
    size = last_index - first_index + 2
    active_diff = np.zeros(size + 1, dtype=np.int64)
    lost_diff = np.zeros(size + 1, dtype=np.int64)
    if not spans.empty:
        p = spans["month_index"].to_numpy(dtype=np.int64)
        q = spans["next_index"].to_numpy(dtype=np.float64, na_value=np.inf)
        n = spans["customers"].to_numpy(dtype=np.int64)
        far = float(last_index + 2 * w + 1)
        q_end = np.where(np.isinf(q), far, q)
        cap = p + 2 * w - 1
        for start, end, diff in (
            (p + w, np.minimum(q_end - 1 + w, cap), active_diff),
            (p + w, np.minimum(q_end - 1, cap), lost_diff),
        ):
            lo = np.maximum(start, first_index)
            hi = np.minimum(end, last_index).astype(np.int64)
            ok = lo <= hi
            np.add.at(diff, lo[ok] - first_index, n[ok])
            np.add.at(diff, hi[ok] - first_index + 1, -n[ok])
    count = last_index - first_index + 1
    active = np.cumsum(active_diff)[:count]
    lost = np.cumsum(lost_diff)[:count]
    indexes = np.arange(first_index, last_index + 1, dtype=np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(active > 0, lost / np.where(active > 0, active, 1), np.nan)
    ends = [month_start(int(i) + 1) - dt.timedelta(days=1) for i in indexes]
    return pd.DataFrame(
        {
            "as_of": pd.to_datetime(ends).astype("datetime64[us]"),
            "month_index": indexes,
            "active_at_start": active.astype(np.int64),
            "lost": lost.astype(np.int64),
            "churn_rate": rate.astype(np.float64),
        }
    )


def _main_category(con: duckdb.DuckDBPyConnection, filters: Filters, period: Period) -> pd.DataFrame:
    """Per customer the category with the highest net revenue in ``period`` (ties → A→Z)."""
    predicate, params = period.filters(_history(filters)).where("l")
    frame = store.fetch_df(
        con,
        f"""
        with ledger as (
            select l.customer_id as customer_id, l.category as category, l.amount as amount
            from v_ledger as l
            where {predicate} and l.category is not null
        ),
        per_category as (
            select customer_id as customer_id, category as category, cast(sum(amount) as double) as revenue
            from ledger
            group by customer_id, category
        ),
        ranked as (
            select customer_id as customer_id,
                   category as category,
                   row_number() over (partition by customer_id order by revenue desc, category asc) as rn
            from per_category
        ),
        final as (
            select customer_id as customer_id, category as main_category
            from ranked
            where rn = 1
        )
        select customer_id as customer_id, main_category as main_category
        from final
        order by customer_id
        """,
        params,
    )
    frame["customer_id"] = frame["customer_id"].astype("int64")
    frame["main_category"] = frame["main_category"].astype("object")
    return frame


def _enriched_cohort(
    con: duckdb.DuckDBPyConnection, filters: Filters, windows: ChurnWindows, scheme: TierScheme | None
) -> pd.DataFrame:
    """The cohort of :func:`_cohort` with tier, main category and latest satisfaction."""
    cohort, previous = _cohort(con, filters, windows)
    tier_period = Period(months_back(windows.previous.end, 12) + dt.timedelta(days=1), windows.previous.end)
    tier_facts = previous if tier_period == windows.previous else _facts(con, filters, tier_period)
    tiered = assign_tiers(tier_facts, scheme)[["customer_id", "tier"]]
    cohort = cohort.merge(tiered, on="customer_id", how="left")
    cohort["tier"] = cohort["tier"].astype("object")
    cohort = cohort.merge(_main_category(con, filters, windows.previous), on="customer_id", how="left")
    scores = latest_scores(con, _history(filters), windows.as_of)[
        ["customer_id", "latest_date", "latest_score", "scale_min", "scale_max"]
    ]
    cohort = cohort.merge(scores, on="customer_id", how="left")
    cohort["satisfaction_band"] = satisfaction_band(cohort["latest_score"], cohort["scale_min"], cohort["scale_max"])
    last = pd.to_datetime(cohort["last_purchase"]).astype("datetime64[us]")
    cohort["last_purchase"] = last
    cohort["days_since_last"] = (pd.Timestamp(windows.as_of) - last).dt.days.astype("Int64")
    return cohort


_LOST_COLUMNS = [
    "customer_id",
    "customer_name",
    "region",
    "sales_rep",
    "tier",
    "main_category",
    "prior_revenue",
    "prior_profit",
    "prior_orders",
    "last_purchase",
    "days_since_last",
    "latest_score",
    "scale_min",
    "scale_max",
    "latest_survey_date",
    "satisfaction_band",
]


def lost_customers(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    as_of: dt.date | None = None,
    window_months: int = DEFAULT_WINDOW_MONTHS,
    scheme: TierScheme | None = None,
) -> pd.DataFrame:
    """One row per lost customer (bought in the previous window, not in the current one).

    Columns: ``customer_id``, ``customer_name``, ``region`` / ``sales_rep`` (most frequent on
    the previous window's lines), ``tier`` (absolute default scheme unless ``scheme`` is given,
    on the 12 months ending at the previous window's end — the previous window itself for the
    default 12-month window; annual thresholds need annual revenue), ``main_category``
    (highest net revenue in the previous window, ties A→Z), ``prior_revenue`` / ``prior_profit``
    / ``prior_orders`` (previous window), ``last_purchase``, ``days_since_last`` (as-of −
    last purchase), ``latest_score`` with ``scale_min`` / ``scale_max`` and
    ``latest_survey_date`` (latest survey on or before the as-of date), ``satisfaction_band``
    (:func:`analytics.satisfaction.satisfaction_band`). Sorted by prior revenue descending,
    then customer_id. Grain: customer. Source: SPEC §4.4.
    """
    _check_window(window_months)
    anchor = resolve_as_of(con, filters, as_of)
    if anchor is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in _LOST_COLUMNS})
    cohort = _enriched_cohort(con, filters, churn_windows(anchor, window_months), scheme)
    lost = cohort[cohort["lost"].to_numpy(dtype=bool)].rename(columns={"latest_date": "latest_survey_date"})
    lost = lost.sort_values(["prior_revenue", "customer_id"], ascending=[False, True], kind="mergesort")
    return lost[_LOST_COLUMNS].reset_index(drop=True)


def lost_profile(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    as_of: dt.date | None = None,
    window_months: int = DEFAULT_WINDOW_MONTHS,
    scheme: TierScheme | None = None,
) -> pd.DataFrame:
    """Characteristics of lost customers: churn rate by region, rep, tier, main category, satisfaction.

    For every value of each dimension of :data:`PROFILE_DIMENSIONS` (attributes as in
    :func:`lost_customers`, taken for every customer active at start): active_at_start, lost,
    churn_rate = lost / active_at_start, prior_revenue, lost_prior_revenue, revenue_churn =
    lost_prior_revenue / prior_revenue (NaN when ≤ 0). Customers without a value (no region,
    no category) form the row with a null ``value``; satisfaction uses the bands
    satisfied / neutral / dissatisfied / no_survey.

    Columns: ``dimension``, ``value``, ``active_at_start``, ``lost``, ``churn_rate``,
    ``prior_revenue``, ``lost_prior_revenue``, ``revenue_churn``. Order: dimension order,
    then active_at_start descending, then value. Grain: dimension value. Source: SPEC §4.4.
    """
    _check_window(window_months)
    columns = [
        "dimension",
        "value",
        "active_at_start",
        "lost",
        "churn_rate",
        "prior_revenue",
        "lost_prior_revenue",
        "revenue_churn",
    ]
    anchor = resolve_as_of(con, filters, as_of)
    if anchor is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    cohort = _enriched_cohort(con, filters, churn_windows(anchor, window_months), scheme)
    source = {
        "region": "region",
        "sales_rep": "sales_rep",
        "tier": "tier",
        "category": "main_category",
        "satisfaction": "satisfaction_band",
    }
    lost = cohort["lost"].to_numpy(dtype=bool)
    prior = cohort["prior_revenue"].to_numpy(dtype=np.float64, na_value=0.0)
    base = pd.DataFrame({"lost": lost.astype(np.int64), "prior": prior, "lost_prior": np.where(lost, prior, 0.0)})
    parts = []
    for dimension in PROFILE_DIMENSIONS:
        values = cohort[source[dimension]].astype("object")
        values = values.where(values.notna(), None)
        grouped = base.assign(value=values.to_numpy()).groupby("value", dropna=False, sort=False)
        summary = grouped.agg(
            active_at_start=("lost", "size"),
            lost=("lost", "sum"),
            prior_revenue=("prior", "sum"),
            lost_prior_revenue=("lost_prior", "sum"),
        ).reset_index()
        summary.insert(0, "dimension", dimension)
        parts.append(summary)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    active = out["active_at_start"].to_numpy(dtype=np.float64)
    prior_rev = out["prior_revenue"].to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["churn_rate"] = np.where(active > 0, out["lost"].to_numpy(dtype=np.float64) / active, np.nan)
        out["revenue_churn"] = np.where(
            prior_rev > 0, out["lost_prior_revenue"].to_numpy(dtype=np.float64) / prior_rev, np.nan
        )
    out["value"] = pd.Series([None if pd.isna(v) else str(v) for v in out["value"]], dtype="object")
    out["order"] = out["dimension"].map({d: i for i, d in enumerate(PROFILE_DIMENSIONS)})
    out["value_key"] = ["\uffff" if v is None else v for v in out["value"]]
    out = out.sort_values(
        ["order", "active_at_start", "value_key"], ascending=[True, False, True], kind="mergesort"
    ).reset_index(drop=True)
    out = out.astype({"active_at_start": "int64", "lost": "int64"})
    return out[columns]


# --------------------------------------------------------------------------------------------
# Inactivity against the customer's own rhythm
# --------------------------------------------------------------------------------------------

_INACTIVITY_COLUMNS = [
    "customer_id",
    "customer_name",
    "purchase_days",
    "first_purchase",
    "last_purchase",
    "days_since_last",
    "median_gap_days",
    "gap_ratio",
    "overdue",
    "status",
]


def inactivity(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    as_of: dt.date | None = None,
    k: float = 2.0,
    floor_days: int = 30,
) -> pd.DataFrame:
    """Days since the last purchase against the customer's own typical gap between purchases.

    Per customer with a purchase on or before the as-of date (purchase days = distinct dates
    with a line of amount > 0, whole history up to as-of):

    * days_since_last = as_of − last purchase day (days);
    * median_gap_days = median of the gaps between consecutive purchase days (days);
    * gap_ratio = days_since_last / median_gap_days;
    * overdue ⇔ purchase_days ≥ 2 and days_since_last > k × median_gap_days and
      days_since_last > floor_days (k slider, default 2; floor default 30 days).

    Customers with fewer than 2 purchase days have no rhythm yet: they are never overdue by
    this rule (status ``too_few_purchases``; the early warning and BG/NBD P(alive) still cover
    them). ``status``: ``overdue``, ``within_floor`` (beyond k × gap but not beyond the floor),
    ``on_rhythm`` or ``too_few_purchases``. Grain: customer. Units: days.
    Columns: ``customer_id``, ``customer_name``, ``purchase_days``, ``first_purchase``,
    ``last_purchase``, ``days_since_last``, ``median_gap_days``, ``gap_ratio``, ``overdue``,
    ``status``; ordered by customer_id.

    Source: SPEC §4.4 (inactivity vs the customer's own inter-purchase time), in the spirit of
    the recency/frequency rules of Hughes (1994) and the "expected next purchase" heuristics of
    CRM practice.
    """
    if k <= 0 or floor_days < 0:
        raise ValueError("k must be positive and floor_days non-negative")
    anchor = resolve_as_of(con, filters, as_of)
    if anchor is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in _INACTIVITY_COLUMNS})
    predicate, params = _history(filters).where("l")
    # lines from transactions (ledger_ctes), names joined to the customer-sized result: grouping
    # the lines by v_ledger's name too cost ~10x the whole query on 10M lines (55 s vs 3 s)
    frame = store.fetch_df(
        con,
        f"""
        with {ledger_ctes(predicate)},
        purchase_days as (
            select customer_id as customer_id, order_date as order_date
            from ledger
            where amount > 0 and order_date <= ?
            group by customer_id, order_date
        ),
        gaps as (
            select customer_id as customer_id,
                   order_date as order_date,
                   date_diff(
                       'day',
                       lag(order_date) over (partition by customer_id order by order_date, customer_id),
                       order_date
                   ) as gap
            from purchase_days
        ),
        per_customer as (
            select customer_id as customer_id,
                   count(*) as purchase_days,
                   min(order_date) as first_purchase,
                   max(order_date) as last_purchase,
                   date_diff('day', max(order_date), cast(? as date)) as days_since_last,
                   cast(median(gap) as double) as median_gap_days
            from gaps
            group by customer_id
        ),
        final as (
            select p.customer_id as customer_id,
                   vc.customer_name as customer_name,
                   p.purchase_days as purchase_days,
                   p.first_purchase as first_purchase,
                   p.last_purchase as last_purchase,
                   p.days_since_last as days_since_last,
                   p.median_gap_days as median_gap_days
            from per_customer as p
            join v_customers as vc on vc.customer_id = p.customer_id
        )
        select customer_id as customer_id, customer_name as customer_name, purchase_days as purchase_days,
               first_purchase as first_purchase, last_purchase as last_purchase,
               days_since_last as days_since_last, median_gap_days as median_gap_days
        from final
        order by customer_id
        """,
        [*params, anchor, anchor],
    )
    frame = frame.astype({"customer_id": "int64", "purchase_days": "int64", "days_since_last": "int64"})
    for column in ("first_purchase", "last_purchase"):
        frame[column] = frame[column].astype("datetime64[us]")
    days = frame["days_since_last"].to_numpy(dtype=np.float64)
    gap = frame["median_gap_days"].to_numpy(dtype=np.float64, na_value=np.nan)
    rhythm = frame["purchase_days"].to_numpy(dtype=np.int64) >= 2
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["gap_ratio"] = np.where(rhythm, days / np.where(rhythm, gap, 1.0), np.nan)
        beyond = rhythm & (days > k * np.where(rhythm, gap, np.inf))
    overdue = beyond & (days > floor_days)
    frame["overdue"] = overdue
    frame["status"] = np.select(
        [~rhythm, overdue, beyond], ["too_few_purchases", "overdue", "within_floor"], default="on_rhythm"
    ).astype(object)
    return frame[_INACTIVITY_COLUMNS]


# --------------------------------------------------------------------------------------------
# Early warning
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WarningRules:
    """Thresholds and weights of :func:`early_warning` (every value is a user setting).

    Signals (codes in :data:`SIGNALS`), with d = ``recent_days`` (default 90):

    * ``freq_falling`` — orders in (as_of − d, as_of] ≤ (1 − ``freq_drop``) × orders in the d days
      before, when the earlier window had ≥ ``min_previous_orders`` orders (default: a fall of
      50 % or more from at least 2 orders). Orders as in customer_facts.
    * ``value_falling`` — average order value (net revenue / orders) in the last d days ≤
      (1 − ``value_drop``) × the value in the d days before (default −30 %); both windows need
      orders and a positive earlier value.
    * ``overdue`` — :func:`inactivity` with ``overdue_k`` (2) and ``overdue_floor_days`` (30).
    * ``open_complaints`` — at least ``open_complaints_min`` (1) complaints open at the as-of date.
    * ``low_satisfaction`` — latest survey score on or before as-of, normalised to 0–1 on its
      scale, ≤ ``low_score_share`` (0.5: ≤ 3 on 1–5, ≤ 5 on 0–10, ≤ 4 on 1–7).
    * ``falling_satisfaction`` — latest normalised score < the previous one − ``falling_min_drop`` (0).
    * ``tier_downgrade`` — absolute tier (default scheme) of the trailing 12 months lower than that
      of the 12 months before (:func:`analytics.tiers.migration` movement ``down``).

    Weights (default sum 100): freq_falling 20, value_falling 10, overdue 25, open_complaints 15,
    low_satisfaction 10, falling_satisfaction 5, tier_downgrade 15. risk_score = 100 × Σ weights
    of the fired signals / Σ all weights, so it stays in 0–100 for any weights.
    """

    recent_days: int = 90
    freq_drop: float = 0.5
    min_previous_orders: int = 2
    value_drop: float = 0.3
    overdue_k: float = 2.0
    overdue_floor_days: int = 30
    open_complaints_min: int = 1
    low_score_share: float = 0.5
    falling_min_drop: float = 0.0
    weight_freq_falling: float = 20.0
    weight_value_falling: float = 10.0
    weight_overdue: float = 25.0
    weight_open_complaints: float = 15.0
    weight_low_satisfaction: float = 10.0
    weight_falling_satisfaction: float = 5.0
    weight_tier_downgrade: float = 15.0

    def __post_init__(self) -> None:
        if self.recent_days < 1:
            raise ValueError("recent_days must be at least 1")
        if not 0.0 < self.freq_drop <= 1.0 or not 0.0 < self.value_drop <= 1.0:
            raise ValueError("freq_drop and value_drop must be in (0, 1]")
        weights = [getattr(self, f.name) for f in fields(self) if f.name.startswith("weight_")]
        if any(w < 0 for w in weights) or sum(weights) <= 0:
            raise ValueError("weights must be non-negative with a positive sum")

    @property
    def weights(self) -> dict[str, float]:
        """Return the weight of every signal code, in :data:`SIGNALS` order."""
        return {code: float(getattr(self, f"weight_{code}")) for code in SIGNALS}


_WARNING_COLUMNS = [
    "customer_id",
    "customer_name",
    "region",
    "sales_rep",
    "revenue_12m",
    "previous_revenue_12m",
    "tier",
    "previous_tier",
    "orders_recent",
    "orders_before",
    "freq_change",
    "aov_recent",
    "aov_before",
    "value_change",
    "last_purchase",
    "days_since_last",
    "median_gap_days",
    "overdue",
    "open_complaints",
    "latest_score",
    "previous_score",
    "scale_min",
    "scale_max",
    "latest_norm",
    "previous_norm",
    "risk_score",
    "risk_signals",
    "risk_text",
]


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"


def _signal_texts(code: str, people: pd.DataFrame, rows: npt.NDArray[np.int64], rules: WarningRules) -> list[str]:
    """Readable English explanation of a fired signal for the given rows (the UI translates from codes and columns)."""

    def column(name: str) -> list[Any]:
        return people[name].to_numpy(dtype=object)[rows].tolist()

    if code == "freq_falling":
        return [
            f"freq_falling: orders {int(b)} → {int(r)} ({c:+.0%})"
            for b, r, c in zip(column("orders_before"), column("orders_recent"), column("freq_change"), strict=True)
        ]
    if code == "value_falling":
        return [
            f"value_falling: avg order {_fmt(b)} → {_fmt(r)} ({c:+.0%})"
            for b, r, c in zip(column("aov_before"), column("aov_recent"), column("value_change"), strict=True)
        ]
    if code == "overdue":
        return [
            f"overdue: {int(days)} days since last purchase > {rules.overdue_k:g} × median gap {gap:g} days"
            for days, gap in zip(column("days_since_last"), column("median_gap_days"), strict=True)
        ]
    if code == "open_complaints":
        return [f"open_complaints: {int(n)} open" for n in column("open_complaints")]
    if code == "low_satisfaction":
        return [
            f"low_satisfaction: latest score {score:g} on {lo:g}–{hi:g}"
            for score, lo, hi in zip(column("latest_score"), column("scale_min"), column("scale_max"), strict=True)
        ]
    if code == "falling_satisfaction":
        return [
            f"falling_satisfaction: score {before:g} → {after:g}"
            for before, after in zip(column("previous_score"), column("latest_score"), strict=True)
        ]
    return [
        f"tier_downgrade: {before} → {after}"
        for before, after in zip(column("previous_tier"), column("tier"), strict=True)
    ]


def _open_complaints(con: duckdb.DuckDBPyConnection, filters: Filters, as_of: dt.date) -> pd.DataFrame:
    """Per customer the number of complaints open at ``as_of``."""
    ctes, params = complaint_ctes(_history(filters), as_of=as_of)
    frame = store.fetch_df(
        con,
        f"""
        with {ctes},
        final as (
            select customer_id as customer_id, cast(sum(is_open) as bigint) as open_complaints
            from complaint_rows
            group by customer_id
        )
        select customer_id as customer_id, open_complaints as open_complaints
        from final
        order by customer_id
        """,
        params,
    )
    return frame.astype({"customer_id": "int64", "open_complaints": "int64"})


def early_warning(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    as_of: dt.date | None = None,
    rules: WarningRules | None = None,
    scheme: TierScheme | None = None,
) -> pd.DataFrame:
    """Churn early warning (流失预警): a 0–100 risk score per customer and the signals behind it.

    Population: customers with a purchase in the 24 months up to the as-of date (the two tier
    periods). Signals, thresholds and weights: :class:`WarningRules` (defaults documented
    there); risk_score = 100 × Σ weights of fired signals / Σ all weights.

    Columns: ``customer_id``, ``customer_name``, ``region``, ``sales_rep``, ``revenue_12m`` /
    ``previous_revenue_12m`` and ``tier`` / ``previous_tier`` (trailing 12 months and the 12
    before), ``orders_recent`` / ``orders_before`` (last d days / the d before),
    ``freq_change`` = orders_recent / orders_before − 1, ``aov_recent`` / ``aov_before``,
    ``value_change`` = aov_recent / aov_before − 1, ``last_purchase``, ``days_since_last``,
    ``median_gap_days``, ``overdue``, ``open_complaints``, ``latest_score``,
    ``previous_score``, ``scale_min``, ``scale_max``, ``latest_norm``, ``previous_norm``,
    ``risk_score``, ``risk_signals`` (list of codes from :data:`SIGNALS`, in that order) and
    ``risk_text`` (readable English, "; "-separated, empty when nothing fired). Sorted by
    risk_score descending, then revenue_12m descending, then customer_id. Grain: customer.

    Source: SPEC §4.4; additive scorecard of documented behavioural signals (cf. Neslin et al.
    2006, "Defection Detection", J. Marketing Research 43(2), on churn-prediction inputs).
    """
    rules = rules or WarningRules()
    scheme = scheme or TierScheme()
    anchor = resolve_as_of(con, filters, as_of)
    if anchor is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in _WARNING_COLUMNS})
    years = churn_windows(anchor, 12)
    current12 = _facts(con, filters, years.current)
    previous12 = _facts(con, filters, years.previous)
    moved = migration(current12, previous12, scheme).customers
    people = moved[["customer_id", "customer_name", "revenue", "previous_revenue", "tier", "previous_tier"]].rename(
        columns={"revenue": "revenue_12m", "previous_revenue": "previous_revenue_12m"}
    )
    people = people.assign(customer_id=people["customer_id"].astype("int64"))
    downgraded = (moved["movement"].astype("object") == "down").to_numpy()
    people["tier"] = people["tier"].astype("object")
    people["previous_tier"] = people["previous_tier"].astype("object")
    where = pd.concat([current12, previous12], ignore_index=True).drop_duplicates("customer_id", keep="first")
    people = people.merge(where[["customer_id", "region", "sales_rep"]], on="customer_id", how="left")

    day = dt.timedelta(days=1)
    recent = Period(anchor - (rules.recent_days - 1) * day, anchor)
    before = Period(recent.start - rules.recent_days * day, recent.start - day)
    for label, period in (("recent", recent), ("before", before)):
        facts = _facts(con, filters, period)[["customer_id", "orders", "revenue"]]
        facts = facts.rename(columns={"orders": f"orders_{label}", "revenue": f"revenue_{label}"})
        people = people.merge(facts, on="customer_id", how="left")
        people[f"orders_{label}"] = people[f"orders_{label}"].fillna(0).astype("int64")
        people[f"revenue_{label}"] = people[f"revenue_{label}"].fillna(0.0).astype("float64")
    o_now = people["orders_recent"].to_numpy(dtype=np.float64)
    o_before = people["orders_before"].to_numpy(dtype=np.float64)
    r_now = people["revenue_recent"].to_numpy(dtype=np.float64)
    r_before = people["revenue_before"].to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        people["freq_change"] = np.where(o_before > 0, o_now / np.where(o_before > 0, o_before, 1.0) - 1.0, np.nan)
        aov_now = np.where(o_now > 0, r_now / np.where(o_now > 0, o_now, 1.0), np.nan)
        aov_before = np.where(o_before > 0, r_before / np.where(o_before > 0, o_before, 1.0), np.nan)
        value_ok = (o_now > 0) & (o_before > 0) & (aov_before > 0)
        people["value_change"] = np.where(value_ok, aov_now / np.where(value_ok, aov_before, 1.0) - 1.0, np.nan)
    people["aov_recent"] = aov_now
    people["aov_before"] = aov_before

    rhythm = inactivity(con, filters, anchor, k=rules.overdue_k, floor_days=rules.overdue_floor_days)
    people = people.merge(
        rhythm[["customer_id", "last_purchase", "days_since_last", "median_gap_days", "overdue"]],
        on="customer_id",
        how="left",
    )
    people["overdue"] = people["overdue"].fillna(False).astype(bool)
    people = people.merge(_open_complaints(con, filters, anchor), on="customer_id", how="left")
    people["open_complaints"] = people["open_complaints"].fillna(0).astype("int64")
    scores = latest_scores(con, _history(filters), anchor)[
        ["customer_id", "latest_score", "previous_score", "scale_min", "scale_max", "latest_norm", "previous_norm"]
    ]
    people = people.merge(scores, on="customer_id", how="left")

    latest_norm = people["latest_norm"].to_numpy(dtype=np.float64, na_value=np.nan)
    previous_norm = people["previous_norm"].to_numpy(dtype=np.float64, na_value=np.nan)
    fired = {
        "freq_falling": (o_before >= rules.min_previous_orders)
        & (o_before > 0)
        & (o_now <= (1.0 - rules.freq_drop) * o_before + _EPS),
        "value_falling": value_ok & (aov_now <= (1.0 - rules.value_drop) * aov_before + _EPS),
        "overdue": people["overdue"].to_numpy(dtype=bool),
        "open_complaints": people["open_complaints"].to_numpy(dtype=np.int64) >= max(rules.open_complaints_min, 1),
        "low_satisfaction": ~np.isnan(latest_norm) & (latest_norm <= rules.low_score_share + _EPS),
        "falling_satisfaction": ~np.isnan(latest_norm)
        & ~np.isnan(previous_norm)
        & (latest_norm < previous_norm - rules.falling_min_drop - _EPS),
        "tier_downgrade": people["customer_id"].isin(moved.loc[downgraded, "customer_id"]).to_numpy(),
    }
    weights = rules.weights
    total_weight = sum(weights.values())
    score = np.zeros(len(people), dtype=np.float64)
    for code in SIGNALS:
        score += np.where(fired[code], weights[code], 0.0)
    people["risk_score"] = 100.0 * score / total_weight
    # signal lists via a bit mask (2^7 combinations), texts built per signal for the rows where it fired
    mask = np.zeros(len(people), dtype=np.int64)
    for bit, code in enumerate(SIGNALS):
        mask |= fired[code].astype(np.int64) << bit
    combos = [[code for bit, code in enumerate(SIGNALS) if m >> bit & 1] for m in range(1 << len(SIGNALS))]
    people["risk_signals"] = pd.Series([list(combos[m]) for m in mask.tolist()], index=people.index, dtype=object)
    text = np.full(len(people), "", dtype=object)
    for code in SIGNALS:
        rows = np.flatnonzero(fired[code])
        if rows.size:
            pieces = np.asarray(_signal_texts(code, people, rows, rules), dtype=object)
            text[rows] = np.where(text[rows] == "", pieces, text[rows] + "; " + pieces)
    people["risk_text"] = pd.Series(text, index=people.index, dtype=object)
    people["last_purchase"] = people["last_purchase"].astype("datetime64[us]")
    people["days_since_last"] = people["days_since_last"].astype("Int64")
    people = people.sort_values(
        ["risk_score", "revenue_12m", "customer_id"], ascending=[False, False, True], kind="mergesort"
    )
    return people[_WARNING_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Cohorts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class CohortRetention:
    """Monthly acquisition-cohort retention (:func:`cohort_retention`).

    ``matrix``: rows = cohorts (index ``cohort``, the first day of the acquisition month),
    columns = months since acquisition 0 … max_months, values = share of the cohort with a
    purchase in that month (month 0 = 1.0 by construction; NaN where the month lies after the
    last observed month). ``sizes``: customers per cohort (same index). ``table``: the long
    form — ``cohort``, ``cohort_index`` (year × 12 + month), ``months_since``, ``customers``,
    ``cohort_size``, ``share`` — for every observed cell. ``last_month_index``: the last
    observed month.
    """

    matrix: pd.DataFrame
    sizes: pd.Series
    table: pd.DataFrame
    last_month_index: int | None


def cohort_retention(
    con: duckdb.DuckDBPyConnection, filters: Filters, max_months: int = 24, as_of: dt.date | None = None
) -> CohortRetention:
    """Monthly acquisition cohorts and the share of each cohort buying k months later.

    Cohort of a customer = month of its first purchase (whole history, amount > 0 lines under the
    non-date filters). Cell (c, k) = customers of cohort c with a purchase in month c + k /
    customers of cohort c, for k = 0 … ``max_months`` (month index year × 12 + month). Purchases
    after the as-of date (``as_of``, else ``filters.date_to``, else the latest transaction) are
    ignored and later months are unobserved (NaN). ``filters.date_from`` drops cohorts acquired
    before its month. Grain: cohort × months since acquisition. Units: shares 0–1, customers.

    Source: cohort analysis of customer retention (e.g. Fader & Hardie 2007, "How to Project
    Customer Retention", J. Interactive Marketing 21(1)); SPEC §4.4.
    """
    if max_months < 0:
        raise ValueError("max_months must be non-negative")
    anchor = resolve_as_of(con, filters, as_of)
    if anchor is None:
        return _cohorts(None, max_months, None)
    last_index = anchor.year * 12 + anchor.month
    first_cohort = _first_cohort(filters.date_from)
    predicate, params = _history(filters).where("l")
    table = store.fetch_df(
        con,
        f"""
        with ledger as (
            select l.customer_id as customer_id, l.order_date as order_date
            from v_ledger as l
            where {predicate} and l.amount > 0 and l.order_date <= ?
        ),
        months as (
            select customer_id as customer_id,
                   year(order_date) * 12 + month(order_date) as month_index
            from ledger
            group by customer_id, year(order_date) * 12 + month(order_date)
        ),
        firsts as (
            select customer_id as customer_id, min(month_index) as cohort_index
            from months
            group by customer_id
        ),
        sizes as (
            select cohort_index as cohort_index, count(*) as cohort_size
            from firsts
            group by cohort_index
        ),
        cells as (
            select f.cohort_index as cohort_index,
                   m.month_index - f.cohort_index as months_since,
                   count(*) as customers
            from months as m
            join firsts as f on f.customer_id = m.customer_id
            where m.month_index - f.cohort_index <= ? and f.cohort_index >= ?
            group by f.cohort_index, m.month_index - f.cohort_index
        ),
        final as (
            select c.cohort_index as cohort_index,
                   c.months_since as months_since,
                   c.customers as customers,
                   s.cohort_size as cohort_size,
                   cast(c.customers as double) / cast(s.cohort_size as double) as share
            from cells as c
            join sizes as s on s.cohort_index = c.cohort_index
        )
        select cohort_index as cohort_index, months_since as months_since, customers as customers,
               cohort_size as cohort_size, share as share
        from final
        order by cohort_index, months_since
        """,
        [*params, anchor, max_months, first_cohort],
    )
    return _cohorts(table, max_months, last_index)


def _first_cohort(date_from: dt.date | None) -> int:
    """Month index of the first cohort :func:`cohort_retention` keeps (0: every cohort)."""
    return date_from.year * 12 + date_from.month if date_from else 0


def _cohorts(table: pd.DataFrame | None, max_months: int, last_index: int | None) -> CohortRetention:
    """:class:`CohortRetention` from its long table (None or empty: no cohort).

    ``table``: ``cohort_index``, ``months_since``, ``customers``, ``cohort_size``, ``share``,
    ordered by cohort and month.
    """
    if table is None or table.empty:
        return CohortRetention(
            matrix=pd.DataFrame(columns=pd.Index(range(max_months + 1), name="months_since")),
            sizes=pd.Series(dtype="int64", name="cohort_size"),
            table=pd.DataFrame(
                {
                    "cohort": pd.Series(dtype="datetime64[us]"),
                    "cohort_index": pd.Series(dtype="int64"),
                    "months_since": pd.Series(dtype="int64"),
                    "customers": pd.Series(dtype="int64"),
                    "cohort_size": pd.Series(dtype="int64"),
                    "share": pd.Series(dtype="float64"),
                }
            ),
            last_month_index=last_index,
        )
    assert last_index is not None
    table = table.astype(
        {"cohort_index": "int64", "months_since": "int64", "customers": "int64", "cohort_size": "int64"}
    )
    cohorts = np.unique(table["cohort_index"].to_numpy())
    dates = pd.to_datetime([month_start(int(c)) for c in cohorts]).astype("datetime64[us]")
    index = pd.Index(dates, name="cohort")
    columns = pd.Index(range(max_months + 1), name="months_since")
    shares = np.zeros((len(cohorts), max_months + 1), dtype=np.float64)
    rows = np.searchsorted(cohorts, table["cohort_index"].to_numpy())
    shares[rows, table["months_since"].to_numpy()] = table["share"].to_numpy(dtype=np.float64)
    observed = (cohorts[:, None] + np.arange(max_months + 1)[None, :]) <= last_index
    shares[~observed] = np.nan
    matrix = pd.DataFrame(shares, index=index, columns=columns)
    sizes = table.drop_duplicates("cohort_index").set_index("cohort_index")["cohort_size"]
    size_series = pd.Series(sizes.reindex(cohorts).to_numpy(dtype=np.int64), index=index, name="cohort_size")
    table.insert(
        0, "cohort", pd.to_datetime([month_start(int(c)) for c in table["cohort_index"]]).astype("datetime64[us]")
    )
    return CohortRetention(matrix=matrix, sizes=size_series, table=table, last_month_index=last_index)


# --------------------------------------------------------------------------------------------
# Retention what-if
# --------------------------------------------------------------------------------------------

#: Codes of the assumptions printed with :class:`RetentionWhatIf`.
WHAT_IF_ASSUMPTIONS: tuple[str, ...] = (
    "saved_customers_like_retained",
    "one_window_only",
    "no_retention_cost",
    "churn_cannot_go_below_zero",
)
REICHHELD_SASSER = (
    "Reichheld, F. F. & Sasser, W. E. (1990), 'Zero Defections: Quality Comes to Services', "
    "Harvard Business Review 68(5) 105-111: cutting defections by 5 points raised profits by 25-85 % "
    "in the industries studied."
)


@dataclass(frozen=True)
class RetentionWhatIf:
    """The user's own retention what-if (:func:`retention_what_if`); money in the data's currency.

    ``value_basis`` is ``"profit"`` or ``"revenue"`` (when no retained customer has profit data).
    ``assumptions``: codes from :data:`WHAT_IF_ASSUMPTIONS`; ``parameters``: the numbers used,
    as (name, value) pairs; ``source``: the literature claim being compared with.
    """

    as_of: dt.date | None
    window_months: int
    churn_reduction_points: float
    active_customers: int
    lost_customers: int
    current_churn_rate: float | None
    target_churn_rate: float | None
    customers_retained: float
    value_basis: str
    average_value_per_customer: float | None
    value_kept: float | None
    baseline_value: float | None
    value_kept_share: float | None
    assumptions: tuple[str, ...]
    parameters: tuple[tuple[str, float | int | str | None], ...]
    source: str


def retention_what_if(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    as_of: dt.date | None = None,
    window_months: int = DEFAULT_WINDOW_MONTHS,
    churn_reduction_points: float = 5.0,
) -> RetentionWhatIf:
    """Profit kept if the churn rate had been ``churn_reduction_points`` percentage points lower.

    From :func:`churn_summary` for the window: n = active_at_start, c = churn_rate,
    c' = max(0, c − points / 100). customers_retained = n × (c − c'). Their value per window is
    assumed to be the average current-window profit of the customers actually retained
    (Σ current profit of retained / retained with a profit value; revenue when no retained
    customer has profit data): value_kept = customers_retained × that average.
    baseline_value = Σ current-window profit (revenue) of the retained customers, and
    value_kept_share = value_kept / baseline_value — the figure to hold against the
    25–85 % of Reichheld & Sasser. Assumptions (printed): saved customers behave like the
    retained ones, one window only (no lifetime, no discounting), retention effort costs nothing,
    churn cannot fall below 0. Grain: window. Units: customers, currency, ratios.

    Source: F. F. Reichheld & W. E. Sasser (1990), "Zero Defections: Quality Comes to
    Services", Harvard Business Review 68(5) 105–111.
    """
    if churn_reduction_points < 0:
        raise ValueError("churn_reduction_points must be non-negative")
    _check_window(window_months)
    anchor = resolve_as_of(con, filters, as_of)
    if anchor is None:
        return _what_if(churn_summary(con, filters, anchor, window_months), {}, churn_reduction_points)
    windows = churn_windows(anchor, window_months)
    totals = _window_totals(con, filters, windows)
    return _what_if(_summary(windows, totals), totals, churn_reduction_points)


def _what_if(summary: ChurnSummary, totals: dict[str, float], churn_reduction_points: float) -> RetentionWhatIf:
    """:class:`RetentionWhatIf` from a window's summary and the aggregates of :func:`_window_totals`."""
    window_months = summary.window_months
    rate = summary.churn_rate
    target = max(0.0, rate - churn_reduction_points / 100.0) if rate is not None else None
    saved = summary.active_at_start * (rate - target) if rate is not None and target is not None else 0.0
    basis = "revenue"
    average = kept = baseline = share = None
    if summary.retained > 0:
        if totals["has_profit"]:
            basis = "profit"
            baseline, count = totals["retained_profit"], totals["retained_with_profit"]
        else:
            baseline, count = totals["retained_revenue"], float(summary.retained)
        average = baseline / count
        kept = saved * average
        share = kept / baseline if baseline > 0 else None
    parameters: tuple[tuple[str, float | int | str | None], ...] = (
        ("as_of", summary.as_of.isoformat() if summary.as_of else None),
        ("window_months", window_months),
        ("churn_reduction_points", churn_reduction_points),
        ("active_customers", summary.active_at_start),
        ("current_churn_rate", rate),
        ("target_churn_rate", target),
        ("value_basis", basis),
    )
    return RetentionWhatIf(
        as_of=summary.as_of,
        window_months=window_months,
        churn_reduction_points=churn_reduction_points,
        active_customers=summary.active_at_start,
        lost_customers=summary.lost,
        current_churn_rate=rate,
        target_churn_rate=target,
        customers_retained=float(saved),
        value_basis=basis,
        average_value_per_customer=average,
        value_kept=kept,
        baseline_value=baseline,
        value_kept_share=share,
        assumptions=WHAT_IF_ASSUMPTIONS,
        parameters=parameters,
        source=REICHHELD_SASSER,
    )


# --------------------------------------------------------------------------------------------
# BG/NBD
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class BgNbdSummary:
    """BG/NBD fit and per-customer predictions (:func:`bgnbd_summary`).

    ``fit`` is None when the data cannot support a fit; then ``reason_code`` (one of
    :data:`analytics.bgnbd.REASON_CODES`) and ``reason`` (plain English) say why, and the
    prediction columns are NaN. ``customers``: ``customer_id``, ``x`` (repeat purchase days),
    ``t_x``, ``T`` (weeks), ``p_alive``, ``expected_purchases`` (in the next ``horizon_weeks``).
    """

    calibration_end: dt.date | None
    horizon_weeks: float
    fit: bgnbd.BgNbdFit | None
    reason_code: str | None
    reason: str | None
    customers: pd.DataFrame


def bgnbd_summary(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    calibration_end: dt.date | None = None,
    horizon_weeks: float = 26.0,
) -> BgNbdSummary:
    """BG/NBD model: fit at ``calibration_end``, then P(alive) and expected purchases per customer.

    Data: :func:`analytics.bgnbd.rfm_triplets` at ``calibration_end`` (default: the as-of date,
    :func:`resolve_as_of`); fit: :func:`analytics.bgnbd.fit` (maximum likelihood, identical
    triplets aggregated, so 500,000 customers cost about as much as their distinct triplets);
    P(alive | x, t_x, T) (FHL 2008) and E[Y(t) | x, t_x, T] for t = ``horizon_weeks``
    (FHL 2005 eq. 10), vectorised over customers (≈ 0.4 s for 500,000). Grain: customer. Units: weeks,
    purchases (repeat purchase days), probabilities.

    Source: P. S. Fader, B. G. S. Hardie & K. L. Lee (2005), "'Counting Your Customers' the
    Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2) 275–284.
    """
    if horizon_weeks < 0:
        raise ValueError("horizon_weeks must be non-negative")
    end = resolve_as_of(con, filters, calibration_end)
    columns = {
        "customer_id": pd.Series(dtype="int64"),
        "x": pd.Series(dtype="int64"),
        "t_x": pd.Series(dtype="float64"),
        "T": pd.Series(dtype="float64"),
        "p_alive": pd.Series(dtype="float64"),
        "expected_purchases": pd.Series(dtype="float64"),
    }
    if end is None:
        return BgNbdSummary(
            None, horizon_weeks, None, "too_few_customers", "No transactions match the filters.", pd.DataFrame(columns)
        )
    triplets = bgnbd.rfm_triplets(con, filters, end)
    x = triplets["x"].to_numpy(dtype=np.float64)
    t_x = triplets["t_x"].to_numpy(dtype=np.float64)
    T = triplets["T"].to_numpy(dtype=np.float64)
    fitted: bgnbd.BgNbdFit | None = None
    code = reason = None
    try:
        fitted = bgnbd.fit(x, t_x, T)
    except bgnbd.BgNbdFitError as error:
        code, reason = error.reason_code, error.message
    frame = triplets.copy()
    if fitted is None or len(frame) == 0:
        frame["p_alive"] = np.nan
        frame["expected_purchases"] = np.nan
    else:
        frame["p_alive"] = bgnbd.p_alive(fitted, x, t_x, T)
        frame["expected_purchases"] = bgnbd.conditional_expected_purchases(fitted, horizon_weeks, x, t_x, T)
    return BgNbdSummary(
        calibration_end=end,
        horizon_weeks=horizon_weeks,
        fit=fitted,
        reason_code=code,
        reason=reason,
        customers=frame.reset_index(drop=True),
    )


# --------------------------------------------------------------------------------------------
# Purchase activity: one scan behind the Churn page's window slider
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PurchaseActivity:
    """Every customer's net revenue, profit and purchases per *shifted month* up to the as-of date.

    Shifted month (bucket) k ≥ 0 = (months_back(as_of, k + 1), months_back(as_of, k)]: calendar
    months when the as-of date is a month end, else months ending on its day number d (bucket
    k holds days > d of calendar month M − k − 1 and days ≤ d of month M − k, M = as-of's
    month). Both churn windows are unions of buckets — current = buckets 0 … w − 1, previous =
    w … 2w − 1, with the boundaries of :func:`churn_windows` — so this one ledger scan answers
    :func:`churn_summary` and :func:`retention_what_if` for every window w, and (through the
    calendar purchase months) :func:`churn_over_time` and :func:`cohort_retention`.

    Arrays, one entry per customer × bucket with a line, ordered by bucket: ``customer`` (dense
    code 0 … ``customers`` − 1), ``revenue`` (net Σ amount), ``profit`` (Σ profit, 0 without
    one), ``profited`` / ``purchase`` (1.0 when a line has a profit value / an amount > 0, else
    0.0); ``bucket_ends[k]`` = entries with bucket < k (one past the last bucket: all).
    ``purchase_customer`` / ``purchase_month`` list the calendar months with a purchase
    (customer code, year × 12 + month; by customer, then month); ``spans`` is the frame of
    purchase-month pairs :func:`churn_over_time` reads (``month_index``, ``next_index``,
    ``customers``) up to the last month end on or before as-of. ``as_of`` is None when no
    transaction matches the filters; ``date_from`` is the filters' start date.
    """

    as_of: dt.date | None
    date_from: dt.date | None
    customers: int
    customer: npt.NDArray[np.int64]
    revenue: npt.NDArray[np.float64]
    profit: npt.NDArray[np.float64]
    profited: npt.NDArray[np.float64]
    purchase: npt.NDArray[np.float64]
    bucket_ends: npt.NDArray[np.int64]
    purchase_customer: npt.NDArray[np.int64]
    purchase_month: npt.NDArray[np.int64]
    spans: pd.DataFrame


def _month_spans(codes: npt.NDArray[np.int64], months: npt.NDArray[np.int64]) -> pd.DataFrame:
    """Customers per (purchase month, the same customer's next purchase month or null); input sorted."""
    same = np.zeros(len(codes), dtype=bool)
    same[:-1] = codes[1:] == codes[:-1]
    following = np.empty(len(months), dtype=np.float64)
    following[:-1] = months[1:]
    following[~same] = np.nan
    if len(months) == 0:
        return pd.DataFrame(
            {
                "month_index": np.empty(0, dtype=np.int64),
                "next_index": np.empty(0, dtype=np.float64),
                "customers": np.empty(0, dtype=np.int64),
            }
        )
    # count (month, next month) pairs on one integer key: months span a few hundred values, so
    # a bincount replaces a two-column groupby; the slot after the last month stands for "none"
    low, width = int(months.min()), int(months.max() - months.min()) + 2
    next_slot = np.where(same, np.nan_to_num(following, nan=0.0) - low, width - 1).astype(np.int64)
    counts = np.bincount((months - low) * width + next_slot, minlength=width * width)
    keys = np.flatnonzero(counts)
    month_of, slot_of = np.divmod(keys, width)
    return pd.DataFrame(
        {
            "month_index": month_of + low,
            "next_index": np.where(slot_of == width - 1, np.nan, slot_of + low).astype(np.float64),
            "customers": counts[keys].astype(np.int64),
        }
    )


def purchase_activity(
    con: duckdb.DuckDBPyConnection, filters: Filters, as_of: dt.date | None = None
) -> PurchaseActivity:
    """One scan of the ledger up to the as-of date into :class:`PurchaseActivity` (cache it per filters).

    Lines: the non-date filters apply, the date range only through the as-of date (``as_of``,
    else ``filters.date_to``, else the latest transaction; module docstring). Per customer ×
    calendar month × (day ≤ d or > d): Σ amount, Σ profit, lines with profit, any amount > 0.
    Grain: customer × shifted month. Units: the data's currency. With 10M lines and 500,000
    customers: ~3M entries, ~0.1 GB.
    """
    anchor = resolve_as_of(con, filters, as_of)
    predicate, params = _history(filters).where("l")
    split_day = 31 if anchor is None or _is_month_end(anchor) else anchor.day
    sql = f"""
        with {ledger_ctes(predicate)},
        dated as (
            select customer_id as customer_id,
                   year(order_date) * 12 + month(order_date) as month_index,
                   case when day(order_date) > ? then 1 else 0 end as late,
                   amount as amount,
                   profit as profit
            from ledger
            where order_date <= ?
        ),
        months as (
            select customer_id as customer_id,
                   month_index as month_index,
                   late as late,
                   cast(sum(amount) as double) as revenue,
                   cast(sum(profit) as double) as profit,
                   count(profit) as profit_lines,
                   max(case when amount > 0 then 1 else 0 end) as purchase
            from dated
            group by customer_id, month_index, late
        ),
        final as (
            select m.customer_id as customer_id, m.month_index as month_index, m.late as late,
                   m.revenue as revenue, m.profit as profit, m.profit_lines as profit_lines, m.purchase as purchase
            from months as m
            join customers as c on c.customer_id = m.customer_id
        )
        select customer_id as customer_id, month_index as month_index, late as late, revenue as revenue,
               profit as profit, profit_lines as profit_lines, purchase as purchase
        from final
        order by customer_id, month_index, late
        """
    table = store.fetch_arrow(con, sql, [*params, split_day, anchor or dt.date.min])  # ~3M rows at 10M lines

    def column(name: str, dtype: type) -> npt.NDArray[Any]:
        return np.asarray(pc.fill_null(table[name], 0).to_numpy(), dtype=dtype)

    ids = column("customer_id", np.int64)
    month = column("month_index", np.int64)
    starts = np.ones(len(ids), dtype=bool)
    starts[1:] = ids[1:] != ids[:-1]
    code = np.cumsum(starts) - 1
    as_of_month = anchor.year * 12 + anchor.month if anchor else 0
    bucket = (as_of_month - month) - column("late", np.int64)
    # buckets are a few hundred months at most: as int16 the stable sort is a radix sort (~10× faster)
    order = np.argsort(bucket.astype(np.int16) if len(bucket) and bucket.max() < 2**15 else bucket, kind="stable")
    purchased = column("purchase", np.int64) > 0
    # calendar purchase months: a month's two halves are adjacent rows, keep the first
    p_code, p_month = code[purchased], month[purchased]
    first = np.ones(len(p_code), dtype=bool)
    first[1:] = (p_code[1:] != p_code[:-1]) | (p_month[1:] != p_month[:-1])
    p_code, p_month = p_code[first], p_month[first]
    full = p_month <= (_last_full_month(anchor) if anchor else 0)
    return PurchaseActivity(
        as_of=anchor,
        date_from=filters.date_from,
        customers=int(code[-1]) + 1 if len(code) else 0,
        customer=code[order],
        revenue=column("revenue", np.float64)[order],
        profit=column("profit", np.float64)[order],
        profited=(column("profit_lines", np.int64)[order] > 0).astype(np.float64),
        purchase=purchased[order].astype(np.float64),
        bucket_ends=np.searchsorted(bucket[order], np.arange(int(bucket.max(initial=0)) + 2), side="left"),
        purchase_customer=p_code,
        purchase_month=p_month,
        spans=_month_spans(p_code[full], p_month[full]),
    )


def _activity_totals(activity: PurchaseActivity, window_months: int) -> dict[str, float]:
    """The aggregates of :func:`_window_totals` for window w, from the activity's buckets."""
    ends = activity.bucket_ends
    middle, start = ends[min(window_months, len(ends) - 1)], ends[min(2 * window_months, len(ends) - 1)]
    now, before = slice(0, middle), slice(middle, start)
    n = activity.customers

    def per_customer(rows: slice, values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.bincount(activity.customer[rows], weights=values[rows], minlength=n).astype(np.float64)

    prior_active = per_customer(before, activity.purchase) > 0
    current_active = per_customer(now, activity.purchase) > 0
    prior_revenue = per_customer(before, activity.revenue)
    current_revenue = per_customer(now, activity.revenue)
    lost = prior_active & ~current_active
    retained = prior_active & current_active
    with_profit = retained & (per_customer(now, activity.profited) > 0)
    return {
        "active_at_start": float(prior_active.sum()),
        "lost": float(lost.sum()),
        "new_customers": float((current_active & ~prior_active).sum()),
        "prior_revenue": float(prior_revenue[prior_active].sum()),
        "lost_prior_revenue": float(prior_revenue[lost].sum()),
        "cohort_current_revenue": float(current_revenue[prior_active].sum()),
        "retained_revenue": float(current_revenue[retained].sum()),
        "retained_profit": float(per_customer(now, activity.profit)[with_profit].sum()),
        "retained_with_profit": float(with_profit.sum()),
        "has_profit": float(with_profit.any()),
    }


def activity_summary(activity: PurchaseActivity, window_months: int = DEFAULT_WINDOW_MONTHS) -> ChurnSummary:
    """:func:`churn_summary` for window w from the cached activity (same formulas, no SQL; milliseconds).

    Equal to ``churn_summary(con, filters, as_of, w)`` for the filters and as-of date the activity
    was built with (floats to rounding: per-bucket sums are added up in double precision).
    """
    _check_window(window_months)
    if activity.as_of is None:
        return ChurnSummary(None, window_months, 0, 0, 0, 0, None, 0.0, 0.0, 0.0, None, None)
    return _summary(churn_windows(activity.as_of, window_months), _activity_totals(activity, window_months))


def activity_what_if(
    activity: PurchaseActivity, window_months: int = DEFAULT_WINDOW_MONTHS, churn_reduction_points: float = 5.0
) -> RetentionWhatIf:
    """:func:`retention_what_if` from the cached activity (same formulas and assumptions, no SQL)."""
    if churn_reduction_points < 0:
        raise ValueError("churn_reduction_points must be non-negative")
    summary = activity_summary(activity, window_months)
    totals = _activity_totals(activity, window_months) if activity.as_of is not None else {}
    return _what_if(summary, totals, churn_reduction_points)


def activity_over_time(
    activity: PurchaseActivity, window_months: int = DEFAULT_WINDOW_MONTHS, points: int = 24
) -> pd.DataFrame:
    """:func:`churn_over_time` from the cached activity's purchase months (same frame, no SQL)."""
    _check_window(window_months)
    if points < 1:
        raise ValueError("points must be at least 1")
    if activity.as_of is None:
        return _over_time(None, 0, 0, window_months)
    first_index, last_index = _over_time_range(activity.as_of, activity.date_from, points)
    return _over_time(activity.spans, first_index, last_index, window_months)


def activity_cohorts(activity: PurchaseActivity, max_months: int = 24) -> CohortRetention:
    """:func:`cohort_retention` from the cached activity's purchase months (same result, no SQL)."""
    if max_months < 0:
        raise ValueError("max_months must be non-negative")
    if activity.as_of is None:
        return _cohorts(None, max_months, None)
    codes, months = activity.purchase_customer, activity.purchase_month
    starts = np.ones(len(codes), dtype=bool)
    starts[1:] = codes[1:] != codes[:-1]
    firsts = months[starts]  # each customer's first purchase month (rows are by customer, then month)
    cohort = firsts[np.cumsum(starts) - 1]
    since = months - cohort
    keep = (since <= max_months) & (cohort >= _first_cohort(activity.date_from))
    base = int(firsts.min(initial=0))
    width = max_months + 1
    cells = np.bincount((cohort[keep] - base) * width + since[keep])
    sizes = np.bincount(firsts - base)
    where = np.flatnonzero(cells)
    cohort_index = where // width + base
    size = sizes[cohort_index - base]
    customers = cells[where]
    table = pd.DataFrame(
        {
            "cohort_index": cohort_index.astype(np.int64),
            "months_since": (where % width).astype(np.int64),
            "customers": customers.astype(np.int64),
            "cohort_size": size.astype(np.int64),
            "share": customers.astype(np.float64) / size.astype(np.float64),
        }
    )
    return _cohorts(table, max_months, activity.as_of.year * 12 + activity.as_of.month)
