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

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
# Reason of a row with no cell filled in: such rows are neither read nor skipped, just not there.
_EMPTY = "empty"


@dataclass(frozen=True)
class Step:
    """A stage of an upload that starts (``done`` false) or has ended, for progress displays.

    ``stage`` is ``"read"`` (the file, in the sandbox), ``"check"`` (parse and validate) or
    ``"store"``. ``rows``: at the start the rows the stage works on when known (none for the
    read); at the end the rows it produced (rows read, usable rows, rows stored). ``seconds`` is
    the stage's duration once done.
    """

    stage: str
    rows: int | None = None
    done: bool = False
    seconds: float = 0.0


Progress = Callable[[Step], None]
STAGES = ("read", "check", "store")  # in the order an upload goes through them

# From this file size on an upload shows its progress (the CLI on stderr, the Data page in a box).
PROGRESS_MIN_BYTES = 5_000_000
_STEP_TEXT = {
    "en": {
        "read": "reading the file…",
        "read_done": "read {rows} rows in {seconds} s",
        "check": "checking {rows} rows…",
        "check_done": "checked in {seconds} s: {rows} rows can be stored",
        "store": "storing {rows} rows…",
        "store_done": "stored {rows} rows in {seconds} s",
    },
    "zh": {
        "read": "正在读取文件…",
        "read_done": "已读取 {rows} 行，用时 {seconds} 秒",
        "check": "正在校验 {rows} 行…",
        "check_done": "校验完成，用时 {seconds} 秒：{rows} 行可以保存",
        "store": "正在保存 {rows} 行…",
        "store_done": "已保存 {rows} 行，用时 {seconds} 秒",
    },
}


def describe_step(step: Step, lang: str = "en") -> str:
    """One line saying what a stage is doing or did, in ``lang`` (``"zh"`` or ``"en"``)."""
    texts = _STEP_TEXT.get(lang, _STEP_TEXT["en"])
    key = f"{step.stage}_done" if step.done else step.stage
    rows = f"{step.rows:,}" if step.rows is not None else "?"
    return texts[key].format(rows=rows, seconds=f"{step.seconds:.1f}")


def stderr_progress(path: str | Path, lang: str = "en") -> Progress | None:
    """For a big file (:data:`PROGRESS_MIN_BYTES`), a progress line per stage on stderr; else None."""
    path = Path(path)
    if path.stat().st_size < PROGRESS_MIN_BYTES:
        return None

    def show(step: Step) -> None:
        print(f"{path.name}: {describe_step(step, lang)}", file=sys.stderr, flush=True)

    return show


@dataclass
class _Running:
    """The end of a stage being timed: set ``rows`` before the block ends."""

    rows: int | None = None


@contextlib.contextmanager
def _stage(progress: Progress | None, stage: str, rows: int | None = None) -> Iterator[_Running]:
    """Report ``stage`` to ``progress`` when it starts and when it ends (not when it fails)."""
    if progress is not None:
        progress(Step(stage, rows))
    started = time.perf_counter()
    running = _Running()
    yield running
    if progress is not None:
        progress(Step(stage, running.rows, done=True, seconds=time.perf_counter() - started))


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
    rows = pa.array(np.arange(first, first + data.num_rows, dtype=np.int32))
    names = pa.repeat(pa.scalar(sheet.name, type=pa.string()), data.num_rows)
    return data.append_column("__sheet", names).append_column("__row", rows)


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
    progress: Progress | None = None,
) -> Inspection:
    """Read ``data`` and propose kind, sheets and column mapping; raises :class:`IngestError`."""
    with _stage(progress, "read") as step:
        inspection = _inspect(data, file_name, kind, sheet, con)
        step.rows = inspection.data.num_rows
    return inspection


def _inspect(
    data: bytes, file_name: str, kind: str | None, sheet: str | None, con: duckdb.DuckDBPyConnection | None
) -> Inspection:
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


def _numeric_ids(con: duckdb.DuckDBPyConnection, column: str) -> bool:
    """Whether every non-empty cell of a customer column is an id exported as a float (``17850.0``).

    Such ids lose the ``.0``; codes like ``000123`` stay as they are. Stops at the first other value.
    """
    quoted = _quote(column)
    row = store.fetch_one(
        con,
        f"""
        select 1 from raw
        where ka_text({quoted}) is not null and not regexp_full_match(trim({quoted}), '\\d+\\.0+')
        limit 1
        """,
    )
    return row is None


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


