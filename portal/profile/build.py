"""Assemble the public profile of one enterprise from the register and the lists.

Everything a reader sees is decided here, once: which records are public, what is withheld, how
money and dates read in the active language. The HTML page and the PDF credit report only lay the
resulting :class:`~portal.profile.types.Profile` out.

Only public data is used: tax records, social-insurance contributions and utility arrears are not
published, a person's ID number is never loaded, and a person record (restricted) is used only by
its id, to find the other enterprises where the same person holds a post.

The number of queries is fixed whatever the number of records: the enterprise with its joins, one
query per record type, the other posts of its key personnel, the branches known to the register,
the list entries in force, the restriction engine (at most three) and the agency grades in force.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from blacklists.restrictions import chinese
from blacklists.selectors import public_entry_queryset, restrictions_in_force
from filings.models import CreditCommitment, InstantDisclosure
from portal.profile.agency_grades import agency_grades_section
from portal.profile.commitments import awards_section, commitments_section
from portal.profile.enforcement import (
    abnormal_section,
    inspections_section,
    licences_section,
    penalties_section,
)
from portal.profile.filings import annual_reports_section, instant_disclosures_section
from portal.profile.government import (
    NOT_FOR_PUBLIC_BODIES,
    assessments_section,
    body_section,
    feedback_section,
    records_section,
)
from portal.profile.lists import badges, entries_section
from portal.profile.measures import measures_section
from portal.profile.objections import objection_targets
from portal.profile.registration import (
    branches_section,
    changes_section,
    licence_section,
    personnel_section,
    shareholders_section,
)
from portal.profile.types import Profile
from registry.models import (
    AbnormalOperationListing,
    AdministrativeLicence,
    AdministrativePenalty,
    AnnualReport,
    Award,
    Branch,
    ChangeRecord,
    Enterprise,
    InspectionRecord,
    KeyPersonnel,
    Shareholder,
)

SERIOUS_ILLEGAL_LIST = "samr-serious-illegal"

# Section keys in the public original's order (NECIPS), then this portal's additions.
SECTION_KEYS = (
    "licence",
    "shareholders",
    "key_personnel",
    "branches",
    "change_records",
    "annual_reports",
    "instant_disclosures",
    "licences",
    "penalties",
    "abnormal_listings",
    "serious_illegal",
    "inspections",
    "list_entries",
    "measures",
    "commitments",
    "awards",
    "agency_grades",
)


# --- reads -----------------------------------------------------------------------------------------
def _prefetches(on: dt.date) -> list[Prefetch]:
    """Every public record type of a credit file, each in one query with what it shows joined."""
    return [
        Prefetch(
            "shareholders",
            queryset=Shareholder.objects.select_related("source_agency", "shareholder_enterprise"),
        ),
        Prefetch(
            "key_personnel",
            queryset=KeyPersonnel.objects.select_related("source_agency").filter(
                Q(left_on__isnull=True) | Q(left_on__gt=on)
            ),
        ),
        Prefetch(
            "branches",
            queryset=Branch.objects.select_related(
                "source_agency", "registration_authority", "region", "region__parent__parent"
            ),
        ),
        Prefetch("change_records", queryset=ChangeRecord.objects.select_related("source_agency")),
        Prefetch("annual_reports", queryset=AnnualReport.objects.select_related("source_agency")),
        Prefetch(
            "licences",
            queryset=AdministrativeLicence.objects.select_related("source_agency", "issuing_agency"),
        ),
        Prefetch(
            "penalties",
            queryset=AdministrativePenalty.objects.select_related("source_agency", "deciding_agency").filter(
                Q(publication_ends_on__isnull=True) | Q(publication_ends_on__gte=on)
            ),
        ),
        Prefetch(
            "abnormal_listings",
            queryset=AbnormalOperationListing.objects.select_related(
                "source_agency", "listing_agency", "removal_agency"
            ),
        ),
        Prefetch(
            "inspections",
            queryset=InspectionRecord.objects.select_related(
                "source_agency", "inspecting_agency", "task_result__category", "task_result__target__task"
            ).prefetch_related("task_result__target__task__items"),
        ),
        Prefetch(
            "credit_commitments",
            queryset=CreditCommitment.objects.select_related("source_agency", "broken_by"),
        ),
        Prefetch("awards", queryset=Award.objects.select_related("source_agency", "awarding_agency")),
        Prefetch("instant_disclosures", queryset=InstantDisclosure.objects.order_by("-occurred_on", "-id")),
    ]


# --- the profile -----------------------------------------------------------------------------------
def enterprise_public_queryset(on: dt.date):
    return Enterprise.objects.select_related(
        "region", "region__parent__parent", "registration_authority", "parent_body", "principal"
    ).prefetch_related(*_prefetches(on))


def enterprise_profile_public(*, uscc: str, on: dt.date | None = None) -> Profile | None:
    """The public record of the enterprise with this USCC on ``on`` (today by default), or None."""
    on = on or timezone.localdate()
    enterprise = enterprise_public_queryset(on).filter(uscc=uscc).first()
    if enterprise is None:
        return None
    entries = list(
        public_entry_queryset().in_force(on=on).filter(enterprise=enterprise).order_by("-published_on", "-id")
    )
    serious = [entry for entry in entries if entry.list_type.code == SERIOUS_ILLEGAL_LIST]
    others = [entry for entry in entries if entry.list_type.code != SERIOUS_ILLEGAL_LIST]
    measures = restrictions_in_force(enterprise=enterprise, on=on).measures
    sections = [
        licence_section(enterprise),
        shareholders_section(enterprise),
        personnel_section(enterprise, on),
        branches_section(enterprise),
        changes_section(enterprise),
        annual_reports_section(enterprise),
        instant_disclosures_section(enterprise),
        licences_section(enterprise),
        penalties_section(enterprise),
        abnormal_section(enterprise),
        entries_section(
            "serious_illegal",
            _("Serious illegal and dishonest enterprises"),
            serious,
            _("The enterprise is not on the list of serious illegal and dishonest enterprises."),
        ),
        inspections_section(enterprise),
        entries_section(
            "list_entries",
            _("Blacklists and redlists"),
            others,
            _("The enterprise is on no other blacklist or redlist."),
        ),
        measures_section(measures),
        commitments_section(enterprise),
        awards_section(enterprise),
        agency_grades_section(enterprise, on),
    ]
    if enterprise.is_government_body:
        sections = [section for section in sections if section.key not in NOT_FOR_PUBLIC_BODIES]
        sections[1:1] = [
            body_section(enterprise),
            records_section(enterprise),
            assessments_section(enterprise, chinese=chinese()),
            feedback_section(enterprise, on),
        ]
    return Profile(
        uscc=enterprise.uscc,
        name=enterprise.name,
        status=str(enterprise.get_status_display()),
        on=on,
        sections=sections,
        badges=badges(enterprise, entries),
        measures=measures,
        objection_targets=objection_targets(enterprise, serious, others),
    )
