"""Writes for applications to be removed from the abnormal-operations list after filing late.

The annual reports themselves are filed through :mod:`filings.services`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import (
    AbnormalOperationListing,
    AbnormalRemovalApplication,
    AnnualReport,
    SubjectEvent,
)
from registry.services.audit import Actor, audit_record, diff, snapshot
from registry.services.events import event_summary, subject_event_record
from registry.services.records import abnormal_listing_remove


def listing_report_year(listing: AbnormalOperationListing) -> int:
    """The report year a missing-report listing is for: the last year whose window had closed."""
    listed = listing.listed_on
    return listed.year - 1 if listed > dt.date(listed.year, 6, 30) else listed.year - 2


def removal_eligibility(*, listing: AbnormalOperationListing) -> str:
    """Why a removal cannot be applied for yet ("" when it can)."""
    if listing.reason != AbnormalOperationListing.Reason.ANNUAL_REPORT_NOT_FILED:
        return _("Only a listing for a missing annual report can be removed this way.")
    if listing.removed_on is not None:
        return _("This listing was already removed.")
    year = listing_report_year(listing)
    if not AnnualReport.objects.filter(enterprise_id=listing.enterprise_id, year=year).exists():
        return _("Submit the annual report for %(year)s first.") % {"year": year}
    if listing.removal_applications.filter(status=AbnormalRemovalApplication.Status.PENDING).exists():
        return _("An application for this listing is already pending.")
    return ""


def abnormal_removal_apply(
    *, listing: AbnormalOperationListing, actor: Actor, via: str, now: dt.datetime | None = None
) -> AbnormalRemovalApplication:
    """The company applies to be removed from the list after filing the missing report."""
    if not getattr(actor, "pk", None):
        raise ValidationError(_("An application is made by a signed-in user."))
    with transaction.atomic():
        listing = AbnormalOperationListing.objects.select_for_update().get(pk=listing.pk)
        problem = removal_eligibility(listing=listing)
        if problem:
            raise ValidationError(problem)
        application = AbnormalRemovalApplication(
            listing=listing,
            enterprise_id=listing.enterprise_id,
            report_year=listing_report_year(listing),
            submitted_by=actor,
            submitted_at=now or timezone.now(),
        )
        application.full_clean()
        application.save()
        audit_record(
            actor=actor,
            via=via,
            action="create",
            instance=application,
            changes=diff({}, snapshot(application)),
        )
    return application


def abnormal_removal_decide(
    *,
    application: AbnormalRemovalApplication,
    approve: bool,
    reason: str = "",
    actor: Actor,
    via: str,
    now: dt.datetime | None = None,
) -> AbnormalRemovalApplication:
    """A clerk of the listing agency decides. Approval removes the listing the same day."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            AbnormalRemovalApplication.objects.select_for_update()
            .select_related("listing", "listing__listing_agency")
            .get(pk=application.pk)
        )
        listing = locked.listing
        membership = getattr(actor, "agency_membership", None) if getattr(actor, "pk", None) else None
        if membership is None or membership.agency_id != listing.listing_agency_id:
            raise PermissionDenied(_("Only a clerk of the agency that made the listing may decide."))
        if locked.status != AbnormalRemovalApplication.Status.PENDING:
            raise ValidationError(_("This application was already decided."))
        if not approve and not (reason or "").strip():
            raise ValidationError({"reason": _("Say why the application is rejected.")})
        before = snapshot(locked)
        locked.status = (
            AbnormalRemovalApplication.Status.APPROVED
            if approve
            else AbnormalRemovalApplication.Status.REJECTED
        )
        locked.decided_by = actor
        locked.decided_at = now
        locked.reason = (reason or "").strip()
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor,
            via=via,
            action="update",
            instance=locked,
            changes=diff(before, snapshot(locked)),
            reason=locked.reason,
        )
        if approve:  # records the "ended" event for the enterprise
            abnormal_listing_remove(
                listing=listing,
                removal_reason=AbnormalOperationListing.RemovalReason.REPORT_FILED,
                removed_on=timezone.localdate(now),
                removal_agency=listing.listing_agency,
                actor=actor,
                via=via,
            )
        else:
            subject_event_record(
                enterprise=listing.enterprise,
                kind=SubjectEvent.Kind.DECIDED,
                record_type=SubjectEvent.RecordType.ABNORMAL_LISTING,
                record_id=listing.pk,
                summary=event_summary(
                    listing.listing_agency.name_zh, listing.decision_number or listing.listed_on
                ),
            )
    return locked
