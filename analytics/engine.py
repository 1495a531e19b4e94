"""Warehouse mode: the same analytics SQL, written once in DuckDB's dialect, run on ClickHouse or Spark.

KA Radar's analytics take a DuckDB connection. :func:`analytics_connection` returns either that
connection (the default engine, ``duckdb``) or a :class:`WarehouseConnection` that looks like the
part of a DuckDB connection the analytics use — ``cursor()``, ``execute(sql, params)``,
``sql(sql, params=...)``, ``close()`` — so every analytics function runs unchanged on it.

How a query runs on a warehouse (:meth:`Warehouse.run`):

1. **Route.** A query that reads only :data:`WAREHOUSE_RELATIONS` runs on the engine; anything
   that reads another table (the upload log, the data version) runs on the local DuckDB store,
   which stays the system of record for uploads, undo and the upload log.
2. **Bind.** The ``?`` placeholders are found with sqlglot's DuckDB tokenizer (never inside a
   string or a comment), numbered, parsed, and each one is replaced by a typed literal built as a
   sqlglot expression (:func:`literal`): strings are escaped by the target dialect's generator,
   dates are ``CAST('…' AS DATE)``, floats ``CAST(… AS DOUBLE)`` (a bare ``0.5`` is DECIMAL on
   Spark). No user value is ever concatenated into SQL text and no positional ``$n`` reaches
   the engine.
3. **Transpile** with ``sqlglot`` (read ``duckdb``, write ``clickhouse`` / ``spark``), after the
   documented rewrites of :data:`REWRITES` for what sqlglot's output gets wrong on an engine.
4. **Align.** The engine's Arrow result is cast, column by column, to the names and types DuckDB
   gives the same SQL on an empty copy of the schema (:data:`analytics.store.MIGRATIONS`), and
   handed back as a DuckDB cursor/relation over that Arrow table: ``.df()``, ``.fetchall()``,
   ``.fetchone()``, ``.to_arrow_table()`` behave exactly as on the store (same dtypes, Decimal
   where DuckDB returns DECIMAL, dates as ``datetime.date``).

Settings (environment):

* ``KARADAR_ENGINE`` — ``duckdb`` (default, embedded), ``chdb`` (ClickHouse in-process) or
  ``spark``.
* ``KARADAR_SPARK_REMOTE`` — ``local[N]`` (default ``local[2]``: a Spark session in this process)
  or a Spark Connect URL ``sc://host:15002``.
* ``KARADAR_CHDB_PATH`` — the chdb data directory (default: a temporary directory).
* ``KARADAR_WAREHOUSE_SOURCE`` — ``mirror`` (default: publish the local store's canonical
  relations to the engine as Parquet, again whenever its data version changes) or
  ``warehouse`` (the engine already holds the relations of :data:`WAREHOUSE_RELATIONS` with the
  canonical columns — tables or mapping views over the data team's own ledger).
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import logging
import math
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, cast

import duckdb
import numpy as np
import pyarrow as pa
import sqlglot
from sqlglot import exp
from sqlglot.dialects.duckdb import DuckDB
from sqlglot.tokens import TokenType

from analytics import store

log = logging.getLogger("karadar.engine")

ENGINE_ENV_VAR = "KARADAR_ENGINE"
SPARK_REMOTE_ENV_VAR = "KARADAR_SPARK_REMOTE"
CHDB_PATH_ENV_VAR = "KARADAR_CHDB_PATH"
SOURCE_ENV_VAR = "KARADAR_WAREHOUSE_SOURCE"
ENGINES: tuple[str, ...] = ("duckdb", "chdb", "spark")
SOURCES: tuple[str, ...] = ("mirror", "warehouse")
DEFAULT_SPARK_REMOTE = "local[2]"

#: Relations the analytics read, with the canonical columns of :mod:`analytics.store`; they must
#: exist on the engine (published by :meth:`Warehouse.publish`, or defined by the data team).
WAREHOUSE_RELATIONS: tuple[str, ...] = (
    "customers",
    "customer_master",
    "transactions",
    "surveys",
    "survey_scores",
    "survey_scales",
    "complaints",
    "v_customers",
    "v_ledger",
)

#: Engine names → sqlglot dialects.
DIALECTS: dict[str, str] = {"chdb": "clickhouse", "spark": "spark"}

#: ClickHouse settings for DuckDB's semantics: a LEFT JOIN miss gives NULL (not 0 / ''), an
#: aggregate over no rows gives NULL (not 0), a column wins over a SELECT alias of the same name
#: (``sum(x) as x`` next to ``sum(case … x …) as y`` would otherwise nest the aggregates),
#: ``count(distinct)`` is exact.
CLICKHOUSE_SETTINGS: dict[str, str] = {
    "join_use_nulls": "1",
    "prefer_column_name_to_alias": "1",
    "aggregate_functions_null_for_empty": "1",
    "count_distinct_implementation": "'uniqExact'",
}

#: Spark session settings, also set on a Spark Connect session: dates and timestamps read back unshifted.
SPARK_SESSION_CONF: dict[str, str] = {"spark.sql.session.timeZone": "UTC"}
#: A local Spark session (``local[N]``) also: few shuffle partitions for one machine, no UI, loopback only.
SPARK_LOCAL_CONF: dict[str, str] = {
    "spark.sql.shuffle.partitions": "4",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}


class UnsupportedQuery(ValueError):
    """A query that warehouse mode cannot run (a parameter of an unknown type, a mixed source)."""


# --------------------------------------------------------------------------------------------
# Parameters: typed literals built as sqlglot expressions
# --------------------------------------------------------------------------------------------


def literal(value: object) -> exp.Expr:
    """A typed SQL literal for one bound parameter, as a sqlglot expression.

    None → NULL; bool → TRUE/FALSE; int → number; float → ``CAST(<repr> AS DOUBLE)`` (NaN and
    infinities refused); Decimal → ``CAST('<digits>' AS DECIMAL(38, scale))``; str → a string
    literal (quoted and escaped by the target dialect's generator); datetime →
    ``CAST('<iso>' AS TIMESTAMP)``; date → ``CAST('<iso>' AS DATE)``. Anything else raises
    :class:`UnsupportedQuery`.
    """
    if value is None:
        return exp.null()
    if isinstance(value, bool | np.bool_):
        return exp.Boolean(this=bool(value))
    if isinstance(value, int | np.integer):
        return exp.Literal.number(int(value))
    if isinstance(value, float | np.floating):
        number = float(value)
        if not math.isfinite(number):
            raise UnsupportedQuery(f"cannot bind the non-finite number {number!r}")
        return exp.cast(exp.Literal.number(repr(number)), exp.DataType.build("double"))
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise UnsupportedQuery(f"cannot bind the non-finite number {value!r}")
        exponent = value.as_tuple().exponent
        scale = max(0, -exponent) if isinstance(exponent, int) else 0
        return exp.cast(exp.Literal.string(format(value, "f")), exp.DataType.build(f"decimal(38, {min(scale, 38)})"))
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), exp.DataType.build("timestamp"))
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.build("date"))
    raise UnsupportedQuery(f"cannot bind a parameter of type {type(value).__name__}")


def _numbered(sql: str) -> str:
    """``sql`` with its ``?`` placeholders numbered ``$1``, ``$2``, … (tokens only: not in strings or comments)."""
    positions = [token.start for token in DuckDB().tokenize(sql) if token.token_type == TokenType.PLACEHOLDER]
    pieces: list[str] = []
    last = 0
    for number, position in enumerate(positions, start=1):
        if sql[position] != "?":
            raise UnsupportedQuery("only ? placeholders are supported")
        pieces += [sql[last:position], f"${number}"]
        last = position + 1
    return "".join([*pieces, sql[last:]])


@functools.lru_cache(maxsize=1024)
def _parsed(sql: str) -> exp.Expr:
    """The sqlglot tree of DuckDB ``sql`` with numbered placeholders (cached: the analytics repeat their SQL)."""
    return sqlglot.parse_one(_numbered(sql), read="duckdb")


def bind(sql: str, params: Sequence[object] | None = None) -> exp.Expr:
    """Parse DuckDB ``sql`` and replace its ``?`` placeholders by :func:`literal` of ``params``, in order.

    Only queries are accepted (a write raises :class:`UnsupportedQuery`): the warehouse is read-only.
    """
    values = list(params or [])
    tree = _parsed(sql)
    if not isinstance(tree, exp.Query):
        raise UnsupportedQuery(f"warehouse mode runs queries only, not {type(tree).__name__.upper()}")
    used: set[int] = set()

    def substitute(node: exp.Expr) -> exp.Expr:
        if not isinstance(node, exp.Placeholder):
            return node
        index = int(node.name) - 1
        if not 0 <= index < len(values):
            raise UnsupportedQuery(f"the query has more placeholders than the {len(values)} parameters given")
        used.add(index)
        return literal(values[index])

    bound = tree.transform(substitute)  # a copy: the cached tree stays as parsed
    if len(used) != len(values):
        raise UnsupportedQuery(f"{len(values)} parameters given for {len(used)} placeholders")
    return bound


# --------------------------------------------------------------------------------------------
# Rewrites where sqlglot's output is wrong for an engine
# --------------------------------------------------------------------------------------------


def _clickhouse_nullable_offsets(node: exp.Expr) -> exp.Expr:
    """``lag(x)`` / ``lead(x)`` → ``lag(toNullable(x))`` on ClickHouse.

    ClickHouse fills a missing row with the type's default (0, 1970-01-01) unless the argument is
    Nullable; DuckDB and Spark give NULL.
    """
    if isinstance(node, exp.Lag | exp.Lead) and not (
        isinstance(node.this, exp.Anonymous) and node.this.name.lower() == "tonullable"
    ):
        node = node.copy()
        node.set("this", exp.Anonymous(this="toNullable", expressions=[node.this]))
    return node


def _clickhouse_exact_median(node: exp.Expr) -> exp.Expr:
    """``median(x)`` → ``quantileExactInclusive(0.5)(x)`` on ClickHouse.

    ClickHouse's ``median`` is an estimate from a reservoir sample; this one is exact and
    interpolates like DuckDB's (mean of the two middle values).
    """
    if isinstance(node, exp.Median):
        return exp.ParameterizedAgg(
            this="quantileExactInclusive", expressions=[exp.Literal.number("0.5")], params=[node.this]
        )
    return node


#: Per engine, the sqlglot transforms applied to the bound DuckDB tree before generating SQL.
REWRITES: dict[str, tuple[Callable[[exp.Expr], exp.Expr], ...]] = {
    "chdb": (_clickhouse_nullable_offsets, _clickhouse_exact_median),
    "spark": (),
}


def transpile(sql: str, params: Sequence[object] | None, engine: str) -> str:
    """DuckDB ``sql`` with ``params`` bound, rewritten (:data:`REWRITES`) and written in ``engine``'s dialect."""
    tree = bind(sql, params)
    for rewrite in REWRITES[engine]:
        tree = tree.transform(rewrite)
    if tree.find(exp.Placeholder, exp.Parameter) is not None:
        raise UnsupportedQuery("a placeholder was left unbound")
    return tree.sql(dialect=DIALECTS[engine])


def relations(sql: str) -> set[str]:
    """Names (lower case) of the tables and views ``sql`` reads, CTE names excluded."""
    tree = _parsed(sql)
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    return {table.name.lower() for table in tree.find_all(exp.Table) if table.name.lower() not in ctes}


# --------------------------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------------------------


class Backend(Protocol):
    """One SQL engine: runs SQL in its own dialect, publishes Parquet files as tables."""

    name: str

    def run_arrow(self, sql: str) -> pa.Table:
        """Run ``sql`` (the engine's dialect) and return the result as Arrow."""

    def publish(self, name: str, parquet: Path) -> None:
        """Make the Parquet file ``parquet`` queryable as ``name`` (replacing an older one)."""

    def close(self) -> None:
        """Release the engine."""


_chdb_dir: str | None = None
_chdb_dir_lock = threading.Lock()


def _default_chdb_dir() -> str:
    """The process's chdb data directory when ``KARADAR_CHDB_PATH`` is not set (one temporary directory).

    chdb runs one embedded server per process, bound to the first data directory it opened.
    """
    global _chdb_dir
    with _chdb_dir_lock:
        if _chdb_dir is None:
            _chdb_dir = tempfile.mkdtemp(prefix="karadar-chdb-")
        return _chdb_dir


class ChdbBackend:
    """ClickHouse in-process (chdb): a session on a database of its own; published relations are MergeTree tables.

    Sessions of one process share chdb's embedded server (one data directory per process, see
    :func:`_default_chdb_dir`); each backend keeps its tables apart in its own database.
    """

    name = "chdb"

    def __init__(self, path: str | None = None) -> None:
        from chdb import session

        self._session = session.Session(path or _default_chdb_dir())
        self._lock = threading.Lock()  # one query at a time on the session
        self._database = f"karadar_{uuid.uuid4().hex[:12]}"
        self._session.query(f"CREATE DATABASE {self._database}")
        self._session.query(f"USE {self._database}")
        for key, value in CLICKHOUSE_SETTINGS.items():
            self._session.query(f"SET {key} = {value}")

    def run_arrow(self, sql: str) -> pa.Table:
        """Run ``sql`` on the session; chdb returns an Arrow table."""
        with self._lock:
            return cast(pa.Table, self._session.query(sql, "ArrowTable"))

    def publish(self, name: str, parquet: Path) -> None:
        """Load ``parquet`` into the MergeTree table ``name`` (nullable columns as in the store)."""
        quoted = exp.to_identifier(name, quoted=True).sql("clickhouse")
        source = exp.Literal.string(str(parquet)).sql("clickhouse")
        with self._lock:
            self._session.query(f"DROP TABLE IF EXISTS {quoted}")
            self._session.query(
                f"CREATE TABLE {quoted} ENGINE = MergeTree ORDER BY tuple() AS SELECT * FROM file({source}, Parquet)"
            )

    def close(self) -> None:
        """Drop this backend's database and close the session."""
        with self._lock:
            self._session.query(f"DROP DATABASE IF EXISTS {self._database}")
            self._session.close()


class SparkBackend:
    """Spark: a local session (``local[N]``) or Spark Connect (``sc://…``); relations are cached temp views."""

    name = "spark"

    def __init__(self, remote: str = DEFAULT_SPARK_REMOTE) -> None:
        from pyspark.sql import SparkSession

        if remote.startswith("sc://"):  # Spark Connect: the server owns everything but the session settings
            self._spark = SparkSession.builder.remote(remote).getOrCreate()
            for key, value in SPARK_SESSION_CONF.items():
                self._spark.conf.set(key, value)
        else:
            builder = SparkSession.builder.appName("ka-radar").master(remote)
            for key, value in (SPARK_SESSION_CONF | SPARK_LOCAL_CONF).items():
                builder = builder.config(key, value)
            self._spark = builder.getOrCreate()
            self._spark.sparkContext.setLogLevel("ERROR")
        self._views: set[str] = set()

    def run_arrow(self, sql: str) -> pa.Table:
        """Run ``sql`` and collect the result as Arrow (``DataFrame.toArrow``)."""
        return self._spark.sql(sql).toArrow()

    def publish(self, name: str, parquet: Path) -> None:
        """Register ``parquet`` as the temp view ``name`` and cache it in memory."""
        frame = self._spark.read.parquet(str(parquet))
        if name in self._views:
            self._spark.catalog.uncacheTable(name)
        frame.createOrReplaceTempView(name)
        self._spark.catalog.cacheTable(name)
        self._views.add(name)

    def close(self) -> None:
        """Stop the session."""
        self._spark.stop()


# --------------------------------------------------------------------------------------------
# The warehouse and its connection
# --------------------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _identity(local: duckdb.DuckDBPyConnection) -> tuple[str, int] | None:
    """(database file, data version) of the store; None for an in-memory store."""
    row = store.fetch_one(local, "select path from duckdb_databases() where database_name = current_database()")
    path = row[0] if row else None
    return (str(path), store.data_version(local)) if path else None


class Warehouse:
    """A :class:`Backend` plus the DuckDB machinery that makes its results look like the store's."""

    def __init__(self, backend: Backend, source: str = "mirror") -> None:
        if source not in SOURCES:
            raise ValueError(f"{SOURCE_ENV_VAR} must be one of {SOURCES}, got {source!r}")
        self.backend = backend
        self.source = source
        self._reference = store.connect(":memory:")  # empty canonical schema: the result types
        self._scratch = duckdb.connect()  # holds engine results as DuckDB results
        self._publish_lock = threading.Lock()
        self._published: tuple[str, int] | None = None  # (database file, data version) last published
        self.engine_queries = 0  # queries run on the engine (diagnostics, tests)
        self._files = Path(tempfile.mkdtemp(prefix="karadar-warehouse-"))

    @property
    def engine(self) -> str:
        """Engine name (``chdb`` or ``spark``)."""
        return self.backend.name

    def transpile(self, sql: str, params: Sequence[object] | None = None) -> str:
        """``sql`` (DuckDB, ``?`` parameters) as it runs on this engine (see :func:`transpile`)."""
        return transpile(sql, params, self.engine)

    def publish(self, local: duckdb.DuckDBPyConnection) -> None:
        """Copy the store's :data:`WAREHOUSE_RELATIONS` to the engine (Parquet files, one per relation).

        Views are published as their current rows (a snapshot), so the engine reads exactly the
        rows DuckDB's views give. Records the database file and data version for :meth:`sync`.
        """
        with self._publish_lock:
            self._publish(local, _identity(local))

    def _publish(self, local: duckdb.DuckDBPyConnection, identity: tuple[str, int] | None) -> None:
        for name in WAREHOUSE_RELATIONS:
            target = self._files / f"{name}-{uuid.uuid4().hex}.parquet"
            location = exp.Literal.string(str(target)).sql("duckdb")
            local.execute(f"copy (select * from {_quote(name)}) to {location} (format parquet)")
            self.backend.publish(name, target)
            for old in self._files.glob(f"{name}-*.parquet"):
                if old != target:  # the relation now reads the new file
                    old.unlink(missing_ok=True)
        self._published = identity
        log.info("published %s to %s", identity or "an in-memory store", self.engine)

    def sync(self, local: duckdb.DuckDBPyConnection) -> None:
        """In mirror mode, publish the store unless this database file at this data version is published.

        An in-memory store has no file to recognise it by: it is published on every call.
        """
        if self.source != "mirror":
            return
        identity = _identity(local)
        if identity is not None and identity == self._published:
            return
        with self._publish_lock:
            if identity is None or identity != self._published:
                self._publish(local, identity)

    def connect(self, local: duckdb.DuckDBPyConnection) -> WarehouseConnection:
        """A connection-like object over this warehouse, with ``local`` for what stays in DuckDB."""
        return WarehouseConnection(self, local)

    def runs_on_engine(self, sql: str) -> bool:
        """True when every relation ``sql`` reads is a warehouse relation (else it runs locally)."""
        names = relations(sql)
        return bool(names) and names <= set(WAREHOUSE_RELATIONS)

    def _aligned(self, sql: str, params: Sequence[object] | None) -> tuple[duckdb.DuckDBPyConnection, str]:
        """Run ``sql`` on the engine; a scratch cursor holding the Arrow result and the query that aligns it.

        The aligning query casts each column to the type DuckDB gives the same SQL on the empty
        reference schema and names it as DuckDB does (matched by position).
        """
        engine_sql = self.transpile(sql, params)  # first: refuses writes before the reference schema sees them
        reference = self._reference.cursor()
        try:
            expected = reference.sql(sql, params=list(params or []))
            names, types = list(expected.columns), [str(t) for t in expected.types]
        finally:
            reference.close()
        table = self.backend.run_arrow(engine_sql)
        self.engine_queries += 1
        if table.num_columns != len(names):
            raise UnsupportedQuery(f"{self.engine} returned {table.num_columns} columns, DuckDB gives {len(names)}")
        cursor = self._scratch.cursor()
        cursor.register("engine_result", table.rename_columns([f"c{i}" for i in range(table.num_columns)]))
        projection = ", ".join(
            f"cast(c{i} as {kind}) as {_quote(name)}" for i, (name, kind) in enumerate(zip(names, types, strict=True))
        )
        return cursor, f"select {projection} from engine_result"

    def run(self, sql: str, params: Sequence[object] | None = None) -> duckdb.DuckDBPyConnection:
        """Run DuckDB ``sql`` on the engine; a DuckDB cursor holding the result with the store's names and types."""
        cursor, aligned = self._aligned(sql, params)
        return cursor.execute(aligned)

    def relation(self, sql: str, params: Sequence[object] | None = None) -> duckdb.DuckDBPyRelation:
        """Like :meth:`run`, as a DuckDB relation."""
        cursor, aligned = self._aligned(sql, params)
        return cursor.sql(aligned)

    def close(self) -> None:
        """Close the engine and the helper connections, remove the published files."""
        self.backend.close()
        self._reference.close()
        self._scratch.close()
        shutil.rmtree(self._files, ignore_errors=True)


class WarehouseConnection:
    """Stand-in for the DuckDB connection the analytics take: reads run on the warehouse.

    ``execute`` returns a DuckDB cursor holding the result (``.df()``, ``.fetchall()``,
    ``.fetchone()``, ``.to_arrow_table()`` as on the store), ``sql`` a DuckDB relation. Queries
    that read anything beyond :data:`WAREHOUSE_RELATIONS` (upload log, data version) run on the
    local store. Writes are not supported: use the store itself.
    """

    def __init__(self, warehouse: Warehouse, local: duckdb.DuckDBPyConnection) -> None:
        self.warehouse = warehouse
        self._local = local

    def cursor(self) -> WarehouseConnection:
        """A connection of its own (a new local cursor; the warehouse is shared)."""
        return WarehouseConnection(self.warehouse, self._local.cursor())

    def sql(self, query: str, *, params: Sequence[object] | None = None) -> duckdb.DuckDBPyRelation:
        """The result of ``query`` as a DuckDB relation."""
        if self.warehouse.runs_on_engine(query):
            return self.warehouse.relation(query, params)
        return self._local.sql(query, params=list(params or []))

    def execute(self, query: str, parameters: Sequence[object] | None = None) -> duckdb.DuckDBPyConnection:
        """Run ``query``; returns a DuckDB cursor holding its result."""
        if not self.warehouse.runs_on_engine(query):
            return self._local.execute(query, list(parameters or []))
        return self.warehouse.run(query, parameters)

    def close(self) -> None:
        """Close the local cursor."""
        self._local.close()


# --------------------------------------------------------------------------------------------
# Settings and the process-wide warehouse
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EngineSettings:
    """Which engine runs the analytics, and how to reach it (see the module docstring)."""

    engine: str = "duckdb"
    spark_remote: str = DEFAULT_SPARK_REMOTE
    chdb_path: str | None = None
    source: str = "mirror"

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"{ENGINE_ENV_VAR} must be one of {ENGINES}, got {self.engine!r}")
        if self.source not in SOURCES:
            raise ValueError(f"{SOURCE_ENV_VAR} must be one of {SOURCES}, got {self.source!r}")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> EngineSettings:
        """Settings from the environment (the ``KARADAR_*`` variables of the module docstring)."""
        env = os.environ if environ is None else environ
        return cls(
            engine=(env.get(ENGINE_ENV_VAR) or "duckdb").strip().lower(),
            spark_remote=(env.get(SPARK_REMOTE_ENV_VAR) or DEFAULT_SPARK_REMOTE).strip(),
            chdb_path=(env.get(CHDB_PATH_ENV_VAR) or "").strip() or None,
            source=(env.get(SOURCE_ENV_VAR) or "mirror").strip().lower(),
        )


