"""Engine parity: every analytics call of the pages and ``summary --json`` gives the same result on DuckDB,
chdb (in-process ClickHouse) and Spark local — integers and strings equal, floats to 1e-9 relative, same
dtypes and row order. chdb runs in the normal test run; Spark (``-m spark``, ~25 s to start) in its own lane,
together with the app pointed at a Spark session.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import duckdb
import parity
import pytest
from pagetest import new_app, no_errors
from streamlit.testing.v1 import AppTest

from analytics import engine, store, summary
from analytics.filters import Filters
from ui import state

#: Calls that read the upload log: they stay on the local store in warehouse mode.
LOCAL_CALLS = {"summary.freshness", "summary.uploads"}
#: The transpiled SQL must not carry a positional or placeholder parameter of either dialect.
UNBOUND = re.compile(r"\$\d|\{\s*\?|(?<!')\?(?!')")
APP_TIMEOUT = 600


@pytest.fixture(scope="module")
def local(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    # a copy: an AppTest that opened demo_db earlier in this process locked its configuration
    # (external access off), and DuckDB shares one instance per file within a process
    copy = tmp_path_factory.mktemp("engine") / "karadar.duckdb"
    shutil.copyfile(demo_db, copy)
    con = store.connect(copy)
    yield con
    con.close()


@pytest.fixture(scope="module")
def expected(local: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """Every call under every filter set, on DuckDB."""
    return {name: parity.results(local, filters) for name, filters in parity.FILTERS.items()}


class Recorder:
    """Keeps every SQL text a warehouse sent to its engine."""

    def __init__(self, warehouse: engine.Warehouse) -> None:
        self.sent: list[str] = []
        original = warehouse.transpile

        def transpile(sql: str, params: Any = None) -> str:
            text = original(sql, params)
            self.sent.append(text)
            return text

        warehouse.transpile = transpile  # type: ignore[method-assign]


def check_call(
    warehouse: engine.Warehouse,
    local: duckdb.DuckDBPyConnection,
    expected: dict[str, dict[str, Any]],
    filters: str,
    call: str,
) -> None:
    before = warehouse.engine_queries
    con = cast(duckdb.DuckDBPyConnection, warehouse.connect(local))  # the analytics take it as one
    got = parity.CALLS[call](con, parity.FILTERS[filters])
    assert parity.differences(expected[filters][call], got) == []
    if call in LOCAL_CALLS:
        assert warehouse.engine_queries == before
    elif filters == "all":  # with a date range set, period_bounds needs no query at all
        assert warehouse.engine_queries > before, "nothing ran on the engine"


def check_sent(recorder: Recorder) -> None:
    assert recorder.sent
    for sql in recorder.sent:
        without_strings = re.sub(r"'(?:[^'\\]|\\.|'')*'", "''", sql)
        assert not UNBOUND.search(without_strings), sql


# --------------------------------------------------------------------------------------------
# chdb: the normal test run
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chdb(local: duckdb.DuckDBPyConnection) -> Iterator[tuple[engine.Warehouse, Recorder]]:
    warehouse = engine.open_warehouse(engine.EngineSettings(engine="chdb"))
    warehouse.publish(local)
    recorder = Recorder(warehouse)
    yield warehouse, recorder
    warehouse.close()


@pytest.mark.parametrize("filters", list(parity.FILTERS))
@pytest.mark.parametrize("call", list(parity.CALLS))
def test_chdb_matches_duckdb(chdb, local, expected, filters, call):
    check_call(chdb[0], local, expected, filters, call)


def test_chdb_sql_has_no_unbound_parameters(chdb, local, expected):
    for call in ("summary.kpis", "churn.early_warning", "satisfaction.escalation_list"):
        parity.CALLS[call](chdb[0].connect(local), parity.FILTERS["slice"])
    check_sent(chdb[1])


def test_the_comparison_sees_small_differences(expected):
    table = expected["all"]["sections.customer_table"]
    nudged = table.copy()
    nudged.loc[3, "revenue"] *= 1 + 1e-8
    found = parity.differences(table, nudged)
    assert len(found) == 1 and found[0].startswith(".revenue[3]: ")
    assert parity.differences(table, table.iloc[::-1].reset_index(drop=True))  # row order matters
    assert parity.differences(table, table.astype({"orders": "float64"}))  # dtypes matter
    assert parity.differences(expected["all"]["summary.kpis"], expected["slice"]["summary.kpis"])
    assert parity.differences(table, table.copy()) == []


# --------------------------------------------------------------------------------------------
# Spark local: the slower lane (-m spark)
# --------------------------------------------------------------------------------------------

SPARK_SETTINGS = engine.EngineSettings(engine="spark")
#: Spark costs seconds per query here: CI runs the slice (bound dates, regions, categories) and the
#: hostile filter; ``KARADAR_SPARK_FULL=1`` runs every filter set, as chdb always does.
SPARK_FILTERS = list(parity.FILTERS) if os.environ.get("KARADAR_SPARK_FULL") else ["slice", "nothing"]


@pytest.fixture(scope="module")
def spark(local: duckdb.DuckDBPyConnection) -> Iterator[tuple[engine.Warehouse, Recorder]]:
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java 17 (java is not on PATH)")
    warehouse = engine.warehouse(SPARK_SETTINGS)  # the process-wide one: the AppTests below use it too
    assert warehouse is not None
    warehouse.sync(local)
    yield warehouse, Recorder(warehouse)
    engine.close_all()


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("filters", SPARK_FILTERS)
@pytest.mark.parametrize("call", list(parity.CALLS))
def test_spark_matches_duckdb(spark, local, expected, filters, call):
    check_call(spark[0], local, expected, filters, call)


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("text", ["'; drop table transactions; --", "it's \\' \\\\ 中\n"])
def test_spark_binds_hostile_strings_as_literals(spark, local, text):
    con = spark[0].connect(local)
    assert con.execute("select ? as s, count(*) as n from customers", [text]).fetchall() == [(text, 2400)]
    assert summary.kpis(con, Filters(regions=(text,))).transactions == 0
    assert summary.kpis(con, Filters()) == summary.kpis(local, Filters())  # the ledger is still there
    check_sent(spark[1])


def shown(at: AppTest) -> dict[str, Any]:
    """What a user reads first: the metrics (label → value) and the chart titles."""
    return {
        "metrics": [(m.label, m.value) for m in at.metric],
        "charts": [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")],
    }


def page_on(engine_name: str, db: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> AppTest:
    if engine_name == "duckdb":
        monkeypatch.delenv(engine.ENGINE_ENV_VAR, raising=False)
    else:
        monkeypatch.setenv(engine.ENGINE_ENV_VAR, engine_name)
    state.clear_query_cache()  # the cache key has no engine: a process serves one engine
    at = new_app(db, monkeypatch, "en").run(timeout=APP_TIMEOUT)
    at = at.switch_page(f"pages/{page}.py").run(timeout=APP_TIMEOUT)
    no_errors(at)
    return at


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("page", ["key_accounts", "churn"])
def test_the_app_on_spark_shows_the_duckdb_numbers(spark, demo_db, tmp_path, monkeypatch, page):
    # each engine on its own copy: on DuckDB the app turns the store's external access off for
    # the rest of the process, and the Spark mirror writes Parquet files from that store
    stores = {name: tmp_path / f"{name}.duckdb" for name in ("duckdb", "spark")}
    for copy in stores.values():
        shutil.copyfile(demo_db, copy)
    on_duckdb = shown(page_on("duckdb", stores["duckdb"], monkeypatch, page))
    before = spark[0].engine_queries
    on_spark = shown(page_on("spark", stores["spark"], monkeypatch, page))
    state.clear_query_cache()
    assert spark[0].engine_queries > before, "the page did not read Spark"
    assert len(on_duckdb["metrics"]) >= 4
    assert on_spark == on_duckdb
