"""Render helpers of the Churn page (pages/churn.py): settings widgets, signal words, sections.

The page reads state and calls analytics; everything here only turns those results into
widgets, words, charts and tables (plus :func:`model_check`, the cached holdout check that
reports a failed fit as a reason code instead of raising).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd
import streamlit as st

from analytics import bgnbd, churn
from analytics.filters import Filters
from ui import charts, tables
from ui import format as fmt
from ui.i18n import has, t

TAB_KEY = "churn_tab"
TAB_CODES: tuple[str, ...] = ("trend", "profile", "cohorts", "at_risk", "model_check", "what_if")
#: The default holdout is half the history, at most this many weeks (FHL 2005: 39 of 78 weeks).
MAX_DEFAULT_HOLDOUT_WEEKS = 52
_RULE_PREFIX = "churn_rule_"
# WarningRules thresholds drawn as inputs: field -> (unit, min, max, step); "percent" fields are
# shares shown as whole percents. overdue_k / overdue_floor_days are shared settings (see page).
_RULE_THRESHOLDS: dict[str, tuple[str, int, int, int]] = {
    "recent_days": ("days", 7, 365, 1),
    "min_previous_orders": ("count", 1, 50, 1),
    "freq_drop": ("percent", 5, 100, 5),
    "value_drop": ("percent", 5, 100, 5),
    "open_complaints_min": ("count", 1, 20, 1),
    "low_score_share": ("percent", 0, 100, 5),
    "falling_min_drop": ("percent", 0, 100, 5),
}
_RULE_DEFAULTS = churn.WarningRules()


def _number(value: float) -> str:
    """A short plain number for sentences: 2, 2.5, 21.5, 4.414."""
    return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"


def _points(share_change: float) -> str:
    return t("churn.points", value=f"{share_change * 100:+.1f}")


def _table(
    df: pd.DataFrame,
    *,
    key: str,
    file_name: str,
    labels: Mapping[str, str] | None = None,
    column_config: Mapping[str, Any] | None = None,
    height: int | None = None,
) -> None:
    """:func:`ui.tables.show` with this page's column labels (``churn.col.<name>``; ``labels`` win)."""
    names = {c: t(f"churn.col.{c}") for c in df.columns if has(f"churn.col.{c}")}
    tables.show(
        df, key=key, file_name=file_name, labels=names | dict(labels or {}), column_config=column_config, height=height
    )


# --------------------------------------------------------------------------------------------
# Frame: windows, headline metrics
# --------------------------------------------------------------------------------------------


def window_caption(summary: churn.ChurnSummary, lang: str) -> None:
    """Caption naming the as-of date and the two windows compared."""
    windows = summary.windows
    assert windows is not None
    st.caption(
        t(
            "churn.windows",
            as_of=fmt.date(windows.as_of, lang),
            current=f"{fmt.date(windows.current.start, lang)} – {fmt.date(windows.current.end, lang)}",
            previous=f"{fmt.date(windows.previous.start, lang)} – {fmt.date(windows.previous.end, lang)}",
        )
    )


def summary_metrics(summary: churn.ChurnSummary, lang: str, currency: str) -> None:
    """Active at start, lost, churn rate, revenue churn and NRR, each with its formula as help."""
    windows = summary.windows
    assert windows is not None
    previous = f"{fmt.date(windows.previous.start, lang)} – {fmt.date(windows.previous.end, lang)}"
    current = f"{fmt.date(windows.current.start, lang)} – {fmt.date(windows.current.end, lang)}"
    money = {
        "lost_revenue": fmt.money(summary.lost_prior_revenue, lang, currency),
        "prior": fmt.money(summary.prior_revenue, lang, currency),
        "now": fmt.money(summary.cohort_current_revenue, lang, currency),
    }
    cols = st.columns(5)
    cols[0].metric(
        t("churn.active"),
        fmt.integer(summary.active_at_start),
        help=t("churn.active_help", previous=previous),
        border=True,
    )
    cols[1].metric(t("churn.lost"), fmt.integer(summary.lost), help=t("churn.lost_help", current=current), border=True)
    cols[2].metric(
        t("churn.rate"),
        fmt.percent(summary.churn_rate, lang),
        help=t("churn.rate_help", lost=fmt.integer(summary.lost), active=fmt.integer(summary.active_at_start)),
        border=True,
    )
    cols[3].metric(
        t("churn.revenue_churn"),
        fmt.percent(summary.revenue_churn, lang),
        help=t("churn.revenue_churn_help", lost_revenue=money["lost_revenue"], prior=money["prior"]),
        border=True,
    )
    cols[4].metric(
        t("churn.nrr"),
        fmt.percent(summary.net_revenue_retention, lang),
        help=t("churn.nrr_help", now=money["now"], prior=money["prior"]),
        border=True,
    )


