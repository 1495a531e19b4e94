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

from ui import report

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
    In presentation mode (``?present=1``) text and height are larger, for a projector.
    """
    big = bool(st.session_state.get("present"))
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 26 if big else 18}},
        font={"family": FONT_FAMILY, "size": 17 if big else 13},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        colorway=list(COLORS),
        height=int(height * 1.25) if big else height,
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
    """Render a styled figure full width (and hand it to the meeting report)."""
    st.plotly_chart(fig, config=PLOT_CONFIG, key=key, theme="streamlit")
    report.collect(fig)


# --- chart builders of the key accounts page ---

#: Most points one trace draws: more than a screen can show, few enough to keep the browser fast.
MAX_POINTS = 2_000
_BARS_UP_TO = 60  # Pareto chart: bars for this many units or fewer, an area above (pareto_chart)
ABC_BAND_COLORS = {"A": COLORS[2], "B": COLORS[4], "C": "#9aa5b1"}
_SHARE_AXIS = {"tickformat": ".0%", "range": [0, 1.04], "dtick": 0.2}
_SHARE_X_AXIS = {**_SHARE_AXIS, "range": [0, 1.005]}  # the 100% tick, no empty strip after it
_HEADROOM = 1.15


def sample_indices(n: int, keep: Iterable[int] = (), max_points: int = MAX_POINTS) -> npt.NDArray[np.intp]:
    """Positions of a ranked curve of ``n`` points to draw: all of them, or at most ``max_points``.

    A longer curve keeps its head exactly (the largest units, where a Pareto curve bends), then
    evenly spaced points; both ends and every position in ``keep`` (cutoff crossings, a peak)
    are always exact. Sorted, unique.
    """
    if n <= max_points:
        return np.arange(n, dtype=np.intp)
    fixed = np.union1d([0, n - 1], np.clip(np.fromiter(keep, dtype=np.intp), 0, n - 1))
    budget = max(max_points - len(fixed), 2)
    head = budget // 2
    spaced = np.round(np.linspace(head, n - 1, budget - head)).astype(np.intp)
    return np.union1d(np.union1d(np.arange(head, dtype=np.intp), spaced), fixed)


def pareto_chart(
    ranks: npt.NDArray[np.int64],
    revenue: npt.NDArray[np.float64],
    cum_share: npt.NDArray[np.float64],
    *,
    bar_name: str,
    line_name: str,
    bar_hover: npt.NDArray[np.object_],
    line_hover: npt.NDArray[np.object_],
    bands: Sequence[tuple[str, float, float, str]],
    cutoffs: Sequence[tuple[float, str]],
    marker: tuple[float, str] | None = None,
    tick_names: npt.NDArray[np.object_] | None = None,
) -> go.Figure:
    """Pareto chart: revenue by rank (bars), cumulative share line on a secondary axis.

    ``ranks`` (1-based) are the drawn units, ``revenue`` their value in axis units. Up to
    :data:`_BARS_UP_TO` units are bars; more are drawn as one step-shaped area, where each drawn
    rank holds its height up to the next drawn rank (a downsampled curve keeps its silhouette).
    The area looks the same as 2,000 sub-pixel bars and costs the browser one SVG path instead of
    2,000 (a slider move on the demo's Key accounts page: ~470 → ~300 ms of Chromium CPU).
    ``bands`` = (class, first rank − ½, last rank + ½, label) shaded per ABC class;
    ``cutoffs`` = (share, label) are dashed lines on the share axis; ``marker`` = (x, label) is a
    vertical line (the top-X% point); ``tick_names`` label the ranks when there are few units.
    """
    x = np.asarray(ranks, dtype=np.float64)
    many = len(x) > _BARS_UP_TO
    fig = go.Figure()
    if many:  # one step-shaped area: each drawn rank's height up to the next drawn rank
        revenue_trace = go.Scatter(
            mode="lines", line={"shape": "hv", "width": 0, "color": COLORS[0]}, fill="tozeroy", fillcolor=COLORS[0]
        )
    else:
        revenue_trace = go.Bar(marker_color=COLORS[0], marker_line_width=0)
    fig.add_trace(
        revenue_trace.update(
            x=x,
            y=np.asarray(revenue, dtype=float),
            name=bar_name,
            customdata=bar_hover,
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=np.asarray(cum_share, dtype=float),
            name=line_name,
            mode="lines" if many else "lines+markers",
            customdata=line_hover,
            hovertemplate=f"{line_name}: %{{customdata}}<extra></extra>",
            line={"color": COLORS[1], "width": 2.5},
            yaxis="y2",
        )
    )
    # shapes and labels set in one layout update (add_vrect/add_vline cost ~15 ms each)
    shapes: list[dict[str, object]] = []
    notes: list[dict[str, object]] = []
    for cls, x0, x1, label in bands:
        if x1 > x0:
            shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
                           "fillcolor": ABC_BAND_COLORS.get(cls, COLORS[3]), "opacity": 0.12, "line": {"width": 0},
                           "layer": "below"})  # fmt: skip
            notes.append({"xref": "x", "yref": "paper", "x": x0, "y": 1, "text": label, "showarrow": False,
                          "xanchor": "left", "yanchor": "top"})  # fmt: skip
    for cut, label in cutoffs:
        shapes.append({"type": "line", "xref": "paper", "yref": "y2", "x0": 0, "x1": 1, "y0": cut, "y1": cut,
                       "line": {"color": COLORS[1], "width": 1, "dash": "dash"}})  # fmt: skip
        notes.append({"xref": "paper", "yref": "y2", "x": 1, "y": cut, "text": label, "showarrow": False,
                      "xanchor": "right", "yanchor": "top", "font": {"color": COLORS[1]}})  # fmt: skip
    if marker is not None:  # a row below the band labels, on a veil so bars do not hide it
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": marker[0], "x1": marker[0], "y0": 0,
                       "y1": 1, "line": {"width": 1, "dash": "dot"}})  # fmt: skip
        notes.append({"xref": "x", "yref": "paper", "x": marker[0], "y": 1, "text": marker[1], "showarrow": False,
                      "xanchor": "left", "yanchor": "top", "yshift": -22,
                      "bgcolor": "rgba(255, 255, 255, 0.75)"})  # fmt: skip
    # headroom above the tallest bar and the 100% end of the line for the band labels
    top = float(np.nanmax(revenue)) if len(x) else 1.0
    fig.update_layout(
        shapes=shapes,
        annotations=notes,
        yaxis={"range": [0, top * _HEADROOM]},
        yaxis2={**_SHARE_AXIS, "range": [0, _HEADROOM]},
    )
    if tick_names is not None:
        fig.update_xaxes(tickmode="array", tickvals=x, ticktext=tick_names)
    return fig


def lorenz_chart(
    customer_share: npt.NDArray[np.float64],
    revenue_share: npt.NDArray[np.float64],
    *,
    curve_name: str,
    equality_name: str,
    hover: npt.NDArray[np.object_],
) -> go.Figure:
    """Lorenz curve against the equality diagonal, the area between them (the Gini) shaded."""
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=np.array([0.0, 1.0]), y=np.array([0.0, 1.0]), name=equality_name, mode="lines",
            line={"color": "#9aa5b1", "dash": "dash", "width": 1.5}, hoverinfo="skip",
        )
    )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=np.asarray(customer_share, dtype=float),
            y=np.asarray(revenue_share, dtype=float),
            name=curve_name,
            mode="lines",
            fill="tonexty",
            fillcolor="rgba(31, 90, 166, 0.12)",
            line={"color": COLORS[0], "width": 2.5},
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    fig.update_xaxes(_SHARE_X_AXIS)
    fig.update_layout(yaxis=_SHARE_AXIS)
    return fig


def whale_chart(
    customer_share: npt.NDArray[np.float64],
    profit_share: npt.NDArray[np.float64],
    *,
    curve_name: str,
    hover: npt.NDArray[np.object_],
    peak: tuple[float, float, str],
    total_label: str,
    loss_zone: tuple[float, str] | None,
) -> go.Figure:
    """Profit whale curve: cumulative profit share over customers ranked by profit.

    ``peak`` = (x, y, label) marks the top of the hump; ``total_label`` names the 100% line;
    ``loss_zone`` = (first x of the loss-making customers, label) shades the unprofitable tail.
    """
    x = np.concatenate([[0.0], np.asarray(customer_share, dtype=float)])
    y = np.concatenate([[0.0], np.asarray(profit_share, dtype=float)])
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            name=curve_name,
            mode="lines",
            line={"color": COLORS[0], "width": 2.5},
            customdata=np.concatenate([np.array([""], dtype=object), hover]),
            hovertemplate="%{customdata}<extra></extra>",
        )
    )
    fig.add_hline(y=1.0, line_width=1, line_dash="dash", annotation_text=total_label,
                  annotation_position="bottom right")  # fmt: skip
    if loss_zone is not None:
        fig.add_vrect(
            x0=loss_zone[0], x1=1.0, fillcolor=COLORS[5], opacity=0.08, line_width=0, layer="below",
            annotation_text=loss_zone[1], annotation_position="bottom left",
        )  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=np.array([peak[0]]), y=np.array([peak[1]]), mode="markers+text", text=np.array([peak[2]]),
            textposition="top center", marker={"color": COLORS[1], "size": 10}, showlegend=False,
            hoverinfo="skip",
        )
    )  # fmt: skip
    top = max(1.05, float(np.nanmax(y)) * _HEADROOM)
    fig.update_xaxes(_SHARE_X_AXIS)
    fig.update_layout(yaxis={"tickformat": ".0%", "range": [min(0.0, float(np.nanmin(y))), top]})
    return fig


# --- chart builders of the pyramid and RFM pages ---

#: Tier colours, best tier darkest (the pyramid's Sankey nodes and rows share them).
TIER_COLORS = ("#0b3d91", "#1f5aa6", "#4a86c8", "#86b2e0", "#b9d1ec")
#: Colour of a Sankey flow by movement code (see :data:`analytics.tiers.MOVEMENTS`).
MOVEMENT_COLORS = {"up": COLORS[2], "same": "#aab2bd", "down": COLORS[1], "new": COLORS[4], "lost": COLORS[5]}


def _translucent(hex_color: str, alpha: float) -> str:
    """``#rrggbb`` as an ``rgba(...)`` string (translucent Sankey flows)."""
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def tier_pyramid(
    rows: npt.NDArray[np.object_],
    left: npt.NDArray[np.float64],
    right: npt.NDArray[np.float64],
    *,
    left_name: str,
    right_name: str,
    left_text: npt.NDArray[np.object_],
    right_text: npt.NDArray[np.object_],
) -> go.Figure:
    """Centred horizontal bars, first row on top: ``left`` shares grow left, ``right`` shares right.

    The customer pyramid: customer share per tier against revenue share per tier (both 0–1).
    ``left_text``/``right_text`` label the bar ends and the hover (``6 家 · 0.4%``); x ticks show
    absolute percentages on both sides. Style with :func:`style`, then use a ``y unified`` hover.
    """
    left = np.nan_to_num(np.asarray(left, dtype=np.float64))
    right = np.nan_to_num(np.asarray(right, dtype=np.float64))
    fig = go.Figure()
    sides = ((-left, left_name, left_text, COLORS[0]), (right, right_name, right_text, COLORS[1]))
    for values, name, text, color in sides:
        fig.add_trace(
            go.Bar(
                y=rows,
                x=values,
                orientation="h",
                name=name,
                text=text,
                textposition="outside",
                cliponaxis=False,
                customdata=text,
                hovertemplate=f"{name}: %{{customdata}}<extra></extra>",
                marker_color=color,
            )
        )
    reach = max(float(np.max(np.abs(left), initial=0.0)), float(np.max(right, initial=0.0)), 0.05)
    step = 0.1 if reach <= 0.5 else 0.25
    ticks = np.arange(step, reach + step / 2, step)
    tickvals = np.concatenate([-ticks[::-1], [0.0], ticks])
    fig.update_layout(barmode="relative")
    fig.update_xaxes(
        range=[-reach * 1.6, reach * 1.6],
        tickvals=tickvals,
        ticktext=np.array([f"{abs(v) * 100:.0f}%" for v in tickvals], dtype=object),
        zeroline=True,
    )
    fig.update_yaxes(autorange="reversed", type="category")
    return fig


def migration_sankey(
    node_labels: npt.NDArray[np.object_],
    node_x: npt.NDArray[np.float64],
    node_y: npt.NDArray[np.float64],
    node_colors: Sequence[str],
    node_hover: npt.NDArray[np.object_],
    links: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]],
    link_colors: Sequence[str],
    link_hover: npt.NDArray[np.object_],
    *,
    column_titles: tuple[str, str],
    legend: Sequence[tuple[str, str]],
) -> go.Figure:
    """A two-column Sankey with fixed node positions (``node_x``/``node_y`` in 0–1, y = centre).

    ``links`` = (source node, target node, value); ``link_colors`` are ``#rrggbb`` (drawn
    translucent); hovers are ready-made texts (names already passed through :func:`plain_text`).
    ``column_titles`` head the left and right columns; ``legend`` = (name, colour) pairs of the
    flow colours, written as a key between the two titles (a Sankey has no legend of its own).
    Node labels are written outside the two columns (left of the left nodes, right of the right
    ones), where no flow crosses them.
    """
    source, target, value = links
    left, right, top = 0.14, 0.86, 0.9  # the Sankey's domain: room for labels, titles and the key
    fig = go.Figure(
        go.Sankey(
            arrangement="fixed",
            domain={"x": [left, right], "y": [0.0, top]},
            node={
                "label": np.full(len(node_labels), "", dtype=object),
                "x": np.asarray(node_x, dtype=np.float64),
                "y": np.asarray(node_y, dtype=np.float64),
                "color": np.asarray(node_colors, dtype=object),
                "pad": 14,
                "thickness": 18,
                "customdata": node_hover,
                "hovertemplate": "%{customdata}<extra></extra>",
            },
            link={
                "source": np.asarray(source, dtype=np.int64),
                "target": np.asarray(target, dtype=np.int64),
                "value": np.asarray(value, dtype=np.float64),
                "color": np.asarray([_translucent(c, 0.45) for c in link_colors], dtype=object),
                "customdata": link_hover,
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    for label, x, y in zip(node_labels, node_x, node_y, strict=True):
        on_left = x < 0.5
        fig.add_annotation(
            text=label,
            x=left - 0.01 if on_left else right + 0.01,
            y=top * (1.0 - y),
            xref="paper",
            yref="paper",
            xanchor="right" if on_left else "left",
            yanchor="middle",
            showarrow=False,
        )
    key = "   ".join(f'<span style="color:{color}">■</span> {html.escape(name)}' for name, color in legend)
    titles = (
        (f"<b>{column_titles[0]}</b>", left, "right"),
        (key, 0.5, "center"),
        (f"<b>{column_titles[1]}</b>", right, "left"),
    )
    for text, x, anchor in titles:
        fig.add_annotation(
            text=text, x=x, y=0.97, xref="paper", yref="paper", xanchor=anchor, yanchor="middle", showarrow=False
        )
    return fig


def sankey_positions(sizes: npt.NDArray[np.float64], total: float, gap: float = 0.05) -> npt.NDArray[np.float64]:
    """Centres (0–1, top down) of Sankey nodes stacked in one column with ``gap`` between them.

    ``total`` is the column's full size (the same for both columns of a migration, so node
    heights compare); sizes share ``1 − gap × (k − 1)`` of the height.
    """
    sizes = np.asarray(sizes, dtype=np.float64)
    if sizes.size == 0 or total <= 0:
        return np.empty(0, dtype=np.float64)
    room = max(1.0 - gap * (sizes.size - 1), 0.1)
    heights = sizes / total * room
    tops = np.concatenate([[0.0], np.cumsum(heights)[:-1]]) + gap * np.arange(sizes.size)
    return np.clip(tops + heights / 2, 0.001, 0.999)


def segment_treemap(
    labels: npt.NDArray[np.object_],
    sizes: npt.NDArray[np.float64],
    shades: npt.NDArray[np.float64],
    *,
    text: npt.NDArray[np.object_],
    hover: npt.NDArray[np.object_],
    shade_title: str,
) -> go.Figure:
    """Flat treemap: tiles sized by ``sizes``, shaded by ``shades`` (a 0–1 share, colour bar in %).

    ``text`` is drawn under each tile's label; ``hover`` is the full hover text per tile. The
    tiles hang under one explicit, unlabelled root without padding: Plotly draws the implicit
    root of several top-level tiles as a dark frame.
    """
    sizes = np.asarray(sizes, dtype=np.float64)
    root = "\u0000root"  # an id no label can clash with
    return go.Figure(
        go.Treemap(
            ids=np.concatenate([[root], labels]).astype(object),
            labels=np.concatenate([[""], labels]).astype(object),
            parents=np.concatenate([[""], np.full(len(labels), root, dtype=object)]).astype(object),
            values=np.concatenate([[sizes.sum()], sizes]),
            branchvalues="total",
            text=np.concatenate([[""], text]).astype(object),
            customdata=np.concatenate([[""], hover]).astype(object),
            texttemplate="<b>%{label}</b><br>%{text}",
            hovertemplate="%{customdata}<extra></extra>",
            marker={
                "colors": np.concatenate([[0.0], np.asarray(shades, dtype=np.float64)]),
                "colorscale": "Blues",
                "cmin": 0.0,
                "colorbar": {"title": {"text": shade_title}, "tickformat": ".0%"},
                "pad": {"t": 0, "l": 0, "r": 0, "b": 0},
            },
            tiling={"pad": 2},
            pathbar={"visible": False},
        )
    )


def rf_heatmap(
    z: npt.NDArray[np.float64],
    x: npt.NDArray[np.object_],
    y: npt.NDArray[np.object_],
    *,
    text: npt.NDArray[np.object_],
    hover: npt.NDArray[np.object_],
    scale_title: str,
) -> go.Figure:
    """A count heatmap, first row of ``z`` on top; ``text`` is written in each cell, ``hover`` on hover."""
    fig = go.Figure(
        go.Heatmap(
            z=np.asarray(z, dtype=np.float64),
            x=x,
            y=y,
            text=text,
            texttemplate="%{text}",
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale="Blues",
            zmin=0.0,
            colorbar={"title": {"text": scale_title}},
            xgap=2,
            ygap=2,
        )
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(type="category", autorange="reversed")
    return fig


# --- chart builders of the churn page ---


def _mark_date(fig: go.Figure, day: object, label: str) -> None:
    """A dashed vertical line at a date with a label at the top (``add_vline`` mishandles dates)."""
    fig.add_shape(type="line", x0=day, x1=day, y0=0, y1=1, yref="paper", line={"dash": "dash", "width": 1})
    fig.add_annotation(x=day, y=1, yref="paper", text=label, showarrow=False, xanchor="left", yanchor="top")


def share_line(
    x: npt.NDArray[np.datetime64],
    shares: npt.NDArray[np.float64],
    *,
    name: str,
    hover: npt.NDArray[np.object_],
) -> go.Figure:
    """One line of shares (0–1, shown in %) over time, e.g. the churn rate at each month end."""
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=np.asarray(shares, dtype=float),
            name=name,
            mode="lines+markers",
            customdata=np.asarray(hover, dtype=object),
            hovertemplate=f"{name}: %{{customdata}}<extra></extra>",
            line={"color": COLORS[1], "width": 2.5},
            marker={"size": 6},
        )
    )
    fig.update_yaxes(tickformat=".0%")
    return fig


def share_bars(
    labels: npt.NDArray[np.object_],
    shares: npt.NDArray[np.float64],
    *,
    name: str,
    text: npt.NDArray[np.object_],
    hover: npt.NDArray[np.object_],
    reference: float | None = None,
    reference_name: str = "",
) -> go.Figure:
    """Horizontal bars of shares per group (first label on top) with an optional reference line.

    ``labels`` and ``hover`` must already be plain text (:func:`plain_text`); the reference is
    e.g. the overall churn rate the groups are compared with. Call :func:`point_hover` after
    :func:`style`: the unified x hover of the house style does not suit horizontal bars.
    """
    fig = go.Figure(
        go.Bar(
            x=np.asarray(shares, dtype=float),
            y=labels,
            orientation="h",
            name=name,
            text=np.asarray(text, dtype=object),
            textposition="outside",
            cliponaxis=False,
            customdata=np.asarray(hover, dtype=object),
            hovertemplate="%{customdata}<extra></extra>",
            marker_color=COLORS[0],
        )
    )
    if reference is not None:
        fig.add_vline(
            x=reference,
            line={"dash": "dash", "width": 1.5, "color": COLORS[1]},
            annotation_text=reference_name,
            annotation_position="top",
        )
    # room on the right for the text outside the longest bar
    largest = float(np.nanmax(np.append(np.asarray(shares, dtype=float), reference or 0.0)))
    fig.update_xaxes(tickformat=".0%", range=[0.0, max(largest, 0.01) * 1.3])
    fig.update_yaxes(autorange="reversed", type="category")
    return fig


def point_hover(fig: go.Figure) -> go.Figure:
    """Hover on the point under the cursor (heatmaps, horizontal bars) instead of the unified x hover."""
    fig.update_layout(hovermode="closest")
    return fig


def share_heatmap(
    rows: npt.NDArray[np.object_],
    columns: npt.NDArray[np.object_],
    shares: npt.NDArray[np.float64],
    *,
    hover: npt.NDArray[np.object_],
) -> go.Figure:
    """A heatmap of retention shares (0–1) with the % in each cell; NaN cells stay empty.

    ``rows`` label the y axis top to bottom (plain text), ``columns`` the x axis (months since
    acquisition, the first being month 0); ``hover`` has the shape of ``shares``. Call
    :func:`point_hover` after :func:`style`.
    """
    z = np.asarray(shares, dtype=float)
    # month 0 is 100% by construction: scale the colours to the other months so they differ visibly
    later = z[:, 1:] if z.shape[1] > 1 else z
    top = float(np.nanmax(later)) if np.any(~np.isnan(later)) else 1.0
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=columns,
            y=rows,
            zmin=0.0,
            zmax=max(top, 0.01),
            colorscale=[[0.0, "#f3f6fb"], [1.0, COLORS[0]]],
            texttemplate="%{z:.0%}",
            customdata=np.asarray(hover, dtype=object),
            hovertemplate="%{customdata}<extra></extra>",
            xgap=1,
            ygap=1,
            colorbar={"tickformat": ".0%", "thickness": 12},
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top")
    return fig


def paired_bars(
    x: npt.NDArray[np.object_],
    first: npt.NDArray[np.float64],
    second: npt.NDArray[np.float64],
    *,
    names: tuple[str, str],
    hovers: tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]],
) -> go.Figure:
    """Two bars side by side per x category (e.g. actual vs predicted per frequency group)."""
    fig = go.Figure()
    for values, name, hover, color in zip((first, second), names, hovers, COLORS[:2], strict=True):
        fig.add_trace(
            go.Bar(
                x=x,
                y=np.asarray(values, dtype=float),
                name=name,
                customdata=np.asarray(hover, dtype=object),
                hovertemplate=f"{name}: %{{customdata}}<extra></extra>",
                marker_color=color,
            )
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    return fig


def paired_lines(
    x: npt.NDArray[np.datetime64],
    first: npt.NDArray[np.float64],
    second: npt.NDArray[np.float64],
    *,
    names: tuple[str, str],
    hovers: tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]],
    mark: object | None = None,
    mark_label: str = "",
) -> go.Figure:
    """Two lines over the same dates (actual solid, predicted dashed) and an optional marked date."""
    fig = go.Figure()
    for values, name, hover, color, dash in zip(
        (first, second), names, hovers, COLORS[:2], ("solid", "dash"), strict=True
    ):
        fig.add_trace(
            go.Scatter(
                x=x,
                y=np.asarray(values, dtype=float),
                name=name,
                mode="lines",
                customdata=np.asarray(hover, dtype=object),
                hovertemplate=f"{name}: %{{customdata}}<extra></extra>",
                line={"color": color, "width": 2.5, "dash": dash},
            )
        )
    if mark is not None:
        _mark_date(fig, mark, mark_label)
    return fig


