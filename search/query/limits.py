"""The numbers that bound a search: query length, pages, the count cap, walks and candidates.

Read at call time (``limits.COUNT_CAP``), never copied, so one setting changes every part.
"""

from __future__ import annotations

MIN_QUERY_CHARS = 2
MAX_QUERY_CHARS = 100
MAX_PAGE = 50
MAX_PAGE_SIZE = 50
COUNT_CAP = 1000
# The bounded statement fetches up to this many times COUNT_CAP hits: a query with more than
# COUNT_CAP hits but no more than that is ranked in that one statement ("1000+" all the same),
# instead of reading its hits through the index a second time for the tiers.
RANK_CAP_FACTOR = 4
# How many of the newest documents a query with more than COUNT_CAP hits walks first; what it
# finds there decides between walking further and fetching and sorting all its hits.
WALK_ROWS = 2_000
# Hits the first walk must find before their density is trusted to plan a longer walk.
WALK_EVIDENCE = 3
# A query whose rarest token is in at least this share of documents counts its first COUNT_CAP + 1
# hits among the newest COUNT_WALK_ROWS documents instead of through the GIN index.
DENSE_FREQUENCY = 0.06
COUNT_WALK_ROWS = 20_000
# The same for a query of Chinese runs only, whose hits are counted by their names in the date
# index (an index-only scan, several times cheaper a row than the table's token vectors).
DENSE_NAMES_FREQUENCY = 0.03
COUNT_NAMES_ROWS = 40_000
# A query of one term that the planner's statistics show in at least this many times COUNT_CAP + 1
# documents (of the kinds searched) is not counted at all: it has "1000+" hits (see
# conditions.statistics_hits). The margin covers the sampling error of ANALYZE and rows deleted
# since it ran.
STATISTICS_HITS_MARGIN = 4
# A token in more than this share of documents does not drive the GIN lookup (see match_sql).
COMMON_TOKEN_FREQUENCY = 0.05
# With a filter facet, tokens up to this share still drive it, so the index intersects them.
FACET_DRIVING_FREQUENCY = 0.3
STATISTICS_TTL = 600.0
# The next rarest token joins the GIN lookup while more candidate rows than this are left, if it
# is itself in at most DRIVING_MAX_FREQUENCY of documents (see conditions._driving_terms).
DRIVING_CANDIDATES = 1000
DRIVING_MAX_FREQUENCY = 0.15
# ... and if it is estimated to leave at most this share of the candidates (a list the index reads
# for a few rows less is not worth reading).
DRIVING_NARROWING = 0.75
# A reading of a romanised word drives by its rarest pair alone if that pair is in at most this
# share of documents (see conditions._rarest_alternatives).
READING_DRIVING_FREQUENCY = 0.08
# A token in at most this share of documents drives whatever the estimate: its posting list is
# short, and it bounds the candidates where neighbouring pairs of one name are not independent.
DRIVING_RARE_FREQUENCY = 0.02
# In the in-order pass, the rarest characters (up to CHARACTER_DRIVERS of them) in at most this
# share of documents drive the GIN lookup.
CHARACTER_DRIVING_FREQUENCY = 0.15
CHARACTER_DRIVERS = 4
# A token sharing a character with one already driving counts as this many times as frequent.
OVERLAP_PENALTY = 8
# In-order matches (characters in order, gaps allowed) are looked for only when the contiguous
# matches are fewer than this: a page of the default size.
IN_ORDER_BELOW = 20
# The in-order pass reads candidates through the GIN index only when its rarest character is in
# at most this many documents; otherwise it checks the newest IN_ORDER_WALK documents.
IN_ORDER_CANDIDATES = 10_000
IN_ORDER_WALK = 10_000
