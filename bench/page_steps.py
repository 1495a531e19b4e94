"""What each page computes, call for call, for :mod:`bench.bench_analytics` (import after ``KARADAR_DB`` is set).

Every step goes through :mod:`ui.state`'s caches exactly as the page does, so a cold run (caches
cleared) pays what a first visit pays and a slider step pays what a rerun after a move pays,
cache look-ups included. Rendering (``st.*``) is not here: :mod:`bench.bench_pages` measures whole
reruns in AppTest. Two floors per page: ``same_sql_floors`` replay every statement the page's
cold run sent to DuckDB (recorded with its parameters) bare, each straight to Arrow — the
issue's "same SQL run bare", so page ÷ floor is what the Python steps and caches add;
``aggregate_floors`` are the minimal per-customer aggregates of the page (no region/rep picks,
no order count, no survey follow-up), for reference: how much the page's SQL itself does more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import Any

import numpy as np

from analytics import churn, customer_facts, engine, pareto, rfm, satisfaction, tiers
from analytics.filters import Filters
from ui import key_accounts_view, state

Step = Callable[[], object]
Statement = tuple[str, str, list[object]]  # (method, SQL, parameters)
_FACTS_FLOOR = """
    select customer_id as customer_id, cast(sum(amount) as double) as revenue,
           cast(sum(profit) as double) as profit, count(distinct order_id) as orders,
           count(distinct case when amount > 0 then order_date end) as purchase_days,
           min(order_date) as first_date, max(order_date) as last_date
    from transactions
    where order_date between ? and ?
    group by customer_id
"""
_TOTALS_FLOOR = """
    select customer_id as customer_id, cast(sum(amount) as double) as revenue,
           count(distinct case when amount > 0 then order_date end) as purchase_days
    from transactions
    where order_date between ? and ?
    group by customer_id
"""
_WINDOW_FLOOR = """
    with per_customer as (
        select customer_id as customer_id,
               sum(case when order_date <= ? then amount else 0 end) as prior_revenue,
               max(case when order_date <= ? and amount > 0 then 1 else 0 end) as prior_active,
               sum(case when order_date > ? then amount else 0 end) as current_revenue,
               max(case when order_date > ? and amount > 0 then 1 else 0 end) as current_active
        from transactions
        where order_date > ? and order_date <= ?
        group by customer_id
    )
    select sum(prior_active) as active, sum(prior_active * (1 - current_active)) as lost,
           sum(prior_active * prior_revenue) as prior_revenue, sum(prior_active * current_revenue) as current_revenue
    from per_customer
"""
_MONTHS_FLOOR = """
    with months as (
        select customer_id as customer_id, year(order_date) * 12 + month(order_date) as month_index
        from transactions
        where amount > 0 and order_date <= ?
        group by customer_id, year(order_date) * 12 + month(order_date)
    )
    select month_index as month_index, count(*) as customers from months group by month_index
"""
_SURVEY_FLOOR = """
    select s.customer_id as customer_id, count(*) as responses, avg(s.overall) as overall, avg(s.recommend) as recommend
    from surveys as s
    group by s.customer_id
