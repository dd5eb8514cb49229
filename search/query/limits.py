"""The numbers that bound a search: query length, pages, the count cap, walks and candidates.

Read at call time (``limits.COUNT_CAP``), never copied, so one setting changes every part.
"""

from __future__ import annotations

MIN_QUERY_CHARS = 2
MAX_QUERY_CHARS = 100
MAX_PAGE = 50
MAX_PAGE_SIZE = 50
COUNT_CAP = 1000
# How many of the newest documents a common query walks before fetching and sorting all its hits.
WALK_ROWS = 10_000
# A token in more than this share of documents does not drive the GIN lookup (see match_sql).
COMMON_TOKEN_FREQUENCY = 0.05
# With a filter facet, tokens up to this share still drive it, so the index intersects them.
FACET_DRIVING_FREQUENCY = 0.3
STATISTICS_TTL = 600.0
# In-order matches (characters in order, gaps allowed) are looked for only when the contiguous
# matches are fewer than this: a page of the default size.
IN_ORDER_BELOW = 20
# The in-order pass reads candidates through the GIN index only when its rarest character is in
# at most this many documents; otherwise it checks the newest IN_ORDER_WALK documents.
IN_ORDER_CANDIDATES = 10_000
IN_ORDER_WALK = 10_000
