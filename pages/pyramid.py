"""Pyramid (客户金字塔): tiers by spend floors or rank shares, the tier table, tier migration (SPEC §4.2).

The facts of both periods come from the query cache; moving a floor, a share or the mode re-runs
only the cheap classification (assign_tiers, tier_table, migration) on those cached frames.
"""

from __future__ import annotations

import streamlit as st

from analytics import customer_facts, key_accounts, tiers
from ui import charts, state
from ui import format as fmt
from ui import pyramid_view as view
from ui.i18n import t, tier_name

lang, currency = state.lang(), state.currency()
filters = state.filters()
st.title(t("nav.pyramid"))
data = state.query(key_accounts.period_facts, filters)
if data.bounds is None or data.facts.empty:
    st.info(t("pyr.no_data"))
    st.stop()
bounds = data.bounds
st.caption(t("pyr.caption", period=view.period_text(bounds.period, lang), as_of=fmt.date(bounds.as_of, lang)))

# tiers of the analysis period
scheme = view.tier_controls(lang, currency)
table = tiers.tier_table(tiers.assign_tiers(data.facts, scheme), scheme)
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
previous = state.query(customer_facts.customer_facts, bounds.previous_filters(filters))
moved = tiers.migration(data.facts, previous, scheme)
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
