"""The upload pipeline against independently known answers (EXPECTED.json, hand-built files, pandas)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from analytics import ingest, store
from analytics.errors import IngestError

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = FIXTURES / "samples"
EXPECTED = json.loads((SAMPLES / "EXPECTED.json").read_text(encoding="utf-8"))
LEDGERS = [name for name, exp in EXPECTED.items() if "transaction_rows" in exp]
DATA_TABLES = ("customers", "customer_master", "transactions", "surveys", "survey_scores", "complaints", "uploads")


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    """Every data table's full content (sorted), plus the data version."""
    out = {t: sorted(map(repr, con.execute(f"select * from {t}").fetchall())) for t in DATA_TABLES}
    out["data_version"] = [store.data_version(con)]  # type: ignore[list-item]
    return out  # type: ignore[return-value]


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], sheet: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return store.connect(":memory:")


@pytest.mark.parametrize("name", LEDGERS)
def test_sample_ledger_matches_expected(con: duckdb.DuckDBPyConnection, name: str) -> None:
    exp = EXPECTED[name]
    result = ingest.ingest_file(con, SAMPLES / name)
    assert result.status == "stored", result.message
    assert result.rows_stored == exp["transaction_rows"]
    rows, customers, net, profit, returns = con.execute(
        "select count(*), count(distinct customer_id), sum(amount), sum(profit), count(*) filter (where amount < 0) "
        "from transactions"
    ).fetchall()[0]
    assert (rows, customers, returns) == (exp["transaction_rows"], exp["distinct_customers"], exp["return_rows"])
    assert net == Decimal(str(exp["net_amount"])).quantize(Decimal("0.0001"))
    assert profit == Decimal(str(exp["profit"])).quantize(Decimal("0.0001"))


def test_erp_total_rows_are_skipped_and_reported(con: duckdb.DuckDBPyConnection) -> None:
    # 12 monthly 小计 rows + 1 合计 row under 608 lines (read off the file by hand)
    result = ingest.ingest_file(con, SAMPLES / "华东区_2023年销售明细.xlsx")
    assert result.rows_read == 621
    assert result.rows_skipped == {"total_row": 13}
    names = {r[0] for r in con.execute("select customer_name from customers").fetchall()}
    assert not any("计" in n for n in names)


def test_region_from_file_name_and_master_wins(con: duckdb.DuckDBPyConnection) -> None:
    ingest.ingest_file(con, SAMPLES / "华东区_2024年销售明细.xlsx")
    assert con.execute("select distinct region from transactions").fetchall() == [("华东",)]
    master = ingest.ingest_file(con, SAMPLES / "客户档案.xlsx")
    assert master.status == "stored" and master.rows_stored == EXPECTED["客户档案.xlsx"]["customers"]
    # master rows carry the rep (客户经理); the ledger's own rep (业务员) is replaced where the master knows better
    mismatched = con.execute(
        """
        select count(*) from v_ledger as l join v_customers as c using (customer_id)
        where l.sales_rep is distinct from c.sales_rep and c.sales_rep is not null
        """
    ).fetchall()[0][0]
    assert mismatched == 0


def test_reingest_is_duplicate_and_changes_nothing(con: duckdb.DuckDBPyConnection) -> None:
    first = ingest.ingest_file(con, SAMPLES / "华南区_2024.csv")
    before = snapshot(con)
    again = ingest.ingest_file(con, SAMPLES / "华南区_2024.csv")
    assert again.status == "duplicate" and again.upload_id == first.upload_id
    assert snapshot(con) == before


