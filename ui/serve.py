"""Start the KA Radar server: ``python -m ui.serve [streamlit options]`` (what ``scripts/app.sh`` runs).

The same as ``streamlit run app.py``, with one difference: Streamlit decides on a process's first
session whether ``pages/`` is a legacy multipage folder, before ``app.py`` calls ``st.navigation``.
A first visitor who opens a deep link (``/retention?churn_window=6``) would get a "Page not found"
dialog from that legacy mode. Deciding it here, before the server starts, avoids that; ``app.py``
still copes when started with plain ``streamlit run``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def main() -> None:
    """Run ``streamlit run app.py`` with the remaining command-line options."""
    PagesManager.uses_pages_directory = False  # KA Radar uses st.navigation, never the legacy mode
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
