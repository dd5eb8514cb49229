"""Money, dates and numbers in each language."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from portal.formatting import format_money


@pytest.mark.parametrize(
    ("amount", "language", "unit", "expected"),
    [
        (Decimal("1234567.89"), "en", "yuan", "CNY 1,234,567.89"),
        (Decimal("1234567.89"), "zh-hans", "yuan", "1,234,567.89 元"),
        (Decimal("1234567.89"), "en", "wan", "CNY 1.23 million"),
        (Decimal("1234567.89"), "zh-hans", "wan", "123.46 万元"),
        (Decimal("50000000"), "zh-hans", "wan", "5,000.00 万元"),
        (Decimal("50000000"), "en", "wan", "CNY 50.00 million"),
        (Decimal("0.005"), "en", "yuan", "CNY 0.01"),  # half up, not banker's rounding
        (Decimal("-0.001"), "en", "yuan", "CNY 0.00"),  # never "-0.00"
        (Decimal("-1500"), "zh-hans", "yuan", "-1,500.00 元"),
        (0, "zh-hans", "yuan", "0.00 元"),
        (1000, "en", "yuan", "CNY 1,000.00"),
        ("2500.5", "en", "yuan", "CNY 2,500.50"),
        (None, "en", "yuan", "—"),
        (None, "zh-hans", "wan", "—"),
    ],
)
def test_format_money(amount, language, unit, expected):
    assert format_money(amount, language=language, unit=unit) == expected


def test_format_money_follows_the_active_language_by_default():
    with translation.override("zh-hans"):
        assert format_money(Decimal("1234.5")) == "1,234.50 元"
    with translation.override("en"):
        assert format_money(Decimal("1234.5")) == "CNY 1,234.50"


def test_format_money_names_other_currencies():
    assert format_money(Decimal("2000000"), language="zh-hans", unit="wan", currency="USD") == "200.00 万美元"
    assert format_money(Decimal("2000000"), language="en", unit="wan", currency="USD") == "USD 2.00 million"
    assert format_money(Decimal("10"), language="zh-hans", currency="XYZ") == "10.00 XYZ"


@pytest.mark.parametrize("bad", ["lots", object(), True, float("nan")])
def test_format_money_refuses_what_is_not_money(bad):
    with pytest.raises((TypeError, ValueError)):
        format_money(bad, language="en")


def test_format_money_refuses_an_unknown_unit():
    with pytest.raises(ValueError, match="unit"):
        format_money(1, unit="lakh")


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load credit_format %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "CNY 1,234,567.89 | CNY 1.23 million | — | USD 0.50 million"),
        ("zh-hans", "1,234,567.89 元 | 123.46 万元 | — | 50.00 万美元"),
    ],
)
def test_money_filters(language, expected):
    source = (
        "{{ amount|money }} | {{ amount|money_wan }} | {{ missing|money_wan }} | {{ half|money_wan:'USD' }}"
    )
    rendered = render(source, language, amount=Decimal("1234567.89"), missing=None, half=Decimal("500000"))
    assert rendered == expected


def test_money_filter_never_breaks_a_page():
    assert render("{{ value|money }}", "en", value="n/a") == "n/a"
    assert render("{{ value|money }}", "en", value="<b>") == "&lt;b&gt;"


DAY = dt.date(2026, 11, 26)
MOMENT = dt.datetime(2026, 11, 26, 6, 5, tzinfo=dt.UTC)  # 14:05 in Asia/Shanghai


@pytest.mark.parametrize(
    ("language", "date", "datetime", "number"),
    [
        ("zh-hans", "2026年11月26日", "2026年11月26日 14:05", "1,234,567"),
        ("en", "26 Nov 2026", "26 Nov 2026, 14:05", "1,234,567"),
    ],
)
def test_dates_and_numbers_per_language(language, date, datetime, number):
    rendered = render(
        "{{ day }}|{{ day|date }}|{{ moment }}|{{ moment|date:'DATETIME_FORMAT' }}|{{ count|grouped }}",
        language,
        day=DAY,
        moment=MOMENT,
        count=1234567,
    )
    assert rendered == f"{date}|{date}|{datetime}|{datetime}|{number}"


def test_short_date_format_is_iso_in_both_languages():
    for language in ("en", "zh-hans"):
        assert render("{{ day|date:'SHORT_DATE_FORMAT' }}", language, day=DAY) == "2026-11-26"


def test_times_are_shown_in_china_time():
    moment = dt.datetime(2026, 1, 1, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert render("{{ moment }}", "en", moment=moment) == "2 Jan 2026, 07:30"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_grouped_filter_and_plain_numbers(language):
    rendered = render(
        "{{ big|grouped }}|{{ amount|grouped }}|{{ small|grouped }}|{{ missing|grouped }}"
        "|{{ year }}|{{ pk }}",
        language,
        big=1234567,
        amount=Decimal("9876543.21"),
        small=12,
        missing=None,
        year=2026,
        pk=123456,
    )
    # Years and identifiers rendered plainly are never grouped ("2,026" would be wrong).
    assert rendered == "1,234,567|9,876,543.21|12||2026|123456"
