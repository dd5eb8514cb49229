"""Warnings the admin shows every clerk on its index page."""

from __future__ import annotations

from django import template

from registry.checks import calendar_warning_text
from registry.selectors import calendar_years_unconfirmed

register = template.Library()


@register.simple_tag
def reference_data_warnings() -> list[str]:
    return [calendar_warning_text(year) for year in calendar_years_unconfirmed()]
