"""Helpers for AppTest page tests: run the real app against a throw-away database."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import store, summary
from analytics.filters import Filters
from ui.i18n import TEXTS

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SAMPLES = ROOT / "tests" / "fixtures" / "samples"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIMEOUT = 90


def label(key: str, lang: str = "zh") -> str:
    """The UI text of ``key`` in ``lang``."""
    return TEXTS[key][lang]


def metric(at: AppTest, key: str, lang: str = "zh") -> str:
    """The shown value of the metric labelled ``key``."""
    values = [m.value for m in at.metric if m.label == label(key, lang)]
    assert values, f"no metric {key!r} among {[m.label for m in at.metric]}"
    return values[0]


def no_errors(at: AppTest) -> None:
    """Neither an exception nor an error box on the page."""
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def kpis_of(db: Path, filters: Filters | None = None) -> summary.Kpis:
    """Headline figures of the database file, computed directly (not through the app)."""
    con = store.connect(db)
    try:
        return summary.kpis(con, filters or Filters())
    finally:
        con.close()


def new_app(db: Path, monkeypatch: pytest.MonkeyPatch, lang: str | None = None) -> AppTest:
    """An AppTest of the whole app (frame + navigation) on ``db``; not run yet."""
    monkeypatch.setenv(store.DB_ENV_VAR, str(db))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    return at


def open_page(db: Path, monkeypatch: pytest.MonkeyPatch, page: str, lang: str | None = None) -> AppTest:
    """Run the app, switch to ``pages/<page>.py`` and return it (run)."""
    at = new_app(db, monkeypatch, lang).run()
    return at.switch_page(f"pages/{page}.py").run()