# --- chart builders of the satisfaction page ---

NEUTRAL_GREY = "#9aa3b0"
# quadrant code → colour: attention (orange) where importance is high and performance low
QUADRANT_COLORS = {
    "concentrate_here": COLORS[1],
    "keep_up": COLORS[2],
    "low_priority": NEUTRAL_GREY,
    "possible_overkill": COLORS[0],
}
# quadrant code → (x, y) corner of the plot area (paper coordinates) where its label goes
_QUADRANT_CORNERS = {
    "concentrate_here": (0.0, 1.0),
    "keep_up": (1.0, 1.0),
    "low_priority": (0.0, 0.0),
    "possible_overkill": (1.0, 0.0),
}


def score_bars(
    x: npt.NDArray[np.object_],
    values: npt.NDArray[np.float64],
    *,
    name: str,
    hover: npt.NDArray[np.object_],
    text: npt.NDArray[np.object_] | None = None,
    highlight: npt.NDArray[np.bool_] | None = None,
) -> go.Figure:
    """Bars per score (or per group) on a category axis, ``text`` above them; ``highlight`` bars in green.

    E.g. responses per score with the top-2 box highlighted, or the mean score before and after.
    """
    marked = np.zeros(len(x), dtype=bool) if highlight is None else np.asarray(highlight, dtype=bool)
    fig = go.Figure(
        go.Bar(
            x=x,
            y=np.asarray(values, dtype=float),
            name=name,
            text=None if text is None else np.asarray(text, dtype=object),
            textposition="outside",
            cliponaxis=False,
            customdata=np.asarray(hover, dtype=object),
            hovertemplate=f"{name}: %{{customdata}}<extra></extra>",
            marker_color=np.where(marked, COLORS[2], COLORS[0]).astype(object),
        )
    )
    fig.update_xaxes(type="category")
    return fig