def _formula_blanks(insp: Inspection, mapping: Mapping[str, str], derived_amount: bool) -> pa.Table | None:
    """Formula cells without a saved result in mapped columns: (sheet, row, required field?).

    Formulas are never evaluated (SPEC §7): such a cell reads as empty. A row whose required field
    is one is skipped as ``formula_no_value`` rather than reported as a missing value; a blank
    formula in an optional column leaves the row in, with a warning count.
    """
    required = set(loader.REQUIRED_COLUMNS[insp.kind]) | ({"quantity", "unit_price"} if derived_amount else set())
    required_columns = {column for fld, column in mapping.items() if fld in required}
    used_columns = set(mapping.values())
    blanks = [
        (sheet, row, column in required_columns)
        for sheet, row, column, _ in insp.formula_blanks
        if column in used_columns
    ]
    if not blanks:
        return None
    sheets, rows, needed = zip(*blanks, strict=True)
    return pa.table({"sheet": list(sheets), "row": pa.array(rows, pa.int32()), "required": list(needed)})


def _describe_formula_blanks(bad_rows: pd.DataFrame, insp: Inspection) -> None:
    """Name the column(s) and cell(s) of every ``formula_no_value`` row of the report."""
    cells: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for sheet, row, column, ref in insp.formula_blanks:
        cells.setdefault((sheet, row), []).append((column, ref))
    for index in bad_rows.index[bad_rows["reason"] == "formula_no_value"]:
        found = cells.get((str(bad_rows.at[index, "sheet"]), int(bad_rows.at[index, "row"])), [])
        bad_rows.at[index, "column"] = ", ".join(column for column, _ in found)
        bad_rows.at[index, "value"] = ", ".join(f"{ref} (=…)" for _, ref in found)


@dataclass
class _ParsePass:
    """The projections of the one parsing pass (:func:`_parse_sql`), collected field by field.

    Each projection runs over the previous one (``cells`` over the raw text table, then
    ``squashed``, ``cleaned``) and adds columns, so every expensive step (whitespace, NA markers,
    number and date parsing) is computed once per cell and later steps only name its result. One
    regex test per text cell (:data:`analytics.parsing.SUSPECT_TEXT`) tells the few cells with
    whitespace or a total word from the rest, which are taken as they are.

    ``texts`` are the cleaned texts of the mapped cells; ``present`` cheap tests that a mapped
    cell holds something; ``hints`` cheap tests that a row may be a total row; ``others`` the raw
    cells of unmapped columns, cleaned only when the cheap tests leave a doubt; ``raws`` the
    fields whose ``raw_<field>`` (the cell's text when its value could not be parsed) the report
    can show.
    """

    cells: list[str] = field(default_factory=lambda: ["__sheet", "__row"])
    squashed: list[str] = field(default_factory=list)
    cleaned: list[str] = field(default_factory=list)
    typed: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    raws: set[str] = field(default_factory=set)

    def parsed_field(self, fld: str, column: str, parse_sql: str, keep_text: bool) -> None:
        """A number or date field: the parsed value, and the cell's text when it did not parse."""
        value, text, cell = _quote(f"v:{fld}"), _quote(f"t:{fld}"), _quote(f"c:{fld}")
        self.cells += [f"{parse_sql} as {value}", f"{_quote(column)} as {cell}"]
        text_of = f"ka_text({cell})"
        self.squashed.append(
            f"{text_of} as {text}" if keep_text else f"case when {value} is null then {text_of} end as {text}"
        )
        self.present += [f"{value} is not null", f"{text} is not null"]
        self.hints.append(f"({value} is null and {text} is not null)")  # a number or a date is no label
        self.texts.append(text)
        self.typed += [f"{value} as {_quote(fld)}", f"{text} as raw_{fld}"]
        self.outputs += [_quote(fld), f"raw_{fld}"]
        self.raws.add(fld)

    def text_field(self, fld: str, column: str, value_of: Callable[[str], str] = lambda text: text) -> None:
        """A text field: the cell's cleaned text (``value_of`` may transform it)."""
        cell, suspect = _quote(f"c:{fld}"), _quote(f"x:{fld}")
        squashed, hint, text = _quote(f"s:{fld}"), _quote(f"h:{fld}"), _quote(f"t:{fld}")
        self.cells += [f"{_quote(column)} as {cell}", f"regexp_matches({cell}, '{parsing.SUSPECT_TEXT}') as {suspect}"]
        self.squashed += [
            f"case when {suspect} then ka_squash({cell}) else {cell} end as {squashed}",
            f"case when {suspect} then regexp_matches({cell}, '{parsing.TOTAL_ROW_HINT}') else false end as {hint}",
        ]
        self.cleaned.append(f"ka_text_of({squashed}) as {text}")
        self.present.append(f"{text} is not null")
        self.hints.append(hint)
        self.texts.append(text)
        self.typed.append(f"{value_of(text)} as {_quote(fld)}")
        self.outputs.append(_quote(fld))

    def fixed_field(self, fld: str, sql: str) -> None:
        """A field that is the same for every row (a constant, or null when the file lacks it)."""
        self.typed.append(f"{sql} as {_quote(fld)}")
        self.outputs.append(_quote(fld))

    def other_column(self, column: str) -> None:
        """An unmapped column: it only makes a row non-empty or a total row."""
        cell = _quote(f"u:{len(self.others)}")
        self.cells.append(f"{_quote(column)} as {cell}")
        self.others.append(cell)

    def dimension(self, column: str) -> None:
        """A survey dimension score (an unmapped column of numbers)."""
        name = _quote(loader.DIMENSION_PREFIX + column)
        self.cells.append(f"ka_amount({_quote(column)}) as {name}")
        self.typed.append(name)
        self.outputs.append(name)

    def flags(self) -> list[str]:
        """``is_nonempty`` and ``is_total`` of a row, from the cleaned columns.

        CASE branches run only for the rows that reach them, so unmapped cells are cleaned, and the
        total-row pattern tried, for the few rows the cheap tests leave in doubt.
        """
        cheap = " or ".join(self.present) or "false"
        lazy = " ".join(f"when ka_text({cell}) is not null then true" for cell in self.others)
        nonempty = f"case when {cheap} then true {lazy} else false end"
        pattern = parsing.TOTAL_ROW_PATTERN.replace("'", "''")
        texts = [*self.texts, *(f"ka_text({cell})" for cell in self.others)]
        total = " or ".join(f"coalesce(regexp_full_match({text}, '{pattern}'), false)" for text in texts)
        hinted = f"when {' or '.join(self.hints)} then {total}" if self.hints else ""
        if self.others:
            row_text = f"concat_ws(' ', {', '.join(self.others)})"
            hinted += f" when regexp_matches({row_text}, '{parsing.TOTAL_ROW_HINT}') then {total}"
        is_total = f"case {hinted} else false end" if hinted else "false"
        return [f"{nonempty} as is_nonempty", f"{is_total} as is_total"]


