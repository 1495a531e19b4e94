"""User settings that several pages share (ABC cutoffs, the tier ladder, the churn window, …).

Every setting is a widget key with a SPEC default in :data:`DEFAULTS`. The page that owns a
setting draws its widget with that key, ``value=settings.initial(key)`` and
``bind="query-params"`` (so the link carries it); every other page reads it through
:func:`get` or a builder such as :func:`key_account_settings`.

Streamlit forgets a widget's value after a run that does not draw the widget (a page switch).
:func:`keep`, called by the frame before every page, re-assigns each known key, which keeps the
value for the rest of the session: a slider moved on *Key accounts* still holds on *Customer card*.
:func:`publish_to_url` and :func:`restore_from_url` carry the changed settings in the link of
every page, so a copied link reproduces the view, whichever page it was copied on.
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


def _parse(raw: list[str], default: Any) -> Any:
    """A URL value (all its repetitions) as the type of ``default``; ``ValueError`` when it is not one."""
    if isinstance(default, tuple):
        if len(raw) != len(default):
            raise ValueError("wrong number of values")
        return tuple(_parse([r], d) for r, d in zip(raw, default, strict=True))
    if len(raw) != 1:
        raise ValueError("one value expected")
    if isinstance(default, bool):
        return raw[0].lower() in ("1", "true")
    return type(default)(raw[0])


def _url_values(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, tuple) else [str(value)]


def restore_from_url() -> list[str]:
    """On a session's first run, take the settings the link carries; returns the keys it could not read.

    The owning page's widget then shows the same value (its ``value=`` is ``None`` because the
    session already holds the key). Values the widget rejects (out of range) fall back there.
    """
    bad: list[str] = []
    for key, default in DEFAULTS.items():
        if key in st.session_state or key not in st.query_params:
            continue
        try:
            st.session_state[key] = _parse(st.query_params.get_all(key), default)
        except (TypeError, ValueError):
            bad.append(key)
            del st.query_params[key]
    return bad


def publish_to_url() -> None:
    """Put every changed setting into the URL, also those whose widget is on another page.

    A widget bound to the query string writes its own parameter while it is drawn; this adds the
    others, so the link of any page reproduces the ABC cutoffs, the tier ladder, the churn window, ….
    """
    for key, default in DEFAULTS.items():
        if key in st.session_state and key not in st.query_params and st.session_state[key] != default:
            st.query_params[key] = _url_values(st.session_state[key])


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
