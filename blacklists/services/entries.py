"""Listing, ending, extending and expiring list entries. Every write leaves a status change and audit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import clerk_agency
from blacklists.models import ListEntry, ListEntryStatusChange, ListType
from blacklists.permissions import require_may_maintain
from blacklists.search import entries_index
from registry.models import Agency, Enterprise, Person, SubjectEvent
from registry.services import audit_record
from registry.services.audit import SYSTEM, Actor, actor_label_for, diff, snapshot
from registry.services.base import instance_create, instance_update
from registry.services.events import event_summary, subject_event_record

GOVERNMENT_TYPES = {Enterprise.EntityType.GOVERNMENT_ORGAN, Enterprise.EntityType.PUBLIC_INSTITUTION}
ENDED_STATUSES = {
    ListEntry.Status.EXPIRED,
    ListEntry.Status.REMOVED,
    ListEntry.Status.REPAIRED,
    ListEntry.Status.REVOKED,
}


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def subject_kind_error(
    list_type: ListType, *, person: Person | None, enterprise: Enterprise | None
) -> str | None:
    if person is not None and not list_type.holds_persons:
        return _("The list %(list)s does not hold persons.") % {"list": list_type.name_zh}
    if enterprise is not None:
        government = enterprise.entity_type in GOVERNMENT_TYPES
        if government and not list_type.holds_government_bodies:
            return _("The list %(list)s does not hold government bodies.") % {"list": list_type.name_zh}
        if not government and not list_type.holds_enterprises:
            return _("The list %(list)s does not hold enterprises.") % {"list": list_type.name_zh}
    return None


def period_error(
    list_type: ListType, *, starts_on: dt.date, planned_end: dt.date | None, permanent: bool
) -> tuple[str, str] | None:
    """(field, message) when the listing period breaks the list's rules."""
    if permanent:
        if not list_type.permanent_allowed:
            return "permanent", _("The list %(list)s does not allow permanent listing.") % {
                "list": list_type.name_zh
            }
        return None
    if planned_end is None:
        return "planned_end", _("Give a planned end date (this list has no default period).")
    if planned_end < starts_on:
        return "planned_end", _("The planned end (%(end)s) is before the start (%(start)s).") % {
            "end": planned_end,
            "start": starts_on,
        }
    days = (planned_end - starts_on).days
    if list_type.min_period_days is not None and days < list_type.min_period_days:
        return "planned_end", _(
            "A listing on %(list)s lasts at least %(min)d days; this one lasts %(days)d."
        ) % {"list": list_type.name_zh, "min": list_type.min_period_days, "days": days}
    if list_type.max_period_days is not None and days > list_type.max_period_days:
        return "planned_end", _(
            "A listing on %(list)s lasts at most %(max)d days; this one lasts %(days)d."
        ) % {"list": list_type.name_zh, "max": list_type.max_period_days, "days": days}
    return None


