"""analytics.engine: parameter binding, rewrites, routing, settings and mirror publishing (chdb; Spark in its lane)."""

from __future__ import annotations

import datetime as dt
import decimal
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import sqlglot
from parity import differences

from analytics import engine, store, summary
from analytics.filters import Filters

HOSTILE = [
    "'; drop table x; --",
    "it's",
    "back\\slash \\' and \\\\",
    'double "quotes"',
    "new\nline\ttab",
    "中文客户（上海）有限公司",
    "{?:String} $1 ?",
    "",
]


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
def chdb(local: duckdb.DuckDBPyConnection) -> Iterator[engine.Warehouse]:
    warehouse = engine.open_warehouse(engine.EngineSettings(engine="chdb"))
    warehouse.publish(local)
    warehouse.backend.run_arrow("CREATE TABLE x (n Int32) ENGINE = Memory")
    warehouse.backend.run_arrow("INSERT INTO x VALUES (1)")
    yield warehouse
    warehouse.close()


# --------------------------------------------------------------------------------------------
# Binding
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "spark", "clickhouse"),
    [
        (None, "NULL", "NULL"),
        (True, "TRUE", "TRUE"),
        (3, "3", "3"),
        (-5, "-5", "-5"),
        (0.1, "CAST(0.1 AS DOUBLE)", "CAST(0.1 AS Nullable(Float64))"),
        (
            decimal.Decimal("12.3400"),
            "CAST('12.3400' AS DECIMAL(38, 4))",
            "CAST('12.3400' AS Nullable(Decimal(38, 4)))",
        ),
        ("it's", "'it\\'s'", "'it''s'"),
        (dt.date(2024, 2, 29), "CAST('2024-02-29' AS DATE)", "CAST('2024-02-29' AS Nullable(DATE))"),
        (
            dt.datetime(2024, 2, 29, 13, 5, 7),
            "CAST('2024-02-29 13:05:07' AS TIMESTAMP)",
            "CAST('2024-02-29 13:05:07' AS Nullable(DateTime))",
        ),
    ],
)
def test_literals_are_typed_per_dialect(value, spark, clickhouse):
    assert engine.literal(value).sql("spark") == spark
    assert engine.literal(value).sql("clickhouse") == clickhouse


@pytest.mark.parametrize("value", [float("nan"), float("inf"), decimal.Decimal("NaN"), object(), [1, 2], b"bytes"])
def test_unbindable_values_are_refused(value):
    with pytest.raises(engine.UnsupportedQuery):
        engine.literal(value)


def test_only_placeholder_tokens_are_numbered():
    sql = "select '?' as a, ? as b -- a ? in a comment\n, ? as c /* ? */ from t where d = '??'"
    assert (
        engine._numbered(sql) == "select '?' as a, $1 as b -- a ? in a comment\n, $2 as c /* ? */ from t where d = '??'"
    )


@pytest.mark.parametrize("params", [[], [1], [1, 2, 3]])
def test_parameter_count_must_match(params):
    with pytest.raises(engine.UnsupportedQuery):
        engine.bind("select ? as a, ? as b", params)


@pytest.mark.parametrize("dialect", ["chdb", "spark"])
def test_transpiled_sql_has_literals_not_positional_parameters(dialect):
    sql = engine.transpile(
        "select count(*) as n from v_ledger where region in (?, ?) and order_date >= ? and amount > ?",
        ["'; drop table x; --", "$1", dt.date(2024, 1, 1), 0.5],
        dialect,
    )
    assert not re.search(r"\$\d", sql.replace("'$1'", "")), sql
    assert "?" not in sql
    # the hostile value is one string literal: re-parsing the output finds it whole and finds no second statement
    statements = sqlglot.parse(sql, read=engine.DIALECTS[dialect])
    assert len(statements) == 1 and statements[0] is not None
    strings = [lit.this for lit in statements[0].find_all(sqlglot.exp.Literal) if lit.is_string]
    assert "'; drop table x; --" in strings and "$1" in strings


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_round_trip_on_chdb(chdb, local, text):
    con = chdb.connect(local)
    assert con.execute("select ? as s, count(*) as n from customers", [text]).fetchall() == [(text, 2400)]
    found = summary.kpis(con, Filters(regions=(text,)))
    assert found.transactions == 0
    assert chdb.backend.run_arrow("SELECT count() AS n FROM x").to_pylist() == [{"n": 1}]  # table x is still there


# --------------------------------------------------------------------------------------------
# Rewrites: each one fixes a difference that is really there without it
# --------------------------------------------------------------------------------------------

LAG_SQL = """
with final as (
    select customer_id as customer_id,
           lag(customer_id) over (order by customer_id, customer_key) as previous_id
    from customers
)
select customer_id as customer_id, previous_id as previous_id from final order by customer_id limit 2
"""


