"""What a company has to do about its record, for the top of its own page: the listings in force
against it and when each may be repaired, the annual reports it owes, and its applications that
wait for an agency's decision.

Casework is the lowest app that sees all of it (list entries, filings, the applications). A fixed
number of queries, whatever the counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from blacklists.models import ListEntry, ListType
from casework.models import AbnormalRemovalApplication, Objection, RepairApplication
from casework.models.base import DecidedApplication
from casework.selectors.repair import Eligibility, repair_targets_for_enterprise
from casework.services.removal import listing_report_year
from core.workdays import working_calendar, working_days_between
from filings.selectors import OverdueReport, overdue_annual_reports
from registry.models import AbnormalOperationListing, Enterprise


@dataclass(frozen=True)
class ListingToDo:
    """An entry in force against the company, with the repair rules' answer for it today."""

    entry: ListEntry
    eligibility: Eligibility

    on: dt.date

    @property
    def repairable_from(self) -> dt.date | None:
        return self.eligibility.eligible_from if self.eligibility.repairable else None

    @property
    def notes(self) -> list[str]:
        """Why no application can be made today, when the date it is repairable from does not say."""
        if self.eligibility.eligible:
            return []
        if self.repairable_from is not None and self.on < self.repairable_from:
            return []
        return self.eligibility.reasons


@dataclass(frozen=True)
class AbnormalToDo:
    """A listing in the abnormal-operations directory that is not removed."""

    listing: AbnormalOperationListing
    report_year: int | None  # the missing report that would lift it, for a missing-report listing


@dataclass(frozen=True)
class WaitingApplication:
    """An application of the company that its agency has not decided yet."""

    kind: str  # "objection", "repair" or "removal"
    application: DecidedApplication
    on: dt.date
    working_days_left: int  # negative once overdue

    @property
    def due_on(self) -> dt.date:
        return self.application.due_on

    @property
    def overdue(self) -> bool:
        # A decision due on a Friday is overdue on the Saturday, with no working day passed yet.
        return self.application.is_overdue(self.on)

    @property
    def working_days_overdue(self) -> int:
        return max(0, -self.working_days_left)


@dataclass
class CompanyToDo:
    on: dt.date
    listings: list[ListingToDo] = field(default_factory=list)
    abnormal: list[AbnormalToDo] = field(default_factory=list)
    overdue_reports: list[OverdueReport] = field(default_factory=list)
    applications: list[WaitingApplication] = field(default_factory=list)
    # Entries in force on any list, redlists included: what the public reads about it.
    entries_in_force: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.listings or self.abnormal or self.overdue_reports or self.applications)


def _waiting(enterprise: Enterprise, on: dt.date) -> list[WaitingApplication]:
    calendar = working_calendar()
    pending = [
        ("objection", Objection.objects.pending().filter(enterprise=enterprise).select_related("agency")),
        (
            "repair",
            RepairApplication.objects.pending()
            .filter(enterprise=enterprise)
            .select_related("agency", "list_entry__list_type", "penalty"),
        ),
        (
            "removal",
            AbnormalRemovalApplication.objects.pending()
            .filter(enterprise=enterprise)
            .select_related("agency", "listing"),
        ),
    ]
    waiting = [
        WaitingApplication(
            kind, application, on, working_days_between(on, application.due_on, calendar=calendar)
        )
        for kind, queryset in pending
        for application in queryset
    ]
    return sorted(waiting, key=lambda item: (item.due_on, item.kind, item.application.pk))


def company_to_do(*, enterprise: Enterprise, on: dt.date) -> CompanyToDo:
    """What ``enterprise``'s users have to do, or wait for, on ``on``."""
    to_do = CompanyToDo(on=on)
    entries = [
        target
        for target in repair_targets_for_enterprise(enterprise=enterprise, on=on)
        if target.kind == "entry"
    ]
    to_do.entries_in_force = len(entries)
    to_do.listings = [
        ListingToDo(target.record, target.eligibility, on)
        for target in entries
        if target.record.list_type.kind != ListType.Kind.REDLIST
    ]
    to_do.abnormal = [
        AbnormalToDo(
            listing,
            listing_report_year(listing)
            if listing.reason == AbnormalOperationListing.Reason.ANNUAL_REPORT_NOT_FILED
            else None,
        )
        for listing in AbnormalOperationListing.objects.filter(enterprise=enterprise, removed_on__isnull=True)
        .filter(listed_on__lte=on)
        .select_related("listing_agency")
        .order_by("listed_on", "pk")
    ]
    to_do.overdue_reports = overdue_annual_reports(enterprise=enterprise, on=on)
    to_do.applications = _waiting(enterprise, on)
    return to_do
