"""The local credit office records a warning interview (约谈): held, or refused by the company."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.permissions import clerk_agency_id
from registry.models import AuditEntry, SubjectEvent
from registry.services.audit import Actor, audit_record, diff, snapshot
from registry.services.events import event_summary, subject_event_record
from scoring.models import InterviewStatus, WarningInterview

RECORDED = (InterviewStatus.HELD, InterviewStatus.REFUSED)


def may_record_interview(actor: Actor, interview: WarningInterview) -> bool:
    """A clerk of the interview's local credit office, or a superuser."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_superuser:
        return True
    agency_id = clerk_agency_id(actor)
    return agency_id is not None and agency_id == interview.agency_id


def warning_interview_errors(
    *,
    interview: WarningInterview,
    status: str,
    held_on: dt.date | None,
    attendees: str,
    outcome: str,
    today: dt.date,
) -> dict[str, list[str]]:
    """What is wrong with recording ``interview`` so, field by field (empty: nothing)."""
    errors: dict[str, list[str]] = {}
    if not interview.is_pending:
        errors["__all__"] = [_("This warning interview has been recorded already.")]
    if status not in RECORDED:
        errors["status"] = [_("Record the interview as held or as refused by the company.")]
    if held_on is None:
        errors["held_on"] = [_("Give the date of the interview.")]
    elif held_on > today:
        errors["held_on"] = [_("The interview's date cannot be in the future.")]
    elif held_on < timezone.localdate(interview.opened_at):
        errors["held_on"] = [_("The interview cannot be before the task was opened.")]
    if status == InterviewStatus.HELD and not (attendees or "").strip():
        errors["attendees"] = [_("Name who attended the interview.")]
    if not (outcome or "").strip():
        errors["outcome"] = [
            _("Describe the outcome of the interview.")
            if status != InterviewStatus.REFUSED
            else _("Describe how the company refused to attend.")
        ]
    return errors


def _summary(interview: WarningInterview) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return event_summary(interview.get_status_display(), interview.held_on.isoformat())


def warning_interview_record(
    *,
    interview: WarningInterview,
    status: str,
    held_on: dt.date | None,
    attendees: str = "",
    outcome: str,
    actor: Actor,
    via: str,
    now: dt.datetime | None = None,
) -> WarningInterview:
    """Record the interview as held (date, attendees, outcome) or refused (date, how), once.

    The company is told and the interview stays in its credit file."""
    if not may_record_interview(actor, interview):
        raise PermissionDenied(_("Only a clerk of the local credit office may record this interview."))
    now = now or timezone.now()
    with transaction.atomic():
        interview = (
            WarningInterview.objects.select_for_update().select_related("enterprise").get(pk=interview.pk)
        )
        errors = warning_interview_errors(
            interview=interview,
            status=status,
            held_on=held_on,
            attendees=attendees,
            outcome=outcome,
            today=timezone.localdate(now),
        )
        if errors:
            raise ValidationError(errors)
        before = snapshot(interview)
        interview.status = status
        interview.held_on = held_on
        interview.attendees = (attendees or "").strip()
        interview.outcome = outcome.strip()
        interview.recorded_by = actor if getattr(actor, "pk", None) else None
        interview.recorded_at = now
        interview.full_clean()
        interview.save()
        audit_record(
            actor=actor,
            via=via,
            action=AuditEntry.Action.UPDATE,
            instance=interview,
            changes=diff(before, snapshot(interview)),
        )
        subject_event_record(
            enterprise=interview.enterprise,
            kind=SubjectEvent.Kind.CHANGED,
            record_type=SubjectEvent.RecordType.WARNING_INTERVIEW,
            record_id=interview.pk,
            summary=_summary(interview),
            occurred_at=now,
        )
    return interview