def test_same_rows_in_another_file_are_skipped_by_order_id(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    ingest.ingest_file(con, SAMPLES / "north_region_2024.xlsx")
    # the same Q1 lines re-exported as a new file (different bytes, same order ids)
    q1 = pd.read_excel(SAMPLES / "north_region_2024.xlsx", sheet_name="Q1", engine="openpyxl")
    path = tmp_path / "north_q1_again.xlsx"
    q1.to_excel(path, index=False)
    result = ingest.ingest_file(con, path)
    assert (result.status, result.rows_stored, result.rows_skipped) == ("stored", 0, {"already_stored": len(q1)})
    assert con.execute("select count(*) from transactions").fetchall()[0][0] == 377


def test_partial_overlap_by_order_id_stores_only_new_lines(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    header = ["日期", "单号", "客户", "金额"]
    first = write_xlsx(
        tmp_path / "a.xlsx", [header, ["2024-01-02", "A1", "甲公司", 100], ["2024-01-03", "A2", "乙公司", 50]]
    )
    second = write_xlsx(
        tmp_path / "b.xlsx", [header, ["2024-01-03", "A2", "乙公司", 50], ["2024-01-04", "A3", "甲公司", 25]]
    )
    assert ingest.ingest_file(con, first).rows_stored == 2
    result = ingest.ingest_file(con, second)
    assert result.status == "stored"
    assert (result.rows_stored, result.rows_skipped) == (1, {"already_stored": 1})
    assert con.execute("select sum(amount) from transactions").fetchall()[0][0] == Decimal("175")


def overlapping_files(tmp_path: Path) -> tuple[Path, Path]:
    header = ["日期", "客户", "金额", "区域"]
    old = write_xlsx(
        tmp_path / "old.xlsx", [header, ["2024-01-02", "甲", 100, "华南"], ["2024-02-03", "乙", 50, "华南"]]
    )
    new = write_xlsx(
        tmp_path / "new.xlsx", [header, ["2024-01-01", "甲", 70, "华南"], ["2024-01-31", "丙", 30, "华南"]]
    )
    return old, new


def test_overlap_without_order_ids_asks(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    old, new = overlapping_files(tmp_path)
    ingest.ingest_file(con, old)
    before = snapshot(con)
    result = ingest.ingest_file(con, new)
    assert result.status == "rejected" and result.code == "overlap"
    assert "old.xlsx" in result.message and "2024-01-01" in result.message and "(1 stored rows" in result.message
    assert snapshot(con) == before


@pytest.mark.parametrize(
    ("answer", "expected_total", "expected_rows"),
    [
        ("append", Decimal("250"), 4),  # 100 + 50 + 70 + 30
        ("replace", Decimal("150"), 3),  # the stored 01-02 line (100) lies in 01-01..01-31 and goes: 50 + 70 + 30
    ],
)
def test_overlap_answers(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, answer: str, expected_total: Decimal, expected_rows: int
) -> None:
    old, new = overlapping_files(tmp_path)
    ingest.ingest_file(con, old)
    result = ingest.ingest_file(con, new, overlap=answer)
    assert result.status == "stored"
    assert con.execute("select sum(amount), count(*) from transactions").fetchall()[0] == (
        expected_total,
        expected_rows,
    )


def test_other_region_does_not_overlap(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    old, _ = overlapping_files(tmp_path)
    ingest.ingest_file(con, old)
    other = write_xlsx(tmp_path / "north.xlsx", [["日期", "客户", "金额", "区域"], ["2024-01-05", "丁", 10, "华北"]])
    assert ingest.ingest_file(con, other).status == "stored"


def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "corrupt": tmp_path / "broken.xlsx",
        "no_customer_column": write_xlsx(tmp_path / "nocust.xlsx", [["日期", "金额"], ["2024-01-01", 5]]),
        "only_bad_rows": write_xlsx(tmp_path / "bad.xlsx", [["日期", "客户", "金额"], ["yesterday", "甲", "lots"]]),
        "empty": tmp_path / "empty.csv",
        "html": tmp_path / "report.xls",
    }
    files["corrupt"].write_bytes((SAMPLES / "north_region_2024.xlsx").read_bytes()[:5000])
    files["empty"].write_bytes(b"")
    files["html"].write_bytes(b"<html><body><table><tr><td>x</td></tr></table></body></html>")
    return files


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("corrupt", "corrupt_file"),
        ("no_customer_column", "missing_field"),
        ("only_bad_rows", "no_usable_rows"),
        ("empty", "empty_file"),
        ("html", "html_file"),
    ],
)
def test_rejected_file_leaves_every_table_unchanged(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, case: str, code: str
) -> None:
    ingest.ingest_file(con, SAMPLES / "华南区_2024.csv")
    before = snapshot(con)
    result = ingest.ingest_file(con, bad_files(tmp_path)[case])
    assert (result.status, result.code) == ("rejected", code)
    assert result.message and "Traceback" not in result.message
    assert snapshot(con) == before


def test_rejection_message_in_chinese(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    result = ingest.ingest_file(con, bad_files(tmp_path)["no_customer_column"], lang="zh")
    assert result.message == "缺少必需的列“customer”，请在映射中指定对应的列。"


def messy_ledger(tmp_path: Path) -> Path:
    return write_xlsx(
        tmp_path / "messy.xlsx",
        [
            ["2024年测试区销售明细表"],
            ["日期", "客户名称", "金额", "毛利"],
            ["2024-03-01", "甲公司", "1.2万", "100"],  # row 3
            ["2024-03-02", None, 500, 10],  # row 4: no customer
            ["not a date", "乙公司", 300, 5],  # row 5: bad date
            ["2024-03-04", "丙公司", "n/a?", 5],  # row 6: bad amount
            ["2024-03-05", "丁公司", "(500)", "abc"],  # row 7: return; bad profit only warns
            [None, "合计", 12500, 120],  # row 8: total
        ],
    )


def test_bad_rows_are_listed_with_row_numbers(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    insp = ingest.inspect_file(messy_ledger(tmp_path).read_bytes(), "messy.xlsx")
    prepared = ingest.prepare(insp)
    assert prepared.rows_read == 6
    assert prepared.skipped == {"missing_customer": 1, "bad_date": 1, "bad_amount": 1, "total_row": 1}
    listed = prepared.bad_rows[["row", "reason", "column", "value"]].astype(object)
    assert listed.where(listed.notna(), None).values.tolist() == [
        [4, "missing_customer", "客户名称", None],
        [5, "bad_date", "日期", "not a date"],
        [6, "bad_amount", "金额", "n/a?"],
    ]
    assert prepared.warnings == {"bad_profit": 1}
    assert prepared.frame["amount"].tolist() == [12000.0, -500.0]
    result = ingest.commit(con, prepared)
    assert (result.status, result.rows_stored) == ("stored", 2)
    logged = con.execute("select rows_read, rows_stored, rows_skipped, skipped_reasons from uploads").fetchall()[0]
    assert logged[:3] == (6, 2, 4)
    assert json.loads(logged[3]) == prepared.skipped


def test_strict_refuses_the_whole_file(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    before = snapshot(con)
    result = ingest.ingest_file(con, messy_ledger(tmp_path), strict=True)
    assert (result.status, result.code) == ("rejected", "strict_rejected")
    assert "row 4" in result.message
    assert snapshot(con) == before


def test_strict_accepts_total_rows(con: duckdb.DuckDBPyConnection) -> None:
    result = ingest.ingest_file(con, SAMPLES / "华东区_2024年销售明细.xlsx", strict=True)
    assert (result.status, result.rows_stored) == ("stored", 662)


def test_constants_and_user_mapping_are_remembered(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    header = ["开单日", "买方", "货款"]  # no synonym matches 买方 or 货款
    jan = write_xlsx(tmp_path / "jan.xlsx", [header, ["2024-01-05", "甲", 10]])
    feb = write_xlsx(tmp_path / "feb.xlsx", [header, ["2024-02-05", "乙", 20]])
    assert ingest.ingest_file(con, jan).code == "missing_field"
    mapping = {"order_date": "开单日", "customer": "买方", "amount": "货款"}
    first = ingest.ingest_file(con, jan, mapping=mapping, constants={"region": "西北"})
    assert first.status == "stored"
    insp = ingest.inspect_file(feb.read_bytes(), "feb.xlsx", con=con)
    assert {m.column: m.source for m in insp.matches} == dict.fromkeys(header, "remembered")
    assert ingest.ingest_file(con, feb, constants={"region": "西北"}).status == "stored"
    assert con.execute("select region, sum(amount) from transactions group by region").fetchall() == [
        ("西北", Decimal("30"))
    ]


def test_ambiguous_day_month_is_asked(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "dm.xlsx", [["日期", "客户", "金额"], ["03/05/2024", "甲", 1], ["04/06/2024", "乙", 2]]
    )
    with pytest.raises(IngestError) as err:
        ingest.prepare(ingest.inspect_file(path.read_bytes(), "dm.xlsx"))
    assert err.value.code == "ambiguous_dates"
    result = ingest.ingest_file(con, path, date_order="dmy")
    assert result.status == "stored"
    assert con.execute("select min(order_date) from transactions").fetchall()[0][0] == dt.date(2024, 5, 3)


def test_unambiguous_day_first_is_decided_for_the_column(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    rows: list[list[object]] = [["日期", "客户", "金额"], ["03/05/2024", "甲", 1], ["25/12/2024", "乙", 2]]
    assert ingest.ingest_file(con, write_xlsx(tmp_path / "d.xlsx", rows)).status == "stored"
    dates = [r[0] for r in con.execute("select order_date from transactions order by order_date").fetchall()]
    assert dates == [dt.date(2024, 5, 3), dt.date(2024, 12, 25)]


def test_surveys_and_complaints_samples(con: duckdb.DuckDBPyConnection) -> None:
    surveys = ingest.ingest_file(con, SAMPLES / "满意度调查_2024.xlsx")
    complaints = ingest.ingest_file(con, SAMPLES / "客户投诉记录.xlsx")
    assert (surveys.kind, surveys.status, surveys.rows_stored) == ("surveys", "stored", 183)
    assert (complaints.kind, complaints.status, complaints.rows_stored) == ("complaints", "stored", 201)
    assert con.execute("select scale_min, scale_max from survey_scales").fetchall() == [(1.0, 5.0)]
    dims = {r[0] for r in con.execute("select distinct dimension from survey_scores").fetchall()}
    assert dims == {"产品质量", "服务态度", "交付及时性", "价格合理性"}
    assert con.execute("select count(*) from survey_scores").fetchall()[0][0] == 4 * 183
    # 31 处理中 + 20 未处理 have no resolved date; the 150 已解决 all have one (counted in the file)
    open_count = con.execute("select count(*) from complaints where resolved_date is null").fetchall()[0][0]
    assert open_count == con.execute("select count(*) from complaints where status <> '已解决'").fetchall()[0][0] == 51


def test_undo_restores_the_data(con: duckdb.DuckDBPyConnection) -> None:
    from analytics import loader

    ingest.ingest_file(con, SAMPLES / "华南区_2024.csv")
    before = con.execute("select count(*), sum(amount) from transactions").fetchall()
    second = ingest.ingest_file(con, SAMPLES / "north_region_2024.xlsx")
    assert second.upload_id is not None
    assert loader.undo_upload(con, second.upload_id) == 377
    assert con.execute("select count(*), sum(amount) from transactions").fetchall() == before
    # after an undo the same file can be stored again
    assert ingest.ingest_file(con, SAMPLES / "north_region_2024.xlsx").status == "stored"


def test_uci_online_retail_totals_match_pandas(
    uci_store: tuple[duckdb.DuckDBPyConnection, ingest.IngestResult], uci_raw: pd.DataFrame
) -> None:
    con, result = uci_store
    with_customer = uci_raw[uci_raw["CustomerID"].notna()]
    assert result.status == "stored"
    assert result.rows_read == len(uci_raw) == 541_909
    assert (
        result.rows_skipped == {"missing_customer": len(uci_raw) - len(with_customer)} == {"missing_customer": 135_080}
    )
    assert result.rows_stored == len(with_customer) == 406_829
    _, customers, net, negative = con.execute(
        "select count(*), count(distinct customer_id), sum(amount), count(*) filter (where amount < 0) "
        "from transactions"
    ).fetchall()[0]
    assert customers == with_customer["CustomerID"].nunique() == 4_372
    assert float(net) == pytest.approx(with_customer["amount"].sum(), abs=0.005)
    # cancellations (InvoiceNo C…) are negative lines, netted into revenue
    assert negative == (with_customer["amount"] < 0).sum()
    assert (with_customer.loc[with_customer["InvoiceNo"].str.startswith("C"), "amount"] <= 0).all()
    ids = {r[0] for r in con.execute("select customer_name from customers").fetchall()}
    assert "17850" in ids  # exported as 17850.0: the float suffix is dropped


def test_legacy_xls(con: duckdb.DuckDBPyConnection) -> None:
    # tests/fixtures/make_legacy_xls.py wrote it: 4 lines (1 return) under a title row, then 合计
    result = ingest.ingest_file(con, FIXTURES / "legacy_erp.xls")
    assert (result.status, result.rows_read, result.rows_stored, result.rows_skipped) == (
        "stored",
        5,
        4,
        {"total_row": 1},
    )
    rows = con.execute("select order_date, customer_name, amount from v_ledger order by order_date").fetchall()
    assert rows == [
        (dt.date(2019, 3, 5), "成都天府商贸有限公司", Decimal("1200.5")),
        (dt.date(2019, 3, 6), "重庆山城实业有限公司", Decimal("800")),
        (dt.date(2019, 4, 1), "成都天府商贸有限公司", Decimal("-200.5")),
        (dt.date(2019, 4, 2), "昆明春城电子有限公司", Decimal("99.99")),
    ]


def test_customer_codes_keep_leading_zeros(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_text("客户编号,日期,金额\n000123,2024-01-01,10\n123,2024-01-02,5\n", encoding="utf-8")
    assert ingest.ingest_file(con, path).status == "stored"
    names = sorted(r[0] for r in con.execute("select customer_name from customers").fetchall())
    assert names == ["000123", "123"]


def odd_rows_ledger(tmp_path: Path) -> Path:
    """Rows that each take another branch of the one parsing pass; expectations worked out by hand."""
    return write_xlsx(
        tmp_path / "odd.xlsx",
        [
            ["日期", "客户名称", "金额", "备注"],  # 备注 maps to no field
            ["2024-03-01", "  甲公司 \t ", 100, None],  # row 2: whitespace squashed → 甲公司
            ["2024-03-02", "甲\u3000\u3000公司", "¥1,200.50", None],  # row 3: → "甲 公司", another customer
            ["2024-03-03", "#N/A", 5, None],  # row 4: an NA marker is no customer
            [None, None, None, "见附件"],  # row 5: only the unmapped column: read, no customer
            [None, None, None, "小计"],  # row 6: a total label in the unmapped column
            ["合计", None, 99, None],  # row 7: a total label in the date column
            ["2024-03-04", "乙公司", "Total", None],  # row 8: … and in the amount column
            [None, None, None, None],  # row 9: empty: not read at all
            ["2024-03-05", "Total Logistics Co", 7, "total"],  # row 10: a company, not a total … but 备注
            ["2024-03-06", "Total Logistics Co", 8, None],  # row 11: stored
            ["2024-03-07", "丙公司", "n/a", None],  # row 12: an NA marker in the amount: missing amount
            ["2024-03-08", "丙公司", "12,34", None],  # row 13: not a number: bad amount
        ],
    )


def test_one_pass_handles_every_kind_of_cell(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    insp = ingest.inspect_file(odd_rows_ledger(tmp_path).read_bytes(), "odd.xlsx")
    prepared = ingest.prepare(insp)
    assert prepared.rows_read == 11  # 12 rows under the header, one of them empty
    assert prepared.skipped == {
        "missing_customer": 2,
        "total_row": 4,
        "missing_amount": 1,
        "bad_amount": 1,
    }
    listed = prepared.bad_rows[["row", "reason", "column", "value"]].astype(object)
    assert listed.where(listed.notna(), None).values.tolist() == [
        [4, "missing_customer", "客户名称", None],
        [5, "missing_customer", "客户名称", None],
        [12, "missing_amount", "金额", None],
        [13, "bad_amount", "金额", "12,34"],
    ]
    assert prepared.frame["customer"].tolist() == ["甲公司", "甲 公司", "Total Logistics Co"]
    assert prepared.frame["amount"].tolist() == [100.0, 1200.5, 8.0]
    assert prepared.frame["source_row"].tolist() == [2, 3, 11]
    result = ingest.commit(con, prepared)
    assert (result.status, result.rows_stored) == ("stored", 3)
    assert sorted(r[0] for r in con.execute("select customer_name from customers").fetchall()) == [
        "Total Logistics Co",
        "甲 公司",
        "甲公司",
    ]


def test_derived_amount_reports_both_cells(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "qp.xlsx",
        [["日期", "客户", "数量", "单价"], ["2024-01-02", "甲", 3, 2.5], ["2024-01-03", "乙", 2, "abc"]],
    )
    prepared = ingest.prepare(ingest.inspect_file(path.read_bytes(), "qp.xlsx"))
    assert prepared.frame["amount"].tolist() == [7.5]
    assert prepared.bad_rows[["row", "reason", "column", "value"]].values.tolist() == [
        [3, "bad_amount", "数量×单价", "2 × abc"]
    ]


def test_usable_rows_stay_in_arrow(tmp_path: Path) -> None:
    # no DuckDB → pandas → Arrow round trip: the frame's columns are the parsed Arrow arrays
    prepared = ingest.prepare(ingest.inspect_file(messy_ledger(tmp_path).read_bytes(), "messy.xlsx"))
    assert all(isinstance(dtype, pd.ArrowDtype) for dtype in prepared.frame.dtypes)
    assert str(prepared.frame["order_date"].dtype) == "date32[day][pyarrow]"


def test_progress_hears_every_stage_in_order(con: duckdb.DuckDBPyConnection) -> None:
    path = SAMPLES / "华东区_2024年销售明细.xlsx"
    sheet = openpyxl.load_workbook(path, read_only=True)["销售明细"]
    below_header = sheet.max_row - 3  # title, date line, header (read off the file)
    steps: list[ingest.Step] = []
    result = ingest.ingest_file(con, path, progress=steps.append)
    assert result.rows_stored == 662
    assert [(s.stage, s.done, s.rows) for s in steps] == [
        ("read", False, None),
        ("read", True, below_header),
        ("check", False, below_header),
        ("check", True, 662),
        ("store", False, 662),
        ("store", True, 662),
    ]
    assert [s.stage for s in steps[::2]] == list(ingest.STAGES)
    assert all(s.seconds > 0 for s in steps if s.done)
    assert ingest.describe_step(steps[1], "en") == f"read {below_header} rows in {steps[1].seconds:.1f} s"
    assert ingest.describe_step(steps[5], "zh") == f"已保存 662 行，用时 {steps[5].seconds:.1f} 秒"


def test_progress_lines_for_big_files_only(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = SAMPLES / "华南区_2024.csv"
    assert ingest.stderr_progress(path) is None  # a small file
    monkeypatch.setattr(ingest, "PROGRESS_MIN_BYTES", path.stat().st_size)
    progress = ingest.stderr_progress(path, "zh")
    assert progress is not None
    ingest.ingest_file(con, path, progress=progress)
    out, err = capsys.readouterr()
    assert out == ""  # stdout stays for the report (and --json)
    lines = path.read_bytes().count(b"\n") - 1  # the CSV's lines under its header
    seconds = r"用时 \d+\.\d 秒"
    expected = [
        "正在读取文件…",
        f"已读取 {lines} 行，{seconds}",
        f"正在校验 {lines} 行…",
        f"校验完成，{seconds}：498 行可以保存",
        "正在保存 498 行…",
        f"已保存 498 行，{seconds}",
    ]
    shown = err.splitlines()
    assert len(shown) == len(expected)
    for line, pattern in zip(shown, expected, strict=True):
        assert re.fullmatch(re.escape(f"{path.name}: ") + pattern, line), line
