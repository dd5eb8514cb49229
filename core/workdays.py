"""Working days for legal deadlines (instant disclosure, objections, credit repair decisions).

Saturdays and Sundays are rest days. Public holidays and make-up working days on a weekend
(调休上班) come from the working-day calendar in the database (:mod:`registry.models.calendar`),
kept by the central credit office year by year, which the register hands over at start-up
(:func:`working_calendar_loader_register`). A year the calendar does not hold yet falls back
on the statutory holidays the ``holidays`` library computes for it (no make-up days: those are
only known from the State Council's notice), and ``manage.py check`` warns about it.

A deadline, once given, is stored with what it was given for and never recomputed: a later
change to the calendar applies to deadlines given after it (see ``docs/working-days.md``).
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass

import holidays as holiday_library
from django.db import connection, models


@functools.cache
def statutory_holidays(year: int) -> frozenset[dt.date]:
    """China's statutory holidays in ``year`` as the ``holidays`` library knows them."""
    return frozenset(holiday_library.China(years=year))


@dataclass(frozen=True)
class WorkingCalendar:
    """Public holidays and make-up working days, and the years the database holds."""

    holidays: frozenset[dt.date]
    makeup_workdays: frozenset[dt.date]
    years: frozenset[int]

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.makeup_workdays:
            return True
        if day.weekday() >= 5:
            return False
        if day.year in self.years:
            return day not in self.holidays
        return day not in statutory_holidays(day.year)


def library_days(year: int) -> list[tuple[dt.date, str, str]]:
    """(day, "holiday" or "makeup_workday", Chinese name) for ``year`` from the ``holidays`` library.

    Holidays on a weekend are left out (a weekend is a rest day anyway); make-up working days are
    those the library transcribed from the State Council's notice, if it has one for the year."""
    known = holiday_library.China(years=year, language="zh_CN")
    rest = [(day, "holiday", name) for day, name in sorted(known.items()) if day.weekday() < 5]
    work = [(day, "makeup_workday", "调休上班") for day in sorted(known.weekend_workdays) if day.year == year]
    return sorted(rest + work)


CalendarLoader = Callable[[], WorkingCalendar]
_loader: CalendarLoader | None = None


def working_calendar_loader_register(loader: CalendarLoader) -> None:
    """The register keeps the calendar in its database and registers how to read it (at start-up)."""
    global _loader
    _loader = loader


def _load() -> WorkingCalendar:
    if _loader is None:  # no calendar registered: weekends and statutory holidays only
        return WorkingCalendar(frozenset(), frozenset(), frozenset())
    return _loader()


# The calendar is a few dozen rows a year and changes a few times a year, but deadlines are
# computed on many pages. Outside a transaction a process keeps it for CALENDAR_SECONDS; inside
# one (admin writes, services, tests) it is read afresh, so a writer sees its own change and
# nothing cached outlives a rollback. The calendar services clear it on commit.
CALENDAR_SECONDS = 60.0
_cached: tuple[float, WorkingCalendar] | None = None


def working_calendar() -> WorkingCalendar:
    global _cached
    if connection.in_atomic_block:
        return _load()
    now = time.monotonic()
    if _cached is None or _cached[0] < now:
        _cached = (now + CALENDAR_SECONDS, _load())
    return _cached[1]


def working_calendar_clear() -> None:
    global _cached
    _cached = None


def is_working_day(day: dt.date, *, calendar: WorkingCalendar | None = None) -> bool:
    return (calendar or working_calendar()).is_working_day(day)


def add_working_days(start: dt.date, days: int, *, calendar: WorkingCalendar | None = None) -> dt.date:
    """The date ``days`` working days after ``start`` (the deadline of a ``days``-working-day period).

    The day of the fact itself never counts, whatever day it is: the period starts the next day."""
    if days < 0:
        raise ValueError("days must not be negative")
    calendar = calendar or working_calendar()
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date, *, calendar: WorkingCalendar | None = None) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -working_days_between(end, start, calendar=calendar)
    calendar = calendar or working_calendar()
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if calendar.is_working_day(start + dt.timedelta(days=offset))
    )


class BeijingDate(models.Func):
    """The calendar date of a timestamp in Beijing time, where the working-day deadlines run."""

    template = "((%(expressions)s) AT TIME ZONE 'Asia/Shanghai')::date"
    output_field = models.DateField()