def nps_stacked(
    x: npt.NDArray[np.object_],
    shares: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]],
    *,
    names: tuple[str, str, str],
    hovers: tuple[npt.NDArray[np.object_], npt.NDArray[np.object_], npt.NDArray[np.object_]],
    labels: npt.NDArray[np.object_],
) -> go.Figure:
    """Promoter / passive / detractor shares (in %, summing to 100) stacked per x, ``labels`` (the NPS) on top."""
    fig = go.Figure()
    for values, name, hover, color in zip(shares, names, hovers, (COLORS[2], NEUTRAL_GREY, COLORS[1]), strict=True):
        fig.add_trace(
            go.Bar(
                x=x,
                y=np.asarray(values, dtype=float),
                name=name,
                customdata=np.asarray(hover, dtype=object),
                hovertemplate=f"{name}: %{{customdata}}<extra></extra>",
                marker_color=color,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=np.full(len(x), 100.0),
            mode="text",
            text=np.asarray(labels, dtype=object),
            textposition="top center",
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[0, 112], dtick=20)
    return fig


def fixed_secondary_axis(fig: go.Figure, low: float, high: float, dtick: float) -> go.Figure:
    """Give the secondary y axis a fixed range and tick step (a score scale, 0–100 %); call after :func:`style`."""
    fig.update_layout(yaxis2={"range": [low, high], "tickmode": "linear", "tick0": low, "dtick": dtick})
    return fig


def sparse_ticks(fig: go.Figure, labels: npt.NDArray[np.object_], most: int) -> go.Figure:
    """Label at most ``most`` evenly spaced categories of the x axis (keeps month labels readable)."""
    step = max(1, -(-len(labels) // most))
    fig.update_xaxes(tickmode="array", tickvals=labels[::step], ticktext=labels[::step])
    return fig


def _padded(values: npt.NDArray[np.float64], share: float = 0.12) -> list[float]:
    """Axis range around ``values`` with ``share`` of the span (at least a small step) on each side."""
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    pad = max((high - low) * share, 0.05 * max(abs(high), 1.0))
    return [low - pad, high + pad]


def importance_performance(
    performance: npt.NDArray[np.float64],
    importance: npt.NDArray[np.float64],
    *,
    names: npt.NDArray[np.object_],
    hover: npt.NDArray[np.object_],
    quadrants: npt.NDArray[np.object_],
    quadrant_labels: dict[str, str],
    performance_line: float,
    importance_line: float,
) -> go.Figure:
    """Importance–performance quadrant (Martilla & James 1977): one labelled point per dimension.

    Dashed lines at the mean performance and importance split the plot; each corner carries its
    quadrant's label (``quadrant_labels``: code → text). ``names`` and ``hover`` must be plain
    text (:func:`plain_text`). Call :func:`point_hover` after :func:`style`.
    """
    x = np.asarray(performance, dtype=float)
    y = np.asarray(importance, dtype=float)
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=y,
            mode="markers+text",
            text=names,
            # labels point away from the nearest corner label: below in the top half, above in the bottom half
            textposition=np.where(y >= importance_line, "bottom center", "top center").astype(object),
            customdata=np.asarray(hover, dtype=object),
            hovertemplate="%{customdata}<extra></extra>",
            marker={
                "size": 16,
                "color": np.array([QUADRANT_COLORS.get(str(q), NEUTRAL_GREY) for q in quadrants], dtype=object),
                "line": {"width": 1, "color": "white"},
            },
            showlegend=False,
        )
    )
    for line in ({"x0": performance_line, "x1": performance_line, "y0": 0, "y1": 1, "yref": "paper"},
                 {"y0": importance_line, "y1": importance_line, "x0": 0, "x1": 1, "xref": "paper"}):  # fmt: skip
        fig.add_shape(type="line", line={"dash": "dash", "width": 1.2, "color": NEUTRAL_GREY}, **line)
    for code, (corner_x, corner_y) in _QUADRANT_CORNERS.items():
        fig.add_annotation(
            x=corner_x,
            y=corner_y,
            xref="paper",
            yref="paper",
            text=quadrant_labels.get(code, code),
            showarrow=False,
            xanchor="left" if corner_x == 0 else "right",
            yanchor="top" if corner_y == 1 else "bottom",
            font={"color": QUADRANT_COLORS[code], "size": 14},
        )
    fig.update_xaxes(range=_padded(np.append(x, performance_line)), zeroline=False)
    fig.update_yaxes(range=_padded(np.append(y, [importance_line, 0.0]), 0.18), zeroline=False)
    return fig


# --- chart builders of the customer card page ---


def product_bars(
    labels: npt.NDArray[np.object_],
    values: npt.NDArray[np.float64],
    *,
    name: str,
    text: npt.NDArray[np.object_],
    hover: npt.NDArray[np.object_],
) -> go.Figure:
    """Horizontal bars of money per product, biggest on top (one customer's products).

    ``labels`` and ``hover`` must already be plain text (:func:`plain_text`); ``text`` is the
    share written at the end of each bar. Call :func:`point_hover` after :func:`style`.
    """
    fig = go.Figure(
        go.Bar(
            x=np.asarray(values, dtype=float),
            y=labels,
            orientation="h",
            name=name,
            text=np.asarray(text, dtype=object),
            textposition="outside",
            cliponaxis=False,
            customdata=np.asarray(hover, dtype=object),
            hovertemplate="%{customdata}<extra></extra>",
            marker_color=COLORS[0],
        )
    )
    fig.update_yaxes(autorange="reversed", type="category", automargin=True)
    fig.update_xaxes(rangemode="tozero")
    return fig


def score_trend(
    x: npt.NDArray[np.datetime64],
    scores: npt.NDArray[np.float64],
    *,
    name: str,
    hover: npt.NDArray[np.object_],
    y_range: tuple[float, float],
) -> go.Figure:
    """One customer's survey scores over time: markers joined by a line on a fixed score range."""
    fig = go.Figure(
        go.Scatter(
            x=x,
            y=np.asarray(scores, dtype=float),
            name=name,
            mode="lines+markers",
            customdata=np.asarray(hover, dtype=object),
            hovertemplate=f"{name}: %{{customdata}}<extra></extra>",
            line={"color": COLORS[2], "width": 2.5},
            marker={"size": 9},
        )
    )
    fig.update_yaxes(range=list(y_range))
    if len(x) == 1:  # one survey: a quarter around it, or Plotly zooms to milliseconds
        day = np.asarray(x, dtype="datetime64[D]")[0]
        fig.update_xaxes(range=[day - np.timedelta64(45, "D"), day + np.timedelta64(45, "D")])
    return fig
