"""Pyramid page (AppTest) on the demo database: tiers, floors, rank shares, bad input, migration, empty filters."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pagetest import label, metric, new_app, no_errors, open_page
from streamlit.testing.v1 import AppTest

from analytics import key_accounts, store, tiers
from analytics.filters import Filters
from ui.i18n import TEXTS

DEFAULT = tiers.TierScheme()


def period_facts(db: Path) -> key_accounts.PeriodFacts:
    con = store.connect(db)
    try:
        return key_accounts.period_facts(con, Filters())
    finally:
        con.close()


def migration_of(db: Path, scheme: tiers.TierScheme) -> tiers.Migration:
    con = store.connect(db)
    try:
        moved = tiers.period_migration(con, Filters(), scheme)
    finally:
        con.close()
    assert moved is not None
    return moved


def expected_table(db: Path, scheme: tiers.TierScheme) -> pd.DataFrame:
    facts = period_facts(db).facts
    return tiers.tier_table(tiers.assign_tiers(facts, scheme), scheme)


def tier_table_shown(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


def assert_tiers_shown(at: AppTest, expected: pd.DataFrame, lang: str = "zh") -> None:
    shown = tier_table_shown(at)
    names = [label(f"tier.{code}", lang) for code in expected["tier"]]
    assert shown[label("pyr.col.tier", lang)].tolist() == names
    assert shown[label("pyr.col.customers", lang)].tolist() == expected["customers"].tolist()
    np.testing.assert_allclose(shown[label("col.revenue", lang)].to_numpy(float), expected["revenue"].to_numpy(float))
    np.testing.assert_allclose(
        shown[label("col.revenue_share", lang)].to_numpy(float), expected["revenue_share"].to_numpy(float)
    )
    for name, customers in zip(names, expected["customers"], strict=True):
        assert metric_by_label(at, name) == f"{customers:,}"


def metric_by_label(at: AppTest, text: str) -> str:
    values = [m.value for m in at.metric if m.label == text]
    assert values, f"no metric {text!r} among {[m.label for m in at.metric]}"
    return values[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_default_ladder(demo_db, monkeypatch, lang):
    at = open_page(demo_db, monkeypatch, "pyramid", lang)
    no_errors(at)
    assert not at.warning
    assert at.title[0].value == label("nav.pyramid", lang)
    assert at.segmented_control(key="tier_mode").value == "absolute"
    expected = expected_table(demo_db, DEFAULT)
    assert_tiers_shown(at, expected, lang)
    # independently: count the demo customers against the default floors by hand
    revenue = period_facts(demo_db).facts["revenue"].to_numpy(float)
    bounds = [np.inf, 5e6, 1e6, 5e5, 1e4, -np.inf]
    by_hand = [int(((revenue >= low) & (revenue < high)).sum()) for high, low in itertools.pairwise(bounds)]
    assert expected["customers"].tolist() == by_hand
    # the pyramid's title states the finding of the two top tiers
    top = expected.iloc[:2]
    n = int(top["customers"].sum())
    customer_share = f"{top['customer_share'].sum() * 100:.1f}%"
    revenue_share = f"{top['revenue_share'].sum() * 100:.1f}%"
    if lang == "zh":
        title = f"钻石+白金 {n} 家客户（占 {customer_share}）贡献 {revenue_share} 销售额"
    else:
        title = f"Diamond+Platinum: {n} customers ({customer_share}) bring {revenue_share} of revenue"
    assert chart_titles(at)[0] == title


def test_vip_floor_moves_the_counts(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "pyramid")
    at.number_input(key="tier_vip").set_value(100_000).run()
    no_errors(at)
    scheme = tiers.TierScheme(thresholds=tiers.AbsoluteThresholds(vip=100_000.0))
    expected = expected_table(demo_db, scheme)
    assert_tiers_shown(at, expected)
    before = expected_table(demo_db, DEFAULT).set_index("tier")["customers"]
    after = expected.set_index("tier")["customers"]
    assert after["vip"] < before["vip"] and after["ordinary"] > before["ordinary"]
    assert after["vip"] + after["ordinary"] == before["vip"] + before["ordinary"]
    revenue = period_facts(demo_db).facts["revenue"].to_numpy(float)
    assert after["ordinary"] == int((revenue < 100_000).sum())
    # the same floors tier the period before: the migration follows
    counts = migration_of(demo_db, scheme).counts()
    assert counts != migration_of(demo_db, DEFAULT).counts()
    for code, n in counts.items():
        assert metric(at, f"pyr.move.{code}") == f"{n:,}"


def test_rank_mode_and_share_slider(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "pyramid")
    at.segmented_control(key="tier_mode").set_value("rank").run()
    no_errors(at)
    scheme = tiers.TierScheme(mode="rank")
    expected = expected_table(demo_db, scheme)
    assert_tiers_shown(at, expected)
    # by hand: the customer straddling a cutoff belongs to the upper tier → ⌈share × n⌉ cumulative
    n = len(period_facts(demo_db).facts)
    cumulative = [math.ceil(s * n - 1e-9) for s in (0.05, 0.20, 0.50)] + [n]
    assert expected["customers"].tolist() == np.diff([0, *cumulative]).tolist()
    at.slider(key="share_key").set_value(10).run()
    no_errors(at)
    wider = tiers.TierScheme(mode="rank", shares=tiers.RankShares(key=0.10))
    assert_tiers_shown(at, expected_table(demo_db, wider))
    assert metric_by_label(at, label("tier.key")) == f"{math.ceil(0.10 * n):,}"


def test_floors_that_contradict_keep_the_last_valid_ladder(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "pyramid")
    at.number_input(key="tier_vip").set_value(100_000).run()
    valid = expected_table(demo_db, tiers.TierScheme(thresholds=tiers.AbsoluteThresholds(vip=100_000.0)))
    at.number_input(key="tier_gold").set_value(2_000_000).run()  # above Platinum's 1,000,000
    no_errors(at)
    assert len(at.warning) == 1
    text = at.warning[0].value
    assert "黄金" in text and "白金" in text and "200" in text  # names the two tiers and the bad floor
    assert_tiers_shown(at, valid)
    # fixing the ladder applies it again
    at.number_input(key="tier_platinum").set_value(3_000_000).run()
    no_errors(at)
    assert not at.warning
    fixed = tiers.AbsoluteThresholds(platinum=3_000_000.0, gold=2_000_000.0, vip=100_000.0)
    assert_tiers_shown(at, expected_table(demo_db, tiers.TierScheme(thresholds=fixed)))


def test_shares_over_100_percent_warn(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "pyramid", "en")
    at.segmented_control(key="tier_mode").set_value("rank").run()
    at.slider(key="share_ordinary").set_value(90).run()  # 5 + 15 + 90 = 110 %
    no_errors(at)
    assert len(at.warning) == 1 and "110%" in at.warning[0].value
    assert_tiers_shown(at, expected_table(demo_db, tiers.TierScheme(mode="rank")), "en")


def test_migration_matrix_and_upgrade_candidates(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "pyramid")
    no_errors(at)
    moved = migration_of(demo_db, DEFAULT)
    for code, n in moved.counts().items():
        assert metric(at, f"pyr.move.{code}") == f"{n:,}"
    matrix = at.dataframe[1].value
    assert matrix.iloc[:, 1:].to_numpy().tolist() == moved.matrix.to_numpy().tolist()
    assert matrix.iloc[:, 0].tolist() == [
        *(label(f"tier.{c}") for c in tiers.ABSOLUTE_TIERS),
        label("pyr.node.new"),
    ]
    counts = moved.counts()
    assert chart_titles(at)[1] == (
        f"升级 {counts['up']:,} 家、降级 {counts['down']:,} 家；新增 {counts['new']:,} 家、流失 {counts['lost']:,} 家"
    )
    candidates = tiers.upgrade_candidates(moved)
    shown = at.dataframe[2].value
    assert shown[label("pyr.col.customer_name")].tolist() == candidates["customer_name"].tolist()
    # a stricter rule lists fewer customers, exactly as the analytics compute
    at.slider(key="upgrade_growth").set_value(200).run()
    no_errors(at)
    stricter = tiers.upgrade_candidates(moved, min_growth=2.0)
    assert 0 < len(stricter) < len(candidates)
    assert at.dataframe[2].value[label("pyr.col.customer_name")].tolist() == stricter["customer_name"].tolist()


def test_empty_filter_shows_info(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "pyramid")
    at.sidebar.multiselect(key="region").set_value(["西南"]).run()
    at.sidebar.multiselect(key="rep").set_value(["周杰"]).run()  # 周杰 sells in 华北 only
    no_errors(at)
    assert any(label("pyr.no_data") in i.value for i in at.info)
    assert not at.dataframe


def test_dynamic_keys_exist():
    codes = {*tiers.ABSOLUTE_TIERS, *tiers.RANK_TIERS}
    for code in codes:
        assert f"tier.{code}" in TEXTS
    for code in tiers.MOVEMENTS:
        assert f"pyr.move.{code}" in TEXTS and f"pyr.move_help.{code}" in TEXTS
    for code in (tiers.NEW, tiers.LOST):
        assert f"pyr.node.{code}" in TEXTS
    for mode in ("absolute", "rank"):
        assert f"pyr.mode.{mode}" in TEXTS


def test_mode_link_carries_the_code_in_both_languages(demo_db, monkeypatch):
    at = open_page(demo_db, monkeypatch, "pyramid")
    at.segmented_control(key="tier_mode").set_value("rank").run()
    assert at.query_params["tier_mode"] in ("rank", ["rank"])  # the code, not 按排名比例
    # the link opened in English (a new session) shows the rank pyramid
    other = open_page_with(demo_db, monkeypatch, {"lang": "en", "tier_mode": "rank"})
    no_errors(other)
    assert other.segmented_control(key="tier_mode").value == "rank"
    assert_tiers_shown(other, expected_table(demo_db, tiers.TierScheme(mode="rank")), "en")
    # a mistyped link falls back to the default, without an error
    broken = open_page_with(demo_db, monkeypatch, {"tier_mode": "按排名比例x"})
    no_errors(broken)
    assert broken.segmented_control(key="tier_mode").value == "absolute"


def open_page_with(db: Path, monkeypatch: pytest.MonkeyPatch, params: dict[str, str]) -> AppTest:
    at = new_app(db, monkeypatch)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run().switch_page("pages/pyramid.py").run()
