"""Upload pipeline: inspect → prepare (parse and validate) → commit (store exactly once).

* :func:`inspect_file` reads the file (in a disposable child process, :mod:`analytics.sandbox`:
  nothing a file does can take this process down), finds each sheet's header row below any title rows,
  picks the sheets whose header matches (identical sheets, e.g. one per quarter, are appended),
  detects the kind of file and proposes a column mapping with a confidence per column (a
  mapping confirmed earlier for the same header set is reused).
* :func:`prepare` parses every cell in one vectorised pass and lists unusable rows with their
  file row number and reason *before* anything is stored. Total rows (合计/小计/Total) are never
  customers.
* :func:`commit` stores the usable rows as one transaction, unless the same file (content hash)
  is already stored; ledger lines already stored are skipped when the file has order ids, and
  an upload overlapping stored data of the same period and region without them needs an
  answer: replace that slice, or append.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from analytics import loader, parsing, readers, sandbox, store
from analytics.errors import IngestError, message
from analytics.synonyms import ColumnMatch, detect_kind, match_columns, normalize_header

DATE_FIELDS = {"order_date", "survey_date", "opened_date", "resolved_date", "first_contact"}
NUMBER_FIELDS = {"amount", "profit", "quantity", "unit_price", "overall", "recommend"}
REQUIRED_DATE = {"ledger": "order_date", "surveys": "survey_date", "complaints": "opened_date"}
KNOWN_REGIONS = ("华东", "华南", "华北", "华中", "西南", "西北", "东北")
SURVEY_SCALES: tuple[tuple[float, float], ...] = ((1, 5), (1, 7), (1, 10), (0, 10))
# Reasons that are expected in an ERP export and never make a strict upload fail.
BENIGN_REASONS = frozenset({"total_row", "already_stored"})
# A longer header cell is cut: no synonym is that long, and fuzzy matching costs length² (a
# 100,000-character header took 30 s in the server process).
MAX_HEADER_CHARS = 100


@dataclass
class Inspection:
    """What a file is and how its columns map, before any row is parsed."""

    file_name: str
    file_hash: str
    file_format: str
    kind: str
    kind_scores: dict[str, float]
    sheets: list[str]
    sheets_ignored: dict[str, str]
    header_rows: dict[str, int]
    headers: list[str]
    matches: list[ColumnMatch]
    mapping: dict[str, str]
    suggested_constants: dict[str, str]
    header_signature: str
    data: pa.Table  # headers as columns (text), plus __sheet and __row
    date1904: bool = False
    encoding: str | None = None
    # formula cells without a cached value below the header: (sheet, row, column header, cell)
    formula_blanks: list[tuple[str, int, str, str]] = field(default_factory=list)


@dataclass
class Prepared:
    """Parsed rows ready to store, and the validation report."""

    inspection: Inspection
    mapping: dict[str, str]
    constants: dict[str, str]
    frame: pd.DataFrame
    rows_read: int
    skipped: dict[str, int]
    bad_rows: pd.DataFrame  # sheet, row, reason, column, value
    warnings: dict[str, int]
    survey_scale: tuple[float, float] | None = None
    dimensions: list[str] = field(default_factory=list)


@dataclass
class IngestResult:
    """Outcome of one file: the CLI's ``--json`` object (see :meth:`as_json`)."""

    file: str
    status: str  # "stored", "duplicate" or "rejected"
    upload_id: int | None
    rows_read: int
    rows_stored: int
    rows_skipped: dict[str, int]
    message: str
    code: str = ""
    bad_rows: pd.DataFrame | None = None
    kind: str | None = None
    sheets: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        """The contract of ``ingest --json``."""
        return {
            "file": self.file,
            "status": self.status,
            "upload_id": self.upload_id,
            "rows_read": self.rows_read,
            "rows_stored": self.rows_stored,
            "rows_skipped": self.rows_skipped,
            "message": self.message,
        }


