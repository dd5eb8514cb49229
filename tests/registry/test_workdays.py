import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from core.workdays import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    working_calendar,
    working_days_between,
)
from filings.models import InstantDisclosure
from filings.models.disclosures import DISCLOSURE_WORKING_DAYS, DUE_MAX_CALENDAR_DAYS, DUE_MIN_CALENDAR_DAYS
from filings.services import instant_disclosure_due_on
from registry.models import CalendarDay, WorkingCalendarYear
from registry.services.audit import SYSTEM
from registry.services.calendar import calendar_day_create
from tests.factories import EnterpriseFactory, InstantDisclosureFactory

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def every_day(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def test_weekends_and_holidays_are_skipped_and_makeup_days_count():
    assert not is_working_day(dt.date(2026, 11, 28))  # Saturday
    assert is_working_day(dt.date(2026, 11, 27))
    assert not is_working_day(dt.date(2026, 10, 1))  # National Day
    assert is_working_day(dt.date(2026, 10, 10))  # a Saturday worked in exchange
    assert add_working_days(dt.date(2026, 11, 27), 1) == dt.date(2026, 11, 30)
    assert add_working_days(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)


def test_twenty_working_days_and_the_count_between():
    due = add_working_days(dt.date(2026, 11, 2), 20)
    assert due == dt.date(2026, 11, 30)
    assert working_days_between(dt.date(2026, 11, 2), due) == 20
    assert working_days_between(due, dt.date(2026, 11, 2)) == -20
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 11, 2), -1)


def test_deadlines_running_into_2027_skip_new_year_and_the_spring_festival():
    # 1 January 2027 is a Friday holiday, then a weekend.
    assert add_working_days(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)
    # Spring Festival 2027: 5 (eve) and 8-10 February are rest days besides the weekend.
    assert [day for day in every_day(dt.date(2027, 2, 4), dt.date(2027, 2, 12)) if is_working_day(day)] == [
        dt.date(2027, 2, 4),
        dt.date(2027, 2, 11),
        dt.date(2027, 2, 12),
    ]


def test_the_seeded_calendar_names_its_sources_and_2027_is_provisional():
    seeded = {year.year: year for year in WorkingCalendarYear.objects.all()}
    assert seeded[2026].is_confirmed and "2026年部分节假日安排的通知" in seeded[2026].source
    assert seeded[2027].status == WorkingCalendarYear.Status.PROVISIONAL
    makeup_2026 = set(
        CalendarDay.objects.filter(calendar_year=2026, kind="makeup_workday").values_list("day", flat=True)
    )
    assert makeup_2026 == {
        dt.date(2026, 1, 4),
        dt.date(2026, 2, 14),
        dt.date(2026, 2, 28),
        dt.date(2026, 5, 9),
        dt.date(2026, 9, 20),
        dt.date(2026, 10, 10),
    }


def test_a_year_the_calendar_does_not_hold_falls_back_on_statutory_holidays():
    assert not WorkingCalendarYear.objects.filter(year=2028).exists()
    assert not is_working_day(dt.date(2028, 10, 2))  # National Day, a Monday
    assert is_working_day(dt.date(2028, 10, 9))


def test_the_disclosure_deadline_bounds_hold_for_every_start_day_of_two_years():
    calendar = working_calendar()
    for start in every_day(dt.date(2025, 12, 1), dt.date(2027, 12, 31)):
        due = add_working_days(start, DISCLOSURE_WORKING_DAYS, calendar=calendar)
        assert DUE_MIN_CALENDAR_DAYS <= (due - start).days <= DUE_MAX_CALENDAR_DAYS, start
        assert working_days_between(start, due, calendar=calendar) == DISCLOSURE_WORKING_DAYS


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)),
    makeup_offsets=st.sets(st.integers(min_value=1, max_value=40), max_size=10),
)
def test_the_lower_bound_holds_whatever_make_up_days_the_calendar_adds(start, makeup_offsets):
    # Make-up days only ever shorten a period, and even a calendar of nothing but working days
    # needs 20 calendar days for 20 working days: the database's lower bound can never refuse.
    makeup = frozenset(
        day for offset in makeup_offsets if (day := start + dt.timedelta(days=offset)).weekday() >= 5
    )
    calendar = WorkingCalendar(holidays=frozenset(), makeup_workdays=makeup, years=frozenset({start.year}))
    due = add_working_days(start, DISCLOSURE_WORKING_DAYS, calendar=calendar)
    assert (due - start).days >= DUE_MIN_CALENDAR_DAYS


def test_a_disclosure_of_a_saturday_fact_before_a_make_up_day_is_accepted_by_the_database():
    # A Saturday fact (21 February 2026) whose period includes the make-up Saturday of 28 February:
    # 20 working days end 27 calendar days later, which the old 28-day bound refused.
    fact = dt.date(2026, 2, 21)
    due = instant_disclosure_due_on(fact)
    assert (due - fact).days < 28
    disclosure = InstantDisclosureFactory(occurred_on=fact, due_on=due, published_on=fact)
    disclosure.full_clean()
    assert InstantDisclosure.objects.filter(pk=disclosure.pk).exists()


def test_the_database_still_refuses_an_impossible_due_date():
    enterprise = EnterpriseFactory()
    fact = dt.date(2026, 3, 2)
    for due in (fact + dt.timedelta(days=19), fact + dt.timedelta(days=DUE_MAX_CALENDAR_DAYS + 1)):
        with pytest.raises(IntegrityError), transaction.atomic():
            InstantDisclosureFactory(enterprise=enterprise, occurred_on=fact, due_on=due, published_on=fact)


def test_a_calendar_change_applies_to_new_deadlines_and_leaves_given_ones_alone():
    fact = dt.date(2027, 3, 1)
    given_before = InstantDisclosureFactory(
        occurred_on=fact, due_on=instant_disclosure_due_on(fact), published_on=fact
    )
    given_due = given_before.due_on
    calendar_day_create(
        actor=SYSTEM,
        via="command",
        calendar_year=WorkingCalendarYear.objects.get(year=2027),
        day=dt.date(2027, 3, 3),
        kind=CalendarDay.Kind.HOLIDAY,
        name="test holiday",
    )
    assert instant_disclosure_due_on(fact) == given_due + dt.timedelta(days=1)
    given_before.refresh_from_db()
    assert given_before.due_on == given_due


@pytest.mark.parametrize(
    "instant, shanghai_day",
    [
        # 23:30 on New Year's Eve in Shanghai is still 31 December in UTC,
        (dt.datetime(2026, 12, 31, 23, 30, tzinfo=SHANGHAI), dt.date(2026, 12, 31)),
        # and half past midnight on 1 January in Shanghai is 16:30 on 31 December in UTC.
        (dt.datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI), dt.date(2027, 1, 1)),
    ],
)
def test_deadlines_count_from_the_date_in_shanghai(instant, shanghai_day):
    with time_machine.travel(instant, tick=False):
        assert timezone.localdate() == shanghai_day
        assert instant_disclosure_due_on(timezone.localdate()) == add_working_days(shanghai_day, 20)
