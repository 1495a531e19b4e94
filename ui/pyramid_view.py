"""Render helpers of the Pyramid page (客户金字塔): tier controls, tier labels, pyramid and migration views.

The page reads the cached period facts, takes the scheme from :func:`tier_controls`, runs the
cheap analytics steps (:func:`analytics.tiers.assign_tiers`, ``tier_table``, ``migration``) and
draws their results with these helpers. Nothing here queries the store or aggregates customers.
"""

from __future__ import annotations

import inspect
import itertools

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import tiers
from analytics.customer_facts import Period
from ui import charts, settings, tables
from ui import format as fmt
from ui.i18n import t, tier_name, tier_names

# how far one click on a floor's +/− moves it (data currency)
_LADDER_STEPS: dict[str, float] = {"diamond": 100_000.0, "platinum": 100_000.0, "gold": 50_000.0, "vip": 1_000.0}
# the upgrade-candidate rule's defaults are those of the analytics function
_UPGRADE_RULE = inspect.signature(tiers.upgrade_candidates).parameters
MONEY = st.column_config.NumberColumn(format="%,.0f")  # whole currency units; downloads keep cents
SHARE = st.column_config.NumberColumn(format="percent")
SMALL = st.column_config.NumberColumn(width="small")
SMALL_SHARE = st.column_config.NumberColumn(format="percent", width="small")


def _labels(**keys: str) -> dict[str, str]:
    """Column → header from this page's keys ``pyr.col.<key>`` (``column=key``)."""
    return {column: t(f"pyr.col.{key}") for column, key in keys.items()}


def period_text(period: Period, lang: str) -> str:
    """``2025年1月1日 – 2025年12月31日`` / ``1 Jan 2025 – 31 Dec 2025``."""
    return f"{fmt.date(period.start, lang)} – {fmt.date(period.end, lang)}"


def _money_md(value: float, lang: str, currency: str) -> str:
    """Money for Markdown text (escaped: ``$`` pairs would start LaTeX)."""
    return fmt.escape_markdown(fmt.money(value, lang, currency))


def _ladder_problem(lang: str, currency: str) -> str:
    """Which floor of the session is above the one before it (they must not increase)."""
    values = {code: float(settings.get(key)) for code, key in settings.LADDER_KEYS.items()}
    upper, lower = next((u, w) for u, w in itertools.pairwise(values) if values[w] > values[u])
    return t(
        "pyr.ladder_order",
        lower=tier_name(lower),
        lower_value=_money_md(values[lower], lang, currency),
        upper=tier_name(upper),
        upper_value=_money_md(values[upper], lang, currency),
    )


def _kept_ladder(ladder: tiers.AbsoluteThresholds, lang: str, currency: str) -> str:
    floors = zip(settings.LADDER_KEYS, ladder.floors(), strict=False)
    kept = " · ".join(f"{tier_name(code)} ≥ {_money_md(floor, lang, currency)}" for code, floor in floors)
    return t("pyr.ladder_kept", ladder=kept)


def _shares_problem(shares: tiers.RankShares) -> str:
    """The session's shares add up to more than 100 %: their total and the shares kept instead."""
    total = sum(int(settings.get(key)) for key in settings.SHARE_KEYS.values())
    kept = " · ".join(
        f"{tier_name(code)} {fmt.percent(share, digits=0)}"
        for code, share in zip(settings.SHARE_KEYS, (shares.key, shares.major, shares.ordinary), strict=True)
    )
    return t("pyr.shares_over", total=total, kept=kept)


def _ladder_inputs(lang: str, currency: str) -> None:
    """Four number inputs for the Diamond/Platinum/Gold/VIP floors, each with its value in words."""
    ladder = settings.LADDER_KEYS
    for col, (code, key) in zip(st.columns(len(ladder)), ladder.items(), strict=True):
        value = col.number_input(
            t("pyr.floor", tier=tier_name(code), currency=currency),
            **settings.widget(key),
            step=_LADDER_STEPS[code],
            format="%.0f",
        )
        col.caption(t("pyr.floor_caption", tier=tier_name(code), value=_money_md(value, lang, currency)))


