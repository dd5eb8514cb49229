"""Writes of the open-data app."""

from opendata.services.feed import feed_prune

__all__ = ["feed_prune"]
