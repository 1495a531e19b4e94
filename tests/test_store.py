"""Store: database path resolution, migrations, data version, atomic writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from analytics import loader, store


def test_db_path_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(store.DB_ENV_VAR, raising=False)
    assert store.resolve_db_path(None) == store.DEFAULT_DB_PATH
    monkeypatch.setenv(store.DB_ENV_VAR, str(tmp_path / "env.duckdb"))
    assert store.resolve_db_path(None) == tmp_path / "env.duckdb"
    assert store.resolve_db_path(str(tmp_path / "cli.duckdb")) == tmp_path / "cli.duckdb"


def test_migrations_are_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "k.duckdb"
    con = store.connect(path)
    assert store.schema_version(con) == len(store.MIGRATIONS)
    con.close()
    con = store.connect(path)  # reopening applies nothing twice
    assert con.execute("select count(*) from schema_migrations").fetchall() == [(len(store.MIGRATIONS),)]
    assert store.data_version(con) == 0 and store.is_empty(con)


def ledger(*amounts: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer": [f"客户{i}" for i in range(len(amounts))],
            "order_date": [dt.date(2024, 1, 1 + i) for i in range(len(amounts))],
            "amount": list(amounts),
        }
    )


def test_every_write_bumps_the_data_version() -> None:
    con = store.connect(":memory:")
    first = loader.store_frame(con, ledger(1, 2), loader.UploadMeta(kind="ledger", file_name="a", file_hash="a"))
    assert store.data_version(con) == 1 and not store.is_empty(con)
    loader.undo_upload(con, first.upload_id)
    assert store.data_version(con) == 2 and store.is_empty(con)


def test_a_failing_upload_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    con = store.connect(":memory:")
    loader.store_frame(con, ledger(5), loader.UploadMeta(kind="ledger", file_name="a", file_hash="a"))
    before = {t: con.execute(f"select * from {t}").fetchall() for t in ("customers", "transactions", "uploads")}

    def explode(*_: object, **__: object) -> None:
        raise RuntimeError("disk full")

    # fail after customers and transactions were inserted, inside the transaction
    monkeypatch.setattr(store, "bump_data_version", explode)
    with pytest.raises(RuntimeError):
        loader.store_frame(con, ledger(7, 8, 9), loader.UploadMeta(kind="ledger", file_name="b", file_hash="b"))
    after = {t: con.execute(f"select * from {t}").fetchall() for t in ("customers", "transactions", "uploads")}
    assert after == before
    assert store.data_version(con) == 1


def test_customer_key_normalises_width_space_and_case() -> None:
    con = store.connect(":memory:")
    frame = pd.DataFrame(
        {
            "customer": ["ＡＢＣ 公司", "abc  公司 ", "Abc 公司", "xyz"],
            "order_date": [dt.date(2024, 1, d) for d in (1, 2, 3, 4)],
            "amount": [1.0, 2.0, 3.0, 4.0],
        }
    )
    loader.store_frame(con, frame, loader.UploadMeta(kind="ledger", file_name="a", file_hash="a"))
    assert sorted(r[0] for r in con.execute("select customer_key from customers").fetchall()) == ["abc 公司", "xyz"]


def test_arrow_frames_store_like_pandas_ones() -> None:
    import pyarrow as pa

    con = store.connect(":memory:")
    loader.store_frame(con, ledger(5), loader.UploadMeta(kind="ledger", file_name="a", file_hash="a"))  # 客户0
    table = pa.table(
        {
            "customer": ["客户0 ", "ＮＥＷ co", "new  co", "客户9"],  # one known, one new in two spellings, one new
            "order_date": pa.array([dt.date(2024, 2, d) for d in (1, 2, 3, 4)], pa.date32()),
            "amount": [1.5, 2.0, 3.0, 4.0],
            "source_row": pa.array([2, 3, 4, 5], pa.int32()),
        }
    )
    result = loader.store_frame(con, table, loader.UploadMeta(kind="ledger", file_name="b", file_hash="b"))
    assert result.rows_stored == 4
    assert con.execute("select customer_key, customer_name from customers order by customer_key").fetchall() == [
        ("new co", "new  co"),  # the first of its spellings in sort order
        ("客户0", "客户0"),
        ("客户9", "客户9"),
    ]
    rows = con.execute(
        """
        select c.customer_key, sum(t.amount), min(t.source_row), count(t.product)
        from transactions as t join customers as c using (customer_id)
        where t.upload_id = ? group by c.customer_key order by c.customer_key
        """,
        [result.upload_id],
    ).fetchall()
    assert [(k, float(s), r, n) for k, s, r, n in rows] == [
        ("new co", 5.0, 3, 0),
        ("客户0", 1.5, 2, 0),
        ("客户9", 4.0, 5, 0),
    ]
