"""Project-wide test rules."""

import pytest


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
