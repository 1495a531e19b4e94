"""The meeting report: one self-contained HTML file of what the pages show, readable offline.

While a page runs, :func:`ui.charts.show` and :func:`ui.tables.show` hand every figure and table
they draw to :func:`collect`, in order. The frame then offers the collected view of the current
page as a download (:func:`page_report`); ``python -m analytics report`` runs the pages headless
with Streamlit's AppTest runner and writes the same sections for several pages at once
(:func:`write_report`), so the file shows exactly what the app shows for those settings.

The HTML embeds plotly.js once (``plotly.offline.get_plotlyjs``), so charts stay interactive
without a network. Every text from data is escaped: tables through ``DataFrame.to_html(escape=True)``,
headings and captions through :func:`html.escape`, chart text already by :func:`ui.charts.plain_text`.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from analytics import export, summary
from analytics.filters import Filters
from ui import format as fmt
from ui.i18n import t

ITEMS_KEY = "_report_items"
MAX_TABLE_ROWS = 50
HTML_MIME = "text/html"
PLOT_CONFIG = {"displaylogo": False, "responsive": True}


@dataclass(frozen=True)
class Section:
    """One page of the report: its title, its key figures and what it drew (figures and tables, in order)."""

    title: str
    items: tuple[go.Figure | pd.DataFrame, ...]
    metrics: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Meta:
    """What the report states about itself: language, filters, data dates, when it was made."""

    lang: str
    filters: Filters
    first_date: dt.date | None
    last_date: dt.date | None
    kpis: tuple[tuple[str, str], ...] = ()
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))


def start_page() -> None:
    """Forget what the previous run collected (called by the frame before a page runs)."""
    import streamlit as st

    st.session_state[ITEMS_KEY] = []


def collect(item: go.Figure | pd.DataFrame) -> None:
    """Remember a figure or table the page draws (a no-op outside a Streamlit run)."""
    import streamlit as st

    try:
        items = st.session_state.setdefault(ITEMS_KEY, [])
    except Exception:  # no script run context: plain tests, scripts
        return
    items.append(item)


def collected() -> tuple[go.Figure | pd.DataFrame, ...]:
    """What the current run has collected so far."""
    import streamlit as st

    return tuple(st.session_state.get(ITEMS_KEY, []))


def _filters_text(filters: Filters, lang: str) -> str:
    parts = []
    if filters.date_from or filters.date_to:
        parts.append(t("report.period", lang, start=filters.date_from or "…", end=filters.date_to or "…"))
    for attr in ("regions", "sales_reps", "categories", "channels"):
        values: tuple[str, ...] = getattr(filters, attr)
        if values:
            parts.append(f"{t(f'filters.{attr}', lang)}: {', '.join(values)}")
    return " · ".join(parts) or t("report.no_filters", lang)


def _table_html(frame: pd.DataFrame, lang: str) -> str:
    """A table (first rows) with numbers right-aligned; values escaped and formula-neutralised."""
    shown = frame.head(MAX_TABLE_ROWS).map(export.neutralize)
    body = shown.to_html(index=False, escape=True, na_rep="–", float_format=lambda v: f"{v:,.2f}", border=0)
    note = (
        f'<p class="note">{html.escape(t("report.rows_shown", lang, shown=MAX_TABLE_ROWS, total=len(frame)))}</p>'
        if len(frame) > MAX_TABLE_ROWS
        else ""
    )
    return f'<div class="table">{body}</div>{note}'


def headline_kpis(kpis: summary.Kpis, lang: str, currency: str) -> tuple[tuple[str, str], ...]:
    """The Home page's headline figures as (label, value) pairs in the locale's format."""
    return (
        (t("kpi.revenue", lang), fmt.money(kpis.net_revenue, lang, currency)),
        (t("kpi.profit", lang), fmt.money(kpis.profit, lang, currency)),
        (t("kpi.customers", lang), fmt.integer(kpis.customers, lang)),
        (t("kpi.active", lang), fmt.integer(kpis.active_customers, lang)),
        (t("kpi.transactions", lang), fmt.integer(kpis.transactions, lang)),
    )


def _metrics_html(metrics: Iterable[tuple[str, str]]) -> str:
    cells = "".join(
        f'<div class="kpi"><div class="label">{html.escape(label)}</div>'
        f'<div class="value">{html.escape(value)}</div></div>'
        for label, value in metrics
    )
    return f'<div class="kpis">{cells}</div>' if cells else ""


def _figure_html(fig: go.Figure) -> str:
    # Streamlit grows the margins to fit tick labels; a bare plotly.js page needs automargin for that
    shown = go.Figure(fig).update_xaxes(automargin=True).update_yaxes(automargin=True)
    return pio.to_html(shown, full_html=False, include_plotlyjs=False, config=PLOT_CONFIG, default_width="100%")


_CSS = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2rem auto; max-width: 1200px; color: #262730; padding: 0 1rem; }
h1 { font-size: 2rem; margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #B4232A; }
.meta { color: #666; font-size: .9rem; } .note { color: #888; font-size: .8rem; }
.table { overflow-x: auto; } table { border-collapse: collapse; font-size: .85rem; margin: .8rem 0; }
th, td { padding: .3rem .6rem; border-bottom: 1px solid #e6e6e6; text-align: left; }
td { font-variant-numeric: tabular-nums; }
.figure { margin: 1rem 0 2rem; }
.kpis { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
.kpi { border: 1px solid #e6e6e6; border-radius: .5rem; padding: .6rem 1rem; min-width: 10rem; }
.kpi .label { color: #666; font-size: .85rem; } .kpi .value { font-size: 1.6rem; }
"""


