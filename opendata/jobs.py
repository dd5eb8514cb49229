"""The open data app's background work: pruning the change feed once an hour."""

import datetime as dt

from registry.services.jobs import periodic_task_register

PRUNE_EVERY = dt.timedelta(hours=1)


def _prune() -> None:
    from opendata.services import feed_prune

    feed_prune()


def register() -> None:
    periodic_task_register("opendata.feed_prune", every=PRUNE_EVERY, run=_prune)
