"""Django admin for lists and joint measures: a clerk maintains only their own agency's data."""

from blacklists.admin import entries, memoranda  # noqa: F401  (registers the models)
