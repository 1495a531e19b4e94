"""CPU priority of the heavy work beside the viewers' reruns: parsing, an upload's steps, DuckDB's workers.

Such work is put on Linux's ``SCHED_IDLE`` policy: it runs whenever a core would otherwise be
idle and gives way to every normal thread the moment one is runnable, so on an idle machine
it takes as long as before and on a busy one the viewers' reruns go first. Where the policy is
missing (not Linux) the nice value is raised by :data:`FALLBACK_NICE` instead.

Why not only nice: measured with ``python -m bench.bench_viewers`` (2 cores, a 1M-row upload;
the viewers' p95 during the upload over their idle p95, target ≤ 2): with nice +10 it was 3.17
at 1 viewer and 2.25–2.33 at 5; with ``SCHED_IDLE`` 1.39 and 1.21–1.30, for about the same
upload time. A nice +10 thread still gets ~10% of a core that a normal thread wants (weight
110 against 1024); an idle-policy thread ~0.3% (weight 3).

Raising a priority again needs the privilege (``CAP_SYS_NICE``); without it a lowered thread
stays lowered until it ends.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

FALLBACK_NICE = 10  # added to the nice value where SCHED_IDLE is missing (0 normal … 19 lowest)


@dataclass(frozen=True)
class Priority:
    """A thread's scheduling policy and nice value."""

    policy: int | None  # None where the platform has no scheduling policies
    nice: int


def current(tid: int = 0) -> Priority:
    """The priority of thread ``tid`` (Linux native id; 0 = the calling thread)."""
    policy = os.sched_getscheduler(tid) if hasattr(os, "sched_getscheduler") else None
    return Priority(policy, os.getpriority(os.PRIO_PROCESS, tid))


def is_background(priority: Priority) -> bool:
    """Whether ``priority`` is the one :func:`lower` sets (idle policy, or the fallback nice)."""
    if hasattr(os, "SCHED_IDLE"):
        return priority.policy == os.SCHED_IDLE
    return priority.nice >= FALLBACK_NICE


def lower(tid: int = 0) -> Priority | None:
    """Put thread ``tid`` on background priority (Linux: one thread, not its process).

    Returns its previous priority, or None where the system refused (the thread is unchanged).
    """
    try:
        before = current(tid)
        if hasattr(os, "SCHED_IDLE"):
            os.sched_setscheduler(tid, os.SCHED_IDLE, os.sched_param(0))
        else:
            os.setpriority(os.PRIO_PROCESS, tid, min(19, before.nice + FALLBACK_NICE))
    except OSError:
        return None
    return before


def restore(tid: int, before: Priority) -> bool:
    """Give thread ``tid`` back the priority :func:`lower` returned; False without the privilege."""
    try:
        if before.policy is not None:
            os.sched_setscheduler(tid, before.policy, os.sched_param(0))
        os.setpriority(os.PRIO_PROCESS, tid, before.nice)
    except OSError:
        return False
    return True


@contextmanager
def background() -> Iterator[None]:
    """Run the block at background priority on the calling thread, then restore it if allowed.

    Without the privilege (a non-root server) the thread stays lowered until it ends; Streamlit
    ends a session's script thread when its runs are done.
    """
    tid = threading.get_native_id()
    before = lower(tid)
    try:
        yield
    finally:
        if before is not None:
            restore(tid, before)


def _native_thread_ids() -> set[int]:
    """Native ids of this process's threads (Linux ``/proc``; empty elsewhere)."""
    try:
        return {int(tid) for tid in os.listdir("/proc/self/task")}
    except OSError:
        return set()


@contextmanager
def native_threads_in_background() -> Iterator[None]:
    """Put the threads native code starts inside the block (not Python's own) on background priority.

    For DuckDB's worker threads, started when a database opens: they run every query's parallel
    work, an upload's insert among them.
    """
    before = _native_thread_ids()
    yield
    started = _native_thread_ids() - before - {thread.native_id for thread in threading.enumerate()}
    for tid in started:
        lower(tid)
