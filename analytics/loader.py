"""Writes canonical frames into the store: one upload = one transaction, logged, undoable.

A *canonical frame* is what ingest (or the demo generator, or a test) hands over after parsing:
plain column names, parsed types, and ``source_row`` (the row number in the user's file, used
in reports). Columns per kind are listed in :data:`CANONICAL_COLUMNS`; optional ones may be
missing. Surveys may add dimension scores as columns named ``dim:<dimension>``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa

from analytics import store
from analytics.parsing import half_width_sql

KINDS = ("ledger", "customers", "surveys", "complaints")

CANONICAL_COLUMNS: dict[str, dict[str, str]] = {
    "ledger": {
        "customer": "varchar",
        "order_date": "date",
        "amount": "double",
        "profit": "double",
        "quantity": "double",
        "unit_price": "double",
        "order_id": "varchar",
        "product": "varchar",
        "category": "varchar",
        "region": "varchar",
        "sales_rep": "varchar",
        "channel": "varchar",
    },
    "customers": {
        "customer": "varchar",
        "customer_code": "varchar",
        "display_name": "varchar",
        "region": "varchar",
        "city": "varchar",
        "industry": "varchar",
        "sales_rep": "varchar",
        "first_contact": "date",
        "credit_rating": "varchar",
        "contact_person": "varchar",
    },
    "surveys": {
        "customer": "varchar",
        "survey_date": "date",
        "overall": "double",
        "recommend": "double",
        "comment": "varchar",
    },
    "complaints": {
        "customer": "varchar",
        "complaint_id": "varchar",
        "opened_date": "date",
        "category": "varchar",
        "severity": "varchar",
        "status": "varchar",
        "resolved_date": "date",
        "description": "varchar",
    },
}
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "ledger": ("customer", "order_date", "amount"),
    "customers": ("customer",),
    "surveys": ("customer", "survey_date"),
    "complaints": ("customer", "opened_date"),
}
DIMENSION_PREFIX = "dim:"


def customer_key_sql(expr: str) -> str:
    """SQL that normalises a customer name/id into the matching key.

    Full-width ASCII to half-width, whitespace collapsed and trimmed, case folded, so
    ``"ＡＢＣ 公司 "`` and ``"abc 公司"`` are one customer. ``expr`` is a trusted column expression.
    """
    return f"lower(trim(regexp_replace({half_width_sql(expr)}, '\\s+', ' ', 'g')))"


@dataclass
class UploadMeta:
    """What the upload log records besides the rows themselves."""

    kind: str
    file_name: str
    file_hash: str
    sheet: str | None = None
    rows_read: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    mapping: Mapping[str, str] = field(default_factory=dict)
    constants: Mapping[str, str] = field(default_factory=dict)
    uploaded_by: str | None = None
    is_demo: bool = False
    survey_scale: tuple[float, float] | None = None
    header_signature: str | None = None  # remember ``mapping`` for this header set on success


@dataclass(frozen=True)
class StoreResult:
    """Outcome of :func:`store_frame`."""

    upload_id: int
    rows_stored: int
    skipped_reasons: dict[str, int]


_ARROW_TYPES = {"varchar": pa.string(), "double": pa.float64(), "date": pa.date32()}


def _canonical_arrow(kind: str, frame: pd.DataFrame | pa.Table) -> pa.Table:
    """Frame as Arrow with every canonical column present (missing optional ones as nulls).

    Arrow-backed frames (what ingest hands over) convert without copying.
    """
    columns = CANONICAL_COLUMNS[kind]
    names = list(frame.column_names if isinstance(frame, pa.Table) else frame.columns)
    missing_required = [c for c in REQUIRED_COLUMNS[kind] if c not in names]
    if missing_required:
        raise ValueError(f"canonical {kind} frame lacks {missing_required}")
    wanted = [n for n in names if n in columns or n == "source_row" or n.startswith(DIMENSION_PREFIX)]
    table = (
        frame.select(wanted)
        if isinstance(frame, pa.Table)
        else pa.Table.from_pandas(frame[wanted].reset_index(drop=True), preserve_index=False)
    )
    rows = table.num_rows
    out = {
        name: table.column(name) if name in wanted else pa.nulls(rows, _ARROW_TYPES[sql_type])
        for name, sql_type in columns.items()
    }
    out["source_row"] = table.column("source_row") if "source_row" in wanted else pa.array(range(1, rows + 1))
    for name in wanted:
        if name.startswith(DIMENSION_PREFIX):
            out[name] = table.column(name)
    return pa.table(out)


def next_upload_id(con: duckdb.DuckDBPyConnection) -> int:
    """The id the next upload will get (ids are never reused, even after undo)."""
    row = store.fetch_one(con, "select coalesce(max(upload_id), 0) + 1 from uploads")
    return int(row[0]) if row else 1


def _staged_names(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Each distinct customer text of the staged rows with its matching key (computed once a name)."""
    return con.sql(
        f"""
        with names as (
            select distinct customer from staged where customer is not null
        ),
        final as (
            select customer, {customer_key_sql("customer")} as customer_key from names
        )
        select customer, customer_key from final
        """
    ).to_arrow_table()


