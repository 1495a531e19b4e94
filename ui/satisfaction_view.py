"""Sections of the Satisfaction page (pages/satisfaction.py): titles that state the finding, KPIs, charts, tables.

Only formatting and drawing: every number comes from :mod:`analytics.satisfaction` through the
page's cached queries. Scores are written with two decimals on their own scale ("3.74 / 5");
when uploads use different scales, means are shown rescaled to 0–100.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.customer_facts import PeriodBounds
from analytics.key_accounts import KeyAccountSettings
from analytics.satisfaction import QUADRANTS, ComplaintPairs, ComplaintsSummary, Csat, Drivers, Nps, RepurchaseByScore
from analytics.tiers import TierScheme
from ui import charts, tables
from ui import format as fmt
from ui.i18n import has, t, tier_name, tier_names

#: Default repurchase window in days (the default of :func:`analytics.satisfaction.repurchase_by_score`).
DEFAULT_REPURCHASE_DAYS = 90
#: Most month labels on the half-width CSAT trend axis.
TREND_TICKS = 8
DATA_PAGE = "pages/data_files.py"
#: Columns of the escalation list as shown and downloaded: what a rep acts on first.
ESCALATION_COLUMNS = (
    "customer_name",
    "complaint_id",
    "severity",
    "category",
    "status",
    "opened_date",
    "age_days",
    "abc_class",
    "tier",
    "revenue",
    "sales_rep",
    "region",
)
# keyword in a (Chinese) dimension name → sat.dim.<code>; the first keyword found in the name wins
_DIMENSION_WORDS: tuple[tuple[str, str], ...] = (
    ("产品", "product"),
    ("服务", "service"),
    ("交付", "delivery"),
    ("交货", "delivery"),
    ("价格", "price"),
    ("人员", "staff"),
)
_PERCENT = st.column_config.NumberColumn(format="percent")
_SCORE = st.column_config.NumberColumn(format="%.2f")
_DAY = st.column_config.DateColumn(format="YYYY-MM-DD")
_MONTH = st.column_config.DateColumn(format="YYYY-MM")


# ---------------------------------------------------------------- small formatting helpers


def scale_text(low: float, high: float) -> str:
    """A scale as ``1–5``."""
    return f"{low:g}–{high:g}"


def score_text(value: float | None) -> str:
    """A mean score with two decimals (``3.74``); ``–`` when missing."""
    return "–" if value is None or np.isnan(value) else f"{value:.2f}"


def nps_text(value: float) -> str:
    """NPS points with sign and one decimal (``+12.0``, ``-8.5``)."""
    return f"{value:+.1f}"


def ratio_text(value: float) -> str:
    """A ratio with one decimal (``2.3``)."""
    return f"{value:.1f}"


def _join(names: Sequence[str]) -> str:
    return t("sat.list_sep").join(names)


def dimension_label(name: str, lang: str) -> str:
    """A survey dimension for display: the name as uploaded in Chinese; in English its translation.

    Known Chinese dimensions (产品 product, 服务 service, 交付 delivery, 价格 price, 人员 staff) get
    ``"Product (产品质量)"``; other names stay as uploaded.
    """
    if lang == "zh":
        return name
    positions = [(name.find(word), code) for word, code in _DIMENSION_WORDS if word in name]
    if not positions:
        return name
    code = min(positions)[1]
    english = t(f"sat.dim.{code}", lang)
    return english if name == t(f"sat.dim.{code}", "zh") else f"{english} ({name})"


def top_tiers(scheme: TierScheme) -> tuple[str, ...]:
    """The tiers whose open complaints are escalated: the two best of the scheme."""
    return scheme.tiers[:2]


def _labels(frame: pd.DataFrame) -> dict[str, str]:
    """Explicit column labels of the page's tables (``sat.col.<column>``)."""
    return {c: t(f"sat.col.{c}") for c in frame.columns if has(f"sat.col.{c}")}


def _table(frame: pd.DataFrame, key: str, file_name: str, config: dict[str, object] | None = None) -> None:
    tables.show(frame, key=key, file_name=file_name, labels=_labels(frame), column_config=config)


@contextmanager
def _table_view(key: str) -> Iterator[None]:
    """Collapsed "table view and download" block under a chart."""
    with st.expander(t("sat.tables"), key=key, bind="query-params", icon=":material/table:"):
        yield


