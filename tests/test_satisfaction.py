"""Satisfaction and complaints on hand-built surveys/complaints, and on the sample files."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook
from scipy import stats

from analytics import churn, ingest, loader, satisfaction, store
from analytics.filters import Filters

d = dt.date
SAMPLES = Path(__file__).parent / "fixtures" / "samples"
LEDGER_COLUMNS = ["customer", "order_date", "amount", "category", "region", "sales_rep"]
COMPLAINT_COLUMNS = ["customer", "complaint_id", "opened_date", "category", "severity", "status", "resolved_date"]


def make_store(
    ledger: Sequence[tuple[object, ...]] = (),
    surveys: pd.DataFrame | None = None,
    complaints: Sequence[tuple[object, ...]] = (),
    scale: tuple[float, float] | None = (1.0, 5.0),
    master: pd.DataFrame | None = None,
) -> duckdb.DuckDBPyConnection:
    con = store.connect(":memory:")
    if ledger:
        frame = pd.DataFrame(ledger, columns=LEDGER_COLUMNS)
        loader.store_frame(con, frame, loader.UploadMeta(kind="ledger", file_name="l.csv", file_hash="l"))
    if master is not None:
        loader.store_frame(con, master, loader.UploadMeta(kind="customers", file_name="m.xlsx", file_hash="m"))
    if surveys is not None:
        meta = loader.UploadMeta(kind="surveys", file_name="s.xlsx", file_hash="s", survey_scale=scale)
        loader.store_frame(con, surveys, meta)
    if complaints:
        frame = pd.DataFrame(complaints, columns=COMPLAINT_COLUMNS)
        loader.store_frame(con, frame, loader.UploadMeta(kind="complaints", file_name="c.xlsx", file_hash="c"))
    return con


def surveys(
    rows: Sequence[tuple[object, ...]], columns: Sequence[str] = ("customer", "survey_date", "overall")
) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(columns))


# ---------------------------------------------------------------- NPS


@pytest.mark.parametrize(
    ("scores", "promoters", "passives", "detractors", "value"),
    [
        ([10, 9, 8, 7, 6, 0], 2, 2, 2, 0.0),  # (2 − 2) / 6 = 0
        ([10, 10, 9, 3], 3, 0, 1, 50.0),  # (3 − 1) / 4 = 50 points
        ([0, 6, 6], 0, 0, 3, -100.0),
        ([9.0, 8.5, 6.5, 6.0], 1, 2, 1, 0.0),  # 8.5 and 6.5 lie strictly between 6 and 9: passives
        ([10], 1, 0, 0, 100.0),
    ],
)
def test_nps_by_hand(scores: list[float], promoters: int, passives: int, detractors: int, value: float) -> None:
    rows = [("A", d(2024, 1, 1), 3.0, float(s)) for s in scores]
    con = make_store(surveys=surveys(rows, ("customer", "survey_date", "overall", "recommend")))
    result = satisfaction.nps(con, Filters())
    assert result is not None
    assert (result.responses, result.promoters, result.passives, result.detractors) == (
        len(scores),
        promoters,
        passives,
        detractors,
    )
    assert result.nps == pytest.approx(value)
    assert result.promoter_share == pytest.approx(promoters / len(scores))
    assert result.detractor_share == pytest.approx(detractors / len(scores))


def test_nps_none_without_recommend_data() -> None:
    assert satisfaction.nps(store.connect(":memory:"), Filters()) is None
    con = make_store(surveys=surveys([("A", d(2024, 1, 1), 4.0)]))
    assert satisfaction.nps(con, Filters()) is None


def test_nps_trend_by_month() -> None:
    rows = [
        ("A", d(2024, 1, 3), 4.0, 10.0),
        ("B", d(2024, 1, 30), 4.0, 5.0),  # Jan: (1 − 1) / 2 = 0
        ("C", d(2024, 2, 1), 4.0, 9.0),  # Feb: (1 − 0) / 1 = 100
    ]
    con = make_store(surveys=surveys(rows, ("customer", "survey_date", "overall", "recommend")))
    trend = satisfaction.nps(con, Filters())
    assert trend is not None
    assert trend.trend[["month_index", "responses", "nps"]].values.tolist() == [
        [2024 * 12 + 1, 2, 0.0],
        [2024 * 12 + 2, 1, 100.0],
    ]


# ---------------------------------------------------------------- CSAT

CSAT_ROWS = [
    ("A", d(2024, 1, 5), 5.0),
    ("B", d(2024, 1, 20), 4.0),
    ("C", d(2024, 2, 1), 4.0),
    ("D", d(2024, 2, 10), 3.0),
    ("E", d(2024, 2, 29), 1.0),
]


def test_csat_by_hand() -> None:
    con = make_store(surveys=surveys(CSAT_ROWS))
    result = satisfaction.csat(con, Filters())
    # mean (5 + 4 + 4 + 3 + 1) / 5 = 3.4; top-2 box on 1–5 = {4, 5}: 3 / 5
    # normalised (x − 1) / 4: 1, .75, .75, .5, 0 → 3 / 5 = 0.6
    assert (result.responses, result.scale_min, result.scale_max, result.mixed_scales) == (5, 1.0, 5.0, False)
    assert result.mean == pytest.approx(3.4)
    assert result.top2_share == pytest.approx(0.6)
    assert result.mean_normalised == pytest.approx(0.6)
    # every point of the scale is listed, 2 with 0 responses
    assert result.distribution[["score", "responses"]].values.tolist() == [[1, 1], [2, 0], [3, 1], [4, 2], [5, 1]]
    assert result.distribution["share"].tolist() == pytest.approx([0.2, 0.0, 0.2, 0.4, 0.2])
    # Jan: 5, 4 → mean 4.5, top-2 1.0; Feb: 4, 3, 1 → mean 8/3, top-2 1/3
    trend = result.trend
    assert trend["month"].dt.date.tolist() == [d(2024, 1, 1), d(2024, 2, 1)]
    assert trend["responses"].tolist() == [2, 3]
    assert trend["mean"].tolist() == pytest.approx([4.5, 8 / 3])
    assert trend["top2_share"].tolist() == pytest.approx([1.0, 1 / 3])


def test_csat_with_mixed_scales_uses_normalised_scores() -> None:
    con = make_store(surveys=surveys(CSAT_ROWS))
    other = surveys([("F", d(2024, 3, 1), 10.0), ("G", d(2024, 3, 2), 6.0)])
    meta = loader.UploadMeta(kind="surveys", file_name="t.xlsx", file_hash="t", survey_scale=(0.0, 10.0))
    loader.store_frame(con, other, meta)
    result = satisfaction.csat(con, Filters())
    # 7 responses; normalised: 1–5 part sums to 3.0, 0–10 part 1.0 + 0.6 → 4.6 / 7
    # top-2: three on 1–5, and 10 (≥ 9) on 0–10 → 4 / 7
    assert (result.responses, result.mixed_scales, result.mean, result.scale_min) == (7, True, None, None)
    assert result.mean_normalised == pytest.approx(4.6 / 7)
    assert result.top2_share == pytest.approx(4 / 7)
    assert result.distribution.groupby("scale_max")["responses"].sum().to_dict() == {5.0: 5, 10.0: 2}
    assert len(result.distribution) == 5 + 11  # every point of both scales


def test_scale_fallback_without_a_stored_scale() -> None:
    # no scale stored: the smallest standard scale holding 2 and 7 is 1–7; top-2 = {6, 7}
    con = make_store(surveys=surveys([("A", d(2024, 1, 1), 7.0), ("B", d(2024, 1, 2), 2.0)]), scale=None)
    result = satisfaction.csat(con, Filters())
    assert (result.scale_min, result.scale_max, result.top2_share) == (1.0, 7.0, 0.5)
    assert result.mean_normalised == pytest.approx((1.0 + 1 / 6) / 2)


def test_csat_empty() -> None:
    result = satisfaction.csat(store.connect(":memory:"), Filters())
    assert (result.responses, result.mean, result.top2_share, result.scale_min) == (0, None, None, None)
    assert result.distribution.empty and result.trend.empty


# ---------------------------------------------------------------- filters on surveys and complaints


def test_filters_select_customers_through_ledger_and_master() -> None:
    ledger = [("A", d(2023, 1, 1), 10.0, "pump", "N", "r1"), ("B", d(2023, 1, 1), 10.0, "valve", "S", "r2")]
    master = pd.DataFrame({"customer": ["M"], "region": ["N"], "sales_rep": ["r1"]})
    rows = [("A", d(2024, 1, 5), 5.0), ("B", d(2024, 2, 5), 4.0), ("M", d(2024, 3, 5), 3.0), ("U", d(2024, 4, 5), 2.0)]
    complaints = [(c, f"k{c}", day, "q", "一般", "处理中", None) for c, day, _ in rows]
    con = make_store(ledger, surveys(rows), complaints, master=master)

    def counted(filters: Filters) -> tuple[int, int]:
        return satisfaction.csat(con, filters).responses, satisfaction.complaints_summary(con, filters).total

    assert counted(Filters()) == (4, 4)  # no customer filter: also U, known only from the survey
    assert counted(Filters(regions=("N",))) == (2, 2)  # A (ledger) and M (master record)
    assert counted(Filters(sales_reps=("r2",))) == (1, 1)  # B
    assert counted(Filters(categories=("pump",))) == (1, 1)  # a category needs ledger lines: A only
    assert counted(Filters(date_from=d(2024, 2, 1), date_to=d(2024, 3, 31))) == (2, 2)  # B, M by date
    assert counted(Filters(regions=("N",), date_from=d(2024, 2, 1))) == (1, 1)  # M


# ---------------------------------------------------------------- satisfaction → loyalty

REPURCHASE_LEDGER = [
    ("A", d(2023, 4, 15), 100.0, None, "N", "r1"),
    ("A", d(2024, 3, 1), 100.0, None, "N", "r1"),
    ("B", d(2023, 7, 1), 100.0, None, "N", "r1"),
    ("C", d(2023, 1, 1), 100.0, None, "N", "r1"),
    ("D", d(2023, 6, 1), 100.0, None, "N", "r1"),
    ("D", d(2023, 8, 30), 100.0, None, "N", "r1"),
    ("E", d(2024, 12, 1), 100.0, None, "N", "r1"),
    ("F", d(2022, 12, 1), 100.0, None, "N", "r1"),
    ("F", d(2023, 1, 20), -50.0, None, "N", "r1"),  # a return is not a repurchase
    ("Z", d(2024, 12, 31), 100.0, None, "N", "r1"),  # the last ledger date
]
REPURCHASE_SURVEYS = [
    ("A", d(2023, 3, 1), 5.0),  # s1: next purchase 04-15 (45 days); bought within 12 months
    ("B", d(2023, 3, 1), 5.0),  # s2: next purchase 07-01 (122 days); bought within 12 months
    ("C", d(2023, 6, 1), 4.0),  # s3: never again → churned
    ("D", d(2023, 6, 1), 4.0),  # s4: same-day purchase does not count; 08-30 is day 90 → repurchased
    ("E", d(2024, 11, 15), 4.0),  # s5: 90-day window ends 2025-02-13, after the data → not eligible
    ("A", d(2024, 2, 1), 5.0),  # s6: 03-01 (29 days); 12-month window ends 2025-02-01 → churn not eligible
    ("F", d(2023, 1, 1), 4.0),  # s7: only a return afterwards → not repurchased, churned
]


def test_repurchase_by_score_by_hand() -> None:
    con = make_store(REPURCHASE_LEDGER, surveys(REPURCHASE_SURVEYS))
    result = satisfaction.repurchase_by_score(con, Filters(), days=90)
    assert result.data_end == d(2024, 12, 31)
    table = result.by_score.set_index("score")
    # score 5: s1, s2, s6 all eligible; repurchased s1, s6 → 2/3; churn-eligible s1, s2 → 0 churned
    assert table.loc[5.0, ["surveys", "repurchase_eligible", "repurchased", "churn_eligible", "churned"]].tolist() == [
        3,
        3,
        2,
        2,
        0,
    ]
    # score 4: eligible s3, s4, s7 (s5 censored); repurchased s4 → 1/3; churn-eligible s3, s4, s7 → 2 churned
    assert table.loc[4.0, ["surveys", "repurchase_eligible", "repurchased", "churn_eligible", "churned"]].tolist() == [
        4,
        3,
        1,
        3,
        2,
    ]
    assert table["repurchase_rate"].tolist() == pytest.approx([1 / 3, 2 / 3])
    assert table["churn_rate"].tolist() == pytest.approx([2 / 3, 0.0])
    # "5 vs 4": (2/3) / (1/3) = 2
    assert (result.top_score, result.next_score) == (5.0, 4.0)
    assert result.top_vs_next_ratio == pytest.approx(2.0)


def test_repurchase_window_and_filters() -> None:
    con = make_store(REPURCHASE_LEDGER, surveys(REPURCHASE_SURVEYS))
    short = satisfaction.repurchase_by_score(con, Filters(), days=45)
    table = short.by_score.set_index("score")
    # 45 days: s1 (day 45) and s6 still count; s4 (day 90) no longer; s5 now eligible (2024-12-30) and bought on day 16
    assert table.loc[5.0, ["repurchase_eligible", "repurchased"]].tolist() == [3, 2]
    assert table.loc[4.0, ["repurchase_eligible", "repurchased"]].tolist() == [4, 1]
    assert short.top_vs_next_ratio == pytest.approx((2 / 3) / (1 / 4))
    dated = satisfaction.repurchase_by_score(con, Filters(date_from=d(2023, 6, 1)), days=90)
    # survey dates from 2023-06-01: s3, s4, s6, s5
    assert dated.responses["survey_date"].dt.date.tolist() == [
        d(2023, 6, 1),
        d(2023, 6, 1),
        d(2024, 2, 1),
        d(2024, 11, 15),
    ]
    with pytest.raises(ValueError):
        satisfaction.repurchase_by_score(con, Filters(), days=0)


# ---------------------------------------------------------------- drivers


def test_drivers_by_hand() -> None:
    overall = [1, 2, 3, 4, 5]
    dims = {
        "quality": [1, 2, 3, 4, 5],  # same ranks: ρ = 1; mean 3 → 0.5
        "price": [5, 5, 4, 4, 3],  # ρ = −9 / √90 = −0.948683; mean 4.2 → 0.8
        "speed": [3, 4, 4, 5, 5],  # ρ = 9 / √90 = 0.948683; mean 4.2 → 0.8
        "low": [2, 1, 1, 1, 1],  # ρ = −5 / √50 = −0.707107; mean 1.2 → 0.05
        "service": [4, 4, 4, 4, 4],  # constant: no correlation
    }
    # rank arithmetic for price: overall ranks 1..5 (deviations −2, −1, 0, 1, 2); price ranks 4.5, 4.5, 2.5, 2.5, 1
    # (deviations 1.5, 1.5, −0.5, −0.5, −2): Σ products −9, Σ squares 10 and 9 → ρ = −9 / √90
    frame = pd.DataFrame(
        {
            "customer": [f"c{i}" for i in range(5)],
            "survey_date": [d(2024, 1, i + 1) for i in range(5)],
            "overall": [float(v) for v in overall],
            **{f"dim:{name}": [float(v) for v in values] for name, values in dims.items()},
        }
    )
    result = satisfaction.drivers(make_store(surveys=frame), Filters())
    table = result.table.set_index("dimension")
    assert table.loc["quality", "importance"] == pytest.approx(1.0)
    assert table.loc["price", "importance"] == pytest.approx(-9 / np.sqrt(90))
    assert table.loc["speed", "importance"] == pytest.approx(9 / np.sqrt(90))
    assert table.loc["low", "importance"] == pytest.approx(-5 / np.sqrt(50))
    assert np.isnan(table.loc["service", "importance"]) and table.loc["service", "quadrant"] is None
    assert table["mean"].to_dict() == pytest.approx(
        {"low": 1.2, "price": 4.2, "quality": 3.0, "service": 4.0, "speed": 4.2}
    )
    assert table.loc["price", "mean_normalised"] == pytest.approx(0.8)
    # cross-hairs over the rated dimensions: performance (0.5 + 0.8 + 0.8 + 0.05) / 4 = 0.5375,
    # importance (1 − 0.948683 + 0.948683 − 0.707107) / 4 = 0.073223
    assert result.performance_line == pytest.approx(0.5375)
    assert result.importance_line == pytest.approx((1 - 5 / np.sqrt(50)) / 4)
    assert table["quadrant"].drop("service").to_dict() == {
        "low": "low_priority",
        "price": "possible_overkill",
        "quality": "concentrate_here",
        "speed": "keep_up",
    }


# ---------------------------------------------------------------- complaints

SUMMARY_COMPLAINTS = [
    ("K", "c1", d(2024, 1, 1), "quality", "严重", "已解决", d(2024, 1, 11)),  # 10 days
    ("K", "c2", d(2024, 2, 1), "quality", "一般", "处理中", None),  # open
    ("K", "c3", d(2024, 3, 1), "quality", "紧急", "已解决", d(2024, 3, 5)),  # 4 days
    ("K", "c4", d(2024, 1, 15), "delivery", "一般", "已解决", d(2024, 2, 14)),  # 30 days
    ("K", "c5", d(2024, 4, 1), "delivery", "一般", " Closed ", None),  # resolved by status, no date
    ("K", "c6", d(2024, 5, 1), None, None, None, None),  # open, no category or severity
]


def test_complaints_summary_by_hand() -> None:
    con = make_store(complaints=SUMMARY_COMPLAINTS)
    result = satisfaction.complaints_summary(con, Filters())
    # 6 complaints; open: c2, c6; days to resolve 10, 4, 30 → median 10
    assert (result.total, result.open, result.resolved, result.median_days_to_resolve) == (6, 2, 4, 10.0)
    # Pareto: quality 3 (1/2, cum 1/2), delivery 2 (1/3, cum 5/6), blank 1 (1/6, cum 1)
    cat = result.by_category
    assert cat["category"].tolist() == ["quality", "delivery", None]
    assert cat["complaints"].tolist() == [3, 2, 1]
    assert cat["share"].tolist() == pytest.approx([1 / 2, 1 / 3, 1 / 6])
    assert cat["cumulative_share"].tolist() == pytest.approx([1 / 2, 5 / 6, 1.0])
    assert cat["open"].tolist() == [1, 0, 1]
    assert cat["median_days_to_resolve"].tolist()[:2] == pytest.approx([7.0, 30.0])  # quality (10, 4) → 7
    sev = result.by_severity
    assert sev["severity"].tolist() == ["紧急", "严重", "一般", None]  # most severe first, blanks last
    assert sev["complaints"].tolist() == [1, 1, 3, 1]
    # the date range applies to the opening date
    assert satisfaction.complaints_summary(con, Filters(date_from=d(2024, 2, 1))).total == 4


@pytest.mark.parametrize(
    ("as_of", "total", "open_", "median", "open_by_category"),
    [
        # opened by 2024-01-31: c1, c4. c1 resolved 01-11 (10 days); c4 resolved only 02-14: open then
        (d(2024, 1, 31), 2, 1, 10.0, {"quality": 0, "delivery": 1}),
        # by 2024-02-14: c1, c4, c2; c4 resolved that very day (30 days), c2 open → median of 10, 30
        (d(2024, 2, 14), 3, 1, 20.0, {"quality": 1, "delivery": 0}),
        # by 2024-03-04: + c3 (opened 03-01, resolved 03-05: still open then)
        (d(2024, 3, 4), 4, 2, 20.0, {"quality": 2, "delivery": 0}),
        # by 2024-04-30: + c5 (resolved by its status, no date: resolved, no duration); c3 done: 4 days
        (d(2024, 4, 30), 5, 1, 10.0, {"quality": 1, "delivery": 0}),
    ],
)
def test_complaints_summary_as_of(
    as_of: dt.date, total: int, open_: int, median: float, open_by_category: dict[str, int]
) -> None:
    con = make_store(complaints=SUMMARY_COMPLAINTS)
    # the end of the date range is the as-of date (--to, the sidebar's end date)
    for result in (
        satisfaction.complaints_summary(con, Filters(date_to=as_of)),
        satisfaction.complaints_summary(con, Filters(), as_of),
    ):
        assert (result.total, result.open, result.resolved) == (total, open_, total - open_)
        assert result.median_days_to_resolve == median
        assert dict(zip(result.by_category["category"], result.by_category["open"], strict=True)) == open_by_category


def test_complaints_summary_empty() -> None:
    result = satisfaction.complaints_summary(store.connect(":memory:"), Filters())
    assert (result.total, result.open, result.median_days_to_resolve) == (0, 0, None)
    assert result.by_category.empty


ESCALATION_LEDGER = [("K", d(2024, 3, 1), 9000.0, None, "N", "r1"), ("S", d(2024, 3, 1), 1000.0, None, "N", "r1")]
ESCALATION_COMPLAINTS = [
    ("K", "E1", d(2024, 6, 1), "quality", "一般", "处理中", None),
    ("K", "E2", d(2024, 9, 1), "delivery", "紧急", "未处理", None),
    ("K", "E3", d(2024, 10, 1), "quality", "一般", "已解决", d(2025, 1, 10)),  # open on 2024-12-31
    ("K", "E4", d(2024, 5, 1), "quality", "严重", "已解决", d(2024, 5, 10)),
    ("S", "E5", d(2024, 7, 1), "quality", "紧急", "未处理", None),
]


def test_escalation_list_by_hand() -> None:
    con = make_store(ESCALATION_LEDGER, complaints=ESCALATION_COMPLAINTS)
    # ABC: K has 9000 of 10000 → A (first unit); S → B. Both tiers "ordinary" (< 10,000).
    listed = satisfaction.escalation_list(con, Filters(), d(2024, 12, 31))
    # open on 2024-12-31: E1, E2, E3 of K (E5 is S's: not a key account); 紧急 first, then by age
    assert listed["complaint_id"].tolist() == ["E2", "E1", "E3"]
    assert listed["age_days"].tolist() == [121, 213, 91]
    assert set(listed["abc_class"].astype(str)) == {"A"}
    # with "ordinary" as a top tier S qualifies too: E5 (紧急, 183 days) before E2 (紧急, 121 days)
    wide = satisfaction.escalation_list(con, Filters(), d(2024, 12, 31), top_tiers=("ordinary",))
    assert wide["complaint_id"].tolist() == ["E5", "E2", "E1", "E3"]
    # default reference date: the later of the ledger as-of (2024-03-01) and the last complaint date (2025-01-10)
    later = satisfaction.escalation_list(con, Filters())
    assert later["complaint_id"].tolist() == ["E2", "E1"]
    assert later["age_days"].tolist() == [131, 223]


def test_satisfaction_around_complaints_by_hand() -> None:
    rows = [
        ("K", d(2024, 5, 1), 5.0),
        ("K", d(2024, 6, 1), 4.0),  # same day as E1: not used for E1
        ("K", d(2024, 7, 1), 3.0),
        ("K", d(2024, 10, 15), 2.0),
    ]
    con = make_store(ESCALATION_LEDGER, surveys(rows), ESCALATION_COMPLAINTS)
    result = satisfaction.satisfaction_around_complaints(con, Filters())
    # E1 (06-01): 5 → 3; E2 (09-01): 3 → 2; E3 (10-01): 3 → 2; E4 (05-01): nothing before; E5: S has no surveys
    assert result.table["complaint_id"].tolist() == ["E1", "E2", "E3"]
    assert (result.pairs, result.customers) == (3, 1)
    assert result.mean_before == pytest.approx(11 / 3)
    assert result.mean_after == pytest.approx(7 / 3)
    # normalised (x − 1) / 4: before 1, .5, .5 → 2/3; after .5, .25, .25 → 1/3
    assert result.mean_before_normalised == pytest.approx(2 / 3)
    assert result.mean_change_normalised == pytest.approx(-1 / 3)
    assert result.p_value is None  # fewer than 6 pairs
    # within 45 days: only E1 (31 days before, 30 after)
    near = satisfaction.satisfaction_around_complaints(con, Filters(), max_days=45)
    assert near.table["complaint_id"].tolist() == ["E1"]


def test_latest_scores_and_bands() -> None:
    rows = [("A", d(2024, 1, 1), 5.0), ("A", d(2024, 3, 1), 2.0), ("B", d(2024, 2, 1), 3.0)]
    con = make_store(surveys=surveys(rows))
    names = dict(con.execute("select customer_id, customer_name from customers").fetchall())
    latest = satisfaction.latest_scores(con)
    latest.index = latest["customer_id"].map(names)
    assert latest.loc[["A", "B"], "latest_score"].tolist() == [2.0, 3.0]
    assert latest.loc["A", "previous_score"] == 5.0 and np.isnan(latest.loc["B", "previous_score"])
    assert latest.loc["A", "latest_date"].date() == d(2024, 3, 1)
    earlier = satisfaction.latest_scores(con, as_of=d(2024, 2, 15))
    earlier.index = earlier["customer_id"].map(names)
    assert earlier.loc[["A", "B"], "latest_score"].tolist() == [5.0, 3.0]
    score = pd.Series([5.0, 4.0, 3.0, 2.0, np.nan, 9.0, 8.0, 5.0, 4.0])
    lo = pd.Series([1.0] * 5 + [0.0] * 4)
    hi = pd.Series([5.0] * 5 + [10.0] * 4)
    assert satisfaction.satisfaction_band(score, lo, hi).tolist() == [
        "satisfied",
        "satisfied",
        "neutral",
        "dissatisfied",
        "no_survey",
        "satisfied",  # 9–10 on 0–10
        "neutral",
        "neutral",  # 5 = the midpoint
        "dissatisfied",
    ]


# ---------------------------------------------------------------- the sample files


def key(name: object) -> str:
    """The store's customer matching key: full-width ASCII → half-width, whitespace collapsed, lower case."""
    text = "".join(chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch for ch in str(name))
    return re.sub(r"\s+", " ", text.replace("\u3000", " ")).strip().lower()


