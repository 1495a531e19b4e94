"""The one chart style of the app (Plotly), and the chart builders pages share.

Rules applied by :func:`style` to every figure: a font that renders Chinese ("Noto Sans CJK
SC" first), a title that states the finding, axis titles with units, a unified hover, and a
horizontal legend above the plot. Builders pass numpy arrays to Plotly (not lists) and give
every trace a hover template that names what is shown.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
import plotly.graph_objects as go
import streamlit as st

FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
COLORS = ("#1f5aa6", "#e8743b", "#19a979", "#945ecf", "#13a4b4", "#bf399e")
PLOT_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def plain_text(values: Iterable[object]) -> npt.NDArray[np.object_]:
    """Names from data made inert for Plotly text and hover (which renders ``<b>``, ``<a href>``, …).

    Use it for every customer, product or region name that goes into ``text``, ``customdata``,
    ``hovertext`` or tick labels.
    """
    return np.array([html.escape("" if v is None else str(v), quote=False) for v in values], dtype=object)


def style(
    fig: go.Figure,
    *,
    title: str,
    x_title: str,
    y_title: str,
    y2_title: str | None = None,
    x_tickformat: str | None = None,
    height: int = 420,
) -> go.Figure:
    """Apply the house style to ``fig`` and return it.

    ``title`` states the finding ("2025年销售额 ¥2.26亿，同比 +8.0%"), the axis titles carry the
    unit ("金额（万元）"); ``y2_title`` labels a secondary y axis when the figure has one;
    ``x_tickformat`` is a d3 format for date ticks (see :func:`ui.format.plotly_month_format`).
    """
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        font={"family": FONT_FAMILY, "size": 13},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        colorway=list(COLORS),
        height=height,
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hovermode="x unified",
        bargap=0.25,
    )
    fig.update_xaxes(title_text=x_title)
    if x_tickformat:
        fig.update_xaxes(tickformat=x_tickformat, hoverformat=x_tickformat)
    fig.update_layout(yaxis={"title": {"text": y_title}, "rangemode": "tozero"})
    if y2_title is not None:
        fig.update_layout(
            yaxis2={"title": {"text": y2_title}, "overlaying": "y", "side": "right", "showgrid": False,
                    "rangemode": "tozero"}
        )  # fmt: skip
    return fig


def bar_line(
    x: npt.NDArray[np.datetime64] | npt.NDArray[np.object_],
    bars: npt.NDArray[np.float64],
    line: npt.NDArray[np.float64],
    *,
    bar_name: str,
    line_name: str,
    bar_hover: Sequence[str] | npt.NDArray[np.object_],
    line_hover: Sequence[str] | npt.NDArray[np.object_],
    line_on_secondary_axis: bool = False,
) -> go.Figure:
    """Bars plus a line over the same x (e.g. revenue bars and a profit line per month).

    ``bar_hover``/``line_hover`` are the locale-formatted values shown on hover (``¥1,234.6万``),
    so the hover names the series and shows the number the way the page writes it.
    """
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=x,
            y=np.asarray(bars, dtype=float),
            name=bar_name,
            customdata=np.asarray(bar_hover, dtype=object),
            hovertemplate=f"{bar_name}: %{{customdata}}<extra></extra>",
            marker_color=COLORS[0],
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=np.asarray(line, dtype=float),
            name=line_name,
            mode="lines+markers",
            customdata=np.asarray(line_hover, dtype=object),
            hovertemplate=f"{line_name}: %{{customdata}}<extra></extra>",
            line={"color": COLORS[1], "width": 2.5},
            marker={"size": 5},
            yaxis="y2" if line_on_secondary_axis else "y",
        )
    )
    return fig


def show(fig: go.Figure, *, key: str | None = None) -> None:
    """Render a styled figure full width."""
    st.plotly_chart(fig, config=PLOT_CONFIG, key=key, theme="streamlit")


# --- chart builders of the key accounts page ---

# --- chart builders of the pyramid and RFM pages ---

# --- chart builders of the churn page ---

# --- chart builders of the satisfaction page ---

# --- chart builders of the customer card page ---
