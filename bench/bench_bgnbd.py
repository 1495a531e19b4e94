"""Benchmark analytics.bgnbd.fit on simulated BG/NBD customers (50,000 and 500,000).

Customers are drawn from the BG/NBD model with the CDNOW parameters of Fader, Hardie & Lee
(2005): λ ~ Gamma(r, α), p ~ Beta(a, b); T uniform over 1..364 days (up to 52 weeks); purchase
times are rounded to whole days so that (x, t_x, T) triplets repeat the way real ledger data
does. Prints one JSON object: per size, the median of 3 fit times, the number of distinct
triplets and the recovered parameters.

Run: ``.venv/bin/python bench/bench_bgnbd.py``
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics import bgnbd

TRUE = {"r": 0.2426, "alpha": 4.4135, "a": 0.7929, "b": 2.4258}
SIZES = (50_000, 500_000)
REPEATS = 3


def simulate(n: int, seed: int = 2005) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw n customers' (x, t_x, T) in weeks, at whole-day resolution.

    A customer alive throughout would make N(T) ~ Poisson(λT) repeat purchases in (0, T]; they
    drop out right after repeat purchase J ~ Geometric(p) (J ≥ 1), so x = min(J, N(T)). Given N(T),
    purchase times are uniform order statistics, so t_x = T · Beta(x, N(T) − x + 1) for x > 0.
    """
    rng = np.random.default_rng(seed)
    lam = rng.gamma(TRUE["r"], 1.0 / TRUE["alpha"], n)
    p = rng.beta(TRUE["a"], TRUE["b"], n)
    T_days = rng.integers(1, 365, n)
    T = T_days / 7.0
    n_arrivals = rng.poisson(lam * T)
    dropout_after = rng.geometric(p)
    x = np.minimum(n_arrivals, dropout_after)
    share = np.zeros(n)
    repeat = x > 0
    share[repeat] = rng.beta(x[repeat], n_arrivals[repeat] - x[repeat] + 1)
    t_x_days = np.rint(share * T_days)
    return x.astype(np.float64), t_x_days / 7.0, T


def main() -> None:
    result: dict[str, object] = {"true": TRUE, "repeats": REPEATS, "runs": []}
    runs: list[dict[str, object]] = []
    for n in SIZES:
        x, t_x, T = simulate(n)
        distinct = len(np.unique(np.column_stack([x, t_x, T]), axis=0))
        seconds: list[float] = []
        fitted = None
        for _ in range(REPEATS):
            start = time.perf_counter()
            fitted = bgnbd.fit(x, t_x, T)
            seconds.append(time.perf_counter() - start)
        assert fitted is not None
        runs.append(
            {
                "customers": n,
                "distinct_triplets": distinct,
                "repeat_buyers": int((x > 0).sum()),
                "fit_seconds_median": round(statistics.median(seconds), 4),
                "fit_seconds_all": [round(s, 4) for s in seconds],
                "iterations": fitted.iterations,
                "r": round(fitted.r, 4),
                "alpha": round(fitted.alpha, 4),
                "a": round(fitted.a, 4),
                "b": round(fitted.b, 4),
                "loglik": round(fitted.loglik, 2),
            }
        )
    result["runs"] = runs
    print(json.dumps(result))


if __name__ == "__main__":
    main()
