"""Vectorised cell parsers for uploads, as DuckDB SQL on a private in-memory staging connection.

Every raw cell arrives as text (Excel numbers and dates rendered by the reader, CSV as read).
The parsers here turn whole columns into numbers and dates in one SQL pass, so a 1,000,000-row
file is parsed in seconds, and they never guess row by row: a date column's day/month order is
decided once for the column (SPEC §3).

Amounts (:data:`AMOUNT_MACROS`): ``1,234.50`` · ``¥1,234.50`` · ``RMB 1234`` · ``1.2万`` (= 12,000)
· ``3亿`` (= 300,000,000) · ``(500)`` (= −500) · full-width digits · ``-8,957.67``.

Dates (:func:`date_sql`): Excel serial numbers (1900 or 1904 system), ISO with or without time,
``2024/3/5``, ``2024年3月5日``, ``20240305``, ``2024.03.05``, and day-first or month-first
``05/03/2024`` once the column's order is known. Years outside 1900–2100 are rejected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

import duckdb
import pyarrow as pa

from analytics import store

DateOrder = Literal["dmy", "mdy"]

_FULL_WIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000\uffe5"
_HALF_WIDTH = ("".join(chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)) + " ¥").replace("'", "''")



def half_width_sql(expr: str) -> str:
    """SQL mapping full-width ASCII (``１２３``, ``（500）``, ``￥``) in ``expr`` to half width.

    ``translate`` costs ~2 µs a cell, so it only runs on cells that contain a full-width
    character (a cheap regex test): a 500k-row column takes 0.03 s instead of 0.9 s.
    """
    return (
        f"(case when regexp_matches({expr}, '[\uff01-\uff5e\u3000\uffe5]') "
        f"then translate({expr}, '{_FULL_WIDTH}', '{_HALF_WIDTH}') else {expr} end)"
    )


# Empty-looking cells: blanks and the error/NA markers Excel and pandas leave behind.
NULL_MARKERS = ("", "nan", "none", "null", "n/a", "#n/a", "na", "-", "--", "—", "#null!")

_NULL_LIST = ", ".join(f"'{m}'" for m in NULL_MARKERS)
TEXT_MACRO = f"""
create or replace macro ka_text(s) as
    case when lower(trim({half_width_sql("s")})) in ({_NULL_LIST})
         then null
         else trim(regexp_replace(s, '\\s+', ' ', 'g')) end
