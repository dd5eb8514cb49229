"""Names shared by the statements of a search."""

from __future__ import annotations

from search.models import FrequentRun, SearchDocument

TABLE = SearchDocument._meta.db_table
RUNS_TABLE = FrequentRun._meta.db_table
COLUMNS = "id, kind, object_id, name, province, published_on, extra"
RECENT = "published_on DESC NULLS LAST, id DESC"
