"""Header synonyms (analytics.synonyms): kind detection and column → field matching on real header sets."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from analytics.synonyms import FIELD_SYNONYMS, detect_kind, header_score, match_columns, normalize_header

SAMPLES = Path(__file__).parent / "fixtures" / "samples"

# The header rows of the sample files (checked against the files below), with the kind each file
# is and the mapping a person reading the headers would make.
SAMPLE_HEADERS: dict[str, tuple[list[str], str, dict[str, str]]] = {
    "华东区_2024年销售明细.xlsx": (
        ["序号", "单据日期", "单据编号", "客户名称", "业务员", "存货名称", "数量", "单价", "价税合计", "毛利"],
        "ledger",
        {
            "order_date": "单据日期",
            "order_id": "单据编号",
            "customer": "客户名称",
            "sales_rep": "业务员",
            "product": "存货名称",
            "quantity": "数量",
            "unit_price": "单价",
            "amount": "价税合计",
            "profit": "毛利",
        },
    ),
    "north_region_2024.xlsx": (
        ["Invoice Date", "Invoice No", "Customer", "Product", "Qty", "Unit Price", "Gross Profit", "City", "Sales Rep"],
        "ledger",
        {
            "order_date": "Invoice Date",
            "order_id": "Invoice No",
            "customer": "Customer",
            "product": "Product",
            "quantity": "Qty",
            "unit_price": "Unit Price",
            "profit": "Gross Profit",
            "region": "City",
            "sales_rep": "Sales Rep",
        },
    ),
    "华南区_2024.csv": (
        ["日期", "客户", "产品", "金额", "毛利", "区域", "销售员"],
        "ledger",
        {
            "order_date": "日期",
            "customer": "客户",
            "product": "产品",
            "amount": "金额",
            "profit": "毛利",
            "region": "区域",
            "sales_rep": "销售员",
        },
    ),
    "客户档案.xlsx": (
        ["客户编号", "客户名称", "所属区域", "城市", "行业", "客户经理", "建档日期", "信用等级"],
        "customers",
        {
            "customer_code": "客户编号",
            "customer": "客户名称",
            "region": "所属区域",
            "city": "城市",
            "industry": "行业",
            "sales_rep": "客户经理",
            "first_contact": "建档日期",
            "credit_rating": "信用等级",
        },
    ),
    "满意度调查_2024.xlsx": (
        [
            "客户名称",
            "调查日期",
            "总体满意度",
            "产品质量",
            "服务态度",
            "交付及时性",
            "价格合理性",
            "推荐意愿(0-10)",
            "意见建议",
        ],
        "surveys",
        {
            "customer": "客户名称",
            "survey_date": "调查日期",
            "overall": "总体满意度",
            "recommend": "推荐意愿(0-10)",
            "comment": "意见建议",
        },
    ),
    "客户投诉记录.xlsx": (
        ["投诉编号", "客户名称", "投诉日期", "投诉类别", "严重程度", "处理状态", "解决日期", "问题描述"],
        "complaints",
        {
            "complaint_id": "投诉编号",
            "customer": "客户名称",
            "opened_date": "投诉日期",
            "category": "投诉类别",
            "severity": "严重程度",
            "status": "处理状态",
            "resolved_date": "解决日期",
            "description": "问题描述",
        },
    ),
}

# Other header sets seen in the wild (UCI Online Retail, CDNOW, a Kingdee-style export).
OTHER_HEADERS: dict[str, tuple[list[str], str, dict[str, str]]] = {
    "uci-online-retail": (
        ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"],
        "ledger",
        {
            "order_id": "InvoiceNo",
            "product": "Description",
            "quantity": "Quantity",
            "order_date": "InvoiceDate",
            "unit_price": "UnitPrice",
            "customer": "CustomerID",
            "region": "Country",
        },
    ),
    "cdnow": (
        ["customer id", "date", "quantity", "amount"],
        "ledger",
        {"customer": "customer id", "order_date": "date", "quantity": "quantity", "amount": "amount"},
    ),
    "decorated-headers": (
        ["开票日期", " 购货单位 ", "价税合计(元)", "数量（个）", "Sales-Rep"],
        "ledger",
        {
            "order_date": "开票日期",
            "customer": " 购货单位 ",
            "amount": "价税合计(元)",
            "quantity": "数量（个）",
            "sales_rep": "Sales-Rep",
        },
    ),
}

ALL_HEADERS = {**SAMPLE_HEADERS, **OTHER_HEADERS}


def _header_row(path: Path) -> list[str]:
    if path.suffix == ".csv":
        return path.read_bytes().decode("gb18030").splitlines()[0].split(",")
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    for row in sheet.to_python(nrows=10):
        cells = [str(c) for c in row]
        if sum(1 for c in cells if c) >= 3 and "年" not in cells[0]:
            return cells
    raise AssertionError(f"no header row in {path.name}")


@pytest.mark.parametrize("file_name", list(SAMPLE_HEADERS))
def test_sample_headers_are_the_fixture_headers(file_name: str) -> None:
    assert _header_row(SAMPLES / file_name) == SAMPLE_HEADERS[file_name][0]


@pytest.mark.parametrize("name", list(ALL_HEADERS))
def test_detect_kind(name: str) -> None:
    headers, kind, _ = ALL_HEADERS[name]
    detected, scores = detect_kind(headers)
    assert detected == kind
    assert set(scores) == set(FIELD_SYNONYMS)
    assert scores[kind] == max(scores.values())


@pytest.mark.parametrize("name", list(ALL_HEADERS))
def test_match_columns(name: str) -> None:
    headers, kind, expected = ALL_HEADERS[name]
    mapping, matches = match_columns(headers, kind)
    assert mapping == expected
    assert [m.column for m in matches] == headers  # one match per column, in file order
    for match in matches:
        assert (match.field is None) == (match.source == "none") == (match.confidence == 0)
        if match.field is not None:
            assert mapping[match.field] == match.column
            assert 0 < match.confidence <= 1


@pytest.mark.parametrize(
    ("header", "kind", "field", "source"),
    [
        ("价税合计", "ledger", "amount", "synonym"),
        ("单据编号", "ledger", "order_id", "synonym"),
        ("Invoice Date", "ledger", "order_date", "synonym"),
        ("INVOICE_DATE", "ledger", "order_date", "synonym"),
        ("CustomerID", "ledger", "customer", "synonym"),
        ("推荐意愿(0-10)", "surveys", "recommend", "synonym"),
        ("推荐意愿（1-10分）", "surveys", "recommend", "contains"),
        ("价税合计(元)", "ledger", "amount", "contains"),
        ("Custmer", "ledger", "customer", "similar"),
        ("备注", "ledger", None, "none"),
        ("", "ledger", None, "none"),
    ],
)
def test_single_header(header: str, kind: str, field: str | None, source: str) -> None:
    _, (match,) = match_columns([header], kind)
    assert (match.field, match.source) == (field, source)


def test_exact_synonym_beats_contained_one() -> None:
    # 客户经理 contains 客户, but is an exact synonym of the rep: each column serves one field
    mapping, _ = match_columns(["客户经理", "客户名称", "金额", "日期"], "ledger")
    assert mapping["sales_rep"] == "客户经理"
    assert mapping["customer"] == "客户名称"


def test_earlier_synonym_wins_between_two_candidates() -> None:
    # both are customer synonyms; the name is preferred over the code, and the code is not reused
    mapping, matches = match_columns(["客户编号", "客户名称", "金额"], "ledger")
    assert mapping["customer"] == "客户名称"
    assert next(m for m in matches if m.column == "客户编号").field is None


def test_a_column_serves_at_most_one_field() -> None:
    # 日期 and Date are both survey_date synonyms: only one of them gets the field
    headers = ["日期", "Date", "客户", "满意度", "推荐意愿"]
    mapping, matches = match_columns(headers, "surveys")
    assert len(set(mapping.values())) == len(mapping)
    assert sum(1 for m in matches if m.field == "survey_date") == 1
    # every field of every kind on a header soup: still no column twice
    soup = sorted({w for fields in FIELD_SYNONYMS.values() for words in fields.values() for w in words})
    for kind in FIELD_SYNONYMS:
        mapping, matches = match_columns(soup, kind)
        assert len(set(mapping.values())) == len(mapping)
        assert len([m for m in matches if m.field]) == len(mapping)


@pytest.mark.parametrize(
    ("remembered", "expected"),
    [
        ({"customer": "客户编号"}, {"customer": "客户编号"}),  # beats the better synonym 客户名称
        ({"amount": "毛利"}, {"amount": "毛利"}),  # and takes the column away from profit
        ({"customer": "不存在的列"}, {"customer": "客户名称"}),  # stale column: ignored
        ({"no_such_field": "客户编号"}, {"customer": "客户名称"}),  # unknown field: ignored
    ],
    ids=["wins", "takes-column", "stale-column", "unknown-field"],
)
def test_remembered_mapping(remembered: dict[str, str], expected: dict[str, str]) -> None:
    headers = ["客户编号", "客户名称", "日期", "价税合计", "毛利"]
    mapping, matches = match_columns(headers, "ledger", remembered)
    for field, column in expected.items():
        assert mapping[field] == column
    for field, column in remembered.items():
        if field in mapping and column in headers:
            match = next(m for m in matches if m.column == column)
            assert (match.field, match.source, match.confidence) == (field, "remembered", 1.0)
    if remembered == {"amount": "毛利"}:
        assert "profit" not in mapping
    assert len(set(mapping.values())) == len(mapping)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("客户名称", "客户名称"),
        ("  Customer Name ", "customername"),
        ("CUSTOMER_NAME", "customername"),
        ("Customer-Name", "customername"),
        ("Ｃｕｓｔｏｍｅｒ", "customer"),  # full-width letters (NFKC)
        ("客户名称（全称）", "客户名称全称"),  # full-width parentheses
        ("推荐意愿(0-10)", "推荐意愿010"),
        ("价税合计(元)", "价税合计元"),
        ("金额\u3000¥", "金额"),
        ("Unit\tPrice\n", "unitprice"),
        ("No.", "no"),
        ("__", ""),
        ("", ""),
        (None, ""),
        (123, "123"),
        (1.5, "15"),
    ],
)
def test_normalize_header(text: object, expected: str) -> None:
    assert normalize_header(text) == expected


@pytest.mark.parametrize(
    ("cells", "score"),
    [
        (["2024年华东区销售明细表", None, None], 1),  # a title row scores at most one …
        (["制表日期：2025年1月6日", "", "单位：元"], 1),
        (["序号", "单据日期", "单据编号", "客户名称", "业务员"], 4),  # … a header row several
        (["1", "2024-03-05", "XS100137", "宁波永安医药有限公司", "张伟"], 0),
        ([None, "", 45356], 0),
        (["客户名称" * 10], 0),  # too long to be a header
    ],
)
def test_header_score(cells: list[object], score: int) -> None:
    assert header_score(cells) == score
