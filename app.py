"""KA Radar (大客户雷达): the Streamlit frame around every page.

Run with ``streamlit run app.py``. The frame sets up the page, the language switch, the shared
sidebar filters and the data-freshness badge, then runs the page chosen in the navigation.
A page error is logged and shown as one translated sentence, never as a traceback.

To add a page, add one line to :data:`PAGES`: (file, title key in ``ui/i18n.py``, icon, URL path).
The URL path must differ from the file's stem. Streamlit decides per process whether ``pages/``
is a legacy multipage folder before it knows that we call ``st.navigation``: on a process's
first run (and on every AppTest run) it wraps this script as a legacy page, where a URL equal
to a file stem would run that file without this frame, and widget ids differ from later runs
(so the sidebar would forget the language and filters once). :func:`_legacy_pages_mode` detects
that run, and the frame switches to the resolved page (same query string) before drawing anything.
Under AppTest every run is such a run, ids stay consistent, and the switch would swallow button
clicks, so it is skipped there.
"""

from __future__ import annotations

import logging

import duckdb
import streamlit as st
from streamlit import config

from analytics import store
from ui import auth, frame, report, settings, sidebar, state
from ui.i18n import t

log = logging.getLogger("karadar.app")

PAGES: list[tuple[str, str, str, str]] = [
    ("pages/home.py", "nav.home", ":material/home:", "overview"),
    ("pages/key_accounts.py", "nav.key_accounts", ":material/workspace_premium:", "accounts"),
    ("pages/pyramid.py", "nav.pyramid", ":material/change_history:", "tiers"),
    ("pages/rfm.py", "nav.rfm", ":material/grid_view:", "segments"),
    ("pages/churn.py", "nav.churn", ":material/trending_down:", "retention"),
    ("pages/satisfaction.py", "nav.satisfaction", ":material/sentiment_satisfied:", "feedback"),
    ("pages/customer_card.py", "nav.customer_card", ":material/badge:", "customer"),
    ("pages/data_files.py", "nav.data", ":material/upload_file:", "uploads"),
]


def _legacy_pages_mode() -> bool:
    """True if Streamlit runs this script inside its legacy ``pages/`` mode (see module doc)."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # internal module moved: nothing to detect
        return False
    if config.get_option("global.appTest"):
        return False
    return bool(getattr(PagesManager, "uses_pages_directory", False))


def main() -> None:
    """Build the frame and run the current page."""
    legacy = _legacy_pages_mode()
    st.set_page_config(page_title=t("app.page_title"), page_icon=":material/radar:", layout="wide")
    state.init_lang()
    frame.remember_incoming_params()
    settings.restore_from_url()
    pages = [
        st.Page(path, title=t(title), icon=icon, url_path=url, default=i == 0)
        for i, (path, title, icon, url) in enumerate(PAGES)
    ]
    page = st.navigation(pages)  # also ends the legacy mode for the rest of the process
    if legacy:
        st.switch_page(page, query_params={key: st.query_params.get_all(key) for key in st.query_params})
    sidebar.language_switch()
    user = auth.require_user()
    state.set_user(user)
    auth.user_badge(user)
    try:
        state.pin_data_version()  # opens the store on a process's first run; one version for this whole run
    except duckdb.IOException as exc:  # another program (a CLI ingest) holds the file: expected, no traceback
        log.warning("the database cannot be opened: %s", store.first_line(exc))
        st.error(t("error.database"))
        st.stop()
    try:
        sidebar.global_filters()
        sidebar.freshness_badge()
        frame.share_link()
        report_slot = frame.report_slot()
        frame.presentation_controls(pages)
        frame.watch_data()
    except Exception:
        log.exception("the sidebar could not be built")
        st.error(t("error.database"))
        st.stop()
    try:
        if frame.presenting():
            frame.present(page, pages)
        state.show_flash()
        report.start_page()
        try:
            page.run()
        finally:  # also after a page's st.stop()
            settings.publish_to_url()
            frame.report_stale_params()
            frame.report_download(report_slot, page)
    except Exception:
        log.exception("page %s failed", page.url_path or "home")
        st.error(t("error.unexpected"))


main()
