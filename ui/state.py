"""Session and process state of the UI: database connection, cached queries, language, filters.

* **Connection**: one DuckDB connection per database file and server process
  (``st.cache_resource``); every query or write runs on its own ``con.cursor()``, because a
  DuckDB connection must not be shared between threads (each Streamlit session is a thread).
  Writes (:func:`write_cursor`) take turns (two uploads at once would conflict in DuckDB);
  reads (:func:`cursor`) never wait for a write: DuckDB's MVCC serves them the last committed
  data until the write commits, and (DuckDB 2.0, ``tests/test_state.py``) the loader's
  checkpoint after a commit succeeds while other cursors are mid-query. So a viewer's rerun
  during an upload's seconds-long insert is not held up by it.
  A brand-new database (no upload ever, not even an undone one) gets the demo company.
* **Query cache**: :func:`query` runs an analytics function through ``st.cache_data`` keyed on
  (function, database path, :func:`analytics.store.data_version`, arguments). Every write bumps
  the data version, so an upload by one manager refreshes every session on its next rerun,
  and nothing stale is ever served.
* **Shared results** (:func:`query_shared`, :func:`derived`): ``st.cache_data`` pickles a result
  when it stores it and unpickles a fresh copy on every hit; for the per-customer frames of a
  big ledger (500,000 customers) that copy alone costs ~0.1 s per rerun, most of a slider
  step's budget. These frames go through ``st.cache_resource`` instead, with the same key, TTL
  and data-version rule: every session and rerun gets *the same object*, no copy. Such results
  are **read-only by contract**: never assign into them (``df[c] = …``, ``df.loc[…] = …``,
  ``inplace=True``, writing into ``.to_numpy()`` arrays); derive new frames (``assign``,
  ``merge``, boolean selection) instead. pandas' copy-on-write makes every derived frame
  independent, so reading, selecting and ``assign`` are safe.
* **Language**: ``zh`` or ``en``: on a session's first run from ``?lang=`` in the URL, else the
  browser's language, else ``$KARADAR_LANG`` (default ``zh``); then from the sidebar switch. Kept
  in the URL so a copied link opens in the same language.
* **Filters**: the sidebar builds one :class:`~analytics.filters.Filters` per run and stores it
  here; pages read it with :func:`filters`.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import duckdb
import streamlit as st

from analytics import access, engine, priority, sandbox, store
from analytics.filters import Filters
from ui.format import escape_markdown
from ui.i18n import DEFAULT_LANG, LANGS

log = logging.getLogger("karadar.ui")

LANG_KEY = "lang"  # the session's language: plain session state, never a widget's (see init_lang)
LANG_SWITCH_KEY = "lang_switch"  # the sidebar's language radio
FILTERS_KEY = "_filters"
FLASH_KEY = "_flash"
QUERY_TTL_SECONDS = 600
QUERY_MAX_ENTRIES = 256
# shared results are the big ones (~100-300 MB each for 10M lines): few entries, same TTL
SHARED_MAX_ENTRIES = 24
CURRENCY_ENV_VAR = "KARADAR_CURRENCY"
LANG_ENV_VAR = "KARADAR_LANG"
USER_STATE_KEY = "_current_user"
SEEN_VERSION_KEY = "_seen_version"  # the data version this session shows (see ui.frame)
T = TypeVar("T")


_writes = threading.Lock()  # one write at a time within the process (module docstring)


def db_path() -> str:
    """Absolute path of the database this process serves (``$KARADAR_DB`` or the default)."""
    return str(store.resolve_db_path().resolve())


def _never_used(con: duckdb.DuckDBPyConnection) -> bool:
    """True for a database that has never stored anything (the upload log is empty)."""
    row = con.execute("select count(*) from uploads").fetchall()
    return not row or row[0][0] == 0


@st.cache_resource(show_spinner=False)
def _open(path: str) -> duckdb.DuckDBPyConnection:
    """Open the store once per process and database file; load the demo into a new store.

    The demo is loaded only when the store is empty *and* has never been used: after a user
    removes the demo (which leaves undone entries in the log) it does not come back.
    """
    with priority.native_threads_in_background():  # DuckDB's workers: an upload's insert runs on them
        con = store.connect(path)
    sandbox.start()  # the parser helper process, so the first upload does not wait for it
    with _writes:
        cur = con.cursor()
        try:
            if store.is_empty(cur) and _never_used(cur):
                from data import demo  # lazy: the demo generator is only needed once

                demo.load_demo(cur)
        except Exception:
            log.exception("loading the demo data failed")
        finally:
            cur.close()
    if engine.EngineSettings.from_env().engine == "duckdb":  # a warehouse mirror writes Parquet files through DuckDB
        # SQL can no longer read or write files, install extensions or change this (defence in depth)
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    return con


def connection() -> duckdb.DuckDBPyConnection:
    """The process-wide connection to the store (use :func:`cursor` to run anything)."""
    return _open(db_path())


@contextmanager
def cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh cursor for reading, closed afterwards (one per query; never write on it)."""
    cur = connection().cursor()
    try:
        yield cur
    finally:
        cur.close()


