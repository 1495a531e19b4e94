"""Benchmark: a 1,000,000-row xlsx ledger uploaded through KA Radar vs its floor and vs pandas.

Every measurement runs in its own child process, so peak RSS (``os.wait4`` rusage of that
child) belongs to one method, and nothing is cached between runs:

``karadar``
    ``store.connect(<fresh db file>)`` + ``ingest.ingest_file``: safety checks, text read,
    header detection and mapping, parsing and validation, storing (customers, ledger, upload
    log) in one transaction, checkpoint — the whole upload path end to end.
``fastexcel_floor``
    The bare fastexcel read (typed, header row 0) → Arrow → DuckDB
    ``create table … as select * from arrow_table`` in a fresh database file: the floor.
``pandas_openpyxl``
    ``pandas.read_excel(path, engine="openpyxl")`` → DuckDB table: the card's default. With
    ``--pandas-rows K`` it runs on a K-row file of the same generator and is extrapolated
    linearly to the full row count (the JSON says so).

``karadar`` and ``fastexcel_floor`` alternate run by run (load on a shared machine drifts);
each method reports the median of ``--repeat`` runs of the timed work (after imports) plus
the whole-process wall time. One more in-process ``karadar`` run reports the stage split.
Prints one JSON object, including the targets of issue 6 (ingest ≤ 1.5× the floor, peak RSS
≤ 1.5 GB) with met/gap.

Run::

    .venv/bin/python -m bench.bench_ingest                      # 1M rows, 3 repeats, pandas once
    .venv/bin/python -m bench.bench_ingest --pandas-rows 100000 # pandas on 100k rows, extrapolated
    .venv/bin/python -m bench.bench_ingest --rows 100000 --skip-pandas --repeat 1
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # also runnable as ``python bench/bench_ingest.py``
    sys.path.insert(0, str(ROOT))

from bench.generate import ensure_xlsx  # noqa: E402

METHODS = ("karadar", "fastexcel_floor", "pandas_openpyxl")
TARGET_RATIO = 1.5  # issue 6: ingest ≤ 1.5× the bare fastexcel read of the same file
TARGET_RSS_MB = 1500.0  # issue 6: peak RSS ≤ 1.5 GB (MB = 2**20 bytes here; the stricter reading)
PANDAS_SPEEDUP = 14.0  # issue 6: "so ≥ 14× faster than pandas+openpyxl"
STAGE_SKIP = (
    "work_s",
    "rows",
    "process_wall_s",
    "process_cpu_s",
    "peak_rss_mb",
    "process_peak_rss_mb",
    "tree_peak_rss_mb",
    "parser_peak_rss_mb",
    "sum_of_peaks_mb",
)


# --------------------------------------------------------------------------- child side


def _rss_mb() -> float:
    """Current resident set size of this process in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    """Peak resident set size of this process so far in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    """CPU seconds (user + system, all threads) used by this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _high_water_mb(pid: int) -> float:
    """Peak RSS (``VmHWM``) of a live process in MB; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return next((int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:")), 0.0)
    except OSError:
        return 0.0


class _ParserUse:
    """Peak RSS (MB) and CPU seconds of the sandboxed parser children, as the sandbox reports them.

    The parser is a grandchild (forked by the zygote), so neither this process's rusage nor the
    benchmark parent's ``wait4`` sees it. With each parse also this process's own peak so far
    (taken when the parser has exited, so it covers the parser's whole life) and the zygote's:
    the most the three can have held at once during a parse is their sum (:meth:`overlap_mb`).
    """

    def __init__(self) -> None:
        from analytics import sandbox

        self.peaks: list[float] = []
        self.overlaps: list[float] = []
        self.zygote_mb = 0.0
        self.cpu_s = 0.0
        original = sandbox.run

        def run(*args: Any, **kwargs: Any) -> sandbox.Outcome:
            outcome = original(*args, **kwargs)
            self.peaks.append(outcome.peak_rss_mb)
            self.zygote_mb = max(self.zygote_mb, _high_water_mb(sandbox._zygote().process.pid))
            self.overlaps.append(_peak_mb() + outcome.peak_rss_mb)
            self.cpu_s += outcome.cpu_s
            return outcome

        setattr(sandbox, "run", run)  # noqa: B010

    @property
    def peak_mb(self) -> float:
        return max(self.peaks, default=0.0)

    def concurrent_bound_mb(self, own_peak_mb: float) -> float:
        """Upper bound of the upload's RSS at any one moment (this process + zygote + parser).

        During a parse: own peak so far + parser peak + zygote peak; after it (the parser has
        exited): own peak + zygote peak. Shared pages (the parser is forked from the zygote)
        count twice, so this errs high.
        """
        return max([own_peak_mb, *self.overlaps]) + self.zygote_mb


def _child_karadar(path: Path, workdir: Path) -> dict[str, Any]:
    from analytics import ingest, store

    parser = _ParserUse()
    baseline, cpu = _rss_mb(), _cpu_s()
    started = time.perf_counter()
    con = store.connect(workdir / "karadar.duckdb")
    result = ingest.ingest_file(con, path)
    con.close()
    elapsed = time.perf_counter() - started
    if result.status != "stored":
        raise SystemExit(f"karadar did not store the file: {result.as_json()}")
    return {
        "work_s": elapsed,
        "work_cpu_s": _cpu_s() - cpu + parser.cpu_s,
        "parser_cpu_s": parser.cpu_s,
        "rows": result.rows_stored,
        "rows_read": result.rows_read,
        "baseline_rss_mb": baseline,
        "parser_peak_rss_mb": parser.peak_mb,
        "zygote_peak_rss_mb": parser.zygote_mb,
        "concurrent_bound_mb": parser.concurrent_bound_mb(_peak_mb()),
    }


def _child_floor(path: Path, workdir: Path) -> dict[str, Any]:
    import duckdb
    import fastexcel

    baseline, cpu = _rss_mb(), _cpu_s()
    started = time.perf_counter()
    arrow_table = fastexcel.read_excel(str(path)).load_sheet(0, header_row=0).to_arrow()
    con = duckdb.connect(str(workdir / "floor.duckdb"))
    con.register("arrow_table", arrow_table)
    con.execute("create table ledger as select * from arrow_table")
    rows = con.execute("select count(*) from ledger").fetchall()[0][0]
    con.close()
    elapsed = time.perf_counter() - started
    return {"work_s": elapsed, "work_cpu_s": _cpu_s() - cpu, "rows": int(rows), "baseline_rss_mb": baseline}


def _child_pandas(path: Path, workdir: Path) -> dict[str, Any]:
    import duckdb
    import pandas as pd

    baseline, cpu = _rss_mb(), _cpu_s()
    started = time.perf_counter()
    frame = pd.read_excel(path, engine="openpyxl")
    con = duckdb.connect(str(workdir / "pandas.duckdb"))
    con.register("frame", frame)
    con.execute("create table ledger as select * from frame")
    rows = con.execute("select count(*) from ledger").fetchall()[0][0]
    con.close()
    elapsed = time.perf_counter() - started
    return {"work_s": elapsed, "work_cpu_s": _cpu_s() - cpu, "rows": int(rows), "baseline_rss_mb": baseline}


class _Book:
    """Wall and CPU seconds (and peak RSS after) booked per label."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.peak_after: dict[str, float] = {}

    @contextlib.contextmanager
    def timing(self, label: str) -> Iterator[None]:
        """Book the block's wall and CPU time (this process, all threads) under ``label``."""
        wall, cpu = time.perf_counter(), _cpu_s()
        try:
            yield
        finally:
            self.wall[label] = self.wall.get(label, 0.0) + time.perf_counter() - wall
            self.cpu[label] = self.cpu.get(label, 0.0) + _cpu_s() - cpu
            self.peak_after[label] = round(_peak_mb())

    def wrap(self, module: Any, name: str, label: str) -> None:
        """Book every call of ``module.name``."""
        original = getattr(module, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.timing(label):
                return original(*args, **kwargs)

        setattr(module, name, wrapper)


class _Timed:
    """Proxy of a DuckDB connection that books each statement's (and fetch's) time under a label."""

    def __init__(self, con: Any, book: _Book, classify: Callable[[str], str]) -> None:
        self._con, self._book, self._classify = con, book, classify

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)

    def execute(self, sql: str, params: Any = None) -> _TimedResult:
        label = self._classify(" ".join(sql.split()).lower())
        with self._book.timing(label):
            result = self._con.execute(sql, params) if params is not None else self._con.execute(sql)
        return _TimedResult(result, label, self._book)

    def sql(self, query: str) -> _TimedResult:
        return _TimedResult(self._con.sql(query), self._classify(" ".join(query.split()).lower()), self._book)

    def cursor(self) -> _Timed:
        return _Timed(self._con.cursor(), self._book, self._classify)


class _TimedResult:
    """Result of :meth:`_Timed.execute`: fetches (``df``, ``fetchall``, …) are booked too."""

    def __init__(self, result: Any, label: str, book: _Book) -> None:
        self._result, self._label, self._book = result, label, book

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._result, name)
        if not name.startswith(("fetch", "df", "arrow", "pl", "to_")):
            return attr

        label = self._label if name.startswith("fetch") else f"{self._label}.{name}"

        def fetch(*args: Any, **kwargs: Any) -> Any:
            with self._book.timing(label):
                return attr(*args, **kwargs)

        return fetch


