"""Benchmark: viewers' reruns while a big file uploads (issue 7, item 3 and its figure).

Prints one JSON object (and writes it to ``bench/out/bench_viewers.json``). For each number of
viewers N (``--sessions``, default 1,5,10,20):

1. the real server (``python -m ui.serve``) on a fresh database (the demo company is loaded on
   the first visit);
2. N viewers, each its own browser context (own cookies, own Streamlit session) in one headless
   Chromium, on the Key accounts page in English; all driven concurrently (Playwright's async
   API). Each viewer moves the ``top_share`` slider with the keyboard, alternating right/left,
   and times *in the page* from the ``keydown`` event until the headline reads the new share
   ("The top 21% of customers …"; a ``MutationObserver`` stamps ``performance.now()``), then
   waits ``--pause`` seconds and moves again;
3. phases: ``idle`` (``--idle-s`` seconds, no upload), ``upload`` (one more session uploads the
   ``--rows``-row xlsx through the Data page's file input and clicks Confirm; the phase ends when
   the success message shows), ``after`` (``--after-s`` seconds on the new data: the first reruns
   recompute the cached facts, then everything is cached again).

Reported per N and phase: moves, p50/p95/max in ms; the ratio upload/idle of p50 and p95
(target p95 ≤ 2×), over all moves and without each viewer's *first rerun on the new data* (the
first move whose headline differs from what the same slider value showed before the upload: that
rerun recomputes the page's facts over the added rows, a cost of the new data rather than of
the upload running beside it; those moves are listed apart with their ms); errors: JavaScript
exceptions (``pageerror``), Streamlit exception or error elements on the pages, moves whose
headline did not follow within ``--move-timeout-s``, websocket closes of the Streamlit stream
before the end, Tracebacks in the server log (without Streamlit's own websocket-disconnect
chains, :mod:`ui.serverlog`, counted apart as ``streamlit_disconnect_races``: the browser tests'
rule). Upload: wall time from choosing the file to the report (inspect + prepare), from Confirm
to stored, total. Server: peak RSS of the server process (``VmHWM``) and sampled peak of its
process tree (with the parser sandbox), CPU seconds per phase, load average; the browsers' CPU
seconds per phase beside it (they share this machine's cores with the server).

``cli``: with the app running on the database, ``python -m analytics summary --db <same file>``
(DuckDB locks the file: it must say so in one line, no traceback); and ``cli_holds_file``: a CLI
ingest holds the file while a browser opens the Data page of a server that has not opened the
database yet, then the same page once the CLI is done uploads a file (``--skip-cli`` skips both).

Run::

    .venv/bin/python -m bench.bench_viewers                                  # 1M rows, N=1,5,10,20
    .venv/bin/python -m bench.bench_viewers --rows 20000 --sessions 1,5 --idle-s 10 --after-s 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.generate import OUT_DIR, ensure_xlsx  # noqa: E402
from ui import serverlog  # noqa: E402
from ui.i18n import TEXTS  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1440, "height": 1100}
SLIDER = ".st-key-top_share input[type=range]"  # react-aria's visually hidden thumb input
PHASES = ("idle", "upload", "after")
PAGE_MB = 2**20

# Installed in every viewer page before its scripts: stamps the keydown and the moment the
# headline first shows the expected text, both with the page's own clock.
PROBE_JS = """
window.__ka = {expect: null, down: null, hit: null, text: null};
document.addEventListener('keydown', () => {
  if (window.__ka.expect !== null && window.__ka.down === null) window.__ka.down = performance.now();
}, true);
new MutationObserver(() => {
  const k = window.__ka;
  if (k.expect === null || k.down === null || k.hit !== null) return;
  for (const h of document.querySelectorAll('h3')) {
    if (h.textContent.includes(k.expect)) { k.hit = performance.now(); k.text = h.textContent; return; }
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""


def _en(key: str) -> str:
    return TEXTS[key]["en"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..100) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def _stats(values: list[float]) -> dict[str, Any]:
    return {
        "moves": len(values),
        "p50_ms": _round(_percentile(values, 50)),
        "p95_ms": _round(_percentile(values, 95)),
        "max_ms": _round(max(values) if values else None),
        "mean_ms": _round(statistics.fmean(values) if values else None),
    }


def _round(value: float | None, digits: int = 0) -> float | None:
    return None if value is None else round(value, digits)


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else round(a / b, 2)


# --- the server and its processes ---------------------------------------------------------


def _proc_status(pid: int, field_name: str) -> int:
    """A ``kB`` field of ``/proc/<pid>/status`` in kB (0 when the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its waited-for children."""
    try:
        parts = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(parts[i]) for i in (11, 12, 13, 14)) / ticks  # utime stime cutime cstime


def _browser_cpu_seconds() -> float:
    """User + system CPU seconds of every Chromium process now (the viewers' browser)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError):
                if (entry / "comm").read_text().strip() == "chromium":
                    total += _cpu_seconds(int(entry.name))
    return total


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


class _RssSampler(threading.Thread):
    """Samples the RSS of a process tree every ``interval`` seconds; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_tree_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(self.interval):
            total = sum(_proc_status(p, "VmRSS") for p in _descendants(self.pid))
            self.peak_tree_kb = max(self.peak_tree_kb, total)

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=5)


@dataclass
class Server:
    """A running ``python -m ui.serve`` on its own port and database."""

    proc: subprocess.Popen[bytes]
    url: str
    db: Path
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def running_server(db: Path, log: Path) -> Any:
    """Start the app on ``db`` (as scripts/app.sh does); yield a :class:`Server`; stop it."""
    port = _free_port()
    env = {**os.environ, "KARADAR_DB": str(db), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ui.serve", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none"],  # no module reloads while measuring
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                        if resp.read().strip() == b"ok":
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start:\n{log.read_text(errors='replace')}")
                time.sleep(0.3)
            yield Server(proc, url, db, log)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _cli(db: Path, *args: str, timeout: float = 600) -> dict[str, Any]:
    """Run ``python -m analytics <args> --db <db>``; exit status, first lines, whether a traceback showed."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "analytics", *args, "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    both = done.stdout + done.stderr
    return {
        "command": " ".join(["analytics", *args]),
        "exit": done.returncode,
        "stderr": done.stderr.strip()[:300],
        "stdout_head": done.stdout.strip()[:200],
        "traceback": "Traceback" in both,
        "seconds": round(time.perf_counter() - started, 2),
    }


# --- browser sessions ----------------------------------------------------------------------


@dataclass
class Session:
    """One browser context and page, with what went wrong in it."""

    name: str
    context: Any
    page: Any
    js_errors: list[str] = field(default_factory=list)
    ws_closed: list[float] = field(default_factory=list)
    closing: bool = False

    def watch(self) -> None:
        self.page.on("pageerror", lambda exc: self.js_errors.append(str(exc)[:200]))

        def on_socket(ws: Any) -> None:
            if "_stcore/stream" in ws.url:
                ws.on("close", lambda _ws: None if self.closing else self.ws_closed.append(time.monotonic()))

        self.page.on("websocket", on_socket)

    async def app_errors(self) -> int:
        """Streamlit exception and error elements on the page now."""
        return int(
            await self.page.get_by_test_id("stException").count()
            + await self.page.get_by_test_id("stAlertContentError").count()
        )


async def _new_session(browser: Any, name: str, probe: bool) -> Session:
    context = await browser.new_context(viewport=VIEWPORT, locale="en-US")
    if probe:
        await context.add_init_script(PROBE_JS)
    page = await context.new_page()
    page.set_default_timeout(120_000)
    session = Session(name, context, page)
    session.watch()
    return session


@dataclass
class Move:
    phase: str
    started: float  # time.monotonic() of the key press, for the phase split
    ms: float | None  # None: the headline did not follow in time
    value: int  # the slider value moved to
    headline: str | None  # the headline's text when it followed
    first_on_new_data: bool = False  # set by :func:`_mark_first_on_new_data`


class Viewer:
    """A Key accounts page whose ``top_share`` slider goes 20 → 21 → 20 … by keyboard."""

    def __init__(self, session: Session, pause_s: float, timeout_s: float) -> None:
        self.session, self.pause_s, self.timeout_s = session, pause_s, timeout_s
        self.moves: list[Move] = []
        self.value = 20

    async def open(self, base: str) -> None:
        page = self.session.page
        await page.goto(f"{base}/accounts?lang=en")
        await page.locator(SLIDER).wait_for(state="attached", timeout=300_000)
        self.value = int(await page.locator(SLIDER).input_value())
        await page.wait_for_function(
            "(s) => [...document.querySelectorAll('h3')].some(h => h.textContent.includes(s))",
            arg=self._expected(self.value),
            timeout=300_000,
        )

    @staticmethod
    def _expected(value: int) -> str:
        return f"top {value}% of customers"

    async def move(self, phase: str) -> Move:
        page = self.session.page
        target = self.value + 1 if self.value % 2 == 0 else self.value - 1  # 20 ↔ 21
        key = "ArrowRight" if target > self.value else "ArrowLeft"
        await page.evaluate("(e) => { window.__ka.down = null; window.__ka.hit = null; window.__ka.expect = e; }",
                            self._expected(target))  # fmt: skip
        await page.locator(SLIDER).focus()
        started = time.monotonic()
        await page.keyboard.press(key)
        ms: float | None
        headline: str | None = None
        try:
            await page.wait_for_function(
                "() => window.__ka.hit !== null && window.__ka.down !== null", timeout=self.timeout_s * 1000, polling=50
            )
            ms = float(await page.evaluate("() => window.__ka.hit - window.__ka.down"))
            headline = await page.evaluate("() => window.__ka.text")
            self.value = target
        except Exception:  # the headline did not follow: count it, find out where the slider is now
            ms = None
            self.value = int(await page.locator(SLIDER).input_value())
        await page.evaluate("() => { window.__ka.expect = null; }")
        recorded = Move(phase, started, ms, target, headline)
        self.moves.append(recorded)
        return recorded

    async def loop(self, phase: Any, stop: asyncio.Event) -> None:
        """Move until ``stop``; ``phase()`` names the phase at each key press."""
        while not stop.is_set():
            await self.move(phase())
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.pause_s)


async def _open_data_page(session: Session, base: str) -> None:
    await session.page.goto(f"{base}/uploads?lang=en")
    await session.page.get_by_test_id("stFileUploader").wait_for()


async def _upload(session: Session, file: Path) -> dict[str, Any]:
    """Upload ``file`` through the open Data page and confirm; wall times of the stages (or what failed)."""
    try:
        return await _upload_steps(session.page, file)
    except Exception as exc:  # a failed upload is a result of the benchmark, not its end
        return {"ok": False, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"}


async def _when(locator: Any) -> float:
    """``time.monotonic()`` when ``locator`` first shows."""
    await locator.first.wait_for(timeout=600_000)
    return time.monotonic()


async def _upload_steps(page: Any, file: Path) -> dict[str, Any]:
    started = time.monotonic()
    await page.locator("input[type=file]").set_input_files(str(file))
    marks = {"chosen": time.monotonic()}
    confirm = page.get_by_role("button", name=_en("data.confirm"))
    failed = asyncio.ensure_future(_when(page.get_by_test_id("stAlertContentError")))
    steps = {
        "received": asyncio.ensure_future(_when(page.locator("h4", has_text=file.name))),  # the file's panel
        "inspected": asyncio.ensure_future(_when(page.locator("[class*='st-key-map_']"))),  # the mapping editor
        "reported": asyncio.ensure_future(_when(confirm)),  # validation report and Confirm
    }
    await asyncio.wait([steps["reported"], failed], return_when=asyncio.FIRST_COMPLETED)
    for task in [failed, *steps.values()]:
        if task.done():
            marks.setdefault(next((k for k, v in steps.items() if v is task), "failed"), task.result())
        task.cancel()
    if "failed" in marks:
        return {"ok": False, "error": (await page.get_by_test_id("stAlertContentError").first.inner_text())[:300]}
    overlap = page.locator("[class*='st-key-overlap_']")
    if await overlap.count():  # the file overlaps stored data without order ids: append
        await overlap.get_by_text(_en("data.overlap.append")).click()
    await confirm.click()
    marks["clicked"] = time.monotonic()
    marks["stored"] = await _when(page.get_by_test_id("stAlertContentSuccess"))
    stages = {name: round(at - started, 2) for name, at in sorted(marks.items(), key=lambda item: item[1])}
    return {
        "ok": True,
        "message": (await page.get_by_test_id("stAlertContentSuccess").first.inner_text())[:200],
        "marks_s": stages,  # seconds after choosing the file: chosen, received, inspected, reported, clicked, stored
        "to_report_s": stages["reported"],
        "confirm_to_stored_s": round(marks["stored"] - marks["clicked"], 2),
        "wall_s": stages["stored"],
        "marks": marks,
        "started": started,
    }


def _met(ratio_p95: float | None, errors: int) -> bool:
    """Issue 7's viewer target: upload-phase p95 at most twice the idle p95, and no error."""
    return ratio_p95 is not None and ratio_p95 <= 2 and errors == 0


def _stage_of(at: float, upload: dict[str, Any]) -> str:
    """Which upload stage a moment falls in: the last mark before it (``before`` the file was chosen)."""
    stage = "before"
    for name, mark in sorted(upload.get("marks", {}).items(), key=lambda item: item[1]):
        if at >= mark:
            stage = name
    return stage


def _mark_first_on_new_data(moves: list[Move]) -> None:
    """Mark one viewer's first move whose headline differs from the pre-upload headline of its value."""
    before: dict[int, str] = {}
    for move in moves:
        if move.headline is None:
            continue
        if move.phase in ("warm", "idle"):
            before[move.value] = move.headline
        elif move.value in before and move.headline != before[move.value]:
            move.first_on_new_data = True
            return


# --- one N ---------------------------------------------------------------------------------


async def bench_sessions(n: int, file: Path, args: argparse.Namespace, folder: Path, browser: Any) -> dict[str, Any]:
    """One fresh server, ``n`` viewers, the three phases (see module docstring)."""
    db, log = folder / f"n{n}.duckdb", folder / f"n{n}.log"
    out: dict[str, Any] = {"sessions": n, "load_before": [round(x, 2) for x in os.getloadavg()]}
    with running_server(db, log) as server:
        sampler = _RssSampler(server.proc.pid)
        sampler.start()
        sessions = [await _new_session(browser, f"viewer{i}", probe=True) for i in range(n)]
        viewers = [Viewer(s, args.pause, args.move_timeout_s) for s in sessions]
        opened = time.monotonic()
        # one after the other: the browsers share this machine's cores with the server, and 20
        # first renders at once did not finish within 300 s on 2 cores
        for viewer in viewers:
            await viewer.open(server.url)  # the first visit loads the demo company
        out["open_s"] = round(time.monotonic() - opened, 1)
        for _ in range(2):  # warm: the first reruns of a session build its widgets' state
            await asyncio.gather(*(v.move("warm") for v in viewers))
        uploader = await _new_session(browser, "uploader", probe=False)
        await _open_data_page(uploader, server.url)  # its session polls the data version like the others

        current = ["idle"]
        cpu: dict[str, float] = {}
        browser_cpu: dict[str, float] = {}  # the viewers' Chromium shares this machine's cores

        async def phase(name: str, work: Any) -> Any:
            current[0] = name
            stop = asyncio.Event()
            cpu_start, browser_start, t0 = _cpu_seconds(server.proc.pid), _browser_cpu_seconds(), time.monotonic()
            loops = [asyncio.ensure_future(v.loop(lambda: current[0], stop)) for v in viewers]
            try:
                result = await work
            finally:
                stop.set()
                await asyncio.gather(*loops)
            cpu[name] = round(_cpu_seconds(server.proc.pid) - cpu_start, 1)
            browser_cpu[name] = round(_browser_cpu_seconds() - browser_start, 1)
            cpu[f"{name}_wall"] = round(time.monotonic() - t0, 1)
            return result

        await phase("idle", asyncio.sleep(args.idle_s))
        if args.cli and n == args.cli_at:
            out["cli"] = await asyncio.to_thread(_cli, db, "summary")
        upload = await phase("upload", _upload(uploader, file))
        await phase("after", asyncio.sleep(args.after_s))

        out["upload"] = {k: v for k, v in upload.items() if k not in ("marks", "started")}
        out["server_cpu_s"] = cpu
        out["browser_cpu_s"] = browser_cpu
        out["app_errors"] = sum([await s.app_errors() for s in [*sessions, uploader]])
        for s in [*sessions, uploader]:
            s.closing = True
        out["peak_rss_mb"] = {
            "server": round(_proc_status(server.proc.pid, "VmHWM") / 1024),
            "process_tree_sampled": round(sampler.peak_tree_kb / 1024),
        }
        sampler.stop()
        for s in [*sessions, uploader]:
            await s.context.close()
    text = server.log_text()
    for viewer in viewers:
        _mark_first_on_new_data(viewer.moves)
    moves = [m for v in viewers for m in v.moves if m.phase in PHASES]
    by_phase = {p: [m.ms for m in moves if m.phase == p and m.ms is not None] for p in PHASES}
    out["latency"] = {p: _stats(by_phase[p]) for p in PHASES}
    idle, during = out["latency"]["idle"], out["latency"]["upload"]
    out["ratio_upload_idle"] = {
        "p50": _ratio(during["p50_ms"], idle["p50_ms"]),
        "p95": _ratio(during["p95_ms"], idle["p95_ms"]),
    }
    beside = _stats([m.ms for m in moves if m.phase == "upload" and m.ms is not None and not m.first_on_new_data])
    out["latency"]["upload_without_first_on_new_data"] = beside
    out["ratio_upload_idle_without_first_on_new_data"] = {
        "p50": _ratio(beside["p50_ms"], idle["p50_ms"]),
        "p95": _ratio(beside["p95_ms"], idle["p95_ms"]),
    }
    origin = upload.get("started", 0.0)

    def record(m: Move) -> dict[str, Any]:
        return {
            "ms": _round(m.ms),
            "phase": m.phase,
            "stage": _stage_of(m.started, upload),
            "at_s": round(m.started - origin, 1),
            "first_on_new_data": m.first_on_new_data,
        }

    out["first_on_new_data"] = [record(m) for m in moves if m.first_on_new_data]
    # the upload phase by stage (a move counts where its key press fell) and the slowest moves
    stages: dict[str, list[float]] = {}
    for m in moves:
        if m.phase == "upload" and m.ms is not None:
            stages.setdefault(_stage_of(m.started, upload), []).append(m.ms)
    out["upload_stages"] = {name: _stats(values) for name, values in stages.items()}
    out["slowest_moves"] = [
        record(m) for m in sorted((m for m in moves if m.ms is not None), key=lambda m: -(m.ms or 0))[:10]
    ]
    all_sessions = [*sessions, uploader]
    out["errors"] = {
        "move_timeouts": sum(1 for m in moves if m.ms is None),
        "js_exceptions": sum(len(s.js_errors) for s in all_sessions),
        "app_error_elements": out.pop("app_errors"),
        "websocket_closes": sum(len(s.ws_closed) for s in all_sessions),
        "server_tracebacks": serverlog.without_disconnect_races(text).count("Traceback"),
    }
    out["errors"]["total"] = sum(out["errors"].values())
    # not errors of the app (the same rule as the browser tests), but counted for the record
    out["streamlit_disconnect_races"] = serverlog.disconnect_races(text)
    if out["errors"]["js_exceptions"]:
        out["js_exception_samples"] = sorted({e for s in all_sessions for e in s.js_errors})[:5]
    if out["errors"]["server_tracebacks"]:
        out["server_log_tail"] = text[-3000:]
    out["target_met"] = _met(out["ratio_upload_idle"]["p95"], out["errors"]["total"])
    out["target_met_without_first_on_new_data"] = _met(
        out["ratio_upload_idle_without_first_on_new_data"]["p95"], out["errors"]["total"]
    )
    out["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return out


# --- the CLI holds the file --------------------------------------------------------------


async def bench_cli_holds_file(big: Path, small: Path, folder: Path, browser: Any) -> dict[str, Any]:
    """A CLI ingest of ``big`` holds the file; the app (not connected yet) is opened and used meanwhile."""
    db, log = folder / "cli_lock.duckdb", folder / "cli_lock.log"
    seeded = _cli(db, "demo")
    out: dict[str, Any] = {"demo_loaded_by_cli": seeded["exit"] == 0}
    with running_server(db, log) as server:
        cli = subprocess.Popen(
            [sys.executable, "-m", "analytics", "ingest", str(big), "--db", str(db)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        session = await _new_session(browser, "cli-lock", probe=False)
        page = session.page
        await asyncio.sleep(3)  # the CLI has opened the file
        await page.goto(f"{server.url}/uploads?lang=en")
        await page.get_by_test_id("stAlertContainer").first.wait_for(timeout=60_000)
        out["cli_still_running_when_page_opened"] = cli.poll() is None
        out["page_message"] = (await page.get_by_test_id("stAlertContainer").first.inner_text())[:300]
        out["page_traceback"] = "Traceback" in await page.inner_text("body")
        stdout, stderr = await asyncio.to_thread(cli.communicate)
        out["cli_exit"] = cli.returncode
        out["cli_output"] = (stdout + stderr).strip()[:300]
        await _open_data_page(session, server.url)
        result = await _upload(session, small)
        out["upload_after_cli"] = {k: v for k, v in result.items() if k not in ("marks", "started")}
        session.closing = True
        await session.context.close()
    text = server.log_text()
    out["server_tracebacks"] = serverlog.without_disconnect_races(text).count("Traceback")
    out["streamlit_disconnect_races"] = serverlog.disconnect_races(text)
    if out["server_tracebacks"]:
        out["server_log_tail"] = text[-2000:]
    return out


async def _main_async(args: argparse.Namespace, file: Path, report: dict[str, Any]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with tempfile.TemporaryDirectory(prefix="bench-viewers-") as tmp:
                folder = Path(tmp)
                report["runs"] = []
                for n in args.sessions:
                    try:
                        run = await bench_sessions(n, file, args, folder, browser)
                    except Exception as exc:  # a failed N is a result to report, not the end of the run
                        run = {"sessions": n, "failed": f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"}
                    report["runs"].append(run)
                    print(json.dumps(run, ensure_ascii=False), file=sys.stderr)
                if args.cli:
                    small = ensure_xlsx(args.cli_small_rows)
                    report["cli_holds_file"] = await bench_cli_holds_file(file, small, folder, browser)
        finally:
            await browser.close()


def _summary(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One line per N: the figures of issue 7."""
    rows: list[dict[str, Any]] = []
    for run in report["runs"]:
        if "failed" in run:
            rows.append({"sessions": run["sessions"], "failed": run["failed"], "target_met": False})
            continue
        rows.append(
            {
                "sessions": run["sessions"],
                "idle_p50_ms": run["latency"]["idle"]["p50_ms"],
                "idle_p95_ms": run["latency"]["idle"]["p95_ms"],
                "upload_p50_ms": run["latency"]["upload"]["p50_ms"],
                "upload_p95_ms": run["latency"]["upload"]["p95_ms"],
                "upload_max_ms": run["latency"]["upload"]["max_ms"],
                "ratio_p95": run["ratio_upload_idle"]["p95"],
                "ratio_p95_without_first_on_new_data": run["ratio_upload_idle_without_first_on_new_data"]["p95"],
                "first_on_new_data_ms": [m["ms"] for m in run["first_on_new_data"]],
                "errors": run["errors"]["total"],
                "upload_wall_s": run["upload"].get("wall_s"),
                "peak_server_rss_mb": run["peak_rss_mb"]["server"],
                "idle_cpu_s": {  # where the two cores went while idle: the server or the viewers' browsers
                    "server": run["server_cpu_s"]["idle"],
                    "browsers": run["browser_cpu_s"]["idle"],
                    "wall": run["server_cpu_s"]["idle_wall"],
                },
                "target_met": run["target_met"],
                "target_met_without_first_on_new_data": run["target_met_without_first_on_new_data"],
            }
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the uploaded xlsx (generated, cached)")
    parser.add_argument("--file", type=Path, help="upload this xlsx instead")
    parser.add_argument("--sessions", type=lambda s: [int(x) for x in s.split(",")], default=[1, 5, 10, 20])
    parser.add_argument("--idle-s", type=float, default=30.0, help="seconds of the idle phase")
    parser.add_argument("--after-s", type=float, default=15.0, help="seconds of moves after the upload")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds a viewer waits between moves")
    parser.add_argument("--move-timeout-s", type=float, default=60.0, help="a move slower than this is an error")
    parser.add_argument("--skip-cli", dest="cli", action="store_false", help="skip the CLI/lock checks")
    parser.add_argument("--cli-small-rows", type=int, default=20_000, help="rows of the file uploaded after the CLI")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "bench_viewers.json")
    args = parser.parse_args(argv)
    args.cli_at = args.sessions[0]
    file = args.file or ensure_xlsx(args.rows)
    started = time.perf_counter()
    report: dict[str, Any] = {
        "file": str(file),
        "file_mb": round(file.stat().st_size / PAGE_MB, 1),
        "cores": os.cpu_count(),
        "settings": {"idle_s": args.idle_s, "after_s": args.after_s, "pause_s": args.pause},
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
    }
    asyncio.run(_main_async(args, file, report))
    report["summary"] = _summary(report)
    report["total_s"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
