"""The abnormal-operations directory (经营异常名录) as a public list: ``generate_demo_data`` lists about
3 % of its companies, fewer than a page needs in a small register. This tops it up, through the
register's services, to a few listings in force and a few removed, numbered like the others
(石家庄市监异列〔2025〕123号)."""

from __future__ import annotations

import datetime as dt
import random

from registry.models import AbnormalOperationListing, Agency, AuditEntry, Enterprise
from registry.services import abnormal_listing_create, abnormal_listing_remove
from registry.services.audit import SYSTEM

from .agencies import AgencyBook

MIN_IN_FORCE, MIN_REMOVED = 8, 4
Reason = AbnormalOperationListing.Reason
REMOVAL_FOR = {
    Reason.ANNUAL_REPORT_NOT_FILED: AbnormalOperationListing.RemovalReason.REPORT_FILED,
    Reason.UNREACHABLE: AbnormalOperationListing.RemovalReason.REACHABLE,
    Reason.DISCLOSURE_NOT_FILED: AbnormalOperationListing.RemovalReason.DISCLOSURE_MADE,
    Reason.FALSE_DISCLOSURE: AbnormalOperationListing.RemovalReason.CORRECTED,
}


def abnormal_directory_fill(*, book: AgencyBook, seed: int, today: dt.date) -> tuple[int, int]:
    """List companies until the directory has ``MIN_IN_FORCE`` listings in force and
    ``MIN_REMOVED`` removed; returns how many were listed and how many of those removed."""
    listings = AbnormalOperationListing.objects
    in_force_missing = max(0, MIN_IN_FORCE - listings.filter(removed_on__isnull=True).count())
    removed_missing = max(0, MIN_REMOVED - listings.filter(removed_on__isnull=False).count())
    wanted = in_force_missing + removed_missing
    if not wanted:
        return 0, 0
    rng = random.Random(f"{seed}:abnormal")  # noqa: S311 - reproducible demo data, not secrets
    candidates = list(
        Enterprise.objects.filter(status=Enterprise.Status.IN_OPERATION)
        .exclude(pk__in=listings.filter(removed_on__isnull=True).values("enterprise_id"))
        .order_by("id")[:2000]
    )
    chosen = rng.sample(candidates, min(wanted, len(candidates)))
    serials: dict[tuple[int, int], int] = {}
    listed = removed = 0
    for position, enterprise in enumerate(chosen):
        prefecture = book.prefecture_of(enterprise.region_id or "")
        info = book.local(Agency.Kind.MARKET_REGULATION, prefecture, rng, county_share=0.3)
        if info is None:
            continue
        agency = Agency.objects.get(pk=info.id)
        reason = rng.choice(
            (Reason.ANNUAL_REPORT_NOT_FILED, Reason.ANNUAL_REPORT_NOT_FILED, Reason.UNREACHABLE)
        )
        listed_on = today - dt.timedelta(days=rng.randint(60, 900))
        key = (agency.pk, listed_on.year)
        serials[key] = serials.get(key, rng.randint(100, 900)) + rng.randint(1, 9)
        listing = abnormal_listing_create(
            enterprise=enterprise,
            reason=reason,
            listed_on=listed_on,
            listing_agency=agency,
            decision_number=f"{book.prefix(info)}市监异列〔{listed_on.year}〕{serials[key]}号",
            actor=SYSTEM,
            via=AuditEntry.Via.COMMAND,
        )
        listed += 1
        if position >= in_force_missing:
            abnormal_listing_remove(
                listing=listing,
                removal_reason=REMOVAL_FOR[reason],
                removed_on=listed_on + dt.timedelta(days=rng.randint(20, (today - listed_on).days - 1)),
                removal_agency=agency,
                actor=SYSTEM,
                via=AuditEntry.Via.COMMAND,
            )
            removed += 1
    return listed, removed
