"""Template filters for money: ``{% load credit_format %}``.

``{{ amount|money }}`` writes an amount in yuan (``1,234,567.89 元`` / ``CNY 1,234,567.89``);
``{{ enterprise.registered_capital|money_wan:enterprise.capital_currency }}`` writes registered
capital (``123.46 万元`` / ``CNY 1.23 million``). Both follow the active language.
``{{ count|grouped }}`` writes a count with thousands separators (``1,234,567``); plain ``{{ count }}``
is left ungrouped on purpose, so years and identifiers never read "2,024".
"""

from __future__ import annotations

from django import template
from django.utils import formats

from portal.formatting import format_money

register = template.Library()


def _format(value, currency, unit: str) -> str:
    try:
        return format_money(value, unit=unit, currency=currency or "CNY")
    except (TypeError, ValueError):
        # A filter never breaks a page: show what was given.
        return "" if value is None else str(value)


@register.filter(is_safe=True)
def money(value, currency="CNY"):
    return _format(value, currency, "yuan")


@register.filter(is_safe=True)
def money_wan(value, currency="CNY"):
    return _format(value, currency, "wan")


@register.filter(is_safe=True)
def grouped(value):
    """A number with the active language's thousands separator, whatever USE_THOUSAND_SEPARATOR says."""
    if value is None or value == "" or isinstance(value, bool):
        return "" if value is None else value
    try:
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    except (TypeError, ValueError):
        return value