def _share_sliders() -> None:
    """Three share sliders (Key, Major, Ordinary, in % of customers); Small takes the rest."""
    shares = settings.SHARE_KEYS
    cols = st.columns(len(shares) + 1)
    for col, (code, key) in zip(cols, shares.items(), strict=False):
        col.slider(t("pyr.share", tier=tier_name(code)), **settings.widget(key), step=1, format="%d%%")
    rest = 100 - sum(int(settings.get(key)) for key in shares.values())
    cols[-1].metric(t("pyr.share_rest", tier=tier_name("small")), f"{max(rest, 0)}%")


def tier_controls(lang: str, currency: str) -> tiers.TierScheme:
    """Mode switch plus the inputs of that mode; returns the scheme in force (:func:`ui.settings.scheme_in_force`).

    Contradicting inputs (floors not descending, shares over 100 %) show a warning that names
    the problem, and the last valid ladder or shares of the session stay in force, on this page
    and on every other page that uses tiers.
    """
    mode = st.segmented_control(
        t("pyr.mode"),
        settings.CHOICES["tier_mode"],
        **settings.widget("tier_mode"),  # the link carries the code, the same in both languages
        format_func=lambda m: t(f"pyr.mode.{m}", lang=lang),  # lang bound: AppTest formats outside the run
        required=True,
    )
    if mode == "rank":
        _share_sliders()
    else:
        _ladder_inputs(lang, currency)
    in_force = settings.scheme_in_force()
    scheme = in_force.scheme
    if scheme.mode == "absolute" and in_force.ladder_kept:
        problem = f"{_ladder_problem(lang, currency)} {_kept_ladder(scheme.thresholds, lang, currency)}"
        st.warning(problem, icon=":material/warning:")
    elif scheme.mode == "rank" and in_force.shares_kept:
        st.warning(_shares_problem(scheme.shares), icon=":material/warning:")
    return scheme


def _row_labels(scheme: tiers.TierScheme, lang: str, currency: str) -> list[str]:
    """Pyramid row names with their rule: ``钻石 ≥ ¥500.0万`` … ``普通 < ¥1.0万`` or ``重要 · 前 5%`` …."""
    if scheme.mode == "absolute":
        floors = scheme.thresholds.floors()
        labels = [
            t("pyr.row.floor", tier=tier_name(c), value=fmt.money(f, lang, currency))
            for c, f in zip(tiers.ABSOLUTE_TIERS[:-1], floors[:-1], strict=True)
        ]
        return [*labels, t("pyr.row.below", tier=tier_name("ordinary"), value=fmt.money(floors[-2], lang, currency))]
    cuts = scheme.shares.cutoffs()
    widths = np.diff(np.concatenate([[0.0], cuts]))
    keys = ("pyr.row.top", "pyr.row.next", "pyr.row.next", "pyr.row.rest")
    return [
        t(key, tier=tier_name(code), share=fmt.percent(w, lang, digits=0))
        for key, code, w in zip(keys, tiers.RANK_TIERS, widths, strict=True)
    ]


def pyramid_figure(table: pd.DataFrame, scheme: tiers.TierScheme, lang: str, currency: str) -> go.Figure:
    """Customer share (left) against revenue share (right) per tier, best on top; title = top two tiers."""
    customers = table["customers"].to_numpy(dtype=np.float64)
    customer_share = table["customer_share"].to_numpy(dtype=np.float64, na_value=np.nan)
    revenue = table["revenue"].to_numpy(dtype=np.float64)
    revenue_share = table["revenue_share"].to_numpy(dtype=np.float64, na_value=np.nan)
    fig = charts.tier_pyramid(
        np.asarray(_row_labels(scheme, lang, currency), dtype=object),
        customer_share,
        revenue_share,
        left_name=t("pyr.customer_share"),
        right_name=t("pyr.revenue_share"),
        left_text=np.array(
            [
                t("pyr.bar_customers", n=fmt.integer(n), share=fmt.percent(s, lang))
                for n, s in zip(customers, customer_share, strict=True)
            ],
            dtype=object,
        ),
        right_text=np.array(
            [
                t("pyr.bar_revenue", share=fmt.percent(s, lang), revenue=fmt.money(r, lang, currency))
                for r, s in zip(revenue, revenue_share, strict=True)
            ],
            dtype=object,
        ),
    )
    top = list(scheme.tiers[:2])
    title = t(
        "pyr.pyramid_title",
        tiers="+".join(tier_name(code) for code in top),
        n=fmt.integer(customers[:2].sum()),
        customer_share=fmt.percent(float(np.nansum(customer_share[:2])), lang),
        revenue_share=fmt.percent(float(np.nansum(revenue_share[:2])) if np.isfinite(revenue_share).any() else None),
    )
    charts.style(fig, title=title, x_title=t("pyr.pyramid_x"), y_title=t("pyr.pyramid_y"), height=400)
    return fig.update_layout(hovermode="y unified")