"""

# Step by step: normalise width; "(x)" means -x; drop currency words/symbols, separators and
# spaces; a trailing 万/亿 multiplies; then a plain number must remain. Plain expression macros
# (no subqueries) so DuckDB evaluates them vectorised.
AMOUNT_MACROS = [
    f"create or replace macro ka_width(s) as trim({half_width_sql('s')})",
    """create or replace macro ka_amount_core(c) as
        rtrim(regexp_replace(regexp_replace(c, '^\\((.*)\\)$', '\\1'), '(?i)(rmb|cny|元|¥|\\$|,|\\s)', '', 'g'),
              '万亿')""",
    """create or replace macro ka_amount_scale(c) as
        (case when c like '%万' then 10000.0 when c like '%亿' then 100000000.0 else 1.0 end)
        * (case when regexp_full_match(c, '^\\(.*\\)$') then -1.0 else 1.0 end)""",
    """create or replace macro ka_amount_of(c) as
        case when regexp_full_match(ka_amount_core(c), '[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?')
             then cast(ka_amount_core(c) as double) * ka_amount_scale(c) end""",
    "create or replace macro ka_amount(s) as ka_amount_of(ka_width(s))",
]

TOTAL_ROW_PATTERN = r"(?i)^.{0,8}(合计|总计|小计|累计|汇总|總計|合計)[:：]?$|^(grand\s*)?(sub\s*)?totals?\b.{0,20}$"

_YMD_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y年%m月%d日",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d号",
]
_DAY_FIRST = ["%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d.%m.%Y", "%d-%m-%Y"]
_MONTH_FIRST = ["%m/%d/%Y", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m.%d.%Y", "%m-%d-%Y"]
EXCEL_EPOCH_1900 = dt.date(1899, 12, 30)
EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
_SHORT_DATE = r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"


def _format_list(formats: Sequence[str]) -> str:
    return "[" + ", ".join(f"'{f}'" for f in formats) + "]"


def date_sql(expr: str, order: DateOrder | None = None, date1904: bool = False) -> str:
    """SQL turning the text column ``expr`` into a DATE (NULL when it is not a date).

    ``order`` is the column's day/month order for ``dd/mm/yyyy``-style values (decided by
    :func:`date_order_evidence` or asked of the user); ``date1904`` selects the Mac Excel epoch
    for serial numbers.
    """
    clean = f"trim({half_width_sql(expr)})"
    epoch = (EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH_1900).isoformat()
    parts = [
        f"""case when regexp_full_match({clean}, '\\d{{1,5}}(\\.\\d+)?')
                  and cast({clean} as double) >= 1
             then cast(date '{epoch}' + cast(floor(cast({clean} as double)) as integer) as date) end""",
        f"case when regexp_full_match({clean}, '\\d{{8}}') then cast(try_strptime({clean}, '%Y%m%d') as date) end",
        f"case when regexp_matches({clean}, '^\\d{{4}}') "
        f"then cast(try_strptime({clean}, {_format_list(_YMD_FORMATS)}) as date) end",
    ]
    if order is not None:
        formats = _DAY_FIRST if order == "dmy" else _MONTH_FIRST
        parts.append(f"cast(try_strptime({clean}, {_format_list(formats)}) as date)")
    parsed = f"coalesce({', '.join(parts)})"
    return f"(case when year({parsed}) between 1900 and 2100 then {parsed} end)"


def date_order_evidence(con: duckdb.DuckDBPyConnection, table: str, column: str) -> tuple[int, int, int]:
    """For ``a/b/yyyy`` values of one column: (how many, max of a, max of b).

    The caller decides: max a > 12 → day first; max b > 12 → month first; otherwise ambiguous
    (when there are any such values) and the user is asked.
    """
    quoted = '"' + column.replace('"', '""') + '"'
    row = store.fetch_one(
        con,
        f"""
        with matched as (
            select regexp_extract({quoted}, '{_SHORT_DATE}', ['a', 'b']) as parts
            from {table}
            where regexp_matches({quoted}, '{_SHORT_DATE}')
        ),
        final as (
            select count(*) as n,
                   coalesce(max(cast(parts['a'] as integer)), 0) as max_first,
                   coalesce(max(cast(parts['b'] as integer)), 0) as max_second
            from matched
        )
        select n, max_first, max_second from final
        """,
    )
    return (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)


def staging_connection() -> duckdb.DuckDBPyConnection:
    """A private in-memory DuckDB with the parsing macros installed (never the store)."""
    con = duckdb.connect(":memory:")
    con.execute(TEXT_MACRO)
    for macro in AMOUNT_MACROS:
        con.execute(macro)
    return con


def _run_on_column(sql_of: str, values: Sequence[str | None]) -> list[object]:
    con = staging_connection()
    con.register("cells", pa.table({"v": pa.array(list(values), type=pa.string()), "i": range(len(values))}))
    rows = con.execute(f"select {sql_of} as parsed from cells order by i").fetchall()
    return [r[0] for r in rows]


def parse_amounts(values: Sequence[str | None]) -> list[float | None]:
    """Parse money cells (see module docstring); None where a cell is not a number."""
    return [None if v is None else float(v) for v in _run_on_column("ka_amount(v)", values)]  # type: ignore[arg-type]


def parse_dates(
    values: Sequence[str | None], order: DateOrder | None = None, date1904: bool = False
) -> list[dt.date | None]:
    """Parse date cells of one column (see :func:`date_sql`); None where a cell is not a date."""
    return _run_on_column(date_sql("v", order, date1904), values)  # type: ignore[return-value]


def parse_texts(values: Sequence[str | None]) -> list[str | None]:
    """Trim text cells and turn blanks and NA markers (``#N/A``, ``nan``, ``-``) into None."""
    return _run_on_column("ka_text(v)", values)  # type: ignore[return-value]
