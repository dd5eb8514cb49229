"""Runs of Chinese characters that many names hold, counted on a sample of the documents.

A name holding a query's run as written (市华信) holds every pair of it, so it is a hit: the share
of names holding the run is a lower bound of the query's hits. The planner's statistics give the
share of each pair (市华, 华信) but none of a conjunction of pairs, so a query of three or more
characters with tens of thousands of hits had to read 1,001 of them to show "1000+". The runs kept
here give that proof without reading (``search.query.conditions.statistics_hits``).

Counted level by level (Apriori): a run of n characters is held by at most as many names as each
of its two runs of n - 1 characters, so only runs whose both halves were frequent at the level
below are counted, and only in names that held a frequent run at that level.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from search.normalise import runs

# Runs of two characters are single lexemes, whose shares the planner's statistics already give.
MIN_RUN = 3
MAX_RUN = 24
# Names sampled, as ANALYZE samples 300 x the statistics target (1,000 for ``document``).
SAMPLE_ROWS = 300_000


def chinese_runs(normalised: str) -> list[str]:
    """The runs of Chinese characters of a normalised name at least MIN_RUN long."""
    return [run for is_cjk, run in runs(normalised) if is_cjk and len(run) >= MIN_RUN]


def frequent_runs(names: Iterable[str], minimum: int) -> dict[str, int]:
    """Every run of MIN_RUN to MAX_RUN Chinese characters held by at least ``minimum`` of the
    normalised ``names``, with the number of names holding it (a name counts once per run)."""
    if minimum < 1:
        raise ValueError("minimum must be at least 1")
    pieces = [found for name in names if (found := chinese_runs(name))]
    found: dict[str, int] = {}
    below: set[str] | None = None
    for length in range(MIN_RUN, MAX_RUN + 1):
        counts: Counter[str] = Counter()
        holders = []
        for name_runs in pieces:
            held = set()
            for run in name_runs:
                for start in range(len(run) - length + 1):
                    part = run[start : start + length]
                    if below is None or (part[:-1] in below and part[1:] in below):
                        held.add(part)
            if held:
                counts.update(held)
                holders.append(name_runs)
        level = {part: count for part, count in counts.items() if count >= minimum}
        if not level:
            break
        found.update(level)
        below = set(level)
        pieces = holders
    return found
