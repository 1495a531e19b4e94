"""Reads beside a write (ui.state): the DuckDB snapshot and checkpoint behaviour the UI relies on."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pytest

from analytics import store
from ui import state

WAIT_S = 20


def _hold_in_query(con: duckdb.DuckDBPyConnection, inside: threading.Event, release: threading.Event) -> None:
    """Register ``hold(x)``: a scalar that signals ``inside`` and then waits for ``release``."""

    def hold(x: int) -> int:
        inside.set()
        release.wait(WAIT_S)
        return x

    con.create_function("hold", hold, ["BIGINT"], "BIGINT")


def _read_while_held(con: duckdb.DuckDBPyConnection, result: dict[str, int]) -> threading.Thread:
    def read() -> None:
        row = con.execute("select count(*) as n, max(hold(x)) as h from t").fetchall()[0]
        result["n"] = int(row[0])

    thread = threading.Thread(target=read)
    thread.start()
    return thread


def test_a_checkpoint_succeeds_while_another_cursor_is_mid_query(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "k.duckdb"))
    con.execute("create table t as select range as x from range(1000)")
    reader = con.cursor()
    inside, release = threading.Event(), threading.Event()
    result: dict[str, int] = {}
    _hold_in_query(reader, inside, release)
    thread = _read_while_held(reader, result)
    try:
        assert inside.wait(WAIT_S)
        writer = con.cursor()
        writer.execute("begin transaction")
        writer.execute("insert into t select range from range(500)")
        writer.execute("commit")
        writer.execute("checkpoint")  # DuckDB 2.0: no "other transactions" refusal
        assert "n" not in result  # the read is still running
    finally:
        release.set()
        thread.join(WAIT_S)
    assert result["n"] == 1000  # its snapshot: before the write
    assert writer.execute("select count(*) from t").fetchall()[0][0] == 1500
    assert not (tmp_path / "k.duckdb.wal").exists() or (tmp_path / "k.duckdb.wal").stat().st_size == 0


@pytest.fixture
def plain_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> duckdb.DuckDBPyConnection:
    con = store.connect(tmp_path / "s.duckdb")
    monkeypatch.setattr(state, "connection", lambda: con)
    return con


def test_a_read_does_not_wait_for_a_write_in_progress(plain_store: duckdb.DuckDBPyConnection) -> None:
    before = store.data_version(plain_store)
    seen: dict[str, int] = {}

    def read() -> None:
        with state.cursor() as cur:
            seen["version"] = store.data_version(cur)

    with state.write_cursor() as cur:
        cur.execute("begin transaction")
        store.bump_data_version(cur)
        reader = threading.Thread(target=read)
        reader.start()
        reader.join(WAIT_S)
        assert not reader.is_alive()  # it did not wait for this write
        assert seen["version"] == before  # and saw the last committed data
        cur.execute("commit")
    assert store.data_version(plain_store) == before + 1


def test_writes_take_turns(plain_store: duckdb.DuckDBPyConnection) -> None:
    order: list[str] = []

    def second() -> None:
        with state.write_cursor():
            order.append("second")

    with state.write_cursor():
        order.append("first")
        other = threading.Thread(target=second)
        other.start()
        other.join(0.3)
        assert other.is_alive() and order == ["first"]  # the second writer waits
    other.join(WAIT_S)
    assert order == ["first", "second"]


def test_a_run_keeps_the_version_it_pinned_until_its_own_write(
    plain_store: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state.st, "session_state", {})  # one session's state, outside a script run
    pinned = state.pin_data_version()
    other_session = plain_store.cursor()
    store.bump_data_version(other_session)  # another session's upload commits mid-run
    assert state.data_version() == pinned  # this run's cache keys stay on what it started with
    assert state.stored_data_version() == pinned + 1  # what the poll sees: "data updated"
    with state.write_cursor() as cur:
        store.bump_data_version(cur)
    assert state.data_version() == pinned + 2  # its own write: the rest of the run reads it
    assert state.pin_data_version() == pinned + 2


@pytest.mark.parametrize(
    ("session", "link", "browser", "expected"),
    [
        ({}, {"lang": "en"}, "zh", "en"),  # a new session: the link's language first
        ({}, {}, "en", "en"),  # then the browser's
        ({}, {"lang": "fr"}, None, "zh"),  # then the deployment's default
        ({"lang": "en"}, {}, "zh", "en"),  # a session keeps its own, whatever the switch's state
        ({"lang": "en", "lang_switch": "zh"}, {"lang": "en"}, "en", "en"),  # a stale switch state changes nothing
    ],
)
def test_init_lang_keeps_the_sessions_language_and_picks_one_for_a_new_session(
    session: dict[str, str], link: dict[str, str], browser: str | None, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state.st, "session_state", dict(session))
    monkeypatch.setattr(state.st, "query_params", dict(link))
    monkeypatch.setattr(state, "browser_lang", lambda: browser)
    monkeypatch.delenv(state.LANG_ENV_VAR, raising=False)
    state.init_lang()
    assert state.lang() == expected


@pytest.mark.parametrize(("picked", "expected"), [("en", "en"), ("zh", "zh"), (None, "en")])
def test_only_a_pick_on_the_switch_changes_the_language(
    picked: str | None, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state.st, "session_state", {"lang": "en", "lang_switch": picked})
    state.take_switched_lang()
    assert state.lang() == expected
