"""Project-wide test rules, and the clock every test runs at."""

import datetime as dt
import os

import pytest
import time_machine

# Every test runs at a fixed instant, so no test passes or fails by the day it runs; the clock
# ticks from there. TEST_CLOCK (ISO 8601 with an offset) chooses another instant: `make test`
# also runs the suite on a Shanghai Saturday and late on 31 December (see docs/testing.md).
DEFAULT_CLOCK = "2026-11-18T10:00:00+08:00"  # a Wednesday


def test_clock() -> dt.datetime:
    value = os.environ.get("TEST_CLOCK", "").strip() or DEFAULT_CLOCK
    instant = dt.datetime.fromisoformat(value)
    if instant.tzinfo is None:
        raise pytest.UsageError(f"TEST_CLOCK needs a UTC offset (like +08:00): {value!r}")
    return instant


_traveller = None


def pytest_configure(config):
    # Started before collection, so dates computed at import time (module constants) agree too.
    global _traveller
    _traveller = time_machine.travel(test_clock(), tick=True)
    _traveller.start()


def pytest_unconfigure(config):
    if _traveller is not None:
        _traveller.stop()


def pytest_collection_modifyitems(config, items):
    # A transactional test empties the database when it ends; without serialized_rollback the
    # data migrations' rows (regions, agencies, lists) are gone for every test that follows.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True) so the "
                "data migrations' rows survive for the tests that follow."
            )
