"""Credit repair (信用修复): the company applies with its documents, the deciding agency decides.

Approval of a list entry ends it today through ``list_entry_repair`` (the history stays for
government users, and every measure it triggered stops the same day, since only entries in force
count); approval of a penalty ends its publication today.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import clerk_agency, is_unrestricted
from accounts.services import require_acts_for
from blacklists.models import ListEntry
from blacklists.services.entries import list_entry_repair
from casework.models import RepairApplication
from casework.selectors.repair import repair_eligibility
from casework.services.decide import DecisionRule, decision_rule_register
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


# --- deciding (casework.services.application_decide) ----------------------------------------------
def _repair_decided(application: RepairApplication, *, actor: Actor, via: str, now, **extra) -> None:
    """Approval ends the listing (or the penalty's publication) today; the subject is told through a
    ``decided`` event either way."""
    if application.status == RepairApplication.Status.APPROVED:
        reason = application.decision_reason
        if application.list_entry_id:
            list_entry_repair(entry=application.list_entry, reason=reason, actor=actor, via=via)
        else:
            record_update(
                record=application.penalty,
                actor=actor,
                via=via,
                note=reason,
                publication_ends_on=timezone.localdate(now),
            )
    subject_event_record(
        enterprise=application.enterprise,
        kind=SubjectEvent.Kind.DECIDED,
        record_type=SubjectEvent.RecordType.REPAIR,
        record_id=application.pk,
        summary=_target_summary(application),
    )


decision_rule_register(
    RepairApplication,
    DecisionRule(
        may_decide=may_decide,
        refusal=lambda application: (
            _("Only clerks of %(agency)s may decide this application.")
            % {"agency": application.agency.name_zh}
        ),
        unknown_outcome=gettext_lazy("Decide the application as approved or rejected."),
        effect=_repair_decided,
        select_related=(
            "list_entry",
            "list_entry__list_type",
            "list_entry__issuing_agency",
            "penalty",
            "penalty__deciding_agency",
            "agency",
            "enterprise",
        ),
    ),
)
