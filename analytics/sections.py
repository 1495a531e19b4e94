"""Churn, satisfaction and complaint sections of ``summary --json``, and the churn columns of ``customers``.

Thin glue over :mod:`analytics.churn`, :mod:`analytics.bgnbd` (through
:func:`analytics.churn.bgnbd_summary`) and :mod:`analytics.satisfaction`: this module only
chooses the as-of date, picks the figures and shapes them as JSON-ready values (None for a
missing number, never NaN). The formulas, grains and sources are in those modules.

As-of date
    The as-of date of the key-account period (:func:`analytics.key_accounts.period_facts`):
    ``--to`` when given, else the latest transaction date under the filters. It ends the
    current churn window, is the inactivity reference day and the BG/NBD calibration end.

Populations
    Churn counts are history-wide (:mod:`analytics.churn`: region and other list filters apply,
    the date range only through the as-of date). ``overdue_customers`` and the per-customer
    columns cover the customers of the key-account period (the rows of ``customers``: the
    trailing 12 months up to the as-of date, or ``--from`` … ``--to``). Surveys and complaints
    follow the :mod:`analytics.satisfaction` rules (date range on survey / opened date).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics import churn, key_accounts, satisfaction
from analytics.filters import Filters

_RULES = churn.WarningRules()
#: Default of ``--horizon-weeks``: expected purchases over the next half year.
DEFAULT_HORIZON_WEEKS = 26.0
#: Columns :func:`customer_table` adds to :data:`analytics.key_accounts.CUSTOMER_COLUMNS`, in order.
CHURN_COLUMNS: tuple[str, ...] = ("p_alive", "expected_purchases_next_period", "overdue", "risk_score", "risk_signals")
#: Separator of the signal codes in ``risk_signals``.
SIGNAL_SEPARATOR = ";"
#: ``complaints.by_category`` key of complaints without a category.
NO_CATEGORY = ""


@dataclass(frozen=True)
class ChurnSettings:
    """User settings of the churn figures (CLI options; defaults from :mod:`analytics.churn`).

    ``window_months``: churn window (1–24, default 12); ``overdue_k`` / ``overdue_floor_days``:
    overdue when days since the last purchase > k × the customer's median gap and > the floor
    (default 2 and 30 days); ``horizon_weeks``: the "next period" of the expected purchases.
    """

    window_months: int = churn.DEFAULT_WINDOW_MONTHS
    overdue_k: float = _RULES.overdue_k
    overdue_floor_days: int = _RULES.overdue_floor_days
    horizon_weeks: float = DEFAULT_HORIZON_WEEKS

    def __post_init__(self) -> None:
        if not churn.MIN_WINDOW_MONTHS <= self.window_months <= churn.MAX_WINDOW_MONTHS:
            raise ValueError(
                f"the churn window must be {churn.MIN_WINDOW_MONTHS}–{churn.MAX_WINDOW_MONTHS} months, "
                f"got {self.window_months}"
            )
        if self.overdue_k <= 0 or self.overdue_floor_days < 0 or self.horizon_weeks < 0:
            raise ValueError("overdue k must be positive; the overdue floor and the horizon non-negative")

    @property
    def rules(self) -> churn.WarningRules:
        """Early-warning rules with this overdue rule (every other rule at its default)."""
        return replace(_RULES, overdue_k=self.overdue_k, overdue_floor_days=self.overdue_floor_days)


def _number(value: float | None) -> float | None:
    """A finite float, or None for missing / NaN / infinite values."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _period_ids(data: key_accounts.PeriodFacts) -> pd.Series:
    """customer_id of every customer of the key-account period."""
    return data.facts["customer_id"].astype("int64")


def _as_of(data: key_accounts.PeriodFacts) -> dt.date | None:
    return data.bounds.as_of if data.bounds is not None else None


