"""Key-account view of one period: ranking, ABC, tiers and RFM per customer, and their summary.

The expensive step is :func:`analytics.customer_facts.customer_facts` (one ledger scan, cached
by the UI). :func:`customer_table` and :func:`summary_sections` only combine cheap steps on that
frame, so a slider move re-runs them alone.

Tiers are assigned on the analysis period's net revenue, which by default is the trailing
12 months up to the as-of date (SPEC §4.2). Customers with zero or negative net revenue in the
period (returns exceeding purchases) are ranked after everyone else, carry no revenue rank and
class C (see :mod:`analytics.pareto`), and are reported by :func:`summary_sections`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from analytics import pareto, rfm, tiers
from analytics.customer_facts import PeriodBounds, customer_facts, period_bounds
from analytics.filters import Filters

#: Columns of :func:`customer_table`, in order (the ``customers`` CLI contract: columns may be
#: added at the end, never renamed or moved). ``customer_id`` is the store's id (names need not be unique).
CUSTOMER_COLUMNS: tuple[str, ...] = (
    "customer",
    "region",
    "rep",
    "revenue",
    "profit",
    "orders",
    "first_date",
    "last_date",
    "revenue_rank",
    "cum_revenue_share",
    "abc",
    "tier",
    "recency_days",
    "frequency",
    "monetary",
    "r_score",
    "f_score",
    "m_score",
    "rfm_segment",
    "customer_id",
)


@dataclass(frozen=True)
class KeyAccountSettings:
    """User settings of the key-account analyses (every SPEC default is a slider here)."""

    top_share: float = 0.2
    a_cut: float = 0.8
    b_cut: float = 0.95
    scheme: tiers.TierScheme = field(default_factory=tiers.TierScheme)


@dataclass(frozen=True, eq=False)
class PeriodFacts:
    """Per-customer facts of the analysis period, with its bounds (None when no data)."""

    bounds: PeriodBounds | None
    facts: pd.DataFrame


def period_facts(con: duckdb.DuckDBPyConnection, filters: Filters) -> PeriodFacts:
    """Facts of the analysis period of ``filters`` (the one expensive step; cache it)."""
    bounds = period_bounds(con, filters)
    if bounds is None:  # nothing matches the filters: an empty frame with the right columns
        return PeriodFacts(None, customer_facts(con, filters))
    return PeriodFacts(bounds, customer_facts(con, bounds.current_filters(filters)))


def customer_table(data: PeriodFacts, settings: KeyAccountSettings) -> pd.DataFrame:
    """One row per customer of the period with rank, ABC class, tier and RFM (:data:`CUSTOMER_COLUMNS`).

    Ordered by revenue rank (unranked customers last). Revenue and profit in the data's
    currency; ``cum_revenue_share`` in [0, 1]; ``recency_days`` at the as-of date;
    ``customer_id`` (last) joins the rows to other per-customer frames.
    """
    facts = data.facts
    if facts.empty or data.bounds is None:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "customer_id" else "object") for c in CUSTOMER_COLUMNS})
    ranking = pareto.rank(facts)
    classified = pareto.abc(ranking, settings.a_cut, settings.b_cut)
    tiered = tiers.assign_tiers(facts, settings.scheme)[["customer_id", "tier"]]
    scored = rfm.rfm(facts, data.bounds.as_of)[
        ["customer_id", "recency_days", "frequency", "monetary", "r_score", "f_score", "m_score", "segment"]
    ]
    table = classified.merge(tiered, on="customer_id", how="left").merge(scored, on="customer_id", how="left")
    return table.rename(
        columns={
            "customer_name": "customer",
            "sales_rep": "rep",
            "rank": "revenue_rank",
            "abc_class": "abc",
            "segment": "rfm_segment",
        }
    )[list(CUSTOMER_COLUMNS)].assign(
        tier=lambda t: t["tier"].astype("string"),
        rfm_segment=lambda t: t["rfm_segment"].astype("string"),
        abc=lambda t: t["abc"].astype("string"),
        customer_id=lambda t: t["customer_id"].astype("int64"),
    )


def _counts(series: pd.Series, codes: tuple[str, ...]) -> dict[str, int]:
    counts = series.astype("string").value_counts()
    return {code: int(counts.get(code, 0)) for code in codes}


def summary_sections(data: PeriodFacts, settings: KeyAccountSettings) -> dict[str, Any]:
    """The ``pareto``, ``whale``, ``tiers`` and ``rfm`` sections of ``summary --json``.

    * ``pareto``: top_customer_share X, top_revenue_share Y (:func:`analytics.pareto.headline`),
      customers_for_80pct / customer_share_for_80pct, ABC counts, cutoffs, Gini — over the
      customers with positive net revenue in the period (``excluded_customers`` have ≤ 0).
    * ``whale``: peak_profit_share, peak_customer_share, unprofitable_customers,
      profit_given_back; null without profit data.
    * ``tiers``: mode, thresholds (or rank shares), customers and revenue per tier.
    * ``rfm``: customers per segment.
    """
    facts = data.facts
    scheme = settings.scheme
    ranking = pareto.rank(facts)
    head = pareto.headline(ranking, settings.top_share)
    classified = pareto.abc(ranking, settings.a_cut, settings.b_cut)
    whale = pareto.whale_curve(facts)
    tiered = tiers.assign_tiers(facts, scheme)
    table = tiers.tier_table(tiered, scheme)
    scored = rfm.rfm(facts, data.bounds.as_of) if data.bounds is not None and not facts.empty else None
    period = data.bounds.period if data.bounds else None
    return {
        "period": {
            "from": period.start if period else None,
            "to": period.end if period else None,
        },
        "pareto": {
            "top_customer_share": settings.top_share,
            "top_revenue_share": head.top_revenue_share if head else None,
            "customers_for_80pct": head.count_to_target if head else 0,
            "customer_share_for_80pct": head.share_to_target if head else None,
            "abc": _counts(classified["abc_class"], ("A", "B", "C")),
            "abc_cutoffs": [settings.a_cut, settings.b_cut],
            "gini": head.gini if head else None,
            "ranked_customers": head.count if head else 0,
            "excluded_customers": head.excluded_count if head else len(facts),
        },
        "whale": None
        if whale is None
        else {
            "peak_profit_share": whale.peak_share,
            "peak_customer_share": whale.peak_customer_share,
            "unprofitable_customers": whale.unprofitable_customers,
            "profit_given_back": whale.profit_given_back,
        },
        "tiers": {
            "mode": scheme.mode,
            "thresholds": list(scheme.thresholds.floors()[:-1])
            if scheme.mode == "absolute"
            else [scheme.shares.key, scheme.shares.major, scheme.shares.ordinary],
            "counts": {str(r.tier): int(r.customers) for r in table.itertuples()},
            "revenue": {str(r.tier): round(float(r.revenue), 2) for r in table.itertuples()},
        },
        "rfm": {"segments": _counts(scored["segment"], rfm.SEGMENTS) if scored is not None else {}},
    }
