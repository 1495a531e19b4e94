"""Render helpers of the RFM page (RFM 分群): segment names and actions, treemap, R × F heatmap, tables.

The page scores the cached period facts with :func:`analytics.rfm.rfm`; these helpers only label,
format and draw the results (segment codes and action codes are translated here).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import rfm
from ui import charts, tables, url_codes
from ui import format as fmt
from ui.i18n import t

MONEY = st.column_config.NumberColumn(format="%,.0f")  # whole currency units; downloads keep cents
SHARE = st.column_config.NumberColumn(format="percent")
DECIMAL = st.column_config.NumberColumn(format="%.1f")
# st.dataframe row and header height (px): a table of a few rows is shown whole, without a scrollbar
_ROW_PX = 35
SEGMENT_KEY = "rfm_segment"
# the corners of the R × F grid the heatmap title compares (scores ≥ 4 on both, ≤ 2 on both)
_HIGH, _LOW = 4, 2


def _labels(*columns: str) -> dict[str, str]:
    """Column → header from this page's keys ``rfm.col.<column>``."""
    return {column: t(f"rfm.col.{column}") for column in columns}


def _full_height(rows: int) -> int:
    """Height that shows a header and ``rows`` rows of a dataframe without scrolling."""
    return (rows + 1) * _ROW_PX + 3


def segment_label(code: str) -> str:
    """Display name of a segment code (``champions`` → 冠军客户 / Champions)."""
    return t(f"rfm.segment.{code}")


def action_text(code: str) -> str:
    """Suggested action of an action code of :data:`analytics.rfm.ACTIONS`."""
    return t(f"rfm.action.{code}")


def treemap_figure(summary: pd.DataFrame, lang: str, currency: str) -> go.Figure:
    """Segments as tiles sized by customers, shaded by revenue share; title = the top-revenue segment."""
    present = summary.loc[summary["customers"] > 0]
    customers = present["customers"].to_numpy(dtype=np.float64)
    share = present["monetary_share"].to_numpy(dtype=np.float64, na_value=np.nan)
    customer_share = present["customer_share"].to_numpy(dtype=np.float64)
    monetary = present["monetary"].to_numpy(dtype=np.float64)
    names = [segment_label(code) for code in present["segment"]]
    text = [t("rfm.tile", n=fmt.integer(n), share=fmt.percent(s, lang)) for n, s in zip(customers, share, strict=True)]
    hover = [
        t(
            "rfm.tile_hover",
            segment=name,
            n=fmt.integer(n),
            customer_share=fmt.percent(c, lang),
            revenue=fmt.money(m, lang, currency),
            share=fmt.percent(s, lang),
            action=action_text(a),
        )
        for name, n, c, m, s, a in zip(
            names, customers, customer_share, monetary, share, present["action"], strict=True
        )
    ]
    fig = charts.segment_treemap(
        np.asarray(names, dtype=object),
        customers,
        np.nan_to_num(share),
        text=np.asarray(text, dtype=object),
        hover=np.asarray(hover, dtype=object),
        shade_title=t("rfm.revenue_share"),
    )
    best = int(np.nanargmax(share)) if np.isfinite(share).any() else int(np.argmax(customers))
    title = t(
        "rfm.treemap_title",
        segment=names[best],
        n=fmt.integer(customers[best]),
        customer_share=fmt.percent(customer_share[best], lang),
        share=fmt.percent(share[best], lang),
    )
    return charts.style(fig, title=title, x_title="", y_title="", height=460)


def show_segment_table(summary: pd.DataFrame) -> None:
    """Per-segment table (customers, revenue, share, mean R/F/M, suggested action) with download."""
    view = summary.assign(
        segment=[segment_label(code) for code in summary["segment"]],
        action=[action_text(code) for code in summary["action"]],
    )[
        [
            "segment",
            "customers",
            "customer_share",
            "monetary",
            "monetary_share",
            "mean_recency_days",
            "mean_frequency",
            "mean_monetary",
            "action",
        ]
    ]
    tables.show(
        view,
        key="rfm_segments",
        file_name="rfm_segments",
        labels=_labels(
            "segment",
            "customers",
            "customer_share",
            "monetary",
            "monetary_share",
            "mean_recency_days",
            "mean_frequency",
            "mean_monetary",
            "action",
        ),
        column_config={
            "segment": st.column_config.TextColumn(pinned=True),
            "customer_share": SHARE,
            "monetary": MONEY,
            "monetary_share": SHARE,
            "mean_recency_days": DECIMAL,
            "mean_frequency": DECIMAL,
            "mean_monetary": MONEY,
        },
        height=_full_height(len(view)),
    )


