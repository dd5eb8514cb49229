"""Open data: bulk snapshots of the public register, its change feed and developer keys."""

from opendata.models.feed import FeedDay, FeedEvent, FeedPruning
from opendata.models.keys import DeveloperKey
from opendata.models.limits import RateLimitWindow

__all__ = ["DeveloperKey", "FeedDay", "FeedEvent", "FeedPruning", "RateLimitWindow"]