def sample_rows(file_name: str, sheets: int | None = None) -> list[list[Any]]:
    """Rows of the first ``sheets`` sheets (all when None) of a sample workbook."""
    book = CalamineWorkbook.from_path(str(SAMPLES / file_name))
    return [row for sheet in book.sheet_names[:sheets] for row in book.get_sheet_by_name(sheet).to_python()]


def csv_amount(text: str) -> float:
    """The CSV's amounts: ``¥3,339.48``, ``1.87397万`` (× 10,000), ``(6,617.79)`` (negative)."""
    value = text.replace("¥", "").replace(",", "").strip()
    sign = -1.0 if value.startswith("(") and value.endswith(")") else 1.0
    value = value.strip("()")
    factor = 10_000.0 if value.endswith("万") else 1.0
    return round(sign * float(value.rstrip("万")) * factor, 4)


def sample_ledger() -> pd.DataFrame:
    """Every ledger line of the samples as (key, date, amount), read without the app's code."""
    lines: list[tuple[str, dt.date, float]] = []
    for name in ("华东区_2023年销售明细.xlsx", "华东区_2024年销售明细.xlsx"):
        # sheet 1 only (sheet 2 is a note); subtotal rows have no date
        lines += [(key(r[3]), r[1], float(r[8])) for r in sample_rows(name, 1) if isinstance(r[1], dt.date) and r[3]]
    north = [r for r in sample_rows("north_region_2024.xlsx") if isinstance(r[0], dt.datetime)]
    lines += [(key(r[2]), r[0].date(), round(float(r[4]) * float(r[5]), 4)) for r in north]
    south = pd.read_csv(SAMPLES / "华南区_2024.csv", encoding="gb18030", dtype=str)  # a GBK export
    lines += [
        (key(c), dt.datetime.strptime(day, "%Y/%m/%d").date(), csv_amount(a))
        for c, day, a in zip(south["客户"], south["日期"], south["金额"], strict=True)
    ]
    return pd.DataFrame(lines, columns=["key", "day", "amount"])