def render(sections: Sequence[Section], meta: Meta) -> str:
    """The whole report as one HTML document (plotly.js inline once)."""
    lang = meta.lang
    generated = t("report.generated", lang, when=meta.generated_at.isoformat(sep=" "))
    data_dates = t("report.data_dates", lang, first=meta.first_date or "–", last=meta.last_date or "–")
    filters = f"{t('report.filters', lang)}: {_filters_text(meta.filters, lang)}"
    parts = [
        f"<h1>{html.escape(t('report.title', lang))}</h1>",
        f'<p class="meta">{html.escape(generated)} · {html.escape(data_dates)}</p>',
        f'<p class="meta">{html.escape(filters)}</p>',
        _metrics_html(meta.kpis),
    ]
    for section in sections:
        parts.append(f"<h2>{html.escape(section.title)}</h2>")
        parts.append(_metrics_html(section.metrics))
        for item in section.items:
            if isinstance(item, go.Figure):
                parts.append(f'<div class="figure">{_figure_html(item)}</div>')
            else:
                parts.append(_table_html(item, lang))
    return (
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
        f"<title>{html.escape(t('report.title', lang))}</title><style>{_CSS}</style>"
        f'<script type="text/javascript">{get_plotlyjs()}</script></head>'
        f"<body>{''.join(parts)}</body></html>"
    )


def page_report(title: str, items: Iterable[go.Figure | pd.DataFrame], meta: Meta) -> bytes:
    """The report of one page as UTF-8 bytes (for the frame's download button)."""
    return render([Section(title, tuple(items))], meta).encode("utf-8")


def write_report(
    out: str | os.PathLike[str],
    db: str | os.PathLike[str],
    *,
    pages: Sequence[str],
    query: dict[str, list[str]],
    lang: str,
    filters: Filters,
    first_date: dt.date | None,
    last_date: dt.date | None,
    kpis: tuple[tuple[str, str], ...] = (),
) -> list[str]:
    """Run ``pages`` (file stems under ``pages/``) headless on ``db`` with ``query`` and write the report.

    Returns the page titles written. A page that fails is reported in the file as such (its
    title with a note) instead of stopping the report.
    """
    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parent.parent
    sections: list[Section] = []
    previous = os.environ.get("KARADAR_DB")
    os.environ["KARADAR_DB"] = str(db)
    try:
        for stem in pages:
            at = AppTest.from_file(str(root / "app.py"), default_timeout=300)
            for key, values in {**query, "lang": [lang]}.items():
                at.query_params[key] = values
            at.run()
            at.switch_page(f"pages/{stem}.py").run()
            title = at.title[0].value if at.title else stem
            try:
                items: tuple[Any, ...] = tuple(at.session_state[ITEMS_KEY])
            except KeyError:  # the page stopped before drawing anything
                items = ()
            if at.exception:
                items = (pd.DataFrame({t("report.failed", lang): [e.message for e in at.exception]}),)
            metrics = tuple((str(m.label), str(m.value)) for m in at.main.metric)
            sections.append(Section(title, items, metrics))
    finally:
        if previous is None:
            os.environ.pop("KARADAR_DB", None)
        else:
            os.environ["KARADAR_DB"] = previous
    Path(out).write_text(render(sections, Meta(lang, filters, first_date, last_date, kpis)), encoding="utf-8")
    return [s.title for s in sections]
