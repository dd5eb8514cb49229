"""The open data app's background work, hourly: pruning the change feed, and recording in it the
rows a new day made public or not public (the first run of each day does the work)."""

import datetime as dt

from registry.services.jobs import periodic_task_register

EVERY_HOUR = dt.timedelta(hours=1)


def _prune() -> None:
    from opendata.services import feed_prune

    feed_prune()


def _days() -> None:
    from opendata.services import feed_days_record

    feed_days_record()


def register() -> None:
    periodic_task_register("opendata.feed_prune", every=EVERY_HOUR, run=_prune)
    periodic_task_register("opendata.feed_days", every=EVERY_HOUR, run=_days)