def no_data(key: str) -> None:
    """A translated info (``key``) and a link to the Data page."""
    st.info(t(key), icon=":material/info:")
    st.page_link(DATA_PAGE, label=t("sat.to_data"), icon=":material/upload_file:")


def _show(fig: go.Figure, key: str, **style: Any) -> None:
    charts.show(charts.style(fig, **style), key=key)


# ---------------------------------------------------------------- CSAT


def _scale_of(result: Csat) -> tuple[float, float] | None:
    """The common scale of the responses; None when they are mixed."""
    if result.scale_min is None or result.scale_max is None:
        return None
    return result.scale_min, result.scale_max


def _top_box(result: Csat) -> str:
    scale = _scale_of(result)
    return t("sat.csat.top2_mixed") if scale is None else scale_text(scale[1] - 1, scale[1])


def mean_value(result: Csat) -> str:
    """The headline mean: ``3.74 / 5`` on a common scale, ``68.5 / 100`` rescaled when scales are mixed."""
    scale = _scale_of(result)
    if scale is None or result.mean is None:
        normalised = result.mean_normalised
        return "–" if normalised is None else f"{normalised * 100:.1f} / 100"
    return f"{result.mean:.2f} / {scale[1]:g}"


def _score_axis_unit(result: Csat) -> str:
    scale = _scale_of(result)
    return t("sat.normalised_points") if scale is None else t("sat.scale_unit", scale=scale_text(*scale))


def csat_section(result: Csat, lang: str) -> None:
    """CSAT: mean with its scale, top-2 share, responses; distribution and monthly trend."""
    st.header(t("sat.csat.header"))
    scale = _scale_of(result)
    if scale is None:
        scales = result.distribution[["scale_min", "scale_max"]].drop_duplicates().itertuples(index=False)
        mean_help = t("sat.csat.mean_mixed_help", scales=", ".join(scale_text(lo, hi) for lo, hi in scales))
    else:
        mean_help = t("sat.csat.mean_help", scale=scale_text(*scale))
    cols = st.columns(3)
    cols[0].metric(t("sat.csat.mean"), mean_value(result), help=mean_help, border=True)
    cols[1].metric(
        t("sat.csat.top2"),
        fmt.percent(result.top2_share, lang),
        help=t("sat.csat.top2_help", top=_top_box(result)),
        border=True,
    )
    cols[2].metric(
        t("sat.csat.responses"),
        fmt.integer(result.responses, lang),
        help=t("sat.csat.responses_help"),
        border=True,
    )
    left, right = st.columns([2, 3])
    with left:
        _distribution_chart(result, lang)
    with right:
        _trend_chart(result, lang)
    with _table_view("sat_csat_tables"):
        _table(
            result.distribution,
            "sat_distribution",
            "satisfaction_distribution",
            {"score": st.column_config.NumberColumn(format="%g"), "share": _PERCENT},
        )
        _table(
            result.trend,
            "sat_csat_trend",
            "satisfaction_by_month",
            {"month": _MONTH, "mean": _SCORE, "mean_normalised": _SCORE, "top2_share": _PERCENT},
        )


def _distribution_chart(result: Csat, lang: str) -> None:
    dist = result.distribution
    mixed = result.mixed_scales
    labels = np.array(
        [
            t("sat.score_on_scale", score=f"{s:g}", scale=scale_text(lo, hi))
            if mixed
            else t("sat.score_label", score=f"{s:g}")
            for s, lo, hi in zip(dist["score"], dist["scale_min"], dist["scale_max"], strict=True)
        ],
        dtype=object,
    )
    counts = dist["responses"].to_numpy(dtype=float)
    hover = np.array(
        [
            t("sat.csat.responses_hover", n=fmt.integer(n, lang), share=fmt.percent(s, lang))
            for n, s in zip(counts, dist["share"], strict=True)
        ],
        dtype=object,
    )
    satisfied = dist["score"].to_numpy(dtype=float) >= dist["scale_max"].to_numpy(dtype=float) - 1
    fig = charts.score_bars(
        labels,
        counts,
        name=t("sat.csat.responses_series"),
        hover=hover,
        text=np.array([fmt.percent(v, lang) for v in dist["share"]], dtype=object),
        highlight=satisfied,
    )
    _show(
        fig,
        "sat_distribution_chart",
        title=t("sat.csat.dist_title", share=fmt.percent(result.top2_share, lang), top=_top_box(result)),
        x_title=t("sat.score_axis"),
        y_title=t("sat.csat.responses_axis"),
    )


