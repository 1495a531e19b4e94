"""The real app, run headless with Streamlit's AppTest against a throw-away database."""

import logging

import pytest
from other_process import holding_the_database
from pagetest import SAMPLES, XLSX_MIME, kpis_of, label, metric, new_app, no_errors
from streamlit.testing.v1 import AppTest

from analytics import store, summary
from analytics.filters import Filters
from ui import format as fmt

SAMPLE = SAMPLES / "华东区_2024年销售明细.xlsx"


def test_home_loads_the_demo_into_a_new_database(tmp_path, monkeypatch):
    db = tmp_path / "karadar.duckdb"
    at = new_app(db, monkeypatch).run()
    no_errors(at)
    k = kpis_of(db)
    assert k.transactions > 10_000  # the demo was loaded automatically
    assert metric(at, "kpi.revenue") == fmt.money(k.net_revenue, "zh")
    assert metric(at, "kpi.transactions") == fmt.integer(k.transactions)
    assert metric(at, "kpi.customers") == fmt.integer(k.customers)
    assert at.title[0].value == label("home.title")
    # demo badge/notice and the chart's finding title
    assert any(label("home.demo_notice") in i.value for i in at.info)
    assert at.sidebar.radio(key="lang_switch").value == "zh"
    assert len(at.get("plotly_chart")) == 1


def test_home_in_english(demo_db, monkeypatch):
    at = new_app(demo_db, monkeypatch, lang="en").run()
    no_errors(at)
    k = kpis_of(demo_db)
    assert at.title[0].value == "Home"
    assert metric(at, "kpi.revenue", "en") == fmt.money(k.net_revenue, "en")
    assert metric(at, "kpi.revenue", "en").endswith("M")
    # switching back to Chinese from the sidebar
    at.sidebar.radio(key="lang_switch").set_value("zh").run()
    no_errors(at)
    assert at.title[0].value == label("home.title")
    assert "lang" not in at.query_params


@pytest.mark.parametrize(("lang", "default_index"), [("zh", 0), ("en", 1)])
def test_the_language_switch_is_drawn_with_the_sessions_language_as_its_default(
    demo_db, monkeypatch, lang, default_index
):
    """A browser that lost the switch's state shows its default: it must be the page's language."""
    at = new_app(demo_db, monkeypatch, lang=lang).run()
    switch = at.sidebar.radio(key="lang_switch")
    assert (switch.value, switch.proto.default) == (lang, default_index)
    other = "en" if lang == "zh" else "zh"
    switch.set_value(other).run()  # the user's pick moves the default with it
    switch = at.sidebar.radio(key="lang_switch")
    assert (switch.value, switch.proto.default, at.session_state["lang"]) == (other, 1 - default_index, other)
    at.switch_page("pages/pyramid.py").run()  # and a page change keeps both
    no_errors(at)
    assert at.sidebar.radio(key="lang_switch").proto.default == 1 - default_index


def test_filters_change_the_figures(demo_db, monkeypatch):
    at = new_app(demo_db, monkeypatch).run()
    at.sidebar.multiselect(key="region").set_value(["华东"]).run()
    no_errors(at)
    con = store.connect(demo_db)
    try:
        k = summary.kpis(con, Filters(regions=("华东",)))
    finally:
        con.close()
    assert metric(at, "kpi.revenue") == fmt.money(k.net_revenue, "zh")
    assert k.transactions < kpis_of(demo_db).transactions


def test_data_page_renders(demo_db, monkeypatch):
    at = new_app(demo_db, monkeypatch).run()
    at.switch_page("pages/data_files.py").run()
    no_errors(at)
    assert at.title[0].value == label("data.title")
    assert len(at.file_uploader) == 1
    assert label("data.log") in [s.value for s in at.subheader]
    # the frame (sidebar filters, language switch) is around the page too
    assert at.sidebar.radio(key="lang_switch").value == "zh"


def test_data_page_in_english(demo_db, monkeypatch):
    at = new_app(demo_db, monkeypatch, lang="en").run()
    at.switch_page("pages/data_files.py").run()
    no_errors(at)
    assert at.title[0].value == "Data"


