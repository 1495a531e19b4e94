"""Users, roles and region scopes: password hashes, config parsing, scoped filters, scoped uploads, the app."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from pagetest import SAMPLES, kpis_of, label, metric, new_app, no_errors

from analytics import access, ingest, summary
from analytics.errors import IngestError
from analytics.filters import Filters
from ui import format as fmt

EAST = access.User(name="wang", role="uploader", regions=("华东",))
VIEWER = access.User(name="li", role="viewer")
PASSWORDS = {"boss": "s3cret-boss", "wang": "s3cret-wang", "li": "s3cret-li"}


def test_hash_round_trip_and_salt() -> None:
    first, second = access.hash_password("pw"), access.hash_password("pw")
    assert first != second  # a new salt each time
    assert first.startswith("pbkdf2_sha256$600000$")
    assert access.verify_password("pw", first) and access.verify_password("pw", second)
    assert not access.verify_password("PW", first)


def test_known_pbkdf2_vector() -> None:
    # RFC 7914 §11 test vector for PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1, dkLen=64): first 32 bytes
    stored = access.hash_password("passwd", salt=b"salt", iterations=1)
    assert stored.split("$")[3] == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"


@pytest.mark.parametrize("stored", [None, "", "plain", "md5$1$00$00", "pbkdf2_sha256$x$00$00", "pbkdf2_sha256$1$zz$00"])
def test_malformed_hashes_never_match(stored: str | None) -> None:
    assert not access.verify_password("anything", stored)


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"role": "owner"}, "role must be one of"),
        ({"role": "viewer", "password": "clear"}, "password_hash"),
        ({"role": "viewer", "regions": "华东"}, "regions must be a list"),
    ],
)
def test_bad_user_config_is_named(entry: dict[str, object], problem: str) -> None:
    with pytest.raises(access.AccessConfigError, match=problem) as err:
        access.parse_users({"karadar": {"users": {"zhao": entry}}})
    assert "zhao" in str(err.value)


def test_authenticate_and_email() -> None:
    users = access.parse_users(
        {"karadar": {"users": {"wang": {"role": "uploader", "regions": ["华东"], "email": "Wang@Example.com",
                                        "password_hash": access.hash_password("pw", iterations=1000)}}}}
    )  # fmt: skip
    assert access.authenticate(users, " wang ", "pw") == users["wang"]
    assert access.authenticate(users, "wang", "nope") is None
    assert access.authenticate(users, "ghost", "pw") is None
    assert access.user_for_email(users, "wang@example.com") == users["wang"]
    assert access.user_for_email(users, None) is None
    assert users["wang"].can_upload and not users["wang"].is_admin


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [((), ("华东",)), (("华南",), ("华东",)), (("华东", "华南"), ("华东",))],
)
def test_scope_narrows_the_region_filter(chosen: tuple[str, ...], expected: tuple[str, ...]) -> None:
    scoped = access.scoped_filters(Filters(regions=chosen, sales_reps=("张伟",)), EAST)
    assert scoped.regions == expected and scoped.sales_reps == ("张伟",)
    assert access.scoped_filters(Filters(regions=chosen), access.LOCAL_ADMIN).regions == chosen
    assert access.visible_regions(["华东", "华南", "华北"], EAST) == ["华东"]


def _prepared(name: str, **kwargs: object) -> ingest.Prepared:
    path = SAMPLES / name
    return ingest.prepare(ingest.inspect_file(path.read_bytes(), name), **kwargs)  # type: ignore[arg-type]


def test_scoped_upload_takes_the_users_region_when_the_file_has_none() -> None:
    prepared = access.restrict_upload(_prepared("华东区_2024年销售明细.xlsx", constants={}), EAST)
    assert len(prepared.frame) == 662
    assert set(prepared.frame["region"]) == {"华东"}


def test_scoped_upload_skips_and_lists_other_regions() -> None:
    prepared = access.restrict_upload(_prepared("华南区_2024.csv", constants={"region": "华南"}), EAST)
    assert prepared.frame.empty
    assert prepared.skipped["out_of_scope"] == 498
    listed = prepared.bad_rows.loc[prepared.bad_rows["reason"] == "out_of_scope"]
    assert len(listed) == 498 and set(listed["value"]) == {"华南"}


def test_viewers_and_restricted_kinds_are_refused() -> None:
    ledger = _prepared("华东区_2024年销售明细.xlsx")
    with pytest.raises(IngestError) as err:
        access.restrict_upload(ledger, VIEWER)
    assert err.value.code == "upload_not_allowed"
    with pytest.raises(IngestError) as err:
        access.restrict_upload(_prepared("满意度调查_2024.xlsx"), EAST)
    assert err.value.code == "kind_not_allowed"
    assert access.restrict_upload(ledger, access.LOCAL_ADMIN) is ledger


# --- the app with access control on -------------------------------------------------------------


def _secrets() -> dict[str, object]:
    roles = {"boss": ("admin", []), "wang": ("uploader", ["华东"]), "li": ("viewer", [])}
    return {
        "users": {
            name: {
                "role": role,
                "regions": regions,
                "password_hash": access.hash_password(PASSWORDS[name], iterations=1000),
            }
            for name, (role, regions) in roles.items()
        }
    }


@pytest.fixture
def shop(demo_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "karadar.duckdb"
    shutil.copy(demo_db, copy)
    return copy


def _signed_in(db: Path, monkeypatch: pytest.MonkeyPatch, name: str, password: str | None = None):
    at = new_app(db, monkeypatch)
    at.secrets["karadar"] = _secrets()
    at.run()
    assert not at.exception
    assert at.title[0].value == label("auth.title")
    assert not at.metric  # nothing of the data before sign-in
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password or PASSWORDS[name])
    at.button[0].click().run()
    return at


def test_wrong_password_is_refused(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _signed_in(shop, monkeypatch, "wang", "guess")
    assert [e.value for e in at.error] == [label("auth.failed")]
    assert not at.metric


def test_regional_uploader_sees_only_their_region(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _signed_in(shop, monkeypatch, "wang")
    no_errors(at)
    east = kpis_of(shop, Filters(regions=("华东",)))
    assert east.transactions < kpis_of(shop).transactions
    assert metric(at, "kpi.revenue") == fmt.money(east.net_revenue, "zh")
    assert metric(at, "kpi.transactions") == fmt.integer(east.transactions)
    assert at.sidebar.multiselect(key="region").options == ["华东"]
    # choosing nothing, or trying a region in the URL, never widens the scope
    again = new_app(shop, monkeypatch)
    again.secrets["karadar"] = _secrets()
    again.query_params["region"] = "华南"
    again.run()
    again.text_input(key="auth_name").input("wang")
    again.text_input(key="auth_password").input(PASSWORDS["wang"])
    again.button[0].click().run()
    assert metric(again, "kpi.transactions") == fmt.integer(east.transactions)


def test_regional_upload_stores_only_their_rows(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _signed_in(shop, monkeypatch, "wang")
    before = kpis_of(shop).transactions
    at.switch_page("pages/data_files.py").run()
    sample = SAMPLES / "华南区_2024.csv"
    at.file_uploader[0].set_value((sample.name, sample.read_bytes(), "text/csv")).run()
    assert not at.exception
    assert metric(at, "data.rows_to_store") == "0"
    assert kpis_of(shop).transactions == before
    assert not [b for b in at.button if b.key and b.key == "undo_button"]  # only admins undo
    assert not [b for b in at.button if b.key and b.key == "remove_demo"]


def test_viewer_cannot_upload_and_admin_sees_users(shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    viewer = _signed_in(shop, monkeypatch, "li")
    viewer.switch_page("pages/data_files.py").run()
    no_errors(viewer)
    assert not viewer.file_uploader
    assert any(label("auth.viewer_no_upload") in i.value for i in viewer.info)
    admin = _signed_in(shop, monkeypatch, "boss")
    admin.switch_page("pages/data_files.py").run()
    no_errors(admin)
    assert len(admin.file_uploader) == 1
    assert label("auth.users") in [s.value for s in admin.subheader]
    shown = admin.dataframe[-1].value
    assert sorted(shown[label("auth.name")]) == ["boss", "li", "wang"]
    assert not any("pbkdf2" in str(v) for col in shown.columns for v in shown[col])


def test_store_untouched_by_a_refused_upload(shop: Path) -> None:
    con = duckdb.connect(str(shop))
    try:
        before = summary.kpis(con, Filters()).transactions
        prepared = access.restrict_upload(_prepared("华南区_2024.csv", constants={"region": "华南"}), EAST)
        result = ingest.commit(con, prepared, overlap="append", uploaded_by="wang")
        assert result.rows_stored == 0
        assert summary.kpis(con, Filters()).transactions == before
    finally:
        con.close()


# --- the command line acting as a user -----------------------------------------------------------


@pytest.fixture
def secrets_file(tmp_path: Path) -> Path:
    import json

    lines = []
    for name, entry in _secrets()["users"].items():  # type: ignore[attr-defined]
        lines.append(f"[karadar.users.{name}]")
        lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in entry.items()]
    path = tmp_path / "secrets.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from analytics import cli

    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_user_scope_in_summary_customers_and_ingest(
    shop: Path, secrets_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    as_wang = ["--db", str(shop), "--user", "wang", "--secrets", str(secrets_file)]
    code, out, _ = _cli(capsys, "summary", *as_wang, "--region", "华南", "--json")
    assert code == 0
    east = kpis_of(shop, Filters(regions=("华东",)))
    assert (json.loads(out)["transactions"], json.loads(out)["customers"]) == (east.transactions, east.customers)
    code, out, _ = _cli(capsys, "customers", *as_wang, "--format", "json")
    assert code == 0 and {row["region"] for row in json.loads(out)} == {"华东"}
    code, out, _ = _cli(capsys, "ingest", *as_wang, str(SAMPLES / "华南区_2024.csv"), "--set", "region=华南",
                        "--append", "--json")  # fmt: skip
    result = json.loads(out)
    assert (result["rows_stored"], result["rows_skipped"].get("out_of_scope")) == (0, 498)
    code, _, err = _cli(capsys, "undo", *as_wang, "1")
    assert code == 1 and "admin" in err


def test_cli_viewer_cannot_ingest(shop: Path, secrets_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code, out, _ = _cli(capsys, "ingest", "--db", str(shop), "--user", "li", "--secrets", str(secrets_file),
                        str(SAMPLES / "north_region_2024.xlsx"), "--json")  # fmt: skip
    assert code == 1 and json.loads(out)["status"] == "rejected"
    with pytest.raises(SystemExit, match="no user 'ghost'"):
        _cli(capsys, "summary", "--db", str(shop), "--user", "ghost", "--secrets", str(secrets_file))


def test_hash_password_command(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse\n"))
    code, out, _ = _cli(capsys, "hash-password")
    assert code == 0 and access.verify_password("correct horse", out.strip())
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert _cli(capsys, "hash-password")[0] == 1
