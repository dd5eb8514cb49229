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
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.selectors import enterprise_for_actor
from blacklists.models import ListEntry
from blacklists.restrictions import local_name
from casework.models import Objection
from casework.services import objection_submit
from casework.services.objections import registry_record_target
from portal.objection_forms import ObjectionForm
from portal.views.scoring import evaluation_objection_target
from registry.models import AuditEntry, Document, Enterprise
from registry.services import document_store, files_removed_on_error

VIA = AuditEntry.Via.FORM


def _target(enterprise: Enterprise, record_type: str, raw_id: str):
    """(record type, key, owning agency, summary) of a record on the enterprise's profile, or 404."""
    if record_type not in Objection.RecordType.values or not (raw_id or "").isdigit():
        raise Http404(_("This record is not on your enterprise's profile."))
    record_id = int(raw_id)
    if record_type == Objection.RecordType.EVALUATION:
        agency, summary = evaluation_objection_target(enterprise, raw_id)
        return record_type, record_id, agency, summary
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


def _draft_key(enterprise: Enterprise, record_type: str, record_id: int) -> str:
    return f"objection-{enterprise.pk}-{record_type}-{record_id}"


def _record_context(enterprise, record_type, record_id, agency, summary, open_already) -> dict:
    return {
        "enterprise": enterprise,
        "record_type": record_type,
        "record_type_label": Objection.RecordType(record_type).label,
        "record_id": record_id,
        "summary": summary,
        "agency": local_name(agency) if agency else "",
        "open_already": open_already,
        "query": urlencode({"record_type": record_type, "record_id": record_id}),
    }


def _open_objection(enterprise, record_type, record_id) -> Objection | None:
    return Objection.objects.filter(
        enterprise=enterprise, record_type=record_type, record_id=record_id, status=Objection.Status.OPEN
    ).first()


def _stored_documents(request, enterprise, uploads) -> list[Document]:
    """Every uploaded file kept as evidence, all or none (a refused file removes the others)."""
    documents: list[Document] = []
    with files_removed_on_error(), transaction.atomic():
        for upload in uploads:
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
    return documents


def _draft_documents(enterprise, draft: dict) -> list[Document]:
    return list(
        Document.objects.filter(
            pk__in=draft.get("documents", []), enterprise=enterprise, kind=Document.Kind.OBJECTION_EVIDENCE
        ).order_by("pk")
    )


@login_required
@require_http_methods(["GET", "POST"])
def objection_new(request, uscc: str):
    """The objection's form; "Continue" keeps the answers and the documents, then the check page."""
    enterprise = enterprise_for_actor(request.user, uscc)
    source = request.POST if request.method == "POST" else request.GET
    record_type, record_id, agency, summary = _target(
        enterprise, source.get("record_type", ""), source.get("record_id", "")
    )
    open_already = _open_objection(enterprise, record_type, record_id)
    key = _draft_key(enterprise, record_type, record_id)
    draft = request.session.get(key) or {}
    kept = _draft_documents(enterprise, draft)
    if request.method == "POST":
        form = ObjectionForm(request.POST, request.FILES)
    else:
        form = ObjectionForm(initial={"reason": draft.get("reason", "")})
    if request.method == "POST" and open_already is None and form.is_valid():
        try:
            uploads = form.cleaned_data["documents"]
            # New files replace the ones kept from before; none chosen keeps them.
            documents = _stored_documents(request, enterprise, uploads) if uploads else kept
        except ValidationError as error:
            form.add_error("documents", error.error_dict["documents"])
        else:
            request.session[key] = {
                "reason": form.cleaned_data["reason"],
                "documents": [document.pk for document in documents],
            }
            return redirect(
                reverse("portal:objection-check", kwargs={"uscc": enterprise.uscc})
                + "?"
                + urlencode({"record_type": record_type, "record_id": record_id})
            )
    context = {
        **_record_context(enterprise, record_type, record_id, agency, summary, open_already),
        "form": form,
        "kept": kept,
    }
    return render(request, "portal/objections/new.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def objection_check(request, uscc: str):
    """Check your answers, then send the objection."""
    enterprise = enterprise_for_actor(request.user, uscc)
    source = request.POST if request.method == "POST" else request.GET
    record_type, record_id, agency, summary = _target(
        enterprise, source.get("record_type", ""), source.get("record_id", "")
    )
    key = _draft_key(enterprise, record_type, record_id)
    draft = request.session.get(key)
    query = urlencode({"record_type": record_type, "record_id": record_id})
    if not draft:
        return redirect(reverse("portal:objection-new", kwargs={"uscc": enterprise.uscc}) + "?" + query)
    documents = _draft_documents(enterprise, draft)
    open_already = _open_objection(enterprise, record_type, record_id)
    errors: list[str] = []
    if request.method == "POST" and open_already is None:
        try:
            objection_submit(
                enterprise=enterprise,
                record_type=record_type,
                record_id=record_id,
                reason=draft["reason"],
                documents=documents,
                actor=request.user,
                via=VIA,
                agency=agency,
                record_summary=summary,
            )
        except ValidationError as error:
            errors = error.messages
        else:
            request.session.pop(key, None)
            messages.success(
                request, _("Your objection was sent to %(agency)s.") % {"agency": local_name(agency)}
            )
            return redirect("portal:objection-list", uscc=enterprise.uscc)
    context = {
        **_record_context(enterprise, record_type, record_id, agency, summary, open_already),
        "reason": draft["reason"],
        "documents": documents,
        "items": [{"href": "", "text": message} for message in errors],
    }
    return render(request, "portal/objections/check.html", context, status=400 if errors else 200)


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
