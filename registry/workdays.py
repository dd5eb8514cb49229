"""Working days for legal deadlines (instant disclosure, objections, credit repair decisions).

Saturdays and Sundays are rest days, and so are the public holidays in ``settings.PUBLIC_HOLIDAYS``
(ISO dates, announced each year by the State Council); make-up working days on a weekend
(调休上班) are in ``settings.MAKEUP_WORKDAYS``.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings


@functools.cache
def _days(setting: str) -> frozenset[dt.date]:
    return frozenset(dt.date.fromisoformat(day) for day in getattr(settings, setting, ()))


def is_working_day(day: dt.date) -> bool:
    if day in _days("MAKEUP_WORKDAYS"):
        return True
    return day.weekday() < 5 and day not in _days("PUBLIC_HOLIDAYS")


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (the deadline of a ``days``-working-day period)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(
        1 for offset in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=offset))
    )