def _insert_customers(con: duckdb.DuckDBPyConnection) -> None:
    """Register customers of the staged rows that the store does not know yet."""
    con.execute(
        """
        insert into customers (customer_key, customer_name)
        with staged_keys as (
            select customer_key, min(trim(customer)) as customer_name
            from staged_names
            group by customer_key
        ),
        final as (
            select s.customer_key as customer_key, s.customer_name as customer_name
            from staged_keys as s
            anti join customers as c on c.customer_key = s.customer_key
        )
        select customer_key, customer_name from final
        """
    )


# The staged rows with their customer id (customers are registered first, so every named one has one).
_WITH_CUSTOMER_ID = """
    with_ids as (
        select s.*, c.customer_id as customer_id
        from staged as s
        join staged_names as n on n.customer = s.customer
        join customers as c on c.customer_key = n.customer_key
    )
"""


def _insert_ledger(con: duckdb.DuckDBPyConnection, upload_id: int, skip_stored_lines: bool) -> tuple[int, int]:
    """Insert staged ledger rows; returns (stored, skipped as already stored)."""
    keyed = f"""
        with {_WITH_CUSTOMER_ID},
        keyed as (
            select *, hash(coalesce(order_id, ''), customer_id, order_date, coalesce(product, ''),
                           coalesce(quantity, 0), round(amount, 4)) as line_key
            from with_ids
        )
    """
    already = 0
    if skip_stored_lines and store.fetch_one(con, "select 1 from transactions limit 1"):
        row = store.fetch_one(
            con,
            f"{keyed} select count(*) as n from keyed where line_key in (select line_key from transactions)",
        )
        already = int(row[0]) if row else 0
    new_only = "where line_key not in (select line_key from transactions)" if skip_stored_lines else ""
    row = store.fetch_one(
        con,
        f"""
        insert into transactions
        {keyed},
        final as (
            select ? as upload_id, source_row, customer_id, order_date,
                   cast(round(amount, 4) as decimal(18, 4)) as amount,
                   cast(round(profit, 4) as decimal(18, 4)) as profit,
                   quantity, cast(round(unit_price, 4) as decimal(18, 4)) as unit_price,
                   order_id, product, category, region, sales_rep, channel, line_key
            from keyed
            {new_only}
        )
        select * from final
        """,
        [upload_id],
    )
    return (int(row[0]) if row else 0), already


def _insert_simple(con: duckdb.DuckDBPyConnection, kind: str, upload_id: int) -> int:
    """Insert staged customer-master, survey or complaint rows; returns rows stored."""
    if kind == "customers":
        sql = """
            insert into customer_master
            with {with_ids}
            select ?, source_row, customer_id, customer_code, display_name, region, city,
                   industry, sales_rep, first_contact, credit_rating, contact_person
            from with_ids
        """
        params: list[object] = [upload_id]
    elif kind == "complaints":
        sql = """
            insert into complaints
            with {with_ids}
            select ?, source_row, complaint_id, customer_id, opened_date, category, severity,
                   status, resolved_date, description
            from with_ids
        """
        params = [upload_id]
    else:
        sql = """
            insert into surveys
            with {with_ids}
            select ?, source_row, cast(? as bigint) * 10000000 + source_row, customer_id, survey_date,
                   overall, recommend, comment
            from with_ids
        """
        params = [upload_id, upload_id]
    row = store.fetch_one(con, sql.format(with_ids=_WITH_CUSTOMER_ID), params)
    return int(row[0]) if row else 0


def _insert_survey_scores(con: duckdb.DuckDBPyConnection, upload_id: int, dimensions: list[str]) -> None:
    """Unpivot ``dim:<name>`` columns into ``survey_scores`` rows (dimension names are data)."""
    for column in dimensions:
        dimension = column[len(DIMENSION_PREFIX) :]
        quoted = '"' + column.replace('"', '""') + '"'
        con.execute(
            f"""
            insert into survey_scores
            select ?, cast(? as bigint) * 10000000 + source_row, ?, cast({quoted} as double)
            from staged
            where {quoted} is not null
            """,
            [upload_id, upload_id, dimension],
        )


