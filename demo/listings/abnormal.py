"""The abnormal-operations directory (经营异常名录) as a public list: ``generate_demo_data`` lists about
3 % of its companies, fewer than a page needs in a small register. This tops it up to a few
listings in force and a few removed, numbered like the others (石家庄市监异列〔2025〕123号) and
written in bulk as ``generate_demo_data`` writes its own."""

from __future__ import annotations

import datetime as dt
import random

from registry.models import AbnormalOperationListing, Agency, Enterprise

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
    existing = AbnormalOperationListing.objects
    in_force_missing = max(0, MIN_IN_FORCE - existing.filter(removed_on__isnull=True).count())
    removed_missing = max(0, MIN_REMOVED - existing.filter(removed_on__isnull=False).count())
    wanted = in_force_missing + removed_missing
    if not wanted:
        return 0, 0
    rng = random.Random(f"{seed}:abnormal")  # noqa: S311 - reproducible demo data, not secrets
    candidates = list(
        Enterprise.objects.filter(status=Enterprise.Status.IN_OPERATION)
        .exclude(pk__in=existing.filter(removed_on__isnull=True).values("enterprise_id"))
        .order_by("id")[:2000]
    )
    chosen = rng.sample(candidates, min(wanted, len(candidates)))
    serials: dict[tuple[int, int], int] = {}
    listings = []
    for position, enterprise in enumerate(chosen):
        prefecture = book.prefecture_of(enterprise.region_id or "")
        agency = book.local(Agency.Kind.MARKET_REGULATION, prefecture, rng, county_share=0.3)
        if agency is None:
            continue
        reason = rng.choice(
            (Reason.ANNUAL_REPORT_NOT_FILED, Reason.ANNUAL_REPORT_NOT_FILED, Reason.UNREACHABLE)
        )
        listed_on = today - dt.timedelta(days=rng.randint(60, 900))
        key = (agency.id, listed_on.year)
        serials[key] = serials.get(key, rng.randint(100, 900)) + rng.randint(1, 9)
        listing = AbnormalOperationListing(
            enterprise=enterprise,
            reason=reason,
            listed_on=listed_on,
            listing_agency_id=agency.id,
            source_agency_id=agency.id,
            decision_number=f"{book.prefix(agency)}市监异列〔{listed_on.year}〕{serials[key]}号",
        )
        if position >= in_force_missing:
            listing.removed_on = listed_on + dt.timedelta(days=rng.randint(20, (today - listed_on).days - 1))
            listing.removal_reason = REMOVAL_FOR[reason]
            listing.removal_agency_id = agency.id
        listings.append(listing)
    AbnormalOperationListing.objects.bulk_create(listings)
    return len(listings), sum(1 for listing in listings if listing.removed_on)
