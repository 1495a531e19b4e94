"""BG/NBD repeat-purchase model (Fader, Hardie & Lee 2005) with a calibration/holdout check.

The beta-geometric/negative-binomial distribution (BG/NBD) model describes, per customer,

* while alive, purchases follow a Poisson process with rate λ, and λ ~ Gamma(shape r, rate α);
* after every purchase the customer drops out with probability p, and p ~ Beta(a, b).

Grain and units used throughout this module:

* one *purchase day* per customer and calendar day: several orders (or lines) of one customer on
  one day are one purchase, as in FHL 2005's CDNOW analysis. Lines with a negative amount
  (returns, credit notes) are not purchases; zero-value lines are (CDNOW has a few);
* time in **weeks** (days / 7), measured from the customer's first purchase day; the calibration
  end date is the time point at which the customer is observed (a purchase *on* that date lies at
  t_x = T);
* ``x`` = repeat purchase days in the calibration period (the first purchase is not counted),
  ``t_x`` = time of the last calibration purchase, ``T`` = length of observation.

Source: P. S. Fader, B. G. S. Hardie, K. L. Lee (2005), "Counting Your Customers" the Easy Way:
An Alternative to the Pareto/NBD Model, *Marketing Science* 24(2) 275–284 (equation numbers below
refer to that paper), and the note "Computing P(alive) Using the BG/NBD Model" (Fader, Hardie &
Lee 2008). The API style follows pymc-marketing's / lifetimes' ``clv`` modules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd

from analytics import store
from analytics.filters import Filters

FloatArray = npt.NDArray[np.float64]

#: Reason codes of :class:`BgNbdFitError`, for the UI to translate.
REASON_CODES: tuple[str, ...] = (
    "too_few_customers",
    "no_repeat_buyers",
    "did_not_converge",
    "non_finite_optimum",
    "degenerate_optimum",
)
#: Fewer customers than this are not fitted.
MIN_CUSTOMERS = 10
#: Bounds of the log-parameters searched by :func:`fit` (e^±18 ≈ 1.5e-8 … 6.6e7).
_LOG_BOUND = 18.0
#: A parameter within this distance of a log bound counts as "ran off to 0 or ∞".
_BOUND_SLACK = 0.5
#: Frequency groups of :func:`holdout_check`: 0, 1, …, 6 and "7+".
FREQUENCY_GROUPS = 7


class BgNbdFitError(Exception):
    """The data cannot support a BG/NBD fit.

    ``reason_code`` is one of :data:`REASON_CODES` (stable, for translation); ``message`` is a
    plain-English explanation for logs and for users of the English UI.
    """

    def __init__(self, reason_code: str, message: str) -> None:
        super().__init__(f"{reason_code}: {message}")
        self.reason_code = reason_code
        self.message = message


@dataclass(frozen=True)
class BgNbdFit:
    """Maximum-likelihood BG/NBD parameters (time unit: weeks).

    ``r``, ``alpha``: shape and rate of the gamma distribution of the weekly purchase rate λ
    (mean rate r/α per week while alive). ``a``, ``b``: beta distribution of the dropout
    probability p after each purchase (mean a/(a+b)). ``loglik``: the maximised log-likelihood
    (sum over customers of FHL 2005 eq. 6). ``customers``: customers fitted. ``iterations``:
    optimizer iterations. ``converged``: the optimizer reported convergence (always true for a
    fit returned by :func:`fit`, which raises otherwise).
    """

    r: float
    alpha: float
    a: float
    b: float
    loglik: float
    customers: int
    iterations: int
    converged: bool


@dataclass(frozen=True)
class HoldoutCheck:
    """Calibration/holdout validation of a BG/NBD fit (FHL 2005, Figures 2–4).

    ``by_frequency``: one row per calibration frequency group with customers, columns
    ``frequency`` ("0", "1", …, "7+"), ``customers``, ``actual_mean`` and ``predicted_mean``
    (repeat purchase days per customer in the holdout period; FHL 2005 Figure 4).

    ``cumulative``: one row per week since the cohort's earliest first purchase, columns ``week``
    (1, 2, …), ``week_end`` (date of the week's last day, the last week ends at the holdout end),
    ``actual`` / ``predicted`` (repeat purchase days in that week), ``actual_cumulative`` /
    ``predicted_cumulative`` and ``holdout`` (the week ends after the calibration end); FHL 2005
    Figure 2 (cumulative) and Figure 3 (weekly).

    ``actual_holdout_total`` / ``predicted_holdout_total``: repeat purchase days of the calibration
    cohort in (calibration_end, holdout_end].
    """

    fit: BgNbdFit
    calibration_end: dt.date
    holdout_end: dt.date
    holdout_weeks: float
    by_frequency: pd.DataFrame
    cumulative: pd.DataFrame
    actual_holdout_total: int
    predicted_holdout_total: float


# --------------------------------------------------------------------------------------------
# Data: RFM triplets from the ledger
# --------------------------------------------------------------------------------------------


def _customer_sql(where: str) -> str:
    """Per-customer triplet and holdout purchase days; params: where…, cal ×4, holdout_end, cal ×2.

    ``where`` is a predicate built by :meth:`Filters.where`: whitelisted column names, every value
    a bound ``?`` parameter, so splicing it into the SQL text is safe.
    """
    return """
        with ledger as (
            select l.customer_id as customer_id, l.order_date as order_date
            from v_ledger as l
            where {where} and l.amount >= 0
        ),
        purchase_days as (
            select customer_id as customer_id, order_date as order_date
            from ledger
            group by customer_id, order_date
        ),
        firsts as (
            select customer_id as customer_id, min(order_date) as first_day
            from purchase_days
            group by customer_id
        ),
        cohort_days as (
            select p.customer_id as customer_id, p.order_date as order_date, f.first_day as first_day
            from purchase_days as p
            join firsts as f on f.customer_id = p.customer_id
            where f.first_day <= cast(? as date)
        ),
        per_customer as (
            select customer_id as customer_id,
                   first_day as first_day,
                   count(*) filter (where order_date <= cast(? as date)) as calibration_days,
                   max(order_date) filter (where order_date <= cast(? as date)) as last_day,
                   count(*) filter (
                       where order_date > cast(? as date) and order_date <= cast(? as date)
                   ) as holdout_days
            from cohort_days
            group by customer_id, first_day
        ),
        final as (
            select customer_id as customer_id,
                   cast(calibration_days - 1 as bigint) as x,
                   cast(date_diff('day', first_day, last_day) as double) / cast(7 as double) as t_x,
                   cast(date_diff('day', first_day, cast(? as date)) as double) / cast(7 as double) as "T",
                   cast(date_diff('day', cast(? as date), first_day) as bigint) as first_offset,
                   cast(holdout_days as bigint) as holdout_x
            from per_customer
        )
        select customer_id, x, t_x, "T", first_offset, holdout_x
        from final
        order by customer_id
    """.replace("{where}", where)


def _repeat_days_sql(where: str) -> str:
    """Repeat purchase days of the calibration cohort per date; params: where…, cal, holdout_end, cal.

    ``where`` comes from :meth:`Filters.where` (see :func:`_customer_sql`).
    """
    return """
        with ledger as (
            select l.customer_id as customer_id, l.order_date as order_date
            from v_ledger as l
            where {where} and l.amount >= 0
        ),
        purchase_days as (
            select customer_id as customer_id, order_date as order_date
            from ledger
            group by customer_id, order_date
        ),
        firsts as (
            select customer_id as customer_id, min(order_date) as first_day
            from purchase_days
            group by customer_id
        ),
        repeats as (
            select p.order_date as order_date, count(*) as repeat_days
            from purchase_days as p
            join firsts as f on f.customer_id = p.customer_id
            where f.first_day <= cast(? as date)
              and p.order_date > f.first_day
              and p.order_date <= cast(? as date)
            group by p.order_date
        ),
        final as (
            select cast(date_diff('day', cast(? as date), order_date) as bigint) as day_offset,
                   cast(repeat_days as bigint) as repeat_days
            from repeats
        )
        select day_offset, repeat_days
        from final
        order by day_offset
    """.replace("{where}", where)


def _customer_frame(
    con: duckdb.DuckDBPyConnection, filters: Filters, calibration_end: dt.date, holdout_end: dt.date
) -> pd.DataFrame:
    """Columns customer_id, x, t_x, T, first_offset (days, ≤ 0), holdout_x; see :func:`rfm_triplets`."""
    where, params = filters.without_dates().where("l")
    bound = [*params, calibration_end, calibration_end, calibration_end]
    bound += [calibration_end, holdout_end, calibration_end, calibration_end]
    frame = store.fetch_df(con, _customer_sql(where), bound)
    types = {"customer_id": "int64", "x": "int64", "t_x": "float64", "T": "float64"}
    return frame.astype(types | {"first_offset": "int64", "holdout_x": "int64"})


def rfm_triplets(con: duckdb.DuckDBPyConnection, filters: Filters, calibration_end: dt.date) -> pd.DataFrame:
    """Per-customer BG/NBD sufficient statistics (x, t_x, T) at ``calibration_end``.

    Grain: one row per customer whose first purchase day is on or before ``calibration_end``.
    Purchases are merged to purchase days (customer × calendar day with a line of amount ≥ 0).

    * ``x`` = (distinct purchase days ≤ calibration_end) − 1, the repeat purchases;
    * ``t_x`` = (last purchase day on or before calibration_end − first purchase day) / 7, weeks;
    * ``T`` = (calibration_end − first purchase day) / 7, in weeks.

    The filters' regions, reps, categories and channels apply; their date range does not (the
    model needs each customer's whole history, so :meth:`Filters.without_dates` is used).

    Source: Fader, Hardie & Lee 2005, section 2 ("(X = x, t_x, T)") and section 4 (CDNOW data,
    same-day purchases merged).

    Returns a DataFrame with columns ``customer_id`` (int64), ``x`` (int64), ``t_x`` and ``T``
    (float64, weeks), sorted by customer_id.
    """
    frame = _customer_frame(con, filters, calibration_end, calibration_end)
    return frame[["customer_id", "x", "t_x", "T"]].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Likelihood and fit
# --------------------------------------------------------------------------------------------


def _as_float(values: npt.ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def _individual_loglik(
    params: tuple[float, float, float, float], x: FloatArray, t_x: FloatArray, T: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Individual log-likelihood (FHL 2005 eq. 6) and the log-sum-exp weight of each term.

    Returns (ll, w_obs, w_drop): w_drop is the share of the "dropped out right after the last
    purchase" term in the likelihood (0 where x = 0), w_obs = 1 − w_drop. Used for the gradient.
    """
    from scipy import special  # scipy is imported where used: it would add ~0.4 s to every CLI start

    r, alpha, a, b = params
    repeat = x > 0
    common = (
        special.gammaln(r + x)
        - special.gammaln(r)
        + r * np.log(alpha)
        + special.gammaln(a + b)
        + special.gammaln(b + x)
        - special.gammaln(b)
        - special.gammaln(a + b + x)
    )
    alive = -(r + x) * np.log(alpha + T)
    # b + x - 1 > 0 whenever x ≥ 1; the x = 0 rows get -inf (the δ(x>0) term is absent).
    safe = np.where(repeat, b + x - 1.0, 1.0)
    dropped = np.where(repeat, np.log(a) - np.log(safe) - (r + x) * np.log(alpha + t_x), -np.inf)
    mixed = np.logaddexp(alive, dropped)
    w_drop = np.exp(dropped - mixed)
    return common + mixed, 1.0 - w_drop, w_drop


def _neg_loglik_and_grad(
    log_params: FloatArray, x: FloatArray, t_x: FloatArray, T: FloatArray, counts: FloatArray, scale: float
) -> tuple[float, FloatArray]:
    """Negative total log-likelihood / scale and its gradient with respect to the log-parameters."""
    from scipy import special

    r, alpha, a, b = (float(v) for v in np.exp(log_params))
    ll, w_obs, w_drop = _individual_loglik((r, alpha, a, b), x, t_x, T)
    repeat = x > 0
    safe = np.where(repeat, b + x - 1.0, 1.0)
    d_r = (
        special.digamma(r + x)
        - special.digamma(r)
        + np.log(alpha)
        - w_obs * np.log(alpha + T)
        - w_drop * np.log(alpha + t_x)
    )
    d_alpha = r / alpha - w_obs * (r + x) / (alpha + T) - w_drop * (r + x) / (alpha + t_x)
    d_a = special.digamma(a + b) - special.digamma(a + b + x) + w_drop / a
    d_b = (
        special.digamma(a + b)
        + special.digamma(b + x)
        - special.digamma(b)
        - special.digamma(a + b + x)
        - np.where(repeat, w_drop / safe, 0.0)
    )
    # Weighted sums as multiply-and-sum, not `counts @ d`: a BLAS dot spins up BLAS threads,
    # which on a busy machine made a fit 10-30x slower in the benchmark.
    grad = np.array(
        [
            r * float(np.sum(counts * d_r)),
            alpha * float(np.sum(counts * d_alpha)),
            a * float(np.sum(counts * d_a)),
            b * float(np.sum(counts * d_b)),
        ]
    )
    total = float(np.sum(counts * ll))
    if not np.isfinite(total) or not np.all(np.isfinite(grad)):
        return float(np.inf), np.zeros(4)
    return -total / scale, -grad / scale


def _aggregate(x: FloatArray, t_x: FloatArray, T: FloatArray, counts: FloatArray) -> tuple[FloatArray, ...]:
    """Collapse identical (x, t_x, T) rows, summing their counts (sorted by x, t_x, T)."""
    if len(x) == 0:
        return x, t_x, T, counts
    order = np.lexsort((T, t_x, x))
    xs, txs, Ts = x[order], t_x[order], T[order]
    new = np.ones(len(xs), dtype=bool)
    new[1:] = (xs[1:] != xs[:-1]) | (txs[1:] != txs[:-1]) | (Ts[1:] != Ts[:-1])
    starts = np.flatnonzero(new)
    summed = np.add.reduceat(counts[order], starts)
    return xs[starts], txs[starts], Ts[starts], np.asarray(summed, dtype=np.float64)


def fit(x: npt.ArrayLike, t_x: npt.ArrayLike, T: npt.ArrayLike, *, counts: npt.ArrayLike | None = None) -> BgNbdFit:
    """Fit the BG/NBD model by maximum likelihood.

    Maximises LL(r, α, a, b) = Σ_i n_i · ln L_i with (FHL 2005 eq. 6)

        L_i = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
              + δ(x>0) · B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)),

    evaluated as ln Γ terms plus logaddexp(−(r+x)·ln(α+T), ln a − ln(b+x−1) − (r+x)·ln(α+t_x)),
    using B(a+1, b+x−1)/B(a, b+x) = a/(b+x−1). The search runs over the log-parameters with
    L-BFGS-B and the analytic gradient (Nelder–Mead as a fallback).

    Grain: one element per customer, or per distinct (x, t_x, T) with ``counts`` customers each;
    identical rows are aggregated first, so 500,000 customers cost about as much as their distinct
    triplets. Units: x in purchases (repeat purchase days), t_x and T in a common time unit
    (weeks in this project); α is in that unit.

    Raises :class:`BgNbdFitError` when the data cannot support a fit: fewer than
    :data:`MIN_CUSTOMERS` customers (``too_few_customers``), nobody with a repeat purchase
    (``no_repeat_buyers``), an optimizer failure (``did_not_converge``), a non-finite optimum
    (``non_finite_optimum``) or a parameter running off to 0 or infinity (``degenerate_optimum``).
    Raises ``ValueError`` for malformed input (shapes, negative values, t_x > T).

    Source: Fader, Hardie & Lee 2005, eq. 6 (likelihood) and section 4 (estimation).
    """
    xs, txs, Ts = _as_float(x).ravel(), _as_float(t_x).ravel(), _as_float(T).ravel()
    weights = np.ones_like(xs) if counts is None else _as_float(counts).ravel()
    if not (len(xs) == len(txs) == len(Ts) == len(weights)):
        raise ValueError("x, t_x, T (and counts) must have the same length")
    if not all(np.all(np.isfinite(v)) for v in (xs, txs, Ts, weights)):
        raise ValueError("x, t_x, T and counts must be finite")
    if np.any(xs < 0) or np.any(txs < 0) or np.any(weights < 0) or np.any(txs > Ts + 1e-9):
        raise ValueError("need x ≥ 0, 0 ≤ t_x ≤ T and counts ≥ 0")
    if np.any(xs != np.round(xs)):
        raise ValueError("x must be whole numbers of repeat purchases")

    keep = weights > 0
    xs, txs, Ts, weights = _aggregate(xs[keep], txs[keep], Ts[keep], weights[keep])
    customers = float(weights.sum())
    if customers < MIN_CUSTOMERS:
        raise BgNbdFitError(
            "too_few_customers",
            f"Only {customers:g} customers; the model needs at least {MIN_CUSTOMERS} to estimate anything.",
        )
    if not np.any(xs > 0):
        raise BgNbdFitError(
            "no_repeat_buyers",
            "No customer bought again after the first purchase, so purchase rates and dropout "
            "cannot be told apart. Use a longer history or a later calibration end.",
        )

    from scipy import optimize

    scale = customers
    mean_T = float(np.average(Ts, weights=weights))
    start = np.log(np.array([1.0, max(mean_T, 1.0), 1.0, 1.0]))
    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * 4
    args = (xs, txs, Ts, weights, scale)
    result = optimize.minimize(
        _neg_loglik_and_grad,
        start,
        args=args,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-9},
    )
    iterations = int(result.nit)
    if not result.success or not np.isfinite(result.fun):
        # Nelder–Mead does not use the gradient; it is slower but robust to rough surfaces.
        fallback = optimize.minimize(
            lambda p: _neg_loglik_and_grad(np.clip(p, -_LOG_BOUND, _LOG_BOUND), *args)[0],
            result.x if np.all(np.isfinite(result.x)) else start,
            method="Nelder-Mead",
            options={"maxiter": 20000, "xatol": 1e-9, "fatol": 1e-13},
        )
        iterations += int(fallback.nit)
        if not fallback.success:
            raise BgNbdFitError(
                "did_not_converge",
                f"The optimizer did not converge ({result.message}; {fallback.message}).",
            )
        result = fallback
    log_params = np.asarray(result.x, dtype=np.float64)
    neg_ll = float(_neg_loglik_and_grad(np.clip(log_params, -_LOG_BOUND, _LOG_BOUND), *args)[0])
    if not np.isfinite(neg_ll) or not np.all(np.isfinite(log_params)):
        raise BgNbdFitError("non_finite_optimum", "The likelihood has no finite maximum on this data.")
    if np.any(np.abs(log_params) > _LOG_BOUND - _BOUND_SLACK):
        raise BgNbdFitError(
            "degenerate_optimum",
            "A model parameter ran off to zero or infinity: the data do not identify the model "
            "(typically too little repeat buying or too short a history).",
        )
    r, alpha, a, b = (float(v) for v in np.exp(log_params))
    return BgNbdFit(
        r=r,
        alpha=alpha,
        a=a,
        b=b,
        loglik=-neg_ll * scale,
        customers=round(customers),
        iterations=iterations,
        converged=True,
    )


