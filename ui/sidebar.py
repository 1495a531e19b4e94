"""The shared sidebar: language switch, global filters and the data-freshness/demo badge.

Filters are bound to the URL query string (``bind="query-params"``), so a copied link opens
with the same regions, reps, categories, channels and dates. The date range defaults to the
whole ledger; a range equal to the ledger's bounds means "no date filter", so newly uploaded
months show up without touching the filter.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from analytics import access, summary
from analytics.filters import Filters
from ui import format as fmt
from ui import state
from ui.i18n import LANGS, t

PERIOD_KEY = "period"
_BOUNDS_KEY = "_period_bounds"
# filter field of Filters -> (widget/query-param key, label key, FilterOptions attribute)
_LIST_FILTERS: tuple[tuple[str, str, str], ...] = (
    ("regions", "region", "filters.regions"),
    ("sales_reps", "rep", "filters.sales_reps"),
    ("categories", "category", "filters.categories"),
    ("channels", "channel", "filters.channels"),
)


def language_switch() -> None:
    """Radio 简体中文/English for the session's language (``st.session_state["lang"]``, and ``?lang=``)."""
    state.init_lang()
    lang = state.lang()
    st.sidebar.radio(
        t("lang.label"),
        LANGS,
        # the default is the session's language: a browser that lost the switch's state (seen in
        # CI: an English page with 简体中文 ticked, then Chinese after the next input) shows the right one
        index=LANGS.index(lang),
        key=state.LANG_SWITCH_KEY,
        on_change=state.take_switched_lang,
        format_func=lambda code: t(f"lang.{code}", lang),  # lang bound: AppTest formats outside the run
        horizontal=True,
    )
    state.sync_lang_to_url()


def _period(first: dt.date, last: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """Date-range widget; returns (from, to) with ``None`` for an open end at the ledger bounds."""
    bounds = (first, last)
    previous = st.session_state.get(_BOUNDS_KEY)
    selected = st.session_state.get(PERIOD_KEY)
    if previous is not None and previous != bounds and tuple(selected or ()) == tuple(previous):
        del st.session_state[PERIOD_KEY]  # data grew: "everything" keeps meaning everything
    st.session_state[_BOUNDS_KEY] = bounds
    value = st.sidebar.date_input(
        t("filters.period"),
        value=bounds,
        min_value=first,
        max_value=last,
        key=PERIOD_KEY,
        bind="query-params",
    )
    picked = tuple(value) if isinstance(value, list | tuple) else (value,)
    start = picked[0] if picked and picked[0] else first
    end = picked[1] if len(picked) > 1 and picked[1] else last  # a half-picked range runs to the end
    return (None if start <= first else start), (None if end >= last else end)


def global_filters() -> Filters:
    """Render the filters and return (and store in the session) the resulting :class:`Filters`."""
    st.sidebar.header(t("filters.header"))
    options = state.query(summary.filter_options)
    if options.first_date is None or options.last_date is None:
        st.sidebar.caption(t("filters.no_data"))
        value = access.scoped_filters(Filters(), state.user())
        state.set_filters(value)
        return value
    user = state.user()
    date_from, date_to = _period(options.first_date, options.last_date)
    chosen: dict[str, tuple[str, ...]] = {}
    for field, key, label in _LIST_FILTERS:
        values: list[str] = getattr(options, field)
        if field == "regions":
            values = access.visible_regions(values, user)
        if not values:
            continue
        picked = st.sidebar.multiselect(t(label), values, key=key, placeholder=t("filters.all"), bind="query-params")
        chosen[field] = tuple(v for v in picked if v in values)
    # the user's region scope narrows every query (and so every cache key)
    value = access.scoped_filters(Filters(date_from=date_from, date_to=date_to, **chosen), user)
    state.set_filters(value)
    return value


def freshness_badge() -> None:
    """Sidebar block: demo badge, last upload and latest transaction date."""
    lang = state.lang()
    fresh = state.query(summary.freshness)
    st.sidebar.divider()
    st.sidebar.caption(t("freshness.header"))
    if fresh.demo_loaded:
        st.sidebar.badge(t("badge.demo"), icon=":material/science:", color="orange", help=t("badge.demo_help"))
    elif fresh.last_upload_at is not None:
        st.sidebar.badge(t("badge.real"), icon=":material/verified:", color="green")
    if fresh.last_upload_at is None:
        st.sidebar.caption(t("freshness.none"))
        return
    st.sidebar.caption(t("freshness.last_upload", when=fmt.datetime(fresh.last_upload_at, lang)))
    st.sidebar.caption(t("freshness.last_transaction", when=fmt.date(fresh.last_transaction, lang)))
