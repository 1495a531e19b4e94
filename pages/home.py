"""Home: headline KPIs, what changed in the latest month, data freshness, revenue by month."""

from __future__ import annotations

import numpy as np
import streamlit as st

from analytics import summary
from ui import charts, insights, state, tables
from ui import format as fmt
from ui.i18n import t

lang, currency = state.lang(), state.currency()
filters = state.filters()
kpis = state.query(summary.kpis, filters)
fresh = state.query(summary.freshness)


def money(value: float | None) -> str:
    """Money in the session's locale and the data's currency."""
    return fmt.money(value, lang, currency)


st.title(t("home.title"))
st.caption(t("home.caption"))
if fresh.demo_loaded:
    st.info(t("home.demo_notice"), icon=":material/science:")
if kpis.transactions == 0:
    st.warning(t("home.no_data"))
    st.stop()

# headline figures
cols = st.columns(5)
cols[0].metric(t("kpi.revenue"), money(kpis.net_revenue), help=t("kpi.revenue_help"), border=True)
cols[1].metric(t("kpi.profit"), money(kpis.profit), help=t("kpi.profit_help"), border=True)
cols[2].metric(t("kpi.customers"), fmt.integer(kpis.customers), help=t("kpi.customers_help"), border=True)
cols[3].metric(
    t("kpi.active"),
    fmt.integer(kpis.active_customers),
    help=t("kpi.active_help", date=fmt.date(kpis.last_date, lang)),
    border=True,
)
cols[4].metric(t("kpi.transactions"), fmt.integer(kpis.transactions), help=t("kpi.transactions_help"), border=True)
st.caption(
    t(
        "freshness.line",
        first=fmt.date(kpis.first_date, lang),
        last=fmt.date(kpis.last_date, lang),
        upload=fmt.datetime(fresh.last_upload_at, lang),
    )
)

# what changed: the latest month against the one before
change = state.query(summary.month_change, filters)
if change.month is not None:
    st.subheader(t("month.header", month=fmt.month(change.month, lang)))
    vs = t("month.vs", month=fmt.month(fmt.previous_month(change.month), lang))
    revenue_change = fmt.change(change.revenue, change.previous_revenue)
    customers_change = fmt.change(change.customers, change.previous_customers)
    month_cols = st.columns(3)
    month_cols[0].metric(
        t("month.revenue"),
        money(change.revenue),
        delta=None if revenue_change is None else fmt.percent(revenue_change, lang, signed=True),
        delta_description=vs,
        border=True,
    )
    month_cols[1].metric(
        t("month.customers"),
        fmt.integer(change.customers),
        delta=None if customers_change is None else fmt.percent(customers_change, lang, signed=True),
        delta_description=vs,
        border=True,
    )
    month_cols[2].metric(
        t("month.new_customers"), fmt.integer(change.new_customers), help=t("month.new_help"), border=True
    )

# revenue by month: bars revenue, line profit (or buying customers when there is no profit)
monthly = state.query(summary.revenue_by_month, filters)
ytd = insights.year_to_date(monthly)
if ytd is not None:
    title = insights.revenue_title(ytd, lang, currency)
    has_profit = bool(monthly["profit"].notna().any())
    revenue = monthly["revenue"].to_numpy(dtype=float)
    profit = monthly["profit"].to_numpy(dtype=float, na_value=np.nan)
    customers = monthly["customers"].to_numpy(dtype=float)
    divisor, unit = fmt.money_scale(float(np.nanmax(np.abs(revenue))), lang, currency)
    fig = charts.bar_line(
        monthly["month"].to_numpy(dtype="datetime64[ns]"),
        revenue / divisor,
        profit / divisor if has_profit else customers,
        bar_name=t("chart.revenue"),
        line_name=t("chart.profit") if has_profit else t("chart.customers"),
        bar_hover=np.array([money(v) for v in revenue], dtype=object),
        line_hover=np.array(
            [money(v) for v in profit] if has_profit else [fmt.integer(v) for v in customers], dtype=object
        ),
        line_on_secondary_axis=not has_profit,
    )
    charts.show(
        charts.style(
            fig,
            title=title,
            x_title=t("chart.month_axis"),
            y_title=t("chart.money_axis", unit=unit),
            y2_title=None if has_profit else t("chart.customers_axis"),
            x_tickformat=fmt.plotly_month_format(lang),
        ),
        key="home_monthly",
    )
    st.subheader(t("table.monthly"))
    tables.show(
        monthly,
        key="home_monthly_table",
        file_name="revenue_by_month",
        column_config={
            "month": st.column_config.DateColumn(format="YYYY-MM"),
            "revenue": st.column_config.NumberColumn(format="accounting"),
            "profit": st.column_config.NumberColumn(format="accounting"),
        },
    )
