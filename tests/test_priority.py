"""Background CPU priority: which thread it reaches, and giving it back."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

import pytest

from analytics import priority

WAIT_S = 20
ROOT = os.geteuid() == 0  # raising a priority again needs CAP_SYS_NICE
T = TypeVar("T")


def _in_thread(body: Callable[[int], T]) -> T:
    """Run ``body(native id)`` in a fresh thread (a lowered test thread stays lowered without root)."""
    out: dict[str, T] = {}
    thread = threading.Thread(target=lambda: out.setdefault("result", body(threading.get_native_id())))
    thread.start()
    thread.join(WAIT_S)
    return out["result"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread policies are Linux's")
def test_lower_uses_the_idle_policy_for_that_thread_only() -> None:
    def body(tid: int) -> tuple[priority.Priority | None, priority.Priority, priority.Priority]:
        before = priority.lower(tid)
        return before, priority.current(), priority.current(threading.main_thread().native_id or 0)

    before, inside, main = _in_thread(body)
    assert before is not None and before.policy == os.SCHED_OTHER
    assert inside.policy == os.SCHED_IDLE and priority.is_background(inside)
    assert not priority.is_background(main)


def test_another_thread_can_be_lowered_by_its_id() -> None:
    """As the DuckDB worker threads are, from the thread that opened the database."""
    ready, done = threading.Event(), threading.Event()
    ids: dict[str, int] = {}
    seen: dict[str, bool] = {}

    def worker() -> None:
        ids["tid"] = threading.get_native_id()
        ready.set()
        done.wait(WAIT_S)
        seen["worker"] = priority.is_background(priority.current())

    thread = threading.Thread(target=worker)
    thread.start()
    ready.wait(WAIT_S)
    assert priority.lower(ids["tid"]) is not None
    done.set()
    thread.join(WAIT_S)
    assert seen == {"worker": True}
    assert not priority.is_background(priority.current())  # the caller is not touched


@pytest.mark.skipif(not ROOT, reason="giving a priority back needs the privilege")
def test_restore_gives_the_thread_its_priority_back() -> None:
    def body(tid: int) -> tuple[priority.Priority, priority.Priority, bool]:
        original = priority.current(tid)
        before = priority.lower(tid)
        assert before is not None
        return original, priority.current(tid), priority.restore(tid, before) and priority.current(tid) == original

    original, lowered, restored = _in_thread(body)
    assert not priority.is_background(original) and priority.is_background(lowered)
    assert restored


def test_a_thread_that_does_not_exist_is_refused() -> None:
    assert priority.lower(2**22 + 12345) is None  # above Linux's pid_max limit: no such thread


@pytest.mark.parametrize(
    ("policy", "nice", "expected"),
    [
        (getattr(os, "SCHED_IDLE", None), 0, hasattr(os, "SCHED_IDLE")),
        (getattr(os, "SCHED_OTHER", None), 0, False),
        (getattr(os, "SCHED_OTHER", None), 19, not hasattr(os, "SCHED_IDLE")),
    ],
)
def test_is_background(policy: int | None, nice: int, expected: bool) -> None:
    assert priority.is_background(priority.Priority(policy, nice)) is expected


def test_heavy_work_runs_at_background_priority_and_the_thread_gets_it_back() -> None:
    seen: dict[str, bool] = {}
    in_block, looked = threading.Event(), threading.Event()

    def upload() -> None:  # an upload's script thread (its own: a non-root test cannot raise it back)
        seen["before"] = priority.is_background(priority.current())
        with priority.background():
            seen["inside"] = priority.is_background(priority.current())
            in_block.set()
            looked.wait(WAIT_S)
        seen["after"] = priority.is_background(priority.current())

    def viewer() -> None:  # another session's thread, running while the upload's block runs
        in_block.wait(WAIT_S)
        seen["other thread"] = priority.is_background(priority.current())
        looked.set()

    threads = [threading.Thread(target=upload), threading.Thread(target=viewer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT_S)
    expected = {"before": False, "inside": True, "other thread": False}
    assert {k: v for k, v in seen.items() if k != "after"} == expected
    if os.geteuid() == 0:  # raising a priority again needs the privilege
        assert seen["after"] is False


def test_the_threads_duckdb_starts_run_in_the_background() -> None:
    import duckdb

    before = priority._native_thread_ids()
    with priority.native_threads_in_background():
        con = duckdb.connect(config={"threads": 2})  # starts its worker threads
    try:
        started = priority._native_thread_ids() - before - {thread.native_id for thread in threading.enumerate()}
        assert started  # DuckDB's workers
        assert all(priority.is_background(priority.current(tid)) for tid in started)
        assert not priority.is_background(priority.current())  # the thread that opened it
    finally:
        con.close()
