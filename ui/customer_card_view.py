"""Render helpers of the Customer card page (pages/customer_card.py): picker, header, risk, tabs.

The page reads state and calls analytics; everything here turns those results into widgets,
words, charts and tables. Names from data are escaped for Markdown (:func:`ui.format.escape_markdown`)
and for Plotly (:func:`ui.charts.plain_text`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from analytics import customer_card
from analytics.churn import BgNbdSummary, WarningRules
from analytics.customer_facts import PeriodBounds
from analytics.filters import Filters
from ui import charts, settings, state, tables
from ui import format as fmt
from ui.i18n import has, plural_key, t, tier_name

CUSTOMER_KEY = "customer"
SEARCH_KEY = "card_search"
TAB_KEY = "card_tab"
HORIZON_KEY = "card_horizon"
TAB_CODES: tuple[str, ...] = ("trend", "products", "surveys", "complaints")
#: At most this many customers in the picker; the search box reaches the others.
SEARCH_LIMIT = 200
#: Products drawn as bars (the table lists all of them).
PRODUCT_BARS = 15
#: How many of the biggest products the products chart's title sums up.
TITLE_TOP_PRODUCTS = 3
_DUPLICATE_LABEL = re.compile(r"^(?P<name>.*) · #(?P<id>\d+)$")
_MONEY = st.column_config.NumberColumn(format="accounting")
_PERCENT = st.column_config.NumberColumn(format="percent")
_DAY = st.column_config.DateColumn(format="YYYY-MM-DD")


def _money(value: float | None, lang: str, currency: str) -> str:
    return fmt.money(value, lang, currency)


def _number(value: float) -> str:
    """A score or a gap in days, as short as it gets: 4, 4.5, 28."""
    return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"


def _counted(key: str, n: int) -> str:
    """``t(key, n=…)`` with the singular form for one."""
    return t(plural_key(key, n), n=fmt.integer(n))


def _span(bounds: PeriodBounds, lang: str) -> tuple[str, str]:
    return fmt.date(bounds.period.start, lang), fmt.date(bounds.as_of, lang)


def _table(
    df: pd.DataFrame, *, key: str, file_name: str, column_config: dict[str, Any], height: int | None = None
) -> None:
    """:func:`ui.tables.show` with this page's column labels (``card.col.<name>``, else ``col.<name>``)."""
    labels = {c: t(f"card.col.{c}") for c in df.columns if has(f"card.col.{c}")}
    tables.show(df, key=key, file_name=file_name, labels=labels, column_config=column_config, height=height)


# --------------------------------------------------------------------------------------------
# Picker
# --------------------------------------------------------------------------------------------


def _labels(found: pd.DataFrame) -> dict[int, str]:
    """Picker label per customer id: the name, with `` · #id`` when two listed names are equal."""
    names = found["customer_name"].astype(str)
    twins = names.duplicated(keep=False).to_numpy()
    return {
        int(cid): f"{name} · #{int(cid)}" if twin else name
        for cid, name, twin in zip(found["customer_id"], names, twins, strict=True)
    }


def _show_first_match(filters: Filters) -> None:
    """On a new search, open the card of its biggest match (not the customer picked before)."""
    term = (st.session_state.get(SEARCH_KEY) or "").strip()
    found = state.query(customer_card.search, filters, term, SEARCH_LIMIT)
    if not found.empty:
        st.session_state[CUSTOMER_KEY] = int(found["customer_id"].iloc[0])


def pick_customer(filters: Filters) -> pd.Series | None:
    """Search box and customer picker (``?customer=<name>``); the picked row of :func:`analytics.customer_card.search`.

    The picker lists the top :data:`SEARCH_LIMIT` matches of the search box, biggest first (the
    default is the first: the top customer by revenue); a new search opens its biggest match. A
    customer named in the URL is added to the list when it is not among them; an unknown one
    gets a notice and the default is shown.
    None (after a notice) when nothing matches the search.
    """
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    term = left.text_input(
        t("card.search"),
        key=SEARCH_KEY,
        placeholder=t("card.search_placeholder"),
        bind="query-params",
        icon=":material/search:",
        on_change=_show_first_match,
        args=(filters,),
    )
    found = state.query(customer_card.search, filters, (term or "").strip(), SEARCH_LIMIT)
    requested = st.query_params.get(CUSTOMER_KEY)
    unknown = None
    if requested and requested not in _labels(found).values():
        twin = _DUPLICATE_LABEL.match(requested)
        extra = state.query(
            customer_card.search, filters, twin.group("name") if twin else requested, SEARCH_LIMIT, "exact"
        )
        if extra.empty:
            unknown = requested
        else:
            found = pd.concat([found, extra], ignore_index=True).drop_duplicates("customer_id")
    if unknown is not None:
        st.warning(t("card.unknown_customer", name=fmt.escape_markdown(unknown)), icon=":material/person_search:")
    if found.empty:
        st.info(t("card.no_match", term=fmt.escape_markdown(term)))
        return None
    labels = _labels(found)
    chosen = right.selectbox(
        t("card.customer"),
        list(labels),
        format_func=lambda cid: labels[cid],
        key=CUSTOMER_KEY,
        bind="query-params",
        filter_mode="contains",
        help=t("card.customer_help", n=SEARCH_LIMIT),
    )
    return found.loc[found["customer_id"] == chosen].iloc[0]


