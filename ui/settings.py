"""User settings that several pages share (ABC cutoffs, the tier ladder, the churn window, …).

Every setting is a widget key with a SPEC default in :data:`DEFAULTS`. The page that owns a
setting draws its widget with that key, ``value=settings.initial(key)`` and
``bind="query-params"`` (so the link carries it); every other page reads it through
:func:`get` or a builder such as :func:`key_account_settings`.

Streamlit forgets a widget's value after a run that does not draw the widget (a page switch).
:func:`keep`, called by the frame before every page, re-assigns each known key, which keeps the
value for the rest of the session: a slider moved on *Key accounts* still holds on *Customer card*.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from analytics import tiers
from analytics.key_accounts import KeyAccountSettings

# key -> default. Shares and cutoffs are whole percents (what the sliders show).
DEFAULTS: dict[str, Any] = {
    # key accounts (SPEC §4.1)
    "top_share": 20,
    "abc_cuts": (80, 95),
    # pyramid (SPEC §4.2)
    "tier_mode": "absolute",
    "tier_diamond": 5_000_000.0,
    "tier_platinum": 1_000_000.0,
    "tier_gold": 500_000.0,
    "tier_vip": 10_000.0,
    "share_key": 5,
    "share_major": 15,
    "share_ordinary": 30,
    # churn (SPEC §4.4)
    "churn_window": 12,
    "overdue_k": 2.0,
    "overdue_floor": 30,
}


def keep() -> None:
    """Keep every setting the session has across runs that do not draw its widget."""
    for key in DEFAULTS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def initial(key: str) -> Any:
    """The ``value=`` to give the widget of ``key``: its default the first time, then ``None``.

    Once the session holds the key, Streamlit takes the value from there; passing a default
    as well would make it warn.
    """
    return None if key in st.session_state else DEFAULTS[key]


def get(key: str) -> Any:
    """The session's value of setting ``key`` (its default when never set)."""
    return st.session_state.get(key, DEFAULTS[key])


def tier_scheme() -> tiers.TierScheme:
    """The tier scheme of the session; the default ladder when the inputs contradict each other."""
    try:
        return tiers.TierScheme(
            mode=get("tier_mode"),
            thresholds=tiers.AbsoluteThresholds(
                float(get("tier_diamond")), float(get("tier_platinum")), float(get("tier_gold")), float(get("tier_vip"))
            ),
            shares=tiers.RankShares(
                get("share_key") / 100.0, get("share_major") / 100.0, get("share_ordinary") / 100.0
            ),
        )
    except (TypeError, ValueError):
        return tiers.TierScheme()


def key_account_settings() -> KeyAccountSettings:
    """ABC cutoffs, the top share and the tier scheme of the session, as analytics takes them."""
    a_cut, b_cut = get("abc_cuts")
    return KeyAccountSettings(
        top_share=get("top_share") / 100.0, a_cut=a_cut / 100.0, b_cut=b_cut / 100.0, scheme=tier_scheme()
    )