def _confirm_key(at: AppTest) -> str:
    keys = [b.key for b in at.button if b.key and b.key.startswith("confirm_")]
    assert keys, [b.label for b in at.button]
    return keys[0]


def test_upload_report_confirm_and_undo(tmp_path, monkeypatch):
    db = tmp_path / "karadar.duckdb"
    at = new_app(db, monkeypatch).run()
    before = kpis_of(db).transactions
    at.switch_page("pages/data_files.py").run()
    at.file_uploader[0].set_value((SAMPLE.name, SAMPLE.read_bytes(), XLSX_MIME)).run()
    no_errors(at)
    # validation report before anything is stored
    assert metric(at, "data.rows_read") == "675"
    assert metric(at, "data.rows_to_store") == "662"
    assert metric(at, "data.rows_skipped") == "13"
    assert kpis_of(db).transactions == before
    # region prefilled from the file name
    assert at.text_input[0].value == "华东"
    at.button(key=_confirm_key(at)).click().run()
    no_errors(at)
    assert at.success, "no success message after confirming"
    assert "662" in at.success[0].value
    assert kpis_of(db).transactions == before + 662
    at.switch_page("pages/home.py").run()
    no_errors(at)
    assert metric(at, "kpi.transactions") == fmt.integer(before + 662)
    # the same file again is recognised as a duplicate
    at.switch_page("pages/data_files.py").run()
    at.file_uploader[0].set_value((SAMPLE.name, SAMPLE.read_bytes(), XLSX_MIME)).run()
    no_errors(at)
    assert not [b for b in at.button if b.key and b.key.startswith("confirm_")]
    # ... also in a new session, which did not see the first upload
    other = new_app(db, monkeypatch).run()
    other.switch_page("pages/data_files.py").run()
    other.file_uploader[0].set_value((SAMPLE.name, SAMPLE.read_bytes(), XLSX_MIME)).run()
    no_errors(other)
    assert any("已经导入过" in i.value for i in other.info)
    # undo the upload from the log
    con = store.connect(db)
    try:
        upload_id = int(summary.uploads(con).iloc[0]["upload_id"])
    finally:
        con.close()
    assert at.button(key="undo_button").disabled  # nothing chosen yet
    at.selectbox(key="undo_pick").set_value(upload_id).run()
    at.button(key="undo_button").click().run()
    no_errors(at)
    assert kpis_of(db).transactions == before
    assert any(f"#{upload_id}" in s.value or f"第 {upload_id} 次" in s.value for s in at.success)
    # the file still in the uploader is no longer a duplicate: its report and Confirm come back
    assert metric(at, "data.rows_to_store") == "662"
    assert [b for b in at.button if b.key and b.key.startswith("confirm_")]


def test_ambiguous_dates_are_asked(tmp_path, monkeypatch):
    db = tmp_path / "karadar.duckdb"
    at = new_app(db, monkeypatch).run()
    at.switch_page("pages/data_files.py").run()
    csv = "客户,日期,金额\n甲公司,01/02/2024,100\n乙公司,03/04/2024,200\n合计,,300\n".encode()
    at.file_uploader[0].set_value(("ambiguous.csv", csv, "text/csv")).run()
    assert not at.exception
    assert at.error and "日期" in at.error[0].value
    order = [r for r in at.radio if r.key and r.key.startswith("order_")]
    assert order, "no day/month choice offered"
    order[0].set_value("dmy").run()
    no_errors(at)
    assert metric(at, "data.rows_to_store") == "2"
    assert metric(at, "data.rows_skipped") == "1"


def test_bad_file_shows_a_message_not_a_traceback(tmp_path, monkeypatch):
    db = tmp_path / "karadar.duckdb"
    at = new_app(db, monkeypatch).run()
    at.switch_page("pages/data_files.py").run()
    at.file_uploader[0].set_value(("broken.xlsx", b"PK\x03\x04 not really a workbook", XLSX_MIME)).run()
    assert not at.exception
    assert at.error and "Traceback" not in at.error[0].value