def default_planned_end(list_type: ListType, starts_on: dt.date) -> dt.date | None:
    if list_type.default_period_days is None:
        return None
    if list_type.default_period_days % 365 == 0:
        end = add_years(starts_on, list_type.default_period_days // 365)
    else:
        end = starts_on + dt.timedelta(days=list_type.default_period_days)
    # Whole years across a 29 February are one day longer than 365 * n days; the default must
    # still be a period the list allows.
    if list_type.max_period_days is not None:
        end = min(end, starts_on + dt.timedelta(days=list_type.max_period_days))
    return end


def build_entry(
    *,
    list_type: ListType,
    issuing_agency: Agency,
    decision_number: str,
    decision_date: dt.date,
    starts_on: dt.date,
    person: Person | None = None,
    enterprise: Enterprise | None = None,
    subject_name: str = "",
    planned_end: dt.date | None = None,
    permanent: bool = False,
    published_on: dt.date | None = None,
    severity: str = "",
    legal_basis: str = "",
    circumstance: str = "",
) -> ListEntry:
    """A validated, unsaved entry (imports use this to check rows before writing any)."""
    errors: dict[str, str] = {}
    kind_error = subject_kind_error(list_type, person=person, enterprise=enterprise)
    if kind_error:
        errors["subject"] = kind_error
    if planned_end is None and not permanent:
        planned_end = default_planned_end(list_type, starts_on)
        # Lists without a fixed period (consumption restriction) run until performed or lifted.
        permanent = planned_end is None and list_type.permanent_allowed
    problem = period_error(list_type, starts_on=starts_on, planned_end=planned_end, permanent=permanent)
    if problem:
        errors[problem[0]] = problem[1]
    subject = person or enterprise
    entry = ListEntry(
        list_type=list_type,
        person=person,
        enterprise=enterprise,
        subject_name=subject_name or (subject.name if subject else ""),
        issuing_agency=issuing_agency,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        legal_basis=legal_basis or list_type.legal_basis,
        circumstance=circumstance,
        severity=severity or list_type.default_severity,
        starts_on=starts_on,
        planned_end=None if permanent else planned_end,
        permanent=permanent,
        published_on=published_on or starts_on,
    )
    try:
        entry.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, " ".join(messages))
    if errors:
        raise ValidationError(errors)
    return entry


def _record_status_change(
    *, entry: ListEntry, from_status: str, actor: Actor, via: str, reason: str, effective_on: dt.date
) -> ListEntryStatusChange:
    change = ListEntryStatusChange(
        entry=entry,
        from_status=from_status,
        to_status=entry.status,
        at=timezone.now(),
        effective_on=effective_on,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label_for(actor, via),
        via=via,
        reason=reason,
        planned_end=entry.planned_end,
    )
    change.full_clean()
    change.save()
    return change


def entry_event_summary(*, list_type: ListType, decision_number: str, extra: object = "") -> str:
    """The list's name and the decision or case number: what the subject needs to recognise it."""
    return event_summary(list_type.name_zh, decision_number, extra)


def _record_entry_event(entry: ListEntry, kind: str) -> None:
    subject_event_record(
        enterprise=entry.enterprise if entry.enterprise_id else None,
        person=entry.person if entry.person_id else None,
        kind=kind,
        record_type=SubjectEvent.RecordType.LIST_ENTRY,
        record_id=entry.pk,
        summary=entry_event_summary(list_type=entry.list_type, decision_number=entry.decision_number),
    )


def list_entry_create(*, actor: Actor, via: str, note: str = "", **fields) -> ListEntry:
    require_may_maintain(actor, list_type=fields["list_type"], issuing_agency=fields.get("issuing_agency"))
    entry = build_entry(**fields)
    with transaction.atomic():
        entry.save(force_insert=True)
        _record_status_change(
            entry=entry,
            from_status="",
            actor=actor,
            via=via,
            effective_on=entry.starts_on,
            reason=note or _("Listed by decision %(number)s.") % {"number": entry.decision_number},
        )
        audit_record(
            actor=actor,
            via=via,
            action="create",
            instance=entry,
            changes=diff({}, snapshot(entry)),
            reason=note,
        )
        _record_entry_event(entry, SubjectEvent.Kind.PUBLISHED)
        entries_index([entry])
    return entry


def _history_write(
    *, entry: ListEntry, reason: str, actor: Actor, via: str, effective_on: dt.date, change
) -> ListEntry:
    """Lock the entry, apply ``change`` to it, and record the history line, audit and index."""
    with transaction.atomic():
        locked = ListEntry.objects.select_for_update().select_related("list_type").get(pk=entry.pk)
        before = snapshot(locked)
        from_status = locked.status
        change(locked)
        locked.full_clean()
        locked.save()
        _record_status_change(
            entry=locked,
            from_status=from_status,
            actor=actor,
            via=via,
            reason=reason,
            effective_on=effective_on,
        )
        audit_record(
            actor=actor,
            via=via,
            action="update",
            instance=locked,
            changes=diff(before, snapshot(locked)),
            reason=reason,
        )
        ended = locked.status in ENDED_STATUSES and from_status not in ENDED_STATUSES
        _record_entry_event(locked, SubjectEvent.Kind.ENDED if ended else SubjectEvent.Kind.CHANGED)
        entries_index([locked])
    entry.refresh_from_db()
    return entry


