"""The parsing sandbox (analytics.sandbox): whatever a parse does, this process survives and says why.

The misbehaving parsers below are module-level functions of this file, run *in the child* as
sandbox targets (``"test_sandbox:<name>"``): they crash, abort, hang or allocate the way a hostile
file makes native code do. One of them is the real thing: calamine on a sheet whose used range
reaches XFD1048576, without the readers' checks.
"""

from __future__ import annotations

import ctypes
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import fastexcel
import openpyxl
import pyarrow as pa
import pytest

from analytics import priority, readers, sandbox
from analytics.errors import IngestError

ROOT = Path(__file__).resolve().parent.parent
SMALL = sandbox.Limits(memory_mb=2048, timeout_s=20)


def small_xlsx() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "销售"
    sheet.append(["日期", "客户名称", "金额"])
    sheet.append(["2024-03-05", "甲公司", 100])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def far_corner_xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["客户", "金额"])
    book.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- targets run in the child ------------------------------------------------------------------


def report_pid(data: bytes, fail_fast: object = None) -> readers.Workbook:
    table = pa.table({"c0": pa.array([str(os.getpid())])})
    return readers.Workbook("csv", [readers.RawSheet("pid", True, table, 1)])


def report_priority(data: bytes, fail_fast: object = None) -> readers.Workbook:
    table = pa.table({"c0": pa.array([str(priority.is_background(priority.current()))])})
    return readers.Workbook("csv", [readers.RawSheet("priority", True, table, 1)])


def segfault(data: bytes, fail_fast: object = None) -> None:
    ctypes.string_at(0)


def abort(data: bytes, fail_fast: object = None) -> None:
    os.abort()


def hang(data: bytes, fail_fast: object = None) -> None:
    time.sleep(3600)


def allocate_unbounded(data: bytes, fail_fast: object = None) -> None:
    blocks = []
    while True:
        blocks.append(bytearray(256 << 20))


def raise_unexpected(data: bytes, fail_fast: object = None) -> None:
    raise RuntimeError("a reader bug")


def calamine_unchecked(data: bytes, fail_fast: object = None) -> None:
    fastexcel.read_excel(data).load_sheet(0, header_row=None).to_arrow()


def timed_sleep(data: bytes, fail_fast: object = None) -> readers.Workbook:
    started = time.time()
    time.sleep(1)
    table = pa.table({"c0": pa.array([repr(started)]), "c1": pa.array([repr(time.time())])})
    return readers.Workbook("csv", [readers.RawSheet("times", True, table, 1)])


# --- tests -------------------------------------------------------------------------------------


def test_tables_come_back_as_read() -> None:
    data = small_xlsx()
    outcome = sandbox.run(data, limits=SMALL)
    assert outcome.ending == "ok" and outcome.error is None
    here = readers.read_workbook(data)
    assert outcome.workbook is not None
    assert [s.name for s in outcome.workbook.sheets] == ["销售"]
    assert outcome.workbook.sheets[0].table.to_pylist() == here.sheets[0].table.to_pylist()
    assert outcome.peak_rss_mb > 0


def test_parsing_happens_in_another_process() -> None:
    outcome = sandbox.run(b"x", target="test_sandbox:report_pid", limits=SMALL)
    assert outcome.workbook is not None
    assert outcome.workbook.sheets[0].table.column(0)[0].as_py() != str(os.getpid())


def test_the_parser_yields_the_cores_to_the_server() -> None:
    outcome = sandbox.run(b"x", target="test_sandbox:report_priority", limits=SMALL)
    assert outcome.workbook is not None
    assert outcome.workbook.sheets[0].table.column(0)[0].as_py() == "True"
    assert not priority.is_background(priority.current())  # the caller keeps its own


def test_refusals_come_back_as_ingest_errors() -> None:
    with pytest.raises(IngestError) as caught:
        sandbox.read_workbook(far_corner_xlsx(), SMALL)
    assert caught.value.code == "sheet_too_large"
    assert caught.value.params == {"rows": 1048576, "columns": 16384}


