"""Writing planned entries, and ending entries, with the history the services would have left.

The services date every change "now"; a demo needs a past: entries listed years ago that expired,
were repaired or revoked on their own days. So the rows the services write (the entry, its status
changes, the subject's events, the audit trail, and for a repair the approved application) are
written here in bulk with those days, after the same checks the importer makes
(``subject_kind_error``, ``period_error``). Entries in force are then indexed for search through
``blacklists.search``, as every other write path does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blacklists.models import ListEntry, ListEntryStatusChange
from blacklists.search import entries_index, entry_ids_index
from blacklists.services.entries import entry_event_summary, period_error, subject_kind_error
from casework.models import RepairApplication
from casework.services.repair import repair_decision_working_days
from core.workdays import add_working_days, working_calendar
from registry.models import Agency, AuditEntry, Enterprise, Person, SubjectEvent
from registry.services.audit import SYSTEM, actor_label_for

from .plan import PlannedEntry

VIA = AuditEntry.Via.COMMAND
Status = ListEntry.Status

# What the deciding clerk wrote, by how the entry ended (stored in the language of the run, as
# the services store theirs).
REASONS = {
    Status.REPAIRED: gettext_lazy(
        "Credit repair approved: the dishonest conduct was corrected and a credit commitment filed."
    ),
    Status.REMOVED: gettext_lazy("The obligation was performed; the listing ended early."),
    Status.REVOKED: gettext_lazy("The listing decision was quashed on administrative reconsideration."),
}
REDLIST_REVOKED = gettext_lazy("The rating was withdrawn after a later finding of dishonest conduct.")
COURT_REASONS = {
    Status.REMOVED: gettext_lazy("The judgment was performed; the court removed the entry."),
    Status.REVOKED: gettext_lazy("The listing was found to be in error and was revoked."),
}


def moment(day: dt.date, hour: int, now: dt.datetime) -> dt.datetime:
    """``hour`` o'clock in China on ``day``, never later than ``now``."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return min(at, now)


def expiry_reason(planned_end: dt.date) -> str:
    return _("Planned end %(end)s passed.") % {"end": planned_end}


@dataclass
class Ending:
    """An entry in force that ended on ``on``: expired, removed, repaired or revoked."""

    entry: ListEntry
    status: str
    on: dt.date
    reason: str
    repair_submitted_on: dt.date | None = None


class HistoryRows:
    """The status changes, events and audit entries of a batch, written together."""

    def __init__(self, now: dt.datetime):
        self.now = now
        self.label = actor_label_for(SYSTEM, VIA)
        self.content_type = ContentType.objects.get_for_model(ListEntry)
        self.changes: list[ListEntryStatusChange] = []
        self.events: list[SubjectEvent] = []
        self.audits: list[AuditEntry] = []

    def _event(self, entry: ListEntry, kind: str, at: dt.datetime, record_type=None, record_id=None) -> None:
        # History, not news: marked dispatched when it happened, so that no notice about a listing
        # of years ago goes out when the demo's notification job runs.
        self.events.append(
            SubjectEvent(
                enterprise_id=entry.enterprise_id,
                person_id=entry.person_id,
                kind=kind,
                record_type=record_type or SubjectEvent.RecordType.LIST_ENTRY,
                record_id=record_id or entry.pk,
                occurred_at=at,
                dispatched_at=at,
                summary=entry_event_summary(list_type=entry.list_type, decision_number=entry.decision_number),
            )
        )

    def _audit(self, entry: ListEntry, action: str, changes: dict, reason: str = "") -> None:
        self.audits.append(
            AuditEntry(
                actor_label=self.label,
                via=VIA,
                action=action,
                content_type=self.content_type,
                object_pk=str(entry.pk),
                object_repr=str(entry)[:300],
                changes=changes,
                reason=reason,
            )
        )

    def listed(self, entry: ListEntry) -> None:
        at = moment(entry.published_on, 9, self.now)
        self.changes.append(
            ListEntryStatusChange(
                entry=entry,
                from_status="",
                to_status=Status.IN_FORCE,
                at=at,
                effective_on=entry.starts_on,
                actor_label=self.label,
                via=VIA,
                reason=_("Listed by decision %(number)s.") % {"number": entry.decision_number},
                planned_end=entry.planned_end,
            )
        )
        self._event(entry, SubjectEvent.Kind.PUBLISHED, at)
        self._audit(
            entry,
            AuditEntry.Action.CREATE,
            {
                "decision_number": [None, entry.decision_number],
                "person_id": [None, entry.person_id],
                "enterprise_id": [None, entry.enterprise_id],
                "planned_end": [None, str(entry.planned_end) if entry.planned_end else None],
            },
        )

    def ended(self, ending: Ending) -> None:
        """The history of an ending :func:`endings_apply` applied to a saved entry."""
        entry = ending.entry
        at = entry.status_changed_at
        self.changes.append(
            ListEntryStatusChange(
                entry=entry,
                from_status=Status.IN_FORCE,
                to_status=ending.status,
                at=at,
                effective_on=ending.on,
                actor_label=self.label,
                via=VIA,
                reason=ending.reason,
                planned_end=entry.planned_end,
            )
        )
        self._event(entry, SubjectEvent.Kind.ENDED, at)
        self._audit(
            entry, AuditEntry.Action.UPDATE, {"status": [Status.IN_FORCE, ending.status]}, ending.reason
        )

    def decided(self, application: RepairApplication) -> None:
        self._event(
            application.list_entry,
            SubjectEvent.Kind.DECIDED,
            application.decided_at,
            record_type=SubjectEvent.RecordType.REPAIR,
            record_id=application.pk,
        )

    def save(self) -> None:
        ListEntryStatusChange.objects.bulk_create(self.changes, batch_size=2000)
        SubjectEvent.objects.bulk_create(self.events, batch_size=2000)
        AuditEntry.objects.bulk_create(self.audits, batch_size=2000)


