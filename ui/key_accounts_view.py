"""Render helpers of the Key accounts page: headline, KPIs, Pareto/ABC, Lorenz, whale curve, customer list.

They take results of :mod:`analytics.pareto` and :mod:`analytics.key_accounts` and only format and
draw them (plus the cheap per-class sums of :func:`analytics.pareto.abc_summary`), so the page stays
"read state → call analytics → render".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd
import streamlit as st

from analytics import key_accounts, pareto
from analytics.customer_facts import DEFAULT_MONTHS, PeriodBounds
from analytics.filters import Filters
from ui import charts, tables
from ui import format as fmt
from ui.i18n import t, tier_name

#: What the Pareto view can rank (``customer`` from the customer facts, the rest from dimension facts).
DIMENSIONS: tuple[str, ...] = ("customer", "product", "category", "region")
# Few enough units to write their names under the bars instead of rank numbers.
_NAMED_TICKS = 30
_MONEY = st.column_config.NumberColumn(format="accounting")
_SHARE = st.column_config.NumberColumn(format="percent")


@dataclass(frozen=True, eq=False)
class RankedPeriod:
    """The period's customer facts and their revenue ranking; ``data.facts`` is ``ranking.table``.

    Held in ``state.query_shared`` (one object for every session; read-only) and shared by the
    Key accounts, Pyramid and RFM pages.
    """

    data: key_accounts.PeriodFacts
    ranking: pareto.Ranking

    @cached_property
    def whale(self) -> pareto.WhaleCurve | None:
        """The profit whale curve of the facts, computed on first use and kept with them (~0.3 s at 500,000)."""
        return pareto.whale_curve(self.data.facts)


def ranked_period(con: duckdb.DuckDBPyConnection, filters: Filters) -> RankedPeriod:
    """Facts of the analysis period ranked by revenue (:func:`analytics.pareto.rank`), as one cache entry.

    Sorting is the costly part of the Pareto steps (~0.4 s for 500,000 customers), so the page
    caches the ranking with the facts and a slider step only classifies. The facts are kept
    once: in rank order, as the ranking's table (every fact column plus rank and shares).
    """
    data = key_accounts.period_facts(con, filters)
    ranking = pareto.rank(data.facts)
    return RankedPeriod(key_accounts.PeriodFacts(data.bounds, ranking.table), ranking)


def period_caption(bounds: PeriodBounds, lang: str) -> None:
    """One line naming the analysis period (and that it is the default trailing window)."""
    start, end = fmt.date(bounds.period.start, lang), fmt.date(bounds.period.end, lang)
    if bounds.default_period:
        st.caption(t("ka.period_default", start=start, end=end, months=DEFAULT_MONTHS))
    else:
        st.caption(t("ka.period_chosen", start=start, end=end))


def headline(head: pareto.Headline, lang: str) -> str:
    """The 80/20 sentence: "前 20% 的客户（311 家）贡献了 78.6% 的销售额；80% 的销售额来自 334 家客户（21.5%）"."""
    return t(
        "ka.headline",
        share=fmt.percent(head.top_share, lang, digits=0),
        count=fmt.integer(head.top_share * head.count, lang),
        revenue_share=fmt.percent(head.top_revenue_share, lang),
        target=fmt.percent(head.target_revenue_share, lang, digits=0),
        target_count=fmt.integer(head.count_to_target, lang),
        target_share=fmt.percent(head.share_to_target, lang),
    )


def class_counts(classified: pd.DataFrame) -> dict[str, int]:
    """Units per ABC class (all rows of :func:`analytics.pareto.abc`, unranked ones are C)."""
    counts = classified["abc_class"].value_counts()
    return {cls: int(counts.get(cls, 0)) for cls in pareto.ABC_CLASSES}


def kpis(head: pareto.Headline, classified: pd.DataFrame, cuts: tuple[float, float], lang: str) -> None:
    """Metric row: customers ranked, Gini, and the A/B/C counts at the current cutoffs."""
    a, b = (fmt.percent(c, lang, digits=0) for c in cuts)
    cols = st.columns(5)
    cols[0].metric(t("ka.kpi_ranked"), fmt.integer(head.count, lang), help=t("ka.kpi_ranked_help"), border=True)
    cols[1].metric(t("ka.kpi_gini"), f"{head.gini:.2f}", help=t("ka.kpi_gini_help"), border=True)
    for col, (cls, count) in zip(cols[2:], class_counts(classified).items(), strict=True):
        col.metric(
            t("ka.kpi_class", cls=cls),
            fmt.integer(count, lang),
            help=t(f"ka.kpi_class_help.{cls}", a=a, b=b),
            border=True,
        )


def excluded_caption(head: pareto.Headline, lang: str, currency: str, dimension: str = "customer") -> None:
    """Say how many units have net revenue ≤ 0 and why they are left off the ranking (none: nothing)."""
    if head.excluded_count == 0:
        return
    if dimension == "customer":
        revenue = fmt.escape_markdown(fmt.money(head.excluded_revenue, lang, currency))
        st.caption(t("ka.excluded", count=fmt.integer(head.excluded_count, lang), revenue=revenue))
    else:
        st.caption(t("ka.excluded_items", count=fmt.integer(head.excluded_count, lang), unit=t(f"ka.unit.{dimension}")))


def _names(table: pd.DataFrame, column: str) -> npt.NDArray[np.object_]:
    """Display names of a name column, blanks labelled, HTML-escaped for Plotly."""
    return charts.plain_text(table[column].astype("object").where(table[column].notna(), t("ka.blank")))


def _name_column(ranking: pareto.Ranking) -> str:
    return "customer_name" if ranking.key == "customer_id" else ranking.key


def pareto_view(
    ranking: pareto.Ranking,
    classified: pd.DataFrame,
    head: pareto.Headline,
    dimension: str,
    cuts: tuple[float, float],
    lang: str,
    currency: str,
) -> None:
    """Pareto chart (bars + cumulative line, ABC bands, ≤ 2,000 points), the ABC table and the chart data."""
    n = ranking.count
    unit = t(f"ka.unit.{dimension}")
    counts = np.bincount(classified["abc_class"].cat.codes.to_numpy()[:n], minlength=len(pareto.ABC_CLASSES))
    a_count, b_count = int(counts[0]), int(counts[1])
    top_rank = head.top_share * n
    keep = (a_count - 1, a_count, a_count + b_count - 1, a_count + b_count, int(top_rank) - 1, int(top_rank))
    idx = charts.sample_indices(n, keep)
    ranked = ranking.ranked
    revenue = ranked[ranking.value].to_numpy(dtype=np.float64)[idx]
    cum = ranking.cum_value[idx]
    ranks = idx.astype(np.int64) + 1
    names = _names(ranked.iloc[idx], _name_column(ranking))
    divisor, money_unit = fmt.money_scale(float(revenue.max()), lang, currency)
    bar_hover = np.array(
        [
            f"{t('ka.rank_of', lang, rank=fmt.integer(r, lang))} {name} · {fmt.money(v, lang, currency)}"
            for r, name, v in zip(ranks, names, revenue, strict=True)
        ],
        dtype=object,
    )
    # bands span the ranked units; their labels count the whole class (as the KPIs and the table do)
    bounds = np.cumsum([0, a_count, b_count, n - a_count - b_count]) + 0.5
    bands = [
        (cls, float(bounds[i]), float(bounds[i + 1]), t("ka.band", cls=cls, count=fmt.integer(count, lang)))
        for i, (cls, count) in enumerate(class_counts(classified).items())
    ]
    fig = charts.pareto_chart(
        ranks,
        revenue / divisor,
        cum,
        bar_name=t("chart.revenue"),
        line_name=t("ka.cum_revenue"),
        bar_hover=bar_hover,
        line_hover=np.array([fmt.percent(c, lang) for c in cum], dtype=object),
        bands=bands,
        cutoffs=[
            (cut, t("ka.cut_label", upper=upper, lower=lower, cut=fmt.percent(cut, lang, digits=0)))
            for cut, upper, lower in zip(cuts, pareto.ABC_CLASSES, pareto.ABC_CLASSES[1:], strict=False)
        ],
        marker=(top_rank + 0.5, t("ka.top_marker", share=fmt.percent(head.top_share, lang, digits=0))),
        tick_names=names if n <= _NAMED_TICKS else None,
    )
    title = t(
        "ka.pareto_title",
        share=fmt.percent(head.top_share, lang, digits=0),
        unit=unit,
        revenue_share=fmt.percent(head.top_revenue_share, lang),
        a_count=fmt.integer(a_count, lang),
        a_share=fmt.percent(float(ranking.cum_value[a_count - 1]) if a_count else 0.0, lang),
    )
    charts.show(
        charts.style(
            fig,
            title=title,
            x_title=t("ka.pareto_x", unit=unit),
            y_title=t("ka.revenue_axis", unit=money_unit),
            y2_title=t("ka.cum_revenue_axis"),
            height=480,
        ),
        key=f"ka_pareto_{dimension}",
    )
    if dimension != "customer":
        excluded_caption(head, lang, currency, dimension)
    st.subheader(t("ka.abc_table"), anchor=False)
    abc_table(classified, dimension)
    expander = st.expander(t("ka.chart_data"), key="ka_pareto_data", bind="query-params")
    if expander.open:
        with expander:
            name = _name_column(ranking)
            columns = ["rank", name, "revenue", "revenue_share", ranking.unit_share_column, "cum_revenue_share"]
            tables.show(
                classified[[*columns, "abc_class"]],
                key=f"ka_pareto_table_{dimension}",
                file_name=f"pareto_{dimension}",
                labels={name: t(f"ka.name.{dimension}"), ranking.unit_share_column: t(f"ka.cum_share.{dimension}")},
                column_config={
                    "revenue": _MONEY,
                    "revenue_share": _SHARE,
                    ranking.unit_share_column: _SHARE,
                    "cum_revenue_share": _SHARE,
                },
            )


def abc_table(classified: pd.DataFrame, dimension: str) -> None:
    """Per ABC class: units and their share, revenue and its share, profit and its share (when known)."""
    summary = pareto.abc_summary(classified)
    if "profit" in classified.columns and classified["profit"].notna().any():
        profit = pareto.abc_summary(classified, "profit")
        summary = summary.assign(profit=profit["profit"], profit_share=profit["profit_share"])
    tables.show(
        summary,
        key=f"ka_abc_{dimension}",
        file_name=f"abc_{dimension}",
        labels={"count": t(f"ka.count.{dimension}"), "count_share": t(f"ka.count_share.{dimension}")},
        column_config={
            "count_share": _SHARE,
            "revenue": _MONEY,
            "revenue_share": _SHARE,
            "profit": _MONEY,
            "profit_share": _SHARE,
        },
    )


def lorenz_view(ranking: pareto.Ranking, head: pareto.Headline, lang: str) -> None:
    """Lorenz curve with the Gini in the title, against the equality diagonal, and its points as a table."""
    curve = pareto.lorenz(ranking, max_points=charts.MAX_POINTS)
    p = curve[ranking.unit_share_column].to_numpy(dtype=np.float64)
    share = curve["cum_revenue_share"].to_numpy(dtype=np.float64)
    # L(½) = 1 − (share of the top half), read off the same interpolated curve as the headline
    half = pareto.headline(ranking, top_share=0.5)
    bottom = 1.0 - half.top_revenue_share if half else float("nan")
    hover = np.array(
        [
            t("ka.lorenz_hover", lang, customers=fmt.percent(x, lang), revenue=fmt.percent(y, lang))
            for x, y in zip(p, share, strict=True)
        ],
        dtype=object,
    )
    fig = charts.lorenz_chart(p, share, curve_name=t("ka.lorenz_curve"), equality_name=t("ka.equality"), hover=hover)
    charts.show(
        charts.style(
            fig,
            title=t("ka.lorenz_title", gini=f"{head.gini:.2f}", bottom=fmt.percent(bottom, lang)),
            x_title=t("ka.lorenz_x"),
            y_title=t("ka.cum_revenue_axis"),
            height=480,
        ),
        key="ka_lorenz",
    )
    st.caption(t("ka.lorenz_caption"))
    expander = st.expander(t("ka.chart_data"), key="ka_lorenz_data", bind="query-params")
    if expander.open:
        with expander:
            tables.show(
                curve,
                key="ka_lorenz_table",
                file_name="lorenz",
                labels={ranking.unit_share_column: t("ka.cum_share.customer")},
                column_config={ranking.unit_share_column: _SHARE, "cum_revenue_share": _SHARE},
            )


def whale_view(whale: pareto.WhaleCurve | None, has_profit: bool, lang: str, currency: str) -> None:
    """Profit whale curve with its key points as metrics, or why there is none."""
    if whale is None:
        st.info(t("ka.profit_not_positive") if has_profit else t("ka.no_profit"))
        return
    pct = {
        "peak": fmt.percent(whale.peak_share, lang),
        "peak_customers": fmt.percent(whale.peak_customer_share, lang),
        "given_back": fmt.percent(whale.profit_given_back, lang),
    }
    cols = st.columns(4)
    cols[0].metric(t("ka.whale_peak_metric"), pct["peak"], help=t("ka.whale_peak_help"), border=True)
    cols[1].metric(
        t("ka.whale_peak_at"),
        pct["peak_customers"],
        help=t("ka.whale_peak_at_help", count=fmt.integer(whale.peak_customers, lang)),
        border=True,
    )
    loss = fmt.escape_markdown(fmt.money(whale.unprofitable_profit, lang, currency))
    cols[2].metric(
        t("ka.whale_losers"),
        fmt.integer(whale.unprofitable_customers, lang),
        help=t("ka.whale_losers_help", loss=loss),
        border=True,
    )
    cols[3].metric(t("ka.whale_given_back"), pct["given_back"], help=t("ka.whale_given_back_help"), border=True)

    curve = whale.curve
    n = len(curve)
    profit = curve["profit"].to_numpy(dtype=np.float64)
    first_loss = int(np.argmax(profit < 0)) if whale.unprofitable_customers else n
    idx = charts.sample_indices(n, (whale.peak_customers - 1, first_loss))
    x = curve["cum_customer_share"].to_numpy(dtype=np.float64)[idx]
    y = curve["cum_profit_share"].to_numpy(dtype=np.float64)[idx]
    names = _names(curve.iloc[idx], "customer_name")
    hover = np.array(
        [
            f"{t('ka.rank_of', lang, rank=fmt.integer(i + 1, lang))} {name} · {fmt.money(v, lang, currency)}"
            f" → {fmt.percent(c, lang)}"
            for i, name, v, c in zip(idx, names, profit[idx], y, strict=True)
        ],
        dtype=object,
    )
    loss_start = float(first_loss) / n if whale.unprofitable_customers else None
    fig = charts.whale_chart(
        x,
        y,
        curve_name=t("ka.whale_curve"),
        hover=hover,
        peak=(whale.peak_customer_share, whale.peak_share, t("ka.whale_peak", peak=pct["peak"])),
        total_label=t("ka.whale_total"),
        loss_zone=None if loss_start is None else (loss_start, t("ka.whale_loss_zone")),
    )
    title = t("ka.whale_title", losers=fmt.integer(whale.unprofitable_customers, lang), **pct)
    charts.show(
        charts.style(fig, title=title, x_title=t("ka.whale_x"), y_title=t("ka.whale_y"), height=480), key="ka_whale"
    )
    st.caption(t("ka.whale_caption"))
    if whale.customers_without_profit:
        st.caption(t("ka.whale_without_profit", count=fmt.integer(whale.customers_without_profit, lang)))
    expander = st.expander(t("ka.chart_data"), key="ka_whale_data", bind="query-params")
    if expander.open:
        with expander:
            tables.show(
                curve[["rank", "customer_name", "profit", "cum_customer_share", "cum_profit_share"]],
                key="ka_whale_table",
                file_name="profit_whale_curve",
                labels={"customer_name": t("ka.name.customer"), "cum_customer_share": t("ka.cum_share.customer")},
                column_config={"profit": _MONEY, "cum_customer_share": _SHARE, "cum_profit_share": _SHARE},
            )


def _labelled_codes(codes: pd.Series, name: Callable[[str], str]) -> pd.Series:
    """Tier or segment codes shown in the user's language (missing stays missing)."""
    return codes.map(name, na_action="ignore")


def customer_list(table: pd.DataFrame) -> None:
    """The customer list of :func:`analytics.key_accounts.customer_table` with CSV/XLSX download."""
    view = table[
        ["revenue_rank", "customer", "region", "rep", "revenue", "profit", "cum_revenue_share", "abc", "tier",
         "rfm_segment"]
    ].assign(
        tier=_labelled_codes(table["tier"], tier_name),  # the names the Pyramid page uses
        rfm_segment=_labelled_codes(table["rfm_segment"], lambda code: t(f"rfm.segment.{code}")),  # and the RFM page
    )  # fmt: skip
    st.caption(t("ka.list_caption"))
    tables.show(
        view,
        key="ka_customers",
        file_name="key_accounts",
        labels={
            "customer": t("ka.name.customer"),
            "region": t("field.region"),
            "rep": t("field.sales_rep"),
            "tier": t("ka.col.tier"),
            "rfm_segment": t("ka.col.rfm_segment"),
        },
        column_config={"revenue": _MONEY, "profit": _MONEY, "cum_revenue_share": _SHARE},
        height=560,
    )
