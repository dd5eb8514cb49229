"""Restriction check (joint rewards and punishments): the engine and the check log."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict

from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from blacklists.models import (
    PRINCIPAL_ROLE,
    ROLE_GROUPS,
    ConsumptionRestrictionDetail,
    ListEntry,
    ListFeed,
    Measure,
    RestrictionCheck,
)
from blacklists.restrictions import NAMED_IN_ORDER, Link, MeasureInForce, Reason, RestrictionAnswer
from registry.models import Enterprise, KeyPersonnel, Person

# No row has this id: an unknown subject runs the same queries as a known one, so the answer
# takes as long and tells nobody who is in the register.
NO_SUBJECT = -1
GOVERNMENT_ENTITY_TYPES = frozenset({"government_organ", "public_institution"})
_KIND_ORDER = {Measure.Kind.PUNISHMENT: 0, Measure.Kind.REWARD: 1}
# The person a court's consumption-restriction order against an organisation names (the legal
# representative, principal person in charge, person directly responsible or actual controller of
# the 2015 rules, Art. 3) is bound by the measures that bind the organisation's legal representative
# (person in charge), reached from the order's entry as for any officer.
NAMED_GROUP = "legal_representative"


Post = tuple[int, str, dt.date | None, dt.date | None]  # enterprise id, role, appointed, left


def _ties_of(person_id: int, on: dt.date) -> tuple[list[Post], set[int]]:
    """The posts a person holds on ``on``, and the entries whose restriction order names them: one query.

    The register's own legal-representative link counts even without a key-personnel row, and so
    does a government body's principal (its head), bound as the body's person in charge. The
    orders come whatever their dates (the entries query keeps those in force), so a person named
    in an order is found whether or not the organisation is in the register or they still hold a
    post there. Plain SQL because this runs on every check and the ORM's union costs more to build
    than to run."""
    sql = (
        "SELECT enterprise_id, role, appointed_on, left_on, CAST(NULL AS bigint) AS entry_id "  # noqa: S608 - table names from model metadata; values are parameters
        f"FROM {KeyPersonnel._meta.db_table} "
        "WHERE person_id = %s AND (appointed_on IS NULL OR appointed_on <= %s) "
        "AND (left_on IS NULL OR left_on > %s) "
        f"UNION ALL SELECT id, 'legal_representative', NULL, NULL, NULL FROM {Enterprise._meta.db_table} "
        "WHERE legal_representative_person_id = %s "
        f"UNION ALL SELECT id, '{PRINCIPAL_ROLE}', NULL, NULL, NULL FROM {Enterprise._meta.db_table} "
        "WHERE principal_id = %s "
        "UNION ALL SELECT NULL, NULL, NULL, NULL, entry_id "
        f"FROM {ConsumptionRestrictionDetail._meta.db_table} "
        "WHERE restricted_person_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id, on, on, person_id, person_id, person_id])
        rows = cursor.fetchall()
    posts = [row[:4] for row in rows if row[4] is None]
    named = {row[4] for row in rows if row[4] is not None}
    return posts, named


def _holds(list_type, entry: ListEntry) -> bool:
    if entry.person_id:
        return list_type.holds_persons
    if entry.enterprise.entity_type in GOVERNMENT_ENTITY_TYPES:
        return list_type.holds_government_bodies
    return list_type.holds_enterprises


def _reachable(entry: ListEntry, feeds_from: dict[int, list[ListFeed]]) -> dict[int, tuple[ListFeed, ...]]:
    """Lists the entry's subject is on, directly or through feeds: list id -> feeds walked.

    Breadth first, each list visited once, so a loop in the data cannot loop the walk and the
    shortest chain is the one reported."""
    paths: dict[int, tuple[ListFeed, ...]] = {entry.list_type_id: ()}
    frontier = [entry.list_type_id]
    while frontier:
        following = []
        for list_id in frontier:
            for feed in feeds_from.get(list_id, ()):
                if feed.target_id not in paths and _holds(feed.target, entry):
                    paths[feed.target_id] = (*paths[list_id], feed)
                    following.append(feed.target_id)
        frontier = following
    return paths


def _latest(*days: dt.date | None) -> dt.date:
    return max(day for day in days if day is not None)


def _earliest(*days: dt.date | None) -> dt.date | None:
    known = [day for day in days if day is not None]
    return min(known) if known else None


# The catalogue (feeds and measures with their memoranda) is small and rarely edited, and every
# check that finds an entry needs it. Outside a transaction a process keeps it for
# CATALOGUE_SECONDS, saving two queries per check; inside one (admin writes, tests) it is always
# read fresh, so a writer sees its own change and nothing cached outlives a rollback. The services
# clear it on commit; other processes see an edit within CATALOGUE_SECONDS.
CATALOGUE_SECONDS = 30.0
_catalogue: tuple[float, list[ListFeed], list[Measure]] | None = None


def _fresh_read_required() -> bool:
    return connection.in_atomic_block


def _load_catalogue() -> tuple[list[ListFeed], list[Measure]]:
    # Order does not matter to the engine; the models' default orderings would only add joins.
    feeds = list(ListFeed.objects.select_related("source", "target", "memorandum").order_by())
    measures = list(
        Measure.objects.annotate(trigger_id=F("memorandum__trigger_list_types"))
        .filter(trigger_id__isnull=False)
        .select_related("memorandum", "enforcing_agency")
        .order_by()
    )
    return feeds, measures


def restriction_catalogue() -> tuple[list[ListFeed], list[Measure]]:
    """Every feed, and every measure once per trigger list of its memorandum (``trigger_id``)."""
    global _catalogue
    if _fresh_read_required():
        return _load_catalogue()
    cached, now = _catalogue, time.monotonic()
    if cached is None or cached[0] < now:
        cached = (now + CATALOGUE_SECONDS, *_load_catalogue())
        _catalogue = cached
    return cached[1], cached[2]


def restriction_catalogue_clear() -> None:
    global _catalogue
    _catalogue = None


def restrictions_in_force(
    *,
    person: Person | None = None,
    enterprise: Enterprise | None = None,
    subject_kind: str = "",
    on: dt.date | None = None,
    measure_code: str = "",
) -> RestrictionAnswer:
    """Every measure (reward or punishment) in force for a subject on ``on``, with its reasons.

    A reason is a chain: measure <- memorandum <- trigger list <- feeds <- list entry in force,
    and for a person reached through an organisation, the link: the post they hold there, or the
    court's consumption-restriction order against it that names them, which binds them as the
    organisation's legal representative (``NAMED_GROUP``) whether or not they hold a post. Only
    entries in force on ``on`` count, so an entry that ends stops every measure it triggered the
    same day, for the person it names too. For a subject not in the register pass
    ``subject_kind`` ("person" or "enterprise") alone.
    At most four queries for a person and three for an enterprise, whatever the size of the data:
    posts and naming orders (persons), entries, and, only when some entry is in force, feeds and
    measures (which a process outside a transaction keeps for ``CATALOGUE_SECONDS``).
    """
    on = on or timezone.localdate()
    is_person = person is not None or (enterprise is None and subject_kind == "person")
    links: dict[int, list[Link]] = defaultdict(list)
    named: set[int] = set()  # entries whose restriction order names the person
    if is_person:
        person_id = person.pk if person is not None else NO_SUBJECT
        posts, named = _ties_of(person_id, on)
        entries_filter = (
            Q(person_id=person_id) | Q(enterprise_id__in={post[0] for post in posts}) | Q(pk__in=named)
        )
    else:
        posts = []
        entries_filter = Q(enterprise_id=enterprise.pk if enterprise is not None else NO_SUBJECT)
    entries = list(
        ListEntry.objects.in_force(on=on)
        .filter(entries_filter)
        .select_related("list_type", "issuing_agency", "enterprise")
        .order_by("starts_on", "pk")
    )
    for enterprise_id, role, appointed, left in posts:
        group = ROLE_GROUPS.get(role)
        if group is None:
            continue
        listed = next((e.enterprise for e in entries if e.enterprise_id == enterprise_id), None)
        if listed is not None and all(link.group != group for link in links[enterprise_id]):
            until = left - dt.timedelta(days=1) if left else None
            links[enterprise_id].append(Link(listed, role, group, appointed, until))
    if not entries:
        # Nothing in force: no memorandum can apply. A subject not in the register ends here too,
        # exactly like a registered one with nothing in force, so the timing tells nobody apart.
        return RestrictionAnswer(person=person, enterprise=enterprise, on=on, measures=[])
    feeds, catalogue = restriction_catalogue()
    feeds_from: dict[int, list[ListFeed]] = defaultdict(list)
    for feed in feeds:
        if feed.memorandum is None or feed.memorandum.in_force_on(on):
            feeds_from[feed.source_id].append(feed)
    starts = []  # (entry, link or None, {list id: feeds})
    for entry in entries:
        paths = _reachable(entry, feeds_from)
        if entry.person_id or not is_person:
            starts.append((entry, None, paths))
            continue
        if entry.pk in named:
            # The order binds the person it names whatever the register says. It comes first, so a
            # post in the same group (whose window is never wider than the order's) counts nothing
            # twice: the reasons below are kept once per measure, entry, organisation and group.
            starts.append((entry, Link(entry.enterprise, "", NAMED_GROUP, kind=NAMED_IN_ORDER), paths))
        starts.extend((entry, link, paths) for link in links.get(entry.enterprise_id, ()))
    triggers = {list_id for _entry, _link, paths in starts for list_id in paths}
    measures = [
        measure
        for measure in catalogue
        if measure.trigger_id in triggers
        and measure.memorandum.in_force_on(on)
        and (not measure_code or measure.code == measure_code)
    ]
    found: dict[int, MeasureInForce] = {}
    seen: set[tuple] = set()
    for measure in measures:
        if measure.trigger_list_type_id not in (None, measure.trigger_id):
            continue
        for entry, link, paths in starts:
            if measure.trigger_id not in paths:
                continue
            if not getattr(measure, f"binds_{link.group if link else 'subject'}"):
                continue
            key = (measure.pk, entry.pk, link.enterprise.pk if link else None, link.group if link else None)
            if key in seen:
                continue
            seen.add(key)
            feeds = paths[measure.trigger_id]
            memoranda = [measure.memorandum, *(feed.memorandum for feed in feeds if feed.memorandum)]
            reason = Reason(
                entry=entry,
                feeds=feeds,
                trigger=(feeds[-1].target if feeds else entry.list_type),
                memorandum=measure.memorandum,
                measure=measure,
                link=link,
                since=_latest(entry.starts_on, *(m.in_force_from for m in memoranda), link and link.since),
                until=_earliest(entry.planned_end, *(m.in_force_to for m in memoranda), link and link.until),
            )
            found.setdefault(measure.pk, MeasureInForce(measure)).reasons.append(reason)
    ordered = sorted(
        found.values(),
        key=lambda item: (
            _KIND_ORDER[item.measure.kind],
            item.measure.category,
            item.measure.code,
            item.measure.pk,
        ),
    )
    return RestrictionAnswer(person=person, enterprise=enterprise, on=on, measures=ordered)


def restriction_checks_for_subject(*, person: Person | None = None, enterprise: Enterprise | None = None):
    """Who checked this subject and when: what the subject itself may see of the check log."""
    if person is None and enterprise is None:
        return RestrictionCheck.objects.none()
    checks = (
        RestrictionCheck.objects.filter(person=person)
        if person
        else RestrictionCheck.objects.filter(enterprise=enterprise)
    )
    return checks.select_related("client", "client__agency").only(
        "at",
        "on",
        "measure_code",
        "restricted",
        "client__name",
        "client__agency__name_zh",
        "client__agency__name_en",
    )
