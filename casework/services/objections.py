"""Writes for objections (异议): a company submits one about a record on its profile; the owning
agency's clerk decides it within the set number of working days.

A "corrected" decision records the agency's finding; ``casework.services.corrections`` corrects the
record in the same step (both audited, in one transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import clerk_agency_id
from accounts.services import require_acts_for
from casework.models import Objection
from casework.services.decide import DecisionRule, decision_rule_register
from core.workdays import add_working_days
from filings.models import CreditCommitment
from registry.models import (
    AbnormalOperationListing,
    AdministrativeLicence,
    AdministrativePenalty,
    Agency,
    AnnualReport,
    Award,
    Branch,
    ChangeRecord,
    Document,
    Enterprise,
    InspectionRecord,
    KeyPersonnel,
    Shareholder,
    SubjectEvent,
)
from registry.services.audit import Actor, audit_record, diff, snapshot
from registry.services.events import event_summary, subject_event_record

MAX_DOCUMENTS = 5
RecordType = Objection.RecordType
# Records of higher apps (a list entry, a credit evaluation): the caller checks the record belongs
# to the enterprise and passes its deciding agency and summary.
CALLER_CHECKED_TYPES = (RecordType.LIST_ENTRY, RecordType.EVALUATION)

# Record types: the model, and the agency that owns (and so decides on) one record.
RECORD_SOURCES: dict[str, tuple[type[models.Model], Callable[[models.Model], Agency | None]]] = {
    RecordType.SHAREHOLDER: (Shareholder, lambda r: r.source_agency),
    RecordType.KEY_PERSONNEL: (KeyPersonnel, lambda r: r.source_agency),
    RecordType.BRANCH: (Branch, lambda r: r.source_agency or r.registration_authority),
    RecordType.CHANGE_RECORD: (ChangeRecord, lambda r: r.source_agency),
    RecordType.ANNUAL_REPORT: (AnnualReport, lambda r: r.source_agency),
    RecordType.LICENCE: (AdministrativeLicence, lambda r: r.issuing_agency),
    RecordType.PENALTY: (AdministrativePenalty, lambda r: r.deciding_agency),
    RecordType.ABNORMAL_LISTING: (AbnormalOperationListing, lambda r: r.listing_agency),
    RecordType.INSPECTION: (InspectionRecord, lambda r: r.inspecting_agency),
    RecordType.AWARD: (Award, lambda r: r.awarding_agency),
    # A commitment the enterprise made: found broken by an agency, or made to one.
    RecordType.COMMITMENT: (CreditCommitment, lambda r: r.broken_by or r.source_agency),
}


# The short text both sides read: the record's own data, never a person's ID number.
SUMMARIES: dict[str, Callable[[models.Model], object]] = {
    RecordType.ENTERPRISE: lambda r: f"{r.name} {r.uscc}",
    RecordType.SHAREHOLDER: lambda r: r.name,
    RecordType.KEY_PERSONNEL: lambda r: f"{r.name} {r.get_role_display()}",
    RecordType.BRANCH: lambda r: r.name,
    RecordType.CHANGE_RECORD: lambda r: f"{r.item} {r.changed_on.isoformat()}",
    RecordType.ANNUAL_REPORT: lambda r: r.year,
    RecordType.LICENCE: lambda r: f"{r.name} {r.licence_number}",
    RecordType.PENALTY: lambda r: f"{r.decision_number} {r.violation}",
    RecordType.ABNORMAL_LISTING: lambda r: f"{r.get_reason_display()} {r.listed_on.isoformat()}",
    RecordType.INSPECTION: lambda r: f"{r.get_kind_display()} {r.inspected_on.isoformat()}",
    RecordType.COMMITMENT: lambda r: f"{r.title} {r.signed_on.isoformat()}",
    RecordType.AWARD: lambda r: r.title,
}


# --- who may decide ---------------------------------------------------------------------------------
def may_decide(actor: Actor, objection: Objection) -> bool:
    """A superuser, or a clerk of the agency that owns the disputed record."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_superuser:
        return True
    agency_id = clerk_agency_id(actor)
    return agency_id is not None and agency_id == objection.agency_id


def objections_for_clerk(actor: Actor, queryset: QuerySet[Objection]) -> QuerySet[Objection]:
    """The objections ``actor`` may see in admin: all for a superuser, their agency's for a clerk."""
    if getattr(actor, "is_authenticated", False) and actor.is_superuser:
        return queryset
    agency_id = clerk_agency_id(actor)
    return queryset.filter(agency_id=agency_id) if agency_id else queryset.none()


