"""Company self-service: the annual reports of an enterprise, filing one, and applying for removal
from the abnormal-operations list after filing late. Only the enterprise's own users get these pages."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.selectors import enterprise_for_actor
from casework.services import abnormal_removal_apply
from casework.services.removal import listing_report_year, removal_eligibility
from filings.models import AnnualReportFiling, AnnualReportFilingVersion
from filings.models.annual_reports import FILING_YEAR_MIN, filing_window
from filings.services import annual_report_amend, annual_report_draft_save, annual_report_submit
from filings.services.annual_reports import filing_is_late
from portal.filing_forms import AnnualReportPageForm, list_formsets, page_initial
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


def _attach_errors(error: ValidationError, form, formsets) -> None:
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


@login_required
@require_http_methods(["GET", "POST"])
def filing_edit(request, uscc: str, year: int):
    enterprise = enterprise_for_actor(request.user, uscc)
    today = timezone.localdate()
    if not FILING_YEAR_MIN <= year <= today.year:
        raise Http404(_("There is no report for this year."))
    filing = (
        AnnualReportFiling.objects.filter(enterprise=enterprise, year=year)
        .select_related("attachment")
        .prefetch_related(
            Prefetch("versions", queryset=AnnualReportFilingVersion.objects.select_related("created_by"))
        )
        .first()
    )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action in {"save", "submit", "amend"}:
        form = AnnualReportPageForm(data=request.POST, files=request.FILES, complete=action != "save")
        formsets = list_formsets(data=request.POST)
        if form.is_valid() and all(formset.is_valid() for formset in formsets.values()):
            data = {**form.report_values(), **{key: fs.rows() for key, fs in formsets.items()}}
            try:
                # A new upload is stored by the service, in the same transaction as the report.
                common = {
                    "data": _json_ready(data),
                    "unpublished_fields": form.unpublished(),
                    "attachment": filing.attachment if filing else None,
                    "attachment_file": form.cleaned_data.get("attachment_file"),
                    "actor": request.user,
                    "via": VIA,
                }
                if action == "save":
                    annual_report_draft_save(enterprise=enterprise, year=year, **common)
                    messages.success(request, _("The draft was saved."))
                elif action == "submit":
                    saved = annual_report_submit(enterprise=enterprise, year=year, **common)
                    messages.success(
                        request,
                        _("The report was submitted late and is now public.")
                        if saved.late
                        else _("The report was submitted and is now public."),
                    )
                else:
                    if filing is None:
                        raise Http404(_("There is no submitted report to amend."))
                    annual_report_amend(filing=filing, note=form.cleaned_data.get("note", ""), **common)
                    messages.success(request, _("The amendment was recorded and is now public."))
            except ValidationError as error:
                _attach_errors(error, form, formsets)
            else:
                return redirect("portal:annual-report", uscc=enterprise.uscc, year=year)
        status = 400
    else:
        stored = filing.data if filing else {}
        form = AnnualReportPageForm(
            initial=page_initial(stored, filing.unpublished_fields if filing else []), complete=False
        )
        formsets = list_formsets(initial=stored)
        status = 200
    opens, closes = filing_window(year)
    context = {
        "enterprise": enterprise,
        "year": year,
        "filing": filing,
        "form": form,
        "formsets": list(formsets.values()),
        "opens": opens,
        "closes": closes,
        "would_be_late": filing_is_late(year=year, on=today),
        "can_submit": today >= opens,
        "versions": list(filing.versions.all()) if filing else [],
    }
    return render(request, "portal/filings/edit.html", context, status=status)


def _json_ready(data: dict) -> dict:
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
