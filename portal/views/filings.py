"""Company self-service: the annual reports of an enterprise, and applying for removal from the
abnormal-operations list after filing late. Filing one report, step by step, is in
:mod:`portal.views.annual_report`. Only the enterprise's own users get these pages."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import enterprise_for_actor
from casework.services import abnormal_removal_apply
from casework.services.removal import listing_report_year, removal_eligibility
from filings.models.annual_reports import FILING_YEAR_MIN, filing_window
from registry.models import AbnormalOperationListing, AuditEntry, Enterprise

VIA = AuditEntry.Via.FORM
YEARS_SHOWN = 5


def _years(enterprise: Enterprise, today: dt.date) -> list[int]:
    last = today.year - 1
    first = max(last - YEARS_SHOWN + 1, FILING_YEAR_MIN)
    if enterprise.established:
        first = max(first, enterprise.established.year)
    return list(range(last, first - 1, -1))


@login_required
def filing_list(request, uscc: str):
    enterprise = enterprise_for_actor(request.user, uscc)
    today = timezone.localdate()
    filings = {filing.year: filing for filing in enterprise.annual_report_filings.all()}
    years = sorted(set(_years(enterprise, today)) | set(filings), reverse=True)
    rows = []
    for year in years:
        opens, closes = filing_window(year)
        filing = filings.get(year)
        rows.append(
            {
                "year": year,
                "filing": filing,
                "opens": opens,
                "closes": closes,
                "overdue": (filing is None or not filing.is_submitted) and today > closes,
            }
        )
    listings = [
        {
            "listing": listing,
            "year": listing_report_year(listing),
            "problem": removal_eligibility(listing=listing),
        }
        for listing in enterprise.abnormal_listings.filter(
            reason=AbnormalOperationListing.Reason.ANNUAL_REPORT_NOT_FILED, removed_on__isnull=True
        ).select_related("listing_agency")
    ]
    applications = enterprise.abnormal_removal_applications.select_related("listing").order_by(
        "-submitted_at"
    )
    return render(
        request,
        "portal/filings/list.html",
        {"enterprise": enterprise, "rows": rows, "listings": listings, "applications": applications},
    )


def attach_errors(error: ValidationError, form, formsets) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        list_key, _sep, rest = key.partition("-")
        if list_key in formsets and rest:
            index, _sep, field = rest.partition("-")
            row = formsets[list_key].forms[int(index)] if index.isdigit() else None
            if row is not None and field in row.fields:
                row.add_error(field, errors)
                continue
        name = "attachment_file" if key == "attachment" else key
        form.add_error(name if name in form.fields else None, errors)


def json_ready(data: dict) -> dict:
    """Dates and amounts as the JSON document stores them (the service validates them again)."""

    def plain(value):
        if isinstance(value, dt.date):
            return value.isoformat()
        if hasattr(value, "as_tuple"):  # Decimal
            return format(value, "f")
        return value

    return {
        key: [{k: plain(v) for k, v in row.items()} for row in value]
        if isinstance(value, list)
        else plain(value)
        for key, value in data.items()
    }


@login_required
@require_POST
def removal_apply(request, uscc: str, pk: int):
    enterprise = enterprise_for_actor(request.user, uscc)
    listing = get_object_or_404(AbnormalOperationListing, pk=pk, enterprise=enterprise)
    try:
        abnormal_removal_apply(listing=listing, actor=request.user, via=VIA)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your application for removal from the list was sent to the agency."))
    return redirect("portal:annual-reports", uscc=enterprise.uscc)
