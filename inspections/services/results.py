"""Results of drawn targets: recorded by an agency that sent inspectors to the target, then
published as the register's ``InspectionRecord`` (谁检查、谁录入、谁公开).

Recording a result tells the enterprise it was drawn (after the inspection, never before);
publishing it writes the credit-file record, whose own event tells the enterprise the result.
"Unreachable at the registered address" opens an abnormal-operations listing; a violation links
the administrative penalty once it exists.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.permissions import clerk_agency_id, is_unrestricted
from core.workdays import add_working_days
from inspections.models import (
    DrawnTarget,
    InspectionResult,
    InspectionTask,
    InspectorAssignment,
    ResultCategory,
)
from inspections.permissions import require_may_maintain
from registry.models import (
    AbnormalOperationListing,
    AdministrativePenalty,
    Agency,
    Enterprise,
    InspectionRecord,
    SubjectEvent,
)
from registry.services import abnormal_listing_create, record_create, subject_event_record
from registry.services.audit import Actor
from registry.services.base import instance_create, instance_update
from registry.services.events import event_summary

PUBLISH_WITHIN_WORKING_DAYS = 20


def _drawn_target(task: InspectionTask, enterprise: Enterprise) -> DrawnTarget:
    target = (
        DrawnTarget.objects.select_related("task")
        .filter(task=task, enterprise=enterprise, replaced=False)
        .first()
    )
    if target is None:
        raise ValidationError(
            {
                "enterprise": _("%(name)s (%(uscc)s) was not drawn in the task “%(task)s”.")
                % {"name": enterprise.name, "uscc": enterprise.uscc, "task": task.name_zh}
            },
            code="not_drawn",
        )
    return target


def _recording_agency(actor: Actor, target: DrawnTarget, agency: Agency | None) -> Agency:
    """The agency that records: the clerk's own; for SYSTEM or a superuser the one named (or the
    lead agency). It must have sent inspectors to the target."""
    if agency is None:
        if is_unrestricted(actor):
            agency = target.task.plan.agency
        else:
            agency = Agency.objects.filter(pk=clerk_agency_id(actor)).first()
    if agency is None:
        raise PermissionDenied(_("Only clerks of an inspecting agency may record a result."))
    require_may_maintain(actor, agency.pk)
    sent = InspectorAssignment.objects.filter(target=target, department=agency).exists()
    if not sent:
        raise ValidationError(
            {
                "agency": _("%(agency)s sent no inspector to %(name)s in this task.")
                % {"agency": agency.name_en, "name": target.enterprise.name}
            },
            code="not_inspecting",
        )
    return agency


def result_record(
    *,
    task: InspectionTask,
    enterprise: Enterprise,
    category: ResultCategory,
    inspected_on: dt.date,
    actor: Actor,
    via: str,
    detail: str = "",
    agency: Agency | None = None,
) -> InspectionResult:
    """Record what the inspection of a drawn enterprise found (not yet published).

    Refused, naming the problem, for an enterprise the task did not draw, an agency that sent no
    inspector to it, a retired category, an inspection date before the draw or in the future, or a
    second result of the same agency. The first result of a target tells the enterprise it was drawn.
    """
    with transaction.atomic():
        target = _drawn_target(task, enterprise)
        agency = _recording_agency(actor, target, agency)
        if not category.in_use:
            raise ValidationError(
                {"category": _("The result category “%(name)s” is retired.") % {"name": category.name_en}},
                code="retired",
            )
        today = timezone.localdate()
        drawn_on = timezone.localtime(target.task.drawn_at).date()
        if inspected_on > today or inspected_on < drawn_on:
            raise ValidationError(
                {
                    "inspected_on": _(
                        "The inspection date must be between the draw (%(drawn)s) and today (%(today)s)."
                    )
                    % {
                        "drawn": date_format(drawn_on, "DATE_FORMAT"),
                        "today": date_format(today, "DATE_FORMAT"),
                    }
                },
                code="date",
            )
        first = not InspectionResult.objects.filter(target=target).exists()
        result = instance_create(
            model=InspectionResult,
            actor=actor,
            via=via,
            fields={
                "target": target,
                "task": target.task,
                "agency": agency,
                "category": category,
                "inspected_on": inspected_on,
                "detail": detail.strip(),
                "recorded_at": timezone.now(),
                "publish_by": add_working_days(inspected_on, PUBLISH_WITHIN_WORKING_DAYS),
            },
        )
        if first:
            subject_event_record(
                enterprise=enterprise,
                kind=SubjectEvent.Kind.PUBLISHED,
                record_type=SubjectEvent.RecordType.INSPECTION_DRAW,
                record_id=target.pk,
                summary=event_summary(target.task.name_zh, inspected_on.isoformat()),
            )
    return result


def result_update(*, result: InspectionResult, actor: Actor, via: str, **changes) -> InspectionResult:
    """Correct an unpublished result (category, date, detail); a published one is refused."""
    require_may_maintain(actor, result.agency_id)
    allowed = {"category", "inspected_on", "detail"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("Only the result, the inspection date and the detail can be corrected."))
    with transaction.atomic():
        locked = InspectionResult.objects.select_for_update().get(pk=result.pk)
        if locked.is_published:
            raise ValidationError(
                _("This result was published on %(date)s; object through the objection procedure instead.")
                % {"date": date_format(timezone.localtime(locked.published_at), "DATE_FORMAT")},
                code="published",
            )
        if "inspected_on" in changes:
            changes["publish_by"] = add_working_days(changes["inspected_on"], PUBLISH_WITHIN_WORKING_DAYS)
        return instance_update(instance=result, actor=actor, via=via, changes=changes)


def _check_penalty(result: InspectionResult, penalty: AdministrativePenalty) -> None:
    if penalty.enterprise_id != result.target.enterprise_id:
        raise ValidationError(
            {
                "penalty": _("The penalty %(number)s concerns another enterprise.")
                % {"number": penalty.decision_number}
            },
            code="penalty_enterprise",
        )


def _found_penalty(result: InspectionResult) -> AdministrativePenalty | None:
    """The inspecting agency's penalty on the enterprise decided on or after the inspection."""
    return (
        AdministrativePenalty.objects.filter(
            enterprise_id=result.target.enterprise_id,
            deciding_agency_id=result.agency_id,
            decided_on__gte=result.inspected_on,
        )
        .order_by("decided_on", "pk")
        .first()
    )