def _yearly_shares(trend: pd.DataFrame) -> tuple[float, float] | None:
    """Top-2 share of the last 12 survey months and of the 12 before (None without responses in both).

    Shares are response-weighted: Σ top2_share × responses / Σ responses over the months of a window.
    """
    index = trend["month_index"].to_numpy(dtype=np.int64)
    if index[-1] - index[0] < 12:
        return None
    responses = trend["responses"].to_numpy(dtype=float)
    satisfied = trend["top2_share"].to_numpy(dtype=float) * responses
    recent = index > index[-1] - 12
    before = (index <= index[-1] - 12) & (index > index[-1] - 24)
    if responses[before].sum() == 0:
        return None
    return float(satisfied[recent].sum() / responses[recent].sum()), float(
        satisfied[before].sum() / responses[before].sum()
    )


def _trend_chart(result: Csat, lang: str) -> None:
    trend = result.trend
    months = _month_labels(trend, lang)
    top2 = trend["top2_share"].to_numpy(dtype=float)
    scale = _scale_of(result)
    rescaled = scale is None
    means = trend["mean_normalised"].to_numpy(dtype=float) * 100 if rescaled else trend["mean"].to_numpy(dtype=float)
    first, last = trend["month"].iloc[0].date(), trend["month"].iloc[-1].date()
    year = _yearly_shares(trend)
    if year is not None:
        title = t("sat.csat.trend_title_year", last=fmt.percent(year[0], lang), previous=fmt.percent(year[1], lang))
    elif len(trend) == 1:
        title = t("sat.csat.trend_title_one", month=fmt.month(first, lang), share=fmt.percent(top2[0], lang))
    else:
        title = t(
            "sat.csat.trend_title",
            first=fmt.percent(top2[0], lang),
            first_month=fmt.month(first, lang),
            last=fmt.percent(top2[-1], lang),
            last_month=fmt.month(last, lang),
        )
    fig = charts.bar_line(
        months,
        top2 * 100,
        means,
        bar_name=t("sat.csat.top2_series"),
        line_name=t("sat.csat.mean_series"),
        bar_hover=np.array([fmt.percent(v, lang) for v in top2], dtype=object),
        line_hover=np.array([score_text(v) for v in means], dtype=object),
        line_on_secondary_axis=True,
    )
    fig.update_xaxes(type="category")
    charts.sparse_ticks(fig, months, TREND_TICKS)
    styled = charts.style(
        fig,
        title=title,
        x_title=t("sat.nps.month_axis"),
        y_title=t("sat.csat.share_axis"),
        y2_title=t("sat.csat.mean_axis", unit=_score_axis_unit(result)),
    )
    low, high = (0.0, 100.0) if scale is None else scale
    step = 20.0 if scale is None else (1.0 if high - low <= 7 else 2.0)
    charts.show(charts.fixed_secondary_axis(styled, low, high, step), key="sat_trend_chart")


def _month_labels(trend: pd.DataFrame, lang: str) -> npt.NDArray[np.object_]:
    """Survey months as two-line category labels ("2024年<br>5月" / "May<br>2024").

    A category axis because surveys come in waves: a date axis would be mostly empty months.
    """
    words = [fmt.month(m.date(), lang) for m in trend["month"]]
    split = [w.replace("年", "年<br>", 1) if lang == "zh" else w.replace(" ", "<br>", 1) for w in words]
    return np.array(split, dtype=object)


# ---------------------------------------------------------------- NPS


