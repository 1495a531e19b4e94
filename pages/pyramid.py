"""Pyramid (客户金字塔): tiers by spend floors or rank shares, the tier table, tier migration (SPEC §4.2).

The facts of both periods and their alignment by customer come from the shared query cache (the
current period's ranked facts are the Key accounts page's); moving a floor, a share or the mode
re-runs only the cheap classification (assign_tiers, tier_table, migrate) on those cached frames.
"""

from __future__ import annotations

import streamlit as st

from analytics import customer_facts, tiers
from ui import charts, state
from ui import format as fmt
from ui import pyramid_view as view
from ui.i18n import t, tier_name
from ui.key_accounts_view import ranked_period

lang, currency = state.lang(), state.currency()
filters = state.filters()
st.title(t("nav.pyramid"))
ranked = state.query_shared(ranked_period, filters)
data = ranked.data
if data.bounds is None or data.facts.empty:
    st.info(t("pyr.no_data"))
    st.stop()
bounds = data.bounds
st.caption(t("pyr.caption", period=view.period_text(bounds.period, lang), as_of=fmt.date(bounds.as_of, lang)))

# tiers of the analysis period
scheme = view.tier_controls(lang, currency)
table = tiers.tier_table(tiers.assign_tiers(ranked.ranking, scheme), scheme)
view.tier_metrics(table)
charts.show(view.pyramid_figure(table, scheme, lang, currency), key="pyr_pyramid")
st.subheader(t("pyr.table"))
view.show_tier_table(table)

# migration: the same scheme on the period before
st.subheader(t("pyr.migration"))
st.caption(
    t(
        "pyr.migration_caption",
        current=view.period_text(bounds.period, lang),
        previous=view.period_text(bounds.previous, lang),
    )
)
previous = state.query_shared(customer_facts.purchase_totals, bounds.previous_filters(filters))  # all migration needs
moved = tiers.migrate(state.derived(tiers.pair_periods, (filters,), data.facts, previous), scheme)
view.movement_metrics(moved.counts())
if moved.flows.empty:
    st.info(t("pyr.no_migration"))
else:
    charts.show(view.migration_figure(moved, lang, currency), key="pyr_sankey")
    view.show_matrix(moved)

# upgrade candidates: lower tiers with strongly rising spend
st.subheader(t("pyr.upgrade"))
min_growth, min_revenue = view.candidate_controls(currency)
st.caption(
    t(
        "pyr.upgrade_caption",
        growth=fmt.percent(min_growth, lang, digits=0),
        revenue=fmt.escape_markdown(fmt.money(min_revenue, lang, currency)),
        top=tier_name(scheme.tiers[0]),
    )
)
candidates = tiers.upgrade_candidates(moved, min_growth=min_growth, min_revenue=min_revenue)
if candidates.empty:
    st.info(t("pyr.no_candidates"))
else:
    view.show_candidates(candidates)
