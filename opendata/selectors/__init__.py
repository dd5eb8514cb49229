"""Reads of the open data app."""

from opendata.selectors.feed import (
    FeedPage,
    feed_horizon,
    feed_page,
    feed_timepoint_now,
    feed_wait_for_page,
)

__all__ = ["FeedPage", "feed_horizon", "feed_page", "feed_timepoint_now", "feed_wait_for_page"]
