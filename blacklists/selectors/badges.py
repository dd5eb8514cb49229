"""Badges on enterprise search results: the lists an enterprise is on today."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from blacklists.models import ListEntry, ListType
from blacklists.selectors.catalogue import ABNORMAL_NAME_EN, ABNORMAL_NAME_ZH, ABNORMAL_SLUG
from registry.models import AbnormalOperationListing

BADGE_KINDS = (ListType.Kind.BLACKLIST, ListType.Kind.REDLIST, ListType.Kind.WATCHLIST)
_KIND_ORDER = {kind: index for index, kind in enumerate(BADGE_KINDS)}


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


@dataclass(frozen=True)
class ListBadge:
    """One list an enterprise is on: its slug (for the list's page, when it has one), kind and names."""

    slug: str
    kind: str
    name_zh: str
    name_en: str
    public: bool  # the list has a public page

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_zh if (get_language() or "zh").startswith("zh") else self.name_en

    @property
    def is_abnormal_directory(self) -> bool:
        return self.slug == ABNORMAL_SLUG


ABNORMAL_BADGE = ListBadge(
    slug=ABNORMAL_SLUG,
    kind=ListType.Kind.WATCHLIST,
    name_zh=ABNORMAL_NAME_ZH,
    name_en=ABNORMAL_NAME_EN,
    public=True,
)


def list_badges_for_enterprises(*, enterprise_ids, on: dt.date | None = None) -> dict[int, list[ListBadge]]:
    """For each enterprise on a list on ``on``: a badge per list (entries in force, and an open
    listing on the abnormal-operations directory), blacklists first, then redlists, then watch
    lists, each group by Chinese name. Two queries for any number of enterprises."""
    on = on or timezone.localdate()
    ids = list(enterprise_ids)
    if not ids:
        return {}
    found: dict[int, set[ListBadge]] = defaultdict(set)
    rows = (
        ListEntry.objects.in_force(on=on)
        .filter(enterprise_id__in=ids)
        .values_list(
            "enterprise_id",
            "list_type__code",
            "list_type__kind",
            "list_type__name_zh",
            "list_type__name_en",
            "list_type__public_search",
        )
        .distinct()
    )
    for enterprise_id, code, kind, name_zh, name_en, public in rows:
        found[enterprise_id].add(ListBadge(code, kind, name_zh, name_en, public))
    abnormal = (
        AbnormalOperationListing.objects.filter(enterprise_id__in=ids, listed_on__lte=on)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on))
        .values_list("enterprise_id", flat=True)
        .distinct()
    )
    for enterprise_id in abnormal:
        found[enterprise_id].add(ABNORMAL_BADGE)
    return {
        key: sorted(badges, key=lambda badge: (_KIND_ORDER.get(badge.kind, len(_KIND_ORDER)), badge.name_zh))
        for key, badges in found.items()
    }
