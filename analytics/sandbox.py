"""Parse untrusted uploads in a disposable child process, with a memory cap and a deadline.

Why: the readers run native code (calamine, Arrow) on bytes anybody can upload. A file can make
such code abort the whole process (calamine tries to allocate 512 GiB for a sheet whose used
range reaches XFD1048576), segfault, exhaust memory or spin. The server and the CLI must survive
whatever a file does, so they never parse one themselves: :func:`read_workbook` hands the bytes
to a child and gets text tables back, or an :class:`IngestError` naming the reason.

How it works:

* A *zygote* (``python -m analytics.sandbox``), started once per process on first use, imports
  the readers (pyarrow, fastexcel: ~0.5 s) and then only forks: one fresh child per file, so no
  file shares a process with another and a small file costs a fork (milliseconds), not a start.
* The child caps its address space (``RLIMIT_AS``, :data:`MEMORY_ENV`, default 8192 MB), turns
  off core dumps, asks to be killed if the zygote dies, moves to background CPU priority
  (:mod:`analytics.priority`: when the cores are busy, other sessions' reruns go first; on an
  idle machine the parse takes as long as before), parses, and writes every sheet as an
  Arrow IPC file into a private directory (in /dev/shm when there is one) plus ``result.json``.
  The parent memory-maps the IPC files: no pickling, no copy.
* The zygote kills a child at its deadline (:data:`TIMEOUT_ENV`, default 300 s) and reports its
  exit status and peak RSS (``wait4``). Outcome → code: deadline → ``parse_timeout``; memory cap
  (``MemoryError``, Rust's "memory allocation of N bytes failed" abort, an OOM kill) →
  ``file_too_complex``; any other death (signal, non-zero exit) → ``parser_crashed``.
* When the parent dies, even by ``kill -9``, the zygote reads EOF on its stdin, kills its
  children, removes their directories and exits; no parser outlives the process it served.

Linux only (``fork``, ``os.pidfd_open``, ``prctl``), like the deployment.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import json
import os
import queue
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.ipc as ipc

from analytics import priority
from analytics.errors import IngestError
from analytics.readers import RawSheet, Workbook

MEMORY_ENV = "KARADAR_PARSE_MEMORY_MB"
TIMEOUT_ENV = "KARADAR_PARSE_TIMEOUT_S"
DEFAULT_MEMORY_MB = 8192  # a 1M-row xlsx peaks at ~2.3 GB of address space
DEFAULT_TIMEOUT_S = 300.0  # a 1M-row xlsx takes ~10 s
READ_WORKBOOK = "analytics.readers:read_workbook"
# Extra wait for the zygote's answer beyond the child's own deadline before the zygote is
# presumed stuck (it never parses, so this only guards against a bug).
_GRACE_S = 30.0
# Messages with which an out-of-memory death announces itself on stderr.
_OOM_MARKERS = ("memory allocation of", "MemoryError", "std::bad_alloc", "out of memory", "Cannot allocate memory")
_PR_SET_PDEATHSIG = 1
_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Limits:
    """What one parse may use: address space (MB) and wall-clock seconds."""

    memory_mb: int = DEFAULT_MEMORY_MB
    timeout_s: float = DEFAULT_TIMEOUT_S

    @classmethod
    def from_env(cls) -> Limits:
        """Limits from :data:`MEMORY_ENV` and :data:`TIMEOUT_ENV`, else the defaults."""
        return cls(
            memory_mb=int(os.environ.get(MEMORY_ENV, DEFAULT_MEMORY_MB)),
            timeout_s=float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT_S)),
        )


@dataclass(frozen=True)
class Outcome:
    """What happened to one child: the workbook or the error, and what the child cost.

    ``ending`` is ``"ok"`` (a workbook), ``"refused"`` (the reader raised an
    :class:`IngestError`), ``"timeout"``, ``"memory"`` or ``"crash"``. ``cpu_s`` is the child's
    CPU time (user + system, all its threads).
    """

    workbook: Workbook | None
    error: IngestError | None
    ending: str
    seconds: float
    peak_rss_mb: float
    cpu_s: float = 0.0


def read_workbook(data: bytes, limits: Limits | None = None) -> Workbook:
    """:func:`analytics.readers.read_workbook` in a sandboxed child; raises :class:`IngestError`."""
    outcome = run(data, limits=limits)
    if outcome.error is not None:
        raise outcome.error
    assert outcome.workbook is not None
    return outcome.workbook


def run(data: bytes, *, limits: Limits | None = None, target: str = READ_WORKBOOK) -> Outcome:
    """Run ``target`` (``"module:function"``, called as ``function(data, fail_fast)``) on ``data`` in a child.

    ``target`` is always a name from this code base (tests pass misbehaving ones), never input.
    The readers' own target also gets ``path=`` the child's copy of the file, for fastexcel to
    read rather than a second copy of the bytes in memory.
    """
    limits = limits or Limits.from_env()
    job_dir = Path(tempfile.mkdtemp(prefix="karadar-parse-", dir=_scratch_dir()))
    try:
        (job_dir / "input").write_bytes(data)
        job = {
            "target": target,
            "dir": str(job_dir),
            "memory": limits.memory_mb << 20,
            "timeout": limits.timeout_s,
            "with_path": target == READ_WORKBOOK,
        }
        started = time.perf_counter()
        reply = _zygote().submit(job, wait_s=limits.timeout_s + _GRACE_S)
        if not reply:  # the zygote itself died (it never parses, so not because of the file): once more
            reply = _zygote().submit(job, wait_s=limits.timeout_s + _GRACE_S)
        return _outcome(job_dir, reply, limits, time.perf_counter() - started)
    finally:
        # the tables stay valid: their memory maps outlive the files' names
        shutil.rmtree(job_dir, ignore_errors=True)


def _scratch_dir() -> str | None:
    """/dev/shm (RAM) when it is usable, else the default temporary directory."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def _outcome(job_dir: Path, reply: dict[str, Any], limits: Limits, seconds: float) -> Outcome:
    peak = float(reply.get("maxrss_kb", 0)) / 1024
    cpu = float(reply.get("cpu_s", 0.0))

    def failed(ending: str, error: IngestError) -> Outcome:
        return Outcome(None, error, ending, seconds, peak, cpu)

    if reply.get("timed_out"):
        return failed("timeout", IngestError("parse_timeout", seconds=round(limits.timeout_s)))
    status = reply.get("status")
    code = os.waitstatus_to_exitcode(status) if isinstance(status, int) else None
    result = job_dir / "result.json"
    if code == 0 and result.exists():
        found = json.loads(result.read_text(encoding="utf-8"))
        if "error" in found:
            error = IngestError(found["error"]["code"], **found["error"]["params"])
            return failed("memory" if error.code == "file_too_complex" else "refused", error)
        return Outcome(_workbook_from(job_dir, found), None, "ok", seconds, peak, cpu)
    stderr = (job_dir / "stderr").read_text(encoding="utf-8", errors="replace") if (job_dir / "stderr").exists() else ""
    # SIGKILL that we did not send is the kernel's OOM killer
    if any(marker in stderr for marker in _OOM_MARKERS) or code == -signal.SIGKILL:
        return failed("memory", IngestError("file_too_complex"))
    if code is None:
        how = "no answer from the parser"
    elif code < 0:
        how = signal.Signals(-code).name
    else:
        how = f"exit status {code}"
    return failed("crash", IngestError("parser_crashed", how=how, detail=stderr[-500:]))