def test_remove_demo_and_no_reload(tmp_path, monkeypatch):
    db = tmp_path / "karadar.duckdb"
    at = new_app(db, monkeypatch).run()
    at.switch_page("pages/data_files.py").run()
    at.button(key="remove_demo").click().run()
    no_errors(at)
    assert kpis_of(db).transactions == 0
    at.switch_page("pages/home.py").run()
    no_errors(at)
    assert any(label("home.no_data") in w.value for w in at.warning)
    # a new session (fresh AppTest) does not bring the demo back
    again = new_app(db, monkeypatch).run()
    no_errors(again)
    assert kpis_of(db).transactions == 0


def test_page_error_is_caught_by_the_frame(demo_db, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(summary, "revenue_by_month", broken)
    at = new_app(demo_db, monkeypatch).run()
    assert not at.exception
    assert [e.value for e in at.error] == [label("error.unexpected")]


def test_year_to_date_compares_like_with_like():
    import pandas as pd

    from ui import insights

    months = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01", "2025-01-01", "2025-02-01"])
    monthly = pd.DataFrame({"month": months.date, "revenue": [100.0, 100.0, 500.0, 110.0, 110.0]})
    ytd = insights.year_to_date(monthly)
    assert ytd is not None
    assert (ytd.year, ytd.revenue, ytd.previous) == (2025, 220.0, 200.0)
    assert ytd.change == pytest.approx(0.10)
    assert insights.revenue_title(ytd, "en") == "Revenue Jan–Feb 2025: ¥220, +10.0% vs Jan–Feb 2024"
    assert insights.revenue_title(ytd, "zh") == "2025年1–2月销售额 ¥220，同比 +10.0%（对比2024年1–2月）"
    # the previous year misses February: no comparison is claimed
    partial = monthly.drop(index=1)
    ytd = insights.year_to_date(partial)
    assert ytd is not None and ytd.change is None and ytd.previous is None
    assert insights.revenue_title(ytd, "en") == "Revenue Jan–Feb 2025: ¥220"
    assert insights.year_to_date(monthly.iloc[0:0]) is None


def test_overlap_without_order_ids_asks_replace_or_append(tmp_path, monkeypatch):
    db = tmp_path / "karadar.duckdb"
    sample = SAMPLE.parent / "华南区_2024.csv"
    at = new_app(db, monkeypatch).run()  # demo data holds 华南 in 2024 already
    before = kpis_of(db).transactions
    at.switch_page("pages/data_files.py").run()
    at.file_uploader[0].set_value((sample.name, sample.read_bytes(), "text/csv")).run()
    no_errors(at)
    assert metric(at, "data.rows_to_store") == "498"
    choice = [r for r in at.radio if r.key and r.key.startswith("overlap_")]
    assert choice, "no replace/append choice offered"
    confirm = at.button(key=_confirm_key(at))
    assert confirm.disabled
    choice[0].set_value("append").run()
    assert not at.button(key=_confirm_key(at)).disabled
    at.button(key=_confirm_key(at)).click().run()
    no_errors(at)
    assert kpis_of(db).transactions == before + 498


def test_a_database_locked_by_another_program_is_named_without_a_traceback(tmp_path, monkeypatch, caplog):
    db = tmp_path / "karadar.duckdb"
    store.connect(db).close()
    with holding_the_database(db), caplog.at_level(logging.WARNING):
        at = new_app(db, monkeypatch, lang="en").run()
    assert not at.exception
    assert [e.value for e in at.error] == [label("error.database", "en")]
    opened = [r for r in caplog.records if r.getMessage().startswith("the database cannot be opened")]
    assert opened and all(r.exc_info is None for r in caplog.records)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("server.enableXsrfProtection", True),
        ("server.enableStaticServing", False),
        ("server.maxUploadSize", 200),
        ("client.showErrorDetails", "none"),
        ("client.toolbarMode", "viewer"),
        # Streamlit's default gc.collect(2) after every run was 44% of the server's CPU with 10
        # viewers moving sliders (bench_viewers under py-spy)
        ("runner.postScriptGC", False),
    ],
)
def test_the_server_defaults_come_from_the_project_config(option, value):
    from streamlit import config

    config.get_config_options(force_reparse=True)
    assert config.get_option(option) == value
    assert config.get_where_defined(option).endswith(".streamlit/config.toml")
