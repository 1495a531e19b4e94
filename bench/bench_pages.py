"""Whole page reruns in AppTest: time after a slider move, bytes sent to the browser, points per chart trace.

Runs the real app (``app.py``: frame, sidebar, page) in Streamlit's AppTest on two stores, each in
its own child process (so each has its own caches and peak RSS): the demo company
(``bench/out/demo.duckdb``) and the big store of :mod:`bench.scale_store` (10,000,000 lines,
500,000 customers). For every page it records

* ``open_s`` — the first visit (cold caches for the page's own queries), and each further tab;
* ``moves`` — reruns after a widget move (ABC cutoffs, top-X%, a tier floor, rank mode and a
  share, an RFM segment, the churn window), p50/p95/max over ``--moves`` random values;
* ``largest_message_bytes`` / ``sent_bytes`` — the largest ForwardMsg of a run and the sum of all
  of a run's messages (serialized protobuf, what the server writes to the browser's websocket;
  the server's message cache spares re-sending an unchanged large message, not counted here),
  with the element that sent the largest one;
* ``max_trace_points`` — the most points (x/y/z/values/… entries, typed arrays decoded) of any
  Plotly trace drawn, and ``traces_over_limit`` (traces above :data:`POINT_LIMIT`).

Prints one JSON object (``--out FILE`` also writes it) with ``targets`` (issue 6: slider rerun ≤
150 ms, no trace above ~2,000 points, no message above a few MB — read as 4 MB) and the gap.
Usage: ``python -m bench.bench_pages [--rows N] [--moves K] [--stores demo,scale] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from bench import scale_store
from bench.targets import at_most

ROOT = Path(__file__).resolve().parent.parent
POINT_LIMIT = 2_000
MESSAGE_LIMIT_BYTES = 4 * 2**20
RERUN_TARGET_S = 0.150
TIMEOUT_S = 900
_ARRAY_KEYS = ("x", "y", "z", "values", "labels", "ids", "lat", "lon", "r", "theta", "text", "customdata")


def demo_store() -> Path:
    """The demo company's store, built once under ``bench/out/``."""
    path = scale_store.OUT / "demo.duckdb"
    if not path.exists():
        from analytics import store
        from data import demo

        scale_store.OUT.mkdir(parents=True, exist_ok=True)
        con = store.connect(path)
        try:
            demo.load_demo(con)
        finally:
            con.close()
    return path


# ---- what a run sent ----------------------------------------------------------------------


def _length(value: Any) -> int:
    """Entries of a Plotly data array: a list (nested: every cell), or a typed array ``{dtype, bdata}``."""
    if isinstance(value, dict) and "bdata" in value:
        if "shape" in value:
            return int(np.prod([int(s) for s in str(value["shape"]).split(",")]))
        return len(base64.b64decode(value["bdata"])) // np.dtype(value["dtype"]).itemsize
    if isinstance(value, list):
        return sum(_length(v) if isinstance(v, list | dict) else 1 for v in value)
    return 0


def trace_points(trace: dict[str, Any]) -> int:
    """Most entries of any data array of one trace (Sankey: its links and nodes)."""
    parts = [trace.get(key) for key in _ARRAY_KEYS]
    for nested in ("link", "node"):
        if isinstance(trace.get(nested), dict):
            parts += [trace[nested].get(key) for key in ("value", "label", "source", "target")]
    return max((_length(p) for p in parts if p is not None), default=0)


