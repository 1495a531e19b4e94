"""Satisfaction (满意度): CSAT, NPS, satisfaction → loyalty, drivers, complaints (SPEC §4.5)."""

from __future__ import annotations

import streamlit as st

from analytics import satisfaction
from analytics.customer_facts import period_bounds
from ui import satisfaction_view as view
from ui import settings, state
from ui.i18n import t

lang = state.lang()
filters = state.filters()

st.title(t("sat.title"))
st.caption(t("sat.caption"))

# surveys: CSAT, NPS, satisfaction → loyalty, drivers
scores = state.query(satisfaction.csat, filters)
if scores.responses == 0:
    view.no_data("sat.no_surveys")
else:
    view.csat_section(scores, lang)
    view.nps_section(state.query(satisfaction.nps, filters), lang)
    days = view.loyalty_controls()
    loyalty = state.query(satisfaction.repurchase_by_score, filters, days, int(settings.get("churn_window")))
    view.loyalty_section(loyalty, lang)
    view.drivers_section(state.query(satisfaction.drivers, filters), scores, lang)

# complaints: Pareto of categories, before/after satisfaction, escalation list
st.header(t("sat.complaints.header"))
complaints = state.query(satisfaction.complaints_summary, filters)
if complaints.total == 0:
    view.no_data("sat.no_complaints")
else:
    accounts = settings.key_account_settings()
    escalations = state.query(
        satisfaction.escalation_list,
        filters,
        a_cut=accounts.a_cut,
        b_cut=accounts.b_cut,
        scheme=accounts.scheme,
        top_tiers=view.top_tiers(accounts.scheme),
    )
    view.complaints_kpis(complaints, len(escalations), lang)
    left, right = st.columns(2)
    with left:
        view.pareto_chart(complaints, accounts.a_cut, lang)
    with right:
        max_days = view.around_controls()
        view.around_section(state.query(satisfaction.satisfaction_around_complaints, filters, max_days), lang)
    view.escalation_section(escalations, accounts, state.query(period_bounds, filters), lang)
