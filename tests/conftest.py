"""Shared fixtures: the real UCI Online Retail ledger, ingested once per test session."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import ingest, store

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
