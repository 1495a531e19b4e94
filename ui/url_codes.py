"""Choice widgets whose link carries the option's code (``rank``), not its translated label.

``bind="query-params"`` writes into the URL what ``format_func`` shows, e.g. ``tier_mode=按排名比例``:
the same link opened in English selects nothing (and a label with a count in it, such as
``冠军客户（213 家）``, changes with the data). For a choice among codes with translated labels,
:func:`prepare` takes the code from the link on a session's first run and :func:`to_url` (the
widget's ``on_change``) writes the chosen code back, absent when it is the default.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st


def prepare(key: str, codes: Sequence[str], default: str) -> str | None:
    """Make ``st.session_state[key]`` a valid code and return the widget's default (None once set).

    A code in the link wins on a session's first run; a value that is not one of ``codes``
    (a mistyped link) falls back to ``default``. Pass the result as the widget's default, so
    Streamlit does not warn about a default given next to a session value.
    """
    if key not in st.session_state and st.query_params.get(key) in codes:
        st.session_state[key] = st.query_params[key]
    if key in st.session_state and st.session_state[key] not in codes:
        st.session_state[key] = default
    return None if key in st.session_state else default


def to_url(key: str, default: str) -> None:
    """``on_change`` callback: put the chosen code into the URL (removed when it is ``default``)."""
    value = st.session_state.get(key)
    if value is None or value == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = str(value)


def prepare_many(key: str, codes: Sequence[str]) -> list[str] | None:
    """:func:`prepare` for a multiselect: the link's repeated ``key`` values that are codes (default none)."""
    if key not in st.session_state and key in st.query_params:
        st.session_state[key] = [c for c in st.query_params.get_all(key) if c in codes]
    if key in st.session_state:
        st.session_state[key] = [c for c in st.session_state[key] if c in codes]
    return None if key in st.session_state else []


def many_to_url(key: str) -> None:
    """``on_change`` callback of a multiselect: the chosen codes into the URL (removed when none)."""
    values = [str(v) for v in st.session_state.get(key) or []]
    if values:
        st.query_params[key] = values
    else:
        st.query_params.pop(key, None)