@contextmanager
def write_cursor() -> Iterator[duckdb.DuckDBPyConnection]:
    """A fresh cursor for one write (upload, undo, demo removal); one write at a time per process."""
    con = connection()
    with _writes:
        cur = con.cursor()
        try:
            yield cur
            # this session knows about its own write: no "data updated" notice for it
            st.session_state[SEEN_VERSION_KEY] = store.data_version(cur)
        finally:
            cur.close()


def stored_data_version() -> int:
    """The store's data version now (one small query)."""
    with cursor() as cur:
        return store.data_version(cur)


def pin_data_version() -> int:
    """Read the store's data version once for this run (the frame calls it first); see :func:`data_version`."""
    version = stored_data_version()
    st.session_state[SEEN_VERSION_KEY] = version
    return version


def data_version() -> int:
    """The data version this session shows; part of every cache key.

    Pinned at the start of each run (:func:`pin_data_version`) and moved on by this session's own
    writes (:func:`write_cursor`), so one run never mixes data from before and after another
    session's upload, and a rerun's queries cost no database round trip for their cache keys.
    Before anything pinned it (scripts, a session's very first run), the store's current version.
    """
    pinned = st.session_state.get(SEEN_VERSION_KEY)
    return pinned if isinstance(pinned, int) else stored_data_version()


