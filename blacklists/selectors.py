"""Reads of lists and entries shared by pages and the API."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import Prefetch, QuerySet
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from blacklists.models import ListEntry, ListEntryStatusChange, ListType
from blacklists.search import KIND, court_tag, list_tag
from registry.search.query import COUNT_CAP, MAX_PAGE, MAX_PAGE_SIZE, SearchQueryError, search

COURT_LIST_CODES = ("court-defaulters", "consumption-restriction")


@dataclass(frozen=True)
class EntryPage:
    entries: list[ListEntry]
    page: int
    page_size: int
    has_next: bool
    total: int | None  # exact when known; None means "more than COUNT_CAP"

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def total_display(self) -> str:
        return str(self.total) if self.total is not None else f"{COUNT_CAP}+"


def public_entry_queryset() -> QuerySet[ListEntry]:
    """Everything a public entry page shows, in a fixed number of queries."""
    return ListEntry.objects.select_related(
        "list_type",
        "list_type__owner",
        "issuing_agency",
        "person",
        "enterprise",
        "court_defaulter",
        "court_defaulter__province",
        "consumption_restriction",
        "consumption_restriction__province",
    )


# A result page (the public search page and the API) loads its entries in one statement of fixed
# text: only the columns a result shows, from the eight tables that hold them. Plain SQL because
# compiling the ten-table select_related of public_entry_queryset() took the ORM longer than
# PostgreSQL took to plan and run it; the instances are built as the ORM builds them, so a column
# not loaded here is fetched on access (deferred) instead of being silently empty. The entry and
# its list, court and subject are joined in a subquery that PostgreSQL plans on its own (OFFSET 0),
# then the court-case details: planning two joins of five and four tables instead of one of eight
# takes 0.4 ms instead of 1.1 ms (running the statement takes 0.1 ms).
_PAGE_FIELDS = (
    ("e", ListEntry, "FROM {table} e", ("id", "list_type", "person", "enterprise", "subject_name",
     "issuing_agency", "decision_number", "decision_date", "legal_basis", "circumstance", "severity",
     "starts_on", "planned_end", "permanent", "published_on", "status")),
    ("lt", ListType, "JOIN {table} lt ON lt.id = e.list_type_id", ("id", "code")),
    ("a", "registry.Agency", "JOIN {table} a ON a.id = e.issuing_agency_id",
     ("id", "name_zh", "name_en", "level", "kind")),
    ("p", "registry.Person", "LEFT JOIN {table} p ON p.id = e.person_id", ("id", "id_masked")),
    ("n", "registry.Enterprise", "LEFT JOIN {table} n ON n.id = e.enterprise_id", ("id", "uscc")),
    # after the subquery x, whose column c0 is the entry's id
    ("d", "blacklists.CourtDefaulterDetail", "LEFT JOIN {table} d ON d.entry_id = x.c0",
     ("entry", "subject_kind", "id_display", "sex", "age", "legal_representative", "province",
      "filing_date", "basis_document_number", "basis_unit", "obligation", "performance",
      "performed_part", "unperformed_part", "circumstance")),
    ("c", "blacklists.ConsumptionRestrictionDetail", "LEFT JOIN {table} c ON c.entry_id = x.c0",
     ("entry", "subject_kind", "id_display", "sex", "age", "legal_representative", "province",
      "filing_date", "basis_document_number", "basis_unit", "order_text", "restricted_person",
      "restricted_person_name")),
    ("r", "registry.Region", "LEFT JOIN {table} r ON r.code = COALESCE(d.province_id, c.province_id)",
     ("code", "name_zh", "name_en", "level")),
)  # fmt: skip
_PAGE_INNER = 5  # the first five tables form the subquery


@functools.cache
def _page_statement() -> tuple[str, list[tuple[type, list[str], int, int, int]]]:
    """The statement, and per table: model, attribute names (in the model's field order), the
    slice of the row holding them, and the column of the primary key (NULL: no such row)."""
    inner, outer, inner_joins, outer_joins, parts = [], [], [], [], []
    for number, (alias, model, join, names) in enumerate(_PAGE_FIELDS):
        model = apps.get_model(model) if isinstance(model, str) else model
        fields = [field for field in model._meta.concrete_fields if field.name in names]
        start = len(inner) + len(outer)
        key = start + next(index for index, field in enumerate(fields) if field.primary_key)
        parts.append((model, [field.attname for field in fields], start, start + len(fields), key))
        columns = [f'{alias}."{field.column}"' for field in fields]
        if number < _PAGE_INNER:
            inner += columns
            inner_joins.append(join.format(table=model._meta.db_table))
        else:
            outer += columns
            outer_joins.append(join.format(table=model._meta.db_table))
    assert inner[0] == 'e."id"'  # x.c0, which the details join on
    subquery = (
        f"SELECT {', '.join(f'{column} AS c{index}' for index, column in enumerate(inner))} "
        f"{' '.join(inner_joins)} WHERE e.id = ANY(%s::bigint[]) OFFSET 0"
    )
    selected = [f"x.c{index}" for index in range(len(inner))] + outer
    sql = f"SELECT {', '.join(selected)} FROM ({subquery}) x {' '.join(outer_joins)}"
    return sql, parts


def _page_entries(ids: list[int]) -> dict[int, ListEntry]:
    """The entries with these ids, each with its list, court, subject and court-case details."""
    if not ids:
        return {}
    sql, parts = _page_statement()
    db = ListEntry.objects.db
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [list(ids)])
        rows = cursor.fetchall()
    meta = ListEntry._meta
    forward = [meta.get_field(name) for name in ("list_type", "issuing_agency", "person", "enterprise")]
    reverse = [meta.get_field(name) for name in ("court_defaulter", "consumption_restriction")]
    by_id = {}
    for row in rows:
        entry, *related = (
            None if row[key] is None else model.from_db(db, names, row[start:end])
            for model, names, start, end, key in parts
        )
        for field, value in zip(forward, related[:4], strict=True):
            field.set_cached_value(entry, value)
        province = related[6]
        for rel, detail in zip(reverse, related[4:6], strict=True):
            rel.set_cached_value(entry, detail)
            if detail is not None:
                rel.field.set_cached_value(detail, entry)
                detail._meta.get_field("province").set_cached_value(detail, province)
        by_id[entry.pk] = entry
    return by_id


def list_entry_public(*, pk: int) -> ListEntry | None:
    """An entry with its status history, or None. Callers decide what an ended entry may show."""
    return (
        public_entry_queryset()
        .prefetch_related(
            Prefetch("status_changes", queryset=ListEntryStatusChange.objects.order_by("at", "id"))
        )
        .filter(pk=pk)
        .first()
    )


def _checked_page(page: int, page_size: int) -> None:
    if page < 1 or page > MAX_PAGE:
        raise SearchQueryError(
            _("Pages run from 1 to %(max)d; please narrow the search.") % {"max": MAX_PAGE}
        )
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise SearchQueryError(_("A page holds between 1 and %(max)d results.") % {"max": MAX_PAGE_SIZE})


def entry_search(
    *,
    q: str = "",
    list_codes: tuple[str, ...] | list[str] = COURT_LIST_CODES[:1],
    province: str | None = None,
    court_id: int | None = None,
    page: int = 1,
    page_size: int = 20,
) -> EntryPage:
    """Entries in force on the given lists: by name, ID number, USCC or case number, or browsed.

    With a query, the shared search index ranks (exact name, prefix, then most recent). Without
    one, a province or court is required and entries come newest first.
    """
    _checked_page(page, page_size)
    q = (q or "").strip()
    if q:
        result = search(
            q,
            kinds=[KIND],
            province=province,
            page=page,
            page_size=page_size,
            any_tags=[list_tag(code) for code in list_codes],
            all_tags=[court_tag(court_id)] if court_id else [],
        )
        by_id = _page_entries([hit.object_id for hit in result.results])
        entries = [by_id[hit.object_id] for hit in result.results if hit.object_id in by_id]
        # An entry past its planned end is never shown, even before the expiry job withdraws it.
        today = localdate()
        entries = [entry for entry in entries if entry.effective_status(today) == ListEntry.Status.IN_FORCE]
        return EntryPage(entries, page, page_size, result.has_next, result.total_estimate)
    if not province and not court_id:
        raise SearchQueryError(
            _("Enter a name, ID number, USCC or case number, or choose a province or court.")
        )
    queryset = public_entry_queryset().in_force().filter(list_type__code__in=list_codes)
    if court_id:
        queryset = queryset.filter(issuing_agency_id=court_id)
    if province:
        if len(str(province)) != 6 or not str(province).isdigit():
            raise ValidationError(_("A province is given by its six-digit division code."))
        code = str(province)[:2]
        queryset = queryset.filter(
            issuing_agency__region_id__gte=code + "0000", issuing_agency__region_id__lte=code + "9999"
        )
    offset = (page - 1) * page_size
    rows = list(queryset.order_by("-published_on", "-id")[offset : offset + page_size + 1])
    return EntryPage(
        rows[:page_size],
        page,
        page_size,
        len(rows) > page_size,
        None if len(rows) > page_size else offset + len(rows),
    )


def list_types_public() -> QuerySet[ListType]:
    return ListType.objects.select_related("owner", "region").order_by("kind", "code")


def list_entries_for_subject(
    *, person=None, enterprise=None, list_code: str | None = None
) -> QuerySet[ListEntry]:
    queryset = public_entry_queryset().in_force().for_subject(person=person, enterprise=enterprise)
    if list_code:
        queryset = queryset.filter(list_type__code=list_code)
    return queryset.order_by("-published_on", "-id")


# --- restriction check (joint rewards and punishments) ---------------------------------------------
# Imports for this section stay here so the functions above read as they did before it existed.
import datetime as dt  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402

from django.db import connection  # noqa: E402
from django.db.models import F, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from blacklists.models import ROLE_GROUPS, ListFeed, Measure, Memorandum, RestrictionCheck  # noqa: E402
from blacklists.restrictions import Link, MeasureInForce, Reason, RestrictionAnswer  # noqa: E402
from registry.models import Agency, Enterprise, KeyPersonnel, Person  # noqa: E402

# No row has this id: an unknown subject runs the same queries as a known one, so the answer
# takes as long and tells nobody who is in the register.
NO_SUBJECT = -1
GOVERNMENT_ENTITY_TYPES = frozenset({"government_organ", "public_institution"})
_KIND_ORDER = {Measure.Kind.PUNISHMENT: 0, Measure.Kind.REWARD: 1}


def _posts_of(person_id: int, on: dt.date) -> list[tuple[int, str, dt.date | None, dt.date | None]]:
    """(enterprise id, role, appointed, left) for every post a person holds on ``on``: one query.

    The register's own legal-representative link counts even without a key-personnel row. Plain
    SQL because this runs on every check and the ORM's union costs more to build than to run."""
    sql = (
        f"SELECT enterprise_id, role, appointed_on, left_on FROM {KeyPersonnel._meta.db_table} "
        "WHERE person_id = %s AND (appointed_on IS NULL OR appointed_on <= %s) "
        "AND (left_on IS NULL OR left_on > %s) "
        f"UNION ALL SELECT id, 'legal_representative', NULL, NULL FROM {Enterprise._meta.db_table} "
        "WHERE legal_representative_person_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id, on, on, person_id])
        return cursor.fetchall()


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
    and for a person reached through an organisation, the post that links them. Only entries in
    force on ``on`` count, so an entry that ends stops every measure it triggered the same day.
    For a subject not in the register pass ``subject_kind`` ("person" or "enterprise") alone.
    At most four queries for a person and three for an enterprise, whatever the size of the data:
    posts (persons), entries, and, only when some entry is in force, feeds and measures (which a
    process outside a transaction keeps for ``CATALOGUE_SECONDS``).
    """
    on = on or timezone.localdate()
    is_person = person is not None or (enterprise is None and subject_kind == "person")
    links: dict[int, list[Link]] = defaultdict(list)
    if is_person:
        person_id = person.pk if person is not None else NO_SUBJECT
        posts = _posts_of(person_id, on)
        entries_filter = Q(person_id=person_id) | Q(enterprise_id__in={post[0] for post in posts})
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
        else:
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


def memoranda_public() -> QuerySet[Memorandum]:
    """Memoranda with everything their public pages show, in a fixed number of queries."""
    return Memorandum.objects.select_related("lead_agency").prefetch_related(
        Prefetch("signatories", queryset=Agency.objects.order_by("level", "name_zh")),
        Prefetch("trigger_list_types", queryset=ListType.objects.select_related("owner").order_by("code")),
        Prefetch(
            "measures",
            queryset=Measure.objects.select_related("enforcing_agency", "trigger_list_type").order_by(
                "kind", "category", "code", "id"
            ),
        ),
    )


def list_feeds_public() -> QuerySet[ListFeed]:
    return ListFeed.objects.select_related("source", "target", "memorandum").order_by(
        "source__code", "target__code"
    )


# --- badges on enterprise search results -----------------------------------------------------------

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


# --- credit repair (信用修复): who may apply, from when, with which documents -----------------------

import calendar  # noqa: E402
from decimal import Decimal  # noqa: E402

from blacklists.models import RepairApplication  # noqa: E402
from registry.models import AdministrativePenalty, Document  # noqa: E402

# Every repair application carries these; a training certificate too where the list requires it.
REPAIR_BASE_DOCUMENTS = (
    Document.Kind.REPAIR_APPLICATION,
    Document.Kind.REPAIR_COMMITMENT,
    Document.Kind.PROOF_OF_PERFORMANCE,
    Document.Kind.AUTHORISATION,
)
# Minimum publication of a penalty before repair (NDRC Order No. 58 of 2023, 失信行为纠正后的信用信息
# 修复管理办法（试行）): general penalties 3 months, serious ones 1 year from the decision. A penalty
# counts as serious here when its fine reaches RMB 100,000 or it confiscates illegal gains.
SERIOUS_PENALTY_FINE = Decimal("100000")
GENERAL_PENALTY_MONTHS = 3
SERIOUS_PENALTY_MONTHS = 12


@dataclass(frozen=True)
class Eligibility:
    """Whether a record may be repaired on a day, from when, why not, and with which documents."""

    eligible: bool
    eligible_from: dt.date | None  # None: never by application
    reasons: list[str]
    required_documents: list[str]
    repairable: bool = True  # False: no application can ever succeed (say why in ``reasons``)

    @property
    def required_document_labels(self) -> list[str]:
        return [str(Document.Kind(kind).label) for kind in self.required_documents]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def penalty_is_serious(penalty: AdministrativePenalty) -> bool:
    return penalty.fine_amount >= SERIOUS_PENALTY_FINE or penalty.confiscated_amount > 0


def penalty_repair_from(penalty: AdministrativePenalty) -> dt.date:
    months = SERIOUS_PENALTY_MONTHS if penalty_is_serious(penalty) else GENERAL_PENALTY_MONTHS
    return add_months(penalty.decided_on, months)


def _required_for_entry(entry: ListEntry) -> list[str]:
    kinds = list(REPAIR_BASE_DOCUMENTS)
    if entry.list_type.repair_requires_training:
        kinds.append(Document.Kind.TRAINING_CERTIFICATE)
    return kinds


def _not_repairable(reason: str, required: list[str]) -> Eligibility:
    return Eligibility(False, None, [reason], required, repairable=False)


def _entry_eligibility(entry: ListEntry, *, on: dt.date, pending: bool) -> Eligibility:
    required = _required_for_entry(entry)
    if entry.list_type.code in COURT_LIST_CODES:
        return _not_repairable(
            _(
                "Court lists are not repaired by application: the court removes the entry as soon as "
                "the judgment is performed. Perform the obligation and tell the court."
            ),
            required,
        )
    if entry.person_id or entry.enterprise_id is None:
        return _not_repairable(_("Only an enterprise's own listing can be repaired here."), required)
    if entry.list_type.kind == ListType.Kind.REDLIST:
        return _not_repairable(_("A redlist entry needs no repair."), required)
    if entry.permanent or entry.severity == ListEntry.Severity.EXTREMELY_SERIOUS:
        return _not_repairable(
            _("An extremely serious or permanent listing cannot be repaired by application."), required
        )
    if entry.effective_status(on) != ListEntry.Status.IN_FORCE:
        return _not_repairable(
            _("The entry is no longer in force (%(status)s).")
            % {"status": entry.get_effective_status_display()},
            required,
        )
    eligible_from = entry.starts_on
    if entry.list_type.min_period_days:
        eligible_from = entry.starts_on + dt.timedelta(days=entry.list_type.min_period_days)
    reasons = []
    if on < eligible_from:
        reasons.append(
            _(
                "The minimum listing period of %(days)d days from %(start)s has not passed: "
                "you can apply from %(date)s."
            )
            % {"days": entry.list_type.min_period_days, "start": entry.starts_on, "date": eligible_from}
        )
    if pending:
        reasons.append(_("An application for this record is already pending."))
    return Eligibility(not reasons, eligible_from, reasons, required)


def _penalty_eligibility(penalty: AdministrativePenalty, *, on: dt.date, pending: bool) -> Eligibility:
    required = list(REPAIR_BASE_DOCUMENTS)
    if penalty.publication_ends_on is not None and penalty.publication_ends_on <= on:
        return _not_repairable(
            _("The penalty's publication ended on %(date)s.") % {"date": penalty.publication_ends_on},
            required,
        )
    eligible_from = penalty_repair_from(penalty)
    reasons = []
    if on < eligible_from:
        if penalty_is_serious(penalty):
            text = _(
                "A serious penalty (fine of RMB 100,000 or more, or confiscation) is published for at "
                "least one year: you can apply from %(date)s."
            )
        else:
            text = _("A penalty is published for at least three months: you can apply from %(date)s.")
        reasons.append(text % {"date": eligible_from})
    if pending:
        reasons.append(_("An application for this record is already pending."))
    return Eligibility(not reasons, eligible_from, reasons, required)


def repair_eligibility(
    *,
    list_entry: ListEntry | None = None,
    penalty: AdministrativePenalty | None = None,
    on: dt.date | None = None,
) -> Eligibility:
    """May the subject apply for credit repair of this entry or penalty on ``on``, and with what?"""
    if (list_entry is None) == (penalty is None):
        raise ValueError("pass exactly one of list_entry and penalty")
    on = on or timezone.localdate()
    pending = RepairApplication.objects.pending()
    if list_entry is not None:
        return _entry_eligibility(list_entry, on=on, pending=pending.filter(list_entry=list_entry).exists())
    return _penalty_eligibility(penalty, on=on, pending=pending.filter(penalty=penalty).exists())


@dataclass(frozen=True)
class RepairTarget:
    kind: str  # "entry" or "penalty"
    record: ListEntry | AdministrativePenalty
    eligibility: Eligibility


def repair_targets_for_enterprise(*, enterprise: Enterprise, on: dt.date | None = None) -> list[RepairTarget]:
    """The enterprise's entries in force and its published penalties, each with its eligibility.

    Four queries whatever their number."""
    on = on or timezone.localdate()
    entries = list(
        ListEntry.objects.in_force(on=on)
        .filter(enterprise=enterprise)
        .select_related("list_type", "issuing_agency")
        .order_by("starts_on", "pk")
    )
    penalties = list(
        AdministrativePenalty.objects.filter(enterprise=enterprise)
        .filter(Q(publication_ends_on__isnull=True) | Q(publication_ends_on__gt=on))
        .select_related("deciding_agency")
        .order_by("decided_on", "pk")
    )
    pending = RepairApplication.objects.pending().filter(enterprise=enterprise)
    pending_entries, pending_penalties = set(), set()
    for entry_id, penalty_id in pending.values_list("list_entry_id", "penalty_id"):
        (pending_entries if entry_id else pending_penalties).add(entry_id or penalty_id)
    targets = [
        RepairTarget("entry", entry, _entry_eligibility(entry, on=on, pending=entry.pk in pending_entries))
        for entry in entries
    ]
    targets += [
        RepairTarget(
            "penalty", penalty, _penalty_eligibility(penalty, on=on, pending=penalty.pk in pending_penalties)
        )
        for penalty in penalties
    ]
    return targets


def repair_applications_for_enterprise(*, enterprise: Enterprise) -> QuerySet[RepairApplication]:
    return (
        RepairApplication.objects.filter(enterprise=enterprise)
        .select_related("list_entry", "list_entry__list_type", "penalty", "agency")
        .prefetch_related("documents")
        .order_by("-submitted_at", "-id")
    )