def _overdue(
    con: duckdb.DuckDBPyConnection, filters: Filters, as_of: dt.date | None, settings: ChurnSettings
) -> pd.Series:
    """Overdue flag per customer_id (customers with a purchase on or before the as-of date)."""
    rhythm = churn.inactivity(con, filters, as_of, k=settings.overdue_k, floor_days=settings.overdue_floor_days)
    return pd.Series(rhythm["overdue"].to_numpy(dtype=bool), index=rhythm["customer_id"].astype("int64"))


def churn_section(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    data: key_accounts.PeriodFacts,
    settings: ChurnSettings | None = None,
) -> dict[str, Any]:
    """The ``churn`` section: rule-based churn of one window pair, overdue count and the BG/NBD fit.

    * ``as_of``, ``window_months``, ``active_at_start``, ``lost``, ``churn_rate`` = lost /
      active_at_start, ``revenue_churn`` = prior revenue of the lost / prior revenue of the
      active at start, ``net_revenue_retention`` = their current revenue / prior revenue
      (:func:`analytics.churn.churn_summary`; ratios None when the denominator is 0);
    * ``overdue_customers``: customers of the key-account period that are overdue at the as-of
      date (:func:`analytics.churn.inactivity`);
    * ``bgnbd``: ``r``, ``alpha``, ``a``, ``b``, ``loglik``, ``time_unit`` ("weeks"),
      ``customers`` of the maximum-likelihood fit at the as-of date (FHL 2005); None when the
      data cannot support a fit, and then ``bgnbd_error`` (plain English) and ``bgnbd_error_code``
      (:data:`analytics.bgnbd.REASON_CODES`) say why.
    """
    settings = settings or ChurnSettings()
    as_of = _as_of(data)
    rates = churn.churn_summary(con, filters, as_of, settings.window_months)
    overdue = _overdue(con, filters, as_of, settings)
    overdue_count = int(overdue.reindex(_period_ids(data), fill_value=False).sum())
    model = churn.bgnbd_summary(con, filters, as_of, settings.horizon_weeks)
    fit = model.fit
    return {
        "as_of": as_of,
        "window_months": settings.window_months,
        "active_at_start": rates.active_at_start,
        "lost": rates.lost,
        "churn_rate": rates.churn_rate,
        "revenue_churn": rates.revenue_churn,
        "net_revenue_retention": rates.net_revenue_retention,
        "overdue_customers": overdue_count,
        "bgnbd": None
        if fit is None
        else {
            "r": fit.r,
            "alpha": fit.alpha,
            "a": fit.a,
            "b": fit.b,
            "loglik": fit.loglik,
            "time_unit": "weeks",
            "customers": fit.customers,
        },
        "bgnbd_error": model.reason,
        "bgnbd_error_code": model.reason_code,
    }


def satisfaction_section(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, Any] | None:
    """The ``satisfaction`` section (None when no survey response matches the filters).

    ``responses`` (with an overall score), ``scale_min`` / ``scale_max`` (None when scales are
    mixed), ``mean`` (on that scale; None when mixed), ``mean_normalised`` (0–1), ``top2_share``
    (:func:`analytics.satisfaction.csat`), ``nps`` (points −100…100,
    :func:`analytics.satisfaction.nps`; None without recommend scores), ``drivers``: per
    dimension ``dimension``, ``mean``, ``mean_normalised`` (performance) and ``importance``
    (Spearman ρ with overall; :func:`analytics.satisfaction.drivers`).
    """
    scores = satisfaction.csat(con, filters)
    promoters = satisfaction.nps(con, filters)
    if scores.responses == 0 and promoters is None:
        return None
    table = satisfaction.drivers(con, filters).table
    return {
        "responses": scores.responses,
        "scale_min": scores.scale_min,
        "scale_max": scores.scale_max,
        "mean": scores.mean,
        "mean_normalised": scores.mean_normalised,
        "top2_share": scores.top2_share,
        "nps": promoters.nps if promoters is not None else None,
        "drivers": [
            {
                "dimension": row.dimension,
                "mean": _number(row.mean),
                "mean_normalised": _number(row.mean_normalised),
                "importance": _number(row.importance),
            }
            for row in table.itertuples()
        ],
    }


