"""Credit repair (信用修复): the company applies with its documents, the deciding agency decides.

Approval of a list entry ends it today through ``list_entry_repair`` (the history stays for
government users, and every measure it triggered stops the same day, since only entries in force
count); approval of a penalty ends its publication today.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import clerk_agency, is_unrestricted
from accounts.services import require_acts_for
from blacklists.models import ListEntry, RepairApplication
from blacklists.selectors import repair_eligibility
from blacklists.services.entries import list_entry_repair
from core.workdays import add_working_days
from registry.models import AdministrativePenalty, Document, Enterprise, SubjectEvent
from registry.services import audit_record, record_update, subject_event_record
from registry.services.audit import Actor, diff, snapshot
from registry.services.events import event_summary


def repair_decision_working_days() -> int:
    return int(getattr(settings, "REPAIR_DECISION_WORKING_DAYS", 15))


def _target_summary(application: RepairApplication) -> str:
    if application.list_entry_id:
        entry = application.list_entry
        return event_summary(entry.list_type.name_zh, entry.decision_number)
    penalty = application.penalty
    return event_summary(penalty.deciding_agency.name_zh, penalty.decision_number)


def may_decide(actor: Actor, application: RepairApplication) -> bool:
    """Clerks of the deciding agency, and superusers (and jobs), decide."""
    if is_unrestricted(actor):
        return True
    agency = clerk_agency(actor)
    return agency is not None and agency.pk == application.agency_id


def repair_application_submit(
    *,
    enterprise: Enterprise,
    list_entry: ListEntry | None = None,
    penalty: AdministrativePenalty | None = None,
    documents: Iterable[Document],
    actor: Actor,
    via: str,
) -> RepairApplication:
    """Apply for repair of one entry or penalty of ``enterprise``. Refuses, naming the problem, when
    the record is not the enterprise's, not (yet) eligible, or a required document is missing.

    Only a user who acts for ``enterprise`` may apply (:class:`PermissionDenied` for anyone else)."""
    require_acts_for(actor, enterprise)
    if (list_entry is None) == (penalty is None):
        raise ValidationError(_("Choose exactly one list entry or penalty to repair."))
    target = list_entry or penalty
    if target.enterprise_id != enterprise.pk:
        raise ValidationError(_("Only the enterprise the record is about can apply for its repair."))
    documents = list(documents)
    foreign = [document for document in documents if document.enterprise_id != enterprise.pk]
    if foreign:
        raise ValidationError({"documents": _("A document of another enterprise cannot be used.")})
    with transaction.atomic():
        # Lock the record so two applications for it cannot pass the checks at once.
        type(target).objects.select_for_update().get(pk=target.pk)
        eligibility = repair_eligibility(list_entry=list_entry, penalty=penalty)
        if not eligibility.eligible:
            raise ValidationError(eligibility.reasons)
        present = {document.kind for document in documents}
        missing = [kind for kind in eligibility.required_documents if kind not in present]
        if missing:
            raise ValidationError(
                {
                    "documents": _("These documents are missing: %(kinds)s.")
                    % {"kinds": "; ".join(str(Document.Kind(kind).label) for kind in missing)}
                }
            )
        application = RepairApplication(
            enterprise=enterprise,
            list_entry=list_entry,
            penalty=penalty,
            agency_id=list_entry.issuing_agency_id if list_entry else penalty.deciding_agency_id,
            submitted_by=actor if getattr(actor, "pk", None) else None,
            submitted_at=timezone.now(),
            due_on=add_working_days(timezone.localdate(), repair_decision_working_days()),
        )
        application.full_clean()
        application.save(force_insert=True)
        application.documents.set(documents)
        changes = diff({}, snapshot(application))
        changes["documents"] = [None, sorted(document.pk for document in documents)]
        audit_record(actor=actor, via=via, action="create", instance=application, changes=changes)
    return application


def repair_application_decide(
    *, application: RepairApplication, approve: bool, reason: str, actor: Actor, via: str
) -> RepairApplication:
    """Approve or reject a pending application, with a reason. Approval ends the listing (or the
    penalty's publication) today; the subject is told through a ``decided`` event."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decision_reason": _("Give the reason for the decision.")})
    if not may_decide(actor, application):
        message = _("Only clerks of %(agency)s may decide this application.")
        raise PermissionDenied(message % {"agency": application.agency.name_zh})
    with transaction.atomic():
        locked = (
            RepairApplication.objects.select_for_update(of=("self",))
            .select_related(
                "list_entry",
                "list_entry__list_type",
                "list_entry__issuing_agency",
                "penalty",
                "penalty__deciding_agency",
                "agency",
            )
            .get(pk=application.pk)
        )
        if locked.status != RepairApplication.Status.PENDING:
            raise ValidationError(
                _("This application was already decided (%(status)s).")
                % {"status": locked.get_status_display()}
            )
        before = snapshot(locked)
        if approve:
            if locked.list_entry_id:
                list_entry_repair(entry=locked.list_entry, reason=reason, actor=actor, via=via)
            else:
                record_update(
                    record=locked.penalty,
                    actor=actor,
                    via=via,
                    note=reason,
                    publication_ends_on=timezone.localdate(),
                )
        locked.status = RepairApplication.Status.APPROVED if approve else RepairApplication.Status.REJECTED
        locked.decided_by = actor if getattr(actor, "pk", None) else None
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor,
            via=via,
            action="update",
            instance=locked,
            changes=diff(before, snapshot(locked)),
            reason=reason,
        )
        subject_event_record(
            enterprise=locked.enterprise,
            kind=SubjectEvent.Kind.DECIDED,
            record_type=SubjectEvent.RecordType.REPAIR,
            record_id=locked.pk,
            summary=_target_summary(locked),
        )
    application.refresh_from_db()
    return application
