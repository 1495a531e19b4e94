"""RFM scoring and segments (最近一次采购时间, 采购频率, 采购金额; SPEC §4.3).

Works on the per-customer facts of :func:`analytics.customer_facts.customer_facts` for the
analysis period, plus the as-of date of :func:`analytics.customer_facts.period_bounds`.

Measures (Hughes 1994, *Strategic Database Marketing*)
    * R = recency_days = as-of date − last purchase date in the period (days, ≥ 0)
    * F = frequency = distinct purchase days in the period (days with a line > 0)
    * M = monetary = net revenue in the period (currency; may be ≤ 0 after returns)

    Customers without a purchase in the period (only returns) have no recency and are
    left out.

Scores 1–5 by quintiles, ties kept together
    Each measure is turned into a mid-rank percentile
    PR = (number of customers with a strictly worse value + ½ × number with the same value) / n,
    the classic percentile-rank definition, and scored s = min(5, ⌊5 · PR⌋ + 1).
    Equal values always get the same score (ties never straddle a quintile), n distinct
    values split into exact quintiles (n = 5 → 1, 2, 3, 4, 5), and when everybody has the
    same value everybody scores 3 (no information → the middle). "Better" means more
    recent for R (fewer days → 5), more purchase days for F and more revenue for M.

Segments from the R × F grid (r_score rows, f_score columns)::

           F=1             F=2                 F=3                 F=4        F=5
    R=5    new             potential_loyalist  potential_loyalist  champions  champions
    R=4    promising       potential_loyalist  potential_loyalist  loyal      loyal
    R=3    about_to_sleep  about_to_sleep      need_attention      loyal      loyal
    R=2    hibernating     hibernating         at_risk             at_risk    cant_lose
    R=1    lost            lost                at_risk             at_risk    cant_lose

This is the widely used 11-segment RFM grid (as popularised by marketing-automation tools);
M is shown next to it but does not move a customer between segments, so a segment reads as
"how recently and how often". Each segment has one suggested action code (:data:`ACTIONS`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "ACTIONS",
    "SEGMENTS",
    "SEGMENT_GRID",
    "quintile_scores",
    "rf_matrix",
    "rfm",
    "segment_summary",
]

#: Segment codes, roughly from best to worst.
SEGMENTS: tuple[str, ...] = (
    "champions",
    "loyal",
    "potential_loyalist",
    "new",
    "promising",
    "need_attention",
    "about_to_sleep",
    "at_risk",
    "cant_lose",
    "hibernating",
    "lost",
)

#: Segment code per (r_score, f_score); row index r_score − 1, column index f_score − 1.
SEGMENT_GRID: tuple[tuple[str, ...], ...] = (
    ("lost", "lost", "at_risk", "at_risk", "cant_lose"),  # R = 1
    ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"),  # R = 2
    ("about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"),  # R = 3
    ("promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"),  # R = 4
    ("new", "potential_loyalist", "potential_loyalist", "champions", "champions"),  # R = 5
)

#: Suggested action code per segment (labels and wording are the UI's job).
ACTIONS: Mapping[str, str] = {
    "champions": "reward_and_ask_referrals",  # keep them delighted; early access, references
    "loyal": "upsell_and_cross_sell",  # widen the relationship
    "potential_loyalist": "nurture_to_loyalty",  # regular contact, loyalty/contract offer
    "new": "onboard",  # welcome visit, make the second order easy
    "promising": "build_relationship",  # introduce the range, follow up
    "need_attention": "personal_offer",  # limited-time offer, check needs
    "about_to_sleep": "reactivate",  # reminder, win them before they go
    "at_risk": "win_back_visit",  # rep visit, find out what changed
    "cant_lose": "escalate_to_management",  # senior win-back: they used to buy a lot
    "hibernating": "low_cost_reactivation",  # low-cost campaign only
    "lost": "deprioritise",  # spend no active effort
}

_ACTION_CODES: tuple[str, ...] = tuple(dict.fromkeys(ACTIONS.values()))
_CELLS: tuple[str, ...] = tuple(f"{r}{f}{m}" for r in range(1, 6) for f in range(1, 6) for m in range(1, 6))


def quintile_scores(values: npt.ArrayLike, higher_is_better: bool = True) -> npt.NDArray[np.int8]:
    """Score 1–5 by quintiles with ties together (mid-rank percentile, see the module docstring).

    Formula: PR_i = (#{j: v_j worse than v_i} + ½ · #{j: v_j = v_i}) / n;
    score_i = min(5, ⌊5 · PR_i⌋ + 1). ``higher_is_better=False`` scores small values 5
    (recency in days). Grain: one score per value. Units: score 1–5.
    Source: quintile RFM scoring, Hughes (1994); percentile rank with mid-rank ties.
    """
    v = np.asarray(values, dtype=np.float64)
    n = v.size
    if n == 0:
        return np.empty(0, dtype=np.int8)
    key = v if higher_is_better else -v
    # One sort: distinct values ascending, each with its count; "below" = customers with a
    # strictly smaller key, "equal" = customers sharing the key.
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    below = (np.cumsum(counts) - counts)[inverse]
    equal = counts[inverse]
    # 10·PR = (10·below + 5·equal) / n, kept in integers so quintile edges are exact.
    score = (5 * (2 * below + equal)) // (2 * n) + 1
    return np.minimum(score, 5).astype(np.int8)


def rfm(facts: pd.DataFrame, as_of: dt.date, grid: tuple[tuple[str, ...], ...] = SEGMENT_GRID) -> pd.DataFrame:
    """RFM measures, scores, segment and action per customer (SPEC §4.3, Hughes 1994).

    Formula: recency_days = as_of − last_date; frequency = purchase_days; monetary =
    revenue; r/f/m_score by :func:`quintile_scores` (recency: fewer days is better);
    segment = ``grid[r_score − 1][f_score − 1]``; action = :data:`ACTIONS`[segment].
    Grain: customer with a purchase in the period × as-of date. Units: days, purchase
    days, currency, scores 1–5.

    Columns: ``customer_id``, ``customer_name``, ``recency_days``, ``frequency``,
    ``monetary``, ``r_score``, ``f_score``, ``m_score`` (int8), ``rfm_cell`` (categorical
    "111"…"555"), ``segment`` (categorical over :data:`SEGMENTS`), ``action`` (categorical
    action code). Ordered by ``customer_id``. ``grid`` may replace :data:`SEGMENT_GRID`
    (5 rows for R = 1…5, 5 columns for F = 1…5, codes from :data:`SEGMENTS`).
    """
    data = facts.loc[facts["last_date"].notna()]
    last = data["last_date"].to_numpy(dtype="datetime64[D]")
    recency = (np.datetime64(as_of, "D") - last).astype(np.int64)
    frequency = data["purchase_days"].to_numpy(dtype=np.int64)
    monetary = data["revenue"].to_numpy(dtype=np.float64)
    r = quintile_scores(recency, higher_is_better=False)
    f = quintile_scores(frequency)
    m = quintile_scores(monetary)
    segment_index = {code: i for i, code in enumerate(SEGMENTS)}
    lookup = np.asarray([[segment_index[code] for code in row] for row in grid], dtype=np.int8)
    segment = lookup[r - 1, f - 1] if len(r) else np.empty(0, dtype=np.int8)
    action_index = {code: i for i, code in enumerate(_ACTION_CODES)}
    action_of_segment = np.asarray([action_index[ACTIONS[code]] for code in SEGMENTS], dtype=np.int8)
    cell = (r.astype(np.int16) - 1) * 25 + (f.astype(np.int16) - 1) * 5 + (m.astype(np.int16) - 1)
    out = (
        data[["customer_id", "customer_name"]]
        .reset_index(drop=True)
        .assign(
            recency_days=recency,
            frequency=frequency,
            monetary=monetary,
            r_score=r,
            f_score=f,
            m_score=m,
            rfm_cell=pd.Categorical.from_codes(cell, categories=list(_CELLS)),
            segment=pd.Categorical.from_codes(segment, categories=list(SEGMENTS)),
            action=pd.Categorical.from_codes(action_of_segment[segment], categories=list(_ACTION_CODES)),
        )
    )
    if not out["customer_id"].is_monotonic_increasing:
        out = out.sort_values("customer_id", kind="mergesort", ignore_index=True)
    return out


def segment_summary(scored: pd.DataFrame) -> pd.DataFrame:
    """Per segment of :func:`rfm` output, one row per segment code (empty ones included).

    Columns: ``segment``, ``action``, ``customers``, ``customer_share``, ``monetary``
    (Σ revenue), ``monetary_share`` (of Σ over all scored customers), ``mean_recency_days``,
    ``mean_frequency``, ``mean_monetary`` (Σ revenue / customers). Grain: segment × period.
    Zero denominators give NaN.
    """
    grouped = scored.groupby("segment", observed=False)
    segments = list(SEGMENTS)
    customers = grouped.size().reindex(segments, fill_value=0).to_numpy(dtype=np.float64)
    monetary = grouped["monetary"].sum().reindex(segments, fill_value=0.0).to_numpy(dtype=np.float64)
    recency = grouped["recency_days"].mean().reindex(segments).to_numpy(dtype=np.float64, na_value=np.nan)
    frequency = grouped["frequency"].mean().reindex(segments).to_numpy(dtype=np.float64, na_value=np.nan)
    n, total = float(customers.sum()), float(monetary.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_monetary = np.where(customers > 0, monetary / np.where(customers > 0, customers, 1.0), np.nan)
    return pd.DataFrame(
        {
            "segment": segments,
            "action": [ACTIONS[s] for s in segments],
            "customers": customers.astype(np.int64),
            "customer_share": customers / n if n else np.nan,
            "monetary": monetary,
            "monetary_share": monetary / total if total else np.nan,
            "mean_recency_days": recency,
            "mean_frequency": frequency,
            "mean_monetary": mean_monetary,
        }
    )


def rf_matrix(scored: pd.DataFrame) -> pd.DataFrame:
    """Customers per (r_score, f_score) cell of :func:`rfm` output: the 5 × 5 R × F grid.

    Formula: cell (r, f) = #{customers with r_score = r and f_score = f}. Index ``r_score``
    5 … 1 (most recent on top, as the grid is read), columns ``f_score`` 1 … 5; every cell
    present (0 when empty). Grain: R score × F score × period. Units: customers.
    """
    r = scored["r_score"].to_numpy(dtype=np.int64)
    f = scored["f_score"].to_numpy(dtype=np.int64)
    counts = np.bincount((r - 1) * 5 + (f - 1), minlength=25).reshape(5, 5)
    return pd.DataFrame(
        counts[::-1].astype(np.int64),
        index=pd.Index(range(5, 0, -1), name="r_score"),
        columns=pd.Index(range(1, 6), name="f_score"),
    )
