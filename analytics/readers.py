"""Read an uploaded file into text tables, one per sheet, without trusting it.

The file type is sniffed from its bytes, not its name. Workbooks (.xlsx, legacy .xls) go through
fastexcel (Rust calamine → Arrow), every cell rendered as text so that one parsing step
(:mod:`analytics.parsing`) handles numbers and dates from every source alike. Before an .xlsx is
parsed its zip directory and each sheet's used range are checked: calamine materialises a sheet
as a dense grid from row 1 down to its last cell, so a sheet whose used range reaches XFD1048576
(or just row 1048576 over a few hundred columns) aborts the whole process, and a zip bomb would
exhaust memory. CSV text is decoded as UTF-8 (with or without BOM), UTF-16 (BOM) or GB18030 (a
superset of GBK), and its delimiter is sniffed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from typing import IO

import charset_normalizer
import fastexcel
import pyarrow as pa
import pyarrow.csv as pacsv

from analytics.errors import IngestError
from analytics.synonyms import header_score

MAX_UNCOMPRESSED_BYTES = 2_000_000_000
MAX_COMPRESSION_RATIO = 200
MAX_SHEET_CELLS = 60_000_000
MAX_SHEET_COLUMNS = 500
HEADER_SCAN_ROWS = 30

# The declared used range, in either quote style and after any other attribute.
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\sref\s*=\s*["\']([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?["\']')
# Cell and row references, for a sheet that declares no used range (the element is optional).
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr\s*=\s*["\']([A-Z]{1,3})(\d{1,7})["\']')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr\s*=\s*["\'](\d{1,7})["\']')


@dataclass(frozen=True)
class RawSheet:
    """One sheet (or the whole CSV) as text: ``table`` columns are ``c0 … cN`` in file order.

    ``first_row`` is the 1-based row number, in the user's file, of the table's first row. Sheets
    are read from row 1 (leading empty rows included), so it is 1 for every source today.
    """

    name: str
    visible: bool
    table: pa.Table
    first_row: int


@dataclass(frozen=True)
class Workbook:
    """Everything read from one file."""

    file_format: str  # "xlsx", "xls" or "csv"
    sheets: list[RawSheet]
    date1904: bool = False
    encoding: str | None = None
    delimiter: str | None = None


def file_hash(data: bytes) -> str:
    """SHA-256 of the file's bytes: the identity used to detect a re-upload."""
    return hashlib.sha256(data).hexdigest()


def sniff_format(data: bytes) -> str:
    """What the bytes are: xlsx, xls, encrypted, html, csv, or unknown (binary)."""
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # OLE2: legacy .xls, or an encrypted (password-protected) .xlsx container.
        return (
            "encrypted"
            if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data[:65536]
            else "xls"
        )
    text_head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text_head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return "html"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "unknown"
    return "csv"


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.decode():
        n = n * 26 + (ord(ch) - 64)
    return n


def _scan_extent(handle: IO[bytes]) -> tuple[int, int, int]:
    """(first column, last column, last row) of the cells in a sheet's XML, read in chunks."""
    first_col, last_col, last_row = 0, 0, 0
    tail = b""
    while True:
        chunk = handle.read(1 << 20)
        buffer = tail + chunk
        # A tag cut by the chunk boundary is left for the next round (all of it at the end).
        cut = buffer.rfind(b"<") if chunk else len(buffer)
        cut = cut if cut > 0 else len(buffer)
        block, tail = buffer[:cut], buffer[cut:]
        for letters, row in _CELL_REF.findall(block):
            column = _column_number(letters)
            first_col = min(first_col or column, column)
            last_col, last_row = max(last_col, column), max(last_row, int(row))
        for row in _ROW_REF.findall(block):
            last_row = max(last_row, int(row))
        if not chunk:
            return first_col or 1, last_col or 1, last_row


