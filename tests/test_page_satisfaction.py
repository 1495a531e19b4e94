"""The Satisfaction page (AppTest): demo company, the real survey/complaint samples, empty states."""

from __future__ import annotations

import base64
import datetime as dt
import inspect
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pytest
from pagetest import SAMPLES, XLSX_MIME, label, metric, new_app, no_errors, open_page
from streamlit.testing.v1 import AppTest

from analytics import ingest, loader, readers, satisfaction, store
from analytics.filters import Filters
from ui import satisfaction_view as view

T = TypeVar("T")
LEDGER = SAMPLES / "华东区_2024年销售明细.xlsx"
SURVEYS = SAMPLES / "满意度调查_2024.xlsx"
COMPLAINTS = SAMPLES / "客户投诉记录.xlsx"


def on(db: Path, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``fn(con, *args, **kwargs)`` on a fresh connection to ``db``."""
    con = store.connect(db)
    try:
        return fn(con, *args, **kwargs)
    finally:
        con.close()


def rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    return on(db, lambda con: con.execute(sql).fetchall())


def number(text: str) -> float:
    """The number in a shown value: "3.74 / 5" → 3.74, "62.6%" → 62.6, "1,205" → 1205, "9 天" → 9."""
    head = text.split(" / ")[0].replace(",", "").replace("%", "").replace("×", "").replace("倍", "")
    return float(head.replace("天", "").replace("days", "").strip())


def titles(at: AppTest) -> list[str]:
    """The titles of the page's Plotly charts, in page order."""
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


def plotted(values: Any) -> list[float]:
    """A trace's values as Plotly serialises them (a list, or a base64 typed array for numpy input)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).astype(float).tolist()
    return [float(v) for v in values]


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def ingested(tmp_path: Path, *files: Path) -> Path:
    """A new database file holding ``files`` exactly as the Data page would store them."""
    db = tmp_path / "karadar.duckdb"
    con = store.connect(db)
    try:
        for path in files:
            assert ingest.ingest_file(con, path).status == "stored", path.name
    finally:
        con.close()
    return db


# ---------------------------------------------------------------- the demo company


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_demo_headlines_equal_independent_sums(demo_db, monkeypatch, lang):
    at = open_page(demo_db, monkeypatch, "satisfaction", lang)
    no_errors(at)
    assert at.title[0].value == label("sat.title", lang)
    # the demo surveys are on one 1–5 scale: CSAT straight from the table
    ((responses, mean, top2, recommended, promoters, detractors),) = rows(
        demo_db,
        """select count(overall), avg(overall), avg(case when overall >= 4 then 1.0 else 0.0 end),
                  count(recommend), count(*) filter (where recommend >= 9), count(*) filter (where recommend <= 6)
           from surveys""",
    )
    assert metric(at, "sat.csat.mean", lang) == f"{mean:.2f} / 5"
    assert number(metric(at, "sat.csat.top2", lang)) == pytest.approx(100 * top2, abs=0.05)
    assert number(metric(at, "sat.csat.responses", lang)) == responses
    nps = 100 * (promoters - detractors) / recommended
    assert number(metric(at, "sat.nps.value", lang)) == pytest.approx(nps, abs=0.05)
    assert number(metric(at, "sat.nps.promoters", lang)) == pytest.approx(100 * promoters / recommended, abs=0.05)
    assert number(metric(at, "sat.nps.detractors", lang)) == pytest.approx(100 * detractors / recommended, abs=0.05)
    # complaints: total, open (no resolved date and an open status), median days to resolve
    ((total, still_open, median_days),) = rows(
        demo_db,
        """select count(*),
                  count(*) filter (where resolved_date is null and status not in ('已解决', '已关闭')),
                  median(date_diff('day', opened_date, resolved_date))
           from complaints""",
    )
    assert number(metric(at, "sat.complaints.total", lang)) == total
    assert number(metric(at, "sat.complaints.open", lang)) == still_open
    assert number(metric(at, "sat.complaints.median_days", lang)) == pytest.approx(median_days)
    # the analytics on the same database agree with every other figure shown
    escalations = on(demo_db, satisfaction.escalation_list, Filters())
    assert number(metric(at, "sat.complaints.escalations", lang)) == len(escalations) > 0
    loyalty = on(demo_db, satisfaction.repurchase_by_score, Filters(), view.DEFAULT_REPURCHASE_DAYS)
    assert loyalty.top_vs_next_ratio is not None
    shown = titles(at)
    assert len(shown) == 7
    assert shown[3] == label("sat.loyalty.title", lang).format(
        top="5", next="4", days=90, ratio=view.ratio_text(loyalty.top_vs_next_ratio)
    )
    summary = on(demo_db, satisfaction.complaints_summary, Filters())
    vital = int(np.argmax(summary.by_category["cumulative_share"].to_numpy() >= 0.8)) + 1
    assert shown[5] == label("sat.complaints.pareto_title", lang).format(
        k=vital, n=len(summary.by_category), share=f"{100 * summary.by_category['cumulative_share'][vital - 1]:.1f}%"
    )
    # every section is there: CSAT, NPS, loyalty, drivers, complaints
    headers = [h.value for h in at.header]
    for key in ("sat.csat.header", "sat.nps.header", "sat.loyalty.header", "sat.drivers.header"):
        assert label(key, lang) in headers
    assert not infos(at)


def test_demo_drivers_quadrant_and_before_after(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "satisfaction", "en")
    no_errors(at)
    drivers = on(demo_db, satisfaction.drivers, Filters())
    focus = drivers.table.loc[drivers.table["quadrant"] == "concentrate_here"].sort_values(
        "importance", ascending=False
    )
    names = ", ".join(view.dimension_label(n, "en") for n in focus["dimension"])
    assert titles(at)[4] == label("sat.drivers.title_focus", "en").format(names=names)
    assert "Delivery (交付及时性)" in names  # the demo's weak, important dimension, translated
    spec = json.loads(at.get("plotly_chart")[4].proto.spec)
    corners = {a["text"] for a in spec["layout"]["annotations"]}
    assert corners == {"Keep up the good work", "Concentrate here", "Low priority", "Possible overkill"}
    pairs = on(demo_db, satisfaction.satisfaction_around_complaints, Filters())
    assert pairs.mean_before is not None and pairs.mean_after is not None
    assert titles(at)[6] == label("sat.around.title_down", "en").format(
        before=f"{pairs.mean_before:.2f}", after=f"{pairs.mean_after:.2f}"
    )


def test_repurchase_window_changes_the_numbers(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "satisfaction")
    assert at.number_input(key="sat_days").value == view.DEFAULT_REPURCHASE_DAYS
    at.number_input(key="sat_days").set_value(30).run()
    no_errors(at)
    result = on(demo_db, satisfaction.repurchase_by_score, Filters(), 30)
    table = result.by_score.set_index("score")
    for score in (5, 4):
        shown = [m.value for m in at.metric if m.label == label("sat.loyalty.rate_of").format(score=score)]
        assert shown == [f"{100 * table.loc[float(score), 'repurchase_rate']:.1f}%"]
    assert result.top_vs_next_ratio is not None
    assert metric(at, "sat.loyalty.ratio") == f"{result.top_vs_next_ratio:.1f} 倍"
    assert titles(at)[3] == label("sat.loyalty.title").format(
        top="5", next="4", days=30, ratio=f"{result.top_vs_next_ratio:.1f}"
    )
    # a shorter window: fewer repurchases than within 90 days, for every score
    longer = on(demo_db, satisfaction.repurchase_by_score, Filters(), 90).by_score.set_index("score")
    assert (table["repurchase_rate"] < longer["repurchase_rate"]).all()


def test_default_window_is_the_analytics_default():
    default = inspect.signature(satisfaction.repurchase_by_score).parameters["days"].default
    assert default == view.DEFAULT_REPURCHASE_DAYS


def test_a_period_without_surveys_keeps_the_complaints(demo_db, monkeypatch):
    # the demo surveys come in May/June and November/December waves: none in the first quarter
    at = open_page(demo_db, monkeypatch, "satisfaction")
    at.sidebar.date_input(key="period").set_value((dt.date(2024, 1, 1), dt.date(2024, 3, 31))).run()
    no_errors(at)
    assert label("sat.no_surveys") in infos(at)
    filters = Filters(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 3, 31))
    assert on(demo_db, satisfaction.csat, filters).responses == 0
    assert number(metric(at, "sat.complaints.total")) == on(demo_db, satisfaction.complaints_summary, filters).total


# ---------------------------------------------------------------- empty and partial stores


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ledger_without_surveys_or_complaints_shows_infos(tmp_path, monkeypatch, lang):
    db = ingested(tmp_path, LEDGER)
    at = open_page(db, monkeypatch, "satisfaction", lang)
    no_errors(at)
    assert label("sat.no_surveys", lang) in infos(at)
    assert label("sat.no_complaints", lang) in infos(at)
    assert not at.metric and not at.get("plotly_chart")
    assert len(at.get("page_link")) == 2  # each info links to the Data page


def test_surveys_without_recommend_or_dimensions(tmp_path, monkeypatch):
    db = tmp_path / "karadar.duckdb"
    con = store.connect(db)
    frame = pd.DataFrame(
        {"customer": ["A", "B", "C"], "survey_date": [dt.date(2024, 1, 5)] * 3, "overall": [7.0, 9.0, 10.0]}
    )
    meta = loader.UploadMeta(kind="surveys", file_name="s.xlsx", file_hash="s", survey_scale=(0.0, 10.0))
    loader.store_frame(con, frame, meta)
    con.close()
    at = open_page(db, monkeypatch, "satisfaction", "en")
    no_errors(at)
    # 0–10 scale: top-2 box = 9–10 → 2 of 3; mean 26 / 3
    assert metric(at, "sat.csat.mean", "en") == f"{26 / 3:.2f} / 10"
    assert metric(at, "sat.csat.top2", "en") == "66.7%"
    for key in ("sat.nps.none", "sat.drivers.none", "sat.loyalty.no_ledger", "sat.no_complaints"):
        assert label(key, "en") in infos(at), key


# ---------------------------------------------------------------- the real sample files


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory) -> Path:
    return ingested(tmp_path_factory.mktemp("sat_samples"), LEDGER, SURVEYS, COMPLAINTS)


def test_sample_files_ingest_with_the_scale_detected(samples_db):
    assert rows(samples_db, "select scale_min, scale_max from survey_scales") == [(1.0, 5.0)]
    dims = {d for (d,) in rows(samples_db, "select distinct dimension from survey_scores")}
    assert dims == {"产品质量", "服务态度", "交付及时性", "价格合理性"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sample_files_totals_by_pandas(samples_db, tmp_path, monkeypatch, lang):
    db = tmp_path / "copy.duckdb"
    shutil.copy(samples_db, db)
    answers = pd.read_excel(SURVEYS, engine="calamine")
    complaints = pd.read_excel(COMPLAINTS, engine="calamine")
    overall = answers["总体满意度"].astype(float)
    recommend = answers["推荐意愿(0-10)"].astype(float)
    resolved = complaints["解决日期"].notna()
    days = (complaints["解决日期"] - complaints["投诉日期"]).dt.days.dropna()

    at = open_page(db, monkeypatch, "satisfaction", lang)
    no_errors(at)
    assert metric(at, "sat.csat.mean", lang) == f"{overall.mean():.2f} / 5"
    assert number(metric(at, "sat.csat.top2", lang)) == pytest.approx(100 * (overall >= 4).mean(), abs=0.05)
    assert number(metric(at, "sat.csat.responses", lang)) == len(answers)
    nps = 100 * ((recommend >= 9).mean() - (recommend <= 6).mean())
    assert number(metric(at, "sat.nps.value", lang)) == pytest.approx(nps, abs=0.05)
    assert number(metric(at, "sat.complaints.total", lang)) == len(complaints)
    still_open = (~resolved & (complaints["处理状态"] != "已解决")).sum()
    assert number(metric(at, "sat.complaints.open", lang)) == still_open
    assert number(metric(at, "sat.complaints.median_days", lang)) == pytest.approx(days.median())
    # the distribution chart shows every point of the 1–5 scale with pandas' counts
    counts = overall.value_counts().reindex([1.0, 2.0, 3.0, 4.0, 5.0], fill_value=0)
    bars = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert plotted(bars["y"]) == counts.astype(float).tolist()


def test_data_page_detects_the_scale_and_the_user_confirms_it(tmp_path, monkeypatch):
    db = ingested(tmp_path, LEDGER)
    data = SURVEYS.read_bytes()
    digest = readers.file_hash(data)
    at = new_app(db, monkeypatch).run()
    at.switch_page("pages/data_files.py").run()
    at.file_uploader[0].set_value((SURVEYS.name, data, XLSX_MIME)).run()
    no_errors(at)
    scale = at.selectbox(key=f"scale_{digest}")
    assert scale.value is not None and tuple(scale.value) == (1, 5)  # the smallest standard scale holding 1–5
    assert list(scale.options) == ["1–5 分", "1–7 分", "1–10 分", "0–10 分"]
    found = [c.value for c in at.caption if "产品质量" in c.value]
    assert found and all(d in found[0] for d in ("服务态度", "交付及时性", "价格合理性"))
    scale.set_value((1, 7)).run()  # the user says the questionnaire was on 1–7
    no_errors(at)
    at.button(key=f"confirm_{digest}").click().run()
    no_errors(at)
    assert rows(db, "select scale_min, scale_max from survey_scales") == [(1.0, 7.0)]
    # the satisfaction page now reads the scores on 1–7: satisfied = 6–7, none of the answers
    at.switch_page("pages/satisfaction.py").run()
    no_errors(at)
    overall = pd.read_excel(SURVEYS, engine="calamine")["总体满意度"]
    assert metric(at, "sat.csat.mean") == f"{overall.mean():.2f} / 7"
    assert metric(at, "sat.csat.top2") == "0.0%"


# ---------------------------------------------------------------- view helpers


@pytest.mark.parametrize(
    ("name", "lang", "shown"),
    [
        ("产品质量", "zh", "产品质量"),
        ("产品质量", "en", "Product (产品质量)"),
        ("服务态度", "en", "Service (服务态度)"),
        ("交付及时性", "en", "Delivery (交付及时性)"),
        ("交货速度", "en", "Delivery (交货速度)"),
        ("价格合理性", "en", "Price (价格合理性)"),
        ("销售人员", "en", "Staff (销售人员)"),
        ("价格", "en", "Price"),
        ("产品服务", "en", "Product (产品服务)"),  # the first keyword in the name wins
        ("quality", "en", "quality"),
        ("包装", "en", "包装"),
    ],
)
def test_dimension_label(name, lang, shown):
    assert view.dimension_label(name, lang) == shown


def test_yearly_shares_weight_by_responses():
    months = [2023 * 12 + 5, 2023 * 12 + 11, 2024 * 12 + 5, 2024 * 12 + 11]
    trend = pd.DataFrame({"month_index": months, "responses": [10, 30, 20, 20], "top2_share": [0.5, 0.9, 0.6, 0.8]})
    # last 12 months (2023-12 … 2024-11): (12 + 16) / 40 = 0.7; the 12 before: (5 + 27) / 40 = 0.8
    assert view._yearly_shares(trend) == pytest.approx((0.7, 0.8))
    assert view._yearly_shares(trend.iloc[2:]) is None  # no responses in the 12 months before
