"""Command line: ``python -m analytics <command>`` — ingest, summary, customers, uploads, undo, demo.

The command names, options and JSON keys are a contract used by automation and acceptance
checks; extend them, never rename. Exit status: 0 on success (a file already stored counts as
success), 1 when a file is rejected or the command cannot run, with a one-line reason and no
traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

import duckdb

from analytics import access, engine, export, ingest, key_accounts, loader, sections, store, summary, tiers
from analytics.errors import message, reason_label
from analytics.filters import Filters


def _lang() -> str:
    return "zh" if os.environ.get("KARADAR_LANG", os.environ.get("LANG", "")).lower().startswith("zh") else "en"


def _pairs(values: Sequence[str] | None, option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise SystemExit(f"error: {option} expects FIELD=VALUE, got {item!r}")
        out[key.strip()] = value.strip()
    return out


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from exc


def _json_default(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=_json_default))


def cmd_ingest(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    """Ingest each file; print a report (or one JSON object per file)."""
    lang = _lang()
    constants = _pairs(args.set, "--set")
    mapping = _pairs(args.map, "--map")
    user = _user(args)
    overlap = "replace" if args.replace else "append" if args.append else None
    # the survey scale the user confirms; without it ingest detects the smallest standard scale
    scale = {"survey_scale": _survey_scale(args)} if args.scale else {}
    failed = False
    for path in args.files:
        if not os.path.isfile(path):
            result = ingest.IngestResult(path, "rejected", None, 0, 0, {}, f"no such file: {path}", "no_file")
        else:
            result = ingest.ingest_file(
                con, path, kind=args.kind, sheet=args.sheet, mapping=mapping, constants=constants,
                date_order=args.date_order, overlap=overlap, strict=args.strict, lang=lang,
                uploaded_by=user.name if user else os.environ.get("USER", "cli"),
                restrict=(lambda prepared: access.restrict_upload(prepared, user)) if user else None, **scale,
                progress=ingest.stderr_progress(path, lang),  # big files only; never on stdout (--json)
            )  # fmt: skip
        failed |= result.status == "rejected"
        if args.json:
            _print_json(result.as_json())
            continue
        print(f"{result.file}: {result.status} — {result.message}")
        for reason, count in sorted(result.rows_skipped.items()):
            print(f"  skipped {count:>7} × {reason_label(reason, lang)} ({reason})")
        if result.bad_rows is not None and not result.bad_rows.empty:
            for row in result.bad_rows.head(20).itertuples():
                print(
                    f"  row {row.row} [{row.sheet}] {reason_label(str(row.reason), lang)}: {row.column}={row.value!r}"
                )
            if len(result.bad_rows) > 20:
                print(f"  … {len(result.bad_rows) - 20} more rows")
    return 1 if failed else 0


def _floats(text: str, count: int, option: str) -> tuple[float, ...]:
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != count:
        raise SystemExit(f"error: {option} expects {count} comma-separated numbers, got {text!r}")
    return values


def _survey_scale(args: argparse.Namespace) -> tuple[float, float]:
    """``--scale LOW,HIGH`` of a survey upload (SPEC §2.3: the detected scale is confirmed by the user)."""
    if args.kind != "surveys":
        raise SystemExit("error: --scale applies to --kind surveys only")
    low, high = _floats(args.scale, 2, "--scale")
    if not low < high:
        raise SystemExit(f"error: --scale expects LOW < HIGH, got {args.scale!r}")
    return low, high


def _settings(args: argparse.Namespace) -> key_accounts.KeyAccountSettings:
    a_cut, b_cut = _floats(args.abc, 2, "--abc")
    diamond, platinum, gold, vip = _floats(args.tiers, 4, "--tiers")
    key, major, ordinary = _floats(args.rank_shares, 3, "--rank-shares")
    try:
        scheme = tiers.TierScheme(
            mode=args.tier_mode,
            thresholds=tiers.AbsoluteThresholds(diamond, platinum, gold, vip),
            shares=tiers.RankShares(key, major, ordinary),
        )
        return key_accounts.KeyAccountSettings(top_share=args.top_share, a_cut=a_cut, b_cut=b_cut, scheme=scheme)
    except ValueError as exc:
        raise SystemExit(f"error: {exc}") from exc


def _user(args: argparse.Namespace) -> access.User | None:
    """The ``--user`` whose role and region scope apply (None: the operator, unrestricted)."""
    if not getattr(args, "user", None):
        return None
    try:
        users = access.load_users(args.secrets)
    except (access.AccessConfigError, OSError, ValueError) as exc:
        raise SystemExit(f"error: {exc}") from exc
    if args.user not in users:
        raise SystemExit(f"error: no user {args.user!r} in the secrets file")
    return users[args.user]


def _filters(args: argparse.Namespace) -> Filters:
    filters = Filters(date_from=args.date_from, date_to=args.date_to, regions=tuple(args.region or ()))
    user = _user(args)
    return access.scoped_filters(filters, user) if user else filters


def _churn_settings(args: argparse.Namespace) -> sections.ChurnSettings:
    try:
        return sections.ChurnSettings(
            window_months=args.churn_window,
            overdue_k=args.overdue_k,
            overdue_floor_days=args.overdue_floor,
            horizon_weeks=args.horizon_weeks,
        )
    except ValueError as exc:
        raise SystemExit(f"error: {exc}") from exc


def summary_object(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    settings: key_accounts.KeyAccountSettings | None = None,
    churn_settings: sections.ChurnSettings | None = None,
) -> dict[str, Any]:
    """The ``summary --json`` object: headline figures, then one section per analysis."""
    k = summary.kpis(con, filters)
    data = key_accounts.period_facts(con, filters)
    return {
        "transactions": k.transactions,
        "customers": k.customers,
        "net_revenue": k.net_revenue,
        "profit": k.profit,
        "first_date": k.first_date,
        "last_date": k.last_date,
        **key_accounts.summary_sections(data, settings or key_accounts.KeyAccountSettings()),
        **sections.summary_sections(con, filters, data, churn_settings),
    }


def cmd_summary(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    """Print the headline figures for the filter (on the warehouse engine when one is set)."""
    con = engine.analytics_connection(con)
    obj = summary_object(con, _filters(args), _settings(args), _churn_settings(args))
    if args.json:
        _print_json(obj)
    else:
        for key, value in obj.items():
            print(f"{key:>14}: {json.dumps(value, ensure_ascii=False, default=_json_default)}")
    return 0


def cmd_customers(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    """Write one row per customer (CSV with BOM, XLSX or JSON) to --out or standard output."""
    con = engine.analytics_connection(con)
    filters = _filters(args)
    data = key_accounts.period_facts(con, filters)
    table = sections.customer_table(con, filters, data, _settings(args), _churn_settings(args))
    if args.format == "json":
        payload = table.to_json(orient="records", date_format="iso", force_ascii=False, double_precision=15).encode(
            "utf-8"
        )
    elif args.format == "xlsx":
        if not args.out:
            print("error: --format xlsx needs --out FILE", file=sys.stderr)
            return 1
        payload = export.to_xlsx_bytes(table)
    else:
        payload = export.to_csv_bytes(table)
    if args.out:
        with open(args.out, "wb") as handle:
            handle.write(payload)
        print(f"{len(table)} customers written to {args.out}")
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return 0


def cmd_uploads(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    """List the upload log."""
    log = summary.uploads(con)
    if args.json:
        _print_json(json.loads(log.to_json(orient="records", date_format="iso", force_ascii=False)))
        return 0
    if log.empty:
        print("no uploads")
        return 0
    for row in log.itertuples():
        print(
            f"#{row.upload_id:<4} {row.status:<7} {row.kind:<10} {row.file_name}  "
            f"read {row.rows_read}, stored {row.rows_stored}, skipped {row.rows_skipped}  "
            f"{row.uploaded_at:%Y-%m-%d %H:%M}"
        )
    return 0


def cmd_undo(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    """Remove one upload's rows (admins only when acting as a ``--user``)."""
    user = _user(args)
    if user is not None and not user.is_admin:
        print(f"error: only an admin may undo uploads ({user.name} is {user.role})", file=sys.stderr)
        return 1
    try:
        removed = loader.undo_upload(con, args.upload_id)
    except LookupError:
        print(f"error: no stored upload #{args.upload_id}", file=sys.stderr)
        return 1
    print(f"upload #{args.upload_id} undone: {removed} rows removed")
    return 0