def _parse_sql(
    insp: Inspection,
    mapping: Mapping[str, str],
    constants: Mapping[str, str],
    orders: Mapping[str, parsing.DateOrder | None],
    dims: list[str],
    numeric_ids: bool,
    derived_amount: bool,
    reasons: list[str],
    with_formula_blanks: bool,
) -> str:
    """The one statement that parses and validates every row of ``raw`` (see :class:`_ParsePass`)."""
    work = _ParsePass()
    keep_text = {"overall"} | ({"quantity", "unit_price"} if derived_amount else set())
    for fld, sql_type in loader.CANONICAL_COLUMNS[insp.kind].items():
        column = mapping.get(fld)
        if fld == "amount" and derived_amount:
            continue
        if fld in constants:
            work.fixed_field(fld, f"cast('{constants[fld].replace(chr(39), chr(39) * 2)}' as {sql_type})")
        elif column is None:
            work.fixed_field(fld, f"cast(null as {sql_type})")
        elif fld in DATE_FIELDS:
            date_sql = parsing.date_sql(_quote(column), orders.get(fld), insp.date1904)
            work.parsed_field(fld, column, date_sql, fld in keep_text)
        elif fld in NUMBER_FIELDS:
            work.parsed_field(fld, column, f"ka_amount({_quote(column)})", fld in keep_text)
        elif fld == "customer" and numeric_ids:
            work.text_field(fld, column, lambda text: f"regexp_replace({text}, '\\.0+$', '')")
        else:
            work.text_field(fld, column)
    used = set(mapping.values())
    for column in insp.headers:
        if column not in used:
            work.other_column(column)
    for dim in dims:
        work.dimension(dim)
    if derived_amount:
        work.raws.add("amount")
    # a field the reasons name but the file does not have (a constant) has no raw text
    for fld in (REQUIRED_DATE.get(insp.kind, ""), "amount", "overall"):
        if fld and fld not in work.raws and fld in loader.CANONICAL_COLUMNS[insp.kind]:
            work.typed.append(f"cast(null as varchar) as raw_{fld}")
    formula = (
        """exists (select 1 from formula_blanks as f
                   where f.required and f.sheet = flagged.__sheet and f.row = flagged.__row)"""
        if with_formula_blanks
        else "false"
    )
    derived = (
        ", round(quantity * unit_price, 4) as amount, concat_ws(' × ', raw_quantity, raw_unit_price) as raw_amount"
        if derived_amount
        else ""
    )
    outputs = [*work.outputs, *(["amount", "raw_amount"] if derived_amount else [])]
    return f"""
        with cells as (
            select {", ".join(work.cells)} from raw
        ),
        squashed as (
            select *{"".join(", " + c for c in work.squashed)} from cells
        ),
        cleaned as (
            select *{"".join(", " + c for c in work.cleaned)} from squashed
        ),
        flagged as (
            select *, {", ".join(work.flags())} from cleaned
        ),
        typed as (
            select __sheet, __row, is_nonempty, is_total, {formula} as is_formula_blank,
                   {", ".join(work.typed)} from flagged
        ),
        derived as (
            select *{derived} from typed
        ),
        final as (
            select *, case when not is_nonempty then '{_EMPTY}' {" ".join(reasons)} end as reason from derived
        )
        select __sheet, __row, {", ".join(dict.fromkeys(outputs))}, reason from final
    """