def _workbook_from(job_dir: Path, found: dict[str, Any]) -> Workbook:
    sheets = []
    for index, sheet in enumerate(found["sheets"]):
        with pa.memory_map(str(job_dir / f"sheet{index}.arrow")) as source:
            table = ipc.open_file(source).read_all()
        sheets.append(
            RawSheet(
                name=sheet["name"],
                visible=sheet["visible"],
                table=table,
                first_row=sheet["first_row"],
                formula_cells=tuple((ref, row, column) for ref, row, column in sheet["formula_cells"]),
            )
        )
    return Workbook(
        file_format=found["file_format"],
        sheets=sheets,
        date1904=found["date1904"],
        encoding=found["encoding"],
        delimiter=found["delimiter"],
    )


# ----------------------------------------------------------------------------- the parent's side


class _Zygote:
    """The parent's handle on its zygote: one writer lock, one reader thread that routes replies."""

    def __init__(self) -> None:
        env = dict(os.environ)
        # the child must import what the parent can (tests pass targets from tests/)
        env["PYTHONPATH"] = os.pathsep.join([str(_ROOT), *[p for p in sys.path if p]])
        env["MALLOC_ARENA_MAX"] = "2"  # glibc reserves 64 MB of address space per arena otherwise
        env["OPENBLAS_NUM_THREADS"] = "1"  # no BLAS thread pool in a process that forks
        self.process = subprocess.Popen(
            [sys.executable, "-m", "analytics.sandbox"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            cwd=_ROOT,
        )
        self.lock = threading.Lock()
        self.pending: dict[int, queue.Queue[dict[str, Any]]] = {}
        self.ids = itertools.count(1)
        self.reader = threading.Thread(target=self._route, name="sandbox-replies", daemon=True)
        self.reader.start()

    def alive(self) -> bool:
        return self.process.poll() is None and self.reader.is_alive()

    def _route(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                reply = json.loads(line)
            except ValueError:
                continue
            with self.lock:
                waiting = self.pending.pop(reply["id"], None)
            if waiting is not None:
                waiting.put(reply)
        with self.lock:  # the zygote is gone: nobody will answer the jobs still waiting
            for waiting in self.pending.values():
                waiting.put({})
            self.pending.clear()

    def submit(self, job: dict[str, Any], wait_s: float) -> dict[str, Any]:
        answer: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=1)
        with self.lock:
            job_id = next(self.ids)
            self.pending[job_id] = answer
            assert self.process.stdin is not None
            try:
                self.process.stdin.write((json.dumps({**job, "id": job_id}) + "\n").encode())
                self.process.stdin.flush()
            except OSError:  # the zygote is gone
                del self.pending[job_id]
                return {}
        try:
            return answer.get(timeout=wait_s)
        except queue.Empty:
            self.process.kill()  # stuck: start afresh next time; its children die with it
            return {"timed_out": True}


_zygote_lock = threading.Lock()
_current: _Zygote | None = None


def _zygote() -> _Zygote:
    """The running zygote, (re)started when needed."""
    global _current
    with _zygote_lock:
        if _current is None or not _current.alive():
            _current = _Zygote()
        return _current


def start() -> None:
    """Start the zygote now (it takes ~0.5 s), so that the first upload does not wait for it."""
    _zygote()


# --------------------------------------------------------------------------- the zygote's side


def _die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent (the single-threaded zygote) exits."""
    # not on Linux: the zygote still kills its children when it sees its parent go
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _child(job: dict[str, Any]) -> None:
    """Body of one forked child: cap, parse, write the result, exit. Never returns."""
    job_dir = Path(job["dir"])
    try:
        _die_with_parent()
        resource.setrlimit(resource.RLIMIT_AS, (job["memory"], job["memory"]))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        priority.lower()
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.dup2(os.open(job_dir / "stderr", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
        module_name, function_name = job["target"].split(":")
        target = getattr(__import__(module_name, fromlist=[function_name]), function_name)
        data = (job_dir / "input").read_bytes()
        path = {"path": str(job_dir / "input")} if job.get("with_path") else {}

        def fail_fast(error: IngestError) -> None:
            _write_json(job_dir, {"error": {"code": error.code, "params": error.params}})
            os._exit(0)

        try:
            workbook = target(data, fail_fast, **path)
        except IngestError as error:
            _write_json(job_dir, {"error": {"code": error.code, "params": error.params}})
            os._exit(0)
        except MemoryError:
            _write_json(job_dir, {"error": {"code": "file_too_complex", "params": {}}})
            os._exit(0)
        _write_workbook(job_dir, workbook)
        os._exit(0)
    except BaseException:
        try:
            traceback.print_exc()
            sys.stderr.flush()
        finally:
            os._exit(3)


def _write_json(job_dir: Path, content: dict[str, Any]) -> None:
    """Write ``result.json`` atomically: the parent trusts only a complete file."""
    partial = job_dir / "result.json.part"
    partial.write_text(json.dumps(content, ensure_ascii=False, default=str), encoding="utf-8")
    partial.replace(job_dir / "result.json")


def _write_workbook(job_dir: Path, workbook: Workbook) -> None:
    sheets = []
    for index, sheet in enumerate(workbook.sheets):
        with ipc.new_file(str(job_dir / f"sheet{index}.arrow"), sheet.table.schema) as writer:
            writer.write_table(sheet.table)
        sheets.append(
            {
                "name": sheet.name,
                "visible": sheet.visible,
                "first_row": sheet.first_row,
                "formula_cells": list(sheet.formula_cells),
            }
        )
    _write_json(
        job_dir,
        {
            "file_format": workbook.file_format,
            "date1904": workbook.date1904,
            "encoding": workbook.encoding,
            "delimiter": workbook.delimiter,
            "sheets": sheets,
        },
    )


@dataclass
class _Running:
    job: dict[str, Any]
    pidfd: int
    deadline: float
    timed_out: bool = False


def _reply(out: IO[bytes], message: dict[str, Any]) -> None:
    out.write((json.dumps(message) + "\n").encode())
    out.flush()


def _serve() -> None:
    """The zygote's loop: fork a child per job line on stdin, reap, enforce deadlines, reply on stdout."""
    # The readers (pyarrow, fastexcel) were imported with this module: every fork shares them.
    # pyarrow imports pandas on its first table built from Python objects (~1 s): do it once here.
    pa.table({"warm": pa.array(["up"])})
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when parsing stops
    # replies go through a private copy of stdout; anything a library prints lands on stderr
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    running: dict[int, _Running] = {}
    job_dirs: set[str] = set()
    buffer = b""
    stdin_open = True
    while stdin_open or running:
        now = time.monotonic()
        wait = min((r.deadline for r in running.values() if not r.timed_out), default=now + 3600) - now
        watched = [r.pidfd for r in running.values()] + ([0] if stdin_open else [])
        ready, _, _ = select.select(watched, [], [], max(0.0, wait))
        if 0 in ready:
            chunk = os.read(0, 65536)
            if not chunk:  # the parent is gone: nobody wants these results
                stdin_open = False
                for child_pid in running:
                    os.kill(child_pid, signal.SIGKILL)
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                job = json.loads(line)
                job_dirs.add(job["dir"])
                child_pid = os.fork()
                if child_pid == 0:
                    os.close(out.fileno())  # the reply channel is the zygote's alone
                    _child(job)
                running[child_pid] = _Running(job, os.pidfd_open(child_pid), time.monotonic() + job["timeout"])
        for child_pid, child in list(running.items()):
            if child.pidfd in ready:
                _, status, usage = os.wait4(child_pid, 0)
                os.close(child.pidfd)
                del running[child_pid]
                if stdin_open:
                    answer = {
                        "id": child.job["id"],
                        "status": status,
                        "maxrss_kb": usage.ru_maxrss,
                        "cpu_s": usage.ru_utime + usage.ru_stime,
                    }
                    try:
                        _reply(out, {**answer, "timed_out": child.timed_out})
                    except BrokenPipeError:  # the parent is gone (its EOF comes next)
                        stdin_open = False
            elif not child.timed_out and time.monotonic() >= child.deadline:
                os.kill(child_pid, signal.SIGKILL)
                child.timed_out = True
    for job_dir in job_dirs:
        shutil.rmtree(job_dir, ignore_errors=True)


if __name__ == "__main__":
    _serve()