def _change_status(
    *,
    entry: ListEntry,
    to_status: str,
    reason: str,
    actor: Actor,
    via: str,
    effective_on: dt.date | None = None,
) -> ListEntry:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for this change.")})
    require_may_maintain(actor, list_type=entry.list_type, issuing_agency=entry.issuing_agency)

    def end(locked: ListEntry) -> None:
        if locked.status != ListEntry.Status.IN_FORCE:
            raise ValidationError(
                _("This entry is already %(status)s; only an entry in force can change.")
                % {"status": locked.get_status_display()}
            )
        locked.status = to_status
        locked.status_changed_at = timezone.now()

    return _history_write(
        entry=entry,
        reason=reason,
        actor=actor,
        via=via,
        effective_on=effective_on or timezone.localdate(),
        change=end,
    )


def list_entry_remove(*, entry: ListEntry, reason: str, actor: Actor, via: str) -> ListEntry:
    """End a listing because the obligation was performed (or the clerk ends it early)."""
    return _change_status(
        entry=entry, to_status=ListEntry.Status.REMOVED, reason=reason, actor=actor, via=via
    )


def list_entry_revoke(*, entry: ListEntry, reason: str, actor: Actor, via: str) -> ListEntry:
    """The listing decision itself was wrong or was quashed."""
    return _change_status(
        entry=entry, to_status=ListEntry.Status.REVOKED, reason=reason, actor=actor, via=via
    )


def list_entry_repair(*, entry: ListEntry, reason: str, actor: Actor, via: str) -> ListEntry:
    """Credit repair approved: publication ends, history stays."""
    return _change_status(
        entry=entry, to_status=ListEntry.Status.REPAIRED, reason=reason, actor=actor, via=via
    )


def list_entry_extend(
    *, entry: ListEntry, planned_end: dt.date, reason: str, actor: Actor, via: str
) -> ListEntry:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    require_may_maintain(actor, list_type=entry.list_type, issuing_agency=entry.issuing_agency)
    if entry.permanent:
        raise ValidationError({"planned_end": _("A permanent entry cannot be extended.")})
    if entry.effective_status() != ListEntry.Status.IN_FORCE:
        raise ValidationError(_("Only an entry in force can be extended."))
    if entry.planned_end and planned_end <= entry.planned_end:
        raise ValidationError({"planned_end": _("An extension must move the planned end later.")})
    problem = period_error(
        entry.list_type, starts_on=entry.starts_on, planned_end=planned_end, permanent=False
    )
    if problem:
        raise ValidationError({problem[0]: problem[1]})

    def extend(locked: ListEntry) -> None:
        locked.planned_end = planned_end

    return _history_write(
        entry=entry, reason=reason, actor=actor, via=via, effective_on=timezone.localdate(), change=extend
    )


def list_entries_expire(*, on: dt.date | None = None, actor: Actor = SYSTEM, via: str = "system") -> int:
    """Mark every in-force entry whose planned end has passed as expired. Idempotent, for cron."""
    on = on or timezone.localdate()
    expired = 0
    due = ListEntry.objects.filter(status=ListEntry.Status.IN_FORCE, planned_end__lt=on).values_list(
        "pk", flat=True
    )
    for pk in due.iterator(chunk_size=2000):
        entry = ListEntry.objects.get(pk=pk)
        _change_status(
            entry=entry,
            to_status=ListEntry.Status.EXPIRED,
            actor=actor,
            via=via,
            effective_on=entry.planned_end + dt.timedelta(days=1),
            reason=_("Planned end %(end)s passed.") % {"end": entry.planned_end},
        )
        expired += 1
    return expired


