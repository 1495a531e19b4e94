"""summary --json key-account sections and the customer table against independent pandas computations."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from analytics import cli, ingest, key_accounts, store, tiers
from analytics.filters import Filters

SAMPLES = Path(__file__).parent / "fixtures" / "samples"
DEFAULT_FLOORS = {"diamond": 5e6, "platinum": 1e6, "gold": 5e5, "vip": 1e4}


def independent_sections(revenue: pd.Series, top_share: float = 0.2, cuts: tuple[float, float] = (0.8, 0.95)) -> dict:
    """Pareto/ABC/Gini/tier counts from per-customer revenue, written from the SPEC definitions."""
    # money is exact to the cent: float sums like 2.3 - 2.3 = 4e-16 must count as zero
    revenue = revenue.round(4)
    positive = revenue[revenue > 0].sort_values(ascending=False, kind="mergesort").to_numpy()
    n, total = len(positive), positive.sum()
    c = np.cumsum(positive) / total
    k = np.arange(1, n + 1) / n
    before = np.concatenate([[0.0], c[:-1]])  # share reached before customer i
    abc = np.where(before < cuts[0] - 1e-12, "A", np.where(before < cuts[1] - 1e-12, "B", "C"))
    asc = positive[::-1]
    gini = float(((2 * np.arange(1, n + 1) - n - 1) * asc).sum() / (n * asc.sum()))
    tier = np.select(
        [revenue >= DEFAULT_FLOORS["diamond"], revenue >= 1e6, revenue >= 5e5, revenue >= 1e4],
        ["diamond", "platinum", "gold", "vip"],
        "ordinary",
    )
    return {
        "top_revenue_share": float(np.interp(top_share, np.concatenate([[0], k]), np.concatenate([[0], c]))),
        "customers_for_80pct": int(np.argmax(c >= 0.8 - 1e-12)) + 1,
        "abc": {
            "A": int((abc == "A").sum()),
            "B": int((abc == "B").sum()),
            "C": int((abc == "C").sum()) + int((revenue <= 0).sum()),
        },
        "gini": gini,
        "tiers": {t: int((tier == t).sum()) for t in ("diamond", "platinum", "gold", "vip", "ordinary")},
    }


def check(sections: dict, expected: dict) -> None:
    pareto = sections["pareto"]
    assert pareto["top_revenue_share"] == pytest.approx(expected["top_revenue_share"], rel=1e-9)
    assert pareto["customers_for_80pct"] == expected["customers_for_80pct"]
    assert pareto["abc"] == expected["abc"]
    assert pareto["gini"] == pytest.approx(expected["gini"], rel=1e-9)
    assert sections["tiers"]["counts"] == expected["tiers"]


def test_north_sample_matches_pandas(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "k.duckdb")
    assert cli.main(["ingest", str(SAMPLES / "north_region_2024.xlsx"), "--db", db]) == 0
    capsys.readouterr()
    assert cli.main(["summary", "--db", db, "--json"]) == 0
    sections = json.loads(capsys.readouterr().out)
    sheets = pd.read_excel(SAMPLES / "north_region_2024.xlsx", sheet_name=None, engine="openpyxl")
    lines = pd.concat(sheets.values())
    lines["amount"] = lines["Qty"] * lines["Unit Price"]
    # default period: the 12 months up to the last date (2024-12-29) hold every 2024 line
    revenue = lines.groupby("Customer")["amount"].sum()
    check(sections, independent_sections(revenue))
    profit = lines.groupby("Customer")["Gross Profit"].sum().sort_values(ascending=False)
    curve = profit.cumsum() / profit.sum()
    assert sections["whale"]["peak_profit_share"] == pytest.approx(curve.max(), rel=1e-9)
    assert sections["whale"]["unprofitable_customers"] == int((profit < 0).sum())


def test_uci_matches_pandas(
    uci_store: tuple[duckdb.DuckDBPyConnection, ingest.IngestResult], uci_raw: pd.DataFrame
) -> None:
    con, _ = uci_store
    data = key_accounts.period_facts(con, Filters())
    sections = key_accounts.summary_sections(data, key_accounts.KeyAccountSettings())
    last = uci_raw["date"].max()
    assert last == dt.date(2011, 12, 9)
    start = dt.date(2010, 12, 10)  # trailing 12 months: 2010-12-10 … 2011-12-09
    assert sections["period"] == {"from": start, "to": last}
    window = uci_raw[uci_raw["CustomerID"].notna() & (uci_raw["date"] >= start)]
    revenue = window.groupby("CustomerID")["amount"].sum()
    check(sections, independent_sections(revenue))
    assert sections["whale"] is None  # the UCI ledger has no profit column


@pytest.mark.parametrize(("cuts", "top"), [((0.7, 0.9), 0.1), ((0.5, 0.99), 0.3)])
def test_cutoffs_change_classes_like_pandas(
    uci_store: tuple[duckdb.DuckDBPyConnection, ingest.IngestResult],
    uci_raw: pd.DataFrame,
    cuts: tuple[float, float],
    top: float,
) -> None:
    con, _ = uci_store
    settings = key_accounts.KeyAccountSettings(top_share=top, a_cut=cuts[0], b_cut=cuts[1])
    sections = key_accounts.summary_sections(key_accounts.period_facts(con, Filters()), settings)
    window = uci_raw[uci_raw["CustomerID"].notna() & (uci_raw["date"] >= dt.date(2010, 12, 10))]
    expected = independent_sections(window.groupby("CustomerID")["amount"].sum(), top, cuts)
    assert sections["pareto"]["abc"] == expected["abc"]
    assert sections["pareto"]["top_revenue_share"] == pytest.approx(expected["top_revenue_share"], rel=1e-9)


def test_customer_table_columns_and_order() -> None:
    con = store.connect(":memory:")
    from analytics import loader

    frame = pd.DataFrame(
        {
            "customer": ["甲", "乙", "丙", "甲", "丁"],
            "order_date": [
                dt.date(2024, 1, 5),
                dt.date(2024, 2, 1),
                dt.date(2024, 3, 1),
                dt.date(2024, 6, 1),
                dt.date(2024, 6, 30),
            ],
            "amount": [6e6, 2e5, 1e4, 1e6, -50.0],
            "region": ["华东", "华南", "华南", "华东", "华北"],
        }
    )
    loader.store_frame(con, frame, loader.UploadMeta(kind="ledger", file_name="t", file_hash="t"))
    table = key_accounts.customer_table(key_accounts.period_facts(con, Filters()), key_accounts.KeyAccountSettings())
    assert list(table.columns) == list(key_accounts.CUSTOMER_COLUMNS)
    # revenue 甲 7,000,000 · 乙 200,000 · 丙 10,000 · 丁 −50 (returns only: unranked, class C)
    assert table["customer"].tolist() == ["甲", "乙", "丙", "丁"]
    assert table["revenue_rank"].tolist()[:3] == [1, 2, 3] and pd.isna(table["revenue_rank"].iloc[3])
    # c after 甲 = 7.0/7.21 = 0.971: 甲 crosses both cutoffs (class A), so 乙 starts beyond 0.95: C
    assert table["abc"].tolist() == ["A", "C", "C", "C"]
    assert table["tier"].tolist() == ["diamond", "vip", "vip", "ordinary"]
    assert table.loc[0, "recency_days"] == 29  # as-of 2024-06-30, last purchase 2024-06-01
    # the store's ids (customer_id of v_ledger), as the last column
    assert list(table.columns)[-1] == "customer_id"
    ids = dict(con.execute("select distinct customer_name, customer_id from v_ledger").fetchall())
    assert table["customer_id"].tolist() == [ids[name] for name in ["甲", "乙", "丙", "丁"]]
    assert table["customer_id"].dtype == "int64"


def test_rank_mode_tiers(tmp_path: Path) -> None:
    con = store.connect(":memory:")
    from analytics import loader

    # 20 customers with revenue 1…20: key = top 5% = 1 customer, major = next 15% = 3, ordinary 6, small 10
    frame = pd.DataFrame(
        {
            "customer": [f"c{i:02d}" for i in range(1, 21)],
            "order_date": [dt.date(2024, 1, 1)] * 20,
            "amount": [float(i) for i in range(1, 21)],
        }
    )
    loader.store_frame(con, frame, loader.UploadMeta(kind="ledger", file_name="t", file_hash="t"))
    settings = key_accounts.KeyAccountSettings(scheme=tiers.TierScheme(mode="rank"))
    sections = key_accounts.summary_sections(key_accounts.period_facts(con, Filters()), settings)
    assert sections["tiers"]["counts"] == {"key": 1, "major": 3, "ordinary": 6, "small": 10}
    assert sections["tiers"]["revenue"] == {
        "key": 20.0,
        "major": 54.0,
        "ordinary": 81.0,
        "small": 55.0,
    }  # 20 · 19+18+17 · 16+…+11 · 10+…+1


def test_customers_cli_csv_is_bom_and_neutralised(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "k.duckdb"
    csv = tmp_path / "evil.csv"
    csv.write_text(
        'date,customer,amount\n2024-01-01,"=HYPERLINK(""http://x"")",10\n2024-01-02,+cmd,5\n', encoding="utf-8"
    )
    assert cli.main(["ingest", str(csv), "--db", str(db)]) == 0
    out = tmp_path / "customers.csv"
    assert cli.main(["customers", "--db", str(db), "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert table["customer"].tolist() == ['\'=HYPERLINK("http://x")', "'+cmd"]
    assert table["revenue"].tolist() == [10.0, 5.0]
    xlsx = tmp_path / "customers.xlsx"
    assert cli.main(["customers", "--db", str(db), "--format", "xlsx", "--out", str(xlsx)]) == 0
    import openpyxl

    cells = [c for row in openpyxl.load_workbook(xlsx).active.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