# --------------------------------------------------------------------------------------------
# Customer-level quantities
# --------------------------------------------------------------------------------------------


def p_alive(fit: BgNbdFit, x: npt.ArrayLike, t_x: npt.ArrayLike, T: npt.ArrayLike) -> FloatArray:
    """Probability that a customer with history (x, t_x, T) is still alive at T.

    P(alive | x, t_x, T) = 1 / (1 + δ(x>0) · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)),

    computed as expit(−L) with L = ln a − ln(b+x−1) + (r+x)·(ln(α+T) − ln(α+t_x)), so large
    ratios cannot overflow. Customers with x = 0 get exactly 1: in the BG/NBD model dropout can
    only happen right after a purchase, and nobody has made a repeat purchase yet.

    Grain: element-wise over customers (numpy broadcasting); x in repeat purchases, t_x and T in
    the fit's time unit (weeks). Returns a float array in (0, 1]; probabilities below the smallest
    normal float (~2.2e-308, astronomically unlikely histories) are reported as that float.

    Source: Fader, Hardie & Lee (2008), "Computing P(alive) Using the BG/NBD Model" (the
    P(alive) expression implied by Fader, Hardie & Lee 2005, eqs. 6 and 10).
    """
    from scipy import special

    xs, txs, Ts = np.broadcast_arrays(_as_float(x), _as_float(t_x), _as_float(T))
    repeat = xs > 0
    safe = np.where(repeat, fit.b + xs - 1.0, 1.0)
    log_odds = np.where(
        repeat,
        np.log(fit.a) - np.log(safe) + (fit.r + xs) * (np.log(fit.alpha + Ts) - np.log(fit.alpha + txs)),
        -np.inf,
    )
    probability = np.asarray(special.expit(-log_odds), dtype=np.float64)
    return np.maximum(probability, np.finfo(np.float64).tiny)