class Capture:
    """The ForwardMsgs of each AppTest run (patched into AppTest's script runner)."""

    def __init__(self) -> None:
        self.runs: list[list[Any]] = []
        from streamlit.testing.v1 import local_script_runner

        original = local_script_runner.parse_tree_from_messages

        def parse(messages: list[Any]) -> Any:
            self.runs.append(list(messages))
            return original(messages)

        local_script_runner.parse_tree_from_messages = parse

    def last(self) -> dict[str, Any]:
        """Bytes and chart points of the latest run."""
        messages = self.runs[-1]
        sizes = [m.ByteSize() for m in messages]
        largest = int(np.argmax(sizes)) if sizes else 0
        points: list[int] = []
        for message in messages:
            if message.WhichOneof("type") != "delta" or message.delta.WhichOneof("type") != "new_element":
                continue
            element = message.delta.new_element
            if element.WhichOneof("type") == "plotly_chart":
                points += [trace_points(trace) for trace in json.loads(element.plotly_chart.spec).get("data", [])]
        return {
            "sent_bytes": int(sum(sizes)),
            "largest_message_bytes": int(sizes[largest]) if sizes else 0,
            "largest_message": _describe(messages[largest]) if messages else None,
            "max_trace_points": max(points, default=0),
            "traces": len(points),
            "traces_over_limit": sum(p > POINT_LIMIT for p in points),
        }


def _describe(message: Any) -> str:
    kind = message.WhichOneof("type")
    if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
        return str(message.delta.new_element.WhichOneof("type"))
    return str(kind)


# ---- scenarios ----------------------------------------------------------------------------

Move = Callable[[Any, np.random.Generator], None]


def _abc(at: Any, rng: np.random.Generator) -> None:
    a = int(rng.integers(50, 90))
    at.slider(key="abc_cuts").set_value((a, min(100, a + int(rng.integers(5, 15)))))


def _top_share(at: Any, rng: np.random.Generator) -> None:
    at.slider(key="top_share").set_value(int(rng.integers(5, 50)))


def _tier_floor(at: Any, rng: np.random.Generator) -> None:
    at.number_input(key="tier_vip").set_value(float(rng.integers(5, 100) * 1000))


def _share(at: Any, rng: np.random.Generator) -> None:
    at.slider(key="share_key").set_value(int(rng.integers(1, 15)))


def _segment(at: Any, rng: np.random.Generator) -> None:
    from analytics import rfm

    at.selectbox(key="rfm_segment").set_value(str(rng.choice(rfm.SEGMENTS)))


def _window(at: Any, rng: np.random.Generator) -> None:
    at.slider(key="churn_window").set_value(int(rng.integers(1, 25)))


def _rank_mode(at: Any) -> None:
    at.segmented_control(key="tier_mode").set_value("rank")


#: page stem → (widget moves measured on the first tab, tabs: session key, label prefix, first tab, others)
SCENARIOS: dict[str, tuple[dict[str, Move], tuple[str, str, str, tuple[str, ...]] | None]] = {
    "home": ({}, None),
    "key_accounts": (
        {"abc_cutoffs": _abc, "top_share": _top_share},
        ("ka_tab", "ka.tab", "pareto", ("lorenz", "whale", "list")),
    ),
    "pyramid": ({"tier_floor": _tier_floor}, None),
    "rfm": ({"segment": _segment}, None),
    "churn": (
        {"churn_window": _window},
        ("churn_tab", "churn.tab", "trend", ("profile", "cohorts", "at_risk", "model_check", "what_if")),
    ),
    "satisfaction": ({}, None),
    "customer_card": ({}, None),
}


def _timed_run(at: Any, capture: Capture) -> dict[str, Any]:
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    problems = [e.message for e in at.exception] + [e.value for e in at.error]
    return {"s": round(seconds, 4), **capture.last(), **({"errors": problems[:3]} if problems else {})}


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    times = sorted(r["s"] for r in runs)
    return {
        "p50_s": round(statistics.median(times), 4),
        "p95_s": times[min(len(times) - 1, int(0.95 * len(times)))],
        "max_s": times[-1],
        "runs": len(times),
        "largest_message_bytes": max(r["largest_message_bytes"] for r in runs),
        "max_trace_points": max(r["max_trace_points"] for r in runs),
        "errors": [e for r in runs for e in r.get("errors", [])][:3],
    }