@pytest.fixture(scope="module")
def samples() -> duckdb.DuckDBPyConnection:
    con = store.connect(":memory:")
    for path in sorted(SAMPLES.iterdir()):
        if path.suffix in (".xlsx", ".csv"):
            assert ingest.ingest_file(con, path).status == "stored", path.name
    return con


def test_sample_surveys_feed_csat_nps_and_drivers(samples: duckdb.DuckDBPyConnection) -> None:
    rows = sample_rows("满意度调查_2024.xlsx")
    header, data = rows[0], [r for r in rows[1:] if r[0]]
    frame = pd.DataFrame(data, columns=header)
    overall = frame["总体满意度"].astype(float)
    recommend = frame["推荐意愿(0-10)"].astype(float)

    result = satisfaction.csat(samples, Filters())
    assert (result.responses, result.scale_min, result.scale_max) == (len(frame), 1.0, 5.0)
    assert result.mean == pytest.approx(overall.mean())
    assert result.top2_share == pytest.approx((overall >= 4).mean())
    counts = overall.value_counts().reindex([1.0, 2.0, 3.0, 4.0, 5.0], fill_value=0)
    assert result.distribution["responses"].tolist() == counts.tolist()
    months = pd.to_datetime(frame["调查日期"]).dt.month.value_counts().sort_index()
    assert result.trend["responses"].tolist() == months.tolist()

    score = satisfaction.nps(samples, Filters())
    assert score is not None
    promoters, detractors = int((recommend >= 9).sum()), int((recommend <= 6).sum())
    assert (score.responses, score.promoters, score.detractors) == (len(frame), promoters, detractors)
    assert score.nps == pytest.approx(100 * (promoters - detractors) / len(frame))

    table = satisfaction.drivers(samples, Filters()).table.set_index("dimension")
    for dimension in ("产品质量", "服务态度", "交付及时性", "价格合理性"):
        rho = stats.spearmanr(frame[dimension].astype(float), overall).statistic
        assert table.loc[dimension, "importance"] == pytest.approx(rho)
        assert table.loc[dimension, "mean"] == pytest.approx(frame[dimension].astype(float).mean())