def cmd_demo(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    """Load the deterministic demo dataset."""
    from data import demo

    ids = demo.load_demo(con)
    print(f"demo data loaded: uploads {', '.join(f'#{i}' for i in ids)}")
    return 0


REPORT_PAGES = ("home", "key_accounts", "pyramid", "rfm", "churn", "satisfaction")


def _report_query(args: argparse.Namespace, filters: Filters) -> dict[str, list[str]]:
    """The app's URL parameters for the CLI's filters and settings (what a copied link would hold)."""
    query: dict[str, list[str]] = {}
    if filters.regions:
        query["region"] = list(filters.regions)
    if args.date_from or args.date_to:
        bounds = summary.filter_options(args.con)
        start = args.date_from or bounds.first_date
        end = args.date_to or bounds.last_date
        query["period"] = [str(start), str(end)]
    a_cut, b_cut = _floats(args.abc, 2, "--abc")
    diamond, platinum, gold, vip = _floats(args.tiers, 4, "--tiers")
    key, major, ordinary = _floats(args.rank_shares, 3, "--rank-shares")
    settings = {
        "top_share": [str(round(args.top_share * 100))],
        "abc_cuts": [str(round(a_cut * 100)), str(round(b_cut * 100))],
        "tier_mode": [args.tier_mode],
        "tier_diamond": [str(diamond)],
        "tier_platinum": [str(platinum)],
        "tier_gold": [str(gold)],
        "tier_vip": [str(vip)],
        "share_key": [str(round(key * 100))],
        "share_major": [str(round(major * 100))],
        "share_ordinary": [str(round(ordinary * 100))],
        "churn_window": [str(args.churn_window)],
        "overdue_k": [str(args.overdue_k)],
        "overdue_floor": [str(args.overdue_floor)],
    }
    return {**query, **settings}


def cmd_report(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    """Write the offline HTML meeting report of the chosen pages for the filters and settings.

    The pages run headless (Streamlit's AppTest runner, through :mod:`ui.report`), so the file
    shows exactly what the app shows for the same link. That import is the CLI's one use of the
    UI layer; the analytics themselves never import Streamlit.
    """
    from ui import report  # lazy: Streamlit is only needed for this command

    filters = _filters(args)
    args.con = con
    query = _report_query(args, filters)
    bounds = summary.filter_options(con)
    lang = args.lang or _lang()
    # the Home page states the headline figures itself
    currency = os.environ.get("KARADAR_CURRENCY", "CNY")
    kpis = () if "home" in args.pages else report.headline_kpis(summary.kpis(con, filters), lang, currency)
    db = store.resolve_db_path(args.db)
    con.close()  # the headless app opens the database itself
    titles = report.write_report(
        args.out, db, pages=args.pages, query=query, lang=lang, filters=filters,
        first_date=bounds.first_date, last_date=bounds.last_date, kpis=kpis,
    )  # fmt: skip
    print(f"report written to {args.out}: {', '.join(titles)}")
    return 0


def cmd_hash_password(_con: duckdb.DuckDBPyConnection | None, args: argparse.Namespace) -> int:
    """Print a password hash for ``password_hash`` in the secrets file (the password from stdin)."""
    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("password: ")
    if len(password) < 8:
        print("error: use at least 8 characters", file=sys.stderr)
        return 1
    print(access.hash_password(password))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and --help)."""
    parser = argparse.ArgumentParser(prog="python -m analytics", description="KA Radar command line")
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", help="database file (default: $KARADAR_DB or data/karadar.duckdb)")
    db.add_argument("--user", help="act as this user of the secrets file (their role and region scope)")
    db.add_argument("--secrets", help="secrets file (default: $KARADAR_SECRETS or .streamlit/secrets.toml)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("hash-password", help="hash a password (read from stdin) for the secrets file")
    p.set_defaults(func=cmd_hash_password, db=None)

    p = sub.add_parser("ingest", parents=[db], help="validate and store ledger/master/survey/complaint files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--kind", choices=loader.KINDS, help="kind of file (detected from the headers if omitted)")
    p.add_argument("--sheet", help="read only this sheet")
    p.add_argument("--set", action="append", metavar="FIELD=VALUE", help="constant for the whole upload")
    p.add_argument("--map", action="append", metavar="FIELD=COLUMN", help="map a field to a column")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--replace", action="store_true", help="replace stored rows of the same period and region")
    group.add_argument("--append", action="store_true", help="append even if stored rows overlap")
    p.add_argument("--date-order", choices=("dmy", "mdy"), help="day/month order for dates like 03/05/2024")
    p.add_argument("--strict", action="store_true", help="refuse the whole file if any row is unusable")
    p.add_argument(
        "--scale",
        metavar="LOW,HIGH",
        help="score scale of a survey file, e.g. 0,10 (default: the smallest of 1–5, 1–7, 1–10, 0–10 that holds "
        "the scores); scores outside it are skipped as bad_score",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per file")
    p.set_defaults(func=cmd_ingest)

    analysis = argparse.ArgumentParser(add_help=False)
    analysis.add_argument("--from", dest="date_from", type=_date, metavar="YYYY-MM-DD", help="period start")
    analysis.add_argument(
        "--to",
        dest="date_to",
        type=_date,
        metavar="YYYY-MM-DD",
        help="period end, as-of date and BG/NBD calibration end",
    )
    analysis.add_argument("--region", action="append", help="restrict to a region (repeatable)")
    analysis.add_argument("--top-share", type=float, default=0.2, help="X of 'the top X%% bring Y%%' (0.2)")
    analysis.add_argument("--abc", default="0.8,0.95", help="ABC cutoffs on cumulative revenue share (0.8,0.95)")
    analysis.add_argument(
        "--tiers", default="5000000,1000000,500000,10000", help="diamond,platinum,gold,vip revenue floors"
    )
    analysis.add_argument("--tier-mode", choices=("absolute", "rank"), default="absolute")
    analysis.add_argument("--rank-shares", default="0.05,0.15,0.30", help="key,major,ordinary customer shares")
    defaults = sections.ChurnSettings()
    analysis.add_argument(
        "--overdue-k", type=float, default=defaults.overdue_k, help="overdue after k × own median gap (%(default)s)"
    )
    analysis.add_argument(
        "--overdue-floor",
        type=int,
        default=defaults.overdue_floor_days,
        help="… and only after this many days (%(default)s)",
    )

    p = sub.add_parser("summary", parents=[db, analysis], help="headline figures and one section per analysis")
    p.add_argument(
        "--churn-window", type=int, default=defaults.window_months, help="churn window, months 1–24 (%(default)s)"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_summary, horizon_weeks=defaults.horizon_weeks)

    p = sub.add_parser(
        "customers", parents=[db, analysis], help="one row per customer: rank, ABC, tier, RFM, churn risk"
    )
    p.add_argument(
        "--horizon-weeks",
        type=float,
        default=defaults.horizon_weeks,
        help="weeks of expected_purchases_next_period (%(default)s)",
    )
    p.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
    p.add_argument("--out", help="output file (default: standard output; required for xlsx)")
    p.set_defaults(func=cmd_customers, churn_window=defaults.window_months)

    p = sub.add_parser("report", parents=[db, analysis], help="offline HTML meeting report of the pages")
    p.add_argument("--out", required=True, help="the .html file to write")
    p.add_argument("--pages", nargs="+", choices=REPORT_PAGES, default=list(REPORT_PAGES), help="pages, in order")
    p.add_argument("--lang", choices=("zh", "en"), help="language (default: $KARADAR_LANG / $LANG)")
    p.add_argument("--churn-window", type=int, default=defaults.window_months, help="churn window, months")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("uploads", parents=[db], help="list the upload log")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_uploads)

    p = sub.add_parser("undo", parents=[db], help="remove one upload's rows")
    p.add_argument("upload_id", type=int)
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser("demo", parents=[db], help="load the demo dataset")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    handler: Callable[[duckdb.DuckDBPyConnection, argparse.Namespace], int] = args.func
    if args.command == "hash-password":
        return cmd_hash_password(None, args)
    try:
        con = store.connect(args.db)
    except duckdb.IOException as exc:
        busy = "lock" in str(exc).lower()
        reason = message("database_busy", _lang()) if busy else str(exc).splitlines()[0]
        print(f"error: {reason}", file=sys.stderr)
        return 1
    try:
        return handler(con, args)
    finally:
        con.close()
