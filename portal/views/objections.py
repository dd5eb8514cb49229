"""Company self-service: object to a record on the enterprise's own profile, and follow the decision.

Only the enterprise's own users get these pages; anyone else gets 404 (the enterprise's existence
and its objections are not told).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.selectors import enterprise_for_actor
from blacklists.models import ListEntry
from blacklists.restrictions import local_name
from casework.models import Objection
from casework.services import objection_submit
from casework.services.objections import registry_record_target
from portal.objection_forms import ObjectionForm
from registry.models import AuditEntry, Document, Enterprise
from registry.services import document_store, files_removed_on_error

VIA = AuditEntry.Via.FORM


def _target(enterprise: Enterprise, record_type: str, raw_id: str):
    """(record type, key, owning agency, summary) of a record on the enterprise's profile, or 404."""
    if record_type not in Objection.RecordType.values or not (raw_id or "").isdigit():
        raise Http404(_("This record is not on your enterprise's profile."))
    record_id = int(raw_id)
    if record_type == Objection.RecordType.LIST_ENTRY:
        entry = (
            ListEntry.objects.select_related("list_type", "issuing_agency")
            .filter(pk=record_id, enterprise=enterprise)
            .first()
        )
        if entry is None:
            raise Http404(_("This record is not on your enterprise's profile."))
        return (
            record_type,
            record_id,
            entry.issuing_agency,
            f"{entry.list_type.name_zh} {entry.decision_number}",
        )
    try:
        agency, summary = registry_record_target(
            enterprise=enterprise, record_type=record_type, record_id=record_id
        )
    except ValidationError:
        raise Http404(_("This record is not on your enterprise's profile.")) from None
    return record_type, record_id, agency, summary


@login_required
@require_http_methods(["GET", "POST"])
def objection_new(request, uscc: str):
    enterprise = enterprise_for_actor(request.user, uscc)
    source = request.POST if request.method == "POST" else request.GET
    record_type, record_id, agency, summary = _target(
        enterprise, source.get("record_type", ""), source.get("record_id", "")
    )
    open_already = Objection.objects.filter(
        enterprise=enterprise, record_type=record_type, record_id=record_id, status=Objection.Status.OPEN
    ).first()
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and open_already is None and form.is_valid():
        try:
            # A file stored for a submission that fails is removed with its row.
            with files_removed_on_error(), transaction.atomic():
                documents: list[Document] = []
                for upload in form.cleaned_data["documents"]:
                    try:
                        documents.append(
                            document_store(
                                enterprise=enterprise,
                                kind=Document.Kind.OBJECTION_EVIDENCE,
                                uploaded_file=upload,
                                actor=request.user,
                                via=VIA,
                            )
                        )
                    except ValidationError as error:
                        raise ValidationError(
                            {"documents": [f"{upload.name}: {message}" for message in error.messages]}
                        ) from error
                objection_submit(
                    enterprise=enterprise,
                    record_type=record_type,
                    record_id=record_id,
                    reason=form.cleaned_data["reason"],
                    documents=documents,
                    actor=request.user,
                    via=VIA,
                    agency=agency,
                    record_summary=summary,
                )
        except ValidationError as error:
            found = error.error_dict.items() if hasattr(error, "error_dict") else [(None, error.error_list)]
            for field, errors in found:
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("Your objection was sent to %(agency)s.") % {"agency": local_name(agency)}
            )
            return redirect("portal:objection-list", uscc=enterprise.uscc)
    return render(
        request,
        "portal/objections/new.html",
        {
            "enterprise": enterprise,
            "form": form,
            "record_type": record_type,
            "record_type_label": Objection.RecordType(record_type).label,
            "record_id": record_id,
            "summary": summary,
            "agency": local_name(agency) if agency else "",
            "open_already": open_already,
        },
    )


@login_required
def objection_list(request, uscc: str):
    enterprise = enterprise_for_actor(request.user, uscc)
    today = timezone.localdate()
    objections = list(
        Objection.objects.filter(enterprise=enterprise)
        .select_related("agency")
        .prefetch_related("documents")
        .order_by("-submitted_at", "-id")
    )
    rows = [
        {
            "objection": objection,
            "agency": local_name(objection.agency),
            "overdue": objection.is_overdue(today),
            "days_left": objection.working_days_left(today) if objection.is_open else None,
        }
        for objection in objections
    ]
    return render(request, "portal/objections/list.html", {"enterprise": enterprise, "rows": rows})
