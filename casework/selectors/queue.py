"""The clerk's queue: the undecided applications of their agency, with their due dates in working
days, and the list entries of their agency that end this month.

The due date is the one the submit services stored (``due_on``, counted in working days from the
Beijing date of the submission); the queue only reads it and counts the working days left with the
same calendar (``core.workdays``). A superuser (or a job) sees every agency's work, optionally
filtered to one agency. Every read here is a fixed number of queries, however long the queue.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.permissions import clerk_agency_id, is_unrestricted
from blacklists.models import ListEntry
from blacklists.permissions import maintainable_entries
from casework.models import AbnormalRemovalApplication, DecidedApplication, Objection, RepairApplication
from core.workdays import working_calendar, working_days_between
from registry.models import Agency
from registry.services.audit import Actor

# How many items of each kind the home page shows; the counts and the full lists cover the rest.
QUEUE_LIMIT = 50
EXPIRING_LIMIT = 50


def _local_name(obj) -> str:
    if obj is None:
        return ""
    return obj.name_zh if (get_language() or "zh").startswith("zh") else obj.name_en


@dataclass(frozen=True)
class QueueItem:
    """One undecided application as the queue shows it."""

    application: DecidedApplication
    kind: str  # "objection", "repair" or "removal"
    kind_label: str
    summary: str
    enterprise_name: str
    agency_name: str
    submitted_at: dt.datetime
    due_on: dt.date
    working_days_left: int  # negative once overdue
    overdue: bool
    url: str

    @property
    def working_days_overdue(self) -> int:
        return -self.working_days_left if self.overdue else 0


@dataclass(frozen=True)
class Queue:
    items: list[QueueItem]  # due first (the earliest due date), then the earliest submitted
    pending: int  # all undecided applications in scope (items may show fewer)
    overdue: int
    agency: Agency | None  # the agency the queue is for (None: every agency)

    @property
    def truncated(self) -> bool:
        return self.pending > len(self.items)


def _objection_summary(objection: Objection) -> str:
    return f"{objection.get_record_type_display()}: {objection.record_summary}"


def _repair_summary(application: RepairApplication) -> str:
    if application.list_entry_id:
        entry = application.list_entry
        return f"{_local_name(entry.list_type)} {entry.decision_number}"
    return f"{_('administrative penalty')} {application.penalty.decision_number}"


def _removal_summary(application: AbnormalRemovalApplication) -> str:
    listing = application.listing
    return f"{listing.get_reason_display()} {listing.listed_on.isoformat()}"


# kind -> (model, its label, related rows the summary reads, the summary)
KINDS = {
    "objection": (Objection, lambda: _("objection"), (), _objection_summary),
    "repair": (
        RepairApplication,
        lambda: _("credit repair"),
        ("list_entry", "list_entry__list_type", "penalty"),
        _repair_summary,
    ),
    "removal": (
        AbnormalRemovalApplication,
        lambda: _("removal from the abnormal list"),
        ("listing",),
        _removal_summary,
    ),
}


def queue_scope(actor: Actor, agency: Agency | None = None) -> tuple[bool, int | None]:
    """Whether ``actor`` may see the queue at all, and the agency id it is limited to (None: all).

    A clerk is always limited to their own agency (``agency`` is ignored); an unrestricted actor
    sees every agency, or the one asked for."""
    if is_unrestricted(actor):
        return True, agency.pk if agency else None
    own = clerk_agency_id(actor)
    return own is not None, own


def clerk_queue(*, actor: Actor, today: dt.date | None = None, agency: Agency | None = None) -> Queue:
    """The undecided applications ``actor`` decides, the earliest due first.

    Two queries a kind (the first items and the counts), whatever the length of the queue."""
    today = today or timezone.localdate()
    allowed, agency_id = queue_scope(actor, agency)
    if not allowed:
        return Queue(items=[], pending=0, overdue=0, agency=None)
    items: list[QueueItem] = []
    workdays = working_calendar()  # read once: inside a transaction every call reads it afresh
    for kind, (model, label, related, summary) in KINDS.items():
        queryset = model._default_manager.pending()
        if agency_id is not None:
            queryset = queryset.filter(agency_id=agency_id)
        for application in queryset.select_related("enterprise", "agency", *related).order_by(
            "due_on", "submitted_at", "id"
        )[:QUEUE_LIMIT]:
            days_left = working_days_between(today, application.due_on, calendar=workdays)
            items.append(
                QueueItem(
                    application=application,
                    kind=kind,
                    kind_label=label(),
                    summary=summary(application),
                    enterprise_name=application.enterprise.name,
                    agency_name=_local_name(application.agency),
                    submitted_at=application.submitted_at,
                    due_on=application.due_on,
                    working_days_left=days_left,
                    overdue=application.is_overdue(today),
                    url=reverse(
                        f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
                        args=[application.pk],
                    ),
                )
            )
    pending, overdue = _counts(agency_id, today)
    items.sort(key=lambda item: (item.due_on, item.submitted_at, item.application.pk))
    agency_obj = agency if (agency is not None and agency.pk == agency_id) else None
    if agency_obj is None and agency_id is not None:
        agency_obj = Agency.objects.filter(pk=agency_id).first()
    return Queue(items=items, pending=pending, overdue=overdue, agency=agency_obj)


def _counts(agency_id: int | None, today: dt.date) -> tuple[int, int]:
    """(undecided, overdue) over the three kinds: one aggregate query a kind."""
    querysets = []
    for model, *_rest in KINDS.values():
        queryset = model._default_manager.pending()
        if agency_id is not None:
            queryset = queryset.filter(agency_id=agency_id)
        querysets.append(
            queryset.order_by().aggregate(
                pending=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
            )
        )
    return sum(row["pending"] for row in querysets), sum(row["overdue"] for row in querysets)


def agencies_with_pending_work() -> list[Agency]:
    """The agencies that have undecided applications, by name: the superuser's filter."""
    ids: set[int] = set()
    for model, *_rest in KINDS.values():
        ids.update(model._default_manager.pending().order_by().values_list("agency_id", flat=True).distinct())
    return list(Agency.objects.filter(pk__in=ids).order_by("name_zh"))


@dataclass(frozen=True)
class ExpiringEntry:
    entry: ListEntry
    list_name: str
    url: str


def month_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    last = calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=1), today.replace(day=last)


def entries_expiring_this_month(
    *, actor: Actor, today: dt.date | None = None, agency: Agency | None = None
) -> list[ExpiringEntry]:
    """The in-force entries ``actor`` maintains whose planned end falls in this (Beijing) month,
    the earliest end first: one query."""
    today = today or timezone.localdate()
    first, last = month_bounds(today)
    queryset = maintainable_entries(actor, ListEntry.objects.all())
    if agency is not None and is_unrestricted(actor):
        queryset = queryset.filter(issuing_agency=agency)
    entries = (
        queryset.filter(
            status=ListEntry.Status.IN_FORCE,
            permanent=False,
            planned_end__gte=first,
            planned_end__lte=last,
        )
        .select_related("list_type")
        .order_by("planned_end", "id")[:EXPIRING_LIMIT]
    )
    return [
        ExpiringEntry(
            entry=entry,
            list_name=_local_name(entry.list_type),
            url=reverse("admin:blacklists_listentry_change", args=[entry.pk]),
        )
        for entry in entries
    ]
