"""Table downloads: CSV and XLSX bytes that open safely and correctly in Excel.

Rules (every table download in the app goes through these two functions):

* **CSV is UTF-8 with a byte-order mark** (``utf-8-sig``), otherwise Excel opens a Chinese
  CSV as mojibake.
* **XLSX is written by xlsxwriter with** ``strings_to_formulas: False`` (and no URL or number
  guessing), so text is stored as text and nothing is ever written as a formula.
* **Formula injection** (CSV/DDE injection): a *text* cell that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return is prefixed with a single quote ``'``, so a
  customer named ``=HYPERLINK("http://x")`` shows as text in any spreadsheet program.
* **Numbers stay numeric**: only text cells are touched; ints, floats, decimals, dates and
  booleans are written as their type (a negative number is a number, not a formula).

No Streamlit here: the UI wraps these bytes in download buttons (``ui/tables.py``).
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pandas as pd

# First characters that make a spreadsheet program treat a cell as a formula (OWASP list).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


def neutralize(value: Any) -> Any:
    """Return ``value`` with a leading ``'`` if it is text that a spreadsheet would run as a formula.

    Non-text values (numbers, dates, missing values) are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` with text cells neutralised and column names as safe text."""
    out = df.copy()
    out.columns = [neutralize(str(c)) for c in out.columns]
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_datetime64_any_dtype(column):
            continue
        if pd.api.types.is_bool_dtype(column):
            continue
        out.isetitem(position, column.map(neutralize).astype(object))
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """The table as CSV: UTF-8 with BOM, formula-like text prefixed with ``'``, no index.

    Lines end with CRLF (as Excel writes CSV), which also makes the writer quote any cell
    containing a carriage return or a line feed.
    """
    return _safe_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _excel_value(value: Any) -> Any:
    """Value as xlsxwriter can write it (missing → empty cell, timestamps → datetimes)."""
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()  # numpy scalar → Python scalar
    return value


def to_xlsx_bytes(df: pd.DataFrame, sheet_name: str = "data") -> bytes:
    """The table as an .xlsx workbook: text stays text (never a formula), numbers stay numeric.

    Written cell by cell with xlsxwriter (``strings_to_formulas``/``strings_to_urls``/
    ``strings_to_numbers`` all off); formula-like text additionally gets the ``'`` prefix so the
    file is also safe once re-saved as CSV by a user.
    """
    import xlsxwriter  # local import: only needed when someone downloads

    safe = _safe_frame(df)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
            "remove_timezone": True,
        },
    )
    sheet = workbook.add_worksheet(sheet_name[:31] or "data")
    header = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for col, name in enumerate(safe.columns):
        sheet.write_string(0, col, str(name), header)
        sheet.set_column(col, col, max(10, min(40, len(str(name)) * 2 + 2)))
    for row, values in enumerate(safe.itertuples(index=False, name=None), start=1):
        for col, raw in enumerate(values):
            value = _excel_value(raw)
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row, col, value)
            elif isinstance(value, bool):
                sheet.write_boolean(row, col, value)
            elif isinstance(value, int | float):
                sheet.write_number(row, col, value)
            elif isinstance(value, dt.datetime):
                sheet.write_datetime(row, col, value, datetime_format)
            elif isinstance(value, dt.date):
                sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), date_format)
            elif hasattr(value, "__float__"):
                sheet.write_number(row, col, float(value))  # Decimal and friends
            else:
                sheet.write_string(row, col, str(neutralize(str(value))))
    workbook.close()
    return buffer.getvalue()
