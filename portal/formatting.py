"""Money and dates in the reader's language, for templates, the profile builder and the PDF report.

Amounts are stored in yuan (``Decimal`` with two places). Chinese pages write ``1,234,567.89 元``
and registered capital as ``123.46 万元``; English pages write ``CNY 1,234,567.89`` and
``CNY 1.23 million``. A missing amount is shown as an em dash.

Dates have one form per language everywhere, pages and PDF alike: ``2026年11月18日`` in Chinese,
``18 Nov 2026`` in English (the ``DATE_FORMAT`` of ``config/formats``); a moment adds the time,
``2026年11月18日 14:05`` / ``18 Nov 2026, 14:05`` (``DATETIME_FORMAT``). Templates write
``|date:"DATE_FORMAT"`` and ``|date:"DATETIME_FORMAT"``, Python code calls :func:`format_date`
and :func:`format_datetime`; no other date pattern is used on a page.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils import dateformat, formats, timezone, translation

MISSING = "—"
UNITS = ("yuan", "wan")

# Chinese names of the currencies registered capital is most often subscribed in.
CURRENCY_ZH = {
    "CNY": "元",
    "USD": "美元",
    "EUR": "欧元",
    "HKD": "港元",
    "MOP": "澳门元",
    "TWD": "新台币",
    "JPY": "日元",
    "GBP": "英镑",
    "KRW": "韩元",
    "SGD": "新加坡元",
    "CHF": "瑞士法郎",
    "AUD": "澳元",
    "CAD": "加元",
}

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10_000)
MILLION = Decimal(1_000_000)


def _to_decimal(amount) -> Decimal:
    if isinstance(amount, Decimal):
        value = amount
    elif isinstance(amount, bool):
        raise TypeError("A money amount cannot be a boolean.")
    elif isinstance(amount, int | float | str):
        try:
            value = Decimal(str(amount).strip())
        except InvalidOperation as exc:
            raise ValueError(f"Not an amount of money: {amount!r}") from exc
    else:
        raise TypeError(f"Not an amount of money: {amount!r}")
    if not value.is_finite():
        raise ValueError(f"Not an amount of money: {amount!r}")
    return value


def _grouped(value: Decimal) -> str:
    """Two decimal places, comma every three digits, whatever the locale's own grouping."""
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0.00"
    return f"{rounded:,.2f}"


def is_chinese(language: str | None) -> bool:
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return language.lower().startswith("zh")


def format_money(amount, *, language: str | None = None, unit: str = "yuan", currency: str = "CNY") -> str:
    """Write ``amount`` (in yuan, or in units of ``currency``) for a reader of ``language``.

    ``unit="yuan"`` writes the full amount; ``unit="wan"`` writes it in 万 (ten thousands) for
    Chinese readers and in millions for English ones, as registered capital is usually quoted.
    ``language`` defaults to the active language. ``None`` gives "—".
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    if amount is None or amount == "":
        return MISSING
    value = _to_decimal(amount)
    currency = (currency or "CNY").upper()
    if is_chinese(language):
        name = CURRENCY_ZH.get(currency, currency)
        if unit == "wan":
            return f"{_grouped(value / TEN_THOUSAND)} 万{name}"
        return f"{_grouped(value)} {name}"
    if unit == "wan":
        return f"{currency} {_grouped(value / MILLION)} million"
    return f"{currency} {_grouped(value)}"


# --- dates --------------------------------------------------------------------------------------
DATE_FORMAT = "DATE_FORMAT"
DATETIME_FORMAT = "DATETIME_FORMAT"


def format_date(day: dt.date | dt.datetime | None) -> str:
    """A day in the active language's one date form; a moment counts by its local day; None gives ""."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return formats.date_format(day, DATE_FORMAT)


def format_datetime(
    moment: dt.datetime | None, *, seconds: bool = False, zone: dt.tzinfo | None = None
) -> str:
    """A moment in the active language's date form and local time (``14:05``, or ``14:05:03``),
    in ``zone`` (the site's zone by default)."""
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment, zone)
    pattern = formats.get_format(DATETIME_FORMAT)
    # The same pattern to the second (a report's time of making), not a second date form.
    return dateformat.format(moment, pattern.replace("H:i", "H:i:s") if seconds else pattern)
