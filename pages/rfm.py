"""RFM (RFM 分群): recency, frequency and monetary quintile scores and the R × F segments (SPEC §4.3).

The period's facts are the Key accounts page's shared ranked facts; the scores are computed once per
filter set and data version (``state.derived``), so picking a segment re-runs only the listing.
"""

from __future__ import annotations

import streamlit as st

from analytics import rfm
from ui import charts, state
from ui import format as fmt
from ui import rfm_view as view
from ui.i18n import t
from ui.key_accounts_view import ranked_period

lang, currency = state.lang(), state.currency()
filters = state.filters()
st.title(t("nav.rfm"))
data = state.query_shared(ranked_period, filters).data
if data.bounds is None or data.facts.empty:
    st.info(t("rfm.no_data"))
    st.stop()
bounds = data.bounds
scored = state.derived(rfm.rfm, (filters,), data.facts, bounds.as_of)
if scored.empty:
    st.info(t("rfm.no_purchases"))
    st.stop()
st.caption(
    t(
        "rfm.caption",
        as_of=fmt.date(bounds.as_of, lang),
        start=fmt.date(bounds.period.start, lang),
        end=fmt.date(bounds.period.end, lang),
    )
)
summary = state.derived(rfm.segment_summary, (filters,), scored)
cols = st.columns(3)
cols[0].metric(t("rfm.as_of"), fmt.date(bounds.as_of, lang), border=True)
cols[1].metric(t("rfm.scored"), fmt.integer(len(scored)), help=t("rfm.scored_help"), border=True)
cols[2].metric(t("rfm.unscored"), fmt.integer(len(data.facts) - len(scored)), help=t("rfm.unscored_help"), border=True)

# segments: who they are and what to do
st.subheader(t("rfm.segments"))
charts.show(view.treemap_figure(summary, lang, currency), key="rfm_treemap")
view.show_segment_table(summary)

# the R × F grid the segments come from
st.subheader(t("rfm.grid"))
grid = rfm.rf_matrix(scored)
charts.show(view.heatmap_figure(grid, lang), key="rfm_heatmap")
view.show_grid_table(grid)

# the customers of one segment
st.subheader(t("rfm.customers"))
segment = view.segment_picker(summary, lang)
st.markdown(t("rfm.suggested", action=view.action_text(rfm.ACTIONS[segment])))
view.show_segment_customers(scored, data.facts, segment)
