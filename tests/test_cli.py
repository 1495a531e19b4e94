"""The command-line contract: names, JSON keys, exit codes, no tracebacks."""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from other_process import holding_the_database

from analytics import bgnbd, churn, cli, ingest, key_accounts, sections, store
from analytics.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).parent / "fixtures" / "samples"
EXPECTED = json.loads((SAMPLES / "EXPECTED.json").read_text(encoding="utf-8"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", [n for n, e in EXPECTED.items() if "transaction_rows" in e])
def test_ingest_then_summary_gives_expected(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str) -> None:
    db = str(tmp_path / "k.duckdb")
    code, out, _ = run(capsys, "ingest", str(SAMPLES / name), "--db", db, "--json")
    assert code == 0
    report = json.loads(out)
    assert set(report) == {"file", "status", "upload_id", "rows_read", "rows_stored", "rows_skipped", "message"}
    assert (report["status"], report["rows_stored"]) == ("stored", EXPECTED[name]["transaction_rows"])

    code, out, _ = run(capsys, "summary", "--db", db, "--json")
    summary = json.loads(out)
    assert code == 0
    assert summary["transactions"] == EXPECTED[name]["transaction_rows"]
    assert summary["customers"] == EXPECTED[name]["distinct_customers"]
    assert summary["net_revenue"] == EXPECTED[name]["net_amount"]
    assert summary["profit"] == EXPECTED[name]["profit"]

    code, out, _ = run(capsys, "ingest", str(SAMPLES / name), "--db", db, "--json")
    assert code == 0 and json.loads(out)["status"] == "duplicate"
    _, again, _ = run(capsys, "summary", "--db", db, "--json")
    assert json.loads(again) == summary


def test_summary_filters_and_null_profit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "k.duckdb")
    csv = tmp_path / "tiny.csv"
    csv.write_text("date,customer,amount,region\n2024-01-01,A,10,East\n2024-02-01,B,5,West\n2024-03-01,A,-2,East\n")
    assert run(capsys, "ingest", str(csv), "--db", db)[0] == 0
    _, out, _ = run(capsys, "summary", "--db", db, "--json", "--region", "East")
    east = json.loads(out)
    assert (east["transactions"], east["customers"], east["net_revenue"], east["profit"]) == (2, 1, 8.0, None)
    _, out, _ = run(capsys, "summary", "--db", db, "--json", "--from", "2024-02-01", "--to", "2024-02-29")
    feb = json.loads(out)
    assert (feb["net_revenue"], feb["first_date"], feb["last_date"]) == (5.0, "2024-02-01", "2024-02-01")


def test_rejected_file_exits_1_with_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "notes.csv"
    bad.write_text("just,some\nwords,here\n")
    code, out, _ = run(capsys, "ingest", str(bad), "--db", str(tmp_path / "k.duckdb"))
    assert code == 1
    assert out.count("\n") == 1 and "rejected" in out and "customer" in out


def test_set_constant_and_kind(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "k.duckdb")
    code, out, _ = run(
        capsys, "ingest", str(SAMPLES / "华南区_2024.csv"), "--db", db, "--kind", "ledger", "--set", "region=华南二区"
    )
    assert code == 0, out
    _, out, _ = run(capsys, "summary", "--db", db, "--json", "--region", "华南二区")
    assert json.loads(out)["transactions"] == 498


@pytest.mark.parametrize(
    "args",
    [["--kind", "surveys", "--scale", "5,1"], ["--kind", "surveys", "--scale", "1-5"], ["--scale", "1,5"]],
    ids=["low-above-high", "not-two-numbers", "not-a-survey"],
)
def test_survey_scale_option_rejects_bad_values(tmp_path: Path, args: list[str]) -> None:
    surveys = tmp_path / "s.csv"
    surveys.write_text("customer,survey_date,overall\nA,2024-01-01,4\n")
    with pytest.raises(SystemExit, match="--scale"):
        cli.main(["ingest", str(surveys), "--db", str(tmp_path / "k.duckdb"), *args])


@pytest.mark.skipif(
    "survey_scale" not in inspect.signature(ingest.ingest_file).parameters,
    reason="needs analytics.ingest.ingest_file(survey_scale=...) passed on to prepare()",
)
def test_survey_scale_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "k.duckdb")
    surveys = tmp_path / "s.csv"
    # overall 1–5 would be detected as the 1–5 scale; the user says these are 0–10 answers
    surveys.write_text("customer,survey_date,overall\nA,2024-01-01,4\nB,2024-01-02,5\nC,2024-01-03,1\n")
    code, out, _ = run(capsys, "ingest", str(surveys), "--db", db, "--kind", "surveys", "--scale", "0,10", "--json")
    assert (code, json.loads(out)["rows_stored"]) == (0, 3)
    _, out, _ = run(capsys, "summary", "--db", db, "--json")
    sat = json.loads(out)["satisfaction"]
    assert (sat["scale_min"], sat["scale_max"]) == (0.0, 10.0)
    assert sat["mean_normalised"] == pytest.approx((4 + 5 + 1) / 3 / 10)
    assert sat["top2_share"] == 0.0  # satisfied means ≥ 9 on 0–10
    # a score outside the confirmed scale is a bad row, not a wider scale
    wider = tmp_path / "w.csv"
    wider.write_text("customer,survey_date,overall\nA,2024-02-01,4\nB,2024-02-02,7\n")
    code, out, _ = run(capsys, "ingest", str(wider), "--db", db, "--kind", "surveys", "--scale", "1,5", "--json")
    report = json.loads(out)
    assert (code, report["rows_stored"], report["rows_skipped"]) == (0, 1, {"bad_score": 1})


