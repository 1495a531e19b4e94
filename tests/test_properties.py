"""Property-based tests (hypothesis) of the reading and parsing path, end to end where it matters.

``tests/test_parsing.py`` checks the cell parsers one cell at a time; here the properties hold for
whole files: any table of cells written as CSV with any supported delimiter and encoding reads
back cell for cell; any amount rendered the ways a Chinese ledger writes money lands in the store
exact to the cent; any date written in any supported spelling lands as that date; the CSV
delimiter sniffer finds the delimiter; and mangled workbooks never get past the sandbox as
anything but a named outcome.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analytics import ingest, readers, sandbox, store

SLOW_EXAMPLES = settings(max_examples=12, deadline=None)
FAST = settings(max_examples=150, deadline=None)
DELIMITERS = [",", ";", "\t", "|"]
# Cell text as ledgers hold it: CJK, ASCII letters and digits, spaces and common punctuation, but
# no delimiter, quote or line break (those are quoted by a CSV writer, a separate concern).
CELL = st.text(alphabet=st.sampled_from(list("甲乙丙丁上海长青贸易有限公司abcXYZ0123456789 .-_/()¥%#")), max_size=12)
MONEY = st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2)
DAY = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31))
FULL_WIDTH = str.maketrans("0123456789.,()-", "０１２３４５６７８９．，（）－")


@st.composite
def tables(draw: st.DrawFn) -> list[list[str]]:
    width = draw(st.integers(2, 6))
    rows = draw(st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=2, max_size=15))
    # a row of blanks only reads as an empty row, and a cell's outer spaces would be ambiguous
    assume(all(any(c.strip() for c in row) for row in rows))
    return [[c.strip() for c in row] for row in rows]


@FAST
@given(tables(), st.sampled_from(DELIMITERS))
def test_sniffer_finds_the_delimiter(rows: list[list[str]], delimiter: str) -> None:
    text = "\n".join(delimiter.join(row) for row in rows)
    assert readers.sniff_delimiter(text) == delimiter


@FAST
@given(tables(), st.sampled_from(DELIMITERS), st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_csv_reads_back_cell_for_cell(rows: list[list[str]], delimiter: str, encoding: str) -> None:
    header = ["日期", "客户名称", "金额", "产品", "区域", "备注"][: len(rows[0])]
    text = "\r\n".join(delimiter.join(row) for row in [header, *rows]) + "\r\n"
    workbook = readers.read_workbook(text.encode(encoding))
    assert workbook.delimiter == delimiter
    read = [[cell or "" for cell in row.values()] for row in workbook.sheets[0].table.to_pylist()]
    assert read[: len(rows) + 1] == [header, *rows]


def money_renderings(value: Decimal) -> list[str]:
    """How ledgers write one amount (all of them mean ``value``)."""
    plain, grouped = f"{value:.2f}", f"{value:,.2f}"
    out = [plain, grouped, f"¥{grouped}", f"RMB {plain}", f"{grouped}元", grouped.translate(FULL_WIDTH)]
    if value < 0:
        out += [f"({abs(value):,.2f})", f"（{abs(value):.2f}）", f"(¥{abs(value):,.2f})"]
    if value == value.quantize(Decimal(100)):  # whole hundreds also as 万 (exact decimal text)
        out.append(f"{value / 10000:f}万")
    return out


def ingest_csv(con: duckdb.DuckDBPyConnection, name: str, rows: list[list[str]]) -> ingest.IngestResult:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text("\r\n".join(",".join(f'"{c}"' for c in row) for row in rows) + "\r\n", encoding="utf-8")
        return ingest.ingest_file(con, path)


@SLOW_EXAMPLES
@given(values=st.lists(MONEY, min_size=1, max_size=30))
def test_amounts_land_exact_to_the_cent(values: list[Decimal]) -> None:
    cells = [(text, value) for value in values for text in money_renderings(value)]
    rows = [["日期", "客户名称", "金额"]] + [["2024-03-05", f"客户{i}", text] for i, (text, _) in enumerate(cells)]
    con = store.connect(":memory:")
    result = ingest_csv(con, "money.csv", rows)
    assert result.status == "stored" and result.rows_stored == len(cells), result.message
    stored = con.execute(
        "select amount from transactions where upload_id = ? order by source_row", [result.upload_id]
    ).fetchall()
    assert [(text, amount) for (text, value), (amount,) in zip(cells, stored, strict=True) if amount != value] == []


def date_renderings(day: dt.date) -> list[str]:
    serial = (day - dt.date(1899, 12, 30)).days
    return [
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        day.strftime("%Y%m%d"),
        f"{day.isoformat()} 10:30",
        f"{day.isoformat()} 23:59:59",
        str(serial),
        f"{serial}.75",  # an Excel date-time: the date part counts
    ]


@SLOW_EXAMPLES
@given(days=st.lists(DAY, min_size=1, max_size=20), order=st.sampled_from(["dmy", "mdy"]))
def test_dates_land_as_written(days: list[dt.date], order: str) -> None:
    cells = [(text, day) for day in days for text in date_renderings(day)]
    # a day-first or month-first column; a 13th+ day decides the order for the whole column
    short = [(f"{d.day:02d}/{d.month:02d}/{d.year}" if order == "dmy" else f"{d.month:02d}/{d.day:02d}/{d.year}", d)
             for d in [*days, dt.date(2024, 1, 13)]]  # fmt: skip
    for name, written in (("dates.csv", cells), ("short.csv", short)):
        con = store.connect(":memory:")
        res = ingest_csv(con, name, [["日期", "客户名称", "金额"]] + [[text, "甲公司", "1"] for text, _ in written])
        assert res.status == "stored" and res.rows_stored == len(written), res.message
        stored = con.execute(
            "select order_date from transactions where upload_id = ? order by source_row", [res.upload_id]
        ).fetchall()
        assert [(t, d) for (t, d), (got,) in zip(written, stored, strict=True) if got != d] == []


def small_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["日期", "客户名称", "金额"])
    for day in range(1, 20):
        book.active.append([dt.date(2024, 3, day), f"客户{day}", day * 10.5])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


WORKBOOK = small_workbook()
MEMBERS = zipfile.ZipFile(io.BytesIO(WORKBOOK)).namelist()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(WORKBOOK) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_mangled_workbooks_get_a_named_outcome(edits: list[tuple[int, int]]) -> None:
    data = bytearray(WORKBOOK)
    for at, value in edits:
        data[at] = value
    outcome = sandbox.run(bytes(data), limits=sandbox.Limits(memory_mb=2048, timeout_s=30))
    assert outcome.ending in {"ok", "refused", "memory", "crash", "timeout"}
    if outcome.error is not None:
        assert outcome.error.render("zh") and outcome.error.render("en")


@FAST
@given(st.binary(max_size=2048))
def test_sniffing_never_raises(tail: bytes) -> None:
    for head in (b"", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x03\x04"):
        assert readers.sniff_format(head + tail) in {"xlsx", "xls", "encrypted", "html", "csv", "unknown"}