# --------------------------------------------------------------------------------------------
# Labels of codes from the data
# --------------------------------------------------------------------------------------------


def value_label(dimension: str, value: object, lang: str | None = None) -> str:
    """Display label of a profile value: tier and satisfaction codes translated, names as they are."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return t("churn.value_missing", lang)
    prefix = {"tier": "tier.", "satisfaction": "churn.band."}.get(dimension)
    if prefix and has(f"{prefix}{value}"):
        return t(f"{prefix}{value}", lang)
    return str(value)


def _labels(dimension: str, values: pd.Series) -> list[str]:
    return [value_label(dimension, v) for v in values.astype("object").tolist()]


# --------------------------------------------------------------------------------------------
# Trend
# --------------------------------------------------------------------------------------------


def trend_section(over_time: pd.DataFrame, window: int, lang: str) -> None:
    """Churn rate at each month end (line) with a title stating the latest rate and its change."""
    observed = over_time[over_time["churn_rate"].notna()]
    if observed.empty:
        st.info(t("churn.trend_empty"))
        return
    months = observed["as_of"].dt.date.tolist()
    rates = observed["churn_rate"].to_numpy(dtype=float)
    latest, first = float(rates[-1]), float(rates[0])
    title_key = "churn.trend_title" if len(rates) > 1 else "churn.trend_title_one"
    title = t(
        title_key,
        month=fmt.month(months[-1], lang),
        rate=fmt.percent(latest, lang),
        window=window,
        change=_points(latest - first),
        first=fmt.month(months[0], lang),
    )
    hover = np.array(
        [
            t("churn.trend_hover", rate=fmt.percent(r, lang), lost=fmt.integer(lost), active=fmt.integer(active))
            for r, lost, active in zip(rates, observed["lost"], observed["active_at_start"], strict=True)
        ],
        dtype=object,
    )
    fig = charts.share_line(
        observed["as_of"].to_numpy(dtype="datetime64[ns]"), rates, name=t("churn.rate"), hover=hover
    )
    charts.show(
        charts.style(
            fig,
            title=title,
            x_title=t("churn.month_end_axis"),
            y_title=t("churn.rate_axis"),
            x_tickformat=fmt.plotly_month_format(lang),
        ),
        key="churn_trend_chart",
    )
    _table(
        over_time.drop(columns="month_index"),
        key="churn_trend_table",
        file_name="churn_rate_by_month",
        column_config={
            "as_of": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "churn_rate": st.column_config.NumberColumn(format="percent"),
        },
    )


# --------------------------------------------------------------------------------------------
# Lost-customer profile
# --------------------------------------------------------------------------------------------


def profile_section(profile: pd.DataFrame, dimension: str, overall: float | None, lang: str, currency: str) -> None:
    """Churn rate per value of one dimension (bars, overall rate as a line) and the table."""
    rows = profile[(profile["dimension"] == dimension).to_numpy()].reset_index(drop=True)
    if rows.empty:
        st.info(t("churn.profile_empty"))
        return
    names = _labels(dimension, rows["value"])
    lost = rows["lost"].to_numpy(dtype=np.int64)
    active = rows["active_at_start"].to_numpy(dtype=np.int64)
    rates = rows["churn_rate"].to_numpy(dtype=float)
    top = int(np.argmax(lost))
    title = t(
        "churn.profile_title",
        dimension=t(f"churn.dim.{dimension}"),
        value=names[top],
        lost=fmt.integer(lost[top]),
        rate=fmt.percent(rates[top], lang),
    )
    text = np.array(
        [f"{fmt.percent(r, lang)} ({n:,}/{a:,})" for r, n, a in zip(rates, lost, active, strict=True)], dtype=object
    )
    safe_names = charts.plain_text(names)
    hover = np.array(
        [
            t(
                "churn.profile_hover",
                value=name,
                rate=fmt.percent(r, lang),
                lost=fmt.integer(n),
                active=fmt.integer(a),
                revenue=fmt.money(rev, lang, currency),
                revenue_churn=fmt.percent(rc, lang),
            )
            for name, r, n, a, rev, rc in zip(
                safe_names, rates, lost, active, rows["lost_prior_revenue"], rows["revenue_churn"], strict=True
            )
        ],
        dtype=object,
    )
    fig = charts.share_bars(
        safe_names,
        rates,
        name=t("churn.rate"),
        text=text,
        hover=hover,
        reference=overall,
        reference_name=t("churn.overall_rate", rate=fmt.percent(overall, lang)),
    )
    styled = charts.style(
        fig,
        title=title,
        x_title=t("churn.rate_axis"),
        y_title=t(f"churn.dim.{dimension}"),
        height=max(320, 110 + 34 * len(rows)),
    )
    charts.show(charts.point_hover(styled), key="churn_profile_chart")
    table = rows.drop(columns="dimension").assign(value=names)
    _table(
        table,
        key="churn_profile_table",
        file_name=f"lost_customers_by_{dimension}",
        labels={"value": t(f"churn.dim.{dimension}")},
        column_config={
            "churn_rate": st.column_config.NumberColumn(format="percent"),
            "revenue_churn": st.column_config.NumberColumn(format="percent"),
            "prior_revenue": st.column_config.NumberColumn(format="accounting"),
            "lost_prior_revenue": st.column_config.NumberColumn(format="accounting"),
        },
    )


def lost_table(lost: pd.DataFrame) -> None:
    """The lost customers themselves, largest previous-window revenue first."""
    columns = ["customer_name", "region", "sales_rep", "tier", "main_category", "prior_revenue", "prior_orders"]
    view = lost[[*columns, "last_purchase", "days_since_last", "latest_score", "satisfaction_band"]].copy()
    view["tier"] = _labels("tier", view["tier"])
    view["satisfaction_band"] = _labels("satisfaction", view["satisfaction_band"])
    _table(
        view,
        key="churn_lost_table",
        file_name="lost_customers",
        column_config={
            "prior_revenue": st.column_config.NumberColumn(format="accounting"),
            "last_purchase": st.column_config.DateColumn(format="YYYY-MM-DD"),
        },
    )


# --------------------------------------------------------------------------------------------
# Cohorts
# --------------------------------------------------------------------------------------------


def average_retention(shares: npt.NDArray[np.float64], sizes: npt.NDArray[np.float64], month: int) -> float | None:
    """Customer-weighted share of the cohorts still buying in ``month`` (cohorts observed then only).

    Σ share × size / Σ size over the cohorts whose month ``month`` is observed (not NaN).
    """
    column = shares[:, month]
    seen = ~np.isnan(column)
    total = float(sizes[seen].sum())
    return float((column[seen] * sizes[seen]).sum()) / total if total > 0 else None


def cohort_section(result: churn.CohortRetention, cohorts_shown: int, lang: str) -> None:
    """Heatmap of the latest cohorts (cohort month on y, months since acquisition on x) and its table."""
    matrix = result.matrix.tail(cohorts_shown)
    if matrix.empty:
        st.info(t("churn.cohort_empty"))
        return
    sizes = result.sizes.reindex(matrix.index).to_numpy(dtype=float)
    shares = matrix.to_numpy(dtype=float)
    months = [int(c) for c in matrix.columns]
    cohort_names = [fmt.month(d.date(), lang) for d in matrix.index]
    row_labels = np.array(
        [t("churn.cohort_label", cohort=c, n=fmt.integer(s)) for c, s in zip(cohort_names, sizes, strict=True)],
        dtype=object,
    )
    hover = np.empty(shares.shape, dtype=object)
    for i, (cohort, size) in enumerate(zip(cohort_names, sizes, strict=True)):
        for j, month in enumerate(months):
            share = shares[i, j]
            hover[i, j] = (
                t("churn.cohort_unseen", cohort=cohort, month=month)
                if np.isnan(share)
                else t(
                    "churn.cohort_hover",
                    cohort=cohort,
                    size=fmt.integer(size),
                    month=month,
                    share=fmt.percent(share, lang),
                    n=fmt.integer(share * size),
                )
            )
    last = months[-1]
    first_month = average_retention(shares, sizes, 1) if last >= 1 else None
    last_month = average_retention(shares, sizes, last)
    title = (
        t(
            "churn.cohort_title",
            first=fmt.percent(first_month, lang),
            month=last,
            last=fmt.percent(last_month, lang),
        )
        if first_month is not None and last_month is not None
        else t("churn.cohort_title_short", n=len(matrix))
    )
    fig = charts.share_heatmap(row_labels, np.array([str(m) for m in months], dtype=object), shares, hover=hover)
    styled = charts.style(
        fig,
        title=title,
        x_title=t("churn.months_since_axis"),
        y_title=t("churn.cohort_axis"),
        height=max(360, 140 + 26 * len(matrix)),
    )
    charts.show(charts.point_hover(styled), key="churn_cohort_chart")
    st.caption(t("churn.cohort_note"))
    table = pd.DataFrame({"cohort": matrix.index.date, "cohort_size": sizes.astype(np.int64)})
    month_labels = {f"m{m}": t("churn.month_n", n=m) for m in months}
    for m, column in zip(months, shares.T, strict=True):
        table[f"m{m}"] = column
    _table(
        table,
        key="churn_cohort_table",
        file_name="cohort_retention",
        labels=month_labels,
        column_config={
            "cohort": st.column_config.DateColumn(format="YYYY-MM"),
            **{key: st.column_config.NumberColumn(format="percent") for key in month_labels},
        },
    )


# --------------------------------------------------------------------------------------------
# At-risk list: rules, signal words, table
# --------------------------------------------------------------------------------------------


def _rule_default(field: str, unit: str) -> int | float:
    value = getattr(_RULE_DEFAULTS, field)
    return round(value * 100) if unit == "percent" else value


def warning_rules(overdue_k: float, overdue_floor: int) -> churn.WarningRules:
    """Expander with every threshold and weight of the early warning as inputs; returns the rules.

    Each input is keyed ``churn_rule_<field>`` and bound to the URL; a rule list above the
    inputs states the signals with the values in force. Invalid combinations (all weights 0)
    fall back to the default weights with a warning.
    """
    with st.expander(t("churn.rules"), icon=":material/tune:", key="churn_rules", bind="query-params"):
        described = st.container()
        left, right = st.columns(2)
        thresholds: dict[str, int | float] = {}
        left.markdown(f"**{t('churn.rules_thresholds')}**")
        for field, (unit, low, high, step) in _RULE_THRESHOLDS.items():
            entered = left.number_input(
                t(f"churn.rule.{field}"),
                min_value=low,
                max_value=high,
                value=_rule_default(field, unit),
                step=step,
                key=f"{_RULE_PREFIX}{field}",
                bind="query-params",
            )
            thresholds[field] = entered / 100.0 if unit == "percent" else int(entered)
        right.markdown(f"**{t('churn.rules_weights')}**")
        weights: dict[str, float] = {}
        for code in churn.SIGNALS:
            field = f"weight_{code}"
            weights[field] = float(
                right.number_input(
                    t(f"churn.signal.{code}"),
                    min_value=0.0,
                    max_value=100.0,
                    value=float(getattr(_RULE_DEFAULTS, field)),
                    step=5.0,
                    format="%.0f",
                    key=f"{_RULE_PREFIX}{field}",
                    bind="query-params",
                )
            )
        shared = {"overdue_k": overdue_k, "overdue_floor_days": overdue_floor}
        try:
            rules = churn.WarningRules(**thresholds, **weights, **shared)  # type: ignore[arg-type]
        except ValueError:  # every weight 0: the score would be 0/0
            st.warning(t("churn.rules_invalid"))
            rules = churn.WarningRules(**thresholds, **shared)  # type: ignore[arg-type]
        described.markdown("\n".join(f"- {line}" for line in rule_lines(rules)))
    return rules


def rule_lines(rules: churn.WarningRules) -> list[str]:
    """One sentence per signal with the thresholds and weight in force, and the score formula."""
    weights = rules.weights
    params: Mapping[str, Mapping[str, object]] = {
        "freq_falling": {"days": rules.recent_days, "share": fmt.percent(1 - rules.freq_drop, digits=0),
                         "min": rules.min_previous_orders},
        "value_falling": {"days": rules.recent_days, "share": fmt.percent(1 - rules.value_drop, digits=0)},
        "overdue": {"k": _number(rules.overdue_k), "floor": rules.overdue_floor_days},
        "open_complaints": {"n": rules.open_complaints_min},
        "low_satisfaction": {"share": fmt.percent(rules.low_score_share, digits=0),
                             "example": _number(1 + 4 * rules.low_score_share)},
        "falling_satisfaction": {"drop": fmt.percent(rules.falling_min_drop, digits=0)},
        "tier_downgrade": {},
    }  # fmt: skip
    lines = [
        t("churn.rule_line", signal=t(f"churn.signal.{code}"), rule=t(f"churn.rule_text.{code}", None, **params[code]),
          weight=_number(weights[code]))
        for code in churn.SIGNALS
    ]  # fmt: skip
    return [*lines, t("churn.score_formula")]


def _signal_words(code: str, row: Mapping[str, Any], rules: churn.WarningRules, lang: str, currency: str) -> str:
    """One fired signal of one customer in words, from its numeric columns."""
    if code == "freq_falling":
        params: dict[str, object] = {
            "before": fmt.integer(row["orders_before"]),
            "recent": fmt.integer(row["orders_recent"]),
            "change": fmt.percent(row["freq_change"], lang, signed=True, digits=0),
        }
    elif code == "value_falling":
        params = {
            "before": fmt.money(row["aov_before"], lang, currency),
            "recent": fmt.money(row["aov_recent"], lang, currency),
            "change": fmt.percent(row["value_change"], lang, signed=True, digits=0),
        }
    elif code == "overdue":
        params = {
            "days": fmt.integer(row["days_since_last"]),
            "gap": _number(float(row["median_gap_days"])),
            "k": _number(rules.overdue_k),
        }
    elif code == "open_complaints":
        params = {"n": fmt.integer(row["open_complaints"])}
    elif code == "low_satisfaction":
        params = {
            "score": _number(float(row["latest_score"])),
            "low": _number(float(row["scale_min"])),
            "high": _number(float(row["scale_max"])),
        }
    elif code == "falling_satisfaction":
        params = {"before": _number(float(row["previous_score"])), "after": _number(float(row["latest_score"]))}
    else:
        params = {
            "before": value_label("tier", row["previous_tier"], lang),
            "after": value_label("tier", row["tier"], lang),
        }
    return t(f"churn.signal_text.{code}", lang, **params)


def signal_words(warning: pd.DataFrame, rules: churn.WarningRules, lang: str, currency: str) -> list[str]:
    """The fired signals of every customer in words, joined ("订单数 4→1（-75%）；已 61 天未购…")."""
    separator = t("churn.signal_separator", lang)
    return [
        separator.join(_signal_words(code, row, rules, lang, currency) for code in row["risk_signals"])
        for row in warning.to_dict("records")
    ]


def at_risk_table(
    warning: pd.DataFrame,
    predictions: pd.DataFrame,
    rules: churn.WarningRules,
    min_score: float,
    lang: str,
    currency: str,
) -> pd.DataFrame:
    """Customers with risk score ≥ ``min_score``: signals in words beside BG/NBD P(alive) and E[purchases]."""
    shown = warning[(warning["risk_score"] >= min_score - 1e-9).to_numpy()]
    model = predictions[["customer_id", "p_alive", "expected_purchases"]]
    shown = shown.merge(model, on="customer_id", how="left")
    return pd.DataFrame(
        {
            "customer_name": shown["customer_name"],
            "risk_score": shown["risk_score"].to_numpy(dtype=float),
            "p_alive": shown["p_alive"].to_numpy(dtype=float),
            "expected_purchases": shown["expected_purchases"].to_numpy(dtype=float),
            "signals": signal_words(shown, rules, lang, currency),
            "days_since_last": shown["days_since_last"],
            "median_gap_days": shown["median_gap_days"],
            "revenue_12m": shown["revenue_12m"],
            "tier": _labels("tier", shown["tier"]),
            "region": shown["region"],
            "sales_rep": shown["sales_rep"],
            "last_purchase": shown["last_purchase"],
        }
    )


def show_at_risk(table: pd.DataFrame, horizon_weeks: int) -> None:
    """The at-risk table: sortable, with progress bars for the score and P(alive), and downloads."""
    _table(
        table,
        key="churn_at_risk_table",
        file_name="churn_early_warning",
        labels={"expected_purchases": t("churn.expected_col", n=horizon_weeks)},
        height=560,
        column_config={
            "customer_name": st.column_config.TextColumn(pinned=True),
            "risk_score": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f"),
            "signals": st.column_config.TextColumn(width="large"),
            "p_alive": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent"),
            "expected_purchases": st.column_config.NumberColumn(format="%.1f"),
            "median_gap_days": st.column_config.NumberColumn(format="%.1f"),
            "revenue_12m": st.column_config.NumberColumn(format="accounting"),
            "last_purchase": st.column_config.DateColumn(format="YYYY-MM-DD"),
        },
    )


# --------------------------------------------------------------------------------------------
# Model check
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, eq=False)
class ModelCheck:
    """A holdout check, or the reason code of :class:`analytics.bgnbd.BgNbdFitError` when the fit failed."""

    check: bgnbd.HoldoutCheck | None
    reason_code: str | None


def model_check(
    con: duckdb.DuckDBPyConnection, filters: Filters, calibration_end: dt.date, holdout_end: dt.date
) -> ModelCheck:
    """:func:`analytics.bgnbd.holdout_check` with a failed fit returned, not raised (so it is cached too)."""
    try:
        return ModelCheck(bgnbd.holdout_check(con, filters, calibration_end, holdout_end), None)
    except bgnbd.BgNbdFitError as error:
        return ModelCheck(None, error.reason_code)


def default_calibration_end(first: dt.date, last: dt.date) -> dt.date:
    """``last`` − holdout, the holdout being half the history in whole weeks (at most 52, at least 1)."""
    weeks = max(1, min(MAX_DEFAULT_HOLDOUT_WEEKS, round((last - first).days / 14)))
    return last - dt.timedelta(weeks=weeks)


def holdout_caption(calibration_end: dt.date, holdout_end: dt.date, lang: str) -> None:
    """Caption naming the calibration and holdout periods."""
    st.caption(
        t(
            "churn.holdout_period",
            calibration_end=fmt.date(calibration_end, lang),
            start=fmt.date(calibration_end + dt.timedelta(days=1), lang),
            end=fmt.date(holdout_end, lang),
            weeks=_number((holdout_end - calibration_end).days / 7),
        )
    )


def fit_metrics(fit: bgnbd.BgNbdFit) -> None:
    """The fitted r, α, a, b and log-likelihood as metrics (help: what each parameter means)."""
    cols = st.columns(5)
    for col, (key, value) in zip(cols, (("r", fit.r), ("alpha", fit.alpha), ("a", fit.a), ("b", fit.b)), strict=False):
        col.metric(t(f"churn.param_{key}"), f"{value:.4g}", help=t(f"churn.param_{key}_help"), border=True)
    cols[4].metric(t("churn.param_loglik"), f"{fit.loglik:,.1f}", help=t("churn.param_loglik_help"), border=True)
    st.caption(
        t(
            "churn.fit_reading",
            rate=_number(fit.r / fit.alpha),
            dropout=fmt.percent(fit.a / (fit.a + fit.b), digits=1),
            customers=fmt.integer(fit.customers),
        )
    )


def frequency_section(check: bgnbd.HoldoutCheck, lang: str) -> None:
    """Actual vs predicted holdout repeat purchases per calibration frequency group (bars + table)."""
    freq = check.by_frequency
    actual = freq["actual_mean"].to_numpy(dtype=float)
    predicted = freq["predicted_mean"].to_numpy(dtype=float)
    customers = freq["customers"].to_numpy(dtype=np.int64)
    total_diff = fmt.change(check.predicted_holdout_total, float(check.actual_holdout_total))
    title = t(
        "churn.check_title",
        weeks=_number(check.holdout_weeks),
        predicted=fmt.integer(check.predicted_holdout_total),
        actual=fmt.integer(check.actual_holdout_total),
        diff=fmt.percent(total_diff, lang, signed=True),
    )
    labels = np.array(freq["frequency"].tolist(), dtype=object)

    def hover(values: npt.NDArray[np.float64]) -> npt.NDArray[np.object_]:
        return np.array(
            [t("churn.check_hover", mean=f"{v:.2f}", n=fmt.integer(c)) for v, c in zip(values, customers, strict=True)],
            dtype=object,
        )

    fig = charts.paired_bars(
        labels,
        actual,
        predicted,
        names=(t("churn.actual"), t("churn.predicted")),
        hovers=(hover(actual), hover(predicted)),
    )
    charts.show(
        charts.style(fig, title=title, x_title=t("churn.frequency_axis"), y_title=t("churn.holdout_mean_axis")),
        key="churn_check_frequency_chart",
    )
    _table(
        freq.assign(difference=predicted - actual),
        key="churn_check_frequency_table",
        file_name="bgnbd_holdout_by_frequency",
        column_config={
            name: st.column_config.NumberColumn(format="%.3f")
            for name in ("actual_mean", "predicted_mean", "difference")
        },
    )


def tracking_section(check: bgnbd.HoldoutCheck, lang: str) -> None:
    """Cumulative actual vs predicted repeat purchases by week, the calibration end marked (lines + table)."""
    cum = check.cumulative
    actual = cum["actual_cumulative"].to_numpy(dtype=float)
    predicted = cum["predicted_cumulative"].to_numpy(dtype=float)
    ends = pd.to_datetime(cum["week_end"]).to_numpy(dtype="datetime64[ns]")
    title = t(
        "churn.tracking_title",
        date=fmt.date(check.holdout_end, lang),
        predicted=fmt.integer(predicted[-1]),
        actual=fmt.integer(actual[-1]),
    )
    fig = charts.paired_lines(
        ends,
        actual,
        predicted,
        names=(t("churn.actual"), t("churn.predicted")),
        hovers=(
            np.array([fmt.integer(v) for v in actual], dtype=object),
            np.array([fmt.integer(v) for v in predicted], dtype=object),
        ),
        mark=pd.Timestamp(check.calibration_end),
        mark_label=t("churn.calibration_end_mark"),
    )
    charts.show(
        charts.style(
            fig,
            title=title,
            x_title=t("churn.week_axis"),
            y_title=t("churn.cumulative_axis"),
            x_tickformat=fmt.plotly_month_format(lang),
        ),
        key="churn_check_tracking_chart",
    )
    _table(
        cum,
        key="churn_check_tracking_table",
        file_name="bgnbd_holdout_tracking",
        column_config={
            "week_end": st.column_config.DateColumn(format="YYYY-MM-DD"),
            **{
                name: st.column_config.NumberColumn(format="%.1f")
                for name in ("actual", "predicted", "actual_cumulative", "predicted_cumulative")
            },
        },
    )


# --------------------------------------------------------------------------------------------
# Retention what-if
# --------------------------------------------------------------------------------------------


def what_if_section(result: churn.RetentionWhatIf, lang: str, currency: str) -> None:
    """Customers and profit kept if churn fell by N points, with every assumption listed."""
    if result.current_churn_rate is None or result.average_value_per_customer is None:
        st.info(t("churn.what_if_empty"))
        return
    basis = t(f"churn.basis.{result.value_basis}")
    cols = st.columns(4)
    cols[0].metric(
        t("churn.what_if_target"),
        fmt.percent(result.target_churn_rate, lang),
        delta=_points((result.target_churn_rate or 0.0) - result.current_churn_rate),
        delta_color="inverse",
        delta_description=t("churn.what_if_from", rate=fmt.percent(result.current_churn_rate, lang)),
        border=True,
    )
    cols[1].metric(
        t("churn.what_if_customers"),
        f"{result.customers_retained:,.1f}",
        help=t(
            "churn.what_if_customers_help",
            active=fmt.integer(result.active_customers),
            points=_number(result.churn_reduction_points),
        ),
        border=True,
    )
    cols[2].metric(
        t("churn.what_if_value", basis=basis),
        fmt.money(result.value_kept, lang, currency),
        help=t(
            "churn.what_if_value_help",
            basis=basis,
            average=fmt.money(result.average_value_per_customer, lang, currency),
        ),
        border=True,
    )
    cols[3].metric(
        t("churn.what_if_share", basis=basis),
        fmt.percent(result.value_kept_share, lang, signed=True),
        help=t("churn.what_if_share_help", basis=basis, baseline=fmt.money(result.baseline_value, lang, currency)),
        border=True,
    )
    st.markdown(
        t(
            "churn.what_if_compare",
            points=_number(result.churn_reduction_points),
            basis=basis,
            share=fmt.percent(result.value_kept_share, lang, signed=True),
        )
    )
    st.markdown(f"**{t('churn.assumptions')}**")
    params = {
        "basis": basis,
        "average": fmt.money(result.average_value_per_customer, lang, currency),
        "window": result.window_months,
        "as_of": fmt.date(result.as_of, lang),
    }
    lines = [t("churn.assumption.basis", lang, **params), t("churn.assumption.window", lang, **params)]
    lines += [t(f"churn.assumption.{code}", lang, **params) for code in result.assumptions]
    st.markdown("\n".join(f"- {line}" for line in lines))
    st.caption(t("churn.what_if_source"))