def _repair_application(ending: Ending, at: dt.datetime, now: dt.datetime, calendar) -> RepairApplication:
    entry = ending.entry
    submitted = moment(ending.repair_submitted_on, 10, now)
    return RepairApplication(
        enterprise_id=entry.enterprise_id,
        list_entry=entry,
        agency_id=entry.issuing_agency_id,
        submitted_at=submitted,
        due_on=add_working_days(
            ending.repair_submitted_on, repair_decision_working_days(), calendar=calendar
        ),
        status=RepairApplication.Status.APPROVED,
        decided_at=max(at, submitted),
        decision_reason=ending.reason,
    )


def endings_apply(endings: Iterable[Ending], now: dt.datetime) -> list[RepairApplication]:
    """Give each entry its end; returns the approved applications that repaired the repaired ones
    (saved once the entries are)."""
    applications = []
    calendar = working_calendar()
    for ending in endings:
        # The expiry job runs in the night; a clerk decides in office hours.
        at = moment(ending.on, 1 if ending.status == Status.EXPIRED else 15, now)
        ending.entry.status, ending.entry.status_changed_at = ending.status, at
        if ending.status == Status.REPAIRED:
            applications.append(_repair_application(ending, at, now, calendar))
    return applications


def endings_record(endings: Iterable[Ending], applications: list[RepairApplication], history: HistoryRows):
    for ending in endings:
        history.ended(ending)
    RepairApplication.objects.bulk_create(applications, batch_size=2000)
    for application in applications:
        history.decided(application)


def _ending_reason(plan: PlannedEntry) -> str:
    if plan.status == Status.EXPIRED:
        return expiry_reason(plan.planned_end)
    if plan.status == Status.REVOKED and plan.list_type.kind == plan.list_type.Kind.REDLIST:
        return str(REDLIST_REVOKED)
    return str(REASONS[plan.status])


def _rule_broken(plan: PlannedEntry, *, person, enterprise) -> str | None:
    """What the list's rules refuse in a plan (the importer's checks), or None."""
    kind_error = subject_kind_error(plan.list_type, person=person, enterprise=enterprise)
    if kind_error:
        return kind_error
    problem = period_error(
        plan.list_type, starts_on=plan.starts_on, planned_end=plan.planned_end, permanent=plan.permanent
    )
    return problem[1] if problem else None


def planned_entries_write(plans: list[PlannedEntry]) -> list[ListEntry]:
    """Save planned entries with their history and index those in force. Refuses, naming the
    problem, a plan the list's rules do not allow (a subject of the wrong kind, a period too long)."""
    now = timezone.now()
    persons = Person.objects.in_bulk({p.subject.id for p in plans if p.subject.kind == "person"})
    enterprises = Enterprise.objects.in_bulk({p.subject.id for p in plans if p.subject.kind == "enterprise"})
    agencies = Agency.objects.in_bulk({p.agency.id for p in plans})
    entries = []
    for plan in plans:
        list_type = plan.list_type
        person = persons.get(plan.subject.id) if plan.subject.kind == "person" else None
        enterprise = enterprises.get(plan.subject.id) if plan.subject.kind == "enterprise" else None
        problem = _rule_broken(plan, person=person, enterprise=enterprise)
        if problem:
            raise ValidationError(f"{list_type.code} {plan.decision_number}: {problem}")
        entries.append(
            ListEntry(
                list_type=list_type,
                person=person,
                enterprise=enterprise,
                subject_name=(person or enterprise).name,
                issuing_agency=agencies[plan.agency.id],
                decision_number=plan.decision_number,
                decision_date=plan.decision_date,
                legal_basis=list_type.legal_basis,
                circumstance=plan.circumstance,
                severity=plan.severity,
                starts_on=plan.starts_on,
                planned_end=plan.planned_end,
                permanent=plan.permanent,
                published_on=plan.starts_on,
            )
        )
    endings = [
        Ending(entry, plan.status, plan.ended_on, _ending_reason(plan), plan.repair_submitted_on)
        for entry, plan in zip(entries, plans, strict=True)
        if plan.status != Status.IN_FORCE
    ]
    applications = endings_apply(endings, now)
    ListEntry.objects.bulk_create(entries, batch_size=2000)
    history = HistoryRows(now)
    for entry in entries:
        history.listed(entry)
    endings_record(endings, applications, history)
    history.save()
    entry_ids_index([entry.pk for entry in entries if entry.status == Status.IN_FORCE])
    return entries


def court_entries_end(endings: list[Ending]) -> None:
    """End imported court entries (indexed when imported) and withdraw them from search."""
    history = HistoryRows(timezone.now())
    applications = endings_apply(endings, history.now)
    for ending in endings:
        ListEntry.objects.filter(pk=ending.entry.pk).update(
            status=ending.status, status_changed_at=ending.entry.status_changed_at
        )
    endings_record(endings, applications, history)
    history.save()
    entries_index([ending.entry for ending in endings])
