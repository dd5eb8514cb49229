"""Record what happened to a subject, inside the transaction of the write that made it happen."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from registry.models import Enterprise, Person, SubjectEvent

SUMMARY_MAX = SubjectEvent._meta.get_field("summary").max_length


def event_summary(*parts: object) -> str:
    """Join the non-empty parts into one short line that fits the summary column."""
    return " ".join(str(part).strip() for part in parts if part not in (None, ""))[:SUMMARY_MAX]


def subject_event_record(
    *,
    enterprise: Enterprise | None = None,
    person: Person | None = None,
    kind: str,
    record_type: str,
    record_id: int,
    summary: str,
    occurred_at: dt.datetime | None = None,
) -> SubjectEvent:
    """Write one event. Call it from a service, inside that service's transaction.

    ``summary`` is short, neutral text (a list name and a document number, a date); it never
    holds an ID number. The portal builds the message the subject reads from it.
    """
    event = SubjectEvent(
        enterprise=enterprise,
        person=person,
        kind=kind,
        record_type=record_type,
        record_id=record_id,
        summary=summary[:SUMMARY_MAX],
        occurred_at=occurred_at or timezone.now(),
    )
    with transaction.atomic():
        event.full_clean()
        event.save(force_insert=True)
    return event