@st.cache_data(ttl=QUERY_TTL_SECONDS, max_entries=QUERY_MAX_ENTRIES, show_spinner=False)
def _cached(
    _fn: Callable[..., Any], name: str, path: str, version: int, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """Run ``_fn(cursor, *args, **kwargs)``; the cache key is (name, path, version, args, kwargs)."""
    with cursor() as cur:
        # KARADAR_ENGINE=chdb|spark: the analytics read the warehouse (analytics.engine; uploads stay here)
        return _fn(engine.analytics_connection(cur), *args, **kwargs)


def query(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run an analytics function ``fn(con, *args, **kwargs)`` through the shared query cache.

    Arguments must be hashable by Streamlit (dates, strings, numbers, tuples, frozen
    dataclasses such as :class:`Filters`).
    """
    name = f"{fn.__module__}.{fn.__qualname__}"
    result: T = _cached(fn, name, db_path(), data_version(), args, kwargs)
    return result


@st.cache_resource(ttl=QUERY_TTL_SECONDS, max_entries=SHARED_MAX_ENTRIES, show_spinner=False)
def _shared(
    _fn: Callable[..., Any], name: str, path: str, version: int, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """:func:`_cached`, held as one shared object (see :func:`query_shared`)."""
    with cursor() as cur:
        return _fn(engine.analytics_connection(cur), *args, **kwargs)


def query_shared(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """:func:`query` for large results: one shared object for every session, never copied.

    Same key (function, database, data version, arguments), TTL and refresh rule as
    :func:`query`, but a hit costs nothing (``st.cache_data`` unpickles a copy per hit). The
    result is **read-only**: callers derive new frames and never modify it (module docstring).
    """
    name = f"{fn.__module__}.{fn.__qualname__}"
    result: T = _shared(fn, name, db_path(), data_version(), args, kwargs)
    return result


@st.cache_resource(ttl=QUERY_TTL_SECONDS, max_entries=SHARED_MAX_ENTRIES, show_spinner=False)
def _derived(_fn: Callable[..., Any], name: str, path: str, version: int, key: tuple[Any, ...], _inputs: Any) -> Any:
    """``_fn(*_inputs)``, cached by (name, path, version, key); the inputs themselves are not hashed."""
    return _fn(*_inputs)


def derived(fn: Callable[..., T], key: tuple[Any, ...], *inputs: Any) -> T:
    """``fn(*inputs)`` computed once per data version and ``key``, shared like :func:`query_shared`.

    For a costly pure step on shared results (e.g. aligning two periods' facts for the tier
    migration): ``inputs`` are typically :func:`query_shared` results and are not hashed, so
    ``key`` must identify them (the arguments that produced them, e.g. the filters). Read-only.
    """
    name = f"{fn.__module__}.{fn.__qualname__}"
    result: T = _derived(fn, name, db_path(), data_version(), key, inputs)
    return result


def clear_query_cache() -> None:
    """Drop cached query results (not needed after writes: the data version changes)."""
    _cached.clear()
    _shared.clear()
    _derived.clear()


def lang() -> str:
    """The session's language: ``zh`` or ``en``."""
    value = st.session_state.get(LANG_KEY)
    return value if value in LANGS else DEFAULT_LANG


def default_lang() -> str:
    """The language setting of the deployment: ``$KARADAR_LANG`` (``zh``/``en``), else ``zh``."""
    value = os.environ.get(LANG_ENV_VAR, "").strip().lower()[:2]
    return value if value in LANGS else DEFAULT_LANG


def browser_lang() -> str | None:
    """The browser's language when it is one the UI speaks (``zh-CN`` → ``zh``), else ``None``."""
    locale = (st.context.locale or "").strip().lower()[:2]
    return locale if locale in LANGS else None


def init_lang() -> None:
    """Pick the session's language when it has none: ``?lang=``, else the browser's, else the setting.

    The language lives in plain session state, apart from the switch's widget state, which
    Streamlit can drop (streamlit#10805: widget states lost on a page change after a
    ``run_every`` fragment ran, and the data poll is one) or the browser can lose: the switch
    writes it only when the user picks one (:func:`take_switched_lang`) and is drawn with it as
    its default (``ui.sidebar``).
    """
    if st.session_state.get(LANG_KEY) not in LANGS:
        candidates = (st.query_params.get(LANG_KEY), browser_lang())
        st.session_state[LANG_KEY] = next((code for code in candidates if code in LANGS), default_lang())


def take_switched_lang() -> None:
    """The language switch's ``on_change``: the language the user picked becomes the session's."""
    picked = st.session_state.get(LANG_SWITCH_KEY)
    if picked in LANGS:
        st.session_state[LANG_KEY] = picked


def sync_lang_to_url() -> None:
    """Keep ``?lang=`` in the URL in step with the switch (absent for the deployment's default)."""
    current = lang()
    if current == default_lang():
        if LANG_KEY in st.query_params:
            del st.query_params[LANG_KEY]
    elif st.query_params.get(LANG_KEY) != current:
        st.query_params[LANG_KEY] = current


def currency() -> str:
    """Currency code of the data (``$KARADAR_CURRENCY``, default CNY)."""
    return os.environ.get(CURRENCY_ENV_VAR, "CNY").strip().upper() or "CNY"


def set_user(value: access.User) -> None:
    """Remember this run's user (called by the frame after sign-in)."""
    st.session_state[USER_STATE_KEY] = value


def user() -> access.User:
    """The session's user (the local admin when access control is off)."""
    value = st.session_state.get(USER_STATE_KEY)
    return value if isinstance(value, access.User) else access.LOCAL_ADMIN


def set_filters(value: Filters) -> None:
    """Store this run's global filters (called by the sidebar)."""
    st.session_state[FILTERS_KEY] = value


def filters() -> Filters:
    """The global filters chosen in the sidebar (no filter before the sidebar ran)."""
    value = st.session_state.get(FILTERS_KEY)
    return value if isinstance(value, Filters) else Filters()


def flash(kind: str, text: str) -> None:
    """Queue a message (``success``/``info``/``warning``/``toast``) to show on the next run."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, text))


def show_flash() -> None:
    """Show and clear queued messages (escaped: they may contain file names)."""
    for kind, text in st.session_state.pop(FLASH_KEY, []):
        if kind == "toast":
            st.toast(escape_markdown(text), icon=":material/sync:")
        else:
            {"success": st.success, "warning": st.warning}.get(kind, st.info)(escape_markdown(text))
