"""Developer keys: created by their owner (the key is shown once), revoked by their owner.

A key is ``odk_`` and 43 random URL-safe characters; only its SHA-256 hex digest is stored (a long
random key needs no slow salted hash: there is nothing to guess). The first eight characters are
kept to tell keys apart on the account page.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opendata.models import DeveloperKey
from registry.models import AuditEntry
from registry.services.audit import audit_record, diff, snapshot

KEY_PREFIX = "odk_"
PREFIX_SHOWN = len(KEY_PREFIX) + 4
MAX_ACTIVE_KEYS = 10
LAST_USED_GRANULARITY_SECONDS = 60  # a busy key is not written on every request


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def developer_key_create(*, owner: AbstractBaseUser, name: str) -> tuple[DeveloperKey, str]:
    """A new key of ``owner`` and the key itself, returned once and never stored."""
    if not getattr(owner, "is_authenticated", False) or owner.pk is None:
        raise PermissionDenied(_("Sign in to create an API key."))
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    developer_key = DeveloperKey(
        owner=owner,
        name=(name or "").strip(),
        prefix=key[:PREFIX_SHOWN],
        key_hash=key_hash(key),
        created_at=timezone.now(),
    )
    with transaction.atomic():
        # The owner's row is the lock that keeps two simultaneous requests from passing the cap together.
        get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
        active = DeveloperKey.objects.filter(owner=owner, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_KEYS:
            raise ValidationError(
                _("You have %(n)d keys in use, the most allowed. Revoke one you no longer need first.")
                % {"n": MAX_ACTIVE_KEYS}
            )
        developer_key.full_clean()
        developer_key.save(force_insert=True)
        audit_record(
            actor=owner,
            via=AuditEntry.Via.FORM,
            action=AuditEntry.Action.CREATE,
            instance=developer_key,
            changes=diff({}, snapshot(developer_key)),
        )
    return developer_key, key


def developer_key_revoke(*, owner: AbstractBaseUser, key_id: int) -> DeveloperKey:
    """Revoke one of ``owner``'s keys; revoking a revoked key changes nothing."""
    with transaction.atomic():
        developer_key = DeveloperKey.objects.select_for_update().filter(owner=owner, pk=key_id).first()
        if developer_key is None:
            raise PermissionDenied(_("You hold no such key."))
        if developer_key.revoked_at is not None:
            return developer_key
        before = snapshot(developer_key)
        developer_key.revoked_at = timezone.now()
        developer_key.full_clean()
        developer_key.save(update_fields=["revoked_at"])
        audit_record(
            actor=owner,
            via=AuditEntry.Via.FORM,
            action=AuditEntry.Action.UPDATE,
            instance=developer_key,
            changes=diff(before, snapshot(developer_key)),
            reason=_("Revoked by its owner."),
        )
    return developer_key


def developer_key_find(*, key: str) -> DeveloperKey | None:
    """The key (revoked or not) whose hash matches, with its owner; None for an unknown key."""
    if not key.startswith(KEY_PREFIX):
        return None
    return DeveloperKey.objects.select_related("owner").filter(key_hash=key_hash(key)).first()


def developer_key_mark_used(*, developer_key: DeveloperKey) -> None:
    """Record when a key was last used, at most once a minute (not audited: bookkeeping, not a change)."""
    now = timezone.now()
    last = developer_key.last_used_at
    if last is not None and (now - last).total_seconds() < LAST_USED_GRANULARITY_SECONDS:
        return
    DeveloperKey.objects.filter(pk=developer_key.pk).update(last_used_at=now)
    developer_key.last_used_at = now