def nps_section(result: Nps | None, lang: str) -> None:
    """NPS: promoter / passive / detractor shares and the score; stacked bars by month."""
    st.header(t("sat.nps.header"))
    if result is None:
        st.info(t("sat.nps.none"), icon=":material/info:")
        return
    n = result.responses
    cols = st.columns(4)
    cols[0].metric(
        t("sat.nps.value"), nps_text(result.nps), help=t("sat.nps.value_help", n=fmt.integer(n, lang)), border=True
    )
    for col, key, count in zip(
        cols[1:],
        ("sat.nps.promoters", "sat.nps.passives", "sat.nps.detractors"),
        (result.promoters, result.passives, result.detractors),
        strict=True,
    ):
        col.metric(
            t(key), fmt.percent(count / n, lang), help=t("sat.nps.count_help", n=fmt.integer(count, lang)), border=True
        )
    trend = result.trend
    responses = trend["responses"].to_numpy(dtype=float)
    promoters = trend["promoters"].to_numpy(dtype=float) / responses
    detractors = trend["detractors"].to_numpy(dtype=float) / responses
    shares = (promoters, 1.0 - promoters - detractors, detractors)
    promoter_hover, passive_hover, detractor_hover = (
        np.array([fmt.percent(v, lang) for v in share], dtype=object) for share in shares
    )
    fig = charts.nps_stacked(
        _month_labels(trend, lang),
        (shares[0] * 100, shares[1] * 100, shares[2] * 100),
        names=(t("sat.nps.promoters"), t("sat.nps.passives"), t("sat.nps.detractors")),
        hovers=(promoter_hover, passive_hover, detractor_hover),
        labels=np.array([f"{v:+.0f}" for v in trend["nps"]], dtype=object),
    )
    _show(
        fig,
        "sat_nps_chart",
        title=t(
            "sat.nps.title",
            nps=nps_text(result.nps),
            promoters=fmt.percent(result.promoter_share, lang),
            detractors=fmt.percent(result.detractor_share, lang),
        ),
        x_title=t("sat.nps.month_axis_labelled"),
        y_title=t("sat.nps.share_axis"),
    )
    with _table_view("sat_nps_tables"):
        _table(
            trend,
            "sat_nps_trend",
            "nps_by_month",
            {"month": _MONTH, "nps": st.column_config.NumberColumn(format="%.1f")},
        )


# ---------------------------------------------------------------- satisfaction → loyalty


def loyalty_controls() -> int:
    """Section header and the repurchase-window input (days after the survey)."""
    st.header(t("sat.loyalty.header"))
    days = st.number_input(
        t("sat.loyalty.days"),
        min_value=1,
        max_value=730,
        value=DEFAULT_REPURCHASE_DAYS,
        step=15,
        key="sat_days",
        help=t("sat.loyalty.days_help"),
        bind="query-params",
        width=320,
    )
    return int(days or DEFAULT_REPURCHASE_DAYS)


def _rate_at(by_score: pd.DataFrame, scale_max: float, score: float) -> tuple[float, int]:
    """Repurchase rate and eligible responses at ``score`` on the scale ending at ``scale_max``."""
    rows = by_score[(by_score["scale_max"] == scale_max) & (by_score["score"] == score)]
    if rows.empty:
        return float("nan"), 0
    best = rows.sort_values("repurchase_eligible", ascending=False, kind="mergesort").iloc[0]
    return float(best["repurchase_rate"]), int(best["repurchase_eligible"])


