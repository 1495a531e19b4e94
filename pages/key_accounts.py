"""Key accounts: who brings the revenue (Pareto/ABC), how concentrated it is (Lorenz/Gini), who earns the profit.

The expensive steps, the per-customer facts of the period and their revenue ranking, come from the
query cache; a slider move re-runs only the cheap classification steps of :mod:`analytics.pareto`.
"""

from __future__ import annotations

import streamlit as st

from analytics import key_accounts, pareto
from analytics.customer_facts import dimension_facts
from ui import key_accounts_view as view
from ui import settings, state
from ui.i18n import t

lang, currency = state.lang(), state.currency()
filters = state.filters()

st.title(t("ka.title"))
st.caption(t("ka.caption"))
ranked = state.query(view.ranked_period, filters)
data, ranking = ranked.data, ranked.ranking
if data.bounds is None or data.facts.empty:
    st.info(t("ka.no_data"))
    st.stop()
view.period_caption(data.bounds, lang)
if ranking.count == 0:
    st.info(t("ka.no_positive"))
    st.stop()

# the two settings this page owns (shared with the CLI defaults and the other pages)
left, right = st.columns(2)
top_share = left.slider(
    t("ka.top_share"),
    min_value=5,
    max_value=50,
    value=settings.initial("top_share"),
    step=1,
    format="%d%%",
    key="top_share",
    help=t("ka.top_share_help"),
    bind="query-params",
)
a_pct, b_pct = right.slider(
    t("ka.abc_cuts"),
    min_value=10,
    max_value=100,
    value=settings.initial("abc_cuts"),
    step=1,
    format="%d%%",
    key="abc_cuts",
    help=t("ka.abc_cuts_help"),
    bind="query-params",
)
cuts = (a_pct / 100.0, b_pct / 100.0)
head = pareto.headline(ranking, top_share / 100.0)
assert head is not None  # ranking.count > 0
classified = pareto.abc(ranking, *cuts)

st.subheader(view.headline(head, lang), anchor=False)
view.kpis(head, classified, cuts, lang)
view.excluded_caption(head, lang, currency)

pareto_tab, lorenz_tab, whale_tab, list_tab = st.tabs(
    [t("ka.tab.pareto"), t("ka.tab.lorenz"), t("ka.tab.whale"), t("ka.tab.list")], key="ka_tab", bind="query-params"
)
if pareto_tab.open:  # only the open tab is computed and drawn
    with pareto_tab:
        dimension = st.segmented_control(
            t("ka.dimension"),
            view.DIMENSIONS,
            default="customer",
            required=True,
            # explicit lang: looked up from the session here, an English choice fell back to the default
            format_func=lambda d: t(f"ka.dim.{d}", lang),
            key="ka_dim",
            bind="query-params",
        )
        if dimension in (None, "customer"):
            view.pareto_view(ranking, classified, head, "customer", cuts, lang, currency)
        else:
            items = state.query(dimension_facts, data.bounds.current_filters(filters), dimension)
            item_ranking = pareto.rank(items, key="item", unit="item")
            item_head = pareto.headline(item_ranking, top_share / 100.0)
            if item_head is None or items["item"].isna().all():
                st.info(t("ka.no_items", unit=t(f"ka.unit.{dimension}")))
            else:
                item_classes = pareto.abc(item_ranking, *cuts)
                view.pareto_view(item_ranking, item_classes, item_head, dimension, cuts, lang, currency)
if lorenz_tab.open:
    with lorenz_tab:
        view.lorenz_view(ranking, head, lang)
if whale_tab.open:
    with whale_tab:
        has_profit = bool(data.facts["profit"].notna().any())
        view.whale_view(pareto.whale_curve(data.facts), has_profit, lang, currency)
if list_tab.open:
    with list_tab:
        view.customer_list(key_accounts.customer_table(data, settings.key_account_settings()))
