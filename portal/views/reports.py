"""The PDF credit report: issue one (POST only) and verify a copy against the issued hash."""

from __future__ import annotations

import hashlib
import hmac
import re

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from core.identifiers import uscc_has_valid_shape
from portal.models import REPORT_NUMBER_PATTERN, CreditReport
from portal.ratelimit import rate_limited
from portal.report.forms import MAX_UPLOAD_BYTES, ReportUploadForm
from portal.report.pdf import format_made_at
from portal.services import ReportSubjectNotFound, credit_report_create

_NUMBER = re.compile(REPORT_NUMBER_PATTERN)
# Multipart framing around the file: a request longer than this cannot carry an acceptable file.
_UPLOAD_REQUEST_SLACK = 64 * 1024


def _report_language() -> str:
    """The active language as one of the report languages (Chinese unless English is chosen)."""
    return "en" if (translation.get_language() or "").startswith("en") else "zh-hans"


@require_POST
@rate_limited("report")
def report_create(request, uscc: str):
    code = uscc.strip().upper()
    if not uscc_has_valid_shape(code):
        raise Http404(_("This is not a valid unified social credit code."))
    try:
        report, pdf = credit_report_create(
            uscc=code,
            language=_report_language(),
            base_url=request.build_absolute_uri("/"),
            requested_by=request.user,
        )
    except ReportSubjectNotFound as exc:
        raise Http404(_("No enterprise with this code is registered.")) from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="credit-report-{report.uscc}-{report.number}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


def _sha256_of(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def _context(report: CreditReport, form: ReportUploadForm, result: dict | None, error: str = "") -> dict:
    return {
        "report": report,
        "form": form,
        "result": result,
        "upload_error": error,
        "made_at": format_made_at(report.created_at),
    }


def _too_large_response(request, report: CreditReport):
    error = _("The file is larger than 20 MB, so it cannot be a credit report.")
    return render(
        request, "portal/reports/verify.html", _context(report, ReportUploadForm(), None, error), status=413
    )


@csrf_exempt  # checked by _verify_page, after an oversized upload is refused unread
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("report-verify")
def report_verify(request, number: str):
    code = number.strip().upper()
    report = (
        CreditReport.objects.select_related("enterprise").filter(number=code).first()
        if _NUMBER.match(code)
        else None
    )
    if report is None:
        return render(
            request,
            "portal/reports/not_found.html",
            {"number": number, "malformed": not _NUMBER.match(code)},
            status=404,
        )
    # Refuse an oversized body before anything (the CSRF check included) reads the upload.
    if request.method == "POST" and _content_length(request) > MAX_UPLOAD_BYTES + _UPLOAD_REQUEST_SLACK:
        return _too_large_response(request, report)
    return _verify_page(request, report)


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_protect
def _verify_page(request, report: CreditReport):
    form = ReportUploadForm()
    result = None
    status = 200
    if request.method == "POST":
        bound = ReportUploadForm(request.POST, request.FILES)
        if bound.is_valid():
            uploaded = bound.cleaned_data["file"]
            sha256 = _sha256_of(uploaded)
            result = {
                "match": hmac.compare_digest(sha256, report.sha256),
                "sha256": sha256,
                "size": uploaded.size,
                "filename": uploaded.name,
            }
        else:
            form, status = bound, 400
    return render(request, "portal/reports/verify.html", _context(report, form, result), status=status)
