"""What the admin index shows above the models: the clerk's queue and the entries ending this month."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_unrestricted
from casework.selectors.queue import (
    agencies_with_pending_work,
    clerk_queue,
    entries_expiring_this_month,
    month_bounds,
)
from registry.models import Agency
from scoring.selectors import interviews_pending

AGENCY_PARAMETER = "agency"


class UnknownAgency(ValueError):
    pass


def selected_agency(request) -> Agency | None:
    """The agency an unrestricted user filtered the queue to (``?agency=<id>``); None for all.

    Raises ``UnknownAgency`` (shown as HTTP 400) for a value that names no agency."""
    value = request.GET.get(AGENCY_PARAMETER, "").strip()
    if not value or not is_unrestricted(request.user):
        return None
    agency = Agency.objects.filter(pk=int(value)).first() if value.isdigit() else None
    if agency is None:
        raise UnknownAgency(_("No agency has the key “%(value)s”.") % {"value": value[:40]})
    return agency


def clerk_home_context(request, agency: Agency | None = None) -> dict:
    today = timezone.localdate()
    unrestricted = is_unrestricted(request.user)
    first, last = month_bounds(today)
    interviews, interviews_count = interviews_pending(actor=request.user, agency=agency)
    return {
        "warning_interviews": interviews,
        "warning_interviews_count": interviews_count,
        "queue": clerk_queue(actor=request.user, today=today, agency=agency),
        "queue_today": today,
        "queue_unrestricted": unrestricted,
        "queue_agencies": agencies_with_pending_work() if unrestricted else [],
        "queue_agency_parameter": AGENCY_PARAMETER,
        "expiring_entries": entries_expiring_this_month(actor=request.user, today=today, agency=agency),
        "expiring_from": first,
        "expiring_to": last,
    }
