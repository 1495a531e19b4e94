"""BG/NBD model: CDNOW golden values, hand-derived likelihood pieces, properties, failures."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, stats

from analytics import bgnbd, loader, store
from analytics.filters import Filters

CDNOW = Path(__file__).parent / "fixtures" / "cdnow_sample.txt"
CALIBRATION_END = dt.date(1997, 9, 30)
HOLDOUT_END = dt.date(1998, 6, 30)  # 39 weeks = 273 days after 1997-09-30

# Fader, Hardie & Lee 2005 (Marketing Science 24(2)), CDNOW 1/10 sample, weeks.
PUBLISHED = bgnbd.BgNbdFit(
    r=0.2426, alpha=4.4135, a=0.7929, b=2.4258, loglik=-9582.43, customers=2357, iterations=0, converged=True
)


def params(r: float, alpha: float, a: float, b: float) -> bgnbd.BgNbdFit:
    return bgnbd.BgNbdFit(r=r, alpha=alpha, a=a, b=b, loglik=0.0, customers=0, iterations=0, converged=True)


def ledger_store(
    rows: list[tuple[str, dt.date, float] | tuple[str, dt.date, float, str]],
) -> duckdb.DuckDBPyConnection:
    """An in-memory store holding the given (customer, date, amount[, region]) ledger lines."""
    frame = pd.DataFrame(
        {
            "customer": [row[0] for row in rows],
            "order_date": [row[1] for row in rows],
            "amount": [float(row[2]) for row in rows],
            "region": [row[3] if len(row) > 3 else "N" for row in rows],
        }
    )
    con = store.connect(":memory:")
    loader.store_frame(con, frame, loader.UploadMeta(kind="ledger", file_name="t.xlsx", file_hash="h"))
    return con


@pytest.fixture(scope="module")
def cdnow_con() -> duckdb.DuckDBPyConnection:
    raw = pd.read_csv(
        CDNOW,
        sep=r"\s+",
        header=None,
        names=["master_id", "sample_id", "date", "cds", "dollars"],
        dtype={"master_id": str, "sample_id": str, "date": str},
    )
    frame = pd.DataFrame(
        {
            "customer": raw["master_id"],
            "order_date": pd.to_datetime(raw["date"], format="%Y%m%d").dt.date,
            "amount": raw["dollars"].astype(float),
            "quantity": raw["cds"].astype(float),
        }
    )
    assert len(frame) == 6919
    assert math.isclose(frame["amount"].sum(), 244_091.94, abs_tol=0.005)
    con = store.connect(":memory:")
    loader.store_frame(con, frame, loader.UploadMeta(kind="ledger", file_name="CDNOW_sample.txt", file_hash="cdnow"))
    return con


@pytest.fixture(scope="module")
def cdnow_triplets(cdnow_con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return bgnbd.rfm_triplets(cdnow_con, Filters(), CALIBRATION_END)


# ---------------------------------------------------------------- CDNOW golden values


def test_cdnow_triplets(cdnow_triplets: pd.DataFrame) -> None:
    assert list(cdnow_triplets.columns) == ["customer_id", "x", "t_x", "T"]
    assert len(cdnow_triplets) == 2357  # the whole Q1-1997 cohort
    # First purchases are in 1997-01-01 .. 1997-03-31, so T lies between (1997-09-30 − 1997-03-31)
    # = 183 days = 26.14 weeks and (1997-09-30 − 1997-01-01) = 272 days = 38.86 weeks.
    assert cdnow_triplets["T"].max() == pytest.approx(272 / 7)
    assert cdnow_triplets["T"].min() >= 183 / 7
    assert (cdnow_triplets["t_x"] <= cdnow_triplets["T"]).all()
    assert ((cdnow_triplets["x"] == 0) == (cdnow_triplets["t_x"] == 0)).all()


def test_cdnow_fit_matches_fader_hardie_lee(cdnow_triplets: pd.DataFrame) -> None:
    fitted = bgnbd.fit(cdnow_triplets["x"], cdnow_triplets["t_x"], cdnow_triplets["T"])
    assert fitted.r == pytest.approx(0.2426, rel=2e-3)
    assert fitted.alpha == pytest.approx(4.4135, rel=2e-3)
    assert fitted.a == pytest.approx(0.7929, rel=2e-3)
    assert fitted.b == pytest.approx(2.4258, rel=2e-3)
    assert fitted.loglik == pytest.approx(-9582.43, abs=0.05)
    assert fitted.customers == 2357
    assert fitted.converged


def test_p_alive_published_customer() -> None:
    assert bgnbd.p_alive(PUBLISHED, 26, 30.857, 31)[()] == pytest.approx(0.96885, abs=1e-4)


def test_cdnow_holdout(cdnow_con: duckdb.DuckDBPyConnection, cdnow_triplets: pd.DataFrame) -> None:
    check = bgnbd.holdout_check(cdnow_con, Filters(), CALIBRATION_END, HOLDOUT_END)
    assert check.holdout_weeks == pytest.approx(39.0)
    assert check.actual_holdout_total == 1882
    assert check.fit.r == pytest.approx(0.2426, rel=2e-3)

    freq = check.by_frequency
    assert list(freq["frequency"]) == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert freq["customers"].sum() == 2357
    assert (freq["customers"] * freq["actual_mean"]).sum() == pytest.approx(1882)
    assert (freq["customers"] * freq["predicted_mean"]).sum() == pytest.approx(check.predicted_holdout_total)
    # The model tracks the holdout (FHL 2005 Figure 4): means rise with frequency, total within 15 %.
    assert freq["predicted_mean"].is_monotonic_increasing
    assert check.predicted_holdout_total == pytest.approx(1882, rel=0.15)

    cum = check.cumulative
    assert len(cum) == 78  # 1997-01-01 + 78 weeks reaches 1998-06-30 (546 days, last week ends there)
    assert cum["week_end"].iloc[-1] == HOLDOUT_END
    # Actual cumulative = all calibration repeat purchase days + the holdout ones.
    assert cum["actual_cumulative"].iloc[-1] == cdnow_triplets["x"].sum() + 1882
    assert cum["actual"].sum() == pytest.approx(cum["actual_cumulative"].iloc[-1])
    assert (np.diff(cum["predicted_cumulative"]) >= 0).all()
    assert cum["predicted_cumulative"].iloc[-1] == pytest.approx(cum["actual_cumulative"].iloc[-1], rel=0.1)
    assert not cum["holdout"].iloc[37] and cum["holdout"].iloc[38]  # week 39 ends 1997-10-01


# ---------------------------------------------------------------- triplets from a hand-made ledger


def test_rfm_triplets_by_hand() -> None:
    d = dt.date
    con = ledger_store(
        [
            ("A", d(2024, 1, 1), 10.0),
            ("A", d(2024, 1, 1), 5.0),  # same day: one purchase day
            ("A", d(2024, 1, 8), 7.0),
            ("A", d(2024, 1, 15), 0.0),  # zero-value line still a purchase (as in CDNOW)
            ("A", d(2024, 1, 22), -7.0),  # a return alone is not a purchase
            ("A", d(2024, 2, 5), 9.0),  # after the calibration end
            ("B", d(2024, 1, 29), 3.0, "S"),  # first purchase on the calibration end
            ("C", d(2024, 1, 30), 3.0),  # first purchase after it: not in the cohort
        ]
    )
    end = d(2024, 1, 29)
    names = dict(con.execute("select customer_id, customer_name from customers").fetchall())
    triplets = bgnbd.rfm_triplets(con, Filters(), end)
    triplets.index = triplets["customer_id"].map(names)
    assert sorted(triplets.index) == ["A", "B"]
    # A: purchase days 01-01, 01-08, 01-15 -> x = 3 - 1 = 2; t_x = 14 days / 7 = 2; T = 28 / 7 = 4
    assert triplets.loc["A", ["x", "t_x", "T"]].tolist() == [2, 2.0, 4.0]
    assert triplets.loc["B", ["x", "t_x", "T"]].tolist() == [0, 0.0, 0.0]
    # Region filter applies; a date range does not (the model needs the whole history).
    north = bgnbd.rfm_triplets(con, Filters(regions=("N",)), end)
    assert len(north) == 1 and north["x"].iloc[0] == 2
    dated = bgnbd.rfm_triplets(con, Filters(date_from=d(2024, 1, 20), date_to=d(2024, 1, 25)), end)
    pd.testing.assert_frame_equal(dated, bgnbd.rfm_triplets(con, Filters(), end))


def test_sql_is_portable() -> None:
    for sql in (bgnbd._customer_sql("1 = 1"), bgnbd._repeat_days_sql("1 = 1")):
        assert "group by all" not in sql.lower()
        assert "final as (" in sql and "from final" in sql
        assert sql.count("/ cast(7 as double)") == sql.count("/")


# ---------------------------------------------------------------- likelihood pieces by hand


def test_loglik_x0_by_hand() -> None:
    # x = 0: L = B(a,b)/B(a,b) · Γ(r)α^r / (Γ(r)(α+T)^r) = (α/(α+T))^r; r=2, α=3, T=1: (3/4)^2 = 0.5625
    ll, _, w_drop = bgnbd._individual_loglik((2.0, 3.0, 1.0, 1.0), np.array([0.0]), np.array([0.0]), np.array([1.0]))
    assert math.exp(ll[0]) == pytest.approx(0.5625, rel=1e-12)
    assert w_drop[0] == 0.0


def test_loglik_x1_by_hand() -> None:
    # r=1, α=1, a=1, b=1, x=1, t_x=1, T=2.  Γ(2)/Γ(1)·1^1 = 1.
    # alive term:   B(1,2)/B(1,1) = (1/2)/1 = 1/2, times 1/(1+2)^2 = 1/9  -> 1/18
    # dropped term: B(2,1)/B(1,1) = 1/2,           times 1/(1+1)^2 = 1/4  -> 1/8
    # L = 1/18 + 1/8 = 4/72 + 9/72 = 13/72; share of the dropped term = (9/72)/(13/72) = 9/13
    ll, _, w_drop = bgnbd._individual_loglik((1.0, 1.0, 1.0, 1.0), np.array([1.0]), np.array([1.0]), np.array([2.0]))
    assert math.exp(ll[0]) == pytest.approx(13 / 72, rel=1e-12)
    assert w_drop[0] == pytest.approx(9 / 13, rel=1e-12)


def test_loglik_x2_by_hand() -> None:
    # r=1, α=2, a=2, b=3, x=2, t_x=1, T=3.  Γ(3)/Γ(1)·2^1 = 2·2 = 4.
    # B(2,3) = 1!2!/4! = 1/12;  B(2,5) = 1!4!/6! = 1/30;  B(3,4) = 2!3!/6! = 1/60
    # alive:   4 · (1/30)/(1/12) / (2+3)^3 = 4 · 2/5 / 125 = 8/625
    # dropped: 4 · (1/60)/(1/12) / (2+1)^3 = 4 · 1/5 / 27  = 4/135
    ll, _, _ = bgnbd._individual_loglik((1.0, 2.0, 2.0, 3.0), np.array([2.0]), np.array([1.0]), np.array([3.0]))
    assert math.exp(ll[0]) == pytest.approx(8 / 625 + 4 / 135, rel=1e-12)


def test_gradient_matches_finite_differences(cdnow_triplets: pd.DataFrame) -> None:
    x = cdnow_triplets["x"].to_numpy(float)
    t_x = cdnow_triplets["t_x"].to_numpy(float)
    T = cdnow_triplets["T"].to_numpy(float)
    counts = np.ones_like(x)
    for point in ([0.3, 4.0, 0.8, 2.4], [2.0, 0.5, 3.0, 0.2]):
        log_p = np.log(point)
        grad = bgnbd._neg_loglik_and_grad(log_p, x, t_x, T, counts, len(x))[1]
        err = optimize.check_grad(
            lambda p: bgnbd._neg_loglik_and_grad(p, x, t_x, T, counts, len(x))[0],
            lambda p: bgnbd._neg_loglik_and_grad(p, x, t_x, T, counts, len(x))[1],
            log_p,
        )
        assert err < 1e-5 * max(1.0, float(np.linalg.norm(grad)))


def test_fit_loglik_is_the_maximum(cdnow_triplets: pd.DataFrame) -> None:
    x, t_x, T = (cdnow_triplets[c].to_numpy(float) for c in ("x", "t_x", "T"))
    fitted = bgnbd.fit(x, t_x, T)
    at_published, _, _ = bgnbd._individual_loglik((0.2426, 4.4135, 0.7929, 2.4258), x, t_x, T)
    assert fitted.loglik >= at_published.sum() - 1e-6
    assert at_published.sum() == pytest.approx(-9582.43, abs=0.05)


# ---------------------------------------------------------------- P(alive) and expectations


def test_p_alive_by_hand() -> None:
    fit = params(r=1.0, alpha=1.0, a=1.0, b=2.0)
    # x=0: the δ(x>0) term vanishes, nobody can have dropped out yet -> exactly 1
    assert bgnbd.p_alive(fit, 0, 0.0, 50.0)[()] == 1.0
    # x=1, t_x=1, T=3: a/(b+x-1) = 1/2; ((1+3)/(1+1))^(1+1) = 4; 1/(1 + 1/2·4) = 1/3
    assert bgnbd.p_alive(fit, 1, 1.0, 3.0)[()] == pytest.approx(1 / 3, rel=1e-12)


def test_p_alive_decreases_with_silence() -> None:
    values = bgnbd.p_alive(PUBLISHED, 3, 10.0, np.linspace(10.0, 100.0, 50))
    assert values[0] < 1.0
    assert (np.diff(values) < 0).all()


@settings(max_examples=200, deadline=None)
@given(
    x=st.integers(0, 150),
    recency_share=st.floats(0.0, 1.0),
    T=st.floats(0.0, 520.0),
    r=st.floats(0.05, 5.0),
    alpha=st.floats(0.1, 50.0),
    a=st.floats(0.05, 5.0),
    b=st.floats(0.05, 10.0),
)
def test_p_alive_is_a_probability(
    x: int, recency_share: float, T: float, r: float, alpha: float, a: float, b: float
) -> None:
    value = bgnbd.p_alive(params(r, alpha, a, b), x, recency_share * T if x else 0.0, T)[()]
    assert 0.0 < value <= 1.0


@settings(max_examples=200, deadline=None)
@given(
    x=st.integers(0, 150),
    recency_share=st.floats(0.0, 1.0),
    T=st.floats(0.0, 520.0),
    t=st.floats(0.0, 520.0),
    step=st.floats(0.01, 520.0),
    fit=st.sampled_from(
        [PUBLISHED, params(0.5, 5.0, 2.0, 3.0), params(3.0, 1.0, 1.0, 0.5), params(0.1, 20.0, 4.0, 8.0)]
    ),
)
def test_conditional_expectation_nonnegative_and_increasing(
    x: int, recency_share: float, T: float, t: float, step: float, fit: bgnbd.BgNbdFit
) -> None:
    t_x = recency_share * T if x else 0.0
    before, after = bgnbd.conditional_expected_purchases(fit, np.array([t, t + step]), x, t_x, T)
    assert np.isfinite(before) and np.isfinite(after)
    assert before >= 0.0
    assert after >= before - 1e-12 * max(1.0, after)


def test_conditional_expectation_zero_at_zero_and_vectorised() -> None:
    values = bgnbd.conditional_expected_purchases(PUBLISHED, 0.0, np.array([0, 1, 5]), np.array([0, 3, 20]), 30.0)
    assert values.tolist() == [0.0, 0.0, 0.0]


def test_new_customer_conditional_equals_unconditional() -> None:
    # With no history (x = t_x = T = 0) eq. 10 reduces to eq. 7.
    t = np.array([0.5, 1.0, 10.0, 39.0, 200.0])
    assert bgnbd.conditional_expected_purchases(PUBLISHED, t, 0, 0.0, 0.0) == pytest.approx(
        bgnbd.expected_purchases_unconditional(PUBLISHED, t), rel=1e-10
    )


def test_unconditional_expectation_by_integration() -> None:
    # E[X(t) | λ, p] = (1 − e^(−λpt)) / p; over λ ~ Gamma(r, α): (1 − (α/(α+pt))^r) / p; then p ~ Beta(a, b).
    f = PUBLISHED
    for t in (1.0, 39.0, 78.0):
        reference, _ = integrate.quad(
            lambda p, t=t: (1 - (f.alpha / (f.alpha + p * t)) ** f.r) / p * stats.beta.pdf(p, f.a, f.b), 0, 1
        )
        assert bgnbd.expected_purchases_unconditional(f, t)[()] == pytest.approx(reference, rel=1e-7)


def test_conditional_expectation_by_integration() -> None:
    # Posterior over (λ, p) given (x, t_x, T); individual likelihood
    #   (1−p)^x λ^x e^(−λT) [alive at T] + p(1−p)^(x−1) λ^x e^(−λ t_x) [dropped after last purchase],
    # and E[Y(t) | λ, p, alive] = (1 − e^(−λpt)) / p.  (Hardie's Excel note quotes 1.226 for this customer.)
    f, x, t_x, T, t = PUBLISHED, 2, 30.43, 38.86, 39.0

    # Gamma(r, α) density of λ times Beta(a, b) density of p (plain math: scipy.stats per point is slow).
    log_norm = (
        f.r * math.log(f.alpha) - math.lgamma(f.r) - (math.lgamma(f.a) + math.lgamma(f.b) - math.lgamma(f.a + f.b))
    )

    def prior(lam: float, p: float) -> float:
        if lam <= 0.0 or p <= 0.0 or p >= 1.0:
            return 0.0
        return math.exp(
            log_norm + (f.r - 1) * math.log(lam) - f.alpha * lam + (f.a - 1) * math.log(p) + (f.b - 1) * math.log1p(-p)
        )

    alive = integrate.dblquad(
        lambda lam, p: (1 - p) ** x * lam**x * math.exp(-lam * T) * (1 - math.exp(-lam * p * t)) / p * prior(lam, p),
        0,
        1,
        0,
        np.inf,
    )[0]
    evidence = integrate.dblquad(
        lambda lam, p: (
            ((1 - p) ** x * lam**x * math.exp(-lam * T) + p * (1 - p) ** (x - 1) * lam**x * math.exp(-lam * t_x))
            * prior(lam, p)
        ),
        0,
        1,
        0,
        np.inf,
    )[0]
    value = bgnbd.conditional_expected_purchases(f, t, x, t_x, T)[()]
    assert value == pytest.approx(alive / evidence, rel=1e-6)
    assert value == pytest.approx(1.226, abs=5e-4)


def test_expectations_stay_finite_in_extreme_regions() -> None:
    # Large x and long horizons push the ₂F₁ argument towards 1 (Euler-transformed there).
    t = np.array([1.0, 52.0, 1e3, 1e5])
    for x in (0, 30, 200, 1000):
        values = bgnbd.conditional_expected_purchases(PUBLISHED, t, x, 1.0 if x else 0.0, 1.0)
        assert np.isfinite(values).all() and (values >= 0).all() and (np.diff(values) >= 0).all()
    assert np.isfinite(bgnbd.expected_purchases_unconditional(PUBLISHED, t)).all()
    near_one = params(0.5, 5.0, 1.0, 2.0)  # a = 1 makes eqs. 7 and 10 0/0; the limit is continuous
    assert bgnbd.expected_purchases_unconditional(near_one, 10.0)[()] == pytest.approx(
        bgnbd.expected_purchases_unconditional(params(0.5, 5.0, 1.0 + 1e-4, 2.0), 10.0)[()], rel=1e-3
    )


# ---------------------------------------------------------------- aggregation and failures


def test_counts_equal_duplicated_rows(cdnow_triplets: pd.DataFrame) -> None:
    sample = cdnow_triplets.iloc[::3]
    counts = np.arange(len(sample)) % 4 + 1
    weighted = bgnbd.fit(sample["x"], sample["t_x"], sample["T"], counts=counts)
    repeated = sample.loc[sample.index.repeat(counts)].sample(frac=1.0, random_state=1)
    duplicated = bgnbd.fit(repeated["x"], repeated["t_x"], repeated["T"])
    assert weighted.customers == duplicated.customers == counts.sum()
    for name in ("r", "alpha", "a", "b", "loglik"):
        assert getattr(weighted, name) == pytest.approx(getattr(duplicated, name), rel=1e-9)


def test_too_few_customers() -> None:
    d = dt.date
    con = ledger_store(
        [
            ("A", d(2024, 1, 1), 1.0),
            ("A", d(2024, 2, 1), 1.0),
            ("B", d(2024, 1, 5), 1.0),
            ("C", d(2024, 1, 9), 1.0),
        ]
    )
    triplets = bgnbd.rfm_triplets(con, Filters(), d(2024, 3, 1))
    assert len(triplets) == 3
    with pytest.raises(bgnbd.BgNbdFitError) as info:
        bgnbd.fit(triplets["x"], triplets["t_x"], triplets["T"])
    assert info.value.reason_code == "too_few_customers"
    assert info.value.reason_code in bgnbd.REASON_CODES
    with pytest.raises(bgnbd.BgNbdFitError, match="too_few_customers"):
        bgnbd.holdout_check(con, Filters(), d(2024, 3, 1), d(2024, 6, 1))


def test_no_repeat_buyers() -> None:
    con = ledger_store([(f"C{i}", dt.date(2024, 1, 1) + dt.timedelta(days=3 * i), 10.0) for i in range(30)])
    triplets = bgnbd.rfm_triplets(con, Filters(), dt.date(2024, 6, 30))
    assert len(triplets) == 30 and (triplets["x"] == 0).all()
    with pytest.raises(bgnbd.BgNbdFitError) as info:
        bgnbd.fit(triplets["x"], triplets["t_x"], triplets["T"])
    assert info.value.reason_code == "no_repeat_buyers"
    assert "bought again" in info.value.message


def test_empty_store_and_bad_input() -> None:
    con = store.connect(":memory:")
    empty = bgnbd.rfm_triplets(con, Filters(), dt.date(2024, 1, 1))
    assert empty.empty and list(empty.columns) == ["customer_id", "x", "t_x", "T"]
    with pytest.raises(bgnbd.BgNbdFitError, match="too_few_customers"):
        bgnbd.fit(empty["x"], empty["t_x"], empty["T"])
    with pytest.raises(ValueError):
        bgnbd.fit([1, 2], [3.0, 1.0], [2.0, 2.0])  # t_x > T
    with pytest.raises(ValueError):
        bgnbd.holdout_check(con, Filters(), dt.date(2024, 1, 1), dt.date(2024, 1, 1))


def test_analytics_has_no_streamlit() -> None:
    source = Path(bgnbd.__file__).read_text(encoding="utf-8")
    assert "streamlit" not in source
