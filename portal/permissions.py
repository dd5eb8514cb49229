"""Who may read a company's restricted documents.

It asks about objections, credit repair and annual-report filings, so it sits above them; who acts
for whom (``acts_for``) is ``accounts.permissions``.
"""

from __future__ import annotations

from accounts.permissions import acts_for, clerk_agency_id
from casework.models import Objection, RepairApplication
from filings.models import AnnualReportFilingVersion
from registry.models import Document

# The grounds of a read by the enterprise's own users: the only reads of a document not audited.
MEMBER = "member"
# Superusers have it too; so the central credit office is: superusers, and the users given it.
CENTRAL_OFFICE_PERMISSION = "registry.read_any_document"


def _case_decided_by(document: Document, agency_id: int) -> str | None:
    """The case ``document`` belongs to that ``agency_id`` must decide, named for the audit trail."""
    objection = Objection.objects.filter(documents=document, agency_id=agency_id).values_list("pk").first()
    if objection:
        return f"objection {objection[0]} (deciding agency)"
    repair = (
        RepairApplication.objects.filter(documents=document, agency_id=agency_id).values_list("pk").first()
    )
    if repair:
        return f"credit repair application {repair[0]} (deciding agency)"
    # Filed (submitted or amended) reports only: a draft's attachment is still the company's own.
    filed = (
        AnnualReportFilingVersion.objects.filter(
            attachment=document, filing__enterprise__registration_authority_id=agency_id
        )
        .values_list("filing__year")
        .first()
    )
    if filed:
        return f"annual report {filed[0]} (registration authority)"
    return None


def document_read_grounds(user, document: Document) -> str | None:
    """Why ``user`` may read ``document`` (a company's restricted evidence), or None: they may not.

    :data:`MEMBER` for the enterprise's own users. A clerk (staff with an agency membership) reads
    the documents of the cases their agency decides: an objection's evidence (the agency that owns
    the objected record), a credit repair application's documents (its deciding agency), a filed
    annual report's attachment (the enterprise's registration authority). The central credit office
    (:data:`CENTRAL_OFFICE_PERMISSION`) reads every document. Every read on grounds other than
    :data:`MEMBER` is to be audited (``registry.services.document_read_record``).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if acts_for(user, document.enterprise_id):
        return MEMBER
    agency_id = clerk_agency_id(user) if user.is_staff else None
    if agency_id is not None:
        case = _case_decided_by(document, agency_id)
        if case:
            return case
    if user.has_perm(CENTRAL_OFFICE_PERMISSION):
        return "central office"
    return None