def test_sample_complaints_feed_the_summary(samples: duckdb.DuckDBPyConnection) -> None:
    rows = sample_rows("客户投诉记录.xlsx")
    frame = pd.DataFrame([r for r in rows[1:] if r[0]], columns=rows[0])
    resolved = frame["解决日期"].map(lambda v: isinstance(v, dt.date))
    days = [(r - o).days for o, r in zip(frame["投诉日期"], frame["解决日期"], strict=True) if isinstance(r, dt.date)]
    is_open = ~resolved & (frame["处理状态"] != "已解决")

    result = satisfaction.complaints_summary(samples, Filters())
    assert (result.total, result.open) == (len(frame), int(is_open.sum()))
    assert result.median_days_to_resolve == pytest.approx(float(np.median(days)))
    counts = frame["投诉类别"].value_counts()
    assert dict(zip(result.by_category["category"], result.by_category["complaints"], strict=True)) == counts.to_dict()
    assert result.by_category["complaints"].is_monotonic_decreasing
    assert result.by_category["cumulative_share"].iloc[-1] == pytest.approx(1.0)


def test_sample_ledgers_feed_churn_and_repurchase(samples: duckdb.DuckDBPyConnection) -> None:
    lines = sample_ledger()
    # the independent reader agrees with the fixtures' published totals (EXPECTED.json)
    published = json.loads((SAMPLES / "EXPECTED.json").read_text(encoding="utf-8"))
    total = sum(v["net_amount"] for k, v in published.items() if "net_amount" in v)
    assert lines["amount"].sum() == pytest.approx(total, abs=0.05)
    year = lines["day"].map(lambda v: v.year)
    bought = lines[lines["amount"] > 0]
    active = set(bought.loc[bought["day"].map(lambda v: v.year) == 2023, "key"])
    buying_2024 = set(bought.loc[bought["day"].map(lambda v: v.year) == 2024, "key"])
    lost = active - buying_2024
    prior = lines[(year == 2023) & lines["key"].isin(active)].groupby("key")["amount"].sum()
    now = lines[(year == 2024) & lines["key"].isin(active)]["amount"].sum()

    s = churn.churn_summary(samples, Filters(), d(2024, 12, 31), 12)
    assert (s.active_at_start, s.lost, s.new_customers) == (len(active), len(lost), len(buying_2024 - active))
    assert s.churn_rate == pytest.approx(len(lost) / len(active))
    assert s.revenue_churn == pytest.approx(prior[sorted(lost)].sum() / prior.sum())
    assert s.net_revenue_retention == pytest.approx(now / prior.sum())

    # repurchase within 90 days after each survey, by score
    rows = sample_rows("满意度调查_2024.xlsx")
    answers = pd.DataFrame([r for r in rows[1:] if r[0]], columns=rows[0])
    data_end = max(lines["day"])
    days_by_key = bought.groupby("key")["day"].apply(sorted).to_dict()
    expected: dict[float, list[int]] = {}
    for name, day, score in zip(answers["客户名称"], answers["调查日期"], answers["总体满意度"], strict=True):
        if day + dt.timedelta(days=90) > data_end:
            continue  # censored: the window runs past the data
        later = [p for p in days_by_key.get(key(name), []) if day < p <= day + dt.timedelta(days=90)]
        expected.setdefault(float(score), []).append(int(bool(later)))
    result = satisfaction.repurchase_by_score(samples, Filters(), days=90)
    assert result.data_end == data_end
    got = result.by_score.set_index("score")
    for score, flags in expected.items():
        assert got.loc[score, "repurchase_eligible"] == len(flags)
        assert got.loc[score, "repurchased"] == sum(flags)
    assert result.top_vs_next_ratio == pytest.approx((np.mean(expected[5.0])) / np.mean(expected[4.0]))


