"""Re-evaluation on change, in the background: the watcher reads the audit trail.

Every service write records an ``AuditEntry``. The watcher (run every few seconds by the job
worker, ``docs/jobs.md``) reads the entries written since its bookmark, keeps those about records
that count (``WATCHED``: the indicator sources), finds their enterprises and re-evaluates them all
in one set-based statement. No signal, and no lower app knows scoring exists.

Audit ids are handed out when a row is inserted but become visible when its transaction commits,
so a lower id can appear after a higher one. An id skipped over (not visible yet) is remembered
as pending and read again on later runs, until it appears or ``PENDING_FOR`` has passed (a
rolled-back write never appears).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from blacklists.models import ListEntry
from filings.models import CreditCommitment, InstantDisclosure
from registry.models import (
    AbnormalOperationListing,
    AdministrativePenalty,
    AnnualReport,
    AuditEntry,
    Award,
    Enterprise,
    InspectionRecord,
    TaxRecord,
)
from scoring.models import Cause, ChangeWatermark
from scoring.services.evaluations import NoRuleSetInForce, evaluations_run_for_ids

logger = logging.getLogger(__name__)

WATERMARK = "evaluation-watcher"
READ_AT_MOST = 20_000
PENDING_FOR = dt.timedelta(hours=1)

# Model -> the field naming its enterprise ("pk" for the enterprise itself).
WATCHED: dict[type[models.Model], str] = {
    Enterprise: "pk",
    AdministrativePenalty: "enterprise_id",
    AbnormalOperationListing: "enterprise_id",
    InspectionRecord: "enterprise_id",
    AnnualReport: "enterprise_id",
    Award: "enterprise_id",
    TaxRecord: "enterprise_id",
    ListEntry: "enterprise_id",
    CreditCommitment: "enterprise_id",
    InstantDisclosure: "enterprise_id",
}


def watched_model_register(model: type[models.Model], enterprise_field: str = "enterprise_id") -> None:
    """A new indicator's source model (agency grades, ...) is watched from its app's ``ready()``."""
    WATCHED[model] = enterprise_field


@dataclass(frozen=True)
class WatchResult:
    entries_read: int
    enterprises: int


def _enterprise_ids(entries: list[tuple[int, int, str, dict]]) -> set[int]:
    by_type: dict[int, dict[str, dict]] = {}
    for _id, content_type_id, object_pk, changes in entries:
        by_type.setdefault(content_type_id, {})[object_pk] = changes
    found: set[int] = set()
    content_types = ContentType.objects.get_for_models(*WATCHED)
    for model, content_type in content_types.items():
        rows = by_type.get(content_type.pk)
        if not rows:
            continue
        field = WATCHED[model]
        keys = [pk for pk in rows if pk.isdigit()]
        if field == "pk":
            found.update(int(pk) for pk in keys)
            continue
        existing = dict(model.objects.filter(pk__in=keys).values_list("pk", field))
        for pk in keys:
            enterprise_id = existing.get(int(pk))
            if enterprise_id is None:  # deleted since: its audit entry kept the enterprise
                before_after = (rows[pk] or {}).get(field) or [None, None]
                enterprise_id = next((value for value in before_after if value), None)
            if enterprise_id:
                found.add(int(enterprise_id))
    return found


def _pending_condition(pending: list) -> Q:
    condition = Q()
    for low, high, _seen in pending:
        condition |= Q(id__gte=low, id__lte=high)
    return condition


def evaluation_watch_changes(*, now: dt.datetime | None = None) -> WatchResult:
    """Re-evaluate the enterprises whose counted records changed since the last run.

    Two workers never read the same entries: the bookmark row is locked (``SKIP LOCKED``) for the run."""
    now = now or timezone.now()
    with transaction.atomic():
        ChangeWatermark.objects.get_or_create(name=WATERMARK)
        mark = ChangeWatermark.objects.select_for_update(skip_locked=True).filter(name=WATERMARK).first()
        if mark is None:
            return WatchResult(0, 0)
        pending = [
            item for item in mark.pending_ranges if dt.datetime.fromisoformat(item[2]) > now - PENDING_FOR
        ]
        condition = Q(id__gt=mark.last_audit_id) | _pending_condition(pending)
        rows = list(
            AuditEntry.objects.filter(condition)
            .order_by("id")
            .values_list("id", "content_type_id", "object_pk", "changes")[:READ_AT_MOST]
        )
        seen = {row[0] for row in rows}
        still_pending = []
        for low, high, first_seen in pending:
            missing = [number for number in range(low, high + 1) if number not in seen]
            still_pending.extend(_ranges(missing, first_seen))
        new_rows = [row[0] for row in rows if row[0] > mark.last_audit_id]
        if new_rows:
            top = max(new_rows)
            gaps = [number for number in range(mark.last_audit_id + 1, top + 1) if number not in seen]
            still_pending.extend(_ranges(gaps, now.isoformat()))
            mark.last_audit_id = top
        enterprise_ids = sorted(_enterprise_ids(rows))
        if enterprise_ids:
            try:
                evaluations_run_for_ids(enterprise_ids=enterprise_ids, cause=Cause.RECORD_CHANGED)
            except NoRuleSetInForce:
                logger.info(
                    "no public evaluation rule set in force: %d changes not evaluated", len(enterprise_ids)
                )
        mark.pending_ranges = still_pending
        mark.ran_at = now
        mark.save(update_fields=["last_audit_id", "pending_ranges", "ran_at", "updated_at"])
    return WatchResult(len(rows), len(enterprise_ids))


def _ranges(numbers: list[int], first_seen: str) -> list[list]:
    ranges: list[list] = []
    for number in numbers:
        if ranges and ranges[-1][1] == number - 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number, first_seen])
    return ranges