def prepare(
    insp: Inspection,
    *,
    mapping: Mapping[str, str] | None = None,
    constants: Mapping[str, str] | None = None,
    date_order: parsing.DateOrder | None = None,
    survey_scale: tuple[float, float] | None = None,
    progress: Progress | None = None,
) -> Prepared:
    """Parse and validate every row; raises :class:`IngestError` for whole-file problems.

    One SQL pass over the text table (:func:`_parse_sql`, both cores) gives every row its typed
    fields and its reason (none: usable); the result stays in Arrow from the reader to the store.
    """
    mapping = dict(insp.mapping if mapping is None else mapping)
    constants = {**insp.suggested_constants, **(constants or {})}
    for fld in constants:
        if fld not in loader.CANONICAL_COLUMNS[insp.kind]:
            raise IngestError("bad_constant", field=fld, kind=insp.kind)
    mapping = {f: c for f, c in mapping.items() if f not in constants}
    _check_mapping(insp, {**mapping, **dict.fromkeys(constants, insp.headers[0])})
    with _stage(progress, "check", insp.data.num_rows) as step:
        con = parsing.staging_connection()
        try:
            prepared = _prepare_on(con, insp, mapping, constants, date_order, survey_scale)
        finally:
            con.close()
        step.rows = len(prepared.frame)
    return prepared


def _prepare_on(
    con: duckdb.DuckDBPyConnection,
    insp: Inspection,
    mapping: dict[str, str],
    constants: dict[str, str],
    date_order: parsing.DateOrder | None,
    survey_scale: tuple[float, float] | None,
) -> Prepared:
    con.register("raw", insp.data)
    orders = _date_orders(con, mapping, date_order)
    derived_amount = insp.kind == "ledger" and "amount" not in mapping and "amount" not in constants
    dims = _survey_dimensions(con, insp, mapping) if insp.kind == "surveys" else []
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

    reasons = [
        "when is_total then 'total_row'",
        "when is_formula_blank then 'formula_no_value'",
        "when customer is null then 'missing_customer'",
    ]
    date_field = REQUIRED_DATE.get(insp.kind)
    if date_field:
        reasons += [
            f"when {date_field} is null and raw_{date_field} is null then 'missing_date'",
            f"when {date_field} is null then 'bad_date'",
        ]
    if insp.kind == "ledger":
        reasons += [
            "when amount is null and raw_amount is null then 'missing_amount'",
            "when amount is null then 'bad_amount'",
        ]
    if insp.kind == "surveys" and scale is not None:
        low, high = (float(v) for v in scale)
        reasons += [
            "when overall is null and raw_overall is null then 'missing_score'",
            f"when overall is null or overall < {low!r} or overall > {high!r} then 'bad_score'",
            "when recommend is not null and (recommend < 0 or recommend > 10) then 'bad_score'",
        ]
    blanks = _formula_blanks(insp, mapping, derived_amount) if insp.formula_blanks else None
    if blanks is not None:
        con.register("formula_blanks", blanks)
    numeric_ids = "customer" in mapping and _numeric_ids(con, mapping["customer"])
    sql = _parse_sql(insp, mapping, constants, orders, dims, numeric_ids, derived_amount, reasons, blanks is not None)
    parsed = con.sql(sql).to_arrow_table()
    con.unregister("raw")
    con.register("parsed", parsed)

    counts = con.execute(
        f"select reason, count(*) from parsed where reason is distinct from '{_EMPTY}' group by reason order by reason"
    ).fetchall()
    rows_read = sum(int(n) for _, n in counts)
    skipped = {str(reason): int(n) for reason, n in counts if reason is not None}
    bad_rows = _bad_rows(con, insp, mapping, parsed, derived_amount, date_field)
    warnings: dict[str, int] = {}
    if blanks is not None:
        row = store.fetch_one(
            con,
            """
            select count(*) from parsed as p
            where p.reason is null
              and exists (select 1 from formula_blanks as f where f.sheet = p.__sheet and f.row = p.__row)
            """,
        )
        if row and row[0]:
            warnings["formula_no_value"] = int(row[0])
    checked = sorted(
        fld
        for fld in parsed.column_names
        if fld in NUMBER_FIELDS | DATE_FIELDS
        and f"raw_{fld}" in parsed.column_names
        and fld not in (date_field, "amount", "overall")
    )
    if checked:
        counted = ", ".join(f"count(*) filter (where raw_{f} is not null and {_quote(f)} is null)" for f in checked)
        row = store.fetch_one(con, f"select {counted} from parsed where reason is null")
        warnings.update({f"bad_{f}": int(n) for f, n in zip(checked, row or (), strict=False) if n})

    keep = [*loader.CANONICAL_COLUMNS[insp.kind], *[loader.DIMENSION_PREFIX + d for d in dims]]
    usable = parsed if rows_read == parsed.num_rows and not skipped else parsed.filter(pc.is_null(parsed["reason"]))
    frame = usable.select([*keep, "__row"]).rename_columns([*keep, "source_row"]).to_pandas(types_mapper=pd.ArrowDtype)
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


