"""Writes of the open-data app."""

from opendata.services.feed import feed_prune
from opendata.services.feed_days import feed_days_record

__all__ = ["feed_days_record", "feed_prune"]
