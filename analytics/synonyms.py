"""Header synonyms (Chinese and English) and column → field matching with a confidence.

Matching is case-, space- and punctuation-insensitive (SPEC §2). Confidence per column:

* 1.0 − 0.001·i for an exact match with the i-th synonym (earlier synonyms are preferred, so
  ``客户名称`` wins over ``客户编号`` for the customer field when both exist);
* 0.85 when the header contains a synonym of at least two characters (``价税合计(元)``);
* 0.6 × similarity for a close spelling (difflib ratio ≥ 0.8), e.g. ``Custmer``.

Each field takes at most one column and each column serves at most one field (greedy, highest
confidence first).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

_CUSTOMER = [
    "客户名称",
    "客户",
    "客户名",
    "单位名称",
    "公司名称",
    "购货单位",
    "客户全称",
    "customer name",
    "customer",
    "client",
    "account",
    "客户编号",
    "客户id",
    "客户代码",
    "customer id",
    "customerid",
    "client id",
]
_DATE = [
    "日期",
    "订单日期",
    "交易日期",
    "销售日期",
    "签约日期",
    "开票日期",
    "单据日期",
    "下单日期",
    "发货日期",
    "date",
    "order date",
    "invoice date",
    "invoicedate",
    "transaction date",
    "sale date",
]
_REGION = [
    "区域",
    "地区",
    "大区",
    "片区",
    "省份",
    "城市",
    "所属区域",
    "region",
    "area",
    "territory",
    "country",
    "city",
]
_REP = [
    "销售员",
    "业务员",
    "销售代表",
    "客户经理",
    "负责人",
    "销售",
    "sales rep",
    "salesperson",
    "owner",
    "account manager",
    "rep",
]

FIELD_SYNONYMS: dict[str, dict[str, list[str]]] = {
    "ledger": {
        "customer": _CUSTOMER,
        "order_date": _DATE,
        "amount": [
            "金额",
            "销售额",
            "销售金额",
            "合同金额",
            "订单金额",
            "含税金额",
            "价税合计",
            "收入",
            "销售收入",
            "amount",
            "revenue",
            "sales",
            "total",
            "sales amount",
            "net amount",
            "line total",
        ],
        "quantity": ["数量", "销量", "销售数量", "qty", "quantity"],
        "unit_price": ["单价", "价格", "含税单价", "price", "unit price", "unitprice"],
        "profit": ["毛利", "毛利额", "利润", "毛利润", "profit", "gross profit", "margin"],
        "order_id": [
            "订单号",
            "单号",
            "单据编号",
            "发票号",
            "订单编号",
            "order id",
            "invoice",
            "invoice no",
            "invoiceno",
            "order no",
        ],
        "product": [
            "产品",
            "产品名称",
            "品名",
            "商品",
            "存货名称",
            "商品名称",
            "product",
            "sku",
            "item",
            "description",
            "product name",
        ],
        "category": ["品类", "类别", "产品类别", "category", "product category"],
        "region": _REGION,
        "sales_rep": _REP,
        "channel": ["渠道", "行业", "channel", "industry", "segment"],
    },
    "customers": {
        "customer": [
            "客户名称",
            "客户",
            "客户名",
            "单位名称",
            "公司名称",
            "客户全称",
            "customer name",
            "customer",
            "client",
            "account",
        ],
        "customer_code": ["客户编号", "客户id", "客户代码", "编号", "customer id", "customer code", "id"],
        "display_name": ["简称", "客户简称", "display name", "short name"],
        "region": ["区域", "所属区域", "大区", "地区", "片区", "region", "area", "territory"],
        "city": ["城市", "省份", "city", "province"],
        "industry": ["行业", "所属行业", "industry", "segment"],
        "sales_rep": _REP,
        "first_contact": [
            "建档日期",
            "首次接触",
            "首次合作日期",
            "开户日期",
            "first contact",
            "since",
            "created",
        ],
        "credit_rating": ["信用等级", "信用评级", "credit rating", "credit"],
        "contact_person": ["联系人", "contact", "contact person"],
    },
    "surveys": {
        "customer": _CUSTOMER,
        "survey_date": ["调查日期", "问卷日期", "填写日期", "日期", "survey date", "date", "response date"],
        "overall": [
            "总体满意度",
            "满意度",
            "综合满意度",
            "整体满意度",
            "overall",
            "overall satisfaction",
            "csat",
            "satisfaction",
            "score",
        ],
        "recommend": ["推荐意愿", "推荐可能性", "推荐意愿010", "nps", "likely to recommend", "recommend"],
        "comment": ["意见建议", "意见", "建议", "备注", "评论", "comment", "comments", "feedback"],
    },
    "complaints": {
        "customer": _CUSTOMER,
        "complaint_id": ["投诉编号", "工单号", "编号", "complaint id", "ticket", "ticket id"],
        "opened_date": [
            "投诉日期",
            "受理日期",
            "登记日期",
            "日期",
            "opened",
            "opened date",
            "date",
            "complaint date",
        ],
        "category": ["投诉类别", "问题类别", "投诉类型", "类别", "category", "type"],
        "severity": ["严重程度", "等级", "紧急程度", "severity", "priority"],
        "status": ["处理状态", "状态", "status"],
        "resolved_date": [
            "解决日期",
            "结案日期",
            "关闭日期",
            "完成日期",
            "resolved",
            "resolved date",
            "closed date",
        ],
        "description": ["问题描述", "描述", "内容", "投诉内容", "description", "details"],
    },
}

# Fields whose presence tells one kind of file from another (weights for kind detection).
KIND_MARKERS: dict[str, dict[str, float]] = {
    "ledger": {
        "amount": 2.0,
        "quantity": 0.5,
        "unit_price": 0.5,
        "order_date": 1.0,
        "profit": 1.0,
        "order_id": 0.5,
        "product": 0.5,
    },
    "customers": {
        "industry": 1.0,
        "credit_rating": 1.5,
        "first_contact": 1.0,
        "contact_person": 1.0,
        "customer_code": 0.5,
    },
    "surveys": {"overall": 2.0, "recommend": 2.0, "comment": 0.5, "survey_date": 0.5},
    "complaints": {
        "complaint_id": 1.5,
        "severity": 1.5,
        "status": 1.0,
        "resolved_date": 1.5,
        "description": 0.5,
    },
}

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def normalize_header(text: object) -> str:
    """Header text reduced for matching: NFKC, lower case, no spaces or punctuation."""
    if text is None:
        return ""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", str(text)).lower())


@dataclass(frozen=True)
class ColumnMatch:
    """How one column of the file was matched."""

    column: str
    field: str | None
    confidence: float
    source: str  # "synonym", "contains", "similar", "remembered", "user" or "none"


def _score(header: str, synonyms: Sequence[str]) -> tuple[float, str]:
    norm = normalize_header(header)
    if not norm:
        return 0.0, "none"
    normalized = [normalize_header(s) for s in synonyms]
    for i, syn in enumerate(normalized):
        if norm == syn:
            return 1.0 - 0.001 * i, "synonym"
    contains = [s for s in normalized if len(s) >= 2 and s in norm]
    if contains:
        return 0.85 - 0.001 * normalized.index(max(contains, key=len)), "contains"
    best = max((difflib.SequenceMatcher(None, norm, s).ratio() for s in normalized if len(s) >= 4), default=0.0)
    if best >= 0.8:
        return 0.6 * best, "similar"
    return 0.0, "none"


def match_columns(
    headers: Sequence[str], kind: str, remembered: Mapping[str, str] | None = None
) -> tuple[dict[str, str], list[ColumnMatch]]:
    """Best column for each field of ``kind``: returns ({field: column}, one match per column).

    ``remembered`` (field → column) is a confirmed mapping for this header set; it wins.
    """
    synonyms = FIELD_SYNONYMS[kind]
    candidates: list[tuple[float, str, str, str]] = []
    if remembered:
        for field, column in remembered.items():
            if field in synonyms and column in headers:
                candidates.append((2.0, field, column, "remembered"))
    for column in headers:
        for field, words in synonyms.items():
            conf, how = _score(column, words)
            if conf > 0:
                candidates.append((conf, field, column, how))
    mapping: dict[str, str] = {}
    used: dict[str, tuple[float, str, str]] = {}
    for conf, field, column, how in sorted(candidates, key=lambda c: (-c[0], headers.index(c[2]))):
        if field in mapping or column in used:
            continue
        mapping[field] = column
        used[column] = (min(conf, 1.0), field, how)
    matches = [
        ColumnMatch(column=c, field=used[c][1], confidence=round(used[c][0], 3), source=used[c][2])
        if c in used
        else ColumnMatch(column=c, field=None, confidence=0.0, source="none")
        for c in headers
    ]
    return mapping, matches


_ALL_HEADER_WORDS = frozenset(
    normalize_header(w) for fields in FIELD_SYNONYMS.values() for ws in fields.values() for w in ws
)


def header_score(cells: Iterable[object]) -> int:
    """How many cells of a row look like a known header (any kind, exact or contained synonym)."""
    words = _ALL_HEADER_WORDS
    score = 0
    for cell in cells:
        norm = normalize_header(cell)
        if norm and (norm in words or any(len(w) >= 2 and w in norm for w in words)) and len(norm) <= 30:
            score += 1
    return score


def detect_kind(headers: Sequence[str]) -> tuple[str, dict[str, float]]:
    """Most likely kind of file from its headers, with the score of every kind."""
    scores: dict[str, float] = {}
    for kind, markers in KIND_MARKERS.items():
        mapping, _ = match_columns(headers, kind)
        scores[kind] = sum(weight for field, weight in markers.items() if field in mapping)
    best = max(scores, key=lambda k: (scores[k], k == "ledger"))
    return best, scores
