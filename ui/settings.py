"""User settings that several pages share (ABC cutoffs, the tier ladder, the churn window, …).

Every setting is a widget key with a SPEC default in :data:`DEFAULTS` and the range its widget
accepts in :data:`LIMITS` (or its codes in :data:`CHOICES`). The page that owns a setting draws
its widget with ``**settings.widget(key)`` (key, limits, initial value, ``persist_state="session"``);
every other page reads it through :func:`get` or a builder such as :func:`key_account_settings`.

The link carries every changed setting on every page. These widgets are *not* bound to the query
string (``bind="query-params"``): Streamlit removes a bound widget's parameter at the end of a run
that does not draw the widget, also when the frame has just put it back for the page's link, so
the setting vanished from the URL after a page switch. Instead:

* :func:`restore_from_url` reads the settings of the opened link on a session's first run
  (checked against :data:`LIMITS`); a widget starts from that value (:func:`initial`), and pages
  that do not draw the widget use it through :func:`get`;
* ``persist_state="session"`` keeps a widget's value across page switches that do not draw it;
* :func:`publish_to_url`, after every run, writes each setting that differs from its default into
  the URL and removes the others, so a copied link reproduces the view, whichever page it was
  copied on; it then sends the run's whole query string, so the last run has the last word.

Nothing assigns these keys in ``st.session_state``: a value assigned there is pushed back to the
browser, and fast key presses on a slider then lost steps.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st

from analytics import churn, tiers
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
#: key -> (lowest, highest) value its widget accepts (None: unbounded); a range slider's both ends.
LIMITS: dict[str, tuple[float | None, float | None]] = {
    "top_share": (5, 50),
    "abc_cuts": (10, 100),
    "tier_diamond": (0.0, None),
    "tier_platinum": (0.0, None),
    "tier_gold": (0.0, None),
    "tier_vip": (0.0, None),
    "share_key": (0, 100),
    "share_major": (0, 100),
    "share_ordinary": (0, 100),
    "churn_window": (churn.MIN_WINDOW_MONTHS, churn.MAX_WINDOW_MONTHS),
    "overdue_k": (0.5, 10.0),
    "overdue_floor": (0, 365),
}
#: key -> the codes a choice setting takes.
CHOICES: dict[str, tuple[str, ...]] = {"tier_mode": ("absolute", "rank")}
#: Tier code -> setting key of its revenue floor (absolute mode), best tier first.
LADDER_KEYS: dict[str, str] = {
    "diamond": "tier_diamond",
    "platinum": "tier_platinum",
    "gold": "tier_gold",
    "vip": "tier_vip",
}
#: Tier code -> setting key of its customer share in % (rank mode); ``small`` takes the rest.
SHARE_KEYS: dict[str, str] = {"key": "share_key", "major": "share_major", "ordinary": "share_ordinary"}
_Part = TypeVar("_Part", tiers.AbsoluteThresholds, tiers.RankShares)
_LINK_KEY = "_link_settings"
_LAST_LADDER = "_last_valid_ladder"
_LAST_SHARES = "_last_valid_shares"


def _parse(raw: list[str], default: Any) -> Any:
    """A URL value (all its repetitions) as the type of ``default``; ``ValueError`` when it is not one."""
    if isinstance(default, tuple):
        if len(raw) != len(default):
            raise ValueError("wrong number of values")
        return tuple(_parse([r], d) for r, d in zip(raw, default, strict=True))
    if len(raw) != 1:
        raise ValueError("one value expected")
    return type(default)(raw[0])


def _checked(key: str, value: Any) -> Any:
    """``value`` when setting ``key``'s widget accepts it, else ``ValueError``."""
    if key in CHOICES:
        if value not in CHOICES[key]:
            raise ValueError(f"unknown code {value!r}")
        return value
    low, high = LIMITS[key]
    parts = value if isinstance(value, tuple) else (value,)
    if not all(math.isfinite(v) for v in parts):
        raise ValueError("not a finite number")
    if any((low is not None and v < low) or (high is not None and v > high) for v in parts):
        raise ValueError("out of range")
    if list(parts) != sorted(parts):
        raise ValueError("range ends in the wrong order")
    return value


def restore_from_url() -> list[str]:
    """On a session's first run, read the settings the link carries; returns the keys it could not use.

    A value that is not one (not a number, out of :data:`LIMITS`, an unknown code, range ends
    swapped) is dropped from the URL, so it falls back to its default and
    :func:`ui.frame.report_stale_params` names it. Later runs do nothing.
    """
    if _LINK_KEY in st.session_state:
        return []
    link: dict[str, Any] = {}
    bad: list[str] = []
    for key, default in DEFAULTS.items():
        if key not in st.query_params:
            continue
        try:
            link[key] = _checked(key, _parse(st.query_params.get_all(key), default))
        except (TypeError, ValueError):
            bad.append(key)
            del st.query_params[key]
    st.session_state[_LINK_KEY] = link
    return bad


