"""Locale-aware formatting of money, counts, shares and dates (pure functions, no Streamlit).

Chinese (``zh``) groups large numbers by 万 (10⁴) and 亿 (10⁸), English (``en``) by K/M/B:

=============  ==============  =============
value          zh              en
=============  ==============  =============
12,345,678     1,234.6万       12.3M
123,456,789    1.23亿          123.5M
9,876          9,876           9.9K
=============  ==============  =============

Money is the compact number behind the currency symbol (``¥1.23亿``, ``-¥4,560.1万``);
counts are written in full with thousands separators (``98,329``).
"""

from __future__ import annotations

import datetime as dt
import math
import re

DEFAULT_CURRENCY = "CNY"
CURRENCY_SYMBOLS: dict[str, str] = {
    "CNY": "¥",
    "RMB": "¥",
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "HKD": "HK$",
}
# how a currency is named after 万/亿 in Chinese axis units ("万元", "万美元")
CURRENCY_NAMES_ZH: dict[str, str] = {
    "CNY": "元",
    "RMB": "元",
    "USD": "美元",
    "EUR": "欧元",
    "GBP": "英镑",
    "JPY": "日元",
    "HKD": "港元",
}
# (divisor, suffix, decimals), largest first
_ZH_UNITS: tuple[tuple[float, str, int], ...] = ((1e8, "亿", 2), (1e4, "万", 1))
_EN_UNITS: tuple[tuple[float, str, int], ...] = ((1e9, "B", 1), (1e6, "M", 1), (1e3, "K", 1))
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def compact(value: float | None, lang: str = "zh") -> str:
    """Large number in the locale's units: ``1,234.6万``/``1.23亿`` (zh) or ``12.3K``/``12.3M`` (en).

    Below 10,000 (zh) or 1,000 (en) the number is written in full, rounded to a whole number
    (two decimals below 100). Missing values give ``"–"``.
    """
    if _is_missing(value):
        return "–"
    assert value is not None
    sign = "-" if value < 0 else ""
    size = abs(float(value))
    units = _ZH_UNITS if lang == "zh" else _EN_UNITS
    for i, (divisor, suffix, digits) in enumerate(units):
        # below the unit, use it anyway when the next smaller unit would round up to it
        lower_divisor, _, lower_digits = units[i + 1] if i + 1 < len(units) else (1.0, "", 0)
        if size >= divisor or round(size / lower_divisor, lower_digits) * lower_divisor >= divisor:
            return f"{sign}{size / divisor:,.{digits}f}{suffix}"
    if size == 0:
        return "0"
    if size < 100 and size != int(size):
        return f"{sign}{size:,.2f}"
    return f"{sign}{size:,.0f}"


def currency_symbol(currency: str = DEFAULT_CURRENCY) -> str:
    """Symbol of an ISO currency code (the code itself plus a space when unknown)."""
    return CURRENCY_SYMBOLS.get(currency.upper(), f"{currency.upper()} ")


def money(value: float | None, lang: str = "zh", currency: str = DEFAULT_CURRENCY) -> str:
    """Money in compact locale units with the currency symbol: ``¥1,234.6万``, ``-¥12.3M``."""
    if _is_missing(value):
        return "–"
    assert value is not None
    text = compact(value, lang)
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
    return f"{sign}{currency_symbol(currency)}{body}"


def money_scale(largest: float, lang: str = "zh", currency: str = DEFAULT_CURRENCY) -> tuple[float, str]:
    """Divisor and unit for a money axis whose largest absolute value is ``largest``.

    zh: ``(1e4, "万元")`` or ``(1e8, "亿元")``; en: ``(1e6, "¥ M")`` or ``(1e3, "¥ K")``; values
    too small for a unit keep divisor 1 (``"元"``/``"¥"``).
    """
    size = abs(largest) if not _is_missing(largest) else 0.0
    if lang == "zh":
        name = CURRENCY_NAMES_ZH.get(currency.upper(), currency.upper())
        for divisor, unit in ((1e8, "亿"), (1e4, "万")):
            if size >= divisor * 10 or (divisor == 1e4 and size >= divisor):
                return divisor, f"{unit}{name}"
        return 1.0, name
    symbol = currency_symbol(currency).strip()
    for divisor, unit in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if size >= divisor:
            return divisor, f"{symbol} {unit}"
    return 1.0, symbol