@pytest.mark.parametrize(
    ("target", "ending", "code", "how"),
    [
        ("segfault", "crash", "parser_crashed", "SIGSEGV"),
        ("abort", "crash", "parser_crashed", "SIGABRT"),
        ("raise_unexpected", "crash", "parser_crashed", "exit status 3"),
        ("allocate_unbounded", "memory", "file_too_complex", None),
        ("calamine_unchecked", "memory", "file_too_complex", None),
    ],
)
def test_a_dying_parser_is_named_and_the_next_file_still_parses(
    target: str, ending: str, code: str, how: str | None
) -> None:
    outcome = sandbox.run(far_corner_xlsx(), target=f"test_sandbox:{target}", limits=SMALL)
    assert (outcome.ending, outcome.error.code if outcome.error else None) == (ending, code)
    if how is not None:
        assert outcome.error is not None and outcome.error.params["how"] == how
    assert outcome.error is not None and outcome.error.render("zh") != outcome.error.render("en")
    assert sandbox.run(small_xlsx(), limits=SMALL).ending == "ok"


def test_a_hanging_parser_is_stopped_at_its_deadline() -> None:
    started = time.monotonic()
    outcome = sandbox.run(b"x", target="test_sandbox:hang", limits=sandbox.Limits(memory_mb=2048, timeout_s=1))
    assert (outcome.ending, outcome.error.code if outcome.error else None) == ("timeout", "parse_timeout")
    assert outcome.error is not None and outcome.error.params == {"seconds": 1}
    assert time.monotonic() - started < 10


def test_files_are_parsed_side_by_side() -> None:
    outcomes: list[sandbox.Outcome] = []
    threads = [
        threading.Thread(
            target=lambda: outcomes.append(sandbox.run(b"x", target="test_sandbox:timed_sleep", limits=SMALL))
        )
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    spans = [[float(v) for v in o.workbook.sheets[0].table.to_pylist()[0].values()] for o in outcomes if o.workbook]
    assert len(spans) == 3
    assert max(start for start, _ in spans) < min(end for _, end in spans)  # all three slept at once


def test_a_killed_zygote_is_replaced() -> None:
    sandbox.start()
    zygote = sandbox._zygote().process
    zygote.kill()
    zygote.wait()
    assert sandbox.run(small_xlsx(), limits=SMALL).ending == "ok"


def test_small_files_cost_a_fork_not_a_start() -> None:
    data = small_xlsx()
    sandbox.run(data, limits=SMALL)  # the zygote is up
    started = time.perf_counter()
    for _ in range(5):
        sandbox.run(data, limits=SMALL)
    per_file = (time.perf_counter() - started) / 5
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import analytics.readers"], cwd=ROOT, check=True)
    python_start = time.perf_counter() - started
    assert per_file < python_start / 2, (per_file, python_start)


PARENT = """
import sys
from analytics import sandbox
sys.path.insert(0, sys.argv[1])
sandbox.run(b"x", target="test_sandbox:hang", limits=sandbox.Limits(timeout_s=3600))
"""


def _descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        for children in Path(f"/proc/{pending.pop()}/task").glob("*/children"):
            kids = [int(c) for c in children.read_text().split()]
            found += kids
            pending += kids
    return found


def _holds(job_dir: Path, data: bytes) -> bool:
    try:
        return (job_dir / "input").read_bytes() == data
    except OSError:  # another process's job, finished meanwhile
        return False


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0] == "Z"
    except OSError:
        return True


def test_no_parser_outlives_a_killed_parent() -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(Path(__file__).parent)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while len(helpers := _descendants(parent.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(helpers) >= 2, "the zygote and its parsing child should be running"
        job_dirs = [p for p in Path("/dev/shm").glob("karadar-parse-*") if _holds(p, b"x")]
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while not all(_gone(p) for p in helpers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(p) for p in helpers)
    assert not any(d.exists() for d in job_dirs)


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sandbox.MEMORY_ENV, "1234")
    monkeypatch.setenv(sandbox.TIMEOUT_ENV, "7.5")
    assert sandbox.Limits.from_env() == sandbox.Limits(memory_mb=1234, timeout_s=7.5)