"""


class RecordingConnection:
    """The connection subset the analytics call (as ``engine.WarehouseConnection``), logging each statement."""

    def __init__(self, inner: Any, log: list[Statement]) -> None:
        self._inner = inner
        self._log = log

    def cursor(self) -> RecordingConnection:
        """A cursor of the wrapped connection, logging to the same list."""
        return RecordingConnection(self._inner.cursor(), self._log)

    def sql(self, query: str, *, params: Sequence[object] | None = None) -> Any:
        """Log, then run on the wrapped connection."""
        self._log.append(("sql", query, list(params or [])))
        return self._inner.sql(query, params=params)

    def execute(self, query: str, parameters: Sequence[object] | None = None) -> Any:
        """Log, then run on the wrapped connection."""
        self._log.append(("execute", query, list(parameters or [])))
        return self._inner.execute(query, parameters)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class PageSteps:
    """The pages' computations on the store ``ui.state`` serves, with default settings (no filter)."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.filters = Filters()
        with state.cursor() as cur:
            bounds = customer_facts.period_bounds(cur, self.filters)
        assert bounds is not None, "the store is empty"
        self.bounds = bounds
        self.scheme = tiers.TierScheme()  # the settings' default ladder

    # ---- caches -------------------------------------------------------------------------
    def clear(self) -> None:
        """Empty every query cache (a first visit after an upload)."""
        state.clear_query_cache()

    # ---- cold pages ---------------------------------------------------------------------
    def ranked(self) -> key_accounts_view.RankedPeriod:
        """The period's ranked facts, shared by Key accounts, Pyramid and RFM."""
        return state.query_shared(key_accounts_view.ranked_period, self.filters)

    def key_accounts(self) -> None:
        """Key accounts, default tab (Pareto): ranked facts, headline, ABC."""
        ranked = self.ranked()
        pareto.headline(ranked.ranking, 0.2)
        classified = pareto.abc(ranked.ranking, 0.8, 0.95)
        key_accounts_view.class_counts(classified)
        pareto.abc_summary(classified)
        pareto.abc_summary(classified, "profit")

    def pyramid(self, scheme: tiers.TierScheme | None = None) -> None:
        """Pyramid: tier table, both periods aligned, migration, upgrade candidates."""
        scheme = scheme or self.scheme
        ranked = self.ranked()
        tiers.tier_table(tiers.assign_tiers(ranked.ranking, scheme), scheme)
        previous = state.query_shared(customer_facts.purchase_totals, self.bounds.previous_filters(self.filters))
        pair = state.derived(tiers.pair_periods, (self.filters,), ranked.data.facts, previous)
        moved = tiers.migrate(pair, scheme)
        moved.counts()
        tiers.upgrade_candidates(moved)

    def rfm(self) -> None:
        """RFM: scores, segment summary, R × F grid."""
        facts = self.ranked().data.facts
        scored = state.derived(rfm.rfm, (self.filters,), facts, self.bounds.as_of)
        state.derived(rfm.segment_summary, (self.filters,), scored)
        rfm.rf_matrix(scored)

    def activity(self) -> churn.PurchaseActivity:
        """The Churn page's shared scan."""
        return state.query_shared(churn.purchase_activity, self.filters)

    def churn(self, window: int = 12) -> None:
        """Churn, default tab (trend): the window's summary and churn over time."""
        activity = self.activity()
        churn.activity_summary(activity, window)
        churn.activity_over_time(activity, window, 24)

    def satisfaction(self) -> None:
        """Satisfaction: CSAT, NPS, loyalty, drivers, complaints, escalations, before/after."""
        f = self.filters
        state.query(satisfaction.csat, f)
        state.query(satisfaction.nps, f)
        state.query(satisfaction.repurchase_by_score, f, 90, 12)
        state.query(satisfaction.drivers, f)
        state.query(satisfaction.complaints_summary, f)
        state.query(
            satisfaction.escalation_list,
            f,
            a_cut=0.8,
            b_cut=0.95,
            scheme=self.scheme,
            top_tiers=("diamond", "platinum"),
        )
        state.query(satisfaction.satisfaction_around_complaints, f, None)
        state.query(customer_facts.period_bounds, f)

    def cold_pages(self) -> dict[str, Step]:
        """Page → its first-visit computation."""
        return {
            "key_accounts": self.key_accounts,
            "pyramid": self.pyramid,
            "rfm": self.rfm,
            "churn": self.churn,
            "satisfaction": self.satisfaction,
        }

    # ---- floors -------------------------------------------------------------------------
    def _sql(self, sql: str, params: Sequence[object]) -> None:
        with state.cursor() as cur:
            cur.sql(sql, params=params).to_arrow_table()

    def statements(self, step: Step) -> list[Statement]:
        """Every statement ``step`` sends to DuckDB on a cold run (caches cleared first), in order."""
        log: list[Statement] = []
        plain = engine.analytics_connection

        def recording(local: Any, settings: Any = None) -> Any:
            return RecordingConnection(plain(local, settings), log)

        engine.analytics_connection = recording
        try:
            self.clear()
            step()
        finally:
            engine.analytics_connection = plain
        return log

    def same_sql_floors(self) -> dict[str, tuple[int, Step]]:
        """Page → (statement count, the replay of its cold run's statements, bare, each to Arrow)."""

        def replay(log: list[Statement]) -> Step:
            def run() -> None:
                with state.cursor() as cur:
                    for method, sql, params in log:
                        if method == "sql":
                            cur.sql(sql, params=params).to_arrow_table()
                        else:
                            cur.execute(sql, params).to_arrow_table()

            return run

        floors = {}
        for page, step in self.cold_pages().items():
            log = self.statements(step)
            floors[page] = (len(log), replay(log))
        return floors

    def aggregate_floors(self) -> dict[str, Step]:
        """Page → the bare SQL of its minimal per-customer aggregates (DuckDB → Arrow, nothing else)."""
        period, previous = self.bounds.period, self.bounds.previous
        windows = churn.churn_windows(self.bounds.as_of, 12)
        middle = windows.previous.end
        window_params = [middle, middle, middle, middle, windows.previous.start - dt.timedelta(days=1), windows.as_of]

        def facts() -> None:
            self._sql(_FACTS_FLOOR, [period.start, period.end])

        def pyramid() -> None:
            facts()
            self._sql(_TOTALS_FLOOR, [previous.start, previous.end])

        def churn_page() -> None:
            self._sql(_WINDOW_FLOOR, window_params)
            self._sql(_MONTHS_FLOOR, [self.bounds.as_of])

        return {
            "key_accounts": facts,
            "pyramid": pyramid,
            "rfm": facts,
            "churn": churn_page,
            "satisfaction": lambda: self._sql(_SURVEY_FLOOR, []),
        }

    # ---- warm slider steps --------------------------------------------------------------
    def _cuts(self) -> tuple[float, float]:
        a = float(self.rng.integers(50, 90)) / 100
        return a, min(1.0, a + float(self.rng.integers(5, 15)) / 100)

    def abc_cutoffs(self) -> None:
        """An ABC cutoff move on Key accounts: the page's cached inputs, then headline, ABC, class table."""
        ranked = self.ranked()
        pareto.headline(ranked.ranking, 0.2)
        classified = pareto.abc(ranked.ranking, *self._cuts())
        key_accounts_view.class_counts(classified)
        pareto.abc_summary(classified)
        pareto.abc_summary(classified, "profit")

    def top_share(self) -> None:
        """A top-X% move on Key accounts."""
        ranked = self.ranked()
        pareto.headline(ranked.ranking, float(self.rng.integers(5, 50)) / 100)

    def tier_floors(self) -> None:
        """A tier-floor move on Pyramid (absolute mode)."""
        vip = float(self.rng.integers(5, 50)) * 1000
        ladder = tiers.AbsoluteThresholds(vip * 500, vip * 100, vip * 50, vip)
        self.pyramid(tiers.TierScheme(thresholds=ladder))

    def rank_shares(self) -> None:
        """A share-slider move on Pyramid (rank mode)."""
        key = float(self.rng.integers(1, 10)) / 100
        self.pyramid(tiers.TierScheme(mode="rank", shares=tiers.RankShares(key, 0.15, 0.3)))

    def slider_steps(self) -> dict[str, Step]:
        """Slider → the rerun's computation (cached inputs warm)."""
        return {
            "abc_cutoffs": self.abc_cutoffs,
            "top_share": self.top_share,
            "tier_floors": self.tier_floors,
            "rank_shares": self.rank_shares,
        }

    def churn_window_moves(self) -> list[float]:
        """Seconds of each churn-window move: every window 1–24 once, in random order (each a first visit)."""
        import time

        times = []
        for window in self.rng.permutation(np.arange(churn.MIN_WINDOW_MONTHS, churn.MAX_WINDOW_MONTHS + 1)):
            start = time.perf_counter()
            self.churn(int(window))
            times.append(time.perf_counter() - start)
        return times

    # ---- heavy churn tabs ---------------------------------------------------------------
    def churn_tabs(self) -> dict[str, Step]:
        """Churn tab → its cold computation (each after the default tab ran)."""
        f, scheme = self.filters, self.scheme
        rules = churn.WarningRules()
        return {
            "who_was_lost": lambda: (
                state.query(churn.lost_profile, f, None, 12, scheme),
                state.query_shared(churn.lost_customers, f, None, 12, scheme),
            ),
            "cohorts": lambda: churn.activity_cohorts(self.activity(), 12),
            "at_risk_early_warning": lambda: state.query_shared(churn.early_warning, f, None, rules, scheme),
            "at_risk_bgnbd": lambda: state.query_shared(churn.bgnbd_summary, f, None, 26.0),
            "what_if": lambda: churn.activity_what_if(self.activity(), 12, 5.0),
        }

    # ---- facts about the run ------------------------------------------------------------
    def sizes(self) -> dict[str, Any]:
        """Rows of the store's tables and customers in the analysis period."""
        with state.cursor() as cur:
            counts: dict[str, Any] = {
                table: int(cur.execute(f"select count(*) from {table}").fetchall()[0][0])
                for table in ("transactions", "customers", "surveys", "complaints")
            }
        counts["period"] = f"{self.bounds.period.start} – {self.bounds.period.end}"
        return counts

    def versions(self) -> dict[str, str]:
        """Library versions."""
        return {name: metadata.version(name) for name in ("duckdb", "pandas", "numpy", "pyarrow", "streamlit")}