def loyalty_section(result: RepurchaseByScore, lang: str) -> None:
    """Repurchase within N days and churn within the churn window, by overall score; the "5 vs 4" ratio."""
    by_score = result.by_score
    if result.data_end is None:
        st.info(t("sat.loyalty.no_ledger"), icon=":material/info:")
        return
    end = fmt.date(result.data_end, lang)
    if int(by_score["repurchase_eligible"].sum()) == 0:
        st.info(t("sat.loyalty.none_eligible", days=result.days, end=end), icon=":material/info:")
        return
    left, right = st.columns([1, 3])
    top, second = result.top_score, result.next_score
    if top is not None and second is not None:
        for score in (top, second):
            rate, eligible = _rate_at(by_score, top, score)
            left.metric(
                t("sat.loyalty.rate_of", score=f"{score:g}"),
                fmt.percent(rate, lang),
                help=t("sat.loyalty.rate_help", days=result.days, n=fmt.integer(eligible, lang)),
                border=True,
            )
    ratio = result.top_vs_next_ratio
    left.metric(
        t("sat.loyalty.ratio"),
        "–" if ratio is None else t("sat.loyalty.ratio_value", ratio=ratio_text(ratio)),
        help=t("sat.loyalty.ratio_help", top=f"{top or 0:g}", next=f"{second or 0:g}"),
        border=True,
    )
    if ratio is not None and top is not None and second is not None:
        title = t("sat.loyalty.title", top=f"{top:g}", next=f"{second:g}", days=result.days, ratio=ratio_text(ratio))
    else:
        title = t("sat.loyalty.title_plain", days=result.days, months=result.churn_months)
    mixed = by_score[["scale_min", "scale_max"]].drop_duplicates().shape[0] > 1
    labels = np.array(
        [
            t("sat.score_on_scale", score=f"{s:g}", scale=scale_text(lo, hi))
            if mixed
            else t("sat.score_label", score=f"{s:g}")
            for s, lo, hi in zip(by_score["score"], by_score["scale_min"], by_score["scale_max"], strict=True)
        ],
        dtype=object,
    )
    repurchase = by_score["repurchase_rate"].to_numpy(dtype=float)
    churn = by_score["churn_rate"].to_numpy(dtype=float)
    fig = charts.bar_line(
        labels,
        repurchase * 100,
        churn * 100,
        bar_name=t("sat.loyalty.repurchase_series", days=result.days),
        line_name=t("sat.loyalty.churn_series", months=result.churn_months),
        bar_hover=_rate_hover(repurchase, by_score["repurchased"], by_score["repurchase_eligible"], lang),
        line_hover=_rate_hover(churn, by_score["churned"], by_score["churn_eligible"], lang),
    )
    fig.update_xaxes(type="category")
    with right:
        _show(fig, "sat_loyalty_chart", title=title, x_title=t("sat.score_axis"), y_title=t("sat.loyalty.rate_axis"))
    st.caption(t("sat.loyalty.caption", days=result.days, months=result.churn_months, end=end))
    with _table_view("sat_loyalty_tables"):
        _table(by_score, "sat_loyalty", "repurchase_by_score", {"repurchase_rate": _PERCENT, "churn_rate": _PERCENT})


def _rate_hover(
    rates: npt.NDArray[np.float64], hits: pd.Series, eligible: pd.Series, lang: str
) -> npt.NDArray[np.object_]:
    return np.array(
        [
            t("sat.loyalty.rate_hover", rate=fmt.percent(r, lang), hits=fmt.integer(h, lang), n=fmt.integer(n, lang))
            for r, h, n in zip(rates, hits, eligible, strict=True)
        ],
        dtype=object,
    )


# ---------------------------------------------------------------- drivers


def drivers_section(result: Drivers, scores: Csat, lang: str) -> None:
    """Importance–performance quadrant of the survey dimensions, with its table."""
    st.header(t("sat.drivers.header"))
    table = result.table
    if table.empty:
        st.info(t("sat.drivers.none"), icon=":material/info:")
        return
    if result.performance_line is None or result.importance_line is None:
        st.info(t("sat.drivers.flat"), icon=":material/info:")
        return
    rated = table[table["importance"].notna()].reset_index(drop=True)
    names = [dimension_label(str(n), lang) for n in rated["dimension"]]
    quadrant_labels = {code: t(f"sat.quadrant.{code}") for code in QUADRANTS}
    scale = _scale_of(scores)
    on_scale = scale is not None and bool(rated["mean"].notna().all())
    if on_scale and scale is not None:
        performance = rated["mean"].to_numpy(dtype=float)
        line = scale[0] + result.performance_line * (scale[1] - scale[0])
    else:
        performance = rated["mean_normalised"].to_numpy(dtype=float) * 100
        line = result.performance_line * 100
    importance = rated["importance"].to_numpy(dtype=float)
    safe = charts.plain_text(names)
    hover = np.array(
        [
            f"<b>{n}</b><br>"
            + t("sat.drivers.hover", mean=score_text(p), rho=f"{i:.2f}", quadrant=quadrant_labels.get(str(q), ""))
            for n, p, i, q in zip(safe, performance, importance, rated["quadrant"], strict=True)
        ],
        dtype=object,
    )
    focus = rated[rated["quadrant"] == "concentrate_here"].sort_values("importance", ascending=False)
    if not focus.empty:
        title = t("sat.drivers.title_focus", names=_join([names[i] for i in focus.index]))
    else:
        best = int(np.argmax(importance))
        title = t("sat.drivers.title_top", name=names[best], rho=f"{importance[best]:.2f}")
    fig = charts.importance_performance(
        performance,
        importance,
        names=safe,
        hover=hover,
        quadrants=rated["quadrant"].to_numpy(dtype=object),
        quadrant_labels=quadrant_labels,
        performance_line=line,
        importance_line=result.importance_line,
    )
    unit = t("sat.scale_unit", scale=scale_text(*scale)) if on_scale and scale else t("sat.normalised_points")
    left, right = st.columns([3, 2])
    with left:
        styled = charts.style(
            fig,
            title=title,
            x_title=t("sat.drivers.perf_axis", unit=unit),
            y_title=t("sat.drivers.imp_axis"),
            height=460,
        )
        charts.show(charts.point_hover(styled), key="sat_drivers_chart")
    view = table.assign(
        dimension=[dimension_label(str(n), lang) for n in table["dimension"]],
        quadrant=[quadrant_labels.get(str(q), "") if isinstance(q, str) else None for q in table["quadrant"]],
    )
    with right:
        for code in QUADRANTS:
            members = [names[i] for i in rated.index[rated["quadrant"] == code]]
            if members:
                st.markdown(f"**{quadrant_labels[code]}** · {fmt.escape_markdown(_join(members))}")
        st.caption(t("sat.drivers.caption"))
    with _table_view("sat_drivers_tables"):
        _table(
            view,
            "sat_drivers",
            "satisfaction_drivers",
            {
                "mean": _SCORE,
                "mean_normalised": _SCORE,
                "importance": st.column_config.NumberColumn(format="%.3f"),
                "p_value": st.column_config.NumberColumn(format="%.2g"),
            },
        )