def list_entries_expiring_record(*, days: int, on: dt.date | None = None) -> int:
    """Record an ``expiring`` event for each entry in force whose planned end falls within ``days``.

    Idempotent, for cron: the database keeps at most one such event per entry, and a second run
    inserts nothing (ON CONFLICT DO NOTHING). Returns how many events were new.
    """
    if days < 0:
        raise ValidationError({"days": _("The number of days cannot be negative.")})
    on = on or timezone.localdate()
    now = timezone.now()
    due = (
        ListEntry.objects.in_force(on=on)
        .filter(planned_end__lte=on + dt.timedelta(days=days))
        .select_related("list_type")
        .only("pk", "person_id", "enterprise_id", "decision_number", "planned_end", "list_type__name_zh")
        .order_by("pk")
    )
    expiring = SubjectEvent.objects.filter(kind=SubjectEvent.Kind.EXPIRING)
    with transaction.atomic():
        before = expiring.count()
        batch: list[SubjectEvent] = []
        for entry in due.iterator(chunk_size=2000):
            batch.append(
                SubjectEvent(
                    enterprise_id=entry.enterprise_id,
                    person_id=entry.person_id,
                    kind=SubjectEvent.Kind.EXPIRING,
                    record_type=SubjectEvent.RecordType.LIST_ENTRY,
                    record_id=entry.pk,
                    occurred_at=now,
                    summary=entry_event_summary(
                        list_type=entry.list_type,
                        decision_number=entry.decision_number,
                        extra=entry.planned_end.isoformat(),
                    ),
                )
            )
            if len(batch) >= 2000:
                SubjectEvent.objects.bulk_create(batch, ignore_conflicts=True)
                batch.clear()
        SubjectEvent.objects.bulk_create(batch, ignore_conflicts=True)
        return expiring.count() - before


# Fields a clerk may correct in place; dates and status change only through the lifecycle services.
CORRECTABLE_FIELDS = {
    "subject_name",
    "legal_basis",
    "circumstance",
    "decision_date",
    "severity",
    "published_on",
}


def list_entry_correct(*, entry: ListEntry, actor: Actor, via: str, note: str = "", **changes) -> ListEntry:
    """Correct a clerical error in an entry; the audit trail keeps the old value."""
    require_may_maintain(actor, list_type=entry.list_type, issuing_agency=entry.issuing_agency)
    refused = sorted(set(changes) - CORRECTABLE_FIELDS)
    if refused:
        raise ValidationError(
            {
                name: _("%(field)s cannot be corrected in place; end, revoke or extend the entry instead.")
                % {"field": name}
                for name in refused
            }
        )
    with transaction.atomic():
        before = snapshot(ListEntry.objects.select_for_update().get(pk=entry.pk))
        instance_update(instance=entry, actor=actor, via=via, changes=changes, note=note)
        if snapshot(entry) != before:
            _record_entry_event(entry, SubjectEvent.Kind.CHANGED)
        entries_index([entry])
    return entry


def list_type_create(*, actor: Actor, via: str, note: str = "", **fields) -> ListType:
    if not (actor is None or getattr(actor, "is_superuser", False)):
        agency = clerk_agency(actor)
        if agency is None or fields.get("owner") != agency:
            raise ValidationError({"owner": _("A clerk can create lists only for their own agency.")})
    return instance_create(model=ListType, actor=actor, via=via, fields=fields, note=note)


def list_type_update(*, list_type: ListType, actor: Actor, via: str, note: str = "", **changes) -> ListType:
    require_may_maintain(actor, list_type=list_type)
    if (
        "owner" in changes
        and changes["owner"] != list_type.owner
        and not getattr(actor, "is_superuser", actor is None)
    ):
        raise ValidationError({"owner": _("Only a superuser can move a list to another agency.")})
    return instance_update(instance=list_type, actor=actor, via=via, changes=changes, note=note)