def child(db: Path, moves: int, lang: str) -> dict[str, Any]:
    """Every page of the app on ``db`` (run in its own process): open, moves, tabs."""
    os.environ["KARADAR_DB"] = str(db)
    from streamlit.testing.v1 import AppTest

    from ui.i18n import TEXTS

    capture = Capture()
    rng = np.random.default_rng(7)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
    at.query_params["lang"] = lang
    pages: dict[str, Any] = {}
    for page, (page_moves, tabs) in SCENARIOS.items():
        if page == "home":
            result = {"open": _timed_run(at, capture)}
        else:
            at.switch_page(f"pages/{page}.py")
            result = {"open": _timed_run(at, capture)}
        result["again"] = _timed_run(at, capture)  # a rerun with nothing moved (all cached)
        for name, move in page_moves.items():
            runs = []
            for _ in range(moves):
                move(at, rng)
                runs.append(_timed_run(at, capture))
            result[name] = _summary(runs)
        if page == "pyramid":
            _rank_mode(at)
            result["rank_mode"] = _timed_run(at, capture)
            runs = []
            for _ in range(moves):
                _share(at, rng)
                runs.append(_timed_run(at, capture))
            result["rank_share"] = _summary(runs)
        if tabs is not None:
            key, prefix, first, codes = tabs
            for code in codes:
                at.session_state[key] = TEXTS[f"{prefix}.{code}"][lang]
                result[f"tab_{code}"] = _timed_run(at, capture)
            at.session_state[key] = TEXTS[f"{prefix}.{first}"][lang]
        pages[page] = result
    return {"pages": pages, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def _all_runs(pages: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for page, result in pages.items():
        for name, run in result.items():
            yield f"{page}.{name}", run


def targets(stores: dict[str, Any]) -> dict[str, Any]:
    """Issue 6 targets per store: slider reruns, points per trace, message size; ``met`` and the gap."""
    out: dict[str, Any] = {}
    for store_name, result in stores.items():
        runs = dict(_all_runs(result["pages"]))
        moves = {name: run for name, run in runs.items() if "p95_s" in run}
        worst_points = max(runs.items(), key=lambda item: item[1]["max_trace_points"])
        worst_message = max(runs.items(), key=lambda item: item[1]["largest_message_bytes"])
        out[store_name] = {
            "slider_rerun_p95_le_150ms": {
                name: at_most("p95_s", run["p95_s"], RERUN_TARGET_S, "gap_s", 4) for name, run in moves.items()
            },
            "trace_points_le_2000": {
                "met": worst_points[1]["max_trace_points"] <= POINT_LIMIT,
                "max": worst_points[1]["max_trace_points"],
                "where": worst_points[0],
            },
            "message_le_4mb": {
                "met": worst_message[1]["largest_message_bytes"] <= MESSAGE_LIMIT_BYTES,
                "max_bytes": worst_message[1]["largest_message_bytes"],
                "where": worst_message[0],
            },
        }
    return out


def main() -> None:
    """Run each store's pages in a child process and print the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--moves", type=int, default=8, help="reruns per widget move")
    parser.add_argument("--stores", default="demo,scale")
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.result.write_text(json.dumps(child(args.child, args.moves, args.lang)), encoding="utf-8")
        return
    load_before = os.getloadavg()
    paths = {"demo": demo_store(), "scale": scale_store.ensure(args.rows)[0]}
    stores: dict[str, Any] = {}
    for name in args.stores.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            result = Path(tmp) / "result.json"
            command = [sys.executable, "-m", "bench.bench_pages", "--child", str(paths[name]), "--result", str(result)]
            command += ["--moves", str(args.moves), "--lang", args.lang]
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            stores[name] = {"db": str(paths[name]), **json.loads(result.read_text(encoding="utf-8"))}
            stores[name]["child_wall_s"] = round(time.perf_counter() - start, 1)
    report = {
        "benchmark": "pages",
        "date": dt.date.today().isoformat(),
        "lang": args.lang,
        "stores": stores,
        "targets": targets(stores),
        "loadavg": {"before": [round(v, 2) for v in load_before], "after": [round(v, 2) for v in os.getloadavg()]},
        "cpus": os.cpu_count(),
    }
    text = json.dumps(report, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
