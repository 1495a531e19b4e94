"""Read an uploaded file into text tables, one per sheet, without trusting it.

The file type is sniffed from its bytes, not its name. Workbooks (.xlsx, legacy .xls) go through
fastexcel (Rust calamine → Arrow), every cell rendered as text so that one parsing step
(:mod:`analytics.parsing`) handles numbers and dates from every source alike. CSV text is decoded
as UTF-8 (with or without BOM), UTF-16 (BOM) or GB18030 (a superset of GBK), and its delimiter is
sniffed. Formulas are never evaluated: calamine reads the value Excel cached when it saved the
file; a formula cell without a cached value is listed (:attr:`RawSheet.formula_cells`).

Nothing here protects the process itself: a reader bug or an allocation the checks did not
foresee can still abort it. The server and the CLI therefore call :func:`read_workbook` only in a
disposable child process (:mod:`analytics.sandbox`). The checks below make the refusals precise
and cheap — a named reason instead of a dead parser:

* OLE2 containers: an encrypted workbook (an ``EncryptionInfo`` stream, or a legacy .xls whose
  globals carry a FILEPASS record) is named as password-protected, not as damaged.
* .xlsx, before parsing: the zip directory (declared sizes against a total and a compression
  ratio cap: a zip bomb), every XML part's prolog (no DOCTYPE/ENTITY declarations: billion laughs,
  XXE), every sheet's declared used range (calamine materialises a sheet as a dense grid from row
  1 down to its last cell, so a sheet whose used range reaches XFD1048576 aborts the process).
* .xlsx, while fastexcel parses (a thread; zlib releases the GIL): every part is inflated from its
  raw stream to check the *actual* sizes against the declared ones (a zip whose directory
  understates its sizes is a "size liar") and each sheet's real extent against its declared
  ``<dimension>`` (which may lie too), and formula cells without a cached value are collected.
* After parsing: every sheet's real shape against the cell caps.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import posixpath
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
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
MAX_CSV_CELL = 1 << 30  # characters
MAX_HEADER_CELL = 200  # characters; a header cell scores only when it normalises to ≤ 30
PROLOG_BYTES = 65536  # an XML part's root element must start within its first 64 KiB
# Up to this many unpacked bytes the full scan runs before parsing (≤ ~0.2 s), so its verdict
# never races the parser's; above, it runs alongside fastexcel.
SEQUENTIAL_SCAN_BYTES = 64_000_000
MAX_FORMULA_CELLS = 1000  # formula cells without a cached value listed per sheet (the rest counted)

# The declared used range, in either quote style and after any other attribute.
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\sref\s*=\s*["\']([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?["\']')
# Cell and row references, for a sheet that declares no used range (the element is optional).
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr\s*=\s*["\']([A-Z]{1,3})(\d{1,7})["\']')
_ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr\s*=\s*["\'](\d{1,7})["\']')
_ROOT_PREFIX = re.compile(rb"<(\w+:)?worksheet\b")
# A formula cell whose cached value is missing or empty: <c …><f>…</f></c>, <v/> or <v></v>.
_FORMULA_NO_VALUE = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*(?:/>|>[^<]*</(?:\w+:)?f>)\s*"
    rb"(?:<(?:\w+:)?v\b[^>]*/>|<(?:\w+:)?v\b[^>]*>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)
_REF_ATTR = re.compile(rb'\sr\s*=\s*["\']([A-Z]{1,3}\d{1,7})["\']')
# Whitespace, the XML declaration, processing instructions and comments before the root element.
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
_SHEET_ELEMENT = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# What Python's zipfile raises on a damaged archive (a bad CRC, an impossible version or offset).
_ZIP_DAMAGE = (zipfile.BadZipFile, NotImplementedError, EOFError, struct.error, ValueError, OSError, zlib.error)
_INFLATE_CHUNK = 1 << 20


@dataclass(frozen=True)
class RawSheet:
    """One sheet (or the whole CSV) as text: ``table`` columns are ``c0 … cN`` in file order.

    ``first_row`` is the 1-based row number, in the user's file, of the table's first row. Sheets
    are read from row 1 (leading empty rows included), so it is 1 for every source today.
    ``formula_cells`` are the formula cells that have no cached value, so they read as empty (at
    most :data:`MAX_FORMULA_CELLS`): (reference such as ``"C7"``, 1-based row, index of the table
    column, -1 when outside the table).
    """

    name: str
    visible: bool
    table: pa.Table
    first_row: int
    formula_cells: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True)
class Workbook:
    """Everything read from one file."""

    file_format: str  # "xlsx", "xls" or "csv"
    sheets: list[RawSheet]
    date1904: bool = False
    encoding: str | None = None
    delimiter: str | None = None


# Called by the scanning thread the moment it finds a reason to refuse the file, while fastexcel may
# still be parsing; the sandbox child uses it to report and exit at once (a zip bomb found early).
FailFast = Callable[[IngestError], None]


def file_hash(data: bytes) -> str:
    """SHA-256 of the file's bytes: the identity used to detect a re-upload."""
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------------------ OLE2 containers


