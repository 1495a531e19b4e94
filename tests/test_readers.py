"""File reading (analytics.readers): format sniffing, decoding, delimiters, CSV and XLSX into text tables.

Workbooks are built with openpyxl under tmp_path; hostile ones are crafted by editing the zip of
a small openpyxl file. Files that would exhaust memory if the safety checks failed are read in a
memory-capped child process, so a regression fails the test instead of taking the machine down.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import openpyxl.utils.datetime
import pyarrow as pa
import pytest

from analytics import parsing, readers
from analytics.errors import IngestError

SAMPLES = Path(__file__).parent / "fixtures" / "samples"
ROOT = Path(__file__).parent.parent


def xlsx_bytes(build: Callable[[openpyxl.Workbook], None]) -> bytes:
    wb = openpyxl.Workbook()
    build(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def small_ledger(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.append(["日期", "客户名称", "金额"])
    ws.append([dt.date(2024, 3, 5), "甲公司", 100])


def edit_zip(data: bytes, part: str, edit: Callable[[bytes], bytes]) -> bytes:
    """The same zip with one part rewritten."""
    source = zipfile.ZipFile(io.BytesIO(data))
    assert part in source.namelist()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info, edit(content) if info.filename == part else content)
    return out.getvalue()


def set_dimension(tag: bytes) -> Callable[[bytes], bytes]:
    def edit(xml: bytes) -> bytes:
        assert re.search(rb"<dimension[^>]*/>", xml)
        return re.sub(rb"<dimension[^>]*/>", tag, xml)

    return edit


def rows_of(sheet: readers.RawSheet) -> list[list[str | None]]:
    return [list(row.values()) for row in sheet.table.to_pylist()]


def read_error(data: bytes) -> str:
    with pytest.raises(IngestError) as caught:
        readers.read_workbook(data)
    return caught.value.code


# ----------------------------------------------------------------------------------- sniff_format

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (xlsx_bytes(small_ledger), "xlsx"),
        (OLE2 + b"\x00" * 504 + b"Workbook".ljust(64, b"\x00"), "xls"),
        (OLE2 + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le"), "encrypted"),
        (b"<html><head><meta charset='utf-8'></head><body><table><tr><td>1</td></tr></table></body></html>", "html"),
        (b'\xef\xbb\xbf\r\n  <!DOCTYPE html>\n<html xmlns:o="urn:schemas-microsoft-com:office:office">', "html"),
        ("<TABLE border=1><TR><TD>客户</TD></TR></TABLE>".encode(), "html"),
        (b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook/>', "html"),
        ("日期,客户,金额\n2024/3/5,甲公司,100\n".encode(), "csv"),
        ("日期,客户,金额\n2024/3/5,甲公司,100\n".encode("gb18030"), "csv"),
        ("\ufeff日期,客户\n".encode(), "csv"),
        ("日期\t客户\n2024/3/5\t甲\n".encode("utf-16"), "csv"),  # UTF-16 with BOM holds NULs
        ("a,b\n".encode("utf-16-be"), "unknown"),  # no BOM: indistinguishable from binary
        (bytes(range(256)) * 4, "unknown"),  # binary with NULs
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unknown"),
    ],
    ids=[
        "xlsx",
        "ole2-xls",
        "ole2-encrypted",
        "html",
        "html-bom-doctype",
        "html-table",
        "xml-spreadsheet",
        "utf8",
        "gb18030",
        "utf8-bom",
        "utf16-bom",
        "utf16-no-bom",
        "binary",
        "png",
    ],
)
def test_sniff_format(data: bytes, expected: str) -> None:
    assert readers.sniff_format(data) == expected


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "html_file"),
        (bytes(range(256)) * 4, "unknown_format"),
        (OLE2 + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le"), "password_protected"),
        (OLE2 + b"\x00" * 2000, "corrupt_file"),  # an OLE2 header and nothing readable
        (b"PK\x03\x04" + b"\x00" * 100, "corrupt_file"),
    ],
    ids=["empty", "html", "binary", "encrypted", "ole2-garbage", "zip-garbage"],
)
def test_unreadable_files_are_refused_with_a_code(data: bytes, code: str) -> None:
    assert read_error(data) == code


# ------------------------------------------------------------------------------------ decode_text

TEXT = "日期,客户名称,金额\n2024/3/5,上海长青贸易有限公司,¥1,234.50\n2024/3/6,北京宏达食品有限公司,(500)\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-8-sig"), "utf-8-sig"),
        (TEXT.replace("¥", "").encode("gbk"), "gb18030"),  # GBK has no ¥ …
        (TEXT.encode("gb18030"), "gb18030"),  # … which GB18030 writes as 4 bytes
        (TEXT.encode("utf-16"), "utf-16"),  # LE with BOM (what Python writes here)
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16"),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "utf16", "utf16-le-bom", "utf16-be-bom"],
)
def test_decode_text(data: bytes, encoding: str) -> None:
    original = TEXT if encoding != "gb18030" or "¥".encode("gb18030") in data else TEXT.replace("¥", "")
    text, used = readers.decode_text(data)
    assert (text, used) == (original, encoding)


def test_gb18030_yen_is_four_bytes() -> None:
    # the premise of the GB18030 case above: ¥ is not in GBK
    assert len("¥".encode("gb18030")) == 4
    with pytest.raises(UnicodeEncodeError):
        "¥".encode("gbk")


# --------------------------------------------------------------------------------- sniff_delimiter


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ('name,amount,note\n"A; B",1,"x|y"\n"C\tD",2,"p;q"\n', ","),
        ('name;amount;note\n"A, B";1;"x|y"\n"C, D";2;"p,q"\n', ";"),
        ('name\tamount\tnote\n"A, B"\t1\t"x;y"\n"C|D"\t2\t"p,q"\n', "\t"),
        ('name|amount|note\n"A, B"|1|"x;y"\n"C,D"|2|"p,q"\n', "|"),
        ('日期,客户,金额\n2024/1/1,甲公司,"1,234.50"\n2024/1/2,乙公司,"2,000.00"\n', ","),
        ("日期\t客户\t金额\n2024/1/1\t甲公司, 分部\t1,234.50\n2024/1/2\t乙公司\t2,000.00\n", "\t"),
        ("datum;kunde;betrag\n01.02.2024;A GmbH;1.234,50\n02.02.2024;B AG;2.000,00\n", ";"),
        ('a;b;c\n1;"x, y, z, w";3\n4;5;6\n', ";"),
        ("2024年华南区销售\n日期,客户,金额\n2024/1/1,甲,1\n2024/1/2,乙,2\n", ","),
        ("a\n1\n2\n", ","),  # one column: nothing to split, comma by default
        ("", ","),
    ],
    ids=[
        "comma",
        "semicolon",
        "tab",
        "pipe",
        "comma-quoted-thousands",
        "tab-with-commas",
        "semicolon-decimal-comma",
        "semicolon-quoted-commas",
        "title-line",
        "single-column",
        "empty",
    ],
)
def test_sniff_delimiter(text: str, delimiter: str) -> None:
    assert readers.sniff_delimiter(text) == delimiter


# ------------------------------------------------------------------------------------------- CSV


def test_csv_ids_with_leading_zeros_stay_text() -> None:
    wb = readers.read_workbook("客户编号,金额,日期\n000123,5,20240305\n0042,6.50,20240306\n".encode())
    assert (wb.file_format, wb.encoding, wb.delimiter) == ("csv", "utf-8-sig", ",")
    (sheet,) = wb.sheets
    assert (sheet.name, sheet.visible, sheet.first_row) == ("csv", True, 1)
    assert sheet.table.column_names == ["c0", "c1", "c2"]
    assert all(pa.types.is_string(t) for t in sheet.table.schema.types)
    assert rows_of(sheet) == [["客户编号", "金额", "日期"], ["000123", "5", "20240305"], ["0042", "6.50", "20240306"]]


def test_ragged_csv_with_title_line_reads_every_row() -> None:
    text = '2024年华南区销售明细\n日期,客户,金额\n2024/1/1,甲,"1,234.50"\n2024/1/2,乙,2\n合计,,"1,236.50"\n'
    wb = readers.read_workbook(text.encode("gb18030"))
    assert wb.encoding == "gb18030"
    (sheet,) = wb.sheets
    assert rows_of(sheet) == [
        ["2024年华南区销售明细", None, None],
        ["日期", "客户", "金额"],
        ["2024/1/1", "甲", "1,234.50"],
        ["2024/1/2", "乙", "2"],
        ["合计", "", "1,236.50"],
    ]
    assert readers.find_header_row(sheet.table) == 1


def test_ragged_line_far_down_falls_back_to_tolerant_reader() -> None:
    lines = ["客户,金额"] + [f"客户{i},{i}" for i in range(300)] + ["备注：以上为不含税金额,,,"]
    (sheet,) = readers.read_workbook("\n".join(lines).encode()).sheets
    assert sheet.table.num_rows == 302
    assert sheet.table.num_columns == 4
    assert rows_of(sheet)[-1] == ["备注：以上为不含税金额", "", "", ""]


def test_csv_quoted_fields_keep_commas_quotes_and_newlines() -> None:
    text = '客户,地址,金额\n"甲公司, 上海分部","浦东""新区""",100\n乙公司,"第一行\n第二行","1,234.50"\n'
    (sheet,) = readers.read_workbook(text.encode()).sheets
    assert rows_of(sheet) == [
        ["客户", "地址", "金额"],
        ["甲公司, 上海分部", '浦东"新区"', "100"],
        ["乙公司", "第一行\n第二行", "1,234.50"],
    ]


