"""Findings that chart titles state, computed from analytics results (pure, no Streamlit).

Kept out of the pages so they stay "read state → call analytics → render", and kept honest:
a comparison is only claimed when both periods are fully covered by the data shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ui import format as fmt
from ui.i18n import t


@dataclass(frozen=True)
class YearToDate:
    """Revenue of the latest year's months in the data against the same months a year earlier.

    ``previous`` and ``change`` are ``None`` unless every one of those months also has data
    in the previous year (otherwise "+x% vs last year" would compare unlike periods).
    """

    year: int
    first_month: dt.date
    last_month: dt.date
    revenue: float
    previous: float | None
    change: float | None

    @property
    def full_year(self) -> bool:
        """True when the span is January to December."""
        return self.first_month.month == 1 and self.last_month.month == 12


def year_to_date(monthly: pd.DataFrame) -> YearToDate | None:
    """Compare the latest year in ``monthly`` (columns ``month``, ``revenue``) with the year before.

    ``None`` for an empty table.
    """
    if monthly.empty:
        return None
    months = pd.to_datetime(monthly["month"])
    revenue = monthly["revenue"].astype(float).fillna(0.0).to_numpy()
    year = int(months.dt.year.max())
    this_year = (months.dt.year == year).to_numpy()
    month_numbers = set(months[this_year].dt.month.tolist())
    last_year = (months.dt.year == year - 1).to_numpy() & months.dt.month.isin(month_numbers).to_numpy()
    covered = set(months[last_year].dt.month.tolist()) == month_numbers
    current = float(revenue[this_year].sum())
    previous = float(revenue[last_year].sum()) if covered else None
    change = current / previous - 1 if previous is not None and previous > 0 else None
    first, last = months[this_year].min(), months[this_year].max()
    return YearToDate(
        year=year,
        first_month=first.date(),
        last_month=last.date(),
        revenue=current,
        previous=previous,
        change=change,
    )


def revenue_title(ytd: YearToDate, lang: str, currency: str = fmt.DEFAULT_CURRENCY) -> str:
    """Chart title stating the finding: "2025年销售额 ¥2.79亿，同比 +13.7%（对比2024年）".

    Without a like-for-like previous period the title states the revenue only.
    """
    period = fmt.year_span(ytd.first_month, ytd.last_month, lang)
    value = fmt.money(ytd.revenue, lang, currency)
    if ytd.change is None:
        return t("chart.monthly_title", lang, period=period, value=value)
    previous = fmt.year_span(
        ytd.first_month.replace(year=ytd.year - 1), ytd.last_month.replace(year=ytd.year - 1), lang
    )
    change = fmt.percent(ytd.change, lang, signed=True)
    return t("chart.monthly_title_yoy", lang, period=period, value=value, change=change, previous=previous)