def complaints_section(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, Any] | None:
    """The ``complaints`` section (None when no complaint matches the filters).

    ``total``, ``open`` (open at ``--to``, else now), ``median_days_to_resolve`` (of those
    resolved by then; None when none is) and ``by_category``: complaints per category in Pareto
    order, most frequent first (complaints without a category under the key ``""``);
    :func:`analytics.satisfaction.complaints_summary`.
    """
    log = satisfaction.complaints_summary(con, filters)
    if log.total == 0:
        return None
    return {
        "total": log.total,
        "open": log.open,
        "median_days_to_resolve": log.median_days_to_resolve,
        "by_category": {
            NO_CATEGORY if row.category is None else str(row.category): int(row.complaints)
            for row in log.by_category.itertuples()
        },
    }


def summary_sections(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    data: key_accounts.PeriodFacts,
    settings: ChurnSettings | None = None,
) -> dict[str, Any]:
    """The ``churn``, ``satisfaction`` and ``complaints`` sections of ``summary --json``."""
    return {
        "churn": churn_section(con, filters, data, settings),
        "satisfaction": satisfaction_section(con, filters),
        "complaints": complaints_section(con, filters),
    }


def churn_columns(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    data: key_accounts.PeriodFacts,
    settings: ChurnSettings | None = None,
) -> pd.DataFrame:
    """Per customer of the key-account period: ``customer_id`` and :data:`CHURN_COLUMNS`.

    * ``p_alive`` / ``expected_purchases_next_period``: BG/NBD P(alive) and expected repeat
      purchase days in the next ``horizon_weeks`` weeks, fitted at the as-of date
      (:func:`analytics.churn.bgnbd_summary`); NaN when there is no fit or the customer never
      made a purchase;
    * ``overdue``: :func:`analytics.churn.inactivity` at the as-of date (False without a rhythm);
    * ``risk_score`` (0–100) and ``risk_signals`` (signal codes of :data:`analytics.churn.SIGNALS`
      joined by ``;``, "" when none fired) from :func:`analytics.churn.early_warning` with the
      same overdue rule; NaN / None for customers outside its population (no line in the
      24 months up to the as-of date).

    Same order as ``data.facts``. Grain: customer.
    """
    settings = settings or ChurnSettings()
    ids = _period_ids(data)
    as_of = _as_of(data)
    model = churn.bgnbd_summary(con, filters, as_of, settings.horizon_weeks).customers.set_index("customer_id")
    warning = churn.early_warning(con, filters, as_of, settings.rules).set_index("customer_id")
    signals = warning["risk_signals"].map(SIGNAL_SEPARATOR.join)
    return pd.DataFrame(
        {
            "customer_id": ids.to_numpy(),
            "p_alive": model["p_alive"].reindex(ids).to_numpy(dtype=np.float64),
            "expected_purchases_next_period": model["expected_purchases"].reindex(ids).to_numpy(dtype=np.float64),
            "overdue": _overdue(con, filters, as_of, settings).reindex(ids, fill_value=False).to_numpy(dtype=bool),
            "risk_score": warning["risk_score"].reindex(ids).to_numpy(dtype=np.float64),
            "risk_signals": signals.reindex(ids).astype("string").to_numpy(),
        }
    )


def customer_table(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    data: key_accounts.PeriodFacts,
    account_settings: key_accounts.KeyAccountSettings,
    settings: ChurnSettings | None = None,
) -> pd.DataFrame:
    """The ``customers`` table: :func:`analytics.key_accounts.customer_table` plus :data:`CHURN_COLUMNS`.

    The churn columns are joined on ``customer_id``; the row order is the key-account table's.
    """
    table = key_accounts.customer_table(data, account_settings)
    if data.bounds is None or data.facts.empty:
        return table.assign(**{column: pd.Series(dtype="object") for column in CHURN_COLUMNS})
    extra = churn_columns(con, filters, data, settings).set_index("customer_id").reindex(table["customer_id"])
    return table.assign(**{column: extra[column].to_numpy() for column in CHURN_COLUMNS})