def tier_metrics(table: pd.DataFrame) -> None:
    """One metric per tier: its customers, with revenue share in the help."""
    for col, row in zip(st.columns(len(table)), table.itertuples(), strict=True):
        col.metric(
            tier_name(str(row.tier)),
            fmt.integer(row.customers),
            help=t("pyr.metric_help", share=fmt.percent(row.revenue_share)),
            border=True,
        )


def show_tier_table(table: pd.DataFrame) -> None:
    """The per-tier table with download (numbers stay numeric; tiers by name)."""
    view = table.assign(tier=tier_names(table["tier"]))
    tables.show(
        view,
        key="pyr_tiers",
        file_name="customer_tiers",
        labels=_labels(
            tier="tier",
            customers="customers",
            customer_share="customer_share",
            orders="orders",
            average_order_value="average_order_value",
            purchase_frequency="purchase_frequency",
            min_revenue="min_revenue",
            max_revenue="max_revenue",
        ),
        column_config={
            "customers": SMALL,
            "customer_share": SMALL_SHARE,
            "revenue": MONEY,
            "revenue_share": SMALL_SHARE,
            "profit": MONEY,
            "orders": SMALL,
            "average_order_value": MONEY,
            "purchase_frequency": st.column_config.NumberColumn(format="%.1f", width="small"),
            "min_revenue": MONEY,
            "max_revenue": MONEY,
        },
    )


def movement_metrics(counts: dict[str, int]) -> None:
    """Customers moving up, staying, moving down, new and lost."""
    for col, code in zip(st.columns(len(tiers.MOVEMENTS)), tiers.MOVEMENTS, strict=True):
        col.metric(t(f"pyr.move.{code}"), fmt.integer(counts[code]), help=t(f"pyr.move_help.{code}"), border=True)


def _node_name(code: str) -> str:
    """Sankey/matrix name of a tier code, or of ``new`` / ``lost``."""
    return t(f"pyr.node.{code}") if code in (tiers.NEW, tiers.LOST) else tier_name(code)


def _sankey_nodes(moved: tiers.Migration) -> pd.DataFrame:
    """Non-empty Sankey nodes, top down per column: ``side`` (0 before, 1 now), ``code``, ``customers``, x, y."""
    counts = moved.matrix.to_numpy()
    total = float(counts.sum())
    columns = ((0.001, moved.matrix.index, counts.sum(axis=1)), (0.999, moved.matrix.columns, counts.sum(axis=0)))
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "side": side,
                    "code": np.asarray(codes, dtype=object)[sizes > 0],
                    "customers": sizes[sizes > 0],
                    "x": x,
                    "y": charts.sankey_positions(sizes[sizes > 0].astype(np.float64), total),
                }
            )
            for side, (x, codes, sizes) in enumerate(columns)
        ],
        ignore_index=True,
    )