def test_uploads_and_undo(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "k.duckdb")
    run(capsys, "ingest", str(SAMPLES / "north_region_2024.xlsx"), "--db", db)
    code, out, _ = run(capsys, "uploads", "--db", db)
    assert code == 0 and "north_region_2024.xlsx" in out and "stored 377" in out
    assert run(capsys, "undo", "1", "--db", db)[:2] == (0, "upload #1 undone: 377 rows removed\n")
    _, out, _ = run(capsys, "summary", "--db", db, "--json")
    assert json.loads(out)["transactions"] == 0
    code, _, err = run(capsys, "undo", "1", "--db", db)
    assert code == 1 and "no stored upload #1" in err


def test_module_entry_point_has_no_traceback(tmp_path: Path) -> None:
    """`python -m analytics` as automation calls it: missing file → exit 1, plain message."""
    proc = subprocess.run(
        [sys.executable, "-m", "analytics", "ingest", str(tmp_path / "missing.xlsx"), "--db", str(tmp_path / "k.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "no such file" in proc.stdout


def test_locked_database_is_a_plain_message(tmp_path: Path) -> None:
    """Another process holding the database gives a one-line 'in use' message, not a lock traceback."""
    db = tmp_path / "k.duckdb"
    with holding_the_database(db):
        proc = subprocess.run(
            [sys.executable, "-m", "analytics", "summary", "--db", str(db)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "in use" in proc.stderr


# ---------------------------------------------------------------- churn, satisfaction and complaint sections

CDNOW = Path(__file__).parent / "fixtures" / "cdnow_sample.txt"
# Fader, Hardie & Lee (2005), Marketing Science 24(2), CDNOW 1/10 sample, calibration to 1997-09-30, weeks
FHL05 = {"r": 0.2426, "alpha": 4.4135, "a": 0.7929, "b": 2.4258}
FHL05_LOGLIK = -9582.43


def cdnow_csv(folder: Path) -> Path:
    """The CDNOW sample as a user would convert it for upload: customer, date, amount (one line per order)."""
    raw = pd.read_csv(
        CDNOW,
        sep=r"\s+",
        header=None,
        names=["master_id", "sample_id", "date", "cds", "dollars"],
        dtype={"master_id": str, "sample_id": str, "date": str},
    )
    path = folder / "cdnow.csv"
    pd.DataFrame(
        {
            "customer": raw["master_id"],
            "date": pd.to_datetime(raw["date"], format="%Y%m%d").dt.strftime("%Y-%m-%d"),
            "amount": raw["dollars"],
        }
    ).to_csv(path, index=False)
    return path


def assert_fhl05(summary: dict[str, Any]) -> None:
    fit = summary["churn"]["bgnbd"]
    assert fit is not None, summary["churn"]["bgnbd_error"]
    for name, published in FHL05.items():
        assert f"{fit[name]:.3g}" == f"{published:.3g}", name  # 3 significant digits
        assert fit[name] == pytest.approx(published, rel=1e-3)
    assert fit["loglik"] == pytest.approx(FHL05_LOGLIK, abs=0.1)
    assert (fit["time_unit"], fit["customers"]) == ("weeks", 2357)  # the 1997-Q1 cohort
    assert summary["churn"]["bgnbd_error"] is None
    assert summary["churn"]["as_of"] == "1997-09-30"
    assert summary["satisfaction"] is None and summary["complaints"] is None  # no surveys, no complaints


@pytest.fixture(scope="module")
def cdnow_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cdnow")
    db = folder / "k.duckdb"
    with contextlib.redirect_stdout(io.StringIO()) as out:
        code = cli.main(["ingest", str(cdnow_csv(folder)), "--db", str(db), "--json"])
    report = json.loads(out.getvalue())
    assert (code, report["status"], report["rows_stored"]) == (0, "stored", 6919)
    return db


def test_cdnow_summary_reproduces_fader_hardie_lee(capsys: pytest.CaptureFixture[str], cdnow_db: Path) -> None:
    code, out, _ = run(capsys, "summary", "--db", str(cdnow_db), "--to", "1997-09-30", "--json")
    assert code == 0
    assert_fhl05(json.loads(out))


def test_cdnow_as_a_subprocess(tmp_path: Path) -> None:
    """`python -m analytics ingest` then `summary --to 1997-09-30 --json`, as automation runs them."""
    db = str(tmp_path / "k.duckdb")

    def cli_run(*args: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "analytics", *args, "--db", db],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    assert json.loads(cli_run("ingest", str(cdnow_csv(tmp_path)), "--json"))["rows_stored"] == 6919
    assert_fhl05(json.loads(cli_run("summary", "--to", "1997-09-30", "--json")))


def test_cdnow_customers_p_alive_matches_the_model(capsys: pytest.CaptureFixture[str], cdnow_db: Path) -> None:
    args = ["customers", "--db", str(cdnow_db), "--to", "1997-09-30", "--format", "json", "--horizon-weeks", "39"]
    code, out, _ = run(capsys, *args)
    assert code == 0
    table = pd.DataFrame(json.loads(out)).set_index("customer")
    con = store.connect(cdnow_db, read_only=True)
    try:
        triplets = bgnbd.rfm_triplets(con, Filters(), dt.date(1997, 9, 30))
        names = con.execute("select customer_id, customer_name from v_customers").df()
    finally:
        con.close()
    fit = bgnbd.fit(triplets["x"], triplets["t_x"], triplets["T"])
    x, t_x, T = (triplets[c].to_numpy(dtype=np.float64) for c in ("x", "t_x", "T"))
    model = triplets.assign(
        p_alive=bgnbd.p_alive(fit, x, t_x, T),
        expected=bgnbd.conditional_expected_purchases(fit, 39.0, x, t_x, T),
    ).merge(names, on="customer_id")
    model = model.set_index("customer_name")
    # the trailing 12 months up to 1997-09-30 hold exactly the Q1-1997 cohort
    assert sorted(table.index) == sorted(model.index)
    assert table["p_alive"].to_numpy() == pytest.approx(model.loc[table.index, "p_alive"].to_numpy(), rel=1e-9)
    assert table["expected_purchases_next_period"].to_numpy() == pytest.approx(
        model.loc[table.index, "expected"].to_numpy(), rel=1e-9
    )
    assert table["p_alive"].between(0, 1).all()


def test_customers_churn_columns_match_the_analytics(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, demo_db: Path
) -> None:
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    code, out, _ = run(capsys, "customers", "--db", str(db), "--format", "json", "--overdue-k", "3")
    assert code == 0
    table = pd.DataFrame(json.loads(out))
    assert list(table.columns) == [*key_accounts.CUSTOMER_COLUMNS, *sections.CHURN_COLUMNS]
    assert table["customer"].is_unique
    table = table.set_index("customer")
    con = store.connect(db, read_only=True)
    try:
        rules = churn.WarningRules(overdue_k=3.0)
        warning = churn.early_warning(con, Filters(), rules=rules).set_index("customer_name")
        rhythm = churn.inactivity(con, Filters(), k=3.0).set_index("customer_name")
        model = churn.bgnbd_summary(con, Filters(), horizon_weeks=26.0).customers
        names = con.execute("select customer_id, customer_name from v_customers").df()
    finally:
        con.close()
    model = model.merge(names, on="customer_id").set_index("customer_name")
    names_in = table.index
    assert table["overdue"].tolist() == rhythm.loc[names_in, "overdue"].astype(bool).tolist()
    assert table["overdue"].any() and not table["overdue"].all()
    assert table["risk_score"].to_numpy() == pytest.approx(warning.loc[names_in, "risk_score"].to_numpy())
    expected_signals = [";".join(codes) for codes in warning.loc[names_in, "risk_signals"]]
    assert table["risk_signals"].tolist() == expected_signals
    assert {"open_complaints", "low_satisfaction", "overdue"} <= {s for v in expected_signals for s in v.split(";")}
    assert table["p_alive"].to_numpy() == pytest.approx(model.loc[names_in, "p_alive"].to_numpy(), rel=1e-9)
    assert table["expected_purchases_next_period"].to_numpy() == pytest.approx(
        model.loc[names_in, "expected_purchases"].to_numpy(), rel=1e-9
    )


def test_customers_csv_and_xlsx_carry_the_churn_columns(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "k.duckdb")
    csv = tmp_path / "evil.csv"
    lines = ["date,customer,amount", '2024-01-01,"=HYPERLINK(""http://x"")",10']
    lines += [f"2024-01-{day:02d},+cmd,5" for day in (2, 12, 22)]  # +cmd: every 10 days, then silent
    lines += ["2024-12-31,ok,1"]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run(capsys, "ingest", str(csv), "--db", db)[0] == 0
    out = tmp_path / "customers.csv"
    assert run(capsys, "customers", "--db", db, "--out", str(out))[0] == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False).set_index("customer")
    assert list(table.columns)[-5:] == list(sections.CHURN_COLUMNS)
    assert list(table.index) == ["'+cmd", '\'=HYPERLINK("http://x")', "ok"]  # still neutralised
    assert str(table.loc["'+cmd", "overdue"]) == "True"  # 344 days since the last of a 10-day rhythm
    assert table.loc["'+cmd", "risk_signals"] == "overdue"
    xlsx = tmp_path / "customers.xlsx"
    assert run(capsys, "customers", "--db", db, "--format", "xlsx", "--out", str(xlsx))[0] == 0
    sheet = openpyxl.load_workbook(xlsx).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header[-5:] == list(sections.CHURN_COLUMNS)
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_survey_and_complaint_samples_match_pandas(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "k.duckdb")
    surveys_file, complaints_file = SAMPLES / "满意度调查_2024.xlsx", SAMPLES / "客户投诉记录.xlsx"
    for path, kind in ((surveys_file, "surveys"), (complaints_file, "complaints")):
        code, out, _ = run(capsys, "ingest", str(path), "--db", db, "--kind", kind, "--json")
        assert (code, json.loads(out)["status"]) == (0, "stored")
    code, out, _ = run(capsys, "summary", "--db", db, "--json")
    assert code == 0
    summary = json.loads(out)

    surveys = pd.read_excel(surveys_file, engine="openpyxl")
    overall, recommend = surveys["总体满意度"], surveys["推荐意愿(0-10)"]
    dimensions = ["产品质量", "服务态度", "交付及时性", "价格合理性"]
    scores = surveys[["总体满意度", *dimensions]]
    assert scores.min().min() >= 1 and scores.max().max() <= 5  # the smallest standard scale: 1–5
    sat = summary["satisfaction"]
    assert (sat["responses"], sat["scale_min"], sat["scale_max"]) == (overall.notna().sum(), 1.0, 5.0)
    assert sat["mean"] == pytest.approx(overall.mean())
    assert sat["top2_share"] == pytest.approx((overall >= 4).mean())
    answered = recommend.dropna()
    assert sat["nps"] == pytest.approx(100 * ((answered >= 9).sum() - (answered <= 6).sum()) / len(answered))
    drivers = {row["dimension"]: row for row in sat["drivers"]}
    assert set(drivers) == set(dimensions)
    for dimension in dimensions:
        assert drivers[dimension]["mean"] == pytest.approx(surveys[dimension].mean())
        rho = surveys[[dimension, "总体满意度"]].dropna().corr(method="spearman").iloc[0, 1]
        assert drivers[dimension]["importance"] == pytest.approx(rho)

    complaints = pd.read_excel(complaints_file, engine="openpyxl")
    resolved = complaints["解决日期"].notna() | complaints["处理状态"].isin(["已解决"])
    days = (complaints["解决日期"] - complaints["投诉日期"]).dt.days.dropna()
    section = summary["complaints"]
    assert section["total"] == len(complaints)
    assert section["open"] == int((~resolved).sum())  # 处理中 and 未处理
    assert section["median_days_to_resolve"] == pytest.approx(days.median())
    assert section["by_category"] == complaints["投诉类别"].value_counts().to_dict()
    assert list(section["by_category"].values()) == sorted(section["by_category"].values(), reverse=True)
    # no ledger: the churn figures are empty, not an error
    assert (summary["churn"]["active_at_start"], summary["churn"]["bgnbd"]) == (0, None)


def test_churn_options_reach_the_summary(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "k.duckdb")
    csv = tmp_path / "tiny.csv"
    # A: bought in 2023 and on 2024-06-01; B: 2023 only. As-of 2024-12-31.
    csv.write_text(
        "date,customer,amount\n2023-03-01,A,10\n2023-05-01,A,10\n2024-06-01,A,10\n2023-09-01,B,40\n2024-12-31,C,5\n"
    )
    assert run(capsys, "ingest", str(csv), "--db", db)[0] == 0
    _, out, _ = run(capsys, "summary", "--db", db, "--json")
    default = json.loads(out)["churn"]
    # 12 months: active at start A, B (2023); B lost. A: gaps 61, 397 days → median 229; 213 days since: on rhythm
    assert (default["window_months"], default["active_at_start"], default["lost"]) == (12, 2, 1)
    assert default["churn_rate"] == pytest.approx(0.5)
    assert default["revenue_churn"] == pytest.approx(40 / 60)
    assert default["net_revenue_retention"] == pytest.approx(10 / 60)
    assert default["overdue_customers"] == 0
    _, out, _ = run(capsys, "summary", "--db", db, "--json", "--churn-window", "6", "--overdue-k", "0.5")
    changed = json.loads(out)["churn"]
    # 6 months: previous 2024-01-01 … 06-30 holds A alone, who buys nothing later; A: 213 > 0.5 × 229 and > 30
    assert (changed["window_months"], changed["active_at_start"], changed["lost"]) == (6, 1, 1)
    assert changed["overdue_customers"] == 1
    with pytest.raises(SystemExit, match="churn window"):
        cli.main(["summary", "--db", db, "--churn-window", "30"])