def header_signature(kind: str, headers: list[str]) -> str:
    """Identity of a header set (order- and spelling-insensitive) for remembered mappings."""
    key = kind + "|" + "|".join(sorted(normalize_header(h) for h in headers))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _headers_of(sheet: readers.RawSheet, header_index: int) -> list[str]:
    """Column names from the header row; an empty cell under a merged title takes the title."""
    rows = sheet.table.slice(max(0, header_index - 1), 2 if header_index else 1).to_pylist()
    header = rows[-1]
    above = rows[0] if header_index else {}
    names: list[str] = []
    for i, column in enumerate(sheet.table.column_names):
        text = str(header.get(column) or "").strip() or str(above.get(column) or "").strip() or f"#{i + 1}"
        text = re.sub(r"\s+", " ", text)[:MAX_HEADER_CHARS]
        candidate, n = text, 2
        while candidate in names:
            candidate, n = f"{text}_{n}", n + 1
        names.append(candidate)
    return names


def _sheet_table(sheet: readers.RawSheet, header_index: int, headers: list[str]) -> pa.Table:
    data = sheet.table.slice(header_index + 1).rename_columns(headers)
    first = sheet.first_row + header_index + 1
    rows = pa.array(range(first, first + data.num_rows), type=pa.int32())
    return data.append_column("__sheet", pa.array([sheet.name] * data.num_rows, type=pa.string())).append_column(
        "__row", rows
    )


def _remembered_mapping(con: duckdb.DuckDBPyConnection | None, signature: str) -> dict[str, str] | None:
    if con is None:
        return None
    row = store.fetch_one(con, "select mapping from header_mappings where header_signature = ?", [signature])
    return json.loads(row[0]) if row else None


def _region_from_name(file_name: str) -> str | None:
    for region in KNOWN_REGIONS:
        if region in file_name:
            return region
    return None