def _check_xlsx(data: bytes) -> bool:
    """Refuse zip bombs, DTDs and absurd used ranges; return whether the workbook uses the 1904 epoch."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise IngestError("corrupt_file") from exc
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise IngestError("file_too_large_unpacked", size_mb=total // 1_000_000)
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO and info.file_size > 50e6:
            raise IngestError("zip_bomb")
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise IngestError("not_a_workbook")
    workbook_xml = archive.read("xl/workbook.xml")
    if b"<!DOCTYPE" in workbook_xml or b"<!ENTITY" in workbook_xml:
        raise IngestError("xml_dtd")
    date1904 = bool(re.search(rb'date1904="(1|true)"', workbook_xml))
    for name in names:
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        with archive.open(name) as handle:
            head = handle.read(65536)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise IngestError("xml_dtd")
        match = _DIMENSION.search(head)
        if match:
            first_col = _column_number(match.group(1))
            last_col = _column_number(match.group(3)) if match.group(3) else first_col
            last_row = int(match.group(4)) if match.group(4) else int(match.group(2))
        else:
            with archive.open(name) as handle:
                first_col, last_col, last_row = _scan_extent(handle)
        # Rows count from row 1, not from the range's first row: the sheet is read from row 1.
        columns, rows = last_col - first_col + 1, last_row
        if columns > MAX_SHEET_COLUMNS or columns * rows > MAX_SHEET_CELLS:
            raise IngestError("sheet_too_large", rows=rows, columns=columns)
    return date1904


def _read_excel(data: bytes, file_format: str) -> Workbook:
    date1904 = _check_xlsx(data) if file_format == "xlsx" else False
    try:
        reader = fastexcel.read_excel(data)
        sheets = []
        for index, name in enumerate(reader.sheet_names):
            # skip_rows=0 keeps leading empty rows, so the table's first row is the sheet's row 1
            # whatever the declared used range says.
            sheet = reader.load_sheet(index, header_row=None, skip_rows=0, dtypes="string")
            table = pa.table(sheet.to_arrow())
            table = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
            sheets.append(RawSheet(name=name, visible=sheet.visible == "visible", table=table, first_row=1))
    except IngestError:
        raise
    except Exception as exc:  # calamine reports corrupt or unsupported workbooks in many ways
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise IngestError("password_protected") from exc
        raise IngestError("corrupt_file", detail=str(exc)[:200]) from exc
    return Workbook(file_format=file_format, sheets=sheets, date1904=date1904)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (BOM or not), UTF-16 with BOM, GB18030, else the best guess."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise IngestError("unknown_encoding")
    return str(best), best.encoding


def sniff_delimiter(text: str) -> str:
    """The CSV delimiter among , ; tab | — the one that splits the sample most consistently."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: min(line.count(d) for line in lines[:20]) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] > 0 else ","


def _csv_table(text: str, delimiter: str) -> pa.Table:
    """All cells as text, one row per line of the file (blank lines included).

    Arrow's multi-threaded reader when every line has the same width (about 10× faster); Python's
    csv module for ragged files (title lines above the header).
    """
    first_lines = [line for line in text.splitlines()[:200] if line.strip()]
    widths = {len(row) for row in csv.reader(first_lines, delimiter=delimiter)}
    if len(widths) == 1:
        width = widths.pop()
        names = [f"c{i}" for i in range(width)]
        try:
            return pacsv.read_csv(
                io.BytesIO(text.encode("utf-8")),
                read_options=pacsv.ReadOptions(column_names=names),
                # blank lines stay (as empty rows) so that row numbers match the file's lines
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowInvalid:
            pass  # a ragged line further down: fall back to the tolerant reader
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = max((len(r) for r in rows), default=0)
    columns = {f"c{i}": pa.array([r[i] if i < len(r) else None for r in rows], type=pa.string()) for i in range(width)}
    return pa.table(columns) if columns else pa.table({"c0": pa.array([], type=pa.string())})


def _read_csv(data: bytes) -> Workbook:
    text, encoding = decode_text(data)
    delimiter = sniff_delimiter(text)
    return Workbook(
        file_format="csv",
        sheets=[RawSheet(name="csv", visible=True, table=_csv_table(text, delimiter), first_row=1)],
        encoding=encoding,
        delimiter=delimiter,
    )


def read_workbook(data: bytes) -> Workbook:
    """Read any supported upload into text tables, or raise :class:`IngestError` saying why not."""
    if not data:
        raise IngestError("empty_file")
    file_format = sniff_format(data)
    if file_format in ("xlsx", "xls"):
        return _read_excel(data, file_format)
    if file_format == "csv":
        return _read_csv(data)
    raise IngestError({"encrypted": "password_protected", "html": "html_file"}.get(file_format, "unknown_format"))


def find_header_row(table: pa.Table) -> int | None:
    """Index of the row that looks most like a header among the first rows (None if none does).

    A header row has at least two cells that match known column synonyms; title rows such as
    "2024年华东区销售明细表" score at most one.
    """
    best_index, best_score = None, 1
    for index, row in enumerate(table.slice(0, HEADER_SCAN_ROWS).to_pylist()):
        score = header_score(row.values())
        if score > best_score:
            best_index, best_score = index, score
    return best_index
