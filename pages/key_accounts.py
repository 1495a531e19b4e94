"""Key accounts: who brings the revenue (Pareto/ABC), how concentrated it is (Lorenz/Gini), who earns the profit.

The expensive steps, the per-customer facts of the period and their revenue ranking, come from the
query cache; a slider move re-runs only the cheap classification steps of :mod:`analytics.pareto`.
"""

from __future__ import annotations

import streamlit as st

from analytics import key_accounts, pareto
from analytics.customer_facts import dimension_facts
from ui import key_accounts_view as view
from ui import settings, state, url_codes
from ui.i18n import t

lang, currency = state.lang(), state.currency()
filters = state.filters()

st.title(t("ka.title"))
st.caption(t("ka.caption"))
ranked = state.query_shared(view.ranked_period, filters)  # one shared object: no per-rerun copy of the facts
data, ranking = ranked.data, ranked.ranking
if data.bounds is None or data.facts.empty:
    st.info(t("ka.no_data"))
    st.stop()
view.period_caption(data.bounds, lang)
if ranking.count == 0:
    st.info(t("ka.no_positive"))
    st.stop()

# the two settings this page owns (shared with the CLI defaults and the other pages; in every link)
left, right = st.columns(2)
top_share = left.slider(
    t("ka.top_share"), **settings.widget("top_share"), step=1, format="%d%%", help=t("ka.top_share_help")
)
a_pct, b_pct = right.slider(
    t("ka.abc_cuts"), **settings.widget("abc_cuts"), step=1, format="%d%%", help=t("ka.abc_cuts_help")
)
cuts = (a_pct / 100.0, b_pct / 100.0)
head = pareto.headline(ranking, top_share / 100.0)
assert head is not None  # ranking.count > 0
classified = pareto.abc(ranking, *cuts)

st.subheader(view.headline(head, lang), anchor=False)
view.kpis(head, classified, cuts, lang)
view.excluded_caption(head, lang, currency)

tabs = url_codes.tabs("ka_tab", "ka.tab", ("pareto", "lorenz", "whale", "list"), lang)
if tabs["pareto"].open:  # only the open tab is computed and drawn
    with tabs["pareto"]:
        dimension = st.segmented_control(
            t("ka.dimension"),
            view.DIMENSIONS,
            default=url_codes.prepare("ka_dim", view.DIMENSIONS, "customer"),
            required=True,
            format_func=lambda d: t(f"ka.dim.{d}", lang),  # lang bound: AppTest formats outside the run
            key="ka_dim",
            persist_state="session",
        )  # the link carries the code (url_codes), the same in both languages
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
if tabs["lorenz"].open:
    with tabs["lorenz"]:
        view.lorenz_view(ranking, head, lang)
if tabs["whale"].open:
    with tabs["whale"]:
        has_profit = bool(data.facts["profit"].notna().any())
        view.whale_view(ranked.whale, has_profit, lang, currency)
if tabs["list"].open:
    with tabs["list"]:
        accounts = settings.key_account_settings()
        view.customer_list(state.derived(key_accounts.customer_table, (filters, accounts), data, accounts))
