"""Startup checks of the open-data settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error

from opendata.limits import TIER_NAMES, parse_rate


def rate_limits_check(app_configs=None, **kwargs) -> list[Error]:
    """Every tier has a rate that reads (API_ANON_RATE, API_KEY_RATE, API_AGENCY_RATE)."""
    rates = getattr(settings, "API_RATE_LIMITS", {})
    errors = []
    for tier in TIER_NAMES:
        try:
            parse_rate(rates.get(tier, ""))
        except ValueError as exc:
            errors.append(
                Error(
                    f"API rate of the {tier} tier: {exc}",
                    hint="See docs/open-data-limits.md.",
                    id="opendata.E001",
                )
            )
    return errors
