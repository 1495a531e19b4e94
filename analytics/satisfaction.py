"""Satisfaction and complaints (满意度, 抱怨管理; SPEC §4.5).

UI-free: every function takes a DuckDB connection and a :class:`~analytics.filters.Filters` and
returns plain values, small frozen dataclasses and DataFrames. Formulas, grain, units and
sources are in each docstring.

Survey scales
    Every survey upload has a scale (``survey_scales``: detected by ingest and confirmed by the
    user, e.g. 1–5, 1–7, 1–10, 0–10). An upload stored without one (a hand-built frame) gets the
    smallest standard scale of :data:`analytics.ingest.SURVEY_SCALES` that holds its overall and
    dimension scores, the same rule as :func:`analytics.ingest.detect_scale`. Scores are compared
    across uploads through the *normalised* score (overall − scale_min) / (scale_max −
    scale_min) ∈ [0, 1]. When every response in the selection shares one scale, means are also
    reported on that scale; when scales are mixed, the raw means are None and only the
    normalised mean is given (a 4 on 1–5 and a 4 on 0–10 are not the same thing).

Top-2 box (满意率)
    A response is *satisfied* when its overall score lies in the top two points of its own
    scale: overall ≥ scale_max − 1 (4–5 on 1–5, 6–7 on 1–7, 9–10 on 0–10).

Filters on surveys and complaints
    The date range applies to ``survey_date`` (surveys) and ``opened_date`` (complaints).
    Region, sales-rep, category and channel filters select *customers*: a survey or complaint
    counts when its customer has at least one ``v_ledger`` line (any date) matching those
    filters, or — when only regions / sales reps are filtered — when the customer's master
    record (``v_customers``) has a matching region / sales rep (customers known only from the
    master file). With no such filter every survey and complaint counts, also those of
    customers without ledger lines.

Open complaint
    A complaint is *resolved* when it has a ``resolved_date`` or its status (trimmed, case
    folded) is one of :data:`RESOLVED_STATUSES` (已解决, 已关闭, resolved, closed, …); every other
    complaint is *open*. Seen from an as-of date, a complaint is open at that date when it was
    opened on or before it and not resolved by then (a resolved date after the as-of date
    counts as still open then; a resolved status without a date counts as resolved).

SQL follows the portable subset (lowercase CTE chains ending in ``final``, explicit GROUP BY,
DOUBLE casts on both sides of ratios, a tie-break key in every window ORDER BY, month index
year × 12 + month, aliased outputs, bound ``?`` parameters, identifiers from whitelists).
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from analytics import store
from analytics.customer_facts import customer_facts, period_bounds, purchase_totals, shift_months
from analytics.filters import Filters
from analytics.ingest import SURVEY_SCALES
from analytics.pareto import abc
from analytics.tiers import TierScheme, assign_tiers

__all__ = [
    "QUADRANTS",
    "RESOLVED_STATUSES",
    "SATISFACTION_BANDS",
    "SEVERITY_LEVELS",
    "ComplaintPairs",
    "ComplaintsSummary",
    "Csat",
    "Drivers",
    "Nps",
    "RepurchaseByScore",
    "complaint_counts",
    "complaint_ctes",
    "complaints_summary",
    "csat",
    "drivers",
    "escalation_list",
    "latest_scores",
    "members_cte",
    "month_start",
    "nps",
    "repurchase_by_score",
    "satisfaction_around_complaints",
    "satisfaction_band",
    "severity_rank",
    "survey_ctes",
]

#: Status texts (trimmed, lower-case) that mean a complaint is closed.
RESOLVED_STATUSES: tuple[str, ...] = (
    "已解决",
    "已处理",
    "已关闭",
    "关闭",
    "已完成",
    "完成",
    "已结案",
    "结案",
    "已办结",
    "resolved",
    "closed",
    "done",
    "completed",
    "fixed",
    "solved",
)
#: Severity texts (trimmed, lower-case) → rank, 0 = most severe. Unknown texts rank after all.
SEVERITY_LEVELS: dict[str, int] = {
    "紧急": 0,
    "特急": 0,
    "重大": 0,
    "critical": 0,
    "urgent": 0,
    "blocker": 0,
    "严重": 1,
    "高": 1,
    "high": 1,
    "major": 1,
    "severe": 1,
    "一般": 2,
    "中": 2,
    "中等": 2,
    "普通": 2,
    "medium": 2,
    "normal": 2,
    "moderate": 2,
    "轻微": 3,
    "低": 3,
    "low": 3,
    "minor": 3,
}
_UNKNOWN_SEVERITY = 9
#: Importance–performance quadrant codes (Martilla & James 1977).
QUADRANTS: tuple[str, ...] = ("concentrate_here", "keep_up", "low_priority", "possible_overkill")
#: Satisfaction bands of :func:`satisfaction_band`.
SATISFACTION_BANDS: tuple[str, ...] = ("satisfied", "neutral", "dissatisfied", "no_survey")


# --------------------------------------------------------------------------------------------
# Shared SQL building blocks
# --------------------------------------------------------------------------------------------


def month_start(month_index: int) -> dt.date:
    """First day of the month with index year × 12 + month (month 1–12)."""
    year, month0 = divmod(int(month_index) - 1, 12)
    return dt.date(year, month0 + 1, 1)


def _list_filters(filters: Filters) -> Filters:
    """The customer-selecting part of ``filters`` (no date range)."""
    return filters.without_dates()


def members_cte(filters: Filters) -> tuple[str, list[object]] | None:
    """CTE ``members(customer_id)``: customers selected by the non-date filters; None = everybody.

    A customer is a member when one of its ``v_ledger`` lines (any date) matches the regions,
    sales reps, categories and channels of ``filters``; when only regions / reps are set, also
    when its ``v_customers`` master record matches them. Returns the CTE text (``members as
    (...)``) and its bound parameters.
    """
    listed = _list_filters(filters)
    if listed == Filters():
        return None
    ledger_pred, ledger_params = listed.where("l")
    sql = f"""members as (
        select l.customer_id as customer_id
        from v_ledger as l
        where {ledger_pred}
        group by l.customer_id"""
    params: list[object] = list(ledger_params)
    if not listed.categories and not listed.channels:
        master_pred, master_params = Filters(regions=listed.regions, sales_reps=listed.sales_reps).where("vc")
        sql += f"""
        union
        select vc.customer_id as customer_id
        from v_customers as vc
        where {master_pred}"""
        params += master_params
    return sql + "\n    )", params


def _date_clause(column: str, date_from: dt.date | None, date_to: dt.date | None) -> tuple[str, list[object]]:
    """``column`` (a trusted constant) between the optional bounds, as SQL and parameters."""
    clauses: list[str] = []
    params: list[object] = []
    if date_from is not None:
        clauses.append(f"{column} >= ?")
        params.append(date_from)
    if date_to is not None:
        clauses.append(f"{column} <= ?")
        params.append(date_to)
    return (" and ".join(clauses) if clauses else "1 = 1"), params


def _scale_case(bound: str) -> tuple[str, list[object]]:
    """CASE picking the smallest standard scale holding [o.lo, o.hi]; ``bound`` is min or max."""
    index = 0 if bound == "min" else 1
    whens: list[str] = []
    params: list[object] = []
    for scale in SURVEY_SCALES:
        whens.append("when o.lo >= ? and o.hi <= ? then cast(? as double)")
        params += [float(scale[0]), float(scale[1]), float(scale[index])]
    fallback = "least(cast(0 as double), o.lo)" if bound == "min" else "greatest(cast(10 as double), o.hi)"
    return f"case {' '.join(whens)} else {fallback} end", params


def survey_ctes(
    filters: Filters, *, apply_dates: bool = True, as_of: dt.date | None = None
) -> tuple[str, list[object]]:
    """CTE chain (text after ``with``) ending in ``responses``, and its parameters.

    ``responses`` has one row per survey response selected by ``filters`` (date range on
    ``survey_date`` when ``apply_dates``; customers as in :func:`members_cte`), also on or
    before ``as_of`` when given: ``response_id``, ``customer_id``, ``survey_date``,
    ``overall``, ``recommend``, ``scale_min``, ``scale_max``, ``norm_overall`` =
    (overall − scale_min) / (scale_max − scale_min), ``top2`` (1 when overall ≥ scale_max − 1,
    0 otherwise, null without an overall score), ``month_index`` = year × 12 + month.
    """
    params: list[object] = []
    parts: list[str] = []
    members = members_cte(filters)
    if members is not None:
        parts.append(members[0])
        params += members[1]
    lo_case, lo_params = _scale_case("min")
    hi_case, hi_params = _scale_case("max")
    parts.append(
        """declared as (
        select sc.upload_id as upload_id, sc.scale_min as scale_min, sc.scale_max as scale_max
        from survey_scales as sc
    ),
    observed_scores as (
        select s.upload_id as upload_id, s.overall as score
        from surveys as s
        where s.overall is not null
        union all
        select ss.upload_id as upload_id, ss.score as score
        from survey_scores as ss
    ),
    observed as (
        select upload_id as upload_id, min(score) as lo, max(score) as hi
        from observed_scores
        group by upload_id
    )"""
    )
    parts.append(
        f"""scales as (
        select d.upload_id as upload_id, d.scale_min as scale_min, d.scale_max as scale_max
        from declared as d
        union all
        select o.upload_id as upload_id, {lo_case} as scale_min, {hi_case} as scale_max
        from observed as o
        where not exists (select 1 from declared as d2 where d2.upload_id = o.upload_id)
    )"""
    )
    params += lo_params + hi_params
    date_from = filters.date_from if apply_dates else None
    date_to = filters.date_to if apply_dates else None
    if as_of is not None:
        date_to = as_of if date_to is None else min(date_to, as_of)
    date_sql, date_params = _date_clause("s.survey_date", date_from, date_to)
    member_sql = "s.customer_id in (select m.customer_id from members as m)" if members is not None else "1 = 1"
    parts.append(
        f"""responses as (
        select s.response_id as response_id,
               s.customer_id as customer_id,
               s.survey_date as survey_date,
               s.overall as overall,
               s.recommend as recommend,
               sc.scale_min as scale_min,
               sc.scale_max as scale_max,
               case when sc.scale_max > sc.scale_min
                    then cast(s.overall - sc.scale_min as double) / cast(sc.scale_max - sc.scale_min as double)
               end as norm_overall,
               case when s.overall is null then null
                    when s.overall >= sc.scale_max - 1 then 1 else 0 end as top2,
               year(s.survey_date) * 12 + month(s.survey_date) as month_index
        from surveys as s
        left join scales as sc on sc.upload_id = s.upload_id
        where {date_sql} and {member_sql}
    )"""
    )
    params += date_params
    return ",\n    ".join(parts), params


def _resolved_sql(alias: str) -> tuple[str, list[object]]:
    """SQL: the complaint's status text is a resolved status; ``alias`` is a trusted table alias."""
    marks = ", ".join("?" for _ in RESOLVED_STATUSES)
    return f"coalesce(lower(trim({alias}.status)) in ({marks}), false)", list(RESOLVED_STATUSES)


def complaint_ctes(
    filters: Filters, *, apply_dates: bool = True, as_of: dt.date | None = None, define_members: bool = True
) -> tuple[str, list[object]]:
    """CTE chain (text after ``with``) ending in ``complaint_rows``, and its parameters.

    ``complaint_rows``: one row per complaint selected by ``filters`` (date range on
    ``opened_date`` when ``apply_dates``; customers as in :func:`members_cte`), also opened on or
    before ``as_of`` when given. Columns: ``upload_id``, ``source_row`` (the row key),
    ``complaint_id``, ``customer_id``, ``opened_date``, ``category``, ``severity``, ``status``,
    ``resolved_date``, ``is_open`` (1/0; at ``as_of`` when given, else now — see the module
    docstring) and ``days_to_resolve`` (resolved_date − opened_date in days; null when open
    or undated, and for a resolution after ``as_of``). ``define_members=False`` leaves out the
    ``members`` CTE (when the chain already has one, e.g. from :func:`survey_ctes` with the same
    filters).
    """
    params: list[object] = []
    parts: list[str] = []
    members = members_cte(filters)
    if members is not None and define_members:
        parts.append(members[0])
        params += members[1]
    resolved_status, status_params = _resolved_sql("c")
    if as_of is None:
        open_sql = f"case when c.resolved_date is null and not {resolved_status} then 1 else 0 end"
        open_params: list[object] = list(status_params)
        resolved_by_sql, resolved_by_params = "1 = 1", []
    else:
        open_sql = f"""case when c.resolved_date is not null and c.resolved_date <= cast(? as date) then 0
                    when c.resolved_date is null and {resolved_status} then 0
                    else 1 end"""
        open_params = [as_of, *status_params]
        resolved_by_sql, resolved_by_params = "c.resolved_date <= cast(? as date)", [as_of]
    date_from = filters.date_from if apply_dates else None
    date_to = filters.date_to if apply_dates else None
    if as_of is not None:
        date_to = as_of if date_to is None else min(date_to, as_of)
    date_sql, date_params = _date_clause("c.opened_date", date_from, date_to)
    member_sql = "c.customer_id in (select m.customer_id from members as m)" if members is not None else "1 = 1"
    parts.append(
        f"""complaint_rows as (
        select c.upload_id as upload_id,
               c.source_row as source_row,
               c.complaint_id as complaint_id,
               c.customer_id as customer_id,
               c.opened_date as opened_date,
               c.category as category,
               c.severity as severity,
               c.status as status,
               c.resolved_date as resolved_date,
               {open_sql} as is_open,
               case when c.resolved_date is not null and c.resolved_date >= c.opened_date and {resolved_by_sql}
                    then date_diff('day', c.opened_date, c.resolved_date) end as days_to_resolve
        from complaints as c
        where {date_sql} and {member_sql}
    )"""
    )
    params += open_params + resolved_by_params + date_params
    return ",\n    ".join(parts), params


def _as_date(value: object) -> dt.date | None:
    """A SQL date value as ``datetime.date`` (None for null)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(str(value)).date()


def _text_or_none(values: pd.Series) -> pd.Series:
    """Object column of str values with None (not NaN) for missing ones."""
    return pd.Series([None if pd.isna(v) else str(v) for v in values], index=values.index, dtype="object")


def _optional(value: object) -> float | None:
    """Float of a SQL/pandas scalar, None for null/NaN."""
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if np.isnan(number) else number


# --------------------------------------------------------------------------------------------
# CSAT and NPS
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Csat:
    """Customer-satisfaction summary of :func:`csat`.

    ``responses``: responses with an overall score. ``scale_min`` / ``scale_max``: the common
    scale (None when empty or mixed; ``mixed_scales`` tells which). ``mean``: mean overall on
    that scale (None when mixed/empty). ``mean_normalised``: mean of (overall − min)/(max − min),
    0–1. ``top2_share``: share of responses in the top two points of their scale.

    ``distribution``: ``scale_min``, ``scale_max``, ``score``, ``responses``, ``share`` (of the
    responses on that scale); every whole point of a scale is listed (0 responses included).
    ``trend``: ``month`` (first day), ``month_index`` (year × 12 + month), ``responses``,
    ``mean`` (NaN when that month mixes scales), ``mean_normalised``, ``top2_share``.
    """

    responses: int
    scale_min: float | None
    scale_max: float | None
    mixed_scales: bool
    mean: float | None
    mean_normalised: float | None
    top2_share: float | None
    distribution: pd.DataFrame
    trend: pd.DataFrame


def csat(con: duckdb.DuckDBPyConnection, filters: Filters) -> Csat:
    """CSAT: mean overall satisfaction, its distribution, the top-2-box share and the monthly trend.

    Formulas (n = responses with an overall score, each on its upload's scale [lo, hi]):
    mean = Σ overall / n (only when all n share one scale); mean_normalised =
    Σ (overall − lo)/(hi − lo) / n; top2_share = #{overall ≥ hi − 1} / n. Grain: survey
    response; the trend groups responses by survey month. Units: scale points, shares 0–1.
    Filters: see the module docstring (date range on survey_date).

    Source: American Customer Satisfaction Index practice of reporting mean and "top-2-box"
    shares (Fornell et al. 1996, "The American Customer Satisfaction Index", J. Marketing 60(4)).
    """
    ctes, params = survey_ctes(filters)
    by_score = store.fetch_df(
        con,
        f"""
        with {ctes},
        final as (
            select scale_min as scale_min, scale_max as scale_max, overall as score,
                   count(*) as responses
            from responses
            where overall is not null
            group by scale_min, scale_max, overall
        )
        select scale_min as scale_min, scale_max as scale_max, score as score, responses as responses
        from final
        order by scale_min, scale_max, score
        """,
        params,
    )
    trend_raw = store.fetch_df(
        con,
        f"""
        with {ctes},
        final as (
            select month_index as month_index,
                   count(*) as responses,
                   count(distinct cast(scale_min as varchar) || '-' || cast(scale_max as varchar)) as scales,
                   cast(sum(overall) as double) as total,
                   cast(sum(norm_overall) as double) as norm_total,
                   cast(sum(top2) as double) as top2
            from responses
            where overall is not null
            group by month_index
        )
        select month_index as month_index, responses as responses, scales as scales, total as total,
               norm_total as norm_total, top2 as top2
        from final
        order by month_index
        """,
        params,
    )
    distribution = _distribution(by_score)
    scales = by_score[["scale_min", "scale_max"]].drop_duplicates()
    n = int(by_score["responses"].sum()) if not by_score.empty else 0
    mixed = len(scales) > 1
    if n == 0:
        return Csat(0, None, None, False, None, None, None, distribution, _trend(trend_raw))
    counts = by_score["responses"].to_numpy(dtype=np.float64)
    scores = by_score["score"].to_numpy(dtype=np.float64)
    lo = by_score["scale_min"].to_numpy(dtype=np.float64)
    hi = by_score["scale_max"].to_numpy(dtype=np.float64)
    norm = (scores - lo) / np.where(hi > lo, hi - lo, np.nan)
    return Csat(
        responses=n,
        scale_min=None if mixed else float(lo[0]),
        scale_max=None if mixed else float(hi[0]),
        mixed_scales=mixed,
        mean=None if mixed else float((scores * counts).sum() / n),
        mean_normalised=_optional(np.nansum(norm * counts) / n),
        top2_share=float(counts[scores >= hi - 1].sum() / n),
        distribution=distribution,
        trend=_trend(trend_raw),
    )


def _distribution(by_score: pd.DataFrame) -> pd.DataFrame:
    """Per scale every whole point (plus observed fractional scores) with counts and shares."""
    rows: list[tuple[float, float, float, int]] = []
    for (lo, hi), group in by_score.groupby(["scale_min", "scale_max"], sort=True):
        observed = dict(zip(group["score"].astype(float), group["responses"].astype(int), strict=True))
        points = {float(p) for p in np.arange(float(lo), float(hi) + 1.0)} | set(observed)
        rows += [(float(lo), float(hi), p, observed.get(p, 0)) for p in sorted(points)]
    frame = pd.DataFrame(rows, columns=["scale_min", "scale_max", "score", "responses"])
    frame = frame.astype({"scale_min": "float64", "scale_max": "float64", "score": "float64", "responses": "int64"})
    totals = frame.groupby(["scale_min", "scale_max"])["responses"].transform("sum").to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["share"] = frame["responses"].to_numpy(dtype=np.float64) / totals
    return frame


def _trend(raw: pd.DataFrame) -> pd.DataFrame:
    n = raw["responses"].to_numpy(dtype=np.float64)
    single = raw["scales"].to_numpy(dtype=np.int64) == 1
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.DataFrame(
            {
                "month": pd.to_datetime([month_start(m) for m in raw["month_index"]]).astype("datetime64[us]"),
                "month_index": raw["month_index"].to_numpy(dtype=np.int64),
                "responses": raw["responses"].to_numpy(dtype=np.int64),
                "mean": np.where(single, raw["total"].to_numpy(dtype=np.float64) / n, np.nan),
                "mean_normalised": raw["norm_total"].to_numpy(dtype=np.float64) / n,
                "top2_share": raw["top2"].to_numpy(dtype=np.float64) / n,
            }
        )


@dataclass(frozen=True, eq=False)
class Nps:
    """Net Promoter Score of :func:`nps`.

    ``responses``: answers with a recommend score (0–10). ``promoters`` (9–10), ``passives``
    (over 6 and under 9), ``detractors`` (0–6): counts; ``promoter_share`` /
    ``detractor_share``: fractions 0–1; ``nps`` = 100 × (promoters − detractors) / responses,
    in points from −100 to 100. ``trend``: ``month``, ``month_index``, ``responses``,
    ``promoters``, ``detractors``, ``nps`` per survey month.
    """

    responses: int
    promoters: int
    passives: int
    detractors: int
    promoter_share: float
    detractor_share: float
    nps: float
    trend: pd.DataFrame


def nps(con: duckdb.DuckDBPyConnection, filters: Filters) -> Nps | None:
    """Net Promoter Score from the 0–10 "would you recommend us" answers; None without any.

    Formula: NPS = 100 × (#{recommend ≥ 9} − #{recommend ≤ 6}) / #{recommend answered}, i.e.
    % promoters − % detractors in points (−100 … 100); scores strictly between 6 and 9
    (7, 8) are passives. Grain: survey response (trend: survey month). Filters: see the module
    docstring. Example: scores [10, 9, 8, 7, 6, 0] → (2 − 2) / 6 = 0.

    Source: F. F. Reichheld (2003), "The One Number You Need to Grow", Harvard Business
    Review 81(12) 46–54.
    """
    ctes, params = survey_ctes(filters)
    monthly = store.fetch_df(
        con,
        f"""
        with {ctes},
        final as (
            select month_index as month_index,
                   count(*) as responses,
                   sum(case when recommend >= 9 then 1 else 0 end) as promoters,
                   sum(case when recommend <= 6 then 1 else 0 end) as detractors
            from responses
            where recommend is not null
            group by month_index
        )
        select month_index as month_index, responses as responses, promoters as promoters,
               detractors as detractors
        from final
        order by month_index
        """,
        params,
    )
    if monthly.empty:
        return None
    n = int(monthly["responses"].sum())
    promoters = int(monthly["promoters"].sum())
    detractors = int(monthly["detractors"].sum())
    month_n = monthly["responses"].to_numpy(dtype=np.float64)
    trend = pd.DataFrame(
        {
            "month": pd.to_datetime([month_start(m) for m in monthly["month_index"]]).astype("datetime64[us]"),
            "month_index": monthly["month_index"].to_numpy(dtype=np.int64),
            "responses": monthly["responses"].to_numpy(dtype=np.int64),
            "promoters": monthly["promoters"].to_numpy(dtype=np.int64),
            "detractors": monthly["detractors"].to_numpy(dtype=np.int64),
            "nps": 100.0
            * (monthly["promoters"].to_numpy(dtype=np.float64) - monthly["detractors"].to_numpy(dtype=np.float64))
            / month_n,
        }
    )
    return Nps(
        responses=n,
        promoters=promoters,
        passives=n - promoters - detractors,
        detractors=detractors,
        promoter_share=promoters / n,
        detractor_share=detractors / n,
        nps=100.0 * (promoters - detractors) / n,
        trend=trend,
    )


# --------------------------------------------------------------------------------------------
# Per-customer latest score (used by churn and the customer card)
# --------------------------------------------------------------------------------------------


def latest_scores(
    con: duckdb.DuckDBPyConnection, filters: Filters | None = None, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Each customer's latest and previous survey score on or before ``as_of``.

    Grain: one row per customer with at least one response that has an overall score.
    Columns: ``customer_id``, ``latest_date``, ``latest_score`` (raw overall), ``latest_norm``
    (0–1 on its scale), ``scale_min``, ``scale_max`` (of the latest response),
    ``previous_date``, ``previous_score``, ``previous_norm`` (the response before it; NaN/NaT
    when there is none). Order: survey date, ties by response id. The filters select customers
    (module docstring); their date range is *not* applied (a score stays the latest until a
    newer one comes), only ``as_of``.
    """
    ctes, params = survey_ctes(filters or Filters(), apply_dates=False, as_of=as_of)
    frame = store.fetch_df(
        con,
        f"""
        with {ctes},
        ordered as (
            select customer_id as customer_id,
                   survey_date as survey_date,
                   overall as overall,
                   norm_overall as norm_overall,
                   scale_min as scale_min,
                   scale_max as scale_max,
                   row_number() over (
                       partition by customer_id order by survey_date desc, response_id desc
                   ) as rn
            from responses
            where overall is not null
        ),
        final as (
            select a.customer_id as customer_id,
                   a.survey_date as latest_date,
                   a.overall as latest_score,
                   a.norm_overall as latest_norm,
                   a.scale_min as scale_min,
                   a.scale_max as scale_max,
                   b.survey_date as previous_date,
                   b.overall as previous_score,
                   b.norm_overall as previous_norm
            from ordered as a
            left join ordered as b on b.customer_id = a.customer_id and b.rn = 2
            where a.rn = 1
        )
        select customer_id as customer_id, latest_date as latest_date, latest_score as latest_score,
               latest_norm as latest_norm, scale_min as scale_min, scale_max as scale_max,
               previous_date as previous_date, previous_score as previous_score, previous_norm as previous_norm
        from final
        order by customer_id
        """,
        params,
    )
    frame["customer_id"] = frame["customer_id"].astype("int64")
    for column in ("latest_date", "previous_date"):
        frame[column] = frame[column].astype("datetime64[us]")
    for column in ("latest_score", "latest_norm", "scale_min", "scale_max", "previous_score", "previous_norm"):
        frame[column] = frame[column].astype("float64")
    return frame


def satisfaction_band(score: pd.Series, scale_min: pd.Series, scale_max: pd.Series) -> pd.Series:
    """Band of a score on its scale: ``satisfied``, ``neutral``, ``dissatisfied`` or ``no_survey``.

    Rule: satisfied = top two points (score ≥ max − 1, the top-2 box); dissatisfied = below
    the scale's midpoint (score < (min + max) / 2); neutral otherwise; no_survey when the score
    is missing. On 1–5: 4–5 satisfied, 3 neutral, 1–2 dissatisfied; on 0–10: 9–10 / 5–8 / 0–4.
    """
    s = score.to_numpy(dtype=np.float64, na_value=np.nan)
    lo = scale_min.to_numpy(dtype=np.float64, na_value=np.nan)
    hi = scale_max.to_numpy(dtype=np.float64, na_value=np.nan)
    band = np.select(
        [np.isnan(s), s >= hi - 1, s < (lo + hi) / 2.0],
        ["no_survey", "satisfied", "dissatisfied"],
        default="neutral",
    )
    return pd.Series(band, index=score.index, dtype="object")


# --------------------------------------------------------------------------------------------
# Satisfaction → loyalty
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RepurchaseByScore:
    """Repurchase and later churn by overall score (:func:`repurchase_by_score`).

    ``by_score``: ``scale_min``, ``scale_max``, ``score``, ``surveys``, ``repurchase_eligible``,
    ``repurchased``, ``repurchase_rate``, ``churn_eligible``, ``churned``, ``churn_rate``.
    ``responses``: one row per survey (``response_id``, ``customer_id``, ``survey_date``,
    ``overall``, ``scale_min``, ``scale_max``, ``next_purchase``, ``repurchase_eligible``,
    ``repurchased``, ``churn_eligible``, ``churned``). ``top_score`` / ``next_score``: the two
    highest points of the most used scale (5 and 4 on 1–5); ``top_vs_next_ratio`` = their
    repurchase rates' ratio (None when a rate is missing or the lower one is 0).
    ``data_end``: the last ledger date, the end of the follow-up.
    """

    days: int
    churn_months: int
    data_end: dt.date | None
    by_score: pd.DataFrame
    responses: pd.DataFrame
    top_score: float | None
    next_score: float | None
    top_vs_next_ratio: float | None


def repurchase_by_score(
    con: duckdb.DuckDBPyConnection, filters: Filters, days: int = 90, churn_months: int = 12
) -> RepurchaseByScore:
    """Satisfaction → loyalty: repurchase within ``days`` and churn within ``churn_months`` by score.

    For each survey response with an overall score (survey date d, customer c):

    * repurchased = c has a purchase line (amount > 0) on a day in (d, d + days];
    * churned = c has no purchase line in (d, d + churn_months calendar months];
    * a response counts for a rate only when its follow-up window ends on or before the last
      ledger date (``data_end``, under the customer filters): later surveys are censored and
      left out (``repurchase_eligible`` / ``churn_eligible`` tell which).

    repurchase_rate(score) = repurchased / eligible; churn_rate likewise. The "5 vs 4" ratio
    = repurchase_rate(top point) / repurchase_rate(second point) of the most used scale.
    Grain: survey response, aggregated by (scale, score). Units: rates 0–1, ratio ×.
    Filters: module docstring (date range on survey_date; the follow-up ledger is not
    date-limited).

    Source: T. O. Jones & W. E. Sasser (1995), "Why Satisfied Customers Defect", Harvard
    Business Review 73(6) 88–99 (completely satisfied customers repurchase far more often than
    merely satisfied ones).
    """
    if days < 1 or churn_months < 1:
        raise ValueError("days and churn_months must be at least 1")
    ctes, params = survey_ctes(filters)
    ledger_pred, ledger_params = _list_filters(filters).where("l")
    frame = store.fetch_df(
        con,
        f"""
        with {ctes},
        ledger as (
            select l.customer_id as customer_id, l.order_date as order_date
            from v_ledger as l
            where {ledger_pred} and l.amount > 0
        ),
        purchase_days as (
            select customer_id as customer_id, order_date as order_date
            from ledger
            group by customer_id, order_date
        ),
        next_purchase as (
            select r.response_id as response_id, min(p.order_date) as next_purchase
            from responses as r
            join purchase_days as p on p.customer_id = r.customer_id and p.order_date > r.survey_date
            group by r.response_id
        ),
        final as (
            select r.response_id as response_id,
                   r.customer_id as customer_id,
                   r.survey_date as survey_date,
                   r.overall as overall,
                   r.scale_min as scale_min,
                   r.scale_max as scale_max,
                   n.next_purchase as next_purchase
            from responses as r
            left join next_purchase as n on n.response_id = r.response_id
            where r.overall is not null
        )
        select response_id as response_id, customer_id as customer_id, survey_date as survey_date,
               overall as overall, scale_min as scale_min, scale_max as scale_max,
               next_purchase as next_purchase
        from final
        order by survey_date, response_id
        """,
        [*params, *ledger_params],
    )
    end_row = store.fetch_one(
        con,
        f"""
        with final as (
            select max(l.order_date) as data_end
            from v_ledger as l
            where {ledger_pred}
        )
        select data_end as data_end from final
        """,
        list(ledger_params),
    )
    data_end = _as_date(end_row[0]) if end_row else None
    survey_days = pd.to_datetime(frame["survey_date"]).to_numpy(dtype="datetime64[D]")
    next_dates = pd.to_datetime(frame["next_purchase"]).to_numpy(dtype="datetime64[D]")
    repurchase_end = survey_days + np.timedelta64(days, "D")
    # calendar months per distinct survey day (a few hundred), not per response (10⁵)
    distinct_days, day_of_response = np.unique(survey_days, return_inverse=True)
    churn_end = np.array([shift_months(d, churn_months) for d in distinct_days.astype(object)], dtype="datetime64[D]")[
        day_of_response
    ]
    end = np.datetime64(data_end, "D") if data_end is not None else np.datetime64("NaT")
    has_next = ~np.isnat(next_dates)
    frame["next_purchase"] = frame["next_purchase"].astype("datetime64[us]")
    frame["survey_date"] = frame["survey_date"].astype("datetime64[us]")
    frame["repurchase_eligible"] = repurchase_end <= end
    frame["repurchased"] = has_next & (next_dates <= repurchase_end)
    frame["churn_eligible"] = churn_end <= end
    frame["churned"] = ~(has_next & (next_dates <= churn_end))

    rows = []
    for (lo, hi, score), group in frame.groupby(["scale_min", "scale_max", "overall"], sort=True, dropna=False):
        rep_ok = group["repurchase_eligible"].to_numpy(dtype=bool)
        churn_ok = group["churn_eligible"].to_numpy(dtype=bool)
        repurchased = int(group["repurchased"].to_numpy(dtype=bool)[rep_ok].sum())
        churned = int(group["churned"].to_numpy(dtype=bool)[churn_ok].sum())
        rows.append(
            {
                "scale_min": lo,
                "scale_max": hi,
                "score": score,
                "surveys": len(group),
                "repurchase_eligible": int(rep_ok.sum()),
                "repurchased": repurchased,
                "repurchase_rate": repurchased / rep_ok.sum() if rep_ok.any() else np.nan,
                "churn_eligible": int(churn_ok.sum()),
                "churned": churned,
                "churn_rate": churned / churn_ok.sum() if churn_ok.any() else np.nan,
            }
        )
    columns = [
        "scale_min",
        "scale_max",
        "score",
        "surveys",
        "repurchase_eligible",
        "repurchased",
        "repurchase_rate",
        "churn_eligible",
        "churned",
        "churn_rate",
    ]
    by_score = pd.DataFrame(rows, columns=columns).astype(
        {
            "scale_min": "float64",
            "scale_max": "float64",
            "score": "float64",
            "surveys": "int64",
            "repurchase_eligible": "int64",
            "repurchased": "int64",
            "repurchase_rate": "float64",
            "churn_eligible": "int64",
            "churned": "int64",
            "churn_rate": "float64",
        }
    )
    top = next_score = ratio = None
    if not by_score.empty:
        sizes = by_score.groupby(["scale_min", "scale_max"], sort=True)["surveys"].sum()
        lo, hi = sizes.idxmax()  # most used scale; ties → the first (smallest) scale
        top, next_score = float(hi), float(hi) - 1.0
        on_scale = by_score[(by_score["scale_min"] == lo) & (by_score["scale_max"] == hi)].set_index("score")
        top_rate = on_scale["repurchase_rate"].get(top, np.nan)
        next_rate = on_scale["repurchase_rate"].get(next_score, np.nan)
        if np.isfinite(top_rate) and np.isfinite(next_rate) and next_rate > 0:
            ratio = float(top_rate / next_rate)
    return RepurchaseByScore(
        days=days,
        churn_months=churn_months,
        data_end=data_end,
        by_score=by_score,
        responses=frame,
        top_score=top,
        next_score=next_score,
        top_vs_next_ratio=ratio,
    )


# --------------------------------------------------------------------------------------------
# Drivers: importance–performance
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Drivers:
    """Importance–performance table of :func:`drivers`.

    ``table``: one row per dimension: ``dimension``, ``responses`` (answers with both the
    dimension and an overall score), ``mean`` (on the common scale; NaN when scales are mixed),
    ``mean_normalised`` (0–1, the *performance*), ``importance`` (Spearman ρ with overall; NaN
    when either side is constant or fewer than 3 pairs), ``p_value``, ``quadrant`` (one of
    :data:`QUADRANTS`; null when importance is NaN). ``performance_line`` /
    ``importance_line``: the quadrant cross-hairs (means over the dimensions with an importance).
    """

    table: pd.DataFrame
    performance_line: float | None
    importance_line: float | None


def drivers(con: duckdb.DuckDBPyConnection, filters: Filters) -> Drivers:
    """Satisfaction drivers: per dimension, performance (mean score) vs importance (rank correlation).

    Formulas: performance = mean of the dimension's normalised score (score − lo)/(hi − lo) over
    responses (also the raw mean when all share a scale); importance = Spearman's ρ between the
    dimension's normalised score and the normalised overall score of the same responses
    (derived importance; scipy.stats.spearmanr, ties get mid-ranks). Quadrants split at the mean
    performance and mean importance over the dimensions: high importance & low performance =
    ``concentrate_here``, high & high = ``keep_up``, low & low = ``low_priority``, low importance
    & high performance = ``possible_overkill`` (a value exactly on a line counts as high).
    Grain: dimension. Filters: module docstring.

    Source: J. A. Martilla & J. C. James (1977), "Importance-Performance Analysis", J. Marketing
    41(1) 77–79; derived importance as in ACSI-style driver analysis.
    """
    ctes, params = survey_ctes(filters)
    pairs = store.fetch_df(
        con,
        f"""
        with {ctes},
        final as (
            select ss.dimension as dimension,
                   ss.response_id as response_id,
                   ss.score as score,
                   r.norm_overall as norm_overall,
                   r.scale_min as scale_min,
                   r.scale_max as scale_max
            from survey_scores as ss
            join responses as r on r.response_id = ss.response_id
            where r.overall is not null
        )
        select dimension as dimension, response_id as response_id, score as score,
               norm_overall as norm_overall, scale_min as scale_min, scale_max as scale_max
        from final
        order by dimension, response_id
        """,
        params,
    )
    rows = []
    for dimension, group in pairs.groupby("dimension", sort=True):
        score = group["score"].to_numpy(dtype=np.float64)
        lo = group["scale_min"].to_numpy(dtype=np.float64)
        hi = group["scale_max"].to_numpy(dtype=np.float64)
        norm = (score - lo) / np.where(hi > lo, hi - lo, np.nan)
        overall = group["norm_overall"].to_numpy(dtype=np.float64)
        single = len(set(zip(lo.tolist(), hi.tolist(), strict=True))) == 1
        rho = p_value = np.nan
        if len(group) >= 3 and np.ptp(norm) > 0 and np.ptp(overall) > 0:
            from scipy import stats  # imported here: scipy.stats costs ~0.5 s at CLI start-up

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = stats.spearmanr(norm, overall)
            rho, p_value = float(result.statistic), float(result.pvalue)
        rows.append(
            {
                "dimension": str(dimension),
                "responses": len(group),
                "mean": float(score.mean()) if single else np.nan,
                "mean_normalised": float(np.nanmean(norm)),
                "importance": rho,
                "p_value": p_value,
            }
        )
    table = pd.DataFrame(rows, columns=["dimension", "responses", "mean", "mean_normalised", "importance", "p_value"])
    table = table.astype(
        {
            "dimension": "object",
            "responses": "int64",
            "mean": "float64",
            "mean_normalised": "float64",
            "importance": "float64",
            "p_value": "float64",
        }
    )
    rated = table["importance"].notna()
    if not rated.any():
        table["quadrant"] = pd.Series([None] * len(table), index=table.index, dtype="object")
        return Drivers(table=table, performance_line=None, importance_line=None)
    perf_line = float(table.loc[rated, "mean_normalised"].mean())
    imp_line = float(table.loc[rated, "importance"].mean())
    important = table["importance"].to_numpy(dtype=np.float64) >= imp_line - 1e-12
    performing = table["mean_normalised"].to_numpy(dtype=np.float64) >= perf_line - 1e-12
    quadrant = np.select(
        [important & ~performing, important & performing, ~important & ~performing],
        ["concentrate_here", "keep_up", "low_priority"],
        default="possible_overkill",
    ).astype(object)
    quadrant[~rated.to_numpy()] = None
    table["quadrant"] = pd.Series(quadrant, index=table.index, dtype="object")
    return Drivers(table=table, performance_line=perf_line, importance_line=imp_line)


# --------------------------------------------------------------------------------------------
# Complaints
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ComplaintsSummary:
    """Complaint volume and handling of :func:`complaints_summary`.

    ``total``, ``open`` (at the as-of date), ``resolved`` (= total − open): counts.
    ``median_days_to_resolve``: median of resolved_date − opened_date over complaints resolved
    with a date by the as-of date (None without).
    ``by_category`` (Pareto order: complaints descending, then category A→Z, blanks last):
    ``category``, ``complaints``, ``share``, ``cumulative_share``, ``open``,
    ``median_days_to_resolve``. ``by_severity`` (most severe first, :data:`SEVERITY_LEVELS`):
    ``severity``, ``severity_rank``, ``complaints``, ``share``, ``open``,
    ``median_days_to_resolve``.
    """

    total: int
    open: int
    resolved: int
    median_days_to_resolve: float | None
    by_category: pd.DataFrame
    by_severity: pd.DataFrame


def complaint_counts(
    con: duckdb.DuckDBPyConnection, filters: Filters, column: str, as_of: dt.date | None = None
) -> pd.DataFrame:
    """Complaints grouped by ``column`` (``category`` or ``severity``): counts, open, median days.

    Columns: ``value`` (null for complaints without one), ``complaints``, ``open`` (at
    ``as_of`` when given, else now), ``median_days_to_resolve`` (complaints resolved by
    ``as_of``). Raises ``ValueError`` for another column (the whitelist).
    """
    if column not in ("category", "severity"):
        raise ValueError(f"cannot group complaints by {column!r}")
    ctes, params = complaint_ctes(filters, as_of=as_of)
    return store.fetch_df(
        con,
        f"""
        with {ctes},
        final as (
            select {column} as value,
                   count(*) as complaints,
                   sum(is_open) as open,
                   cast(median(days_to_resolve) as double) as median_days_to_resolve
            from complaint_rows
            group by {column}
        )
        select value as value, complaints as complaints, open as open,
               median_days_to_resolve as median_days_to_resolve
        from final
        order by value asc nulls last
        """,
        params,
    )


def complaints_summary(
    con: duckdb.DuckDBPyConnection, filters: Filters, as_of: dt.date | None = None
) -> ComplaintsSummary:
    """Complaints: total, open, median days to resolve, a Pareto of categories, severities.

    As-of date: ``as_of``, else the end of the date range (``filters.date_to``: ``--to``, the
    sidebar's end date); without either, the current state. Formulas: open / resolved at the
    as-of date as in the module docstring (a complaint resolved after it was still open then);
    days to resolve = resolved_date − opened_date (calendar days, complaints with a resolved
    date on or after the opening date and on or before the as-of date); category share =
    complaints in the category / total, cumulative share in Pareto order (most frequent
    first). Grain: complaint, aggregated by category / severity. Filters: module docstring
    (date range on opened_date).

    Source: Pareto chart of defect causes (J. M. Juran, *Quality Control Handbook*, 1951), the
    "vital few" complaint categories.
    """
    as_of = as_of if as_of is not None else filters.date_to
    by_category = complaint_counts(con, filters, "category", as_of)
    by_severity = complaint_counts(con, filters, "severity", as_of)
    ctes, params = complaint_ctes(filters, as_of=as_of)
    median_row = store.fetch_one(
        con,
        f"""
        with {ctes},
        final as (
            select cast(median(days_to_resolve) as double) as median_days
            from complaint_rows
        )
        select median_days as median_days from final
        """,
        params,
    )
    total = int(by_category["complaints"].sum()) if not by_category.empty else 0
    open_count = int(by_category["open"].sum()) if not by_category.empty else 0

    cat = by_category.rename(columns={"value": "category"})
    cat["category"] = _text_or_none(cat["category"])
    cat = cat.assign(_blank=cat["category"].isna()).sort_values(
        ["complaints", "_blank", "category"], ascending=[False, True, True], kind="mergesort", na_position="last"
    )
    cat = cat.drop(columns="_blank").reset_index(drop=True)
    counts = cat["complaints"].to_numpy(dtype=np.float64)
    cat.insert(2, "share", counts / total if total else np.full(len(cat), np.nan))
    cat.insert(3, "cumulative_share", np.cumsum(counts) / total if total else np.full(len(cat), np.nan))
    if total:
        cat.loc[len(cat) - 1, "cumulative_share"] = 1.0
    cat = cat.astype({"complaints": "int64", "open": "int64"})

    sev = by_severity.rename(columns={"value": "severity"})
    sev["severity"] = _text_or_none(sev["severity"])
    sev.insert(1, "severity_rank", [severity_rank(v) for v in sev["severity"]])
    sev = sev.sort_values(["severity_rank", "severity"], kind="mergesort", na_position="last").reset_index(drop=True)
    sev.insert(3, "share", sev["complaints"].to_numpy(dtype=np.float64) / total if total else np.nan)
    sev = sev.astype({"severity_rank": "int64", "complaints": "int64", "open": "int64"})
    return ComplaintsSummary(
        total=total,
        open=open_count,
        resolved=total - open_count,
        median_days_to_resolve=_optional(median_row[0]) if median_row else None,
        by_category=cat,
        by_severity=sev,
    )


def severity_rank(severity: object) -> int:
    """Rank of a severity text (0 = most severe, :data:`SEVERITY_LEVELS`); unknown/blank → 9."""
    if severity is None or (isinstance(severity, float) and np.isnan(severity)):
        return _UNKNOWN_SEVERITY
    return SEVERITY_LEVELS.get(str(severity).strip().lower(), _UNKNOWN_SEVERITY)


def escalation_list(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    as_of: dt.date | None = None,
    *,
    a_cut: float = 0.8,
    b_cut: float = 0.95,
    scheme: TierScheme | None = None,
    top_tiers: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Open complaints of key accounts (A-class or top-tier customers), most urgent first.

    Rule: a complaint is listed when it is open at the reference date (module docstring) and
    its customer is ABC class ``A`` (cumulative revenue share cutoffs ``a_cut`` / ``b_cut``,
    :func:`analytics.pareto.abc`) or in ``top_tiers`` (default: the two best tiers of
    ``scheme``, i.e. diamond and platinum in the absolute scheme; :func:`analytics.tiers.assign_tiers`).
    ABC and tiers use the analysis period of ``filters`` (:func:`analytics.customer_facts.period_bounds`:
    the trailing 12 months by default). Reference date = ``as_of`` when given, else the later
    of the ledger as-of date and the newest complaint/resolution date. Age = reference date −
    opened_date in days. Sorted by severity rank (most severe first), then age descending,
    then complaint id.

    Columns: ``complaint_id``, ``customer_id``, ``customer_name``, ``region``, ``sales_rep``,
    ``abc_class``, ``tier``, ``revenue`` (period), ``category``, ``severity``,
    ``severity_rank``, ``status``, ``opened_date``, ``age_days``. Grain: complaint.

    Source: key-account management practice (SPEC §4.5 escalation list); ABC after Dickie (1951).
    """
    scheme = scheme or TierScheme()
    wanted = set(top_tiers if top_tiers is not None else scheme.tiers[:2])
    bounds = period_bounds(con, filters)
    reference = as_of
    if reference is None:
        ctes, params = complaint_ctes(filters)
        latest = store.fetch_one(
            con,
            f"""
            with {ctes},
            final as (
                select max(greatest(opened_date, coalesce(resolved_date, opened_date))) as latest
                from complaint_rows
            )
            select latest as latest from final
            """,
            params,
        )
        found = [bounds.as_of if bounds else None, _as_date(latest[0]) if latest else None]
        candidates = [d for d in found if d is not None]
        reference = max(candidates) if candidates else None
    columns = [
        "complaint_id",
        "customer_id",
        "customer_name",
        "region",
        "sales_rep",
        "abc_class",
        "tier",
        "revenue",
        "category",
        "severity",
        "severity_rank",
        "status",
        "opened_date",
        "age_days",
    ]
    if reference is None or bounds is None:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    # ABC and tiers need only revenue and purchase days of every customer (the cheap totals);
    # region and sales rep are picked for the few listed key accounts afterwards
    period = bounds.current_filters(filters)
    totals = purchase_totals(con, period)
    classified = abc(totals, a_cut, b_cut)[["customer_id", "abc_class"]]
    tiered = assign_tiers(totals, scheme)[["customer_id", "customer_name", "revenue", "tier"]]
    accounts = tiered.merge(classified, on="customer_id", how="left")
    is_key = (accounts["abc_class"].astype("object") == "A") | accounts["tier"].astype("object").isin(wanted)
    accounts = accounts[is_key.to_numpy()]

    ctes, params = complaint_ctes(filters, as_of=reference)
    open_rows = store.fetch_df(
        con,
        f"""
        with {ctes},
        final as (
            select complaint_id as complaint_id,
                   customer_id as customer_id,
                   category as category,
                   severity as severity,
                   status as status,
                   opened_date as opened_date,
                   date_diff('day', opened_date, cast(? as date)) as age_days,
                   upload_id as upload_id,
                   source_row as source_row
            from complaint_rows
            where is_open = 1
        )
        select complaint_id as complaint_id, customer_id as customer_id, category as category,
               severity as severity, status as status, opened_date as opened_date, age_days as age_days,
               upload_id as upload_id, source_row as source_row
        from final
        order by upload_id, source_row
        """,
        [*params, reference],
    )
    open_rows["customer_id"] = open_rows["customer_id"].astype("int64")
    accounts = accounts.assign(customer_id=accounts["customer_id"].astype("int64"))
    out = open_rows.merge(accounts, on="customer_id", how="inner")
    listed = sorted(set(out["customer_id"].tolist()))
    picks = customer_facts(con, period, customers=listed)[["customer_id", "region", "sales_rep"]]
    out = out.merge(picks.assign(customer_id=picks["customer_id"].astype("int64")), on="customer_id", how="left")
    out["severity_rank"] = [severity_rank(v) for v in out["severity"]]
    out["opened_date"] = out["opened_date"].astype("datetime64[us]")
    out = out.sort_values(
        ["severity_rank", "age_days", "complaint_id", "upload_id", "source_row"],
        ascending=[True, False, True, True, True],
        kind="mergesort",
        na_position="last",
    )
    return out[columns].reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class ComplaintPairs:
    """Satisfaction before vs after complaints (:func:`satisfaction_around_complaints`).

    ``pairs``: complaints with a survey before and one after; ``customers``: distinct customers
    among them. ``mean_before`` / ``mean_after``: raw means (None when scales are mixed or no
    pairs); ``mean_before_normalised`` / ``mean_after_normalised`` / ``mean_change_normalised``
    (after − before) on 0–1. ``p_value``: Wilcoxon signed-rank test of the normalised
    differences (None with fewer than 6 non-zero differences). ``table``: ``complaint_id``,
    ``customer_id``, ``opened_date``, ``before_date``, ``before_score``, ``after_date``,
    ``after_score``, ``before_norm``, ``after_norm``, ``change_norm``.
    """

    pairs: int
    customers: int
    mean_before: float | None
    mean_after: float | None
    mean_before_normalised: float | None
    mean_after_normalised: float | None
    mean_change_normalised: float | None
    p_value: float | None
    table: pd.DataFrame


def satisfaction_around_complaints(
    con: duckdb.DuckDBPyConnection, filters: Filters, max_days: int | None = None
) -> ComplaintPairs:
    """Mean overall satisfaction in the survey before vs the survey after a complaint.

    Pairing (per complaint, within its customer): *before* = the customer's latest survey with
    survey_date < opened_date, *after* = the earliest survey with survey_date > opened_date
    (a survey on the complaint day is ambiguous and not used); ties by response id. With
    ``max_days`` both surveys must lie within that many days of the opening date. Only
    complaints with both surveys form a pair; a customer with several complaints contributes a
    pair per complaint. Means over pairs: before, after, change = after − before (normalised
    0–1 so that scales can be mixed). Grain: complaint. Filters: module docstring (date range on
    opened_date; surveys of any date).

    Source: service-recovery research (e.g. Smith & Bolton 1998, "An Experimental
    Investigation of Customer Reactions to Service Failure and Recovery Encounters", J. Service
    Research 1(1)); the paired comparison is tested with Wilcoxon (1945) signed ranks.
    """
    survey_sql, survey_params = survey_ctes(filters, apply_dates=False)
    complaint_sql, complaint_params = complaint_ctes(filters, define_members=False)
    gap_sql = "1 = 1"
    gap_params: list[object] = []
    if max_days is not None:
        gap_sql = "abs(date_diff('day', c.opened_date, r.survey_date)) <= ?"
        gap_params = [int(max_days)]
    frame = store.fetch_df(
        con,
        f"""
        with {survey_sql},
        {complaint_sql},
        before_ranked as (
            select c.upload_id as upload_id, c.source_row as source_row,
                   r.survey_date as survey_date, r.overall as overall, r.norm_overall as norm_overall,
                   r.scale_min as scale_min, r.scale_max as scale_max,
                   row_number() over (
                       partition by c.upload_id, c.source_row order by r.survey_date desc, r.response_id desc
                   ) as rn
            from complaint_rows as c
            join responses as r on r.customer_id = c.customer_id and r.survey_date < c.opened_date
            where r.overall is not null and {gap_sql}
        ),
        after_ranked as (
            select c.upload_id as upload_id, c.source_row as source_row,
                   r.survey_date as survey_date, r.overall as overall, r.norm_overall as norm_overall,
                   r.scale_min as scale_min, r.scale_max as scale_max,
                   row_number() over (
                       partition by c.upload_id, c.source_row order by r.survey_date asc, r.response_id asc
                   ) as rn
            from complaint_rows as c
            join responses as r on r.customer_id = c.customer_id and r.survey_date > c.opened_date
            where r.overall is not null and {gap_sql}
        ),
        final as (
            select c.complaint_id as complaint_id,
                   c.customer_id as customer_id,
                   c.opened_date as opened_date,
                   b.survey_date as before_date,
                   b.overall as before_score,
                   a.survey_date as after_date,
                   a.overall as after_score,
                   b.norm_overall as before_norm,
                   a.norm_overall as after_norm,
                   b.scale_min as before_min,
                   b.scale_max as before_max,
                   a.scale_min as after_min,
                   a.scale_max as after_max,
                   c.upload_id as upload_id,
                   c.source_row as source_row
            from complaint_rows as c
            join before_ranked as b on b.upload_id = c.upload_id and b.source_row = c.source_row and b.rn = 1
            join after_ranked as a on a.upload_id = c.upload_id and a.source_row = c.source_row and a.rn = 1
        )
        select complaint_id as complaint_id, customer_id as customer_id, opened_date as opened_date,
               before_date as before_date, before_score as before_score, after_date as after_date,
               after_score as after_score, before_norm as before_norm, after_norm as after_norm,
               before_min as before_min, before_max as before_max, after_min as after_min,
               after_max as after_max
        from final
        order by opened_date, upload_id, source_row
        """,
        [*survey_params, *complaint_params, *gap_params, *gap_params],
    )
    for column in ("opened_date", "before_date", "after_date"):
        frame[column] = frame[column].astype("datetime64[us]")
    frame["change_norm"] = frame["after_norm"].astype("float64") - frame["before_norm"].astype("float64")
    n = len(frame)
    scales = set(zip(frame["before_min"], frame["before_max"], strict=True)) | set(
        zip(frame["after_min"], frame["after_max"], strict=True)
    )
    single = len(scales) == 1
    p_value: float | None = None
    diffs = frame["change_norm"].to_numpy(dtype=np.float64)
    if np.count_nonzero(diffs) >= 6:
        from scipy import stats  # imported here: see drivers()

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p_value = _optional(stats.wilcoxon(diffs[diffs != 0]).pvalue)
    table = frame[
        [
            "complaint_id",
            "customer_id",
            "opened_date",
            "before_date",
            "before_score",
            "after_date",
            "after_score",
            "before_norm",
            "after_norm",
            "change_norm",
        ]
    ].reset_index(drop=True)
    return ComplaintPairs(
        pairs=n,
        customers=int(frame["customer_id"].nunique()),
        mean_before=float(frame["before_score"].mean()) if n and single else None,
        mean_after=float(frame["after_score"].mean()) if n and single else None,
        mean_before_normalised=float(frame["before_norm"].mean()) if n else None,
        mean_after_normalised=float(frame["after_norm"].mean()) if n else None,
        mean_change_normalised=float(diffs.mean()) if n else None,
        p_value=p_value,
        table=table,
    )
