"""The offline HTML meeting report: what it contains, that it is self-contained, and that names stay inert."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pagetest import new_app, no_errors

from analytics import cli, ingest, store, summary
from analytics.filters import Filters
from ui import format as fmt
from ui import report

HOSTILE = '<script>alert("x")</script>'
FORMULA = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    """A small store whose customer names try to inject HTML and formulas."""
    ledger = pd.DataFrame(
        {
            "客户": [HOSTILE, FORMULA, "正常客户甲", "正常客户乙"] * 3,
            "日期": [f"2025-0{m}-15" for m in (1, 2, 3) for _ in range(4)],
            "金额": [500.0, 300.0, 120.0, 80.0] * 3,
        }
    )
    path = tmp_path / "hostile.xlsx"
    ledger.to_excel(path, index=False)
    db = tmp_path / "karadar.duckdb"
    con = store.connect(db)
    try:
        assert ingest.ingest_file(con, path).status == "stored"
    finally:
        con.close()
    return db


def test_cli_report_is_self_contained_and_escaped(hostile_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "report.html"
    assert cli.main(["report", "--db", str(hostile_db), "--out", str(out), "--lang", "en",
                     "--pages", "home", "key_accounts"]) == 0  # fmt: skip
    assert "report written" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    # offline: plotly.js inline, no script or stylesheet loaded from anywhere
    assert "plotly.js v" in text or "Plotly" in text
    assert not re.search(r"<script[^>]+src=", text)
    assert not re.search(r"<link[^>]+href=", text)
    assert [h for h in re.findall(r"<h2>(.*?)</h2>", text)] == ["Home", "Key accounts"]
    assert text.count('class="plotly-graph-div"') >= 2  # monthly revenue, Pareto
    # names from data never become markup or formulas
    assert HOSTILE not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text or "&lt;script&gt;" in text
    assert "<td>=HYPERLINK" not in text
    # the headline figures the app shows are stated
    con = store.connect(hostile_db)
    try:
        kpis = summary.kpis(con, Filters())
    finally:
        con.close()
    assert fmt.money(kpis.net_revenue, "en") in text


def test_report_states_filters_and_data_dates() -> None:
    meta = report.Meta("zh", Filters(regions=("华东",)), None, None, (("净销售额", "¥1.0万"),))
    text = report.render([report.Section("大客户", (pd.DataFrame({"客户": ["甲"], "销售额": [1.5]}),))], meta)
    assert "区域: 华东" in text and "¥1.0万" in text and "<td>1.50</td>" in text


def test_long_tables_are_cut_with_a_note() -> None:
    frame = pd.DataFrame({"n": range(report.MAX_TABLE_ROWS + 7)})
    text = report.render([report.Section("x", (frame,))], report.Meta("en", Filters(), None, None))
    assert text.count("<tr>") == report.MAX_TABLE_ROWS  # body rows (the header row is styled)
    assert f"First {report.MAX_TABLE_ROWS} of {report.MAX_TABLE_ROWS + 7} rows." in text


def test_the_app_collects_what_a_page_draws(demo_db: Path, tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "karadar.duckdb"
    shutil.copy(demo_db, db)
    at = new_app(db, monkeypatch).run()
    at.switch_page("pages/key_accounts.py").run()
    no_errors(at)
    items = at.session_state[report.ITEMS_KEY]
    charts, tables = len(at.get("plotly_chart")), len(at.dataframe)
    assert len(items) == charts + tables and charts >= 1
    assert at.get("download_button")  # the report download is offered in the sidebar
    html = report.page_report("大客户", items, report.Meta("zh", Filters(), None, None)).decode("utf-8")
    assert html.count('class="plotly-graph-div"') == charts
