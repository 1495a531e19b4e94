"""The one DuckDB store behind KA Radar: connection, schema migrations, data version.

Tables (all created by :data:`MIGRATIONS`, never by ad-hoc DDL elsewhere):

``customers``
    Identity only: a surrogate ``customer_id`` (integers group 1.4–1.7× faster than names),
    the normalised ``customer_key`` that uploads are matched on, and the name as first seen.
``customer_master``
    Attributes from customer-master uploads (region, industry, rep, …), one row per upload and
    customer; the newest stored upload wins. Kept apart from ``customers`` so an undo is a delete.
``transactions``
    The sales ledger, one row per stored line: amount and profit as DECIMAL(18,4) so totals
    are exact to the cent, ``line_key`` a hash of the line used to skip rows already stored.
``surveys`` / ``survey_scores``
    Satisfaction responses; dimension scores in long format so a free-form question is data,
    never a column name.
``complaints``
    Complaint log.
``uploads``
    The upload log: file, hash, sheet, rows read/stored/skipped with reasons, who, when, status.
``header_mappings``
    Confirmed column mappings remembered per header set, so next month's file maps itself.
``data_version``
    One number bumped by every write; UI caches are keyed on it so an upload refreshes everyone.

Views: ``v_customers`` (identity + newest master attributes) and ``v_ledger`` (transactions
with customer name and effective region/rep: master data wins over ledger values).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from analytics.errors import message

if TYPE_CHECKING:  # the frame type only: the store itself reads through DuckDB and Arrow
    import pandas as pd

DEFAULT_DB_PATH = Path(__file__).resolve().parent.parent / "data" / "karadar.duckdb"
DB_ENV_VAR = "KARADAR_DB"
# Parsing shares the process with DuckDB: keep the database well below the machine's RAM.
MEMORY_LIMIT = os.environ.get("KARADAR_DUCKDB_MEMORY", "6GB")
QUARANTINE_SUFFIX = ".quarantined-"
log = logging.getLogger("karadar.store")

MIGRATIONS: list[str] = [
    # 1: initial schema
    """
    create sequence if not exists customer_id_seq start 1;
    create table customers (
        customer_id integer primary key default nextval('customer_id_seq'),
        customer_key varchar not null unique,
        customer_name varchar not null
    );
    create table customer_master (
        upload_id integer not null,
        source_row integer not null,
        customer_id integer not null,
        customer_code varchar,
        display_name varchar,
        region varchar,
        city varchar,
        industry varchar,
        sales_rep varchar,
        first_contact date,
        credit_rating varchar,
        contact_person varchar
    );
    create table transactions (
        upload_id integer not null,
        source_row integer not null,
        customer_id integer not null,
        order_date date not null,
        amount decimal(18, 4) not null,
        profit decimal(18, 4),
        quantity double,
        unit_price decimal(18, 4),
        order_id varchar,
        product varchar,
        category varchar,
        region varchar,
        sales_rep varchar,
        channel varchar,
        line_key ubigint not null
    );
    create table surveys (
        upload_id integer not null,
        source_row integer not null,
        response_id bigint not null,
        customer_id integer not null,
        survey_date date not null,
        overall double,
        recommend double,
        comment varchar
    );
    create table survey_scores (
        upload_id integer not null,
        response_id bigint not null,
        dimension varchar not null,
        score double not null
    );
    create table survey_scales (
        upload_id integer primary key,
        scale_min double not null,
        scale_max double not null
    );
    create table complaints (
        upload_id integer not null,
        source_row integer not null,
        complaint_id varchar,
        customer_id integer not null,
        opened_date date not null,
        category varchar,
        severity varchar,
        status varchar,
        resolved_date date,
        description varchar
    );
    create table uploads (
        upload_id integer primary key,
        kind varchar not null,
        file_name varchar not null,
        file_hash varchar not null,
        sheet varchar,
        rows_read integer not null,
        rows_stored integer not null,
        rows_skipped integer not null,
        skipped_reasons varchar not null,
        mapping varchar not null,
        constants varchar not null,
        first_date date,
        last_date date,
        uploaded_by varchar,
        uploaded_at timestamp not null,
        status varchar not null,
        undone_at timestamp,
        is_demo boolean not null default false
    );
    create table header_mappings (
        header_signature varchar primary key,
        kind varchar not null,
        mapping varchar not null,
        updated_at timestamp not null
    );
    create table data_version (version bigint not null);
    insert into data_version values (0);
    create view v_customers as
    with latest_master as (
        select m.*, row_number() over (
            partition by m.customer_id order by m.upload_id desc, m.source_row desc
        ) as rn
        from customer_master as m
    ),
    final as (
        select c.customer_id as customer_id,
               c.customer_key as customer_key,
               coalesce(lm.display_name, c.customer_name) as customer_name,
               lm.customer_code as customer_code,
               lm.region as region,
               lm.city as city,
               lm.industry as industry,
               lm.sales_rep as sales_rep,
               lm.first_contact as first_contact,
               lm.credit_rating as credit_rating,
               lm.contact_person as contact_person
        from customers as c
        left join latest_master as lm on lm.customer_id = c.customer_id and lm.rn = 1
    )
    select * from final;
    create view v_ledger as
    with final as (
        select t.customer_id as customer_id,
               vc.customer_name as customer_name,
               t.order_date as order_date,
               t.amount as amount,
               t.profit as profit,
               t.quantity as quantity,
               t.order_id as order_id,
               t.product as product,
               t.category as category,
               coalesce(vc.region, t.region) as region,
               coalesce(vc.sales_rep, t.sales_rep) as sales_rep,
               t.channel as channel,
               t.upload_id as upload_id
        from transactions as t
        join v_customers as vc on vc.customer_id = t.customer_id
    )
    select * from final;
    """,
]


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> tuple[Any, ...] | None:
    """First row of a query, reading the result to its end.

    DuckDB 2.0 keeps a connection busy while a result is unfinished (``fetchone`` on its own
    leaves it so, and a later ``register`` on that connection fails), so every single-row
    read goes through here.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def fetch_df(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> pd.DataFrame:
    """A whole query result as a pandas frame, on a cursor of its own that is closed afterwards."""
    cursor = con.cursor()
    try:
        return cursor.execute(sql, params or []).df()
    finally:
        cursor.close()


def fetch_arrow(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> pa.Table:
    """A whole query result as Arrow, on a cursor of its own that is closed afterwards.

    For large results (no pandas detour); the own cursor keeps the connection free for others.
    """
    cursor = con.cursor()
    try:
        return cursor.sql(sql, params=params or []).to_arrow_table()
    finally:
        cursor.close()


def resolve_db_path(cli_path: str | os.PathLike[str] | None = None) -> Path:
    """Database path: ``--db`` if given, else ``$KARADAR_DB``, else ``data/karadar.duckdb``."""
    if cli_path:
        return Path(cli_path)
    env = os.environ.get(DB_ENV_VAR)
    return Path(env) if env else DEFAULT_DB_PATH


class DatabaseDamaged(duckdb.IOException):
    """The database file itself cannot be opened (even without its WAL); nothing was deleted."""


def connect(path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the store, checking it, and bring its schema up to date.

    ``path=":memory:"`` gives a throw-away store, used by tests. Opening replays the write-ahead
    log (``<db>.wal``: committed changes not yet checkpointed into the file; a torn last entry
    from a crash is dropped by DuckDB itself, with its transaction). A WAL that fails to replay
    (checksum mismatch, garbage) is moved aside by :func:`quarantine_wal` — never deleted — and the
    database opens at its last checkpoint; the message is logged (``karadar.store``) and
    :func:`quarantined_wals` lists such files for the UI. A database file that cannot be opened
    even then raises :class:`DatabaseDamaged` with a plain message.
    """
    target = ":memory:" if path == ":memory:" else str(resolve_db_path(path))
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": MEMORY_LIMIT}
    try:
        con = duckdb.connect(target, read_only=read_only, config=config)
    except duckdb.Error as exc:
        wal = Path(target + ".wal")
        if target == ":memory:" or "wal" not in str(exc).lower() or not wal.exists():
            if isinstance(exc, duckdb.IOException):
                raise  # a lock held by another process and the like: the caller says "busy"
            raise DatabaseDamaged(message("database_damaged", path=target, detail=first_line(exc))) from exc
        moved = quarantine_wal(Path(target))
        log.warning("%s (%s)", message("wal_quarantined", path=moved), first_line(exc))
        try:
            con = duckdb.connect(target, read_only=read_only, config=config)
        except duckdb.Error as again:
            raise DatabaseDamaged(message("database_damaged", path=target, detail=first_line(again))) from again
    if not read_only:
        migrate(con)
    return con


def first_line(exc: BaseException) -> str:
    """The first line of an error's message (at most 300 characters), else its type's name."""
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


def quarantine_wal(db: Path) -> Path:
    """Move ``<db>.wal`` aside to ``<db>.wal.quarantined-<UTC time>`` (never over another file)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    wal = Path(str(db) + ".wal")
    target = Path(f"{wal}{QUARANTINE_SUFFIX}{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = Path(f"{wal}{QUARANTINE_SUFFIX}{stamp}-{n}")
    os.replace(wal, target)
    return target


def quarantined_wals(path: str | os.PathLike[str] | None = None) -> list[Path]:
    """Write-ahead logs that :func:`connect` moved aside next to the database, oldest first."""
    db = resolve_db_path(path)
    return sorted(db.parent.glob(f"{db.name}.wal{QUARANTINE_SUFFIX}*"))


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """Number of migrations applied (0 for an empty database)."""
    exists = fetch_one(con, "select count(*) from information_schema.tables where table_name = 'schema_migrations'")
    if not exists or not exists[0]:
        return 0
    row = fetch_one(con, "select coalesce(max(version), 0) from schema_migrations")
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply pending migrations, each in its own transaction; return the schema version."""
    con.execute("create table if not exists schema_migrations (version integer primary key, applied_at timestamp)")
    current = schema_version(con)
    for version, ddl in enumerate(MIGRATIONS, start=1):
        if version <= current:
            continue
        con.execute("begin transaction")
        try:
            con.execute(ddl)
            con.execute("insert into schema_migrations values (?, current_timestamp)", [version])
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    return len(MIGRATIONS)


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """The current data version; every upload, undo or demo load increments it."""
    row = fetch_one(con, "select version from data_version")
    return int(row[0]) if row else 0


def bump_data_version(con: duckdb.DuckDBPyConnection) -> None:
    """Increment the data version; call inside the write transaction that changed data."""
    con.execute("update data_version set version = version + 1")


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """True when no upload (demo or real) is currently stored."""
    row = fetch_one(con, "select count(*) from uploads where status = 'stored'")
    return not row or row[0] == 0
