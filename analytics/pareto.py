"""Key-account identification: Pareto (80/20), ABC classes, Gini/Lorenz, profit whale curve (SPEC §4.1).

Everything here works on the per-customer facts of :func:`analytics.customer_facts.customer_facts`
(or the per-item facts of :func:`analytics.customer_facts.dimension_facts`); only
:func:`pareto_by` touches the database. The expensive part (sorting) is done once by
:func:`rank`; a :class:`Ranking` can be cached and handed to :func:`abc`, :func:`headline`
and :func:`lorenz`, so moving a cutoff or the top-X% slider costs a few vectorised numpy
operations (milliseconds for 500,000 customers).

Ranking rule
    Units (customers, products, …) are ranked by revenue, descending; equal revenues are
    ordered by the key ascending (``customer_id``, or the item name with blanks last), so the
    ranking is deterministic. For the ``n`` ranked units, rank ``i`` has

    * ``cum_customer_share`` (k_i) = i / n
    * ``revenue_share`` = x_i / X and ``cum_revenue_share`` (c_i) = (x_1 + … + x_i) / X,
      with X = x_1 + … + x_n.

Zero or negative net revenue — *excluded from the curve and reported*
    Only units with net revenue > 0 in the period are ranked. A customer whose returns
    cancel (or exceed) its purchases brings no revenue, so it is not part of "who brings the
    revenue": it does not count in n, in k_i or in X. Keeping them would break the
    quantities this page exists for: negative values make c_i non-monotone (the curve would
    overshoot 100 % and come back), statements like "the top 20 % bring 104 %" become
    possible, and the Lorenz curve / Gini coefficient are only defined for non-negative
    values (a Gini above 1). Their number and net revenue are reported in
    :class:`Headline` (``excluded_count``, ``excluded_revenue``) so the total still reconciles
    with the net revenue KPI: X + excluded_revenue = Σ revenue. In :func:`abc` they are
    listed after the ranked units, with null rank/shares and class ``C`` (they bring the
    least revenue). The profit whale curve is different on purpose: losses are the point
    there, so every customer with a profit value is on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd

from analytics.customer_facts import dimension_facts
from analytics.filters import Filters

__all__ = [
    "ABC_CLASSES",
    "Headline",
    "ParetoBy",
    "Ranking",
    "WhaleCurve",
    "abc",
    "abc_summary",
    "gini",
    "headline",
    "lorenz",
    "pareto_by",
    "rank",
    "whale_curve",
]

#: ABC class codes, best first.
ABC_CLASSES: tuple[str, ...] = ("A", "B", "C")

# Shares are ratios of float sums: compare cutoffs with a tolerance so 0.8 computed as
# 0.7999999999999999 or 0.8000000000000002 behaves as exactly 0.8.
_EPS = 1e-12

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Ranking:
    """Units sorted for the Pareto curve; build once with :func:`rank`, reuse for every slider.

    ``table`` holds every input row: the ``count`` ranked units first (rank 1…n, with
    ``revenue_share``, ``cum_<unit>_share`` and ``cum_revenue_share``), then the excluded
    units (net revenue ≤ 0 or null) with null rank and shares, ordered by revenue descending.
    ``cum_unit`` (k_i) and ``cum_value`` (c_i) are the ranked units' shares as arrays.
    """

    table: pd.DataFrame
    key: str
    value: str
    unit: str
    count: int
    total: float
    excluded_total: float
    cum_unit: FloatArray
    cum_value: FloatArray

    @property
    def ranked(self) -> pd.DataFrame:
        """Return the ranked units (the Pareto curve), rank 1 first."""
        return self.table.iloc[: self.count]

    @property
    def excluded(self) -> pd.DataFrame:
        """Return the units left off the curve (net revenue ≤ 0)."""
        return self.table.iloc[self.count :]

    @property
    def unit_share_column(self) -> str:
        """Name of the k_i column (``cum_customer_share`` or ``cum_item_share``)."""
        return f"cum_{self.unit}_share"


def _key_codes(keys: pd.Series) -> npt.NDArray[np.int64] | npt.NDArray[np.float64]:
    """Sortable numbers for a key column: the values themselves, or text as A→Z codes with nulls last."""
    if pd.api.types.is_numeric_dtype(keys):
        return keys.to_numpy(dtype=np.float64, na_value=np.inf)
    codes, _ = pd.factorize(keys, sort=True, use_na_sentinel=True)
    return np.where(codes < 0, len(keys), codes).astype(np.int64)


def rank(frame: pd.DataFrame, key: str = "customer_id", value: str = "revenue", unit: str = "customer") -> Ranking:
    """Rank units by ``value`` for the Pareto curve (see the module docstring for the rules).

    Formula: k_i = i / n, c_i = Σ_{j ≤ i} x_j / Σ_j x_j over units with x > 0, sorted by x
    descending then ``key`` ascending. Grain: one row per unit of ``frame``. Units: shares in
    [0, 1]. Source: Pareto (1896) / Lorenz (1905) cumulative-share curve.
    ``unit`` names the k_i column: ``cum_<unit>_share``. The excluded units (x ≤ 0 or null)
    follow, by x descending (nulls last) then ``key``.
    """
    values = frame[value].to_numpy(dtype=np.float64, na_value=np.nan)
    keys = _key_codes(frame[key])
    positive = values > 0
    sort_values = np.where(np.isnan(values), -np.inf, values)
    # One lexsort: positive units first, then by value descending, then by key ascending.
    order = np.lexsort((keys, -sort_values, ~positive))
    n = int(positive.sum())
    table = frame.take(order).reset_index(drop=True)
    x = values[order[:n]]
    total = float(x.sum())
    cum_value = np.cumsum(x) / total if n else np.empty(0)
    if n:
        cum_value[-1] = 1.0  # exact end point despite rounding
    cum_unit = np.arange(1, n + 1, dtype=np.float64) / n if n else np.empty(0)
    m = len(table)
    rank_col = pd.array(np.arange(1, m + 1), dtype="Int64")
    rank_col[n:] = pd.NA
    pad = np.full(m - n, np.nan)
    table["rank"] = rank_col
    table[f"{value}_share"] = np.concatenate([x / total if n else x, pad])
    table[f"cum_{unit}_share"] = np.concatenate([cum_unit, pad])
    table[f"cum_{value}_share"] = np.concatenate([cum_value, pad])
    return Ranking(
        table=table,
        key=key,
        value=value,
        unit=unit,
        count=n,
        total=total,
        excluded_total=float(np.nansum(values[order[n:]])),
        cum_unit=cum_unit,
        cum_value=cum_value,
    )


def _ranking(facts: pd.DataFrame | Ranking) -> Ranking:
    return facts if isinstance(facts, Ranking) else rank(facts)


def _check_share(name: str, share: float) -> None:
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {share}")


def abc(facts: pd.DataFrame | Ranking, a_cut: float = 0.8, b_cut: float = 0.95) -> pd.DataFrame:
    """ABC class per unit by cumulative revenue share (SPEC §4.1).

    Rule: ``A`` while c_i ≤ a_cut, ``B`` while c_i ≤ b_cut, ``C`` after; the unit whose
    c_i crosses a cutoff (c_{i−1} < cut < c_i) belongs to the upper class. Equivalently,
    unit i is A iff c_{i−1} < a_cut, else B iff c_{i−1} < b_cut, else C (c_0 = 0); a unit
    right after one that lands exactly on the cutoff starts the next class. Units with net
    revenue ≤ 0 are C. Grain: one row per unit. Source: ABC inventory classification
    (Dickie 1951) applied to customers.

    Returns the :attr:`Ranking.table` columns plus ``abc_class`` (categorical A/B/C).
    Pass a cached :class:`Ranking` to make a cutoff change cost only the classification.
    """
    _check_share("a_cut", a_cut)
    _check_share("b_cut", b_cut)
    if a_cut > b_cut:
        raise ValueError("a_cut must not exceed b_cut")
    ranking = _ranking(facts)
    n = ranking.count
    codes = np.full(len(ranking.table), 2, dtype=np.int8)
    if n:
        previous = np.concatenate([[0.0], ranking.cum_value[:-1]])
        codes[:n] = np.where(previous < a_cut - _EPS, 0, np.where(previous < b_cut - _EPS, 1, 2))
    return ranking.table.assign(abc_class=pd.Categorical.from_codes(codes, categories=list(ABC_CLASSES)))


def abc_summary(classified: pd.DataFrame, value: str = "revenue") -> pd.DataFrame:
    """Per ABC class: ``abc_class``, ``count``, ``count_share``, ``revenue``, ``revenue_share``.

    Input: the output of :func:`abc`. Grain: class. Shares are of all rows / of the net
    total (Σ revenue including excluded units), so they add up to 1; 0 rows give NaN shares.
    """
    grouped = classified.groupby("abc_class", observed=False)[value]
    counts = grouped.size().reindex(list(ABC_CLASSES), fill_value=0)
    sums = grouped.sum().reindex(list(ABC_CLASSES), fill_value=0.0)
    n = float(counts.sum())
    total = float(sums.sum())
    return pd.DataFrame(
        {
            "abc_class": list(ABC_CLASSES),
            "count": counts.to_numpy(dtype=np.int64),
            "count_share": counts.to_numpy(dtype=np.float64) / n if n else np.nan,
            value: sums.to_numpy(dtype=np.float64),
            f"{value}_share": sums.to_numpy(dtype=np.float64) / total if total else np.nan,
        }
    )


@dataclass(frozen=True)
class Headline:
    """The 80/20 sentence: "the top X % of customers bring Y % of revenue", and its inverse.

    ``count`` ranked units bring ``revenue``; ``excluded_count`` units with net revenue ≤ 0
    (together ``excluded_revenue``) are left off the curve. ``gini`` is the Gini coefficient
    of the ranked units' revenue.
    """

    top_share: float
    top_revenue_share: float
    target_revenue_share: float
    count_to_target: int
    share_to_target: float
    count: int
    revenue: float
    excluded_count: int
    excluded_revenue: float
    gini: float


def headline(
    facts: pd.DataFrame | Ranking, top_share: float = 0.2, target_revenue_share: float = 0.8
) -> Headline | None:
    """Headline numbers of the Pareto curve; None when no unit has positive revenue.

    * ``top_revenue_share`` Y = the Pareto curve read at k = ``top_share``, linearly
      interpolated between the points (0, 0), (k_1, c_1), …, (k_n, c_n) — the usual reading of
      a Lorenz/Pareto chart, continuous in the slider (with 3 equal customers, the top 20 %
      bring exactly 20 %).
    * ``count_to_target`` m = the smallest number of top units with c_m ≥
      ``target_revenue_share`` (default 0.8); ``share_to_target`` = m / n.

    Grain: the whole filtered period. Units: shares in [0, 1]. Source: Pareto (1896),
    Juran's "vital few" (1951).
    """
    _check_share("top_share", top_share)
    _check_share("target_revenue_share", target_revenue_share)
    ranking = _ranking(facts)
    n = ranking.count
    if n == 0:
        return None
    k = np.concatenate([[0.0], ranking.cum_unit])
    c = np.concatenate([[0.0], ranking.cum_value])
    top = float(np.interp(top_share, k, c))
    m = int(np.searchsorted(ranking.cum_value, target_revenue_share - _EPS, side="left")) + 1
    m = min(max(m, 1), n) if target_revenue_share > 0 else 0
    x = ranking.ranked[ranking.value].to_numpy(dtype=np.float64)
    return Headline(
        top_share=top_share,
        top_revenue_share=top,
        target_revenue_share=target_revenue_share,
        count_to_target=m,
        share_to_target=m / n,
        count=n,
        revenue=ranking.total,
        excluded_count=len(ranking.table) - n,
        excluded_revenue=ranking.excluded_total,
        gini=_gini_sorted_ascending(x[::-1]),
    )


def _gini_sorted_ascending(x: FloatArray) -> float:
    n = len(x)
    total = float(x.sum())
    ranks = np.arange(1, n + 1, dtype=np.float64)
    return float(2.0 * np.dot(ranks, x) / (n * total) - (n + 1.0) / n)


def gini(values: Iterable[float]) -> float | None:
    """Gini coefficient of non-negative values (no small-sample correction).

    Formula: G = Σ_i Σ_j |x_i − x_j| / (2 n² μ), equivalently, with x sorted ascending,
    G = 2 Σ_i i·x_(i) / (n Σ x) − (n + 1) / n. This is the population ("n/(n−1)-free")
    definition, equal to 1 − 2 × the area under the Lorenz curve drawn through (0, 0),
    (i/n, L_i): [1, 1, 1, 1] → 0, [0, 0, 0, 1] → 0.75, at most (n − 1)/n.
    Grain: whatever the values are (customers' revenue here). Units: dimensionless in [0, 1).
    Source: Gini (1912), Lorenz (1905). NaNs are ignored; None when there is no value or
    the sum is 0; ``ValueError`` on negative values.
    """
    x = np.asarray(values if isinstance(values, np.ndarray | pd.Series) else list(values), dtype=np.float64)
    x = x[~np.isnan(x)]
    if x.size == 0 or float(x.sum()) == 0.0:
        return None
    if (x < 0).any():
        raise ValueError("gini is defined for non-negative values only")
    return _gini_sorted_ascending(np.sort(x))


def lorenz(facts: pd.DataFrame | Ranking, max_points: int | None = None) -> pd.DataFrame:
    """Lorenz curve of revenue over the ranked units (net revenue > 0).

    Points (p_j, L_j), j = 0…n, with units sorted ascending by revenue: p_j = j / n,
    L_j = (x_(1) + … + x_(j)) / X; starts at (0, 0), ends at (1, 1). Columns
    ``cum_<unit>_share``, ``cum_revenue_share``. ``max_points`` thins the curve for charts
    (evenly spaced, end points kept). Empty frame when nothing is ranked.
    Source: Lorenz (1905).
    """
    ranking = _ranking(facts)
    n = ranking.count
    p_col, l_col = ranking.unit_share_column, f"cum_{ranking.value}_share"
    if n == 0:
        return pd.DataFrame({p_col: pd.Series(dtype="float64"), l_col: pd.Series(dtype="float64")})
    # Bottom-up share of the smallest j units = 1 − share of the top n − j units.
    top = np.concatenate([[0.0], ranking.cum_value])
    lorenz_share = np.clip(1.0 - top[::-1], 0.0, 1.0)
    lorenz_share[0], lorenz_share[-1] = 0.0, 1.0
    share = np.arange(n + 1, dtype=np.float64) / n
    if max_points is not None and max_points >= 2 and n + 1 > max_points:
        idx = np.unique(np.round(np.linspace(0, n, max_points)).astype(np.intp))
        share, lorenz_share = share[idx], lorenz_share[idx]
    return pd.DataFrame({p_col: share, l_col: lorenz_share})


@dataclass(frozen=True, eq=False)
class WhaleCurve:
    """Sherden's profit whale curve and its key points.

    ``curve``: customers with a profit value, by profit descending (tie-break
    ``customer_id``): ``customer_id``, ``customer_name``, ``profit``, ``rank``,
    ``cum_customer_share`` (i/n), ``cum_profit_share`` (Σ_{j≤i} π_j / Π). The curve ends at
    exactly 1.0. ``peak_share`` is its maximum (≥ 1), reached after ``peak_customers``
    customers (``peak_customer_share`` of them); ``profit_given_back`` = peak − 1, the share
    of total profit the unprofitable tail destroys; ``unprofitable_customers`` have profit < 0
    and lose ``unprofitable_profit`` (≤ 0) in total. ``customers_without_profit`` had revenue
    but no profit value and are not on the curve.
    """

    curve: pd.DataFrame
    total_profit: float
    peak_share: float
    peak_customers: int
    peak_customer_share: float
    profit_given_back: float
    unprofitable_customers: int
    unprofitable_profit: float
    customers_without_profit: int


def whale_curve(facts: pd.DataFrame) -> WhaleCurve | None:
    """Profit whale curve (Sherden 1994, *Market Ownership*; Kaplan & Narayanan 2001).

    Sherden's 80/20/30 observation: the most profitable 20 % of customers earn 80 % of profit
    and the least profitable 30 % give half of it back; Kaplan & Narayanan report the top
    20 % often earning 150–300 % of total profit. This curve shows the user's own numbers.

    Formula: customers with non-null profit π sorted by π descending (tie-break
    ``customer_id``); cum_profit_share_i = Σ_{j≤i} π_j / Π with Π = Σ π; peak = max_i of it
    (first index on ties); profit given back = peak − 1. Grain: customer × period; profit in
    the data's currency, shares dimensionless. Customers with losses stay on the curve (that
    is its point). Returns None when no customer has profit data (no profit column) or when
    total profit Π ≤ 0 (a share of a non-positive total is meaningless).
    """
    if "profit" not in facts.columns:
        return None
    profit_all = facts["profit"].to_numpy(dtype=np.float64, na_value=np.nan)
    has_profit = ~np.isnan(profit_all)
    data = facts[["customer_id", "customer_name", "profit"]].loc[has_profit]
    if data.empty:
        return None
    profit = data["profit"].to_numpy(dtype=np.float64)
    total = float(profit.sum())
    if total <= 0:
        return None
    order = np.lexsort((data["customer_id"].to_numpy(), -profit))
    profit = profit[order]
    n = len(profit)
    cum = np.cumsum(profit) / total
    cum[-1] = 1.0
    peak = int(np.argmax(cum))
    curve = (
        data[["customer_id", "customer_name"]]
        .take(order)
        .reset_index(drop=True)
        .assign(
            profit=profit,
            rank=np.arange(1, n + 1, dtype=np.int64),
            cum_customer_share=np.arange(1, n + 1, dtype=np.float64) / n,
            cum_profit_share=cum,
        )
    )
    losses = profit < 0
    return WhaleCurve(
        curve=curve,
        total_profit=total,
        peak_share=float(cum[peak]),
        peak_customers=peak + 1,
        peak_customer_share=(peak + 1) / n,
        profit_given_back=float(cum[peak]) - 1.0,
        unprofitable_customers=int(losses.sum()),
        unprofitable_profit=float(profit[losses].sum()),
        customers_without_profit=int((~has_profit).sum()),
    )


@dataclass(frozen=True, eq=False)
class ParetoBy:
    """Pareto/ABC of one dimension: ``table`` (see :func:`abc`, key column ``item``) and headline."""

    dimension: str
    table: pd.DataFrame
    headline: Headline | None


def pareto_by(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    dimension: str,
    *,
    a_cut: float = 0.8,
    b_cut: float = 0.95,
    top_share: float = 0.2,
    target_revenue_share: float = 0.8,
) -> ParetoBy:
    """The same Pareto/ABC for products, categories or regions (SPEC §4.1, last bullet).

    ``dimension`` ∈ {"product", "category", "region"} (whitelist, else ``ValueError``).
    Items come from :func:`analytics.customer_facts.dimension_facts` (one scan); ranking,
    exclusion of items with net revenue ≤ 0, ABC and headline follow the customer rules with
    ``item`` as key (blank items sort last among equals) and ``cum_item_share`` as k_i.
    Table columns: ``item``, ``revenue``, ``profit``, ``customers``, ``lines``, ``rank``,
    ``revenue_share``, ``cum_item_share``, ``cum_revenue_share``, ``abc_class``.
    For sliders, cache ``dimension_facts`` and call :func:`rank`/:func:`abc` yourself.
    """
    items = dimension_facts(con, filters, dimension)
    ranking = rank(items, key="item", value="revenue", unit="item")
    return ParetoBy(
        dimension=dimension,
        table=abc(ranking, a_cut=a_cut, b_cut=b_cut),
        headline=headline(ranking, top_share=top_share, target_revenue_share=target_revenue_share),
    )
