"""Removal from the abnormal-operations list (移出经营异常名录) after a late annual report: the company
applies, a clerk of the agency that made the listing decides within
``settings.ABNORMAL_REMOVAL_DECISION_WORKING_DAYS`` working days; approval removes the listing."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import clerk_agency_id
from accounts.services import require_acts_for
from casework.models import AbnormalRemovalApplication
from casework.services.decide import DecisionRule, decision_rule_register
from core.workdays import add_working_days
from registry.models import AbnormalOperationListing, AnnualReport, SubjectEvent
from registry.services.audit import Actor, audit_record, diff, snapshot
from registry.services.events import event_summary, subject_event_record
from registry.services.records import abnormal_listing_remove


def listing_report_year(listing: AbnormalOperationListing) -> int:
    """The report year a missing-report listing is for: the last year whose window had closed."""
    listed = listing.listed_on
    return listed.year - 1 if listed > dt.date(listed.year, 6, 30) else listed.year - 2


def removal_decision_working_days() -> int:
    return int(getattr(settings, "ABNORMAL_REMOVAL_DECISION_WORKING_DAYS", 5))


def removal_due_on(submitted_at: dt.datetime) -> dt.date:
    """The day a decision on an application submitted at ``submitted_at`` is due."""
    return add_working_days(timezone.localdate(submitted_at), removal_decision_working_days())


def removal_eligibility(*, listing: AbnormalOperationListing) -> str:
    """Why a removal cannot be applied for yet ("" when it can)."""
    if listing.reason != AbnormalOperationListing.Reason.ANNUAL_REPORT_NOT_FILED:
        return _("Only a listing for a missing annual report can be removed this way.")
    if listing.removed_on is not None:
        return _("This listing was already removed.")
    year = listing_report_year(listing)
    if not AnnualReport.objects.filter(enterprise_id=listing.enterprise_id, year=year).exists():
        return _("Submit the annual report for %(year)s first.") % {"year": year}
    if AbnormalRemovalApplication.objects.pending().filter(listing=listing).exists():
        return _("An application for this listing is already pending.")
    return ""


def abnormal_removal_apply(
    *, listing: AbnormalOperationListing, actor: Actor, via: str, now: dt.datetime | None = None
) -> AbnormalRemovalApplication:
    """The company applies to be removed from the list after filing the missing report."""
    require_acts_for(actor, listing.enterprise)
    if not getattr(actor, "pk", None):
        raise ValidationError(_("An application is made by a signed-in user."))
    submitted_at = now or timezone.now()
    with transaction.atomic():
        listing = AbnormalOperationListing.objects.select_for_update().get(pk=listing.pk)
        problem = removal_eligibility(listing=listing)
        if problem:
            raise ValidationError(problem)
        application = AbnormalRemovalApplication(
            listing=listing,
            enterprise_id=listing.enterprise_id,
            agency_id=listing.listing_agency_id,
            report_year=listing_report_year(listing),
            submitted_by=actor,
            submitted_at=submitted_at,
            due_on=removal_due_on(submitted_at),
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


# --- deciding (casework.services.application_decide) ----------------------------------------------
def may_decide(actor: Actor, application: AbnormalRemovalApplication) -> bool:
    """Only a clerk of the agency that made the listing (the application's deciding agency)."""
    agency_id = clerk_agency_id(actor)
    return agency_id is not None and agency_id == application.agency_id


def _removal_decided(
    application: AbnormalRemovalApplication, *, actor: Actor, via: str, now, **extra
) -> None:
    """Approval removes the listing the same day (which records the "ended" event for the
    enterprise); a rejection is told through a "decided" event."""
    listing = application.listing
    if application.status == AbnormalRemovalApplication.Status.APPROVED:
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


decision_rule_register(
    AbnormalRemovalApplication,
    DecisionRule(
        may_decide=may_decide,
        refusal=lambda application: _("Only a clerk of the agency that made the listing may decide."),
        unknown_outcome=gettext_lazy("Decide the application as approved or rejected."),
        effect=_removal_decided,
        select_related=("listing", "listing__listing_agency", "listing__enterprise"),
        default_reasons={
            AbnormalRemovalApplication.Status.APPROVED: lambda: _("The missing annual report was filed."),
        },
    ),
)