# --------------------------------------------------------------------------------------------
# Header: who, standing, key figures
# --------------------------------------------------------------------------------------------


def _master_line(profile: customer_card.Profile, lang: str) -> str:
    """``**区域** 华中 · **行业** 物流 · …`` with the values escaped; fields without a value left out."""
    fields = (
        ("field.customer_code", profile.customer_code),
        ("field.region", profile.region),
        ("field.city", profile.city),
        ("field.industry", profile.industry),
        ("field.sales_rep", profile.sales_rep),
        ("field.credit_rating", profile.credit_rating),
        ("field.contact_person", profile.contact_person),
        ("field.first_contact", fmt.date(profile.first_contact, lang) if profile.first_contact else None),
    )
    return " · ".join(f"**{t(key)}** {fmt.escape_markdown(value)}" for key, value in fields if value)


def header(
    profile: customer_card.Profile,
    standing: customer_card.Standing | None,
    bounds: PeriodBounds,
    lang: str,
    currency: str,
) -> None:
    """Name, tier / ABC / RFM badges, master data, lifetime line, rank and RFM scores."""
    st.header(fmt.escape_markdown(profile.name), anchor=False)
    if standing is not None:
        badges = st.container(horizontal=True)
        badges.badge(t("card.badge.tier", tier=tier_name(standing.tier)), icon=":material/workspace_premium:")
        badges.badge(t("card.badge.abc", abc=standing.abc), color="violet", icon=":material/leaderboard:")
        if standing.rfm_segment:
            segment = t(f"rfm.segment.{standing.rfm_segment}")
            badges.badge(t("card.badge.segment", segment=segment), color="green", icon=":material/grid_view:")
    master = _master_line(profile, lang)
    if master:
        st.markdown(master)
    if not profile.has_master:
        st.caption(t("card.master_missing"))
    facts = [
        t(
            "card.lifetime",
            first=fmt.date(profile.first_purchase, lang),
            revenue=_money(profile.lifetime_revenue, lang, currency),
        )
    ]
    if standing is None:
        start, end = _span(bounds, lang)
        st.caption(" · ".join(facts))
        st.info(t("card.not_in_period", start=start, end=end))
        return
    if standing.revenue_rank is None:
        facts.append(t("card.unranked"))
    else:
        facts.append(
            t(
                "card.rank",
                rank=fmt.integer(standing.revenue_rank),
                n=fmt.integer(standing.ranked_customers),
                share=fmt.percent(standing.cum_revenue_share, lang),
            )
        )
    if standing.rfm_segment and standing.action:
        facts.append(
            t(
                "card.rfm_scores",
                r=standing.r_score,
                f=standing.f_score,
                m=standing.m_score,
                action=t(f"rfm.action.{standing.action}"),
            )
        )
    st.caption(" · ".join(facts))