class _Compound:
    """Just enough of an OLE2 compound file (MS-CFB) to list its streams and read one's first bytes.

    Every sector number is bounds-checked and every chain is cut at the number of sectors in the
    file, so a hostile container raises ``ValueError`` instead of looping or reading past the end.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.sector_size = 1 << self._u16(0x1E)
        if self.sector_size not in (512, 4096):
            raise ValueError("not a compound file")
        self.mini_size = 1 << self._u16(0x20)
        self.mini_cutoff = self._u32(0x38)
        self.sector_count = max(0, len(data) // self.sector_size - 1)
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C)[: self._u32(0x2C)]]
        difat, per_sector = self._u32(0x44), self.sector_size // 4 - 1
        for _ in range(self.sector_count):
            if difat >= 0xFFFFFFFA:
                break
            entries = struct.unpack_from(f"<{per_sector + 1}I", data, self._offset(difat))
            fat_sectors += [s for s in entries[:per_sector] if s < 0xFFFFFFFA]
            difat = entries[per_sector]
        self.fat = [n for s in fat_sectors for n in self._sector_u32s(s)]
        self.entries: dict[str, tuple[int, int]] = {}  # stream name → (start sector, size)
        root: tuple[int, int] | None = None
        for sector in self._chain(self._u32(0x30), self.fat):
            base = self._offset(sector)
            for at in range(base, base + self.sector_size, 128):
                length = min(struct.unpack_from("<H", data, at + 0x40)[0], 64)
                name = data[at : at + max(0, length - 2)].decode("utf-16-le", "replace")
                kind, start, size = data[at + 0x42], *struct.unpack_from("<II", data, at + 0x74)
                if kind == 5:
                    root = (start, size)
                elif kind == 2:
                    self.entries[name] = (start, size)
        if root is None:
            raise ValueError("no root entry")
        self.mini_stream = list(self._chain(root[0], self.fat))
        self.mini_fat = [n for s in self._chain(self._u32(0x3C), self.fat) for n in self._sector_u32s(s)]

    def _u16(self, at: int) -> int:
        return int(struct.unpack_from("<H", self.data, at)[0])

    def _u32(self, at: int) -> int:
        return int(struct.unpack_from("<I", self.data, at)[0])

    def _offset(self, sector: int) -> int:
        if sector >= self.sector_count:
            raise ValueError("sector out of range")
        return (sector + 1) * self.sector_size

    def _sector_u32s(self, sector: int) -> tuple[int, ...]:
        return struct.unpack_from(f"<{self.sector_size // 4}I", self.data, self._offset(sector))

    def _chain(self, start: int, table: list[int]) -> Iterator[int]:
        sector = start
        for _ in range(len(table) + 1):
            if sector >= 0xFFFFFFFA:
                return
            if sector >= len(table):
                raise ValueError("broken sector chain")
            yield sector
            sector = table[sector]
        raise ValueError("sector chain loops")

    def head(self, name: str, limit: int) -> bytes:
        """Up to ``limit`` first bytes of a stream."""
        start, size = self.entries[name]
        limit = min(limit, size)
        out = bytearray()
        if size < self.mini_cutoff:
            for mini in self._chain(start, self.mini_fat):
                position = mini * self.mini_size
                sector = self.mini_stream[position // self.sector_size]
                at = self._offset(sector) + position % self.sector_size
                out += self.data[at : at + self.mini_size]
                if len(out) >= limit:
                    break
        else:
            for sector in self._chain(start, self.fat):
                out += self.data[self._offset(sector) : self._offset(sector) + self.sector_size]
                if len(out) >= limit:
                    break
        return bytes(out[:limit])


def _biff_has_filepass(stream: bytes) -> bool:
    """Whether a BIFF workbook stream's globals carry a FILEPASS record (the file is encrypted)."""
    position = 0
    while position + 4 <= len(stream):
        record, length = struct.unpack_from("<HH", stream, position)
        if record == 0x002F:
            return True
        if record == 0x000A:  # EOF of the globals substream
            return False
        position += 4 + length
    return False