def test_lag_gives_null_on_chdb_like_duckdb(chdb, local):
    assert local.execute(LAG_SQL).fetchall() == [(1, None), (2, 1)]
    assert chdb.connect(local).execute(LAG_SQL).fetchall() == [(1, None), (2, 1)]
    plain = sqlglot.transpile(LAG_SQL, read="duckdb", write="clickhouse")[0]
    assert [row["previous_id"] for row in chdb.backend.run_arrow(plain).to_pylist()] == [0, 1]  # without the rewrite


MEDIAN_SQL = """
with gaps as (
    select customer_id as customer_id, cast(customer_id % 7 as bigint) as gap from customers
),
final as (
    select cast(median(gap) as double) as median_gap from gaps
)
select median_gap as median_gap from final
"""


def test_median_is_exact_on_chdb(chdb, local):
    assert "quantileExactInclusive(0.5)" in chdb.transpile(MEDIAN_SQL)
    assert chdb.connect(local).execute(MEDIAN_SQL).fetchall() == local.execute(MEDIAN_SQL).fetchall()


def test_column_beats_a_same_named_alias_on_chdb(chdb, local):
    sql = """
    with per_customer as (
        select customer_id as customer_id, cast(customer_id as double) as revenue from customers
    ),
    final as (
        select cast(sum(case when customer_id <= 10 then revenue else 0 end) as double) as revenue,
               cast(sum(revenue) as double) as total
        from per_customer
    )
    select revenue as revenue, total as total from final
    """
    assert chdb.connect(local).execute(sql).fetchall() == local.execute(sql).fetchall() == [(55.0, 2881200.0)]


# --------------------------------------------------------------------------------------------
# Routing, result types
# --------------------------------------------------------------------------------------------


def test_relations_leave_out_cte_names():
    sql = "with final as (select * from v_ledger as l join customers as c using (customer_id)) select * from final"
    assert engine.relations(sql) == {"v_ledger", "customers"}


def test_the_upload_log_stays_local_and_the_ledger_goes_to_the_engine(chdb, local):
    con = chdb.connect(local)
    before = chdb.engine_queries
    assert differences(summary.uploads(local), summary.uploads(con)) == []
    assert differences(summary.freshness(local), summary.freshness(con)) == []  # reads uploads + transactions
    assert chdb.engine_queries == before
    summary.kpis(con, Filters())
    assert chdb.engine_queries == before + 1


@pytest.mark.parametrize(
    "sql", ["delete from transactions", "insert into customers select * from customers", "drop view v_ledger"]
)
def test_writes_are_refused(chdb, local, sql):
    with pytest.raises(engine.UnsupportedQuery, match="queries only"):
        chdb.connect(local).execute(sql)
    assert local.execute("select count(*) from customers").fetchall() == [(2400,)]
    assert chdb.backend.run_arrow("SELECT count() AS n FROM customers").to_pylist() == [{"n": 2400}]


def test_results_have_duckdb_types(chdb, local):
    sql = """
    with final as (
        select count(*) as lines, sum(amount) as revenue, max(order_date) as last_date,
               min(region) as region, avg(quantity) as quantity
        from v_ledger
    )
    select lines as lines, revenue as revenue, last_date as last_date, region as region, quantity as quantity
    from final
    """
    expected, got = local.execute(sql).fetchall(), chdb.connect(local).execute(sql).fetchall()
    assert [type(v) for v in got[0]] == [int, decimal.Decimal, dt.date, str, float]
    assert got == expected
    assert chdb.connect(local).sql(sql).to_arrow_table().schema == local.sql(sql).to_arrow_table().schema


# --------------------------------------------------------------------------------------------
# Settings and mirror publishing
# --------------------------------------------------------------------------------------------


def test_settings_from_environment():
    assert engine.EngineSettings.from_env({}) == engine.EngineSettings()
    assert engine.EngineSettings.from_env(
        {"KARADAR_ENGINE": " Spark ", "KARADAR_SPARK_REMOTE": "sc://spark.example:15002"}
    ) == engine.EngineSettings(engine="spark", spark_remote="sc://spark.example:15002")
    for bad in ({"KARADAR_ENGINE": "oracle"}, {"KARADAR_WAREHOUSE_SOURCE": "both"}):
        with pytest.raises(ValueError, match="must be one of"):
            engine.EngineSettings.from_env(bad)


def test_duckdb_engine_hands_back_the_store_itself(local):
    assert engine.analytics_connection(local, engine.EngineSettings()) is local


def test_mirror_publishes_again_after_a_write(demo_db, tmp_path):
    path = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, path)
    local = store.connect(path)
    settings = engine.EngineSettings(engine="chdb")
    try:
        before = summary.kpis(engine.analytics_connection(local, settings), Filters())
        assert before == summary.kpis(local, Filters())
        local.execute("delete from transactions where customer_id = 1")
        store.bump_data_version(local)
        after = summary.kpis(engine.analytics_connection(local, settings), Filters())
        assert after == summary.kpis(local, Filters())
        assert after.transactions < before.transactions
    finally:
        engine.close_all()
        local.close()
