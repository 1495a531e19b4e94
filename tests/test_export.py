import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest

from analytics import export

DANGEROUS = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "客户": [*DANGEROUS, "华东恒通科技有限公司", None],
            "销售额": [1234.5, -500.0, 0.0, 12345678.9, 1.0, 2.0, 3.0, float("nan")],
            "笔数": [1, 2, 3, 4, 5, 6, 7, 8],
            "日期": pd.to_datetime(["2024-03-05"] * 8),
        }
    )


def test_neutralize_rule():
    for text in DANGEROUS:
        assert export.neutralize(text) == "'" + text
    assert export.neutralize("华东") == "华东"
    assert export.neutralize("a=b") == "a=b"
    assert export.neutralize(-2) == -2
    assert export.neutralize(None) is None


def test_csv_has_bom_and_neutralised_cells(frame):
    data = export.to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["客户", "销售额", "笔数", "日期"]
    names = [r[0] for r in rows[1:]]
    for text in DANGEROUS:
        assert "'" + text in names
    assert "华东恒通科技有限公司" in names
    # numbers are written as plain numbers, negative ones included (no quote prefix)
    amounts = [r[1] for r in rows[1:]]
    assert amounts[:4] == ["1234.5", "-500.0", "0.0", "12345678.9"]
    assert [r[2] for r in rows[1:3]] == ["1", "2"]


def test_xlsx_has_no_formulas_and_numbers_stay_numeric(frame):
    data = export.to_xlsx_bytes(frame)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    # openpyxl does not decode xlsx's escaped carriage return (_x000D_); Excel does
    names = [str(ws.cell(row=r, column=1).value).replace("_x000D_", "\r") for r in range(2, 10)]
    for text in DANGEROUS:
        assert "'" + text in names
    assert ws.cell(row=2, column=2).value == 1234.5
    assert ws.cell(row=3, column=2).value == -500
    assert ws.cell(row=3, column=2).data_type == "n"
    assert ws.cell(row=4, column=3).value == 3 and ws.cell(row=4, column=3).data_type == "n"
    assert ws.cell(row=9, column=2).value is None  # NaN → empty cell
    assert ws.cell(row=2, column=4).value == dt.datetime(2024, 3, 5)
    assert ws.cell(row=1, column=1).value == "客户"


def test_xlsx_handles_objects_decimals_dates_and_formula_headers():
    df = pd.DataFrame(
        {
            "=cmd": ["x"],
            "amount": pd.Series([Decimal("12.34")], dtype=object),
            "day": [dt.date(2024, 1, 2)],
            "flag": [True],
        }
    )
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(df)))
    ws = wb.active
    assert ws.cell(row=1, column=1).value == "'=cmd"
    assert ws.cell(row=2, column=2).value == pytest.approx(12.34)
    assert ws.cell(row=2, column=3).value == dt.datetime(2024, 1, 2)
    assert ws.cell(row=2, column=4).value is True
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_empty_frame():
    df = pd.DataFrame({"客户": pd.Series([], dtype=str)})
    assert export.to_csv_bytes(df).decode("utf-8-sig").strip() == "客户"
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(df)))
    assert wb.active.cell(row=1, column=1).value == "客户"
