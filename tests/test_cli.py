"""The command-line contract: names, JSON keys, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analytics import cli

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
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        proc = subprocess.run(
            [sys.executable, "-m", "analytics", "summary", "--db", str(db)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        holder.kill()
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "in use" in proc.stderr