def _nudged_a(a: float) -> float:
    """Keep ``a`` 1e-7 away from 1, where eqs. 7 and 10 are 0/0 (their limits are continuous)."""
    if abs(a - 1.0) < 1e-7:
        return 1.0 + 1e-7 if a >= 1.0 else 1.0 - 1e-7
    return a


def _one_minus_scaled_hyp2f1(p: FloatArray, q: FloatArray, c: FloatArray, z: FloatArray) -> FloatArray:
    """1 − (1−z)^p · ₂F₁(p, q; c; z) for 0 ≤ z < 1, guarding the hypergeometric function.

    z is clipped to [0, 1 − 1e-15]. Where scipy's ₂F₁ is not finite (z very close to 1), Euler's
    transformation ₂F₁(p, q; c; z) = (1−z)^(c−p−q) ₂F₁(c−p, c−q; c; z) is used instead.
    """
    from scipy import special

    zc = np.clip(z, 0.0, 1.0 - 1e-15)
    with np.errstate(all="ignore"):
        direct = np.exp(p * np.log1p(-zc)) * special.hyp2f1(p, q, c, zc)
        bad = ~np.isfinite(direct)
        if np.any(bad):
            euler = np.exp((c - q) * np.log1p(-zc)) * special.hyp2f1(c - p, c - q, c, zc)
            direct = np.where(bad, euler, direct)
    return np.asarray(1.0 - direct, dtype=np.float64)


