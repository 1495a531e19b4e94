"""Customer card (客户档案卡): one customer's standing, churn risk, sales, products, surveys, complaints.

The customer comes from ``?customer=<name>`` (a link opens the same card); the default is the
top customer by revenue in the analysis period. Tier, ABC class and RFM are the Key accounts
page's own numbers (shared settings); risk and P(alive) are the Churn page's.
"""

from __future__ import annotations

import streamlit as st

from analytics import churn, customer_card, key_accounts
from ui import customer_card_view as view
from ui import settings, state, url_codes
from ui.i18n import t
from ui.key_accounts_view import ranked_period

lang, currency = state.lang(), state.currency()
filters = state.filters()

st.title(t("card.title"))
st.caption(t("card.caption"))
data = state.query_shared(ranked_period, filters).data  # the Key accounts page's shared facts
if data.bounds is None:
    st.warning(t("card.no_data"))
    st.stop()
bounds = data.bounds

picked = view.pick_customer(filters)
if picked is None:
    st.stop()
customer_id = int(picked["customer_id"])
profile = state.query(customer_card.profile, customer_id)
if profile is None:  # the customer vanished between the search and now (an undo)
    st.warning(t("card.no_data"))
    st.stop()
accounts = settings.key_account_settings()
table = state.derived(key_accounts.customer_table, (filters, accounts), data, accounts)  # shared with Key accounts
standing = customer_card.standing(table, customer_id)

change = state.query(customer_card.period_revenue, filters, customer_id)

view.header(profile, standing, bounds, lang, currency)
view.key_figures(standing, change, picked, bounds, lang, currency)

# churn risk goes here, but is computed last: the early warning and the BG/NBD fit cover every
# customer (seconds on a big ledger, the first time), and the rest of the card shows meanwhile
risk_area = st.container()

tabs = url_codes.tabs(view.TAB_KEY, "card.tab", view.TAB_CODES, lang)
with tabs["trend"]:
    view.trend(
        state.query(customer_card.timeline, filters, customer_id, bounds.as_of),
        change,
        bounds.as_of,
        lang,
        currency,
    )
with tabs["products"]:
    view.products(
        state.query(customer_card.purchases, bounds.current_filters(filters), customer_id), bounds, lang, currency
    )
with tabs["surveys"]:
    view.surveys(state.query(customer_card.survey_history, filters, customer_id), lang)
with tabs["complaints"]:
    view.complaints(state.query(customer_card.complaint_history, filters, customer_id), lang)

with risk_area:
    # the early warning and BG/NBD of the Churn page, for this customer
    columns = view.risk_columns()
    horizon = view.horizon_input(columns[3])
    rules = view.warning_rules()
    with st.spinner(t("card.risk.loading")):
        # the Churn page's shared entries (same arguments): one computation, no per-rerun copy
        warnings = state.query_shared(churn.early_warning, filters, None, rules, settings.tier_scheme())
        model = state.query_shared(churn.bgnbd_summary, filters, None, float(horizon))
    view.churn_risk(
        columns, customer_id, customer_card.row_of(warnings, customer_id), model, horizon, rules, lang, currency
    )