def key_figures(
    standing: customer_card.Standing | None,
    change: customer_card.PeriodRevenue | None,
    picked: pd.Series,
    bounds: PeriodBounds,
    lang: str,
    currency: str,
) -> None:
    """Revenue (change on the period before), profit (margin), orders; days since the last purchase."""
    start, end = _span(bounds, lang)
    revenue = standing.revenue if standing else 0.0
    profit = standing.profit if standing else None
    margin = profit / revenue if profit is not None and revenue > 0 else None
    growth = change.change if change else None
    last = None if pd.isna(picked["last_purchase"]) else pd.Timestamp(picked["last_purchase"]).date()
    days = (bounds.as_of - last).days if last is not None else None
    cols = st.columns(4)
    cols[0].metric(
        t("card.kpi.revenue"),
        _money(revenue, lang, currency),
        delta=None if growth is None else fmt.percent(growth, lang, signed=True),
        delta_description=None if growth is None else t("card.kpi.vs_previous"),
        help=t("card.kpi.revenue_help", start=start, end=end),
        border=True,
    )
    cols[1].metric(
        t("card.kpi.profit"),
        _money(profit, lang, currency),
        delta=None if margin is None else t("card.kpi.margin", margin=fmt.percent(margin, lang)),
        help=t("card.kpi.profit_help"),
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
    cols[2].metric(
        t("card.kpi.orders"),
        fmt.integer(standing.orders if standing else 0),
        delta=_counted("card.kpi.purchase_days", standing.frequency) if standing and standing.frequency else None,
        help=t("card.kpi.orders_help"),
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
    cols[3].metric(
        t("card.kpi.days_since"),
        "–" if days is None else _counted("card.days", days),
        delta=None if last is None else t("card.kpi.last_purchase", date=fmt.date(last, lang)),
        help=t("card.kpi.days_since_help", date=end),
        delta_color="off",
        delta_arrow="off",
        border=True,
    )


# --------------------------------------------------------------------------------------------
# Churn risk
# --------------------------------------------------------------------------------------------


def warning_rules() -> WarningRules:
    """Early-warning rules with the shared overdue settings (as the Churn page uses them by default)."""
    return WarningRules(
        overdue_k=float(settings.get("overdue_k")), overdue_floor_days=int(settings.get("overdue_floor"))
    )


def signal_texts(row: pd.Series, rules: WarningRules, lang: str, currency: str) -> list[str]:
    """The fired early-warning signals of one customer (a row of ``churn.early_warning``) in words."""

    def signed(value: Any) -> str:
        return fmt.percent(float(value), lang, signed=True, digits=0)

    params: dict[str, Any] = {
        "freq_falling": lambda: {
            "days": rules.recent_days,
            "recent": int(row["orders_recent"]),
            "before": int(row["orders_before"]),
            "change": signed(row["freq_change"]),
        },
        "value_falling": lambda: {
            "before": _money(float(row["aov_before"]), lang, currency),
            "recent": _money(float(row["aov_recent"]), lang, currency),
            "change": signed(row["value_change"]),
        },
        "overdue": lambda: {
            "days": fmt.integer(float(row["days_since_last"])),
            "gap": _number(float(row["median_gap_days"])),
            "k": _number(rules.overdue_k),
        },
        "open_complaints": lambda: {"n": int(row["open_complaints"])},
        "low_satisfaction": lambda: {
            "score": _number(float(row["latest_score"])),
            "scale": f"{_number(float(row['scale_min']))}–{_number(float(row['scale_max']))}",
        },
        "falling_satisfaction": lambda: {
            "before": _number(float(row["previous_score"])),
            "after": _number(float(row["latest_score"])),
        },
        "tier_downgrade": lambda: {
            "before": tier_name(row["previous_tier"], lang),
            "after": tier_name(row["tier"], lang),
        },
    }
    counts = {"open_complaints": int(row["open_complaints"])}
    return [
        t(plural_key(f"card.signal.{code}", counts.get(code, 0)), lang, **params[code]())
        for code in row["risk_signals"]
        if code in params
    ]


def risk_columns() -> list[Any]:
    """Subheader and the four columns of the risk row (score, P(alive), expected purchases, horizon)."""
    st.subheader(t("card.risk.header"), anchor=False)
    return list(st.columns([1, 1, 1, 1], vertical_alignment="bottom"))


def horizon_input(column: Any) -> int:
    """Weeks ahead for the expected purchases (``?card_horizon=``, default 26 as in FHL 2005's plots)."""
    return int(
        column.number_input(
            t("card.horizon"),
            min_value=1,
            max_value=104,
            value=26,
            step=1,
            key=HORIZON_KEY,
            help=t("card.horizon_help"),
            bind="query-params",
        )
    )


def churn_risk(
    columns: list[Any],
    customer_id: int,
    warning: pd.Series | None,
    model: BgNbdSummary,
    horizon: int,
    rules: WarningRules,
    lang: str,
    currency: str,
) -> None:
    """Risk score with its signals in words, and the BG/NBD P(alive) and expected purchases."""
    as_of = fmt.date(model.calibration_end, lang)
    if warning is None:
        columns[0].metric(t("card.risk.score"), "–", border=True)
    else:
        score = t("card.risk.score_value", score=_number(float(warning["risk_score"])))
        columns[0].metric(t("card.risk.score"), score, help=t("card.risk.score_help"), border=True)
    predicted = None if model.fit is None else customer_card.row_of(model.customers, customer_id)
    columns[1].metric(
        t("card.p_alive"),
        "–" if predicted is None else fmt.percent(float(predicted["p_alive"]), lang),
        help=t("card.p_alive_help", date=as_of),
        border=True,
    )
    columns[2].metric(
        t("card.expected", weeks=horizon),
        "–" if predicted is None else t("card.expected_value", n=f"{float(predicted['expected_purchases']):.1f}"),
        help=t("card.expected_help"),
        border=True,
    )
    if model.fit is None:
        st.caption(t("card.bgnbd_unavailable", reason=t(f"card.bgnbd.{model.reason_code}")))
    elif predicted is None:
        st.caption(t("card.bgnbd_unavailable", reason=t("card.bgnbd.not_in_model")))
    if warning is None:
        st.caption(t("card.risk.not_assessed", date=as_of))
        return
    texts = signal_texts(warning, rules, lang, currency)
    if not texts:
        st.success(t("card.risk.none"), icon=":material/check_circle:")
        return
    lines = "\n".join(f"- {fmt.escape_markdown(text)}" for text in texts)
    st.warning(f"{t('card.risk.signals')}\n{lines}", icon=":material/warning:")


# --------------------------------------------------------------------------------------------
# Tabs: trend, products, surveys, complaints
# --------------------------------------------------------------------------------------------


def trend(
    monthly: pd.DataFrame,
    change: customer_card.PeriodRevenue | None,
    as_of: dt.date,
    lang: str,
    currency: str,
) -> None:
    """Monthly revenue bars with a profit line (orders when there is no profit), and its table."""
    if monthly.empty:
        st.info(t("card.trend.empty"))
        return
    revenue = monthly["revenue"].to_numpy(dtype=np.float64)
    profit = monthly["profit"].to_numpy(dtype=np.float64, na_value=np.nan)
    orders = monthly["orders"].to_numpy(dtype=np.float64)
    has_profit = bool(monthly["profit"].notna().any())
    divisor, unit = fmt.money_scale(float(np.nanmax(np.abs(revenue))), lang, currency)
    fig = charts.bar_line(
        monthly["month"].to_numpy(dtype="datetime64[ns]"),
        revenue / divisor,
        profit / divisor if has_profit else orders,
        bar_name=t("chart.revenue"),
        line_name=t("chart.profit") if has_profit else t("card.trend.orders"),
        bar_hover=np.array([_money(v, lang, currency) for v in revenue], dtype=object),
        line_hover=np.array(
            [_money(v, lang, currency) for v in profit] if has_profit else [fmt.integer(v) for v in orders],
            dtype=object,
        ),
        line_on_secondary_axis=not has_profit,
    )
    current = _money(change.current if change else None, lang, currency)
    growth = change.change if change else None
    title = (
        t("card.trend.title_new", revenue=current)
        if growth is None
        else t("card.trend.title_change", revenue=current, change=fmt.percent(growth, lang, signed=True))
    )
    charts.show(
        charts.style(
            fig,
            title=title,
            x_title=t("chart.month_axis"),
            y_title=t("chart.money_axis", unit=unit),
            y2_title=None if has_profit else t("card.trend.orders_axis"),
            x_tickformat=fmt.plotly_month_format(lang),
        ),
        key="card_trend",
    )
    st.caption(t("card.trend.caption", end=fmt.date(as_of, lang)))
    _table(
        monthly.drop(columns="month_index"),
        key="card_trend_table",
        file_name="customer_monthly",
        column_config={
            "month": st.column_config.DateColumn(format="YYYY-MM"),
            "revenue": _MONEY,
            "profit": _MONEY,
        },
        height=300,
    )


def _products_title(bought: pd.DataFrame, lang: str) -> str:
    """The products chart's finding: the share of the top products, or the single product."""
    if len(bought) == 1:
        return t("card.products.title_single", product=charts.plain_text([bought["product"].iloc[0]])[0])
    shares = bought["revenue_share"].to_numpy(dtype=np.float64, na_value=np.nan)
    if np.isnan(shares).all():
        return t("card.products.title_plain")
    top = min(TITLE_TOP_PRODUCTS, len(bought))
    return t("card.products.title", k=top, share=fmt.percent(float(np.nansum(shares[:top])), lang))


def products(bought: pd.DataFrame, bounds: PeriodBounds, lang: str, currency: str) -> None:
    """Top products as horizontal bars (share of the customer's revenue at the bar end), and the table."""
    if bought.empty:
        st.info(t("card.products.empty"))
        return
    bought = bought.assign(product=bought["product"].fillna(t("card.products.no_name")))
    top = bought.head(PRODUCT_BARS)
    revenue = top["revenue"].to_numpy(dtype=np.float64)
    divisor, unit = fmt.money_scale(float(np.nanmax(np.abs(revenue))), lang, currency)
    names = charts.plain_text(top["product"])
    categories = charts.plain_text(top["category"].fillna("–"))
    shares = top["revenue_share"].to_numpy(dtype=np.float64, na_value=np.nan)
    fig = charts.product_bars(
        names,
        revenue / divisor,
        name=t("chart.revenue"),
        text=np.array([fmt.percent(None if np.isnan(s) else float(s), lang) for s in shares], dtype=object),
        hover=np.array(
            [
                f"{name} · {category}<br>{t('chart.revenue')}: {_money(value, lang, currency)}"
                for name, category, value in zip(names, categories, revenue, strict=True)
            ],
            dtype=object,
        ),
    )
    fig = charts.style(
        fig,
        title=_products_title(bought, lang),
        x_title=t("chart.money_axis", unit=unit),
        y_title=t("card.products.axis_y", n=len(top)),
        height=max(360, 30 * len(top) + 140),
    )
    charts.show(charts.point_hover(fig), key="card_products")
    start, end = _span(bounds, lang)
    st.caption(t("card.products.caption", start=start, end=end))
    _table(
        bought,
        key="card_products_table",
        file_name="customer_products",
        column_config={
            "revenue": _MONEY,
            "revenue_share": _PERCENT,
            "profit": _MONEY,
            "last_purchase": _DAY,
        },
        height=320,
    )


def surveys(history: pd.DataFrame, lang: str) -> None:
    """Overall score over time (on the survey scale, or % of the scale when scales differ) and the table."""
    if history.empty:
        st.info(t("card.surveys.empty"))
        return
    one_scale = history["scale_min"].nunique() == 1 and history["scale_max"].nunique() == 1
    scored = history[history["overall"].notna()]
    if not scored.empty:
        low, high = float(scored["scale_min"].iloc[0]), float(scored["scale_max"].iloc[0])
        scale = f"{_number(low)}–{_number(high)}"
        values = scored["overall"] if one_scale else scored["norm_overall"] * 100.0
        y = values.to_numpy(dtype=np.float64)
        latest, mean = float(y[-1]), float(np.mean(y))
        if one_scale:
            title = (
                t("card.surveys.title_one", score=_number(latest), scale=scale)
                if len(y) == 1
                else t("card.surveys.title", score=_number(latest), scale=scale, mean=f"{mean:.1f}", n=len(y))
            )
            y_title, y_range = t("card.surveys.axis_y", scale=scale), (low - 0.3, high + 0.3)
            hover = [_number(v) for v in y]
        else:
            title = t("card.surveys.title_norm", score=f"{latest:.0f}%", mean=f"{mean:.0f}%", n=len(y))
            y_title, y_range = t("card.surveys.axis_y_norm"), (-5.0, 105.0)
            hover = [f"{v:.0f}%" for v in y]
        fig = charts.score_trend(
            scored["survey_date"].to_numpy(dtype="datetime64[ns]"),
            y,
            name=t("card.surveys.overall"),
            hover=np.array(hover, dtype=object),
            y_range=y_range,
        )
        charts.show(
            charts.style(
                fig,
                title=title,
                x_title=t("card.surveys.axis_x"),
                y_title=y_title,
                x_tickformat=fmt.plotly_month_format(lang),
                height=360,
            ),
            key="card_surveys",
        )
    hidden = ["response_id", "norm_overall"] + (["scale_min", "scale_max"] if one_scale else [])
    _table(
        history.drop(columns=hidden).iloc[::-1],
        key="card_surveys_table",
        file_name="customer_surveys",
        column_config={"survey_date": _DAY},
    )


def complaints(log: pd.DataFrame, lang: str) -> None:
    """Count, open count and median time to resolve, and the complaint table (newest first)."""
    if log.empty:
        st.info(t("card.complaints.empty"))
        return
    days = log["days_to_resolve"].dropna()
    median = "–" if days.empty else _number(float(days.median()))
    st.markdown(
        t(
            "card.complaints.summary",
            n=fmt.integer(len(log)),
            open=fmt.integer(int(log["is_open"].sum())),
            median=median,
        )
    )
    _table(
        log,
        key="card_complaints_table",
        file_name="customer_complaints",
        column_config={"opened_date": _DAY, "resolved_date": _DAY, "is_open": st.column_config.CheckboxColumn()},
    )