def expected_purchases_unconditional(fit: BgNbdFit, t: npt.ArrayLike) -> FloatArray:
    """Return the expected repeat purchases in (0, t] of a customer acquired at time 0.

    E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r · ₂F₁(r, b; a+b−1; t/(α+t))].

    Grain: element-wise over ``t`` (time since the customer's first purchase, in the fit's unit,
    weeks); negative t gives 0. Summing it over a cohort, each customer from their own first
    purchase, gives the cumulative repeat-purchase tracking curve.

    Source: Fader, Hardie & Lee 2005, eq. 7.
    """
    ts = np.maximum(_as_float(t), 0.0)
    a = _nudged_a(fit.a)
    z = ts / (fit.alpha + ts)
    ones = np.ones_like(ts)
    bracket = _one_minus_scaled_hyp2f1(fit.r * ones, fit.b * ones, (a + fit.b - 1.0) * ones, z)
    value = (a + fit.b - 1.0) / (a - 1.0) * bracket
    return np.asarray(np.maximum(value, 0.0), dtype=np.float64)


def conditional_expected_purchases(
    fit: BgNbdFit, t: npt.ArrayLike, x: npt.ArrayLike, t_x: npt.ArrayLike, T: npt.ArrayLike
) -> FloatArray:
    """Return the expected purchases in (T, T+t] of a customer with history (x, t_x, T).

    E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1)
                          · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
                          · P(alive | x, t_x, T),

    the last factor being 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x)) (:func:`p_alive`).
    The ₂F₁ argument t/(α+T+t) lies in [0, 1); it is clipped and, near 1, Euler-transformed.

    Grain: element-wise over customers (numpy broadcasting); t, t_x and T in the fit's time unit
    (weeks); the result is in purchases (repeat purchase days), ≥ 0 and increasing in t.

    Source: Fader, Hardie & Lee 2005, eq. 10.
    """
    ts, xs, txs, Ts = np.broadcast_arrays(np.maximum(_as_float(t), 0.0), _as_float(x), _as_float(t_x), _as_float(T))
    a = _nudged_a(fit.a)
    z = ts / (fit.alpha + Ts + ts)
    bracket = _one_minus_scaled_hyp2f1(fit.r + xs, fit.b + xs, a + fit.b + xs - 1.0, z)
    value = (a + fit.b + xs - 1.0) / (a - 1.0) * bracket * p_alive(fit, xs, txs, Ts)
    return np.asarray(np.maximum(value, 0.0), dtype=np.float64)


