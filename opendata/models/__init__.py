"""Open data: bulk snapshots of the public register, its change feed and developer keys."""

from opendata.models.feed import FeedEvent, FeedPruning

__all__ = ["FeedEvent", "FeedPruning"]