# ---------------------------------------------------------------- complaints


def complaints_kpis(summary: ComplaintsSummary, escalations: int, lang: str) -> None:
    """Total, open, median days to resolve, open complaints at key accounts."""
    cols = st.columns(4)
    cols[0].metric(
        t("sat.complaints.total"),
        fmt.integer(summary.total, lang),
        help=t("sat.complaints.total_help", resolved=fmt.integer(summary.resolved, lang)),
        border=True,
    )
    cols[1].metric(
        t("sat.complaints.open"), fmt.integer(summary.open, lang), help=t("sat.complaints.open_help"), border=True
    )
    median = summary.median_days_to_resolve
    cols[2].metric(
        t("sat.complaints.median_days"),
        "–" if median is None else t("sat.complaints.days_value", days=f"{median:g}"),
        help=t("sat.complaints.median_help"),
        border=True,
    )
    cols[3].metric(
        t("sat.complaints.escalations"),
        fmt.integer(escalations, lang),
        help=t("sat.complaints.escalations_help"),
        border=True,
    )


def pareto_chart(summary: ComplaintsSummary, vital_share: float, lang: str) -> None:
    """Complaint categories: bars (count, most frequent first) and the cumulative share line.

    The title counts the "vital few": the categories up to the one where the cumulative share
    reaches ``vital_share`` (the ABC A cutoff of the key-account settings, 80 % by default).
    """
    cat = summary.by_category
    names = charts.plain_text(t("sat.complaints.blank") if c is None else c for c in cat["category"])
    counts = cat["complaints"].to_numpy(dtype=float)
    cumulative = cat["cumulative_share"].to_numpy(dtype=float)
    vital = int(np.searchsorted(cumulative, vital_share - 1e-12)) + 1
    vital = min(vital, len(cat))
    fig = charts.bar_line(
        names,
        counts,
        cumulative * 100,
        bar_name=t("sat.complaints.count_series"),
        line_name=t("sat.complaints.cum_series"),
        bar_hover=np.array(
            [f"{fmt.integer(n, lang)} ({fmt.percent(s, lang)})" for n, s in zip(counts, cat["share"], strict=True)],
            dtype=object,
        ),
        line_hover=np.array([fmt.percent(v, lang) for v in cumulative], dtype=object),
        line_on_secondary_axis=True,
    )
    fig.update_xaxes(type="category")
    styled = charts.style(
        fig,
        title=t(
            "sat.complaints.pareto_title",
            k=vital,
            n=len(cat),
            share=fmt.percent(float(cumulative[vital - 1]), lang),
        ),
        x_title=t("sat.complaints.category_axis"),
        y_title=t("sat.complaints.count_axis"),
        y2_title=t("sat.complaints.cum_axis"),
    )
    charts.show(charts.fixed_secondary_axis(styled, 0.0, 105.0, 20.0), key="sat_pareto_chart")
    with _table_view("sat_pareto_tables"):
        days = st.column_config.NumberColumn(format="%g")
        _table(
            cat,
            "sat_categories",
            "complaints_by_category",
            {"share": _PERCENT, "cumulative_share": _PERCENT, "median_days_to_resolve": days},
        )
        _table(
            summary.by_severity,
            "sat_severities",
            "complaints_by_severity",
            {"share": _PERCENT, "median_days_to_resolve": days},
        )