def open_warehouse(settings: EngineSettings) -> Warehouse:
    """Start the engine of ``settings`` (not ``duckdb``) and wrap it in a :class:`Warehouse`."""
    backend: Backend
    if settings.engine == "chdb":
        backend = ChdbBackend(settings.chdb_path)
    elif settings.engine == "spark":
        backend = SparkBackend(settings.spark_remote)
    else:
        raise ValueError(f"no warehouse for engine {settings.engine!r}")
    return Warehouse(backend, settings.source)


_warehouses: dict[EngineSettings, Warehouse] = {}
_warehouses_lock = threading.Lock()


def warehouse(settings: EngineSettings | None = None) -> Warehouse | None:
    """The process-wide warehouse of ``settings`` (default: from the environment); None for ``duckdb``."""
    settings = settings or EngineSettings.from_env()
    if settings.engine == "duckdb":
        return None
    with _warehouses_lock:
        if settings not in _warehouses:
            _warehouses[settings] = open_warehouse(settings)
        return _warehouses[settings]


def analytics_connection(
    local: duckdb.DuckDBPyConnection, settings: EngineSettings | None = None
) -> duckdb.DuckDBPyConnection:
    """What to hand the analytics: ``local`` itself on DuckDB, else a :class:`WarehouseConnection`.

    In mirror mode the warehouse is first brought up to the store's data version. The result is
    typed as a DuckDB connection because it is used as one (the subset the analytics call).
    """
    found = warehouse(settings)
    if found is None:
        return local
    found.sync(local)
    return cast(duckdb.DuckDBPyConnection, found.connect(local))


def close_all() -> None:
    """Close every warehouse this process opened (tests; the process exit does it otherwise)."""
    with _warehouses_lock:
        for opened in _warehouses.values():
            opened.close()
        _warehouses.clear()
