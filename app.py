"""KA Radar (大客户雷达): the Streamlit frame around every page.

Run with ``streamlit run app.py``. The frame sets up the page, the language switch, the shared
sidebar filters and the data-freshness badge, then runs the page chosen in the navigation.
A page error is logged and shown as one translated sentence, never as a traceback.

To add a page, add one line to :data:`PAGES`: (file, title key in ``ui/i18n.py``, icon, URL path).
The URL path must differ from the file's stem: Streamlit still treats ``pages/`` as a legacy
multipage folder on a process's first run (and on every AppTest run), and a URL equal to a
file stem would run that file without this frame (no sidebar, no error handling).
"""

from __future__ import annotations

import logging

import streamlit as st

from ui import sidebar, state
from ui.i18n import t

log = logging.getLogger("karadar.app")

PAGES: list[tuple[str, str, str, str]] = [
    ("pages/home.py", "nav.home", ":material/home:", "overview"),
    ("pages/data.py", "nav.data", ":material/upload_file:", "uploads"),
]


def main() -> None:
    """Build the frame and run the current page."""
    st.set_page_config(page_title=t("app.page_title"), page_icon=":material/radar:", layout="wide")
    sidebar.language_switch()
    try:
        state.connection()
        sidebar.global_filters()
        sidebar.freshness_badge()
    except Exception:
        log.exception("the sidebar could not be built")
        st.error(t("error.database"))
        st.stop()
    pages = [
        st.Page(path, title=t(title), icon=icon, url_path=url, default=i == 0)
        for i, (path, title, icon, url) in enumerate(PAGES)
    ]
    page = st.navigation(pages)
    try:
        state.show_flash()
        page.run()
    except Exception:
        log.exception("page %s failed", page.url_path or "home")
        st.error(t("error.unexpected"))


main()
