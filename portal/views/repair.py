"""Credit repair (信用修复) for a company's own users, under ``/account/enterprises/<USCC>/repair/``.

What is required and from when is shown before the company applies; the service decides
eligibility and required documents, the view only shows them and hands the uploads over.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.selectors import enterprise_for_actor
from blacklists.models import ListEntry
from casework.selectors import (
    repair_applications_for_enterprise,
    repair_eligibility,
    repair_targets_for_enterprise,
)
from casework.services import repair_application_submit
from portal.repair_forms import RepairApplicationForm
from registry.models import AdministrativePenalty, AuditEntry, Document, Enterprise
from registry.services import document_store, files_removed_on_error

VIA = AuditEntry.Via.FORM


@login_required
def repair_overview(request, uscc: str):
    enterprise = enterprise_for_actor(request.user, uscc)
    return render(
        request,
        "portal/repair/overview.html",
        {
            "enterprise": enterprise,
            "targets": repair_targets_for_enterprise(enterprise=enterprise),
            "applications": list(repair_applications_for_enterprise(enterprise=enterprise)),
        },
    )


def _target(request, enterprise: Enterprise):
    """The record named by ``?entry=`` or ``?penalty=``, only among this enterprise's own."""
    entry_id, penalty_id = request.GET.get("entry", ""), request.GET.get("penalty", "")
    if entry_id.isdigit() and not penalty_id:
        entry = get_object_or_404(
            ListEntry.objects.select_related("list_type", "issuing_agency"),
            pk=entry_id,
            enterprise=enterprise,
        )
        return entry, None
    if penalty_id.isdigit() and not entry_id:
        penalty = get_object_or_404(
            AdministrativePenalty.objects.select_related("deciding_agency"),
            pk=penalty_id,
            enterprise=enterprise,
        )
        return None, penalty
    raise Http404


def _draft_key(enterprise: Enterprise, list_entry, penalty) -> str:
    record = f"entry-{list_entry.pk}" if list_entry else f"penalty-{penalty.pk}"
    return f"repair-{enterprise.pk}-{record}"


def _query(list_entry, penalty) -> str:
    return urlencode({"entry": list_entry.pk} if list_entry else {"penalty": penalty.pk})


def _kept_documents(enterprise, draft: dict, required: list[str]) -> dict[str, Document]:
    """The documents uploaded earlier for this application, by kind, still required and still ours."""
    wanted = {kind: pk for kind, pk in (draft or {}).items() if kind in required}
    found = Document.objects.filter(pk__in=wanted.values(), enterprise=enterprise).in_bulk()
    return {kind: found[pk] for kind, pk in wanted.items() if pk in found and found[pk].kind == kind}


def _record_context(enterprise, list_entry, penalty, eligibility) -> dict:
    return {
        "enterprise": enterprise,
        "list_entry": list_entry,
        "penalty": penalty,
        "eligibility": eligibility,
        "query": _query(list_entry, penalty),
    }


@login_required
def repair_apply(request, uscc: str):
    """The documents of the application; "Continue" keeps them and leads to the check page."""
    enterprise = enterprise_for_actor(request.user, uscc)
    list_entry, penalty = _target(request, enterprise)
    eligibility = repair_eligibility(list_entry=list_entry, penalty=penalty)
    key = _draft_key(enterprise, list_entry, penalty)
    kept = _kept_documents(enterprise, request.session.get(key), eligibility.required_documents)
    form = RepairApplicationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        required_documents=eligibility.required_documents,
        kept=kept,
    )
    if request.method == "POST" and eligibility.eligible and form.is_valid():
        try:
            # All the files or none: a refused file removes the ones stored before it.
            with files_removed_on_error(), transaction.atomic():
                documents, refused = dict(kept), {}
                for kind in eligibility.required_documents:
                    if not form.cleaned_data.get(kind):
                        continue
                    try:
                        documents[kind] = document_store(
                            enterprise=enterprise,
                            kind=kind,
                            uploaded_file=form.cleaned_data[kind],
                            actor=request.user,
                            via=VIA,
                        )
                    except ValidationError as exc:
                        refused[kind] = exc.messages
                if refused:
                    raise ValidationError(refused)
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field, errors)
        else:
            request.session[key] = {kind: document.pk for kind, document in documents.items()}
            return redirect(
                f"{reverse('portal:repair-check', args=[enterprise.uscc])}?{_query(list_entry, penalty)}"
            )
    return render(
        request,
        "portal/repair/apply.html",
        {**_record_context(enterprise, list_entry, penalty, eligibility), "form": form, "kept": kept},
        status=400 if request.method == "POST" and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def repair_check(request, uscc: str):
    """Check the documents of the application, then submit it."""
    enterprise = enterprise_for_actor(request.user, uscc)
    list_entry, penalty = _target(request, enterprise)
    eligibility = repair_eligibility(list_entry=list_entry, penalty=penalty)
    key = _draft_key(enterprise, list_entry, penalty)
    kept = _kept_documents(enterprise, request.session.get(key), eligibility.required_documents)
    if not eligibility.eligible or set(kept) != set(eligibility.required_documents):
        return redirect(
            f"{reverse('portal:repair-apply', args=[enterprise.uscc])}?{_query(list_entry, penalty)}"
        )
    errors: list[str] = []
    if request.method == "POST":
        try:
            repair_application_submit(
                enterprise=enterprise,
                list_entry=list_entry,
                penalty=penalty,
                documents=[kept[kind] for kind in eligibility.required_documents],
                actor=request.user,
                via=VIA,
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            request.session.pop(key, None)
            messages.success(request, _("Your application was submitted. The agency will decide it."))
            return redirect("portal:repair", uscc=enterprise.uscc)
    documents = [
        {"kind": kind, "label": Document.Kind(kind).label, "document": kept[kind]}
        for kind in eligibility.required_documents
    ]
    return render(
        request,
        "portal/repair/check.html",
        {
            **_record_context(enterprise, list_entry, penalty, eligibility),
            "documents": documents,
            "items": [{"href": "", "text": message} for message in errors],
        },
        status=400 if errors else 200,
    )