# --------------------------------------------------------------------------------------------
# Holdout check
# --------------------------------------------------------------------------------------------


def _frequency_label(x: npt.NDArray[np.int64]) -> list[str]:
    return [f"{FREQUENCY_GROUPS}+" if v >= FREQUENCY_GROUPS else str(v) for v in x.tolist()]


def holdout_check(
    con: duckdb.DuckDBPyConnection, filters: Filters, calibration_end: dt.date, holdout_end: dt.date
) -> HoldoutCheck:
    """Fit on the calibration period and compare predictions with the holdout period.

    The model is fitted on :func:`rfm_triplets` at ``calibration_end`` (customers whose first
    purchase day is on or before it). Holdout length t* = (holdout_end − calibration_end) / 7
    weeks; the holdout covers purchase days in (calibration_end, holdout_end].

    * ``by_frequency`` (FHL 2005 Figure 4): customers grouped by calibration x into 0, …, 6, "7+";
      actual mean holdout repeat purchase days vs the mean of E[Y(t*) | x, t_x, T] (eq. 10).
      Groups without customers are left out.
    * ``cumulative`` (FHL 2005 Figures 2–3): for weeks k = 1, 2, … since the cohort's earliest
      first purchase s₀ (the last week ending at ``holdout_end``), actual repeat purchase days of
      the cohort up to s₀ + 7k days vs Σ_i E[X((s₀ + 7k − s_i)/7)] (eq. 7), each customer i
      counted from their own first purchase day s_i.

    Filters apply as in :func:`rfm_triplets` (without their date range). Raises ``ValueError``
    when ``holdout_end`` is not after ``calibration_end`` and :class:`BgNbdFitError` as
    :func:`fit` does. The ledger is assumed to cover the holdout period; days with no data count
    as days without purchases.

    Source: Fader, Hardie & Lee 2005, section 4 (calibration to 1997-09-30, 39-week holdout).
    """
    if holdout_end <= calibration_end:
        raise ValueError("holdout_end must be after calibration_end")
    frame = _customer_frame(con, filters, calibration_end, holdout_end)
    x = frame["x"].to_numpy(dtype=np.int64)
    t_x = frame["t_x"].to_numpy(dtype=np.float64)
    T = frame["T"].to_numpy(dtype=np.float64)
    fitted = fit(x, t_x, T)
    holdout_days = (holdout_end - calibration_end).days
    holdout_weeks = holdout_days / 7.0

    actual = frame["holdout_x"].to_numpy(dtype=np.float64)
    predicted = conditional_expected_purchases(fitted, holdout_weeks, x, t_x, T)
    groups = pd.DataFrame(
        {
            "group": np.minimum(x, FREQUENCY_GROUPS),
            "actual": actual,
            "predicted": predicted,
        }
    )
    summary = groups.groupby("group", sort=True).agg(
        customers=("actual", "size"), actual_mean=("actual", "mean"), predicted_mean=("predicted", "mean")
    )
    by_frequency = pd.DataFrame(
        {
            "frequency": _frequency_label(summary.index.to_numpy(dtype=np.int64)),
            "customers": summary["customers"].to_numpy(dtype=np.int64),
            "actual_mean": summary["actual_mean"].to_numpy(dtype=np.float64),
            "predicted_mean": summary["predicted_mean"].to_numpy(dtype=np.float64),
        }
    )

    cumulative = _cumulative_tracking(con, filters, calibration_end, holdout_end, frame, fitted)
    return HoldoutCheck(
        fit=fitted,
        calibration_end=calibration_end,
        holdout_end=holdout_end,
        holdout_weeks=holdout_weeks,
        by_frequency=by_frequency,
        cumulative=cumulative,
        actual_holdout_total=int(actual.sum()),
        predicted_holdout_total=float(predicted.sum()),
    )


