"""Reads of the master database that pages and the API share."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from registry.classification import Audience, may_see, model_classification
from registry.models import (
    AbnormalOperationListing,
    AdministrativeLicence,
    AdministrativePenalty,
    AnnualReport,
    Award,
    Branch,
    ChangeRecord,
    ContributionRecord,
    Enterprise,
    InspectionRecord,
    KeyPersonnel,
    Person,
    Shareholder,
    TaxRecord,
    UtilityArrear,
)

# Sections of a credit file in the order the public original shows them, with the
# related name and the foreign keys each section needs joined.
PROFILE_SECTIONS: tuple[tuple[str, type, tuple[str, ...]], ...] = (
    ("shareholders", Shareholder, ("source_agency", "person")),
    ("key_personnel", KeyPersonnel, ("source_agency", "person")),
    ("branches", Branch, ("source_agency", "region", "registration_authority")),
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
        "region", "region__parent", "registration_authority"
    ).prefetch_related(*prefetches)


def enterprise_profile(*, uscc: str, audience: Audience | int = Audience.PUBLIC) -> Enterprise | None:
    return enterprise_profile_queryset(audience).filter(uscc=uscc).first()


def registry_counts() -> dict[str, int]:
    """Approximate sizes from the planner's statistics, so the home page stays cheap at scale."""
    from django.db import connection

    tables = {"enterprises": Enterprise._meta.db_table, "persons": Person._meta.db_table}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, GREATEST(reltuples, 0)::bigint FROM pg_class WHERE relname = ANY(%s)",
            [list(tables.values())],
        )
        sizes = dict(cursor.fetchall())
    return {label: int(sizes.get(table, 0)) for label, table in tables.items()}