def _unreachable_listing(result: InspectionResult, *, actor: Actor, via: str) -> AbnormalOperationListing:
    open_listing = AbnormalOperationListing.objects.filter(
        enterprise_id=result.target.enterprise_id,
        reason=AbnormalOperationListing.Reason.UNREACHABLE,
        removed_on__isnull=True,
    ).first()
    if open_listing is not None:
        return open_listing
    return abnormal_listing_create(
        enterprise=result.target.enterprise,
        reason=AbnormalOperationListing.Reason.UNREACHABLE,
        listed_on=timezone.localdate(),
        listing_agency=result.agency,
        actor=actor,
        via=via,
    )


def result_publish(
    *, result: InspectionResult, actor: Actor, via: str, penalty: AdministrativePenalty | None = None
) -> InspectionResult:
    """Publish the result on the enterprise's profile as an ``InspectionRecord``.

    Also opens an abnormal-operations listing (unreachable at the registered address) or links the
    penalty of a violation (the one given, or the agency's penalty decided since the inspection).
    A result published later than 20 working days after its inspection stays flagged late.
    """
    require_may_maintain(actor, result.agency_id)
    with transaction.atomic():
        result = (
            InspectionResult.objects.select_for_update(of=("self",))
            .select_related("target__task", "target__enterprise", "agency", "category")
            .get(pk=result.pk)
        )
        if result.is_published:
            raise ValidationError(
                _("This result was already published on %(date)s.")
                % {"date": date_format(timezone.localtime(result.published_at), "DATE_FORMAT")},
                code="published",
            )
        category = result.category
        task = result.target.task
        record = record_create(
            model=InspectionRecord,
            actor=actor,
            via=via,
            enterprise=result.target.enterprise,
            inspecting_agency=result.agency,
            source_agency=result.agency,
            kind=InspectionRecord.Kind.DOUBLE_RANDOM,
            inspected_on=result.inspected_on,
            result=category.record_result,
            detail="\n".join(part for part in (f"{task.name_zh}：{category.name_zh}", result.detail) if part),
        )
        changes = {"published_at": timezone.now(), "record": record}
        if category.consequence == ResultCategory.Consequence.ABNORMAL_LISTING:
            changes["abnormal_listing"] = _unreachable_listing(result, actor=actor, via=via)
        elif category.consequence == ResultCategory.Consequence.PENALTY:
            if penalty is not None:
                _check_penalty(result, penalty)
            changes["penalty"] = penalty or _found_penalty(result)
        return instance_update(instance=result, actor=actor, via=via, changes=changes)


def result_penalty_link(
    *, result: InspectionResult, penalty: AdministrativePenalty, actor: Actor, via: str
) -> InspectionResult:
    """Link the penalty decided after a violation was found (decisions often come later)."""
    require_may_maintain(actor, result.agency_id)
    if result.category.consequence != ResultCategory.Consequence.PENALTY:
        raise ValidationError(
            {"penalty": _("The result “%(name)s” found no violation.") % {"name": result.category.name_en}},
            code="no_violation",
        )
    _check_penalty(result, penalty)
    return instance_update(instance=result, actor=actor, via=via, changes={"penalty": penalty})


def result_is_late(result: InspectionResult, *, today: dt.date | None = None) -> bool:
    """Published after its deadline, or still unpublished once the deadline has passed."""
    if result.published_at is not None:
        return timezone.localtime(result.published_at).date() > result.publish_by
    return (today or timezone.localdate()) > result.publish_by
