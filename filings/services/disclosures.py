"""Writes for instant disclosure (即时信息公示): publishing a fact, and correcting it with history kept.

The company itself publishes these facts; nothing is published *about* it by an agency, so no
subject event is recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import require_acts_for
from core.workdays import add_working_days
from filings.models import InstantDisclosure, InstantDisclosureVersion
from filings.models.disclosures import DISCLOSURE_WORKING_DAYS
from registry.models import Enterprise
from registry.services.audit import Actor, audit_record, diff, snapshot
from registry.services.base import instance_create


def instant_disclosure_due_on(occurred_on: dt.date) -> dt.date:
    """The last day to publish a fact that happened on ``occurred_on``."""
    return add_working_days(occurred_on, DISCLOSURE_WORKING_DAYS)


def _user_or_none(actor: Actor):
    return actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None


def _clean_details(details: dict[str, Any]) -> dict[str, str]:
    return {name: value.strip() if isinstance(value, str) else value for name, value in details.items()}


def instant_disclosure_publish(
    *,
    enterprise: Enterprise,
    kind: str,
    occurred_on: dt.date,
    details: dict[str, Any],
    actor: Actor,
    via: str,
    published_at: dt.datetime | None = None,
) -> InstantDisclosure:
    """Publish a fact on the enterprise's public record at once, with its due date."""
    require_acts_for(actor, enterprise)
    published_at = published_at or timezone.now()
    return instance_create(
        model=InstantDisclosure,
        actor=actor,
        via=via,
        fields={
            "enterprise": enterprise,
            "kind": kind,
            "occurred_on": occurred_on,
            "due_on": instant_disclosure_due_on(occurred_on),
            "details": _clean_details(details),
            "published_at": published_at,
            "published_on": timezone.localdate(published_at),
            "published_by": _user_or_none(actor),
        },
        read_only={"late", "version", "corrected_at"},
    )


def instant_disclosure_correct(
    *,
    disclosure: InstantDisclosure,
    occurred_on: dt.date,
    details: dict[str, Any],
    reason: str,
    actor: Actor,
    via: str,
) -> InstantDisclosure:
    """Correct a published disclosure. The version it replaces is kept; the first publication
    date stays, so a late disclosure stays late."""
    require_acts_for(actor, disclosure.enterprise)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the disclosure is corrected.")})
    now = timezone.now()
    with transaction.atomic():
        locked = InstantDisclosure.objects.select_for_update().get(pk=disclosure.pk)
        new_details = _clean_details(details)
        if locked.occurred_on == occurred_on and locked.details == new_details:
            raise ValidationError(_("Nothing was changed."))
        kept = InstantDisclosureVersion(
            disclosure=locked,
            version=locked.version,
            occurred_on=locked.occurred_on,
            due_on=locked.due_on,
            details=locked.details,
            published_at=locked.corrected_at or locked.published_at,
            published_by=locked.published_by,
            replaced_at=now,
            replaced_by=_user_or_none(actor),
            reason=reason,
        )
        kept.full_clean()
        kept.save(force_insert=True)
        audit_record(
            actor=actor,
            via=via,
            action="create",
            instance=kept,
            changes=diff({}, snapshot(kept)),
            reason=reason,
        )
        before = snapshot(locked)
        locked.occurred_on = occurred_on
        locked.due_on = instant_disclosure_due_on(occurred_on)
        locked.details = new_details
        locked.version += 1
        locked.corrected_at = now
        locked.published_by = _user_or_none(actor)
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
    locked.refresh_from_db(fields=["late"])
    return locked
