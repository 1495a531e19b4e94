"""Every table of the app: a read-only grid plus CSV and XLSX download buttons.

Values are shown with ``st.dataframe`` (never as Markdown/HTML, so names from data are inert),
at most :data:`MAX_SHOWN_ROWS` of them: the grid ships its whole frame to the browser as one
message (500,000 customers × 10 columns ≈ 40 MB), so a longer table shows its first rows in the
order given and says so, while both downloads keep every row;
a column ``x`` is labelled with the translation key ``col.x`` when the table has one. Downloads come
from :mod:`analytics.export` (UTF-8 BOM CSV, injection-safe XLSX) and are generated only when
a button is clicked.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from analytics import export
from ui import report
from ui.i18n import has, plural_key, t

#: Most rows a grid sends to the browser (about 0.5 MB for 10 columns); downloads have them all.
MAX_SHOWN_ROWS = 5_000


def labelled(df: pd.DataFrame, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Copy of ``df`` with translated column names (explicit ``labels`` win over ``col.*`` keys)."""
    names = {c: (labels or {}).get(c) or (t(f"col.{c}") if has(f"col.{c}") else str(c)) for c in df.columns}
    return df.rename(columns=names)


def show(
    df: pd.DataFrame,
    *,
    key: str,
    file_name: str,
    labels: Mapping[str, str] | None = None,
    column_config: Mapping[str, Any] | None = None,
    height: int | None = None,
) -> None:
    """Show ``df`` read-only with translated headers and two download buttons (CSV, XLSX).

    ``key`` makes the buttons unique on a page; ``file_name`` is the download's stem;
    ``column_config`` is keyed by the *original* column names.
    """
    view = labelled(df, labels)
    renamed = dict(zip(df.columns, view.columns, strict=True))
    config = {renamed.get(c, c): v for c, v in (column_config or {}).items()}
    shown = view.head(MAX_SHOWN_ROWS) if len(view) > MAX_SHOWN_ROWS else view
    st.dataframe(shown, hide_index=True, column_config=config or None, height=height or "auto", placeholder="–")
    report.collect(view)
    left, right, rest = st.columns([1, 1, 4], vertical_alignment="center")
    left.download_button(
        t("table.csv"),
        data=partial(export.to_csv_bytes, view),
        file_name=f"{file_name}.csv",
        mime=export.CSV_MIME,
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    right.download_button(
        t("table.xlsx"),
        data=partial(export.to_xlsx_bytes, view),
        file_name=f"{file_name}.xlsx",
        mime=export.XLSX_MIME,
        key=f"{key}_xlsx",
        on_click="ignore",
        icon=":material/download:",
    )
    if len(df) > MAX_SHOWN_ROWS:
        rest.caption(t("table.rows_shown", shown=f"{MAX_SHOWN_ROWS:,}", n=f"{len(df):,}"))
    else:
        rest.caption(t(plural_key("table.rows", len(df)), n=f"{len(df):,}"))