# --- the disputed record --------------------------------------------------------------------------
def registry_record_target(
    *, enterprise: Enterprise, record_type: str, record_id: int
) -> tuple[Agency | None, str]:
    """The owning agency and the summary of a registry record of ``enterprise``; refuses others."""
    not_found = ValidationError(
        {"record_id": _("This record is not on the profile of %(name)s.") % {"name": enterprise.name}}
    )
    with translation.override(settings.LANGUAGE_CODE):
        if record_type == RecordType.ENTERPRISE:
            if record_id != enterprise.pk:
                raise not_found
            return enterprise.registration_authority, str(SUMMARIES[record_type](enterprise))
        model, owner = RECORD_SOURCES[record_type]
        record = model._default_manager.filter(pk=record_id, enterprise=enterprise).first()
        if record is None:
            raise not_found
        return owner(record) or enterprise.registration_authority, str(SUMMARIES[record_type](record))


def _checked_documents(enterprise: Enterprise, documents: Iterable[Document]) -> list[Document]:
    documents = list(documents)
    if len(documents) > MAX_DOCUMENTS:
        raise ValidationError(
            {"documents": _("Attach at most %(count)s documents.") % {"count": MAX_DOCUMENTS}}
        )
    if any(document.enterprise_id != enterprise.pk for document in documents):
        raise ValidationError({"documents": _("Only the enterprise's own documents can be attached.")})
    return documents


# --- writes ---------------------------------------------------------------------------------------
def objection_submit(
    *,
    enterprise: Enterprise,
    record_type: str,
    record_id: int,
    reason: str,
    documents: Iterable[Document],
    actor: Actor,
    via: str,
    agency: Agency | None = None,
    record_summary: str = "",
) -> Objection:
    """Object to one record on the enterprise's profile.

    For registry records the record is looked up (it must belong to ``enterprise``) and its owning
    agency and summary are taken from it; ``agency`` and ``record_summary`` are used only for a
    list entry, which lives in ``blacklists``: the caller checks it and passes its issuing agency.
    """
    require_acts_for(actor, enterprise)
    if record_type not in RecordType.values:
        raise ValidationError({"record_type": _("Unknown record type.")})
    try:
        record_id = int(record_id)
    except (TypeError, ValueError):
        raise ValidationError({"record_id": _("The record key must be positive.")}) from None
    if record_type in CALLER_CHECKED_TYPES:
        if agency is None or not (record_summary or "").strip():
            raise ValidationError(
                _("A list entry objection needs the issuing agency and the entry's summary.")
            )
        owner, summary = agency, record_summary.strip()
    else:
        owner, summary = registry_record_target(
            enterprise=enterprise, record_type=record_type, record_id=record_id
        )
    if owner is None:
        raise ValidationError(
            _(
                "No agency is recorded for this record, so an objection cannot be sent online; "
                "contact the registration authority."
            )
        )
    documents = _checked_documents(enterprise, documents)
    submitted_at = timezone.now()
    objection = Objection(
        enterprise=enterprise,
        record_type=record_type,
        record_id=record_id,
        record_summary=summary[: Objection._meta.get_field("record_summary").max_length],
        agency=owner,
        reason=(reason or "").strip(),
        submitted_by=actor if getattr(actor, "pk", None) else None,
        submitted_at=submitted_at,
        due_on=add_working_days(timezone.localdate(submitted_at), settings.OBJECTION_DECISION_WORKING_DAYS),
    )
    with transaction.atomic():
        objection.full_clean()
        objection.save(force_insert=True)
        objection.documents.set(documents)
        changes = diff({}, snapshot(objection))
        changes["documents"] = [None, sorted(document.pk for document in documents)]
        audit_record(actor=actor, via=via, action="create", instance=objection, changes=changes)
    return objection


# --- deciding (casework.services.application_decide) ----------------------------------------------
def _objection_decided(objection: Objection, *, actor: Actor, via: str, now, **extra) -> None:
    """Tell the enterprise's users. The correction of the record, if any, was written just before
    by ``objection_decide`` through the record's own service (audited and notified on its own)."""
    with translation.override(settings.LANGUAGE_CODE):
        summary = event_summary(
            objection.agency.name_zh,
            objection.get_record_type_display(),
            objection.record_summary,
            objection.get_status_display(),
        )
    subject_event_record(
        enterprise=objection.enterprise,
        kind=SubjectEvent.Kind.DECIDED,
        record_type=SubjectEvent.RecordType.OBJECTION,
        record_id=objection.pk,
        summary=summary,
    )


decision_rule_register(
    Objection,
    DecisionRule(
        may_decide=may_decide,
        refusal=lambda objection: (
            _("Only clerks of %(agency)s may decide this objection.") % {"agency": objection.agency}
        ),
        unknown_outcome=gettext_lazy("Decide the objection as corrected or upheld."),
        effect=_objection_decided,
        select_related=("agency", "enterprise"),
    ),
)
