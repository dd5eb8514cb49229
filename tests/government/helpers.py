"""Set-up for the government tests: listings of public bodies through the list service."""

import datetime as dt

from django.utils import timezone

from blacklists.models import ListEntry, ListType
from blacklists.services import list_entry_create
from registry.models import Enterprise
from registry.services.audit import SYSTEM


def body_listing(
    body: Enterprise, *, number: str, list_code: str = "court-defaulters", starts_on: dt.date | None = None
) -> ListEntry:
    """``body`` on a court list from ``starts_on`` (30 days before today by default)."""
    list_type = ListType.objects.get(code=list_code)
    starts_on = starts_on or timezone.localdate() - dt.timedelta(days=30)
    return list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        issuing_agency=list_type.owner,
        decision_number=number,
        decision_date=starts_on,
        starts_on=starts_on,
        enterprise=body,
    )


def clerk_of(agency, username: str = ""):
    """A staff user who clerks for ``agency`` (a clerk's powers stop at their agency)."""
    from django.contrib.auth.models import User

    from accounts.models import AgencyMembership

    user = User.objects.create_user(username=username or f"clerk-{agency.short_code}", is_staff=True)
    AgencyMembership.objects.create(user=user, agency=agency)
    return user
