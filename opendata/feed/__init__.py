"""The change feed: database triggers that record every change to a dataset's table, and the
projection that turns recorded rows into published events (docs/open-data-feed.md)."""