def _url_text(value: Any) -> str:
    """A setting's value as written in the link (``5000000``, not ``5000000.0``)."""
    return f"{value:.15g}" if isinstance(value, float) else str(value)


def publish_to_url() -> None:
    """Write every setting that differs from its default into the URL and remove the others (after a run)."""
    for key, default in DEFAULTS.items():
        value = get(key)
        if value == default:
            if key in st.query_params:
                del st.query_params[key]
            continue
        text = [_url_text(v) for v in value] if isinstance(value, tuple) else [_url_text(value)]
        if st.query_params.get_all(key) != text:
            st.query_params[key] = text
    # Send this run's whole query string even when nothing changed: the browser takes the address bar
    # from the last message, and one from an older run can arrive after the user's newer move of a
    # query-bound widget (the browser wrote that itself), leaving the older value in the link.
    st.query_params.update()


def initial(key: str) -> Any:
    """The value a setting's widget starts from: the opened link's, else the default."""
    return st.session_state.get(_LINK_KEY, {}).get(key, DEFAULTS[key])


def widget(key: str) -> dict[str, Any]:
    """Keyword arguments of the widget of setting ``key``: its key, limits, start value, persistence.

    ``st.slider(label, **settings.widget("top_share"), step=1)``; a choice setting gets
    ``default=`` instead of limits and ``value=`` (``st.segmented_control``).
    """
    common = {"key": key, "persist_state": "session"}
    if key in CHOICES:
        return {**common, "default": initial(key)}
    low, high = LIMITS[key]
    return {**common, "min_value": low, "max_value": high, "value": initial(key)}


def get(key: str) -> Any:
    """The session's value of setting ``key``: its widget's, else the opened link's, else the default."""
    value = st.session_state.get(key)
    if value is None:
        return initial(key)
    return tuple(value) if isinstance(DEFAULTS[key], tuple) else value


@dataclass(frozen=True)
class SchemeInForce:
    """The tier scheme the pages use, and whether the session's own inputs are in it.

    ``ladder_kept`` / ``shares_kept``: the floors do not form a ladder (each ≤ the one above) /
    the shares add up to more than 100 %, so ``scheme`` holds the last valid ladder / shares of
    the session instead (the defaults when there was none).
    """

    scheme: tiers.TierScheme
    ladder_kept: bool
    shares_kept: bool


def scheme_in_force() -> SchemeInForce:
    """The session's tier scheme (mode, floors, shares), always valid; see :class:`SchemeInForce`.

    The one place that turns the Pyramid page's inputs into a :class:`analytics.tiers.TierScheme`:
    the Pyramid page and every page that uses tiers (Key accounts, Churn, Satisfaction, Customer
    card) get the same scheme.
    """
    ladder, ladder_kept = _valid_or_last(
        _LAST_LADDER, tiers.AbsoluteThresholds, [float(get(key)) for key in LADDER_KEYS.values()]
    )
    shares, shares_kept = _valid_or_last(
        _LAST_SHARES, tiers.RankShares, [int(get(key)) / 100.0 for key in SHARE_KEYS.values()]
    )
    mode: tiers.TierMode = "rank" if get("tier_mode") == "rank" else "absolute"
    return SchemeInForce(tiers.TierScheme(mode=mode, thresholds=ladder, shares=shares), ladder_kept, shares_kept)


def _valid_or_last(memo: str, build: Callable[..., _Part], values: list[float]) -> tuple[_Part, bool]:
    """``build(*values)`` (remembered in the session), or the last valid one and True when it raises."""
    try:
        part = build(*values)
    except ValueError:
        return st.session_state.get(memo, build()), True
    st.session_state[memo] = part
    return part, False


def tier_scheme() -> tiers.TierScheme:
    """The tier scheme of the session (:func:`scheme_in_force`)."""
    return scheme_in_force().scheme


def key_account_settings() -> KeyAccountSettings:
    """ABC cutoffs, the top share and the tier scheme of the session, as analytics takes them."""
    a_cut, b_cut = get("abc_cuts")
    return KeyAccountSettings(
        top_share=get("top_share") / 100.0, a_cut=a_cut / 100.0, b_cut=b_cut / 100.0, scheme=tier_scheme()
    )
