"""Cell parsers (analytics.parsing): amounts, dates, texts, total rows; table-driven plus properties.

Every expected value below is worked out by hand from the cell text, not by running the parser.
Parsing opens a DuckDB connection per call (~20 ms), so each table is parsed in one call per module
and every case looks its answer up.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import Decimal

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics import parsing

# ---------------------------------------------------------------------------------------- amounts

AMOUNT_CASES: list[tuple[str | None, float | None]] = [
    ("1,234.50", 1234.5),
    ("¥1,234.50", 1234.5),
    ("￥1,234.50", 1234.5),  # full-width yen sign
    ("RMB 1234", 1234.0),
    ("rmb1234", 1234.0),
    ("CNY 1,000", 1000.0),
    ("1,234.50元", 1234.5),
    ("$1,000", 1000.0),
    ("1.2万", 12000.0),
    ("1.2万元", 12000.0),  # 万 before the currency unit
    ("3亿", 300000000.0),
    ("2万亿", 2e12),
    ("(500)", -500.0),
    ("（500）", -500.0),  # full-width parentheses
    ("(1.2万)", -12000.0),  # negative in 万
    ("(¥1,234.50)", -1234.5),
    ("¥(500)", -500.0),
    ("１２３４．５", 1234.5),  # full-width digits and point
    ("１，２３４", 1234.0),  # full-width thousands separator
    ("-8,957.67", -8957.67),
    ("¥-5", -5.0),
    ("-¥5", -5.0),
    ("- 5", -5.0),
    ("+5", 5.0),
    (" 12 ", 12.0),
    ("1 234", 1234.0),
    ("1\u00a0234", 1234.0),  # no-break space as thousands separator
    ("1,234,567.891", 1234567.891),
    ("1,234.", 1234.0),
    (".5", 0.5),
    ("5.", 5.0),
    ("0", 0.0),
    ("1.87397万", 18739.7),
    ("1e3", 1000.0),
    ("1E-2", 0.01),
    ("12.5.3", None),
    ("abc", None),
    ("", None),
    ("   ", None),
    (None, None),
    ("#N/A", None),
    ("-", None),
    ("万", None),
    ("()", None),
    ("(500", None),
    ("500)", None),
    (",", None),
    ("1,2,3", None),  # commas only as thousands separators …
    ("12,34", None),  # … so a decimal comma is refused, not read as 1234
    ("1,2345", None),
    ("1e400", None),  # would be infinity
    ("1e", None),
    ("0x10", None),
    ("5%", None),
    ("€5", None),
    ("1.2千", None),
    ("nan", None),
    ("inf", None),
]


@pytest.fixture(scope="module")
def parsed_amounts() -> dict[str | None, float | None]:
    values = [v for v, _ in AMOUNT_CASES]
    return dict(zip(values, parsing.parse_amounts(values), strict=True))


@pytest.mark.parametrize(("text", "expected"), AMOUNT_CASES, ids=[repr(v) for v, _ in AMOUNT_CASES])
def test_parse_amounts(
    parsed_amounts: dict[str | None, float | None], text: str | None, expected: float | None
) -> None:
    got = parsed_amounts[text]
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-9)


def test_parse_amounts_keeps_order_and_length() -> None:
    assert parsing.parse_amounts([]) == []
    assert parsing.parse_amounts(["3", None, "x", "(1)"]) == [3.0, None, None, -1.0]


# ------------------------------------------------------------------------------------------ dates

D = dt.date
DATE_CASES: list[tuple[str | None, parsing.DateOrder | None, bool, dt.date | None]] = [
    ("45356", None, False, D(2024, 3, 5)),  # Excel serial, 1900 system
    ("45356.75", None, False, D(2024, 3, 5)),  # the time of day is dropped
    ("45356.0", None, False, D(2024, 3, 5)),
    ("61", None, False, D(1900, 3, 1)),
    ("43890", None, True, D(2024, 3, 1)),  # 1904 system: 1904-01-01 + 43890 days
    ("45356", None, True, D(2028, 3, 6)),  # the same serial is 1462 days later in 1904
    ("2024/3/5", None, False, D(2024, 3, 5)),
    ("2024/03/05", None, False, D(2024, 3, 5)),
    ("2024-03-05", None, False, D(2024, 3, 5)),
    ("2024-3-5", None, False, D(2024, 3, 5)),
    (" 2024-03-05 ", None, False, D(2024, 3, 5)),
    ("2024-03-05 10:00", None, False, D(2024, 3, 5)),
    ("2024-03-05 10:00:00", None, False, D(2024, 3, 5)),  # how fastexcel renders a date cell
    ("2024-03-05 00:00:00", None, False, D(2024, 3, 5)),
    ("2024-03-05 10:00:00.123", None, False, D(2024, 3, 5)),
    ("2024-03-05T10:00:00", None, False, D(2024, 3, 5)),
    ("2024/3/5 9:05", None, False, D(2024, 3, 5)),
    ("2024年3月5日", None, False, D(2024, 3, 5)),
    ("2024年03月05日 10:30", None, False, D(2024, 3, 5)),
    ("２０２４年３月５日", None, False, D(2024, 3, 5)),  # full-width digits
    ("20240305", None, False, D(2024, 3, 5)),
    ("2024.03.05", None, False, D(2024, 3, 5)),
    ("2024-03-05", "dmy", False, D(2024, 3, 5)),  # year-first dates ignore the column's order
    ("2024-03-05", "mdy", False, D(2024, 3, 5)),
    ("05/03/2024", "dmy", False, D(2024, 3, 5)),
    ("05/03/2024", "mdy", False, D(2024, 5, 3)),
    ("05/03/2024", None, False, None),  # order unknown: never guessed row by row
    ("13/5/2024", "dmy", False, D(2024, 5, 13)),
    ("13/5/2024", "mdy", False, None),  # no month 13
    ("05.03.2024", "dmy", False, D(2024, 3, 5)),
    ("05-03-2024", "mdy", False, D(2024, 5, 3)),
    ("2024-02-29", None, False, D(2024, 2, 29)),
    ("2024-02-30", None, False, None),
    ("2023-02-29", None, False, None),
    ("2024-13-01", None, False, None),
    ("20241301", None, False, None),
    ("2024-03-05 25:00", None, False, None),
    ("0024/3/5", None, False, None),  # year 24: outside 1900–2100
    ("24/3/5", None, False, None),
    ("24/3/5", "dmy", False, None),
    ("24/3/5", "mdy", False, None),
    ("2101-01-01", None, False, None),
    ("1899-12-31", None, False, None),
    ("9999-12-31", None, False, None),
    ("99999", None, False, None),  # serial far beyond 2100
    ("0", None, False, None),
    ("2024年3月", None, False, None),
    ("hello", None, False, None),
    ("", None, False, None),
    (None, None, False, None),
]


@pytest.fixture(scope="module")
def parsed_dates() -> dict[tuple[str | None, parsing.DateOrder | None, bool], dt.date | None]:
    out: dict[tuple[str | None, parsing.DateOrder | None, bool], dt.date | None] = {}
    for order in (None, "dmy", "mdy"):
        for date1904 in (False, True):
            values = [v for v, o, d1904, _ in DATE_CASES if o == order and d1904 == date1904]
            if values:
                parsed = parsing.parse_dates(values, order, date1904)
                out.update({(v, order, date1904): p for v, p in zip(values, parsed, strict=True)})
    return out


@pytest.mark.parametrize(
    ("text", "order", "date1904", "expected"),
    DATE_CASES,
    ids=[f"{v!r}-{o}-{'1904' if d else '1900'}" for v, o, d, _ in DATE_CASES],
)
def test_parse_dates(
    parsed_dates: dict[tuple[str | None, parsing.DateOrder | None, bool], dt.date | None],
    text: str | None,
    order: parsing.DateOrder | None,
    date1904: bool,
    expected: dt.date | None,
) -> None:
    assert parsed_dates[(text, order, date1904)] == expected


def _evidence(values: list[str | None], column: str = "日期") -> tuple[int, int, int]:
    con = parsing.staging_connection()
    try:
        con.register("raw", pa.table({column: pa.array(values, type=pa.string())}))
        return parsing.date_order_evidence(con, "raw", column)
    finally:
        con.close()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # (how many a/b/yyyy values, max of a, max of b)
        (["13/03/2024", "05/03/2024", "2024-01-01"], (2, 13, 3)),  # day first is evident
        (["03/13/2024", "03/05/2024 10:00"], (2, 3, 13)),  # month first is evident
        (["05/03/2024", "04/02/2024", "12.11.2024"], (3, 12, 11)),  # ambiguous: ask the user
        (["2024-03-05", "20240305", None, ""], (0, 0, 0)),  # nothing to decide
        ([" 7-8-2024", "31/1/2024"], (2, 31, 8)),
    ],
    ids=["dmy", "mdy", "ambiguous", "none", "dash-and-space"],
)
def test_date_order_evidence(values: list[str | None], expected: tuple[int, int, int]) -> None:
    assert _evidence(values) == expected


def test_date_order_evidence_quotes_column_name() -> None:
    assert _evidence(["13/1/2024"], column='日期 "开票"') == (1, 13, 1)


# ------------------------------------------------------------------------------------------ texts

TEXT_CASES: list[tuple[str | None, str | None]] = [
    ("  客户A  ", "客户A"),
    ("\t客户A\r\n", "客户A"),
    ("\u3000客户A\u3000", "客户A"),  # ideographic spaces around
    ("客户A\u00a0", "客户A"),
    ("a   b", "a b"),  # internal runs collapse to one space
    ("a\t\nb", "a b"),
    ("a\u3000b", "a b"),
    ("a\u00a0\u00a0b", "a b"),
    ("a\rb", "a b"),
    ("ＡＢＣ公司", "ＡＢＣ公司"),  # width is kept (matching normalises it elsewhere)
    ("0", "0"),
    ("Nancy", "Nancy"),
    ("n/a.", "n/a."),
    ("#N/A", None),
    ("#n/a", None),
    ("N/A", None),
    ("NA", None),
    ("ＮＡ", None),  # full-width
    ("nan", None),
    ("NaN", None),
    ("None", None),
    ("NULL", None),
    ("#NULL!", None),
    ("#REF!", None),  # Excel errors (an .xlsx error cell already reads as empty)
    ("#DIV/0!", None),
    ("#VALUE!", None),
    ("-", None),
    ("--", None),
    ("—", None),
    (" - ", None),
    ("\r", None),  # only whitespace: empty, not ""
    ("\t", None),
    (" \r\n ", None),
    (" #N/A\t", None),
    ("", None),
    ("   ", None),
    ("\u3000", None),
    (None, None),
]


@pytest.fixture(scope="module")
def parsed_texts() -> dict[str | None, str | None]:
    values = [v for v, _ in TEXT_CASES]
    return dict(zip(values, parsing.parse_texts(values), strict=True))


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES, ids=[repr(v) for v, _ in TEXT_CASES])
def test_parse_texts(parsed_texts: dict[str | None, str | None], text: str | None, expected: str | None) -> None:
    assert parsed_texts[text] == expected


# ------------------------------------------------------------------------------------- total rows

TOTAL_CASES: list[tuple[str, bool]] = [
    ("合计", True),
    ("总计", True),
    ("小计", True),
    ("累计", True),
    ("汇总", True),
    ("合計", True),
    ("總計", True),
    ("12月小计", True),
    ("华东区合计", True),
    ("本月累计", True),
    ("合计：", True),
    ("总计:", True),
    ("合  计", True),  # spread out for alignment, a common Chinese layout
    ("合\u3000计", True),
    (" 合计 ", True),
    ("Total", True),
    ("TOTAL", True),
    ("total", True),
    ("Totals", True),
    ("Total:", True),
    ("Grand Total", True),
    ("GRAND TOTAL:", True),
    ("Subtotal", True),
    ("Subtotal:", True),
    ("Sub-total", True),
    ("Sub Total", True),
    ("Total 2024", True),
    ("Total (East)", True),
    ("Total - East", True),
    ("Total: East region", True),
    ("Total for March", True),
    ("Total Q1", True),
    ("Total March 2024", True),
    ("Total 华东", True),
    ("East Total", True),
    ("Q1 Subtotal", True),
    ("合计商贸有限公司", False),  # a company whose name starts with 合计
    ("小计食品店", False),
    ("上海合计贸易有限公司", False),
    ("Totalview Ltd", False),
    ("TotalEnergies", False),
    ("Total Logistics Co", False),
    ("Total Solutions Ltd", False),
    ("Total Fitness", False),
    ("Total SA", False),
    ("Total Sales Ltd", False),
    ("Total Marketing Co", False),
    ("Subtotalia Corp", False),
    ("宁波永安医药有限公司", False),
    ("2024-03-05", False),
    ("", False),
]


@pytest.fixture(scope="module")
def total_flags() -> dict[str, bool]:
    # exactly the test ingest applies to every cell of a row (on the cell's cleaned text)
    con = parsing.staging_connection()
    try:
        con.register("cells", pa.table({"v": [v for v, _ in TOTAL_CASES]}))
        rows = con.execute(
            "select v, regexp_full_match(coalesce(ka_text(v), ''), ?) from cells", [parsing.TOTAL_ROW_PATTERN]
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


@pytest.mark.parametrize(("text", "is_total"), TOTAL_CASES, ids=[repr(v) for v, _ in TOTAL_CASES])
def test_total_row_pattern(total_flags: dict[str, bool], text: str, is_total: bool) -> None:
    assert total_flags[text] is is_total


# ------------------------------------------------------------------------------------- properties

MONEY = st.integers(min_value=-100_000_000_000, max_value=100_000_000_000).map(lambda cents: Decimal(cents) / 100)
# each parse call costs a DuckDB connection, so examples are lists and few
FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _renderings(value: Decimal) -> list[str]:
    plain = f"{value:.2f}"
    grouped = f"{value:,.2f}"
    shown = [plain, grouped, f"¥{grouped}", f"RMB {plain}", f"{grouped}元"]
    shown.append(f"({abs(value):,.2f})" if value < 0 else grouped)
    return shown


def _close(got: float | None, want: Decimal) -> bool:
    return got is not None and math.isclose(got, float(want), rel_tol=1e-6, abs_tol=1e-9)


@FAST
@given(st.lists(MONEY, min_size=1, max_size=40))
def test_amount_renderings_round_trip(values: list[Decimal]) -> None:
    cells = [text for v in values for text in _renderings(v)]
    wanted = [v for v in values for _ in _renderings(v)]
    parsed = parsing.parse_amounts(cells)
    assert [c for c, p, w in zip(cells, parsed, wanted, strict=True) if not _close(p, w)] == []


@FAST
@given(st.lists(MONEY.map(lambda v: (v / 100).to_integral_value() * 100), min_size=1, max_size=40))
def test_wan_renderings_round_trip(values: list[Decimal]) -> None:
    # multiples of 100 written as x/10000 万 (exact decimal text, e.g. 123400 → "12.34万")
    cells = [f"{v / 10000:f}万" for v in values]
    cells += [f"({abs(v) / 10000:f}万)" for v in values if v < 0]
    wanted = values + [v for v in values if v < 0]
    parsed = parsing.parse_amounts(cells)
    assert [c for c, p, w in zip(cells, parsed, wanted, strict=True) if not _close(p, w)] == []


def _date_renderings(d: dt.date) -> list[str]:
    return [
        d.isoformat(),
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}-{d.month}-{d.day}",
        d.strftime("%Y/%m/%d"),
        f"{d.year}年{d.month}月{d.day}日",
        d.strftime("%Y年%m月%d日"),
        d.strftime("%Y%m%d"),
        d.strftime("%Y.%m.%d"),
        f"{d.isoformat()} 00:00:00",
        f"{d.isoformat()} 23:59",
        f"{d.isoformat()}T12:30:00",
    ]


DATES = st.lists(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)), min_size=1, max_size=40)


@FAST
@given(DATES, st.sampled_from([None, "dmy", "mdy"]))
def test_year_first_dates_round_trip(dates: list[dt.date], order: parsing.DateOrder | None) -> None:
    # a year-first date means the same whatever day/month order the column has
    cells = [text for d in dates for text in _date_renderings(d)]
    wanted = [d for d in dates for _ in _date_renderings(d)]
    assert parsing.parse_dates(cells, order) == wanted


@settings(FAST, max_examples=8)
@given(DATES)
def test_serial_dates_round_trip(dates: list[dt.date]) -> None:
    serials = [str((d - dt.date(1899, 12, 30)).days) for d in dates]
    serials_1904 = [f"{(d - dt.date(1904, 1, 1)).days}.25" for d in dates]
    assert parsing.parse_dates(serials) == dates
    assert parsing.parse_dates(serials_1904, date1904=True) == dates


ODD_CELLS = st.one_of(
    st.none(), st.text(), st.text(alphabet="0123456789,.()-+eE万亿¥元 \t\r\nRMB（）１２#N/A\u3000\u00a0")
)


@settings(FAST, max_examples=10)
@given(st.lists(ODD_CELLS, max_size=40))
def test_parsers_never_raise(cells: list[str | None]) -> None:
    amounts = parsing.parse_amounts(cells)
    assert len(amounts) == len(cells)
    assert all(a is None or math.isfinite(a) for a in amounts)
    dates = parsing.parse_dates(cells, "dmy")
    assert all(d is None or dt.date(1900, 1, 1) <= d <= dt.date(2100, 12, 31) for d in dates)
    texts = parsing.parse_texts(cells)
    # no empty strings: a cell is text with no outer or doubled whitespace, or None
    assert all(t is None or (t and t == t.strip(" \t\r\n\v\f\u3000\u00a0") and "  " not in t) for t in texts)


# ------------------------------------------------------------------------ fast paths vs the rules
# The parsers take shortcuts for the cells a workbook usually holds (plain decimals, ISO dates, text
# without whitespace or NA markers). Each shortcut must give exactly what the general rule gives:
# below, the general rules written out on their own (the definitions before the shortcuts existed)
# are compared with the parsers on cells built to hit both sides of every shortcut.

_REFERENCE_TEXT = (
    f"case when lower({parsing.half_width_sql('w')}) in ({', '.join(repr(m) for m in parsing.NULL_MARKERS)}) "
    "then null else w end"
)
_REFERENCE_SQUASH = f"trim(regexp_replace(v, '{parsing.WHITESPACE}+', ' ', 'g'))"
TEXT_PIECES = st.sampled_from(
    [
        *parsing.NULL_MARKERS, "N", "n", "A", "＃", "Ｎ", "ａ", "#", "/", "!", "—", "-", "客户", "公司", "Total",
        "合计", "计", " ", "\t", "\r\n", "\v", "\u00a0", "\u3000", "x", "0", "?",
    ]
)  # fmt: skip
TEXTS = st.lists(st.lists(TEXT_PIECES, max_size=5).map("".join), min_size=1, max_size=60)


def _rows(sql: str, values: Sequence[str | None]) -> list[tuple[object, ...]]:
    con = parsing.staging_connection()
    try:
        con.register("cells", pa.table({"v": pa.array(values, type=pa.string()), "i": range(len(values))}))
        return con.execute(f"{sql} order by i").fetchall()
    finally:
        con.close()


def _marker_variants() -> list[str]:
    full = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
    out = []
    for marker in parsing.NULL_MARKERS:
        for form in (marker, marker.upper(), marker.title(), "".join(full.get(ch, ch) for ch in marker.upper())):
            out += [form, f" {form}\t", f"{form}x", f"x{form}"]
    return out


@FAST
@given(TEXTS)
def test_text_cleaning_equals_the_general_rule(values: list[str]) -> None:
    cells: list[str | None] = [*values, *_marker_variants(), None]
    rows = _rows(
        f"select ka_text(v), (select {_REFERENCE_TEXT} from (select {_REFERENCE_SQUASH} as w)) from cells", cells
    )
    assert [(v, got, want) for v, (got, want) in zip(cells, rows, strict=True) if got != want] == []


AMOUNT_TEXTS = st.lists(st.text(alphabet="0123456789-+.,eE ¥万()", max_size=12), min_size=1, max_size=60)


@FAST
@given(AMOUNT_TEXTS)
def test_amount_shortcut_equals_the_general_rule(values: list[str]) -> None:
    edge = ["0", "-0", "007", "12", "-12.50", "1.", ".5", "1234567890123456789", "1e3", " 5"]
    cells: list[str | None] = [*values, *edge, None]
    rows = _rows("select ka_amount(v), ka_amount_of(ka_width(v)) from cells", cells)
    assert [(v, got, want) for v, (got, want) in zip(cells, rows, strict=True) if got != want] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", D(2024, 3, 5)),
        ("2024-03-05 00:00:00", D(2024, 3, 5)),
        ("2024-02-29 00:00:00", D(2024, 2, 29)),
        ("2023-02-29 00:00:00", None),
        ("2024-00-10", None),
        ("1900-01-01 00:00:00", D(1900, 1, 1)),
        ("1899-12-31 00:00:00", None),
        ("2100-12-31 00:00:00", D(2100, 12, 31)),
        ("2101-01-01 00:00:00", None),
        ("0000-01-01", None),
        ("2024-03-05 00:00:01", D(2024, 3, 5)),  # not midnight: the general rule, same date
        ("2024-03-05 00:00", D(2024, 3, 5)),
    ],
)
def test_iso_date_shortcut(text: str, expected: dt.date | None) -> None:
    assert parsing.parse_dates([text]) == [expected]


@pytest.mark.parametrize(("text", "is_total"), TOTAL_CASES, ids=[repr(v) for v, _ in TOTAL_CASES])
def test_total_rows_always_hold_a_hint_word(text: str, is_total: bool) -> None:
    # ingest tries the pattern only on rows with a hint word: every total label must hold one
    rows = _rows(
        f"select regexp_full_match(coalesce(ka_text(v), ''), '{parsing.TOTAL_ROW_PATTERN}'), "
        f"regexp_matches(v, '{parsing.TOTAL_ROW_HINT}'), regexp_matches(v, '{parsing.SUSPECT_TEXT}') from cells",
        [text],
    )
    pattern, hint, suspect = rows[0]
    assert pattern is is_total
    assert hint or not pattern
    assert suspect or not pattern  # a text cell with a total label is never taken as it is


@FAST
@given(TEXTS)
def test_total_pattern_implies_hint(values: list[str]) -> None:
    rows = _rows(
        f"select v, regexp_full_match(coalesce(ka_text(v), ''), '{parsing.TOTAL_ROW_PATTERN}'), "
        f"regexp_matches(v, '{parsing.TOTAL_ROW_HINT}') from cells",
        values,
    )
    assert [v for v, pattern, hint in rows if pattern and not hint] == []
