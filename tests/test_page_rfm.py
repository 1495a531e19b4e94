"""RFM page (AppTest) on the demo database: segment counts, the R × F grid, a segment's customers, empty filters."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pagetest import label, metric, new_app, no_errors, open_page
from streamlit.testing.v1 import AppTest

from analytics import key_accounts, rfm, store
from analytics.filters import Filters
from ui import format as fmt
from ui.i18n import TEXTS


def scored_of(db: Path) -> tuple[key_accounts.PeriodFacts, pd.DataFrame]:
    con = store.connect(db)
    try:
        data = key_accounts.period_facts(con, Filters())
    finally:
        con.close()
    assert data.bounds is not None
    return data, rfm.rfm(data.facts, data.bounds.as_of)


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_segments_as_analysed(demo_db, monkeypatch, lang):
    at = open_page(demo_db, monkeypatch, "rfm", lang)
    no_errors(at)
    assert at.title[0].value == label("nav.rfm", lang)
    data, scored = scored_of(demo_db)
    bounds = data.bounds
    assert bounds is not None
    # as-of date and period are stated
    assert metric(at, "rfm.as_of", lang) == fmt.date(bounds.as_of, lang)
    caption = " ".join(c.value for c in at.caption)
    assert fmt.date(bounds.period.start, lang) in caption and fmt.date(bounds.period.end, lang) in caption
    assert metric(at, "rfm.scored", lang) == f"{len(scored):,}"
    # the segment table equals segment_summary, with a translated action per segment
    summary = rfm.segment_summary(scored)
    table = at.dataframe[0].value
    assert table[label("rfm.col.segment", lang)].tolist() == [label(f"rfm.segment.{s}", lang) for s in rfm.SEGMENTS]
    assert table[label("rfm.col.customers", lang)].tolist() == summary["customers"].tolist()
    np.testing.assert_allclose(table[label("rfm.col.monetary", lang)], summary["monetary"])
    assert table[label("rfm.col.action", lang)].tolist() == [
        label(f"rfm.action.{rfm.ACTIONS[s]}", lang) for s in rfm.SEGMENTS
    ]
    if lang == "zh":
        assert table.iloc[0][label("rfm.col.action")] == "重点维护：专属客户经理、优先交付"
    # by hand: segment of every customer from its R and F scores and the documented grid
    by_hand = pd.Series(
        [rfm.SEGMENT_GRID[r - 1][f - 1] for r, f in zip(scored["r_score"], scored["f_score"], strict=True)]
    ).value_counts()
    assert summary.set_index("segment")["customers"].to_dict() == {s: int(by_hand.get(s, 0)) for s in rfm.SEGMENTS}
    # the R × F grid: 5 × 5 counts, R = 5 first
    grid = at.dataframe[1].value
    assert grid["R"].tolist() == [5, 4, 3, 2, 1]
    counts = pd.crosstab(scored["r_score"], scored["f_score"]).reindex(index=[5, 4, 3, 2, 1], columns=range(1, 6))
    assert grid[[f"F={f}" for f in range(1, 6)]].to_numpy().tolist() == counts.fillna(0).astype(int).to_numpy().tolist()
    # the treemap's title names the segment that brings the most revenue
    best = summary.loc[summary["monetary_share"].idxmax()]
    assert chart_titles(at)[0].startswith(label(f"rfm.segment.{best['segment']}", lang))
    assert f"{best['monetary_share'] * 100:.1f}%" in chart_titles(at)[0]


def test_customer_list_of_a_segment(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "rfm")
    _, scored = scored_of(demo_db)
    champions = scored.loc[scored["segment"] == "champions"].sort_values("monetary", ascending=False)
    shown = at.dataframe[2].value
    assert shown[label("rfm.col.customer_name")].tolist() == champions["customer_name"].tolist()
    at.selectbox(key="rfm_segment").set_value("at_risk").run()
    no_errors(at)
    at_risk = scored.loc[scored["segment"] == "at_risk"]
    shown = at.dataframe[2].value
    assert sorted(shown[label("rfm.col.customer_name")]) == sorted(at_risk["customer_name"])
    assert (shown[label("rfm.col.r_score")] <= 2).all()
    assert any(label("rfm.action.win_back_visit") in m.value for m in at.markdown)
    assert at.query_params["rfm_segment"] in ("at_risk", ["at_risk"])  # the link carries the code


def test_segment_from_the_link_in_english(demo_db, monkeypatch):
    at = new_app(demo_db, monkeypatch, "en")
    at.query_params["rfm_segment"] = "lost"
    at.run().switch_page("pages/rfm.py").run()
    no_errors(at)
    assert at.selectbox(key="rfm_segment").value == "lost"
    _, scored = scored_of(demo_db)
    assert len(at.dataframe[2].value) == int((scored["segment"] == "lost").sum())


def test_empty_filter_shows_info(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "rfm", "en")
    at.sidebar.multiselect(key="region").set_value(["西南"]).run()
    at.sidebar.multiselect(key="rep").set_value(["周杰"]).run()  # 周杰 sells in 华北 only
    no_errors(at)
    assert any(label("rfm.no_data", "en") in i.value for i in at.info)
    assert not at.dataframe


def test_dynamic_keys_exist():
    for segment in rfm.SEGMENTS:
        assert f"rfm.segment.{segment}" in TEXTS
    for action in rfm.ACTIONS.values():
        assert f"rfm.action.{action}" in TEXTS