def _corner(grid: pd.DataFrame, high: bool) -> int:
    """Customers with both R and F scores ≥ 4 (``high``) or both ≤ 2."""
    r = grid.index.to_numpy()[:, None]
    f = grid.columns.to_numpy()[None, :]
    mask = (r >= _HIGH) & (f >= _HIGH) if high else (r <= _LOW) & (f <= _LOW)
    return int(grid.to_numpy()[mask].sum())


def heatmap_figure(grid: pd.DataFrame, lang: str) -> go.Figure:
    """The 5 × 5 R × F counts (R = 5 on top), each cell named by its segment; title = the two corners."""
    counts = grid.to_numpy(dtype=np.float64)
    cells = [(int(r), int(f)) for r in grid.index for f in grid.columns]
    names = np.array([segment_label(rfm.SEGMENT_GRID[r - 1][f - 1]) for r, f in cells], dtype=object)
    flat = counts.ravel()
    text = np.array([f"{name}<br>{fmt.integer(n)}" for name, n in zip(names, flat, strict=True)], dtype=object)
    hover = np.array(
        [
            t("rfm.cell_hover", r=r, f=f, segment=name, n=fmt.integer(n))
            for (r, f), name, n in zip(cells, names, flat, strict=True)
        ],
        dtype=object,
    )
    shape = counts.shape
    fig = charts.rf_heatmap(
        counts,
        np.asarray([str(f) for f in grid.columns], dtype=object),
        np.asarray([str(r) for r in grid.index], dtype=object),
        text=text.reshape(shape),
        hover=hover.reshape(shape),
        scale_title=t("rfm.customers_unit"),
    )
    total = float(counts.sum())
    high, low = _corner(grid, True), _corner(grid, False)
    title = t(
        "rfm.heatmap_title",
        high=fmt.integer(high),
        high_share=fmt.percent(high / total if total else None, lang),
        low=fmt.integer(low),
        low_share=fmt.percent(low / total if total else None, lang),
    )
    charts.style(fig, title=title, x_title=t("rfm.f_axis"), y_title=t("rfm.r_axis"), height=480)
    return fig.update_layout(hovermode="closest")


def show_grid_table(grid: pd.DataFrame) -> None:
    """The R × F counts as a table (rows R 5 … 1, columns F 1 … 5) with download."""
    view = grid.rename(columns=lambda f: f"F={f}").rename_axis(index="R", columns=None).reset_index()
    tables.show(view, key="rfm_grid", file_name="rfm_r_by_f")


def segment_picker(summary: pd.DataFrame, lang: str) -> str:
    """Segment whose customers to list (the count in each option)."""
    counts = dict(zip(summary["segment"], summary["customers"], strict=True))
    default = rfm.SEGMENTS[0]
    initial = url_codes.prepare(SEGMENT_KEY, rfm.SEGMENTS, default)
    choice = st.selectbox(
        t("rfm.pick_segment"),
        rfm.SEGMENTS,
        index=None if initial is None else rfm.SEGMENTS.index(initial),
        format_func=lambda code: t(
            "rfm.pick_option", lang=lang, segment=t(f"rfm.segment.{code}", lang=lang), n=fmt.integer(counts[code])
        ),  # lang bound: AppTest formats options outside the script run
        key=SEGMENT_KEY,
        persist_state="session",
    )  # not bound to the URL: url_codes keeps the segment code there (labels carry counts)
    return str(choice or default)


def show_segment_customers(scored: pd.DataFrame, facts: pd.DataFrame, segment: str) -> None:
    """Customers of one segment, most revenue first, with region and rep (to hand the list to reps)."""
    chosen = scored.loc[scored["segment"] == segment]
    who = facts[["customer_id", "region", "sales_rep"]]
    view = (
        chosen.merge(who, on="customer_id", how="left")
        .sort_values(["monetary", "customer_id"], ascending=[False, True], kind="mergesort")[
            [
                "customer_name",
                "region",
                "sales_rep",
                "recency_days",
                "frequency",
                "monetary",
                "r_score",
                "f_score",
                "m_score",
                "rfm_cell",
            ]
        ]
        .assign(rfm_cell=lambda v: v["rfm_cell"].astype("str"))
    )
    tables.show(
        view,
        key="rfm_customers",
        file_name=f"rfm_{segment}",
        labels=_labels(
            "customer_name",
            "region",
            "sales_rep",
            "recency_days",
            "frequency",
            "monetary",
            "r_score",
            "f_score",
            "m_score",
            "rfm_cell",
        ),
        column_config={"monetary": MONEY},
    )