def escalation_section(
    escalations: pd.DataFrame, settings: KeyAccountSettings, bounds: PeriodBounds | None, lang: str
) -> None:
    """The escalation list: open complaints of A-class / top-tier customers, with download."""
    st.subheader(t("sat.escalation.header"))
    period = (
        f"{fmt.month(bounds.period.start, lang)}–{fmt.month(bounds.period.end, lang)}" if bounds is not None else "–"
    )
    rule = t(
        "sat.escalation.caption",
        a_cut=fmt.percent(settings.a_cut, lang, digits=0),
        period=period,
        tiers=t("sat.escalation.or").join(tier_name(c) for c in top_tiers(settings.scheme)),
    )
    if escalations.empty:
        st.caption(rule)
        st.success(t("sat.escalation.none"), icon=":material/check_circle:")
        return
    first = escalations.iloc[0]
    as_of = (pd.Timestamp(first["opened_date"]) + pd.Timedelta(days=int(first["age_days"]))).date()
    st.caption(f"{rule} {t('sat.escalation.as_of', date=fmt.date(as_of, lang))}")
    view = escalations.assign(tier=tier_names(escalations["tier"]))[list(ESCALATION_COLUMNS)]
    _table(
        view,
        "sat_escalation",
        "escalation_list",
        {
            "revenue": st.column_config.NumberColumn(format="accounting"),
            "opened_date": _DAY,
        },
    )


def around_controls() -> int | None:
    """Subheader and the max-days input of the before/after comparison (None = any distance)."""
    st.subheader(t("sat.around.header"))
    days = st.number_input(
        t("sat.around.max_days"),
        min_value=0,
        max_value=3650,
        value=0,
        step=30,
        key="sat_pair_days",
        help=t("sat.around.max_days_help"),
        bind="query-params",
    )
    return int(days) if days else None


def around_section(result: ComplaintPairs, lang: str) -> None:
    """Mean satisfaction in the survey before vs the survey after a complaint."""
    if result.pairs == 0:
        st.info(t("sat.around.none"), icon=":material/info:")
        return
    on_scale = result.mean_before is not None and result.mean_after is not None
    if on_scale:
        before, after = float(result.mean_before or 0.0), float(result.mean_after or 0.0)
    else:
        before = float(result.mean_before_normalised or 0.0) * 100
        after = float(result.mean_after_normalised or 0.0) * 100
    pairs = fmt.integer(result.pairs, lang)
    change = after - before
    direction = "same" if abs(change) < 0.005 else ("down" if change < 0 else "up")
    title = t(f"sat.around.title_{direction}", before=score_text(before), after=score_text(after))
    fig = charts.score_bars(
        np.array([t("sat.around.before"), t("sat.around.after")], dtype=object),
        np.array([before, after]),
        name=t("sat.around.mean_series"),
        hover=np.array([score_text(before), score_text(after)], dtype=object),
        text=np.array([score_text(before), score_text(after)], dtype=object),
    )
    unit = t("sat.normalised_points") if not on_scale else t("sat.points")
    _show(fig, "sat_around_chart", title=title, x_title="", y_title=t("sat.csat.mean_axis", unit=unit), height=380)
    test = "" if result.p_value is None else t("sat.around.p_value", p=f"{result.p_value:.2g}")
    st.caption(t("sat.around.caption", pairs=pairs, customers=fmt.integer(result.customers, lang), test=test))
    with _table_view("sat_around_tables"):
        _table(
            result.table,
            "sat_around",
            "satisfaction_around_complaints",
            {"opened_date": _DAY, "before_date": _DAY, "after_date": _DAY, "change_norm": _SCORE},
        )
