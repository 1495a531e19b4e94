"""Key-account analytics at scale: cold page computation and warm slider steps on a big ledger.

Builds (once, cached under bench/out/) a store with N transactions (default 10,000,000) over
M customers (default 500,000) generated inside DuckDB, then measures:

* ``cold_facts``: :func:`analytics.key_accounts.period_facts` (the one ledger scan), against the
  ``floor``: the bare per-customer aggregate SQL in DuckDB fetched as Arrow;
* warm slider steps on the cached facts, p50/p95 over ``--repeat`` runs with random settings:
  ``abc_cutoffs`` (rank + ABC + headline), ``tier_thresholds`` (absolute tiers + tier table),
  ``rank_tiers``, and ``customer_table`` (everything a page shows for a slider move).

Prints one JSON object. Usage: ``python -m bench.bench_analytics [--rows N] [--customers M] [--repeat K]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from analytics import key_accounts, pareto, store, tiers
from analytics.filters import Filters

OUT = Path(__file__).resolve().parent / "out"
SLIDER_TARGET_P95_S = 0.150
COLD_TARGET_S = 2.0


def build_store(path: Path, rows: int, customers: int) -> None:
    """Write a synthetic ledger straight into the store's tables (heavy-tailed, 3 years, 2% returns)."""
    con = store.connect(path)
    con.execute("select setseed(0.42)")
    con.execute(
        """
        insert into customers (customer_id, customer_key, customer_name)
        select i, 'c' || i, '客户' || lpad(cast(i as varchar), 7, '0') from range(1, ? + 1) as t(i)
        """,
        [customers],
    )
    # customer = floor(M * u^3) + 1 concentrates lines on low ids: a visible 80/20
    con.execute(
        """
        insert into transactions
        select 1, cast(i as integer), cast(floor(? * pow(random(), 3)) + 1 as integer),
               cast(date '2023-01-01' + cast(floor(random() * 1095) as integer) as date),
               cast(round(exp(7 + 1.2 * sqrt(-2 * ln(random())) * cos(6.283185 * random())), 2)
                    * (case when random() < 0.02 then -1 else 1 end) as decimal(18, 4)),
               null, null, null, 'SO' || i, null, null,
               (['华东', '华南', '华北', '华中', '西南', '西北'])[1 + cast(floor(random() * 6) as integer)],
               null, null, cast(i as ubigint)
        from range(1, ? + 1) as t(i)
        """,
        [customers, rows],
    )
    con.execute(
        """
        insert into uploads values (1, 'ledger', 'synthetic', 'synthetic', null, ?, ?, 0, '{}', '{}', '{}',
                                    date '2023-01-01', date '2025-12-31', 'bench', current_timestamp, 'stored',
                                    null, false)
        """,
        [rows, rows],
    )
    con.execute("checkpoint")
    con.close()


def timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    """Median and p95 wall seconds of ``fn`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times.sort()
    return {
        "p50_s": round(statistics.median(times), 4),
        "p95_s": round(times[min(len(times) - 1, int(0.95 * len(times)))], 4),
        "runs": repeat,
    }


def main() -> None:
    """Run the benchmark and print JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--customers", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    path = OUT / f"ledger_{args.rows}_{args.customers}.duckdb"
    build_s = None
    if not path.exists():
        start = time.perf_counter()
        build_store(path, args.rows, args.customers)
        build_s = round(time.perf_counter() - start, 1)
    con = store.connect(path)
    filters = Filters()
    rng = np.random.default_rng(1)

    cold = timed(lambda: key_accounts.period_facts(con, filters), 3)
    bounds = key_accounts.period_facts(con, filters).bounds
    assert bounds is not None
    where, params = bounds.current_filters(filters).where()
    floor_sql = f"""
        select customer_id, sum(amount) as revenue, sum(profit) as profit, count(distinct order_id) as orders,
               count(distinct order_date) as purchase_days, min(order_date) as first_date,
               max(order_date) as last_date
        from v_ledger where {where} group by customer_id
    """
    floor = timed(lambda: con.cursor().sql(floor_sql, params=params).to_arrow_table(), 3)
    data = key_accounts.period_facts(con, filters)
    facts = data.facts
    ranking = pareto.rank(facts)

    def abc_step() -> None:
        a = float(rng.uniform(0.5, 0.9))
        pareto.abc(ranking, a, min(0.99, a + float(rng.uniform(0.05, 0.2))))
        pareto.headline(ranking, float(rng.uniform(0.05, 0.5)))

    def tier_step() -> None:
        vip = float(rng.uniform(1e3, 1e5))
        scheme = tiers.TierScheme(thresholds=tiers.AbsoluteThresholds(vip * 500, vip * 100, vip * 50, vip))
        tiers.tier_table(tiers.assign_tiers(facts, scheme), scheme)

    def rank_tier_step() -> None:
        key = float(rng.uniform(0.01, 0.1))
        scheme = tiers.TierScheme(mode="rank", shares=tiers.RankShares(key, 0.15, 0.3))
        tiers.tier_table(tiers.assign_tiers(ranking, scheme), scheme)

    def table_step() -> None:
        a = float(rng.uniform(0.5, 0.9))
        key_accounts.customer_table(data, key_accounts.KeyAccountSettings(a_cut=a, b_cut=min(0.99, a + 0.1)))

    steps = {
        "abc_cutoffs": timed(abc_step, args.repeat),
        "tier_thresholds": timed(tier_step, args.repeat),
        "rank_tiers": timed(rank_tier_step, args.repeat),
        "customer_table": timed(table_step, max(3, args.repeat // 5)),
    }
    result = {
        "rows": args.rows,
        "customers": args.customers,
        "customers_in_period": len(facts),
        "store_build_s": build_s,
        "cold_facts": cold,
        "floor_bare_sql": floor,
        "cold_vs_floor": round(cold["p50_s"] / floor["p50_s"], 2),
        "slider_steps": steps,
        "targets": {
            "slider_p95_le_150ms": {
                name: {"met": s["p95_s"] <= SLIDER_TARGET_P95_S, "p95_s": s["p95_s"]}
                for name, s in steps.items()
                if name != "customer_table"
            },
            "cold_le_2s": {"met": cold["p50_s"] <= COLD_TARGET_S, "p50_s": cold["p50_s"]},
        },
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "loadavg": os.getloadavg()[0],
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