def _sniff_ole2(data: bytes) -> str:
    """xls, encrypted (an encrypted .xlsx package or a password-protected .xls) or unknown."""
    try:
        container = _Compound(data)
        names = {n.lower(): n for n in container.entries}  # stream names are case-insensitive
        if names.keys() & {"encryptioninfo", "encryptedpackage"}:
            return "encrypted"
        book = names.get("workbook", names.get("book"))
        if book is None:
            return "unknown"  # a Word document or another OLE2 file with an Excel name
        return "encrypted" if _biff_has_filepass(container.head(book, 16384)) else "xls"
    except (ValueError, KeyError, IndexError, struct.error):
        # not a well-formed container: let the name search decide, calamine will judge the rest
        return "encrypted" if "EncryptionInfo".encode("utf-16-le") in data[:65536] else "xls"


def sniff_format(data: bytes) -> str:
    """What the bytes are: xlsx, xls, encrypted, html, csv, or unknown (binary)."""
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(_OLE2_MAGIC):
        return _sniff_ole2(data)
    text_head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text_head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return "html"
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "unknown"
    return "csv"


# ---------------------------------------------------------------------------------- xlsx checks


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


def _check_extent(columns: int, rows: int) -> None:
    # Rows count from row 1, not from the range's first row: the sheet is read from row 1.
    if columns > MAX_SHEET_COLUMNS or columns * rows > MAX_SHEET_CELLS:
        raise IngestError("sheet_too_large", rows=rows, columns=columns)