def _classify_staging(sql: str) -> str:
    if sql.startswith("with cells as"):
        return "prepare.parse_validate_sql"
    if "from parsed" in sql:
        return "prepare.report_queries"
    return "prepare.column_checks"


def _classify_store(sql: str) -> str:
    if sql == "checkpoint":
        return "commit.checkpoint"
    if sql.startswith("insert into customers"):
        return "commit.insert_customers"
    if sql.startswith("insert into transactions") or "line_key in (select line_key from transactions)" in sql:
        return "commit.insert_ledger"
    if "select distinct customer from staged" in sql:
        return "commit.customer_keys"
    return "commit.other_sql"


def _child_stages(path: Path, workdir: Path) -> dict[str, Any]:
    """One ``karadar`` run with the wall and CPU time (and peak RSS) of every stage booked."""
    from analytics import ingest, parsing, sandbox, store

    parser = _ParserUse()
    book = _Book()
    book.wrap(sandbox, "read_workbook", "read")
    book.wrap(ingest, "inspect_file", "read+inspect")
    book.wrap(ingest, "prepare", "prepare")
    book.wrap(ingest, "commit", "commit")
    staging = parsing.staging_connection
    setattr(parsing, "staging_connection", lambda: _Timed(staging(), book, _classify_staging))  # noqa: B010

    started, cpu = time.perf_counter(), _cpu_s()
    with book.timing("connect"):
        con: Any = _Timed(store.connect(workdir / "stages.duckdb"), book, _classify_store)
    result = ingest.ingest_file(con, path)
    con.close()
    total = time.perf_counter() - started
    total_cpu = _cpu_s() - cpu + parser.cpu_s
    if result.status != "stored":
        raise SystemExit(f"karadar did not store the file: {result.as_json()}")
    # the parser child's CPU belongs to the read
    book.cpu["read"] = book.cpu["read"] + parser.cpu_s
    book.cpu["read+inspect"] = book.cpu["read+inspect"] + parser.cpu_s
    for spent in (book.wall, book.cpu):
        spent["inspect"] = spent.pop("read+inspect") - spent["read"]
    spent_total = {"wall": total, "cpu": total_cpu}

    def share(wall: float, cpu_s: float) -> dict[str, float]:
        return {
            "s": round(wall, 2),
            "pct": round(100 * wall / total, 1),
            "cpu_s": round(cpu_s, 2),
            "cpu_pct": round(100 * cpu_s / total_cpu, 1),
        }

    main_stages = ("connect", "read", "inspect", "prepare", "commit")
    stages = {name: share(book.wall[name], book.cpu[name]) for name in main_stages}
    stages["other"] = share(
        *(spent_total[k] - sum(d[n] for n in main_stages) for k, d in (("wall", book.wall), ("cpu", book.cpu)))
    )
    detail: dict[str, dict[str, float]] = {}
    for stage in ("prepare", "commit"):
        parts = [k for k in book.wall if k.startswith(f"{stage}.")]
        for part in parts:
            detail[part] = share(book.wall[part], book.cpu[part])
        detail[f"{stage}.other"] = share(
            book.wall[stage] - sum(book.wall[k] for k in parts),
            book.cpu[stage] - sum(book.cpu[k] for k in parts),
        )
    return {
        "work_s": total,
        "work_cpu_s": round(total_cpu, 2),
        "rows": result.rows_stored,
        "total_s": round(total, 2),
        "stages": stages,
        "detail": dict(sorted(detail.items(), key=lambda kv: -kv[1]["cpu_s"])),
        "parser_peak_rss_mb": round(parser.peak_mb),
        "zygote_peak_rss_mb": round(parser.zygote_mb),
        "concurrent_bound_mb": round(parser.concurrent_bound_mb(_peak_mb())),
        "peak_rss_mb_after": {name: book.peak_after.get(name) for name in ("read", "prepare", "commit")},
    }