def test_csv_blank_lines_keep_row_numbers() -> None:
    # row i of the table is line first_row + i of the file, also after blank lines
    text = "客户,金额\n\n甲,1\n\n\n乙,2\n"  # 甲 on line 3, 乙 on line 6
    (sheet,) = readers.read_workbook(text.encode()).sheets
    rows = rows_of(sheet)
    assert rows[3 - sheet.first_row] == ["甲", "1"]
    assert rows[6 - sheet.first_row] == ["乙", "2"]


@pytest.mark.parametrize(
    ("data", "delimiter", "encoding"),
    [
        ("客户;金额\n甲;1,5\n乙;2\n".encode(), ";", "utf-8-sig"),
        ("客户\t金额\n甲\t1\n乙\t2\n".encode("utf-16"), "\t", "utf-16"),  # Excel's "Unicode text"
        ("客户|金额\n甲|1\n乙|2\n".encode("gb18030"), "|", "gb18030"),
    ],
    ids=["semicolon", "utf16-tab", "gb18030-pipe"],
)
def test_csv_dialects(data: bytes, delimiter: str, encoding: str) -> None:
    wb = readers.read_workbook(data)
    assert (wb.delimiter, wb.encoding) == (delimiter, encoding)
    assert rows_of(wb.sheets[0])[:2] == [["客户", "金额"], ["甲", "1,5" if delimiter == ";" else "1"]]


