"""The company's own view of its record, and documents served only to those allowed to see them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import acts_for
from blacklists.selectors import restriction_checks_for_subject, restrictions_in_force
from casework.selectors.to_do import company_to_do
from core.classification import Audience, visible_fields
from portal.permissions import MEMBER, document_read_grounds
from registry.models import AuditEntry, Document
from registry.selectors import enterprise_profile, visible_sections
from registry.services import document_read_record

CHECKS_SHOWN = 100


def _section_counts(enterprise, entries_in_force: int) -> list[tuple[str, int]]:
    """Each section published about the enterprise with its number of records, its list entries
    in force among them."""
    counts = [
        (str(model._meta.verbose_name_plural), len(getattr(enterprise, name).all()))
        for name, model, _joins in visible_sections(Audience.PUBLIC)
    ]
    counts.append((_("list entries in force"), entries_in_force))
    return counts


@login_required
def company(request, uscc: str):
    """Everything about the enterprise its own users may see: public, restricted, measures, checks."""
    code = uscc.strip().upper()
    enterprise = enterprise_profile(uscc=code, audience=Audience.AUTHORISED) if len(code) == 18 else None
    if enterprise is None or not acts_for(request.user, enterprise):
        raise Http404(_("No enterprise with this code is registered."))
    to_do = company_to_do(enterprise=enterprise, on=timezone.localdate())
    answer = restrictions_in_force(enterprise=enterprise)
    checks = list(restriction_checks_for_subject(enterprise=enterprise).order_by("-at")[:CHECKS_SHOWN])
    report_model = enterprise.annual_reports.model
    withheld_reports = [
        (
            report.year,
            [str(report_model._meta.get_field(name).verbose_name) for name in report.unpublished_fields],
        )
        for report in enterprise.annual_reports.all()
        if report.unpublished_fields
    ]
    return render(
        request,
        "portal/account/company.html",
        {
            "enterprise": enterprise,
            "to_do": to_do,
            "section_counts": _section_counts(enterprise, to_do.entries_in_force),
            "tax_records": enterprise.tax_records.all(),
            "contribution_records": enterprise.contribution_records.all(),
            "withheld_reports": withheld_reports,
            "answer": answer,
            "measures": answer.measures,
            "checks": checks,
            "restricted_tax_fields": visible_fields(
                enterprise.tax_records.model, Audience.AUTHORISED, ["amount_paid", "tax_rate"]
            ),
        },
    )


@login_required
def document(request, pk: int):
    """The document, to whom ``document_read_grounds`` allows it; 404 to everybody else (its
    existence is not told). Every read by anybody but the company's own users is audited."""
    doc = Document.objects.filter(pk=pk).first()
    grounds = document_read_grounds(request.user, doc) if doc is not None else None
    if grounds is None:
        raise Http404(_("No such document."))
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("No such document.")) from exc
    if grounds != MEMBER:
        document_read_record(document=doc, actor=request.user, via=AuditEntry.Via.FORM, grounds=grounds)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=doc.original_name or f"document-{doc.pk}",
        content_type=doc.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
