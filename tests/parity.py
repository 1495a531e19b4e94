"""Engine parity helpers: the analytics calls the pages and ``summary --json`` make, and a strict result comparison."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import math
from collections.abc import Callable
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics import bgnbd, churn, cli, customer_card, customer_facts, key_accounts, satisfaction, sections, summary
from analytics.filters import Filters

REL_TOL = 1e-9
#: A customer of the demo company (customer_id) for the customer-card calls.
CARD_CUSTOMER = 7

Call = Callable[[duckdb.DuckDBPyConnection, Filters], Any]

#: Every analytics call of the pages (through ``ui.state.query``) and of ``summary --json`` / ``customers``.
CALLS: dict[str, Call] = {
    "summary.kpis": summary.kpis,
    "summary.revenue_by_month": summary.revenue_by_month,
    "summary.month_change": summary.month_change,
    "summary.filter_options": lambda con, _f: summary.filter_options(con),
    "summary.freshness": lambda con, _f: summary.freshness(con),
    "summary.uploads": lambda con, _f: summary.uploads(con),
    "customer_facts.period_bounds": customer_facts.period_bounds,
    "customer_facts.customer_facts": customer_facts.customer_facts,
    "customer_facts.dimension_facts": lambda con, f: [
        customer_facts.dimension_facts(con, f, d) for d in customer_facts.DIMENSIONS
    ],
    "key_accounts.period_facts": key_accounts.period_facts,
    "churn.churn_summary": churn.churn_summary,
    "churn.churn_summary_3m": lambda con, f: churn.churn_summary(con, f, window_months=3),
    "churn.churn_over_time": churn.churn_over_time,
    "churn.cohort_retention": churn.cohort_retention,
    "churn.early_warning": churn.early_warning,
    "churn.lost_customers": churn.lost_customers,
    "churn.lost_profile": churn.lost_profile,
    "churn.retention_what_if": churn.retention_what_if,
    "churn.bgnbd_summary": churn.bgnbd_summary,
    "churn.inactivity": churn.inactivity,
    "bgnbd.holdout_check": lambda con, f: _holdout(con, f),
    "satisfaction.csat": satisfaction.csat,
    "satisfaction.nps": satisfaction.nps,
    "satisfaction.drivers": satisfaction.drivers,
    "satisfaction.complaints_summary": satisfaction.complaints_summary,
    "satisfaction.repurchase_by_score": satisfaction.repurchase_by_score,
    "satisfaction.satisfaction_around_complaints": satisfaction.satisfaction_around_complaints,
    "satisfaction.escalation_list": satisfaction.escalation_list,
    "customer_card.search": lambda con, f: customer_card.search(con, f, ""),
    "customer_card.search_term": lambda con, f: customer_card.search(con, f, "科技"),
    "customer_card.profile": lambda con, _f: customer_card.profile(con, CARD_CUSTOMER),
    "customer_card.timeline": lambda con, f: customer_card.timeline(con, f, CARD_CUSTOMER),
    "customer_card.purchases": lambda con, f: customer_card.purchases(con, f, CARD_CUSTOMER),
    "customer_card.period_revenue": lambda con, f: customer_card.period_revenue(con, f, CARD_CUSTOMER),
    "customer_card.survey_history": lambda con, f: customer_card.survey_history(con, f, CARD_CUSTOMER),
    "customer_card.complaint_history": lambda con, f: customer_card.complaint_history(con, f, CARD_CUSTOMER),
    "cli.summary_object": cli.summary_object,
    "sections.customer_table": lambda con, f: sections.customer_table(
        con, f, key_accounts.period_facts(con, f), key_accounts.KeyAccountSettings()
    ),
}

#: Filter sets of the parity runs: everything; a region/category/date slice; nothing (a hostile value).
FILTERS: dict[str, Filters] = {
    "all": Filters(),
    "slice": Filters(
        date_from=dt.date(2023, 4, 1),
        date_to=dt.date(2025, 9, 30),
        regions=("华东", "华南"),
        categories=("传感器", "控制系统", "技术服务"),
    ),
    "nothing": Filters(regions=("'; drop table transactions; --",)),
}


def _holdout(con: duckdb.DuckDBPyConnection, filters: Filters) -> Any:
    """:func:`analytics.bgnbd.holdout_check` over the demo's last year, the fit error when it fails."""
    try:
        return bgnbd.holdout_check(con, filters, dt.date(2024, 12, 31), dt.date(2025, 12, 31))
    except bgnbd.BgNbdFitError as error:
        return ("fit_error", error.reason_code)


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and math.isnan(value)