def inspect_file(
    data: bytes,
    file_name: str,
    *,
    kind: str | None = None,
    sheet: str | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Inspection:
    """Read ``data`` and propose kind, sheets and column mapping; raises :class:`IngestError`."""
    workbook = sandbox.read_workbook(data)  # a child process: the file cannot take this one down
    candidates: list[tuple[readers.RawSheet, int, list[str]]] = []
    ignored: dict[str, str] = {}
    if sheet is not None and sheet not in [s.name for s in workbook.sheets]:
        raise IngestError("unknown_sheet", sheet=sheet)
    for raw in workbook.sheets:
        if sheet is not None and raw.name != sheet:
            continue
        if not raw.visible and sheet is None:
            ignored[raw.name] = "hidden"
            continue
        header_index = readers.find_header_row(raw.table)
        if header_index is None:
            # no known column names: take the first row of two or more cells, so the user can map them
            header_index = next(
                (
                    i
                    for i, row in enumerate(raw.table.slice(0, readers.HEADER_SCAN_ROWS).to_pylist())
                    if sum(1 for v in row.values() if v not in (None, "")) >= 2 and i + 1 < raw.table.num_rows
                ),
                None,
            )
        if header_index is None:
            ignored[raw.name] = "no_header"
            continue
        candidates.append((raw, header_index, _headers_of(raw, header_index)))
    if not candidates:
        raise IngestError("no_header", sheet=sheet or ", ".join(s.name for s in workbook.sheets))
    if kind is None:
        _, _, best_headers = max(candidates, key=lambda c: (max(detect_kind(c[2])[1].values()), c[0].table.num_rows))
        kind, scores = detect_kind(best_headers)
    else:
        scores = {}
        _, _, best_headers = max(candidates, key=lambda c: (len(match_columns(c[2], kind)[0]), c[0].table.num_rows))
    if kind not in loader.KINDS:
        raise IngestError("bad_constant", field="kind", kind=kind)
    wanted = sorted(normalize_header(h) for h in best_headers)
    chosen = []
    for raw, header_index, headers in candidates:
        if sorted(normalize_header(h) for h in headers) == wanted:
            chosen.append((raw, header_index, headers))
        else:
            ignored[raw.name] = "different_columns"
    headers = best_headers
    tables = [_sheet_table(raw, idx, hdrs).select([*headers, "__sheet", "__row"]) for raw, idx, hdrs in chosen]
    signature = header_signature(kind, headers)
    mapping, matches = match_columns(headers, kind, _remembered_mapping(con, signature))
    suggested: dict[str, str] = {}
    if "region" in loader.CANONICAL_COLUMNS[kind] and "region" not in mapping:
        region = _region_from_name(file_name)
        if region:
            suggested["region"] = region
    return Inspection(
        file_name=file_name,
        file_hash=readers.file_hash(data),
        file_format=workbook.file_format,
        kind=kind,
        kind_scores=scores,
        sheets=[raw.name for raw, _, _ in chosen],
        sheets_ignored=ignored,
        header_rows={raw.name: raw.first_row + idx for raw, idx, _ in chosen},
        headers=headers,
        matches=matches,
        mapping=mapping,
        suggested_constants=suggested,
        header_signature=signature,
        data=pa.concat_tables(tables),
        date1904=workbook.date1904,
        encoding=workbook.encoding,
        formula_blanks=[
            (raw.name, row, hdrs[column], ref)
            for raw, idx, hdrs in chosen
            for ref, row, column in raw.formula_cells
            if column >= 0 and row > raw.first_row + idx
        ],
    )


def _quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _check_mapping(insp: Inspection, mapping: Mapping[str, str]) -> None:
    fields = loader.CANONICAL_COLUMNS[insp.kind]
    for fld, column in mapping.items():
        if fld not in fields:
            raise IngestError("bad_constant", field=fld, kind=insp.kind)
        if column not in insp.headers:
            raise IngestError("unknown_column", column=column, field=fld)
    for required in loader.REQUIRED_COLUMNS[insp.kind]:
        if required == "amount" and "quantity" in mapping and "unit_price" in mapping:
            continue
        if required not in mapping:
            raise IngestError("missing_field", field=required)


def _date_orders(
    con: duckdb.DuckDBPyConnection, mapping: Mapping[str, str], date_order: parsing.DateOrder | None
) -> dict[str, parsing.DateOrder | None]:
    orders: dict[str, parsing.DateOrder | None] = {}
    for fld, column in mapping.items():
        if fld not in DATE_FIELDS:
            continue
        n, max_first, max_second = parsing.date_order_evidence(con, "raw", column)
        if n == 0:
            orders[fld] = None
        elif max_first > 12:
            orders[fld] = "dmy"
        elif max_second > 12:
            orders[fld] = "mdy"
        elif date_order is not None:
            orders[fld] = date_order
        else:
            example = store.fetch_one(
                con,
                f"select {_quote(column)} from raw where regexp_matches({_quote(column)}, '^\\s*\\d{{1,2}}/') limit 1",
            )
            raise IngestError("ambiguous_dates", column=column, example=example[0] if example else "01/02/2024")
    return orders


def _customer_expr(con: duckdb.DuckDBPyConnection, column: str) -> str:
    """Customer ids exported as floats (``17850.0``) lose the ``.0``; codes like ``000123`` stay."""
    quoted = _quote(column)
    row = store.fetch_one(
        con,
        f"""
        select count(*) filter (where not regexp_full_match(trim({quoted}), '\\d+\\.0+')) as other_values
        from raw where ka_text({quoted}) is not null
        """,
    )
    if row and row[0] == 0:
        return f"regexp_replace(ka_text({quoted}), '\\.0+$', '')"
    return f"ka_text({quoted})"


def _survey_dimensions(con: duckdb.DuckDBPyConnection, insp: Inspection, mapping: Mapping[str, str]) -> list[str]:
    """Unmapped columns that are (almost) all numbers are satisfaction dimensions."""
    dims = []
    for column in insp.headers:
        if column in mapping.values():
            continue
        quoted = _quote(column)
        row = store.fetch_one(con, f"select count(ka_text({quoted})), count(ka_amount({quoted})) from raw")
        if row and row[0] > 0 and row[1] >= 0.9 * row[0]:
            dims.append(column)
    return dims


def detect_scale(minimum: float, maximum: float) -> tuple[float, float]:
    """Smallest standard survey scale (1–5, 1–7, 1–10, 0–10) that holds the observed scores."""
    for low, high in SURVEY_SCALES:
        if minimum >= low and maximum <= high:
            return low, high
    return (min(0.0, minimum), max(10.0, maximum))


def _mark_formula_blanks(
    con: duckdb.DuckDBPyConnection, insp: Inspection, mapping: Mapping[str, str], derived_amount: bool
) -> dict[str, int]:
    """Skip rows whose required field is a formula without a saved result; count the other ones.

    Formulas are never evaluated (SPEC §7): such a cell reads as empty, and the row is reported as
    ``formula_no_value`` rather than as a missing value. A blank formula in an optional column
    leaves the row in, with a warning count.
    """
    if not insp.formula_blanks:
        return {}
    required = set(loader.REQUIRED_COLUMNS[insp.kind]) | ({"quantity", "unit_price"} if derived_amount else set())
    required_columns = {column for fld, column in mapping.items() if fld in required}
    used_columns = set(mapping.values())
    blanks = [
        (sheet, row, column in required_columns)
        for sheet, row, column, _ in insp.formula_blanks
        if column in used_columns
    ]
    if not blanks:
        return {}
    sheets, rows, needed = zip(*blanks, strict=True)
    con.register(
        "formula_blanks",
        pa.table({"sheet": list(sheets), "row": pa.array(rows, pa.int32()), "required": list(needed)}),
    )
    con.execute(
        """
        update parsed set reason = 'formula_no_value'
        where coalesce(reason, '') <> 'total_row'
          and exists (select 1 from formula_blanks as f
                      where f.sheet = parsed.__sheet and f.row = parsed.__row and f.required)
        """
    )
    row = store.fetch_one(
        con,
        """
        select count(*) from parsed
        where reason is null
          and exists (select 1 from formula_blanks as f where f.sheet = parsed.__sheet and f.row = parsed.__row)
        """,
    )
    con.unregister("formula_blanks")
    return {"formula_no_value": int(row[0])} if row and row[0] else {}


def _describe_formula_blanks(bad_rows: pd.DataFrame, insp: Inspection) -> None:
    """Name the column(s) and cell(s) of every ``formula_no_value`` row of the report."""
    cells: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for sheet, row, column, ref in insp.formula_blanks:
        cells.setdefault((sheet, row), []).append((column, ref))
    for index in bad_rows.index[bad_rows["reason"] == "formula_no_value"]:
        found = cells.get((str(bad_rows.at[index, "sheet"]), int(bad_rows.at[index, "row"])), [])
        bad_rows.at[index, "column"] = ", ".join(column for column, _ in found)
        bad_rows.at[index, "value"] = ", ".join(f"{ref} (=…)" for _, ref in found)


def prepare(
    insp: Inspection,
    *,
    mapping: Mapping[str, str] | None = None,
    constants: Mapping[str, str] | None = None,
    date_order: parsing.DateOrder | None = None,
    survey_scale: tuple[float, float] | None = None,
) -> Prepared:
    """Parse and validate every row; raises :class:`IngestError` for whole-file problems."""
    mapping = dict(insp.mapping if mapping is None else mapping)
    constants = {**insp.suggested_constants, **(constants or {})}
    for fld in constants:
        if fld not in loader.CANONICAL_COLUMNS[insp.kind]:
            raise IngestError("bad_constant", field=fld, kind=insp.kind)
    mapping = {f: c for f, c in mapping.items() if f not in constants}
    _check_mapping(insp, {**mapping, **dict.fromkeys(constants, insp.headers[0])})
    con = parsing.staging_connection()
    con.register("raw", insp.data)
    orders = _date_orders(con, mapping, date_order)
    header_cols = [_quote(h) for h in insp.headers]
    nonempty = " or ".join(f"ka_text({c}) is not null" for c in header_cols)
    total_row = " or ".join(f"regexp_full_match(coalesce(trim({c}), ''), ?)" for c in header_cols)

    exprs: dict[str, str] = {}
    raws: dict[str, str] = {}
    for fld, sql_type in loader.CANONICAL_COLUMNS[insp.kind].items():
        if fld in constants:
            literal = constants[fld].replace("'", "''")
            exprs[fld] = f"cast('{literal}' as {sql_type})"
            continue
        column = mapping.get(fld)
        if column is None:
            exprs[fld] = f"cast(null as {sql_type})"
            continue
        quoted = _quote(column)
        raws[fld] = f"ka_text({quoted})"
        if fld in DATE_FIELDS:
            exprs[fld] = parsing.date_sql(quoted, orders.get(fld), insp.date1904)
        elif fld in NUMBER_FIELDS:
            exprs[fld] = f"ka_amount({quoted})"
        elif fld == "customer":
            exprs[fld] = _customer_expr(con, column)
        else:
            exprs[fld] = f"ka_text({quoted})"
    derived_amount = insp.kind == "ledger" and "amount" not in mapping and "amount" not in constants
    if derived_amount:
        exprs["amount"] = "round(quantity * unit_price, 4)"

    dims = _survey_dimensions(con, insp, mapping) if insp.kind == "surveys" else []
    for dim in dims:
        exprs[loader.DIMENSION_PREFIX + dim] = f"ka_amount({_quote(dim)})"

    reasons = ["when is_total then 'total_row'", "when customer is null then 'missing_customer'"]
    date_field = REQUIRED_DATE.get(insp.kind)
    if date_field:
        reasons += [
            f"when raw_{date_field} is null then 'missing_date'",
            f"when {date_field} is null then 'bad_date'",
        ]
    if insp.kind == "ledger":
        reasons += ["when raw_amount is null then 'missing_amount'", "when amount is null then 'bad_amount'"]
    if insp.kind == "surveys":
        reasons += [
            "when raw_overall is null then 'missing_score'",
            "when overall is null or overall < score_lo or overall > score_hi then 'bad_score'",
            "when recommend is not null and (recommend < 0 or recommend > 10) then 'bad_score'",
        ]
    reason_sql = "case " + " ".join(reasons) + " end"
    first_pass = [f"{expr} as {_quote(name)}" for name, expr in exprs.items() if name != "amount" or not derived_amount]
    raw_cols = [f"{expr} as raw_{name}" for name, expr in raws.items()]

    scale = survey_scale
    if insp.kind == "surveys" and scale is None:
        score_exprs = [f"ka_amount({_quote(c)})" for c in [mapping["overall"], *dims]] if "overall" in mapping else []
        if score_exprs:
            row = store.fetch_one(
                con,
                f"select min(least({', '.join(score_exprs)})), max(greatest({', '.join(score_exprs)})) from raw",
            )
            scale = detect_scale(float(row[0]), float(row[1])) if row and row[0] is not None else (1.0, 5.0)
        else:
            scale = (1.0, 5.0)
    scale_params: list[object] = list(scale) if insp.kind == "surveys" and scale else []
    scale_select = ", cast(? as double) as score_lo, cast(? as double) as score_hi" if scale_params else ""

    derived_sql = (
        f", {exprs['amount']} as amount, concat_ws(' × ', raw_quantity, raw_unit_price) as raw_amount"
        if derived_amount
        else ""
    )
    con.execute(
        f"""
        create table parsed as
        with src as (
            select *, ({total_row}) as is_total from raw where {nonempty}
        ),
        typed as (
            select __sheet, __row, is_total, {", ".join(first_pass + raw_cols)} {scale_select} from src
        ),
        derived as (
            select *{derived_sql} from typed
        ),
        final as (
            select *, {reason_sql} as reason from derived
        )
        select * from final
        """,
        [parsing.TOTAL_ROW_PATTERN] * len(header_cols) + scale_params,
    )
    formula_warnings = _mark_formula_blanks(con, insp, mapping, derived_amount)
    rows_read_row = store.fetch_one(con, "select count(*) from parsed")
    rows_read = int(rows_read_row[0]) if rows_read_row else 0
    skipped = dict(
        con.execute("select reason, count(*) from parsed where reason is not null group by reason").fetchall()
    )

    # reason -> the field whose column and raw value the report shows
    reason_fields: dict[str, str | None] = {
        "missing_customer": "customer",
        "missing_date": date_field,
        "bad_date": date_field,
        "missing_amount": "amount",
        "bad_amount": "amount",
        "missing_score": "overall",
        "bad_score": "overall",
    }
    column_case, value_case = [], []
    for reason, maybe_field in reason_fields.items():
        if maybe_field is None:
            continue
        fld = maybe_field
        label = (
            "×".join(mapping[f] for f in ("quantity", "unit_price"))
            if fld == "amount" and derived_amount
            else mapping.get(fld, "")
        )
        column_case.append(f"when '{reason}' then '{label.replace(chr(39), chr(39) * 2)}'")
        if fld in raws or (fld == "amount" and derived_amount):
            value_case.append(f"when '{reason}' then raw_{fld}")
    bad_rows = con.execute(
        f"""
        select __sheet as sheet, __row as row, reason,
               case reason {" ".join(column_case)} else '' end as column,
               case reason {" ".join(value_case)} else null end as value
        from parsed where reason is not null and reason <> 'total_row'
        order by __sheet, __row
        """
    ).df()

    _describe_formula_blanks(bad_rows, insp)
    warnings: dict[str, int] = dict(formula_warnings)
    for fld in NUMBER_FIELDS | DATE_FIELDS:
        if fld in raws and fld != date_field and fld != "amount" and fld != "overall":
            row = store.fetch_one(
                con,
                f"select count(*) from parsed where reason is null and raw_{fld} is not null and {_quote(fld)} is null",
            )
            if row and row[0]:
                warnings[f"bad_{fld}"] = int(row[0])

    keep = [*loader.CANONICAL_COLUMNS[insp.kind], *[loader.DIMENSION_PREFIX + d for d in dims]]
    frame = con.execute(
        f"""
        select {", ".join(_quote(c) for c in keep)}, __row as source_row
        from parsed where reason is null order by __sheet, __row
        """
    ).df()
    con.close()
    return Prepared(
        inspection=insp,
        mapping=mapping,
        constants=dict(constants),
        frame=frame,
        rows_read=rows_read,
        skipped=skipped,
        bad_rows=bad_rows,
        warnings=warnings,
        survey_scale=scale if insp.kind == "surveys" else None,
        dimensions=dims,
    )


def find_duplicate(con: duckdb.DuckDBPyConnection, file_hash: str) -> int | None:
    """Upload id of a stored upload with the same content hash, if any."""
    row = store.fetch_one(
        con, "select min(upload_id) from uploads where file_hash = ? and status = 'stored'", [file_hash]
    )
    return int(row[0]) if row and row[0] is not None else None


@dataclass(frozen=True)
class Overlap:
    """Stored ledger uploads whose period and regions overlap an upload without order ids."""

    rows: int  # stored rows inside the upload's period: what "replace" would remove
    uploads: tuple[str, ...]
    first: dt.date
    last: dt.date
    regions: tuple[str, ...]


def find_overlap(con: duckdb.DuckDBPyConnection, prepared: Prepared) -> Overlap | None:
    """Stored uploads of the same regions whose period intersects this upload's (ledgers without order ids).

    Without order ids a line cannot be recognised as already stored, so an upload that covers
    a period and region the store already covers could double count: the user decides.
    """
    frame = prepared.frame
    if prepared.inspection.kind != "ledger" or "order_id" in prepared.mapping or frame.empty:
        return None
    first, last = pd.Timestamp(frame["order_date"].min()).date(), pd.Timestamp(frame["order_date"].max()).date()
    regions = tuple(sorted(str(r) for r in frame["region"].dropna().unique()))
    region_sql = f"t.region in ({', '.join('?' for _ in regions)})" if regions else "t.region is null"
    rows = (
        con.cursor()
        .execute(
            f"""
            with overlapping as (
                select t.order_date as order_date, u.file_name as file_name
                from transactions as t
                join uploads as u on u.upload_id = t.upload_id
                where u.status = 'stored' and u.first_date <= ? and u.last_date >= ? and {region_sql}
            ),
            final as (
                select count(*) filter (where order_date between ? and ?) as rows_in_period,
                       list(distinct file_name order by file_name) as files,
                       count(*) as rows_any
                from overlapping
            )
            select rows_in_period, files, rows_any from final
            """,
            [last, first, *regions, first, last],
        )
        .fetchall()
    )
    if not rows or not rows[0][2]:
        return None
    return Overlap(int(rows[0][0]), tuple(rows[0][1]), first, last, regions)


def _result(
    prepared: Prepared | None, file_name: str, status: str, code: str, lang: str, **params: object
) -> IngestResult:
    return IngestResult(
        file=file_name,
        status=status,
        upload_id=params.get("upload_id"),  # type: ignore[arg-type]
        rows_read=prepared.rows_read if prepared else 0,
        rows_stored=int(params.get("stored", 0)),  # type: ignore[call-overload]
        rows_skipped=dict(prepared.skipped) if prepared else {},
        message=message(code, lang, **params),
        code=code,
        bad_rows=prepared.bad_rows if prepared else None,
        kind=prepared.inspection.kind if prepared else None,
        sheets=prepared.inspection.sheets if prepared else [],
    )


def commit(
    con: duckdb.DuckDBPyConnection,
    prepared: Prepared,
    *,
    overlap: str | None = None,
    strict: bool = False,
    uploaded_by: str | None = None,
    lang: str = "en",
) -> IngestResult:
    """Store a prepared upload exactly once (see module docstring for the rules)."""
    insp = prepared.inspection
    duplicate = find_duplicate(con, insp.file_hash)
    if duplicate is not None:
        result = _result(prepared, insp.file_name, "duplicate", "duplicate", lang, upload_id=duplicate)
        result.rows_skipped = {}
        return result
    bad = {r: n for r, n in prepared.skipped.items() if r not in BENIGN_REASONS}
    if strict and bad:
        first = prepared.bad_rows.iloc[0]
        return _result(
            prepared,
            insp.file_name,
            "rejected",
            "strict_rejected",
            lang,
            bad=sum(bad.values()),
            rows=prepared.rows_read,
            first_row=int(first["row"]),
            first_reason=first["reason"],
        )
    if prepared.frame.empty:
        return _result(prepared, insp.file_name, "rejected", "no_usable_rows", lang, rows=prepared.rows_read)
    clash = find_overlap(con, prepared)
    replace_slice = None
    if clash is not None:
        if overlap not in ("replace", "append"):
            return _result(
                prepared,
                insp.file_name,
                "rejected",
                "overlap",
                lang,
                rows=clash.rows,
                regions="/".join(clash.regions) or "-",
                first=clash.first,
                last=clash.last,
                files=", ".join(clash.uploads),
            )
        if overlap == "replace":
            replace_slice = (clash.first, clash.last, clash.regions)
    meta = loader.UploadMeta(
        kind=insp.kind,
        file_name=insp.file_name,
        file_hash=insp.file_hash,
        sheet=", ".join(insp.sheets),
        rows_read=prepared.rows_read,
        skipped_reasons=prepared.skipped,
        mapping=prepared.mapping,
        constants=prepared.constants,
        uploaded_by=uploaded_by,
        survey_scale=prepared.survey_scale,
        header_signature=insp.header_signature,
    )
    stored = loader.store_frame(
        con,
        prepared.frame,
        meta,
        skip_stored_lines="order_id" in prepared.mapping,
        replace_slice=replace_slice,
    )
    result = _result(
        prepared,
        insp.file_name,
        "stored",
        "stored",
        lang,
        upload_id=stored.upload_id,
        stored=stored.rows_stored,
        rows=prepared.rows_read,
        skipped=sum(stored.skipped_reasons.values()),
    )
    result.rows_skipped = stored.skipped_reasons
    return result


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    *,
    kind: str | None = None,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    constants: Mapping[str, str] | None = None,
    date_order: parsing.DateOrder | None = None,
    overlap: str | None = None,
    strict: bool = False,
    lang: str = "en",
    uploaded_by: str | None = None,
    restrict: Callable[[Prepared], Prepared] | None = None,
) -> IngestResult:
    """Inspect, prepare and commit one file; every whole-file problem becomes a rejected result.

    ``restrict`` may drop rows of the prepared upload before it is stored (the uploader's region
    scope, :func:`analytics.access.restrict_upload`); it may raise :class:`IngestError`.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
        insp = inspect_file(data, path.name, kind=kind, sheet=sheet, con=con)
        duplicate = find_duplicate(con, insp.file_hash)
        if duplicate is not None:
            return _result(None, path.name, "duplicate", "duplicate", lang, upload_id=duplicate)
        full_mapping = {**insp.mapping, **(mapping or {})}
        prepared = prepare(insp, mapping=full_mapping, constants=constants, date_order=date_order)
        if restrict is not None:
            prepared = restrict(prepared)
        return commit(con, prepared, overlap=overlap, strict=strict, lang=lang, uploaded_by=uploaded_by)
    except IngestError as exc:
        return IngestResult(
            file=path.name,
            status="rejected",
            upload_id=None,
            rows_read=0,
            rows_stored=0,
            rows_skipped={},
            message=exc.render(lang),
            code=exc.code,
        )