def migration_figure(moved: tiers.Migration, lang: str, currency: str) -> go.Figure:
    """Sankey from the previous period's tiers (and new customers) to the current tiers (and lost)."""
    nodes = _sankey_nodes(moved)
    names = [_node_name(code) for code in nodes["code"]]
    position = {(side, code): i for i, (side, code) in enumerate(zip(nodes["side"], nodes["code"], strict=True))}
    node_hover = [
        t(("pyr.node_hover_previous", "pyr.node_hover_current")[side], tier=name, n=fmt.integer(n))
        for side, name, n in zip(nodes["side"], names, nodes["customers"], strict=True)
    ]
    flows = moved.flows
    link_hover = [
        t(
            "pyr.flow_hover",
            source=_node_name(source),
            target=_node_name(target),
            n=fmt.integer(n),
            previous=fmt.money(before, lang, currency),
            current=fmt.money(now, lang, currency),
        )
        for source, target, n, before, now in zip(
            flows["from_tier"],
            flows["to_tier"],
            flows["customers"],
            flows["previous_revenue"],
            flows["revenue"],
            strict=True,
        )
    ]
    fig = charts.migration_sankey(
        np.array([f"{name} {fmt.integer(n)}" for name, n in zip(names, nodes["customers"], strict=True)], dtype=object),
        nodes["x"].to_numpy(dtype=np.float64),
        nodes["y"].to_numpy(dtype=np.float64),
        [_node_color(code, moved.scheme) for code in nodes["code"]],
        np.asarray(node_hover, dtype=object),
        (
            np.asarray([position[0, code] for code in flows["from_tier"]], dtype=np.int64),
            np.asarray([position[1, code] for code in flows["to_tier"]], dtype=np.int64),
            flows["customers"].to_numpy(dtype=np.float64),
        ),
        [charts.MOVEMENT_COLORS[m] for m in flows["movement"]],
        np.asarray(link_hover, dtype=object),
        column_titles=(t("pyr.sankey_previous"), t("pyr.sankey_current")),
        legend=[(t(f"pyr.move.{code}"), charts.MOVEMENT_COLORS[code]) for code in tiers.MOVEMENTS],
    )
    counts = moved.counts()
    title = t("pyr.sankey_title", **{code: fmt.integer(counts[code]) for code in ("up", "down", "new", "lost")})
    return charts.style(fig, title=title, x_title="", y_title="", height=560)


def _node_color(code: str, scheme: tiers.TierScheme) -> str:
    """Node colour: the tier's shade (best darkest), or the movement colour of ``new`` / ``lost``."""
    if code in (tiers.NEW, tiers.LOST):
        return charts.MOVEMENT_COLORS[code]
    return charts.TIER_COLORS[list(scheme.tiers).index(code)]


def show_matrix(moved: tiers.Migration) -> None:
    """The transition matrix (previous tier rows × current tier columns) with download."""
    matrix = moved.matrix.rename(index=_node_name, columns=_node_name)
    view = matrix.rename_axis(index=t("pyr.matrix_corner"), columns=None).reset_index()
    tables.show(view, key="pyr_matrix", file_name="tier_migration")


def candidate_controls(currency: str) -> tuple[float, float]:
    """Rule of the upgrade-candidate list: minimum growth (ratio) and minimum current revenue."""
    left, right, _ = st.columns([2, 2, 3])
    growth = left.slider(
        t("pyr.min_growth"),
        min_value=0,
        max_value=500,
        value=round(_UPGRADE_RULE["min_growth"].default * 100),
        step=10,
        format="+%d%%",
        key="upgrade_growth",
        bind="query-params",
    )
    floor = right.number_input(
        t("pyr.min_revenue", currency=currency),
        min_value=0.0,
        value=float(_UPGRADE_RULE["min_revenue"].default),
        step=1_000.0,
        format="%.0f",
        key="upgrade_revenue",
        bind="query-params",
    )
    return growth / 100.0, float(floor or 0.0)


def show_candidates(candidates: pd.DataFrame) -> None:
    """Upgrade candidates (tiers by name, growth as %) with download."""
    named = {col: tier_names(candidates[col]) for col in ("previous_tier", "tier", "next_tier")}
    view = candidates.drop(columns=["customer_id"]).assign(**named)
    tables.show(
        view,
        key="pyr_candidates",
        file_name="upgrade_candidates",
        labels=_labels(
            customer_name="customer_name",
            previous_tier="previous_tier",
            tier="current_tier",
            previous_revenue="previous_revenue",
            revenue="current_revenue",
            growth="growth",
            next_tier="next_tier",
            gap_to_next_tier="gap_to_next_tier",
        ),
        column_config={
            "previous_revenue": MONEY,
            "revenue": MONEY,
            "growth": SHARE,
            "gap_to_next_tier": MONEY,
        },
    )
