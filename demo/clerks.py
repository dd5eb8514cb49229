"""Demo clerks of one agency each, and work due for them.

A clerk of a county market-regulation bureau and a clerk of a court, each a staff user with the
group of their kind (``accounts.clerk_roles``) and an ``AgencyMembership``, so that the demo shows
what one agency's clerk sees. Their agencies get applications to decide, some due within a few
working days and some overdue: written through the services (the company's applicant submits, as
in the portal), then dated back, as the demo dates list entries back (``demo.listings.write``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.clerk_roles import COURT_CLERK, MARKET_REGULATION_CLERK
from accounts.models import AgencyMembership, EnterpriseMembership
from accounts.services import agency_membership_create, agency_membership_update, clerk_groups_ensure
from blacklists.models import ListEntry
from blacklists.selectors.entries import COURT_LIST_CODES
from blacklists.services.entries import GOVERNMENT_TYPES
from casework.models import AbnormalRemovalApplication, Objection, RepairApplication
from casework.services import abnormal_removal_apply, objection_submit, repair_application_submit
from casework.services.removal import listing_report_year
from casework.services.repair import repair_decision_working_days
from core.workdays import add_working_days, working_calendar
from registry.models import (
    AbnormalOperationListing,
    AdministrativePenalty,
    Agency,
    AnnualReport,
    AuditEntry,
    Enterprise,
)
from registry.services import document_store, record_create
from registry.services.audit import SYSTEM

from .listings.write import moment

VIA = AuditEntry.Via.COMMAND
CLERK_PASSWORD = "clerk-demo-2026"  # noqa: S105 - a published demo credential, refused unless DEBUG is on
COUNTY_CLERK_USERNAME = "county-clerk"
COURT_CLERK_USERNAME = "court-clerk"
# The company user who submits the demo applications; nobody signs in as them.
APPLICANT_USERNAME = "applicant@example.com"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REPAIR_DOCUMENTS = ("repair_application", "repair_commitment", "proof_of_performance", "authorisation")


@dataclass(frozen=True)
class DemoClerk:
    username: str
    agency: Agency
    role: str
    work_created: int


def working_days_before(day: dt.date, count: int) -> dt.date:
    """The day ``count`` working days before ``day`` (counted from the last working day up to
    ``day``, so that on a weekend too an application submitted then is due ``period - count``
    working days from now, overdue when negative)."""
    calendar = working_calendar()
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    while count:
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            count -= 1
    return day


def _backdate(application, submitted_on: dt.date, period: int, now: dt.datetime) -> None:
    """Date an application (and its creation in the audit trail) as submitted on ``submitted_on``."""
    submitted_at = moment(submitted_on, 10, now)
    due_on = add_working_days(submitted_on, period)
    type(application).objects.filter(pk=application.pk).update(submitted_at=submitted_at, due_on=due_on)
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(application),
        object_pk=str(application.pk),
        action=AuditEntry.Action.CREATE,
    ).update(at=submitted_at)
    application.submitted_at, application.due_on = submitted_at, due_on


# --- the agencies -------------------------------------------------------------------------------
def county_bureau() -> Agency | None:
    """The first county market-regulation bureau of the prefecture where most demo companies are
    registered, so that it has companies to keep records of."""
    regions = Counter(
        Enterprise.objects.exclude(entity_type__in=GOVERNMENT_TYPES).values_list("region_id", flat=True)
    )
    for region_id, _count in sorted(regions.items(), key=lambda item: (-item[1], item[0] or "")):
        bureau = (
            Agency.objects.filter(
                kind=Agency.Kind.MARKET_REGULATION, level=Agency.Level.COUNTY, region__parent_id=region_id
            )
            .order_by("region_id", "pk")
            .first()
        )
        if bureau is not None:
            return bureau
    return Agency.objects.filter(kind=Agency.Kind.MARKET_REGULATION, level=Agency.Level.COUNTY).first()


def _court_entries():
    return ListEntry.objects.in_force().filter(
        list_type__code__in=COURT_LIST_CODES, enterprise__isnull=False, issuing_agency__kind=Agency.Kind.COURT
    )


def demo_court() -> Agency | None:
    """The court with the most entries in force against enterprises on the demo court lists."""
    counts = Counter(_court_entries().values_list("issuing_agency_id", flat=True))
    if not counts:
        return None
    agency_id = min(counts, key=lambda pk: (-counts[pk], pk))
    return Agency.objects.get(pk=agency_id)


# --- the users ----------------------------------------------------------------------------------
def _clerk(username: str, agency: Agency, group) -> None:
    user_model = get_user_model()
    user, _created = user_model._default_manager.get_or_create(username=username)
    user.is_active, user.is_staff, user.is_superuser = True, True, False
    user.set_password(CLERK_PASSWORD)
    user.save()
    user.groups.set([group])
    membership = AgencyMembership.objects.filter(user=user).first()
    if membership is None:
        agency_membership_create(user=user, agency=agency, actor=SYSTEM, via=VIA)
    elif membership.agency_id != agency.pk:
        agency_membership_update(membership=membership, agency=agency, actor=SYSTEM, via=VIA)


def _applicant(enterprise: Enterprise):
    user, created = get_user_model()._default_manager.get_or_create(
        username=APPLICANT_USERNAME, defaults={"email": APPLICANT_USERNAME}
    )
    if created:
        user.set_unusable_password()
        user.save()
    EnterpriseMembership.objects.get_or_create(user=user, enterprise=enterprise)
    return user


# --- the county bureau's work -------------------------------------------------------------------
def _companies(bureau: Agency, count: int) -> list[Enterprise]:
    """Companies in operation of the bureau's prefecture (else anywhere), the demo's order."""
    companies = Enterprise.objects.exclude(entity_type__in=GOVERNMENT_TYPES).filter(
        status=Enterprise.Status.IN_OPERATION
    )
    local = list(companies.filter(region_id=bureau.region.parent_id).order_by("uscc")[:count])
    return local + list(
        companies.exclude(pk__in=[c.pk for c in local]).order_by("uscc")[: count - len(local)]
    )


def _penalty(bureau: Agency, enterprise: Enterprise, serial: int, today: dt.date) -> AdministrativePenalty:
    decided_on = today - dt.timedelta(days=200 + serial * 7)
    return record_create(
        model=AdministrativePenalty,
        actor=SYSTEM,
        via=VIA,
        enterprise=enterprise,
        source_agency=bureau,
        deciding_agency=bureau,
        decision_number=f"{bureau.name_zh[:2]}市监罚〔{decided_on.year}〕{90 + serial}号",
        violation="未按规定公示即时信息",
        content="警告，罚款人民币一万元",
        fine_amount=Decimal("10000"),
        decided_on=decided_on,
    )


def _late_filer_listing(bureau: Agency, enterprise: Enterprise, today: dt.date) -> AbnormalOperationListing:
    """A listing for a missing report, and that report filed late since: removable on application."""
    listed_on = dt.date(today.year - 1, 7, 1)
    listing = record_create(
        model=AbnormalOperationListing,
        actor=SYSTEM,
        via=VIA,
        enterprise=enterprise,
        source_agency=bureau,
        listing_agency=bureau,
        reason=AbnormalOperationListing.Reason.ANNUAL_REPORT_NOT_FILED,
        listed_on=listed_on,
    )
    year = listing_report_year(listing)
    if not AnnualReport.objects.filter(enterprise=enterprise, year=year).exists():
        record_create(
            model=AnnualReport,
            actor=SYSTEM,
            via=VIA,
            enterprise=enterprise,
            source_agency=bureau,
            year=year,
            submitted_at=moment(listed_on + dt.timedelta(days=60), 11, timezone.now()),
            employees=12,
            contact_phone="022-23456789",
        )
    return listing


def county_work_create(bureau: Agency, today: dt.date) -> int:
    """Two objections, two repair applications and two removal requests for ``bureau``: of each,
    one overdue and one due within two working days."""
    now = timezone.now()
    companies = _companies(bureau, 6)
    created = 0
    # (working days since submission, so that one is overdue by two and one is due in two)
    for index, (company, ago) in enumerate(zip(companies[:2], (12, 8), strict=False)):
        penalty = _penalty(bureau, company, index, today)
        applicant = _applicant(company)
        objection = objection_submit(
            enterprise=company,
            record_type=Objection.RecordType.PENALTY,
            record_id=penalty.pk,
            reason="处罚决定书载明的罚款金额有误，已按决定缴纳的金额为五千元。",
            documents=[],
            actor=applicant,
            via=AuditEntry.Via.FORM,
        )
        _backdate(objection, working_days_before(today, ago), _objection_days(), now)
        created += 1
    for index, (company, ago) in enumerate(zip(companies[2:4], (17, 13), strict=False)):
        penalty = _penalty(bureau, company, 2 + index, today)
        applicant = _applicant(company)
        documents = [
            document_store(
                enterprise=company,
                kind=kind,
                uploaded_file=SimpleUploadedFile(
                    f"{kind}.pdf", PDF + kind.encode() + str(penalty.pk).encode()
                ),
                actor=applicant,
                via=AuditEntry.Via.FORM,
            )
            for kind in REPAIR_DOCUMENTS
        ]
        application = repair_application_submit(
            enterprise=company, penalty=penalty, documents=documents, actor=applicant, via=AuditEntry.Via.FORM
        )
        _backdate(application, working_days_before(today, ago), repair_decision_working_days(), now)
        created += 1
    for company, ago in zip(companies[4:6], (7, 3), strict=False):
        listing = _late_filer_listing(bureau, company, today)
        submitted_on = working_days_before(today, ago)
        abnormal_removal_apply(
            listing=listing,
            actor=_applicant(company),
            via=AuditEntry.Via.FORM,
            now=moment(submitted_on, 10, now),
        )
        created += 1
    return created


def _objection_days() -> int:
    return settings.OBJECTION_DECISION_WORKING_DAYS


# --- the court's work ---------------------------------------------------------------------------
def court_work_create(court: Agency, today: dt.date) -> int:
    """An objection to each of (at most) two of the court's entries against companies: the first
    overdue, the second due in two working days."""
    now = timezone.now()
    entries = list(
        _court_entries()
        .filter(issuing_agency=court)
        .select_related("list_type", "enterprise")
        .order_by("pk")[:2]
    )
    for entry, ago in zip(entries, (12, 8), strict=False):
        objection = objection_submit(
            enterprise=entry.enterprise,
            record_type=Objection.RecordType.LIST_ENTRY,
            record_id=entry.pk,
            reason="案件已执行完毕，申请人已履行全部给付义务。",
            documents=[],
            actor=_applicant(entry.enterprise),
            via=AuditEntry.Via.FORM,
            agency=court,
            record_summary=f"{entry.list_type.name_zh} {entry.decision_number}",
        )
        _backdate(objection, working_days_before(today, ago), _objection_days(), now)
    return len(entries)


def _has_demo_work(agency: Agency) -> bool:
    mine = Q(agency=agency, submitted_by__username=APPLICANT_USERNAME)
    return any(
        model.objects.filter(mine).exists()
        for model in (Objection, RepairApplication, AbnormalRemovalApplication)
    )


def demo_clerks_create(*, today: dt.date | None = None) -> list[DemoClerk]:
    """Create (or reset) the two demo clerks; their agencies' demo work is created once."""
    today = today or timezone.localdate()
    clerks = []
    with transaction.atomic():
        groups = clerk_groups_ensure(actor=SYSTEM, via=VIA)
        plan = [
            (COUNTY_CLERK_USERNAME, county_bureau(), MARKET_REGULATION_CLERK, county_work_create),
            (COURT_CLERK_USERNAME, demo_court(), COURT_CLERK, court_work_create),
        ]
        for username, agency, role, make_work in plan:
            if agency is None:
                continue
            _clerk(username, agency, groups[role])
            created = 0 if _has_demo_work(agency) else make_work(agency, today)
            clerks.append(DemoClerk(username, agency, role, created))
    return clerks