CHILDREN: dict[str, Callable[[Path, Path], dict[str, Any]]] = {
    "karadar": _child_karadar,
    "fastexcel_floor": _child_floor,
    "pandas_openpyxl": _child_pandas,
    "karadar_stages": _child_stages,
}


# --------------------------------------------------------------------------- parent side


def _loadavg() -> list[float]:
    with open("/proc/loadavg", encoding="ascii") as handle:
        return [float(x) for x in handle.read().split()[:3]]


def _tree_rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` and all its descendants now (MB; shared pages counted per process)."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as status:
                total += next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0) / 1024
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    todo += [int(c) for c in children.read().split()]
        except (OSError, ValueError):
            continue  # the process ended between two reads
    return total


def run_child(method: str, path: Path, timeout_s: float | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh process; add its process wall time and peak RSS.

    ``peak_rss_mb`` is the most the child and its descendants (zygote, parser) can have held
    at once: ``concurrent_bound_mb`` when the child reports one (see
    :meth:`_ParserUse.concurrent_bound_mb`), else the child's own peak; ``sum_of_peaks_mb``
    (own + parser peak, never simultaneous: the parser has exited before the parent's peak)
    is the looser bound earlier runs reported; ``tree_peak_rss_mb`` is the largest RSS sum of
    the child and all its descendants seen by sampling every 50 ms (a cross-check from outside).
    """
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-ingest-{method}-"))
    try:
        result_file = workdir / "result.json"
        cmd = [sys.executable, "-m", "bench.bench_ingest", "--child", method, "--file", str(path)]
        cmd += ["--workdir", str(workdir), "--result", str(result_file)]
        with open(workdir / "stderr.txt", "wb") as stderr:
            started = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
            tree_peak = 0.0
            while True:  # os.wait4 gives this child's own rusage (RUSAGE_CHILDREN would be cumulative)
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if timeout_s is not None and time.perf_counter() - started > timeout_s:
                    proc.kill()
                    os.wait4(proc.pid, 0)
                    proc.returncode = -9
                    return {"timed_out_after_s": timeout_s}
                tree_peak = max(tree_peak, _tree_rss_mb(proc.pid))
                time.sleep(0.05)
            wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            tail = (workdir / "stderr.txt").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{method} child failed ({proc.returncode}):\n{tail}")
        data: dict[str, Any] = json.loads(result_file.read_text())
        data["process_wall_s"] = wall
        data["process_cpu_s"] = usage.ru_utime + usage.ru_stime
        data["process_peak_rss_mb"] = usage.ru_maxrss / 1024
        data["sum_of_peaks_mb"] = data["process_peak_rss_mb"] + data.get("parser_peak_rss_mb", 0.0)
        data["peak_rss_mb"] = max(data["process_peak_rss_mb"], data.get("concurrent_bound_mb", 0.0))
        data["tree_peak_rss_mb"] = tree_peak
        return data
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def summarise(runs: list[dict[str, Any]], rows: int) -> dict[str, Any]:
    """Median work seconds, the runs, median CPU and process wall, max peak RSS and rows/s."""
    work = [r["work_s"] for r in runs]
    median = statistics.median(work)
    return {
        "median_s": round(median, 2),
        "runs": [round(w, 2) for w in work],
        "cpu_median_s": round(statistics.median(r["work_cpu_s"] for r in runs), 2),
        "process_wall_median_s": round(statistics.median(r["process_wall_s"] for r in runs), 2),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs)),
        "peak_rss_mb_runs": [round(r["peak_rss_mb"]) for r in runs],
        "process_peak_rss_mb": round(max(r["process_peak_rss_mb"] for r in runs)),
        "parser_peak_rss_mb": round(max(r.get("parser_peak_rss_mb", 0.0) for r in runs)),
        "zygote_peak_rss_mb": round(max(r.get("zygote_peak_rss_mb", 0.0) for r in runs)),
        "sum_of_peaks_mb": round(max(r["sum_of_peaks_mb"] for r in runs)),
        "tree_peak_rss_mb": round(max(r["tree_peak_rss_mb"] for r in runs)),
        "rows_per_s": round(rows / median),
    }


def _git_state() -> dict[str, Any]:
    """Commit and locally modified analytics files: what exactly was measured."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.rstrip()

    dirty = [line[3:] for line in git("status", "--porcelain", "--", "analytics").splitlines()]
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "analytics_uncommitted": dirty}


def _versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in ("duckdb", "fastexcel", "pandas", "openpyxl", "pyarrow")}


def main(argv: list[str] | None = None) -> None:
    """CLI (see module docstring); ``--child`` runs one measurement inside a child process."""
    parser = argparse.ArgumentParser(description="KA Radar xlsx ingest benchmark (prints JSON)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the generated ledger")
    parser.add_argument("--file", type=Path, help="xlsx to ingest (default bench/out/ledger_<rows>.xlsx, generated)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per method (karadar and the floor)")
    parser.add_argument("--skip-pandas", action="store_true", help="do not measure pandas+openpyxl")
    parser.add_argument("--pandas-rows", type=int, help="measure pandas on a K-row file and extrapolate")
    parser.add_argument("--pandas-repeat", type=int, default=1, help="pandas runs (minutes each at 1M rows)")
    parser.add_argument("--pandas-timeout", type=float, default=1200.0, help="seconds before a pandas run is killed")
    parser.add_argument("--out", type=Path, help="also write the JSON to this file")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        data = CHILDREN[args.child](args.file, args.workdir)
        args.result.write_text(json.dumps(data))
        return

    path: Path = (args.file or ensure_xlsx(args.rows)).resolve()
    if not path.exists():
        ensure_xlsx(args.rows, path)
    started_at = dt.datetime.now().astimezone()
    load_before = _loadavg()
    runs: dict[str, list[dict[str, Any]]] = {"karadar": [], "fastexcel_floor": []}
    for _ in range(args.repeat):
        for method in runs:
            runs[method].append(run_child(method, path))
            print(f"{method}: {runs[method][-1]['work_s']:.2f} s", file=sys.stderr, flush=True)
    rows = runs["karadar"][0]["rows"]
    if any(r["rows"] != rows for rs in runs.values() for r in rs):
        counts = {m: [r["rows"] for r in rs] for m, rs in runs.items()}
        raise SystemExit(f"methods disagree on the row count: {counts}")
    stages = run_child("karadar_stages", path)
    print(f"karadar_stages: {stages['work_s']:.2f} s", file=sys.stderr, flush=True)

    methods: dict[str, dict[str, Any]] = {m: summarise(rs, rows) for m, rs in runs.items()}
    if not args.skip_pandas:
        pandas_path = ensure_xlsx(args.pandas_rows) if args.pandas_rows else path
        pandas_runs = []
        for _ in range(args.pandas_repeat):
            run = run_child("pandas_openpyxl", pandas_path, timeout_s=args.pandas_timeout)
            if "timed_out_after_s" in run:
                methods["pandas_openpyxl"] = {"timed_out_after_s": args.pandas_timeout}
                break
            pandas_runs.append(run)
            print(f"pandas_openpyxl: {run['work_s']:.2f} s", file=sys.stderr, flush=True)
        if pandas_runs:
            measured_rows = pandas_runs[0]["rows"]
            summary = summarise(pandas_runs, measured_rows)
            if measured_rows != rows:
                scale = rows / measured_rows
                summary = {
                    "extrapolated": True,
                    "note": f"measured on the first {measured_rows} rows (a {measured_rows}-row file of the same "
                    f"generator) and scaled linearly ×{scale:g}; peak RSS is the measured one",
                    "measured_rows": measured_rows,
                    "measured": summary,
                    "median_s": round(summary["median_s"] * scale, 1),
                    "peak_rss_mb": None,
                    "rows_per_s": summary["rows_per_s"],
                }
            else:
                summary["extrapolated"] = False
            methods["pandas_openpyxl"] = summary

    karadar_s, floor_s = methods["karadar"]["median_s"], methods["fastexcel_floor"]["median_s"]
    ratio = karadar_s / floor_s
    cpu_ratio = methods["karadar"]["cpu_median_s"] / methods["fastexcel_floor"]["cpu_median_s"]
    paired = [k["work_s"] / f["work_s"] for k, f in zip(runs["karadar"], runs["fastexcel_floor"], strict=True)]
    rss = methods["karadar"]["peak_rss_mb"]
    pandas_s = methods.get("pandas_openpyxl", {}).get("median_s")
    ratios: dict[str, Any] = {
        "karadar_over_fastexcel_floor": round(ratio, 2),
        "karadar_over_fastexcel_floor_per_round": [round(p, 2) for p in paired],
        "karadar_over_fastexcel_floor_cpu": round(cpu_ratio, 2),
        "pandas_over_karadar": round(pandas_s / karadar_s, 1) if pandas_s else None,
        "pandas_over_fastexcel_floor": round(pandas_s / floor_s, 1) if pandas_s else None,
    }
    targets: dict[str, Any] = {
        "ingest_vs_floor": {
            "target": f"karadar ≤ {TARGET_RATIO}× fastexcel_floor",
            "actual_ratio": round(ratio, 2),
            "met": ratio <= TARGET_RATIO,
            "gap_ratio": round(max(0.0, ratio - TARGET_RATIO), 2),
            "gap_s": round(max(0.0, karadar_s - TARGET_RATIO * floor_s), 2),
            "karadar_budget_s": round(TARGET_RATIO * floor_s, 2),
        },
        "peak_rss": {
            "target": f"karadar peak RSS (process + zygote + parser child at once, bound) ≤ {TARGET_RSS_MB:g} MB",
            "actual_mb": rss,
            "sum_of_peaks_mb": methods["karadar"]["sum_of_peaks_mb"],
            "tree_sampled_mb": methods["karadar"]["tree_peak_rss_mb"],
            "met": rss <= TARGET_RSS_MB,
            "gap_mb": round(max(0.0, rss - TARGET_RSS_MB)),
        },
    }
    if pandas_s:
        speedup = pandas_s / karadar_s
        targets["vs_pandas"] = {
            "target": f"karadar ≥ {PANDAS_SPEEDUP:g}× faster than pandas+openpyxl (implied by the 1.5× target)",
            "actual_speedup": round(speedup, 1),
            "met": speedup >= PANDAS_SPEEDUP,
        }
    report = {
        "benchmark": "ingest_xlsx",
        "date": started_at.isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "loadavg_before": load_before,
            "loadavg_after": _loadavg(),
            "versions": _versions(),
        },
        "code": _git_state(),
        "file": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "rows": rows,
        "columns": 10,
        "repeat": args.repeat,
        "timing": "median_s: wall time of the work inside the child (after imports); cpu_median_s: its CPU "
        "seconds, all threads (steadier on a loaded machine); process_wall includes interpreter start",
        "methods": methods,
        "karadar_stages": {
            **{k: v for k, v in stages.items() if k not in STAGE_SKIP},
            "peak_rss_mb": round(stages["peak_rss_mb"]),
            "process_peak_rss_mb": round(stages["process_peak_rss_mb"]),
            "parser_peak_rss_mb": round(stages["parser_peak_rss_mb"]),
        },
        "ratios": ratios,
        "targets": targets,
    }
    text = json.dumps(report, ensure_ascii=False, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