def integer(value: float | None, lang: str = "zh") -> str:
    """A count written in full with thousands separators: ``98,329``."""
    if _is_missing(value):
        return "–"
    assert value is not None
    return f"{round(value):,}"


def percent(share: float | None, lang: str = "zh", *, signed: bool = False, digits: int = 1) -> str:
    """A share (0.083 → ``8.3%``); ``signed`` writes ``+8.3%``/``-8.3%`` for changes."""
    if _is_missing(share):
        return "–"
    assert share is not None
    sign = "+" if signed and share > 0 else ""
    return f"{sign}{share * 100:,.{digits}f}%"


def change(current: float, previous: float) -> float | None:
    """Relative change ``current / previous − 1``; ``None`` when there is no positive base."""
    if previous is None or previous <= 0 or _is_missing(current):
        return None
    return current / previous - 1


def date(value: dt.date | None, lang: str = "zh") -> str:
    """A day: ``2024年3月5日`` (zh) or ``5 Mar 2024`` (en)."""
    if value is None:
        return "–"
    if lang == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_EN_MONTHS[value.month - 1]} {value.year}"


def month(value: dt.date | None, lang: str = "zh") -> str:
    """A calendar month: ``2024年3月`` (zh) or ``Mar 2024`` (en)."""
    if value is None:
        return "–"
    if lang == "zh":
        return f"{value.year}年{value.month}月"
    return f"{_EN_MONTHS[value.month - 1]} {value.year}"


def month_span(first: dt.date, last: dt.date, lang: str = "zh") -> str:
    """A run of months within one year: ``1–12月`` (zh) or ``Jan–Dec`` (en)."""
    if lang == "zh":
        return f"{first.month}月" if first.month == last.month else f"{first.month}–{last.month}月"
    a, b = _EN_MONTHS[first.month - 1], _EN_MONTHS[last.month - 1]
    return a if a == b else f"{a}–{b}"


def year_span(first: dt.date, last: dt.date, lang: str = "zh") -> str:
    """Months of one year: ``2025年``/``2025`` for January–December, else ``2025年1–3月``/``Jan–Mar 2025``."""
    if first.month == 1 and last.month == 12:
        return f"{first.year}年" if lang == "zh" else str(first.year)
    span = month_span(first, last, lang)
    return f"{first.year}年{span}" if lang == "zh" else f"{span} {first.year}"


def previous_month(value: dt.date) -> dt.date:
    """First day of the month before ``value``'s month."""
    return (value.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def datetime(value: dt.datetime | None, lang: str = "zh") -> str:
    """A moment to the minute: ``2024年3月5日 14:03`` (zh) or ``5 Mar 2024 14:03`` (en)."""
    if value is None:
        return "–"
    return f"{date(value.date(), lang)} {value:%H:%M}"


def plotly_month_format(lang: str = "zh") -> str:
    """d3 time format for month ticks and hovers: ``2024年3月`` (zh) or ``Mar 2024`` (en)."""
    return "%Y年%-m月" if lang == "zh" else "%b %Y"


def escape_markdown(text: object) -> str:
    """Text from data (file, sheet or customer names) made inert for Streamlit Markdown.

    Every Markdown/Streamlit directive character (including ``<``, ``>``, ``:`` and ``$``) is
    backslash-escaped, so ``**x**``, ``[a](b)``, ``:red[x]``, ``$x$`` or ``<b>`` show literally.
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text))