def _bad_rows(
    con: duckdb.DuckDBPyConnection,
    insp: Inspection,
    mapping: Mapping[str, str],
    parsed: pa.Table,
    derived_amount: bool,
    date_field: str | None,
) -> pd.DataFrame:
    """The report: sheet, file row, reason, column and cell text of every unusable row (not totals)."""
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
        if f"raw_{fld}" in parsed.column_names:
            value_case.append(f"when '{reason}' then raw_{fld}")
    value_sql = f"case reason {' '.join(value_case)} else null end" if value_case else "cast(null as varchar)"
    bad_rows = con.execute(
        f"""
        select __sheet as sheet, __row as row, reason,
               case reason {" ".join(column_case)} else '' end as column,
               {value_sql} as value
        from parsed where reason not in ('total_row', '{_EMPTY}')
        order by __sheet, __row
        """
    ).df()
    _describe_formula_blanks(bad_rows, insp)
    return bad_rows


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
    progress: Progress | None = None,
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
    with _stage(progress, "store", len(prepared.frame)) as step:
        stored = loader.store_frame(
            con,
            prepared.frame,
            meta,
            skip_stored_lines="order_id" in prepared.mapping,
            replace_slice=replace_slice,
        )
        step.rows = stored.rows_stored
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
    survey_scale: tuple[float, float] | None = None,
    overlap: str | None = None,
    strict: bool = False,
    lang: str = "en",
    uploaded_by: str | None = None,
    restrict: Callable[[Prepared], Prepared] | None = None,
    progress: Progress | None = None,
) -> IngestResult:
    """Inspect, prepare and commit one file; every whole-file problem becomes a rejected result.

    ``survey_scale`` is a survey's confirmed score scale (else the smallest standard one that holds
    the scores). ``restrict`` may drop rows of the prepared upload before it is stored (the
    uploader's region scope, :func:`analytics.access.restrict_upload`); it may raise
    :class:`IngestError`. ``progress`` hears of each stage (:class:`Step`) as it starts and ends.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
        insp = inspect_file(data, path.name, kind=kind, sheet=sheet, con=con, progress=progress)
        del data  # the parsed table holds what is needed; the bytes would only add to the peak
        duplicate = find_duplicate(con, insp.file_hash)
        if duplicate is not None:
            return _result(None, path.name, "duplicate", "duplicate", lang, upload_id=duplicate)
        full_mapping = {**insp.mapping, **(mapping or {})}
        prepared = prepare(
            insp,
            mapping=full_mapping,
            constants=constants,
            date_order=date_order,
            survey_scale=survey_scale,
            progress=progress,
        )
        # the cells are parsed: let their memory go before the store needs its own
        prepared.inspection = dataclasses.replace(insp, data=insp.data.schema.empty_table())
        del insp
        if restrict is not None:
            prepared = restrict(prepared)
        return commit(
            con, prepared, overlap=overlap, strict=strict, lang=lang, uploaded_by=uploaded_by, progress=progress
        )
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
