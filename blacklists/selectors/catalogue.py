"""The public list catalogue: every public list, its owner, basis, holdings and counts.

Agency lists are ``ListType`` rows with ``public_search``; the abnormal-operations directory
(经营异常名录) lives in the registry as ``AbnormalOperationListing`` and is presented here as one
list among the others, under the slug ``ABNORMAL_SLUG``. A list's slug is its code (URLs only:
pages show names in the reader's language).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, Q
from django.utils.timezone import localdate
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from blacklists.models import ListEntry, ListType, Memorandum
from registry.models import AbnormalOperationListing, Agency

ABNORMAL_SLUG = "abnormal-operations"
ABNORMAL_OWNER = "samr"
ABNORMAL_NAME_ZH = "经营异常名录"
ABNORMAL_NAME_EN = "Directory of enterprises with abnormal operations"
ABNORMAL_BASIS = (
    "《企业信息公示暂行条例》（国务院令第654号）；"
    "《企业经营异常名录管理暂行办法》（国家工商行政管理总局令第68号）"
)

# Counting entries in force reads every in-force row of the big court lists: done once per
# COUNTS_SECONDS for the whole catalogue, not per page view.
COUNTS_SECONDS = 300
_COUNTS_KEY = "blacklists:catalogue-counts:{day}"

GROUPS = (
    (ListType.Kind.BLACKLIST, _("Blacklists")),
    (ListType.Kind.REDLIST, _("Redlists")),
    (ListType.Kind.WATCHLIST, _("Watch lists")),
)


@dataclass(frozen=True)
class PublicList:
    slug: str
    kind: str
    name_zh: str
    name_en: str
    owner: Agency
    legal_basis: str
    holds_persons: bool
    holds_enterprises: bool
    holds_government_bodies: bool
    in_force: int
    last_published: dt.date | None
    memoranda: list[Memorandum] = field(default_factory=list)
    list_type: ListType | None = None  # None for the abnormal-operations directory

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_zh if (get_language() or "zh").startswith("zh") else self.name_en

    @property
    def is_abnormal_directory(self) -> bool:
        return self.slug == ABNORMAL_SLUG

    @property
    def holds(self) -> list[str]:
        """What the list holds, as translated words."""
        words = []
        if self.holds_enterprises:
            words.append(str(_("enterprises")))
        if self.holds_persons:
            words.append(str(_("persons")))
        if self.holds_government_bodies:
            words.append(str(_("government bodies")))
        return words


def _counts(today: dt.date) -> dict[str, tuple[int, dt.date | None]]:
    """Per slug: entries in force today and the last publication date. Cached for the day's key."""
    key = _COUNTS_KEY.format(day=today.isoformat())
    counts = cache.get(key)
    if counts is not None:
        return counts
    counts = {
        code: (in_force, last)
        for code, in_force, last in ListType.objects.filter(public_search=True)
        .annotate(
            in_force=Count(
                "entries",
                filter=Q(entries__status=ListEntry.Status.IN_FORCE, entries__starts_on__lte=today)
                & (Q(entries__planned_end__isnull=True) | Q(entries__planned_end__gte=today)),
            ),
            last=Max("entries__published_on"),
        )
        .values_list("code", "in_force", "last")
    }
    abnormal = AbnormalOperationListing.objects.aggregate(
        in_force=Count("id", filter=Q(removed_on__isnull=True) | Q(removed_on__gt=today)),
        last=Max("listed_on"),
    )
    counts[ABNORMAL_SLUG] = (abnormal["in_force"], abnormal["last"])
    cache.set(key, counts, COUNTS_SECONDS)
    return counts


def public_list_counts_clear() -> None:
    """Forget the cached counts (after an import, so the catalogue shows it at once)."""
    cache.delete(_COUNTS_KEY.format(day=localdate().isoformat()))


def _abnormal_directory(counts) -> PublicList:
    in_force, last = counts.get(ABNORMAL_SLUG, (0, None))
    return PublicList(
        slug=ABNORMAL_SLUG,
        kind=ListType.Kind.WATCHLIST,
        name_zh=ABNORMAL_NAME_ZH,
        name_en=ABNORMAL_NAME_EN,
        owner=Agency.objects.get(short_code=ABNORMAL_OWNER),
        legal_basis=ABNORMAL_BASIS,
        holds_persons=False,
        holds_enterprises=True,
        holds_government_bodies=False,
        in_force=in_force,
        last_published=last,
    )


def _from_list_type(list_type: ListType, counts) -> PublicList:
    in_force, last = counts.get(list_type.code, (0, None))
    return PublicList(
        slug=list_type.code,
        kind=list_type.kind,
        name_zh=list_type.name_zh,
        name_en=list_type.name_en,
        owner=list_type.owner,
        legal_basis=list_type.legal_basis,
        holds_persons=list_type.holds_persons,
        holds_enterprises=list_type.holds_enterprises,
        holds_government_bodies=list_type.holds_government_bodies,
        in_force=in_force,
        last_published=last,
        memoranda=list(list_type.memoranda.all()),
        list_type=list_type,
    )


def _list_types():
    return (
        ListType.objects.filter(public_search=True)
        .select_related("owner")
        .prefetch_related(Prefetch("memoranda", queryset=Memorandum.objects.order_by("-signed_on")))
        .order_by("kind", "code")
    )


def public_lists(*, today: dt.date | None = None) -> list[PublicList]:
    """Every public list, blacklists then redlists then watch lists, by name. Four queries when
    the counts are cached, six when not."""
    today = today or localdate()
    counts = _counts(today)
    lists = [_from_list_type(list_type, counts) for list_type in _list_types()]
    lists.append(_abnormal_directory(counts))
    order = {kind: index for index, (kind, _label) in enumerate(GROUPS)}
    return sorted(lists, key=lambda item: (order.get(item.kind, len(order)), item.name_zh))


def public_lists_grouped(*, today: dt.date | None = None) -> list[tuple[str, str, list[PublicList]]]:
    """``(kind, group label, lists)`` for each group that has a list, in catalogue order."""
    lists = public_lists(today=today)
    return [
        (kind, label, members)
        for kind, label in GROUPS
        if (members := [item for item in lists if item.kind == kind])
    ]


def public_list(*, slug: str, today: dt.date | None = None) -> PublicList | None:
    """One public list by its slug, or None (unknown, or not public)."""
    counts = _counts(today or localdate())
    if slug == ABNORMAL_SLUG:
        return _abnormal_directory(counts)
    list_type = _list_types().filter(code=slug).first()
    return _from_list_type(list_type, counts) if list_type is not None else None
