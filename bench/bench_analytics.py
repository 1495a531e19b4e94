"""Every analysis at scale: cold page computation, warm slider steps, bare-SQL floors, peak RSS.

On the store of :mod:`bench.scale_store` (default 10,000,000 ledger lines, 500,000 customers,
125,000 surveys, 40,000 complaints; built once, cached under ``bench/out/``), through the same
calls and caches the pages use (``ui.state.query`` / ``ui.state.query_shared`` outside a
Streamlit server, i.e. with Streamlit's in-memory cache storage):

* ``cold`` — per page, what a first visit computes (every cache empty), p50 of ``--cold-repeat``
  runs, next to its ``floor``: the same SQL run bare — every statement the page's cold run sent
  to DuckDB, recorded with its parameters and replayed straight to Arrow (no Python step), in
  the same run — and, for reference, ``aggregate_floor``: the page's minimal per-customer
  aggregates alone (what its SQL does beyond them: region/rep picks, order counts, follow-ups);
* ``tabs`` — the heavier tabs of the Churn page (who was lost, at risk + BG/NBD fit, cohorts,
  what-if), cold, once each (``--skip-tabs`` leaves them out);
* ``slider`` — warm slider steps, p50/p95 over ``--repeat`` runs with random settings: what the
  page recomputes after a move, cached inputs fetched from the cache as the page does
  (ABC cutoffs, top-X%, tier floors, rank shares, churn window: every window 1–24 once, in
  random order, each a first visit);
* ``peak_rss_mb`` (this process, everything above), load average before/after, and ``targets``
  (issue 6) with ``met`` and the gap.

Prints one JSON object (``--out FILE`` also writes it). Usage::

    python -m bench.bench_analytics [--rows N] [--repeat K] [--cold-repeat K] [--skip-tabs] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bench import scale_store
from bench.targets import at_most

SLIDER_TARGET_P95_S = 0.150
COLD_TARGET_S = 2.0
FLOOR_RATIO_TARGET = 2.0
RSS_TARGET_MB = 3 * 1024


def _seconds(times: list[float]) -> dict[str, Any]:
    ordered = sorted(times)
    return {
        "p50_s": round(statistics.median(ordered), 4),
        "p95_s": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 4),
        "max_s": round(ordered[-1], 4),
        "runs": len(ordered),
    }


def timed(fn: Callable[[], object], repeat: int, before: Callable[[], object] | None = None) -> dict[str, Any]:
    """p50/p95/max wall seconds of ``fn`` over ``repeat`` runs (``before`` runs untimed before each)."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return _seconds(times)


def _rss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _commit() -> dict[str, Any]:
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "analytics", "ui", "pages"], cwd=root, capture_output=True, text=True
        )
    except OSError:
        return {}
    return {"commit": head.stdout.strip(), "uncommitted": sorted(line[3:] for line in dirty.stdout.splitlines())}


def main() -> None:
    """Run the benchmark and print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=30, help="runs per slider step")
    parser.add_argument("--cold-repeat", type=int, default=3, help="runs per cold page and floor")
    parser.add_argument("--skip-tabs", action="store_true", help="leave out the heavy Churn tabs")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    load_before = os.getloadavg()
    path, built = scale_store.ensure(args.rows)
    os.environ["KARADAR_DB"] = str(path)

    # imported after KARADAR_DB is set: ui.state opens that store
    from bench import page_steps

    steps = page_steps.PageSteps(np.random.default_rng(1))
    steps.clear()
    cold: dict[str, Any] = {}
    for page, run in steps.cold_pages().items():
        cold[page] = timed(run, args.cold_repeat, before=steps.clear)
    floors: dict[str, Any] = {}
    for page, (statements, replay) in steps.same_sql_floors().items():
        floors[page] = {"statements": statements, **timed(replay, args.cold_repeat)}
    aggregate_floors = {page: timed(run, args.cold_repeat) for page, run in steps.aggregate_floors().items()}
    for page, result in cold.items():
        floor, aggregate = floors[page], aggregate_floors[page]
        result["floor_p50_s"] = floor["p50_s"]
        result["vs_floor"] = round(result["p50_s"] / floor["p50_s"], 2)
        result["aggregate_floor_p50_s"] = aggregate["p50_s"]
        result["vs_aggregate_floor"] = round(result["p50_s"] / aggregate["p50_s"], 2)
    rss_after_pages = _rss_mb()

    # warm: every page's cached inputs in place, then the slider steps
    steps.clear()
    for run in steps.cold_pages().values():
        run()
    slider = {name: timed(run, args.repeat) for name, run in steps.slider_steps().items()}
    slider["churn_window"] = _seconds(steps.churn_window_moves())
    rss_after_sliders = _rss_mb()

    tabs: dict[str, Any] = {}
    if not args.skip_tabs:
        for name, run in steps.churn_tabs().items():
            tabs[name] = timed(run, 1)
    peak = _rss_mb()

    targets = {
        "slider_p95_le_150ms": {
            name: at_most("p95_s", s["p95_s"], SLIDER_TARGET_P95_S, "gap_s", 4) for name, s in slider.items()
        },
        "cold_page_le_2s": {page: at_most("p50_s", c["p50_s"], COLD_TARGET_S, "gap_s", 3) for page, c in cold.items()},
        "cold_le_2x_floor": {
            page: at_most("ratio", c["vs_floor"], FLOOR_RATIO_TARGET, "gap_ratio", 2)
            for page, c in cold.items()
            if "vs_floor" in c
        },
        "peak_rss_le_3gb": at_most("peak_rss_mb", peak, RSS_TARGET_MB, "gap_mb"),
    }
    result = {
        "benchmark": "analytics",
        "date": dt.date.today().isoformat(),
        "store": {"path": str(path), "built_s": built, **steps.sizes()},
        "cold": cold,
        "floors": floors,
        "aggregate_floors": aggregate_floors,
        "slider": slider,
        "churn_tabs": tabs,
        "peak_rss_mb": peak,
        "rss_mb": {"after_cold_pages": rss_after_pages, "after_sliders": rss_after_sliders, "after_tabs": peak},
        "targets": targets,
        "loadavg": {"before": [round(v, 2) for v in load_before], "after": [round(v, 2) for v in os.getloadavg()]},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), **steps.versions()},
        **_commit(),
    }
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
