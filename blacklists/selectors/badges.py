"""Badges on enterprise search results."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from blacklists.models import ListEntry, ListType

BADGE_KINDS = (ListType.Kind.BLACKLIST, ListType.Kind.REDLIST, ListType.Kind.WATCHLIST)


def badges_for_enterprises(*, enterprise_ids, on: dt.date | None = None) -> dict[int, list[str]]:
    """For each enterprise with an entry in force on ``on``: the kinds of list it is on
    (blacklist, redlist, watch list, in that order). One query for any number of enterprises."""
    found: dict[int, set[str]] = defaultdict(set)
    rows = (
        ListEntry.objects.in_force(on=on)
        .filter(enterprise_id__in=list(enterprise_ids))
        .values_list("enterprise_id", "list_type__kind")
        .distinct()
    )
    for enterprise_id, kind in rows:
        found[enterprise_id].add(kind)
    return {key: [kind for kind in BADGE_KINDS if kind in kinds] for key, kinds in found.items()}
