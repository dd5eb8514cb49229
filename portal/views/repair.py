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
from django.utils.translation import gettext as _

from accounts.selectors import enterprise_for_actor
from blacklists.models import ListEntry
from casework.selectors import (
    repair_applications_for_enterprise,
    repair_eligibility,
    repair_targets_for_enterprise,
)
from casework.services import repair_application_submit
from portal.repair_forms import RepairApplicationForm
from registry.models import AdministrativePenalty, AuditEntry, Enterprise
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


@login_required
def repair_apply(request, uscc: str):
    enterprise = enterprise_for_actor(request.user, uscc)
    list_entry, penalty = _target(request, enterprise)
    eligibility = repair_eligibility(list_entry=list_entry, penalty=penalty)
    form = RepairApplicationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        required_documents=eligibility.required_documents,
    )
    if request.method == "POST" and eligibility.eligible and form.is_valid():
        try:
            # A file stored for a submission that fails is removed with its row.
            with files_removed_on_error(), transaction.atomic():
                documents, refused = [], {}
                for kind in eligibility.required_documents:
                    try:
                        documents.append(
                            document_store(
                                enterprise=enterprise,
                                kind=kind,
                                uploaded_file=form.cleaned_data[kind],
                                actor=request.user,
                                via=VIA,
                            )
                        )
                    except ValidationError as exc:
                        refused[kind] = exc.messages
                if refused:
                    raise ValidationError(refused)
                repair_application_submit(
                    enterprise=enterprise,
                    list_entry=list_entry,
                    penalty=penalty,
                    documents=documents,
                    actor=request.user,
                    via=VIA,
                )
        except ValidationError as exc:
            found = exc.error_dict.items() if hasattr(exc, "error_dict") else [(None, exc.error_list)]
            for field, errors in found:
                form.add_error(field if field in form.fields else None, errors)
        if not form.errors:
            messages.success(request, _("Your application was submitted. The agency will decide it."))
            return redirect("portal:repair", uscc=enterprise.uscc)
    return render(
        request,
        "portal/repair/apply.html",
        {
            "enterprise": enterprise,
            "list_entry": list_entry,
            "penalty": penalty,
            "eligibility": eligibility,
            "form": form,
        },
        status=400 if request.method == "POST" and form.errors else 200,
    )