def test_sample_csv_fixture() -> None:
    wb = readers.read_workbook((SAMPLES / "华南区_2024.csv").read_bytes())
    assert (wb.encoding, wb.delimiter) == ("gb18030", ",")
    (sheet,) = wb.sheets
    rows = rows_of(sheet)
    assert rows[0] == ["日期", "客户", "产品", "金额", "毛利", "区域", "销售员"]
    assert rows[2][:4] == ["2024/1/2", "深圳万隆实业有限公司", "工业传感器A型", "4,848.90"]
    assert readers.find_header_row(sheet.table) == 0


# ------------------------------------------------------------------------------------------ XLSX


def title_and_merged_header(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws.title = "销售明细"
    ws["A1"] = "2024年华东区销售明细表"
    ws.merge_cells("A1:E1")
    ws["A2"] = "制表日期：2025年1月6日"
    ws["D2"] = "单位：元"
    ws.merge_cells("A2:C2")
    ws.append(["序号", "单据日期", "客户名称", "价税合计", "备注"])  # row 3
    ws.append([1, dt.datetime(2024, 3, 5, 10, 0), "甲公司", 1234.5, "row 4"])
    ws.append([2, dt.date(2024, 3, 6), "000123", -500, "row 5"])
    ws.append(["合计", None, None, 734.5, "row 6"])


def test_title_rows_and_merged_cells_above_header() -> None:
    wb = readers.read_workbook(xlsx_bytes(title_and_merged_header))
    assert (wb.file_format, wb.date1904) == ("xlsx", False)
    (sheet,) = wb.sheets
    assert (sheet.name, sheet.visible) == ("销售明细", True)
    header = readers.find_header_row(sheet.table)
    assert header == 2
    assert sheet.first_row + header == 3  # Excel row of the header
    rows = rows_of(sheet)
    assert rows[0] == ["2024年华东区销售明细表", None, None, None, None]  # merged: top-left only
    assert rows[header] == ["序号", "单据日期", "客户名称", "价税合计", "备注"]
    for excel_row in (4, 5, 6):  # every row's marker sits at its Excel row number
        assert rows[excel_row - sheet.first_row][4] == f"row {excel_row}"
    assert rows[3][:4] == ["1", "2024-03-05 10:00:00", "甲公司", "1234.5"]
    assert rows[4][:4] == ["2", "2024-03-06 00:00:00", "000123", "-500"]


def leading_blank_rows(wb: openpyxl.Workbook) -> None:
    ws = wb.active
    ws["B3"] = "2024年销售明细"  # rows 1–2 and column A empty: the used range starts at B3
    ws["B5"], ws["C5"], ws["D5"] = "日期", "客户名称", "金额"
    ws["B6"], ws["C6"], ws["D6"] = "2024-03-05", "甲公司", "row 6"


def test_row_numbers_with_leading_blank_rows() -> None:
    (sheet,) = readers.read_workbook(xlsx_bytes(leading_blank_rows)).sheets
    header = readers.find_header_row(sheet.table)
    assert header is not None
    rows = rows_of(sheet)
    assert sheet.first_row + header == 5
    assert rows[header] == ["日期", "客户名称", "金额"]
    assert rows[6 - sheet.first_row] == ["2024-03-05", "甲公司", "row 6"]


def several_sheets(wb: openpyxl.Workbook) -> None:
    for month in (1, 2):
        ws = wb.active if month == 1 else wb.create_sheet()
        ws.title = f"{month}月"
        ws.append(["日期", "客户", "金额"])
        ws.append([dt.date(2024, month, 1), f"客户{month}", month * 100])
    hidden = wb.create_sheet("底稿")
    hidden.sheet_state = "hidden"
    hidden.append(["客户", "金额"])
    very = wb.create_sheet("参数")
    very.sheet_state = "veryHidden"
    very["A1"] = "x"
    wb.create_sheet("空白")


def test_several_sheets_in_workbook_order_with_visibility() -> None:
    wb = readers.read_workbook(xlsx_bytes(several_sheets))
    assert [(s.name, s.visible) for s in wb.sheets] == [
        ("1月", True),
        ("2月", True),
        ("底稿", False),
        ("参数", False),
        ("空白", True),
    ]
    first, second = wb.sheets[0], wb.sheets[1]
    assert rows_of(first)[1] == ["2024-01-01 00:00:00", "客户1", "100"]
    assert rows_of(second)[1] == ["2024-02-01 00:00:00", "客户2", "200"]
    assert all(s.first_row == 1 for s in wb.sheets)
    assert [readers.find_header_row(s.table) for s in wb.sheets] == [0, 0, 0, None, None]


def mac_1904(wb: openpyxl.Workbook) -> None:
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.append(["日期", "客户", "序列号"])
    ws.append([dt.date(2024, 3, 5), "甲", 43890])  # a date cell, and a bare serial number
    ws.append([dt.datetime(2024, 3, 5, 10, 0), "乙", 0])


def test_1904_date_system() -> None:
    data = xlsx_bytes(mac_1904)
    workbook_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml")
    assert b'date1904="1"' in workbook_xml  # the premise: openpyxl wrote a 1904 workbook
    wb = readers.read_workbook(data)
    assert wb.date1904 is True
    rows = rows_of(wb.sheets[0])
    # real date cells are rendered as dates already, whatever the epoch
    assert [r[0] for r in rows[1:]] == ["2024-03-05 00:00:00", "2024-03-05 10:00:00"]
    assert parsing.parse_dates([r[0] for r in rows[1:]], date1904=wb.date1904) == [dt.date(2024, 3, 5)] * 2
    # bare serial numbers need the workbook's epoch
    assert parsing.parse_dates([rows[1][2]], date1904=wb.date1904) == [dt.date(2024, 3, 1)]


def test_1900_workbook_is_not_1904() -> None:
    assert readers.read_workbook(xlsx_bytes(small_ledger)).date1904 is False


def test_sample_workbook_fixture() -> None:
    wb = readers.read_workbook((SAMPLES / "华东区_2024年销售明细.xlsx").read_bytes())
    assert [s.name for s in wb.sheets] == ["销售明细", "说明"]
    sheet = wb.sheets[0]
    header = readers.find_header_row(sheet.table)
    assert (header, sheet.first_row) == (2, 1)
    assert rows_of(sheet)[2][:4] == ["序号", "单据日期", "单据编号", "客户名称"]
    assert readers.find_header_row(wb.sheets[1].table) is None


def test_legacy_xls_fixture() -> None:
    # BIFF8 written by xlwt (tests/fixtures/make_legacy_xls.py): title row, header, 4 lines, 合计
    data = (Path(__file__).parent / "fixtures" / "legacy_erp.xls").read_bytes()
    assert readers.sniff_format(data) == "xls"
    wb = readers.read_workbook(data)
    assert (wb.file_format, wb.date1904) == ("xls", False)
    (sheet,) = wb.sheets
    assert (sheet.name, sheet.visible, sheet.first_row) == ("销售", True, 1)
    assert readers.find_header_row(sheet.table) == 1
    rows = rows_of(sheet)
    assert rows[1] == ["日期", "客户编号", "客户名称", "金额"]
    assert rows[2] == ["2019-03-05 00:00:00", "000123", "成都天府商贸有限公司", "1200.5"]
    assert rows[6][2:] == ["合计", "1899.99"]  # 1200.5 + 800 − 200.5 + 99.99


# ----------------------------------------------------------------------------------- xlsx safety


def test_workbook_doctype_is_refused() -> None:
    doctype = b'<!DOCTYPE workbook [<!ENTITY e "x">]>'
    data = edit_zip(xlsx_bytes(small_ledger), "xl/workbook.xml", lambda xml: doctype + xml)
    assert read_error(data) == "xml_dtd"


def test_sheet_doctype_is_refused() -> None:
    data = edit_zip(xlsx_bytes(small_ledger), "xl/worksheets/sheet1.xml", lambda xml: b"<!DOCTYPE x>" + xml)
    assert read_error(data) == "xml_dtd"


def test_undefined_entity_in_a_cell_is_corrupt_not_expanded() -> None:
    data = edit_zip(
        xlsx_bytes(small_ledger), "xl/worksheets/sheet1.xml", lambda xml: xml.replace("甲".encode(), b"&e;")
    )
    assert read_error(data) == "corrupt_file"


@pytest.mark.parametrize("cut", [0.5, 0.9], ids=["half", "most"])
def test_truncated_xlsx_is_corrupt(cut: float) -> None:
    data = xlsx_bytes(small_ledger)
    assert read_error(data[: int(len(data) * cut)]) == "corrupt_file"


def test_truncated_tail_is_corrupt() -> None:
    assert read_error(xlsx_bytes(small_ledger)[:-10]) == "corrupt_file"


def test_zip_without_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    assert read_error(out.getvalue()) == "not_a_workbook"


def test_empty_bytes() -> None:
    assert read_error(b"") == "empty_file"


def test_ordinary_dimension_is_accepted() -> None:
    data = edit_zip(xlsx_bytes(small_ledger), "xl/worksheets/sheet1.xml", set_dimension(b'<dimension ref="A1:C2"/>'))
    assert rows_of(readers.read_workbook(data).sheets[0])[1][1:] == ["甲公司", "100"]


def test_sheet_without_dimension_is_read() -> None:
    data = edit_zip(xlsx_bytes(small_ledger), "xl/worksheets/sheet1.xml", set_dimension(b""))
    assert rows_of(readers.read_workbook(data).sheets[0])[1][1:] == ["甲公司", "100"]


def far_cells(wb: openpyxl.Workbook) -> None:
    small_ledger(wb)
    wb.active["XFD1048576"] = "x"


def bottom_rows_many_columns(wb: openpyxl.Workbook) -> None:
    # only 14 cells, but the grid read from row 1 is 1,048,576 × 182
    ws = wb.active
    for column in range(1, 183):
        ws.cell(row=1048570, column=column, value="x")
        ws.cell(row=1048576, column=column, value="y")


HOSTILE: dict[str, Callable[[], bytes]] = {
    "declared-XFD1048576": lambda: edit_zip(
        xlsx_bytes(small_ledger), "xl/worksheets/sheet1.xml", set_dimension(b'<dimension ref="A1:XFD1048576"/>')
    ),
    "declared-single-quotes": lambda: edit_zip(
        xlsx_bytes(far_cells), "xl/worksheets/sheet1.xml", set_dimension(b"<dimension ref='A1:XFD1048576'/>")
    ),
    "no-dimension-far-cell": lambda: edit_zip(xlsx_bytes(far_cells), "xl/worksheets/sheet1.xml", set_dimension(b"")),
    "far-cell": lambda: xlsx_bytes(far_cells),
    "bottom-rows-182-columns": lambda: xlsx_bytes(bottom_rows_many_columns),
}

CHILD = """
import json, sys
from pathlib import Path
from analytics.errors import IngestError
from analytics.readers import read_workbook
out = {}
for path in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    try:
        read_workbook(path.read_bytes())
        out[path.stem] = "read"
    except IngestError as exc:
        out[path.stem] = exc.code
print(json.dumps(out))
"""


def _cap_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


@pytest.fixture(scope="module")
def hostile_codes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("hostile")
    for name, build in HOSTILE.items():
        (folder / f"{name}.xlsx").write_bytes(build())
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_cap_memory,
        check=False,
    )
    assert done.returncode == 0, f"reader process died ({done.returncode}): {done.stderr[-2000:]}"
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_oversized_sheets_are_refused_without_crashing(hostile_codes: dict[str, str], name: str) -> None:
    assert hostile_codes[name] == "sheet_too_large"


def test_oversized_sheet_error_says_how_large() -> None:
    data = HOSTILE["declared-XFD1048576"]()
    with pytest.raises(IngestError) as caught:
        readers.read_workbook(data)
    assert caught.value.params == {"rows": 1048576, "columns": 16384}
    assert "1048576" in caught.value.render("en")
