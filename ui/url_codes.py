"""Choice widgets and tabs whose link carries a code (``rank``, ``lorenz``), not a translated label.

``bind="query-params"`` writes into the URL what ``format_func`` shows (and a tab's label), e.g.
``tier_mode=按排名比例``: the same link opened in English selects nothing (and a label with a count
in it, such as ``冠军客户（213 家）``, changes with the data). So these widgets are not bound:

* a choice among codes with translated labels: :func:`prepare` before the widget takes the code
  from the link on a session's first run and keeps the URL in step with the widget on every run
  (absent when it is the default). Give the widget ``persist_state="session"`` so a page switch
  keeps it, as a bound widget would be kept.
* tabs: :func:`tabs` draws them from codes and translation keys and does the same for the open
  tab (``?ka_tab=lorenz``), also across a language switch and a page switch.
* :func:`prepare_many` / :func:`many_to_url`: the same for a multiselect (its ``on_change``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from ui.i18n import TEXTS, t


def _put(key: str, code: object, default: str) -> None:
    """``?key=code`` in the URL; no ``key`` when the code is ``default`` (or None)."""
    if code is None or code == default:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = str(code)


def to_url(key: str, default: str) -> None:
    """Put the code chosen in ``st.session_state[key]`` into the URL (removed when it is ``default``)."""
    _put(key, st.session_state.get(key), default)


def prepare(key: str, codes: Sequence[str], default: str) -> str | None:
    """Make ``st.session_state[key]`` a valid code, put it into the URL; returns the widget's default.

    A code in the link wins on a session's first run; a value that is not one of ``codes``
    (a mistyped link) falls back to ``default`` and leaves the URL (the frame then names it).
    The result is None once the session holds the key: pass it as the widget's default, so
    Streamlit does not warn about a default given next to a session value.
    """
    if key not in st.session_state and st.query_params.get(key) in codes:
        st.session_state[key] = st.query_params[key]
    if key in st.session_state and st.session_state[key] not in codes:
        st.session_state[key] = default
    to_url(key, default)
    return None if key in st.session_state else default


def tabs(key: str, prefix: str, codes: Sequence[str], lang: str) -> dict[str, Any]:
    """``st.tabs`` labelled ``t(f"{prefix}.{code}")``, by code; ``?key=<code>`` opens a tab (first: absent).

    The open tab is session state under ``key`` (its label, as Streamlit keeps it); a label of
    the other language (after a language switch) is mapped to the same tab, and the code is also
    kept apart, so the tab stays open across a page switch. Switching tabs reruns the app, so
    ``.open`` tells which tab to compute.
    """
    labels = {code: t(f"{prefix}.{code}", lang) for code in codes}
    memo = f"_tab_code_{key}"
    shown = st.session_state.get(key)
    candidates = (
        next((c for c in codes if shown in TEXTS[f"{prefix}.{c}"].values()), None),  # clicked, any language
        st.session_state.get(memo),  # open before a page switch
        st.query_params.get(key),  # the link
    )
    code = next((str(c) for c in candidates if c in codes), codes[0])
    if shown != labels[code]:
        st.session_state[key] = labels[code]
    st.session_state[memo] = code
    _put(key, code, codes[0])
    containers = st.tabs(list(labels.values()), key=key, on_change="rerun")
    return dict(zip(codes, containers, strict=True))


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