def _raw_stream(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The compressed bytes of one zip member, located through its local header."""
    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04":
        raise IngestError("corrupt_file")
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_length + extra_length
    if begin + info.compress_size > len(data):
        raise IngestError("corrupt_file")
    return memoryview(data)[begin : begin + info.compress_size]


def _inflate(data: bytes, info: zipfile.ZipInfo, limit: int) -> Iterator[bytes]:
    """A member's bytes as they really inflate, ≤ 1 MiB at a time, stopping after ``limit`` bytes.

    The raw deflate stream is decoded to its end, whatever size the zip directory declares, which
    is what a streaming reader such as calamine's does; ``limit`` bounds the work on a bomb.
    """
    if info.flag_bits & 0x1:
        raise IngestError("password_protected")
    raw = _raw_stream(data, info)
    if info.compress_type == zipfile.ZIP_STORED:
        for start in range(0, min(len(raw), limit), _INFLATE_CHUNK):
            yield bytes(raw[start : min(start + _INFLATE_CHUNK, limit)])
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise IngestError("corrupt_file", detail=f"compression method {info.compress_type}")
    inflater, produced = zlib.decompressobj(-15), 0
    try:
        for start in range(0, len(raw), _INFLATE_CHUNK):
            pending: bytes | memoryview = raw[start : start + _INFLATE_CHUNK]
            while pending and not inflater.eof:
                chunk = inflater.decompress(pending, _INFLATE_CHUNK)
                pending = inflater.unconsumed_tail
                produced += len(chunk)
                yield chunk
                if produced >= limit:
                    return
            if inflater.eof:
                return
        yield inflater.flush()
    except zlib.error as exc:
        raise IngestError("corrupt_file", detail=str(exc)[:200]) from exc


def _member(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """A whole (small) member, refused when it unpacks to more than its declared size."""
    content = b"".join(_inflate(data, info, info.file_size + 1))
    if len(content) > info.file_size:
        raise IngestError("zip_size_mismatch", member=info.filename, declared=info.file_size)
    return content


def _check_prolog(head: bytes, part_size: int) -> None:
    """Refuse a DOCTYPE (and so any ENTITY declaration) before an XML part's root element."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        head = head.decode("utf-16", "replace").encode()  # a UTF-16 part must not hide its DTD
    upper = head.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise IngestError("xml_dtd")
    rest = head[_PROLOG.match(head).end() :]  # type: ignore[union-attr]  # the pattern matches ""
    # the root element must start within the head: a longer prolog could hide a DTD beyond it
    if (not rest or rest.startswith((b"<!", b"<?"))) and part_size > len(head):
        raise IngestError("corrupt_file", detail="XML prolog longer than 64 KiB")


def _attribute(attributes: bytes, name: bytes) -> str | None:
    match = re.search(rb"(?:^|\s)(?:\w+:)?" + name + rb'\s*=\s*["\']([^"\']*)["\']', attributes)
    return html.unescape(match.group(1).decode("utf-8", "replace")) if match else None


def _sheet_parts(workbook_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    """Sheet name → zip member of its XML, from xl/workbook.xml and its relationships."""
    targets: dict[str, str] = {}
    for match in _RELATIONSHIP.finditer(rels_xml):
        rel_id, target = _attribute(match.group(1), b"Id"), _attribute(match.group(1), b"Target")
        if rel_id and target:
            targets[rel_id] = posixpath.normpath(target.lstrip("/") if target.startswith("/") else "xl/" + target)
    parts: dict[str, str] = {}
    for match in _SHEET_ELEMENT.finditer(workbook_xml):
        name, rel_id = _attribute(match.group(1), b"name"), _attribute(match.group(1), b"id")
        if name is not None and rel_id in targets:
            parts[name] = targets[rel_id]
    return parts


@dataclass
class _SheetPlan:
    """A worksheet part as checked before parsing: its declared (or, without one, scanned) extent."""

    member: str
    first_col: int
    columns: int
    rows: int
    prefix: bytes  # the namespace prefix of the sheet's elements ("x:"), usually none
    formula_cells: list[str] = field(default_factory=list)
    _beyond: tuple[re.Pattern[bytes], re.Pattern[bytes]] | None = None

    def beyond(self) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
        """Patterns of a cell reference right of the last known column (``r="…"``, any quoting)."""
        if self._beyond is None:
            letters = _beyond_column(self.first_col + self.columns - 1)
            self._beyond = (
                re.compile(rb' r="(' + letters + rb")(\d{1,7})\""),
                re.compile(rb"\sr\s*=\s*[\"'](" + letters + rb")(\d{1,7})[\"']"),
            )
        return self._beyond

    def widen(self, last_col: int, row: int) -> None:
        """A cell at (``row``, ``last_col``) lies beyond the range: check the caps with the real extent."""
        self.columns = last_col - self.first_col + 1
        self.rows = max(self.rows, row)
        self._beyond = None
        _check_extent(self.columns, self.rows)


@dataclass
class _XlsxPlan:
    date1904: bool
    sheets: dict[str, _SheetPlan]  # zip member → plan
    sheet_members: dict[str, str]  # sheet name → zip member


def _check_xlsx(data: bytes) -> _XlsxPlan:
    """The cheap checks before parsing (see module docstring); returns what the full scan needs."""
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
    by_name = {i.filename: i for i in infos}
    if "xl/workbook.xml" not in by_name:
        raise IngestError("not_a_workbook")
    heads: dict[str, bytes] = {}
    for info in infos:  # every member: calamine follows relationships to parts of any name
        heads[info.filename] = b"".join(_inflate(data, info, PROLOG_BYTES))[:PROLOG_BYTES]
        _check_prolog(heads[info.filename], info.file_size)
    workbook_xml = _member(data, by_name["xl/workbook.xml"])
    rels = by_name.get("xl/_rels/workbook.xml.rels")
    rels_xml = _member(data, rels) if rels else b""
    date1904 = bool(re.search(rb'date1904\s*=\s*["\'](1|true)["\']', workbook_xml))
    sheet_members = _sheet_parts(workbook_xml, rels_xml)
    members = {n for n in by_name if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    plans: dict[str, _SheetPlan] = {}
    for name in sorted(members | (set(sheet_members.values()) & set(by_name))):
        match = _DIMENSION.search(heads[name])
        if match:
            first_col = _column_number(match.group(1))
            last_col = _column_number(match.group(3)) if match.group(3) else first_col
            last_row = int(match.group(4)) if match.group(4) else int(match.group(2))
        else:
            with archive.open(name) as handle:
                first_col, last_col, last_row = _scan_extent(handle)
        _check_extent(last_col - first_col + 1, last_row)
        root = _ROOT_PREFIX.search(heads[name])
        prefix = (root.group(1) or b"") if root else b""
        plans[name] = _SheetPlan(name, first_col, last_col - first_col + 1, last_row, prefix)
    return _XlsxPlan(date1904, plans, sheet_members)


def _letters(column: int) -> bytes:
    letters = b""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = bytes([65 + rest]) + letters
    return letters


def _beyond_column(column: int) -> bytes:
    """Regex alternatives matching exactly the column letters right of ``column`` (up to XFD)."""
    letters = _letters(max(1, min(column, 16384)))
    longer = [rb"[A-Z]{%d}" % n for n in range(len(letters) + 1, 4)]
    same = [
        letters[:i]
        + rb"[%c-Z]" % (letters[i] + 1)
        + (rb"[A-Z]{%d}" % (len(letters) - i - 1) if i + 1 < len(letters) else b"")
        for i in range(len(letters))
        if letters[i] < ord("Z")
    ]
    return b"|".join(longer + same) or rb"(?!)"


def _scan_sheet_block(block: bytes, plan: _SheetPlan) -> None:
    """Check one run of complete cells of a sheet against its plan; collect formulas without value.

    Each test is one C-speed search over the block with a literal first (~0.1 s per 100 MB): a
    cell right of the last known column (the declared range lied: the caps are checked again with
    the real width, and the search goes on from there), the last row, formula elements.
    """
    position = 0
    # single-quoted references are rare: a one-byte search (memchr) rules them out for most blocks
    single_quoted = b"'" in block and b"r='" in block
    while True:
        quoted, any_quote = plan.beyond()
        far = quoted.search(block, position) or (any_quote.search(block, position) if single_quoted else None)
        if far is None:
            break
        plan.widen(_column_number(far.group(1)), int(far.group(2)))
        position = far.start()
    last = block.rfind(b"row ")
    row = _ROW_REF.search(block, max(0, last - 8)) if last >= 0 else None
    if row and int(row.group(1)) > plan.rows:
        plan.rows = int(row.group(1))  # the declared range lied about the rows
        _check_extent(plan.columns, plan.rows)
    if b"<" + plan.prefix + b"f" in block and len(plan.formula_cells) <= MAX_FORMULA_CELLS:
        for cell in _FORMULA_NO_VALUE.finditer(block):
            ref = _REF_ATTR.search(b" " + cell.group(1))
            plan.formula_cells.append(ref.group(1).decode() if ref else "?")


def _scan_parts(data: bytes, plan: _XlsxPlan) -> None:
    """Inflate every member to its end: real sizes against declared ones, real extents, formulas."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    total = 0
    for info in archive.infolist():
        sheet = plan.sheets.get(info.filename)
        cell_end = b"</" + sheet.prefix + b"c>" if sheet else b""
        actual, tail = 0, b""
        for chunk in _inflate(data, info, MAX_UNCOMPRESSED_BYTES - total + 1):
            actual += len(chunk)
            if actual > info.file_size:
                raise IngestError("zip_size_mismatch", member=info.filename, declared=info.file_size)
            if sheet is None:
                continue
            block = tail + chunk
            # the cell that the chunk boundary cut into is carried over to the next round
            end = block.rfind(cell_end)
            cut = end + len(cell_end) if end >= 0 else (len(block) if len(block) > 16 * _INFLATE_CHUNK else 0)
            block, tail = block[:cut], block[cut:]
            _scan_sheet_block(block, sheet)
        if sheet is not None and tail:
            _scan_sheet_block(tail, sheet)
        if actual < info.file_size:
            raise IngestError("corrupt_file", detail=f"{info.filename} is truncated")
        total += actual


def _load_sheets(data: bytes, path: str | None = None) -> list[tuple[RawSheet, int]]:
    """Every sheet as a text table (fastexcel), each checked against the cell caps once read.

    With each sheet the 1-based column number of its first table column: rows are read from row 1
    (``skip_rows=0`` keeps leading empty rows, whatever the declared used range says), but the
    table starts at the leftmost column that holds a value. ``path``, a file holding ``data``, is
    read instead of the bytes: fastexcel copies bytes it is given (+ the file size at the peak).
    """
    try:
        reader = fastexcel.read_excel(path if path is not None else data)
        sheets = []
        for index, name in enumerate(reader.sheet_names):
            sheet = reader.load_sheet(index, header_row=None, skip_rows=0, dtypes="string")
            table = pa.Table.from_batches([sheet.to_arrow()])
            _check_extent(table.num_columns, table.num_rows)
            table = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
            columns = sheet.available_columns()
            first_column = columns[0].absolute_index + 1 if columns else 1
            raw = RawSheet(name=name, visible=sheet.visible == "visible", table=table, first_row=1)
            sheets.append((raw, first_column))
    except IngestError:
        raise
    except MemoryError as exc:
        raise IngestError("file_too_complex") from exc
    except Exception as exc:  # calamine reports corrupt or unsupported workbooks in many ways
        text = str(exc).lower()
        if "password" in text or "encrypt" in text:
            raise IngestError("password_protected") from exc
        raise IngestError("corrupt_file", detail=str(exc)[:200]) from exc
    return sheets


def _read_xlsx(data: bytes, fail_fast: FailFast | None, path: str | None) -> Workbook:
    plan = _check_xlsx(data)
    if sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()) <= SEQUENTIAL_SCAN_BYTES:
        _scan_parts(data, plan)
        sheets = _load_sheets(data, path)
    else:
        sheets = _parse_while_scanning(data, plan, fail_fast, path)
    formulas = {name: plan.sheets[member].formula_cells for name, member in plan.sheet_members.items()}
    return Workbook(
        file_format="xlsx",
        sheets=[_with_formulas(raw, first, formulas.get(raw.name, [])) for raw, first in sheets],
        date1904=plan.date1904,
    )


def _parse_while_scanning(
    data: bytes, plan: _XlsxPlan, fail_fast: FailFast | None, path: str | None
) -> list[tuple[RawSheet, int]]:
    """Parse with fastexcel on this thread and scan on another (zlib and fastexcel release the GIL)."""
    scan_errors: list[IngestError] = []

    def scan() -> None:
        try:
            _scan_parts(data, plan)
        except IngestError as exc:
            scan_errors.append(exc)
            if fail_fast is not None:
                fail_fast(exc)
        except MemoryError:
            scan_errors.append(IngestError("file_too_complex"))

    scanner = threading.Thread(target=scan, name="xlsx-scan", daemon=True)
    scanner.start()
    try:
        sheets = _load_sheets(data, path)
    except IngestError as exc:
        scanner.join()
        # the scan names the cause (a bomb, a liar) better than the parser's failure it led to
        raise (scan_errors[0] if scan_errors else exc) from None
    scanner.join()
    if scan_errors:
        raise scan_errors[0]
    return sheets


def _with_formulas(sheet: RawSheet, first_column: int, refs: list[str]) -> RawSheet:
    """The sheet with its formula cells without a cached value placed in the table."""
    cells = []
    for ref in refs[:MAX_FORMULA_CELLS]:
        match = re.fullmatch(r"([A-Z]{1,3})(\d{1,7})", ref)
        if match:
            index = _column_number(match.group(1).encode()) - first_column
            cells.append((ref, int(match.group(2)), index if 0 <= index < sheet.table.num_columns else -1))
    return replace(sheet, formula_cells=tuple(cells))


# ------------------------------------------------------------------------------------------ CSV


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
    # Python's csv module refuses cells over 128 KiB by default; the memory cap bounds them instead
    csv.field_size_limit(MAX_CSV_CELL)
    try:
        table = _csv_table(text, delimiter)
    except csv.Error as exc:  # e.g. a NUL byte in a line
        raise IngestError("corrupt_file", detail=str(exc)[:200]) from exc
    _check_extent(table.num_columns, table.num_rows)
    return Workbook(
        file_format="csv",
        sheets=[RawSheet(name="csv", visible=True, table=table, first_row=1)],
        encoding=encoding,
        delimiter=delimiter,
    )


# ------------------------------------------------------------------------------------ entry point


def read_workbook(data: bytes, fail_fast: FailFast | None = None, path: str | None = None) -> Workbook:
    """Read any supported upload into text tables, or raise :class:`IngestError` saying why not.

    Call it in a sandbox (:func:`analytics.sandbox.read_workbook`) for untrusted files.
    ``fail_fast`` is called from the scanning thread with a refusal found while parsing. ``path``
    is a file holding the same bytes, for the workbook parser to read (less memory).
    """
    if not data:
        raise IngestError("empty_file")
    file_format = sniff_format(data)
    try:
        if file_format == "xlsx":
            try:
                return _read_xlsx(data, fail_fast, path)
            except _ZIP_DAMAGE as exc:  # the zip structure itself is broken somewhere
                raise IngestError("corrupt_file", detail=f"{type(exc).__name__}: {exc}"[:200]) from exc
        if file_format == "xls":  # BIFF stores every formula's last result: nothing is missing
            return Workbook(file_format="xls", sheets=[raw for raw, _ in _load_sheets(data, path)])
        if file_format == "csv":
            return _read_csv(data)
    except MemoryError as exc:
        raise IngestError("file_too_complex") from exc
    raise IngestError({"encrypted": "password_protected", "html": "html_file"}.get(file_format, "unknown_format"))


def find_header_row(table: pa.Table) -> int | None:
    """Index of the row that looks most like a header among the first rows (None if none does).

    A header row has at least two cells that match known column synonyms; title rows such as
    "2024年华东区销售明细表" score at most one.
    """
    best_index, best_score = None, 1
    for index, row in enumerate(table.slice(0, HEADER_SCAN_ROWS).to_pylist()):
        # a long cell is no header, and scoring it costs its length times the synonyms
        score = header_score(v for v in row.values() if v is None or len(v) <= MAX_HEADER_CELL)
        if score > best_score:
            best_index, best_score = index, score
    return best_index
