"""Reads of the master database that pages and the API share."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from core.classification import Audience, may_see, model_classification
from core.workdays import WorkingCalendar
from registry.models import (
    AbnormalOperationListing,
    AdministrativeLicence,
    AdministrativePenalty,
    AnnualReport,
    Award,
    Branch,
    CalendarDay,
    ChangeRecord,
    ContributionRecord,
    Enterprise,
    InspectionRecord,
    KeyPersonnel,
    Person,
    Shareholder,
    TaxRecord,
    UtilityArrear,
    WorkingCalendarYear,
)

# Sections of a credit file in the order the public original shows them, with the
# related name and the foreign keys each section needs joined.
PROFILE_SECTIONS: tuple[tuple[str, type, tuple[str, ...]], ...] = (
    ("shareholders", Shareholder, ("source_agency", "person")),
    ("key_personnel", KeyPersonnel, ("source_agency", "person")),
    ("branches", Branch, ("source_agency", "region__parent__parent", "registration_authority")),
    ("change_records", ChangeRecord, ("source_agency",)),
    ("annual_reports", AnnualReport, ("source_agency",)),
    ("licences", AdministrativeLicence, ("source_agency", "issuing_agency")),
    ("penalties", AdministrativePenalty, ("source_agency", "deciding_agency")),
    (
        "abnormal_listings",
        AbnormalOperationListing,
        (
            "source_agency",
            "listing_agency",
            "removal_agency",
        ),
    ),
    ("inspections", InspectionRecord, ("source_agency", "inspecting_agency")),
    ("awards", Award, ("source_agency", "awarding_agency")),
    ("tax_records", TaxRecord, ("source_agency",)),
    ("contribution_records", ContributionRecord, ("source_agency",)),
    ("utility_arrears", UtilityArrear, ("source_agency",)),
)


def visible_sections(audience: Audience | int) -> list[tuple[str, type, tuple[str, ...]]]:
    return [section for section in PROFILE_SECTIONS if may_see(audience, model_classification(section[1]))]


def enterprise_profile_queryset(audience: Audience | int) -> QuerySet[Enterprise]:
    """Enterprises with every visible section prefetched: a fixed number of queries."""
    prefetches = [
        Prefetch(name, queryset=model.objects.select_related(*joins))
        for name, model, joins in visible_sections(audience)
    ]
    return Enterprise.objects.select_related(
        "region", "region__parent__parent", "registration_authority"
    ).prefetch_related(*prefetches)


def enterprise_profile(*, uscc: str, audience: Audience | int = Audience.PUBLIC) -> Enterprise | None:
    return enterprise_profile_queryset(audience).filter(uscc=uscc).first()


def registry_counts() -> dict[str, int]:
    """Sizes for the home page: planner estimates for big tables, exact counts for small ones."""
    from django.db import connection

    models_by_label = {"enterprises": Enterprise, "persons": Person}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, GREATEST(reltuples, 0)::bigint FROM pg_class WHERE relname = ANY(%s)",
            [[model._meta.db_table for model in models_by_label.values()]],
        )
        estimates = dict(cursor.fetchall())
    counts = {}
    for label, model in models_by_label.items():
        estimate = int(estimates.get(model._meta.db_table, 0))
        counts[label] = estimate if estimate > EXACT_COUNT_LIMIT else model.objects.count()
    return counts


# Below this size an exact COUNT(*) is cheap; above it the estimate is close enough for a headline.
EXACT_COUNT_LIMIT = 200_000


# --- public enterprise search ----------------------------------------------------------------------


def enterprise_search(
    *,
    q: str,
    province: str | None = None,
    status: str | None = None,
    industry: str | None = None,
    established: tuple[int, int] | None = None,
    page: int = 1,
    page_size: int = 20,
    identifiers_any=(),
    kind: str | None = None,
    level: str | None = None,
):
    """Enterprises by name, former name, USCC, organisation code or registration number.

    Every filter runs inside the search statements, on indexes: status, industry and province
    as facet lexemes of the document's tokens (GIN, intersected with the name tokens), the
    province also as its column and the establishment years (``(first, last)``, both
    inclusive) on ``published_on`` (B-tree, for the newest-first walk). ``kind`` (an entity type)
    and ``level`` (a government body's level) are facets too. ``identifiers_any``
    keeps the enterprises holding one of these identifiers (USCC, registration number): the
    enterprises of a list, from a higher app that knows the lists. Raises ``SearchQueryError``.
    """
    import datetime as dt

    from registry.services.search import kind_facet, level_facet
    from search.models import SearchDocument
    from search.query import search
    from search.services import industry_facet, province_facet, status_facet

    facets = [status_facet(status)] if status else []
    if industry:
        facets.append(industry_facet(industry))
    if province:
        facets.append(province_facet(str(province)[:2] + "0000"))
    facets += [kind_facet(kind)] if kind else []
    facets += [level_facet(level)] if level else []
    first, last = established or (None, None)
    return search(
        q,
        kinds=[SearchDocument.Kind.ENTERPRISE],
        province=province or None,
        page=page,
        page_size=page_size,
        facets=facets,
        published_from=dt.date(first, 1, 1) if first else None,
        published_to=dt.date(last, 12, 31) if last else None,
        any_tags=list(identifiers_any),
    )


def abnormal_listed_enterprise_ids(*, enterprise_ids, on=None) -> set[int]:
    """Which of these enterprises are on the abnormal-operations directory on ``on`` (listed on
    or before it and not removed by then): one query for any number of enterprises."""
    from django.db.models import Q
    from django.utils import timezone

    on = on or timezone.localdate()
    return set(
        AbnormalOperationListing.objects.filter(enterprise_id__in=list(enterprise_ids), listed_on__lte=on)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on))
        .values_list("enterprise_id", flat=True)
        .distinct()
    )


def calendar_years_unconfirmed(*, today: dt.date | None = None) -> list[int]:
    """This year and next, where the working-day calendar has no confirmed schedule.

    Deadlines given in December already run into January, so next year's schedule is needed as
    soon as the State Council publishes it (usually in October or November)."""
    today = today or timezone.localdate()
    wanted = [today.year, today.year + 1]
    confirmed = set(
        WorkingCalendarYear.objects.filter(year__in=wanted, status=WorkingCalendarYear.Status.CONFIRMED)
        .order_by()
        .values_list("year", flat=True)
    )
    return [year for year in wanted if year not in confirmed]


def working_calendar_from_database() -> WorkingCalendar:
    """The working-day calendar as the database holds it (registered with core.workdays)."""
    rest, work = set(), set()
    for day, kind in CalendarDay.objects.order_by().values_list("day", "kind"):
        (work if kind == CalendarDay.Kind.MAKEUP_WORKDAY else rest).add(day)
    years = frozenset(WorkingCalendarYear.objects.order_by().values_list("year", flat=True))
    return WorkingCalendar(frozenset(rest), frozenset(work), years)
