"""What the frame adds around every page for meetings: live data, the share link, presentation mode.

* **Live for everyone**: :func:`watch_data` polls the store's data version every
  :data:`POLL_SECONDS` in a small fragment; when another session (or the CLI) uploaded or undid
  something, the whole app reruns with a "data updated" toast. Cached queries are keyed on the
  data version, so the rerun reads the new data.
* **Share link**: :func:`share_link` shows the URL of exactly this view (page, language, filters,
  sliders; see :mod:`ui.settings`) with a copy button.
* **Presentation mode** (``?present=1`` or the toggle): controls, sidebar and toolbar hidden, large
  KPIs and titles; with ``tour`` pages and ``advance`` seconds the app walks through the pages.
* **Stale links**: :func:`report_stale_params` names parameters of the opened link that no longer
  apply (a region that is gone, a value out of range), which fell back to their defaults.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from functools import partial
from typing import Any
from urllib.parse import urlencode

import streamlit as st

from analytics import summary
from ui import report, state, url_codes
from ui.i18n import t

POLL_SECONDS = 10  # each poll costs the browser ~50 ms of CPU (every 3 s: 18 of an idle tab's 27 ms per second)
PRESENT_KEY = "present"
TOUR_KEY = "tour"
ADVANCE_KEY = "advance"
_INCOMING_KEY = "_incoming_params"
_PAGE_STARTED_KEY = "_page_started"
# Parameters the frame reads itself (not through a widget), so never "stale".
_FRAME_PARAMS = ("lang", "embed", "embed_options")

# In presentation mode: no sidebar, no toolbar, no input widgets or download buttons; big numbers.
_PRESENT_CSS = """
<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"], div[data-testid="stToolbar"],
div[data-testid="stSlider"], div[data-testid="stNumberInput"], div[data-testid="stSelectbox"],
div[data-testid="stMultiSelect"], div[data-testid="stRadio"], div[data-testid="stCheckbox"],
div[data-testid="stDateInput"], div[data-testid="stTextInput"], div[data-testid="stSegmentedControl"],
div[data-testid="stButtonGroup"], div[data-testid="stDownloadButton"], div[data-testid="stFileUploader"],
div[data-testid="stPopover"], div[data-testid="stSelectSlider"], .stSlider, .stNumberInput, .stSelectbox,
.stMultiSelect, .stRadio, .stCheckbox, .stDateInput, .stTextInput, .stDownloadButton, .stFileUploader
{ display: none !important; }
div[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; max-width: 100%; }
h1 { font-size: 3rem !important; }
h2, h3 { font-size: 2rem !important; }
div[data-testid="stMetricValue"] { font-size: 3.2rem !important; }
div[data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
.st-key-present_exit button { opacity: 0.35; }
</style>
"""


def remember_incoming_params() -> None:
    """On a session's first run, keep the opened link's parameters (for :func:`report_stale_params`)."""
    if _INCOMING_KEY not in st.session_state:
        st.session_state[_INCOMING_KEY] = {key: st.query_params.get_all(key) for key in st.query_params}
        # ``?present=1`` is the documented short form; the toggle itself writes ``present=true``
        if st.query_params.get(PRESENT_KEY, "").lower() in ("1", "yes", "on", "true"):
            st.session_state[PRESENT_KEY] = True  # the toggle then shows it (and writes present=true)
            st.session_state[_INCOMING_KEY].pop(PRESENT_KEY)


def report_stale_params() -> None:
    """After the first run of a session: toast the link parameters that were dropped or corrected."""
    incoming: dict[str, list[str]] | None = st.session_state.get(_INCOMING_KEY)
    if not incoming:
        return
    st.session_state[_INCOMING_KEY] = {}  # report once
    stale = [
        key for key, values in incoming.items() if key not in _FRAME_PARAMS and st.query_params.get_all(key) != values
    ]
    if stale:
        st.toast(t("link.stale", params=", ".join(sorted(stale))), icon=":material/link_off:", duration="long")


@st.fragment(run_every=POLL_SECONDS)
def _poll_data_version() -> None:
    """Rerun the whole app when the store changed since this session last read it."""
    seen = st.session_state.get(state.SEEN_VERSION_KEY)
    current = state.stored_data_version()
    if seen is not None and current != seen:
        st.session_state[state.SEEN_VERSION_KEY] = current
        state.flash("toast", t("live.updated"))
        st.rerun(scope="app")


def watch_data() -> None:
    """Start the poll of the data version (the run pinned its own first, :func:`ui.state.pin_data_version`)."""
    with st.sidebar:
        _poll_data_version()


def view_url() -> str:
    """The URL of the current view: page path and every query parameter (lists repeated)."""
    base = st.context.url or ""
    params = [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    return f"{base}?{urlencode(params)}" if params else base


def share_link() -> None:
    """Sidebar popover with the link to this exact view and a copy button."""
    with st.sidebar.popover(t("link.share"), icon=":material/link:", width="stretch"):
        st.caption(t("link.help"))
        st.code(view_url(), language=None, wrap_lines=True)


def presentation_controls(pages: Sequence[st.Page]) -> None:
    """Sidebar toggle for presentation mode, the pages of its tour and the seconds per page."""
    with st.sidebar.expander(t("present.header"), icon=":material/co_present:", key="present_box"):
        st.toggle(
            t("present.toggle"),
            key=PRESENT_KEY,
            bind="query-params",
            help=t("present.help"),
        )
        paths = [p.url_path for p in pages]
        titles = {p.url_path: p.title for p in pages}
        # the link carries the pages' url paths, not their translated titles
        st.multiselect(
            t("present.tour"),
            paths,
            default=url_codes.prepare_many(TOUR_KEY, paths),
            key=TOUR_KEY,
            format_func=lambda p: titles.get(p, p),
            on_change=url_codes.many_to_url,
            args=(TOUR_KEY,),
        )
        st.number_input(t("present.advance"), 0, 600, value=0, step=5, key=ADVANCE_KEY, bind="query-params")


def presenting() -> bool:
    """Whether this session shows the presentation layout."""
    return bool(st.session_state.get(PRESENT_KEY))


def _leave_presentation() -> None:
    st.session_state[PRESENT_KEY] = False


def present(current: st.Page, pages: Sequence[st.Page]) -> None:
    """Apply the presentation layout and, with a tour, switch to the next page after ``advance`` seconds."""
    st.html(_PRESENT_CSS)
    st.button(t("present.exit"), key="present_exit", icon=":material/close:", on_click=_leave_presentation)
    tour = [p for p in pages if p.url_path in (st.session_state.get(TOUR_KEY) or [])]
    seconds = int(st.session_state.get(ADVANCE_KEY) or 0)
    if len(tour) < 2 or seconds <= 0:
        return
    if st.session_state.get(_PAGE_STARTED_KEY, (None, 0.0))[0] != current.url_path:
        st.session_state[_PAGE_STARTED_KEY] = (current.url_path, time.monotonic())

    @st.fragment(run_every=seconds)
    def advance() -> None:
        path, started = st.session_state[_PAGE_STARTED_KEY]
        if time.monotonic() - started < seconds - 0.5:  # the fragment's first run is immediate
            return
        paths = [p.url_path for p in tour]
        following = tour[(paths.index(path) + 1) % len(tour)] if path in paths else tour[0]
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        st.switch_page(following, query_params=params)

    advance()


def report_slot() -> Any:
    """A sidebar place for the meeting-report download, filled after the page ran."""
    return st.sidebar.empty()


def report_download(slot: Any, page: st.Page) -> None:
    """Offer the current page, as drawn in this run, as a self-contained HTML report."""
    options = state.query(summary.filter_options)
    lang, filters = state.lang(), state.filters()
    kpis = report.headline_kpis(state.query(summary.kpis, filters), lang, state.currency())
    meta = report.Meta(lang, filters, options.first_date, options.last_date, kpis)
    slot.download_button(
        t("report.download"),
        data=partial(report.page_report, page.title, report.collected(), meta),
        file_name=f"karadar_{page.url_path or 'home'}_{dt.date.today():%Y%m%d}.html",
        mime=report.HTML_MIME,
        key="report_download",
        on_click="ignore",
        icon=":material/summarize:",
        help=t("report.download_help"),
        width="stretch",
    )
