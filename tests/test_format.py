import datetime as dt

import pytest

from ui import format as fmt


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (12345678, "zh", "1,234.6万"),
        (12345678, "en", "12.3M"),
        (123456789, "zh", "1.23亿"),
        (123456789, "en", "123.5M"),
        (1234567890123, "zh", "12,345.68亿"),
        (2_500_000_000, "en", "2.5B"),
        (45600000, "zh", "4,560.0万"),
        (10000, "zh", "1.0万"),
        (9999, "zh", "9,999"),
        (9999.96, "zh", "1.0万"),  # rounds into the next unit instead of "10,000"
        (99_999_999, "zh", "1.00亿"),
        (9876, "en", "9.9K"),
        (999, "en", "999"),
        (999_960, "en", "1.0M"),
        (12.5, "zh", "12.50"),
        (0, "zh", "0"),
        (0, "en", "0"),
        (-12345678, "zh", "-1,234.6万"),
        (-12345678, "en", "-12.3M"),
        (-500, "en", "-500"),
        (None, "zh", "–"),
        (float("nan"), "en", "–"),
    ],
)
def test_compact(value, lang, expected):
    assert fmt.compact(value, lang) == expected


@pytest.mark.parametrize(
    ("value", "lang", "currency", "expected"),
    [
        (12345678, "zh", "CNY", "¥1,234.6万"),
        (12345678, "en", "CNY", "¥12.3M"),
        (212_000_000, "zh", "CNY", "¥2.12亿"),
        (-12345678, "zh", "CNY", "-¥1,234.6万"),
        (-12345678, "en", "USD", "-$12.3M"),
        (0, "zh", "CNY", "¥0"),
        (1500, "en", "EUR", "€1.5K"),
        (1500, "zh", "XYZ", "XYZ 1,500"),
        (None, "zh", "CNY", "–"),
    ],
)
def test_money(value, lang, currency, expected):
    assert fmt.money(value, lang, currency) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(98329, "98,329"), (0, "0"), (-1234, "-1,234"), (1234.6, "1,235"), (None, "–")],
)
def test_integer(value, expected):
    assert fmt.integer(value, "zh") == expected
    assert fmt.integer(value, "en") == expected


@pytest.mark.parametrize(
    ("share", "signed", "expected"),
    [(0.083, False, "8.3%"), (0.083, True, "+8.3%"), (-0.12, True, "-12.0%"), (0, True, "0.0%"), (None, True, "–")],
)
def test_percent(share, signed, expected):
    assert fmt.percent(share, "zh", signed=signed) == expected


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [(108, 100, pytest.approx(0.08)), (50, 100, pytest.approx(-0.5)), (10, 0, None), (10, -5, None)],
)
def test_change(current, previous, expected):
    assert fmt.change(current, previous) == expected


@pytest.mark.parametrize(
    ("func", "value", "zh", "en"),
    [
        (fmt.date, dt.date(2024, 3, 5), "2024年3月5日", "5 Mar 2024"),
        (fmt.month, dt.date(2024, 12, 1), "2024年12月", "Dec 2024"),
        (fmt.datetime, dt.datetime(2024, 3, 5, 14, 3), "2024年3月5日 14:03", "5 Mar 2024 14:03"),
        (fmt.date, None, "–", "–"),
    ],
)
def test_dates(func, value, zh, en):
    assert func(value, "zh") == zh
    assert func(value, "en") == en


@pytest.mark.parametrize(
    ("first", "last", "zh", "en"),
    [
        (dt.date(2025, 1, 1), dt.date(2025, 12, 1), "2025年", "2025"),
        (dt.date(2025, 1, 1), dt.date(2025, 3, 1), "2025年1–3月", "Jan–Mar 2025"),
        (dt.date(2025, 6, 1), dt.date(2025, 6, 1), "2025年6月", "Jun 2025"),
    ],
)
def test_year_span(first, last, zh, en):
    assert fmt.year_span(first, last, "zh") == zh
    assert fmt.year_span(first, last, "en") == en


def test_previous_month():
    assert fmt.previous_month(dt.date(2025, 1, 15)) == dt.date(2024, 12, 1)
    assert fmt.previous_month(dt.date(2025, 3, 31)) == dt.date(2025, 2, 1)


@pytest.mark.parametrize(
    ("largest", "lang", "expected"),
    [
        (34_000_000, "zh", (1e4, "万元")),
        (3_000_000_000, "zh", (1e8, "亿元")),
        (5000, "zh", (1.0, "元")),
        (34_000_000, "en", (1e6, "¥ M")),
        (34_000, "en", (1e3, "¥ K")),
    ],
)
def test_money_scale(largest, lang, expected):
    assert fmt.money_scale(largest, lang) == expected


def test_escape_markdown_makes_names_inert():
    text = fmt.escape_markdown("**Big** [x](http://e) :red[a] <b>c</b> $1$")
    for token in ("**", "[x]", ":red[", "<b>", "$1$"):
        assert token not in text
    assert text.replace("\\", "") == "**Big** [x](http://e) :red[a] <b>c</b> $1$"
