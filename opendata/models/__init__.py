"""Open data: bulk snapshots of the public register, its change feed and developer keys."""