def differences(a: Any, b: Any, path: str = "", rel: float = REL_TOL) -> list[str]:
    """Where ``b`` differs from ``a``: frames need the same columns, dtypes, index and row order,
    integers/strings/dates/booleans equal values of the same kind, floats equal to ``rel`` relative."""
    if isinstance(a, pd.DataFrame):
        if not isinstance(b, pd.DataFrame):
            return [f"{path}: {type(b).__name__} instead of a DataFrame"]
        if list(a.columns) != list(b.columns) or len(a) != len(b):
            return [f"{path}: shape {list(a.columns)} × {len(a)} vs {list(b.columns)} × {len(b)}"]
        found = [] if a.index.equals(b.index) else [f"{path}: index differs"]
        for column in a.columns:
            if a[column].dtype != b[column].dtype:
                found.append(f"{path}.{column}: dtype {a[column].dtype} vs {b[column].dtype}")
            found += differences(a[column], b[column], f"{path}.{column}", rel)
        return found
    if isinstance(a, pd.Series | pd.Index | np.ndarray):
        if type(a) is not type(b) or len(a) != len(b):
            return [f"{path}: {type(b).__name__} of {len(b)} vs {type(a).__name__} of {len(a)}"]
        moved = isinstance(a, pd.Series) and isinstance(b, pd.Series) and not a.index.equals(b.index)
        found = [f"{path}: index differs"] if moved else []
        return found + differences(list(np.asarray(a, dtype=object)), list(np.asarray(b, dtype=object)), path, rel)
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        if type(a) is not type(b):
            return [f"{path}: {type(b).__name__} instead of {type(a).__name__}"]
        return [
            d
            for f in dataclasses.fields(a)
            for d in differences(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}", rel)
        ]
    if isinstance(a, dict):
        if not isinstance(b, dict) or list(a) != list(b):
            return [f"{path}: keys {list(a)} vs {list(b) if isinstance(b, dict) else b!r}"]
        return [d for key in a for d in differences(a[key], b[key], f"{path}[{key!r}]", rel)]
    if isinstance(a, list | tuple):
        if type(a) is not type(b) or len(a) != len(b):
            return [f"{path}: {b!r:.200} vs {a!r:.200}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{path}[{i}]", rel)]
    if _missing(a) or _missing(b):
        return [] if _missing(a) and _missing(b) and type(a) is type(b) else [f"{path}: {a!r} vs {b!r}"]
    if isinstance(a, float | np.floating | decimal.Decimal):
        if type(a) is not type(b):
            return [f"{path}: {type(a).__name__} {a!r} vs {type(b).__name__} {b!r}"]
        same = math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-300)
        return [] if same else [f"{path}: {a!r} vs {b!r}"]
    if type(a) is not type(b):
        return [f"{path}: {type(a).__name__} {a!r} vs {type(b).__name__} {b!r}"]
    return [] if a == b else [f"{path}: {a!r} vs {b!r}"]


def largest_relative_difference(a: Any, b: Any) -> float:
    """The largest relative difference between corresponding floats of two equal-shaped results (for reports)."""
    floats_a, floats_b = _floats(a), _floats(b)
    worst = 0.0
    for x, y in zip(floats_a, floats_b, strict=True):
        if math.isfinite(x) and math.isfinite(y) and x != y:
            worst = max(worst, abs(x - y) / max(abs(x), abs(y)))
    return worst


def _floats(value: Any) -> list[float]:
    if isinstance(value, pd.DataFrame):
        return [v for column in value.columns for v in _floats(value[column])]
    if isinstance(value, pd.Series | np.ndarray):
        array = np.asarray(value)
        return [float(v) for v in array.astype(np.float64)] if array.dtype.kind == "f" else []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [v for f in dataclasses.fields(value) for v in _floats(getattr(value, f.name))]
    if isinstance(value, dict):
        return [v for item in value.values() for v in _floats(item)]
    if isinstance(value, list | tuple):
        return [v for item in value for v in _floats(item)]
    return [float(value)] if isinstance(value, float | np.floating) else []


def results(con: duckdb.DuckDBPyConnection, filters: Filters, names: list[str] | None = None) -> dict[str, Any]:
    """Every call of :data:`CALLS` (or of ``names``) on ``con`` under ``filters``."""
    return {name: CALLS[name](con, filters) for name in names or list(CALLS)}