def _cumulative_tracking(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    calibration_end: dt.date,
    holdout_end: dt.date,
    frame: pd.DataFrame,
    fitted: BgNbdFit,
) -> pd.DataFrame:
    """Weekly actual vs predicted repeat purchase days of the calibration cohort (see holdout_check)."""
    # Offsets are days relative to calibration_end: first purchases ≤ 0, holdout end > 0.
    first_offsets = frame["first_offset"].to_numpy(dtype=np.int64)
    start = int(first_offsets.min())
    end = (holdout_end - calibration_end).days
    weeks = -(-(end - start) // 7)
    week_ends = np.minimum(start + 7 * np.arange(1, weeks + 1), end)

    where, params = filters.without_dates().where("l")
    repeats = store.fetch_df(con, _repeat_days_sql(where), [*params, calibration_end, holdout_end, calibration_end])
    day_offsets = repeats["day_offset"].to_numpy(dtype=np.int64)
    cum_repeats = np.concatenate([[0], np.cumsum(repeats["repeat_days"].to_numpy(dtype=np.int64))])
    actual_cum = cum_repeats[np.searchsorted(day_offsets, week_ends, side="right")]

    # E[X(t)] depends only on the whole number of days since first purchase: evaluate each once.
    unique_firsts, first_counts = np.unique(first_offsets, return_counts=True)
    expected_by_lag = expected_purchases_unconditional(fitted, np.arange(end - start + 1) / 7.0)
    lags = np.maximum(week_ends[:, None] - unique_firsts[None, :], 0)
    predicted_cum = expected_by_lag[lags] @ first_counts.astype(np.float64)

    week_end_dates = [calibration_end + dt.timedelta(days=int(d)) for d in week_ends]
    actual_cum_f = actual_cum.astype(np.float64)
    return pd.DataFrame(
        {
            "week": np.arange(1, weeks + 1, dtype=np.int64),
            "week_end": week_end_dates,
            "actual": np.diff(actual_cum_f, prepend=0.0),
            "predicted": np.diff(predicted_cum, prepend=0.0),
            "actual_cumulative": actual_cum_f,
            "predicted_cumulative": predicted_cum,
            "holdout": week_ends > 0,
        }
    )
