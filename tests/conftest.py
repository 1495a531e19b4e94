"""Shared fixtures: the demo database, the real UCI Online Retail ledger (ingested once per session)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from analytics import ingest, store
from data import demo

FIXTURES = Path(__file__).parent / "fixtures"
UCI_GZ = FIXTURES / "real" / "online_retail_uci352_2010-12-01_2011-12-09.csv.gz"


@pytest.fixture(scope="session")
def uci_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The UCI ledger as the CSV a user would upload."""
    path = tmp_path_factory.mktemp("uci") / "online_retail.csv"
    path.write_bytes(gzip.decompress(UCI_GZ.read_bytes()))
    return path


@pytest.fixture(scope="session")
def uci_raw(uci_csv: Path) -> pd.DataFrame:
    """The same file read independently with pandas (ids as text, amount = Quantity × UnitPrice)."""
    raw = pd.read_csv(uci_csv, dtype={"CustomerID": str, "InvoiceNo": str, "StockCode": str})
    return raw.assign(
        amount=raw["Quantity"] * raw["UnitPrice"],
        date=pd.to_datetime(raw["InvoiceDate"], format="%Y-%m-%d %H:%M:%S").dt.date,
    )


@pytest.fixture(scope="session")
def uci_store(uci_csv: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, ingest.IngestResult]]:
    """A store holding only the UCI ledger, and the ingest result."""
    con = store.connect(":memory:")
    result = ingest.ingest_file(con, uci_csv)
    yield con, result
    con.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file holding the demo company (shared: tests must not write to it)."""
    path = tmp_path_factory.mktemp("demo") / "karadar.duckdb"
    con = store.connect(path)
    try:
        demo.load_demo(con)
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app served on a free port with its own new database (demo loaded on first start)."""
    import browsertest

    if not Path(browsertest.CHROMIUM).exists():
        pytest.skip(f"{browsertest.CHROMIUM} is not installed")
    db = tmp_path_factory.mktemp("browser") / "karadar.duckdb"
    log_path = tmp_path_factory.mktemp("browser_log") / "streamlit.log"
    with browsertest.running_server(db, log_path) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium for the module's tests."""
    import browsertest

    if not Path(browsertest.CHROMIUM).exists():
        pytest.skip(f"{browsertest.CHROMIUM} is not installed")
    with browsertest.chromium() as chromium:
        yield chromium