def test_sql_follows_the_portable_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [("K", d(2024, 5, 1), 5.0), ("K", d(2024, 7, 1), 3.0), ("K", d(2024, 10, 15), 2.0)]
    con = make_store(ESCALATION_LEDGER, surveys(rows), ESCALATION_COMPLAINTS)
    seen: list[str] = []
    original = store.fetch_df

    def recording(connection: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> pd.DataFrame:
        seen.append(sql)
        return original(connection, sql, params)

    monkeypatch.setattr(store, "fetch_df", recording)
    north = Filters(regions=("N",), date_from=d(2024, 1, 1))  # members CTE and date bounds: parameter order
    satisfaction.csat(con, north)
    satisfaction.nps(con, north)
    satisfaction.repurchase_by_score(con, north)
    satisfaction.drivers(con, north)
    satisfaction.complaints_summary(con, north)
    satisfaction.escalation_list(con, north, d(2024, 12, 31))
    around = satisfaction.satisfaction_around_complaints(con, north)
    satisfaction.latest_scores(con, north, d(2024, 12, 31))
    assert around.table["complaint_id"].tolist() == ["E1", "E2", "E3"]  # the same pairs as without a filter
    assert satisfaction.satisfaction_around_complaints(con, Filters(regions=("S",))).pairs == 0
    assert len(seen) >= 10
    for sql in seen:
        check_portable_sql(sql)


def check_portable_sql(sql: str) -> None:
    """The portable-SQL rules that can be checked on the text (as in test_churn)."""
    text = " ".join(sql.split())
    assert text == text.lower(), "lowercase SQL"
    assert "group by all" not in text
    assert "final as (" in text and "from final" in text  # a CTE chain ending in ``final``
    assert "date_trunc" not in text  # months are year * 12 + month
    for left, right in re.findall(r"(\S+) / (\S+)", text):  # every ratio casts both sides to double
        assert left.endswith("double)") and right.startswith("cast("), (left, right)
    for window in re.findall(r"over \((.*?)\)", text):
        assert "order by" in window and "," in window.split("order by")[1], window  # a tie-break key


def test_empty_store_gives_empty_results() -> None:
    con = store.connect(":memory:")
    repurchase = satisfaction.repurchase_by_score(con, Filters())
    assert repurchase.by_score.empty and repurchase.top_vs_next_ratio is None and repurchase.data_end is None
    drivers = satisfaction.drivers(con, Filters())
    assert drivers.table.empty and drivers.performance_line is None
    assert satisfaction.escalation_list(con, Filters()).empty
    around = satisfaction.satisfaction_around_complaints(con, Filters())
    assert (around.pairs, around.mean_before, around.p_value) == (0, None, None)
    assert satisfaction.latest_scores(con).empty
