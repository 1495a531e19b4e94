"""The hostile corpus through the real upload path; exports of hostile names; kill -9 during an ingest.

Every file of ``tests/hostile_corpus.py`` goes through ``ingest.ingest_file`` on a copy of a store
that already holds the baseline ledger, and must get its stated verdict: accepted with the stated
rows and net amount, partially accepted with exactly the stated bad rows, or rejected with the
named reason and every table exactly as before. The files that make the parser abort, hang or
allocate without bound are among them, so this process surviving the module is part of the test.
"""

from __future__ import annotations

import io
import random
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import hostile_corpus as corpus
import pytest

from analytics import errors, export, ingest, store
from bench.generate import generate_ledger, write_csv

CASES = corpus.cases()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return corpus.write(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def baseline_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("baseline") / "store.duckdb"
    con = store.connect(path)
    try:
        assert ingest.ingest_file(con, corpus.BASELINE).status == "stored"
    finally:
        con.close()
    return path


@pytest.fixture
def con(baseline_db: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    path = tmp_path / "store.duckdb"
    shutil.copy(baseline_db, path)
    connection = store.connect(path)
    yield connection
    connection.close()


def test_corpus_is_large_and_varied() -> None:
    labels = {case.verdict.label for case in CASES}
    assert len(CASES) >= 30
    assert labels == {"accepted", "partial", "rejected", "duplicate"}
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_file_gets_its_verdict(
    case: corpus.Case, files: dict[str, Path], con: duckdb.DuckDBPyConnection
) -> None:
    before = corpus.table_digest(con)
    result = ingest.ingest_file(con, files[case.name], **case.options)
    assert corpus.judge(case, con, result, before) == []
    if result.status == "rejected":  # the reason is named in both languages
        assert set(errors.MESSAGES[result.code]) == {"zh", "en"}
        assert ingest.ingest_file(con, files[case.name], lang="zh", **case.options).message != result.message


def test_hostile_names_export_without_formulas(files: dict[str, Path], con: duckdb.DuckDBPyConnection) -> None:
    result = ingest.ingest_file(con, files["formulas_cached.xlsx"])
    names = con.execute(
        "select customer_name, sum(amount) as amount from v_ledger where upload_id = ? group by customer_name",
        [result.upload_id],
    ).df()
    workbook = zipfile.ZipFile(io.BytesIO(export.to_xlsx_bytes(names)))
    sheet = workbook.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet
    text = export.to_csv_bytes(names).decode("utf-8-sig")
    for name in names["customer_name"]:
        if name.startswith(("=", "+", "-", "@")):
            assert f"'{name}" in text.replace('""', '"')


# ------------------------------------------------------------------------------- crash safety


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "ledger_200k.csv"
    write_csv(generate_ledger(200_000), path)
    return path


@pytest.mark.slow
def test_kill_9_during_an_ingest_leaves_all_or_nothing(big_csv: Path, baseline_db: Path, tmp_path: Path) -> None:
    # an uninterrupted run: the expected outcome, and how long an ingest takes on this machine
    reference = corpus.kill_during_ingest(big_csv, baseline_db, tmp_path / "full.duckdb", 600, 200_000)
    assert reference.finished_first and reference.stored and not reference.problems
    for delay in corpus.spread_delays(3, reference.seconds, random.Random(7)):
        trial = corpus.kill_during_ingest(big_csv, baseline_db, tmp_path / "killed.duckdb", delay, 200_000)
        assert not trial.problems, (delay, trial.problems)
        assert not trial.orphans, f"parser processes outlived the killed ingest: {trial.orphans}"


def test_damaged_wal_is_quarantined_not_deleted(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "store.duckdb"
    writer = store.connect(db)
    writer.execute("create table kept (n integer)")
    writer.execute("insert into kept values (1)")
    writer.execute("checkpoint")
    writer.execute("pragma disable_checkpoint_on_shutdown")
    writer.execute("set wal_autocheckpoint = '10GB'")
    writer.execute("insert into kept select range from range(1000)")  # lands in the WAL only
    wal = Path(f"{db}.wal")
    copy = tmp_path / "wal.copy"
    shutil.copy(wal, copy)  # the WAL as a crash would leave it (closing would checkpoint it)
    writer.close()
    shutil.copy(copy, wal)
    damaged = bytearray(wal.read_bytes())
    damaged[len(damaged) // 2 : len(damaged) // 2 + 16] = b"\xff" * 16
    wal.write_bytes(bytes(damaged))

    with caplog.at_level("WARNING", logger="karadar.store"):
        con = store.connect(db)
    assert con.execute("select count(*) from kept").fetchall() == [(1,)]  # the last checkpoint
    con.close()
    [moved] = store.quarantined_wals(db)
    assert moved.read_bytes() == bytes(damaged)  # kept byte for byte
    assert not wal.exists() or wal.read_bytes() != bytes(damaged)
    assert str(moved) in caplog.text and "write-ahead log" in caplog.text
    assert "预写日志" in errors.message("wal_quarantined", "zh", path=moved)


def test_undamaged_database_opens_without_quarantine(baseline_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    shutil.copy(baseline_db, db)
    store.connect(db).close()
    assert store.quarantined_wals(db) == []


def test_unreadable_database_file_is_named_not_deleted(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    db.write_bytes(b"not a database" * 1000)
    with pytest.raises(duckdb.IOException):
        store.connect(db)
    assert db.read_bytes() == b"not a database" * 1000
