import datetime as dt

import pytest

from registry.workdays import add_working_days, is_working_day, working_days_between


def test_weekends_and_holidays_are_skipped_and_makeup_days_count(settings):
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