def store_frame(
    con: duckdb.DuckDBPyConnection,
    frame: pd.DataFrame | pa.Table,
    meta: UploadMeta,
    *,
    skip_stored_lines: bool = False,
    replace_slice: tuple[dt.date, dt.date, tuple[str, ...]] | None = None,
) -> StoreResult:
    """Store one upload atomically: customers, rows, log entry and data version, or nothing.

    ``skip_stored_lines`` drops ledger lines whose (order id, customer, date, product, quantity,
    amount) is already stored. ``replace_slice`` = (first date, last date, regions) deletes the
    stored ledger rows of that period and those regions first (the "replace" answer to an
    overlapping upload). The database is checkpointed afterwards.
    """
    if meta.kind not in KINDS:
        raise ValueError(f"unknown kind {meta.kind!r}")
    staged = _canonical_arrow(meta.kind, frame)
    dimensions = [c for c in staged.column_names if c.startswith(DIMENSION_PREFIX)]
    skipped = dict(meta.skipped_reasons)
    con.register("staged", staged)
    try:
        # one key per distinct customer name, computed before the transaction like the staged rows
        con.register("staged_names", _staged_names(con))
        con.execute("begin transaction")
        try:
            upload_id = next_upload_id(con)
            if replace_slice is not None:
                first, last, regions = replace_slice
                region_sql = f" and region in ({', '.join('?' for _ in regions)})" if regions else ""
                con.execute(
                    f"""
                    delete from transactions
                    where order_date between ? and ?
                      and upload_id in (select upload_id from uploads where status = 'stored')
                      {region_sql}
                    """,
                    [first, last, *regions],
                )
            _insert_customers(con)
            if meta.kind == "ledger":
                rows_stored, already = _insert_ledger(con, upload_id, skip_stored_lines)
                if already:
                    skipped["already_stored"] = skipped.get("already_stored", 0) + already
            else:
                rows_stored = _insert_simple(con, meta.kind, upload_id)
                if dimensions:
                    _insert_survey_scores(con, upload_id, dimensions)
                if meta.survey_scale is not None:
                    con.execute("insert into survey_scales values (?, ?, ?)", [upload_id, *meta.survey_scale])
            date_column = {"ledger": "order_date", "surveys": "survey_date", "complaints": "opened_date"}.get(meta.kind)
            first_last = (
                store.fetch_one(con, f"select min({date_column}), max({date_column}) from staged")
                if date_column
                else (None, None)
            ) or (None, None)
            con.execute(
                """
                insert into uploads values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, current_timestamp, 'stored',
                                            null, ?)
                """,
                [
                    upload_id,
                    meta.kind,
                    meta.file_name,
                    meta.file_hash,
                    meta.sheet,
                    meta.rows_read or staged.num_rows,
                    rows_stored,
                    sum(skipped.values()),
                    json.dumps(skipped, ensure_ascii=False),
                    json.dumps(dict(meta.mapping), ensure_ascii=False),
                    json.dumps(dict(meta.constants), ensure_ascii=False),
                    first_last[0],
                    first_last[1],
                    meta.uploaded_by,
                    meta.is_demo,
                ],
            )
            if meta.header_signature:
                con.execute(
                    "insert or replace into header_mappings values (?, ?, ?, current_timestamp)",
                    [meta.header_signature, meta.kind, json.dumps(dict(meta.mapping), ensure_ascii=False)],
                )
            store.bump_data_version(con)
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    finally:
        con.unregister("staged")
        con.unregister("staged_names")
    con.execute("checkpoint")
    return StoreResult(upload_id=upload_id, rows_stored=rows_stored, skipped_reasons=skipped)


_ROW_TABLES = ("transactions", "customer_master", "surveys", "complaints")
_DETAIL_TABLES = ("survey_scores", "survey_scales")


def undo_upload(con: duckdb.DuckDBPyConnection, upload_id: int) -> int:
    """Remove one upload's rows and mark it undone; returns the number of rows removed.

    Raises ``LookupError`` when there is no such stored upload.
    """
    row = store.fetch_one(con, "select status from uploads where upload_id = ?", [upload_id])
    if row is None or row[0] != "stored":
        raise LookupError(upload_id)
    removed = 0
    con.execute("begin transaction")
    try:
        for table in _ROW_TABLES:
            count = store.fetch_one(con, f"select count(*) from {table} where upload_id = ?", [upload_id])
            removed += int(count[0]) if count else 0
        for table in (*_ROW_TABLES, *_DETAIL_TABLES):
            con.execute(f"delete from {table} where upload_id = ?", [upload_id])
        con.execute(
            "update uploads set status = 'undone', undone_at = current_timestamp where upload_id = ?",
            [upload_id],
        )
        store.bump_data_version(con)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    con.execute("checkpoint")
    return removed
