"""The single audit mechanism: every service write calls :func:`audit_record`."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from registry.models import AuditEntry

Via = AuditEntry.Via


class SystemActor:
    """A job or command acting on the project's own authority (``SYSTEM``), never a signed-in user.

    Permission checks let it do what a superuser may; an anonymous user or ``None`` is not it and
    may maintain nothing. The audit trail names it by its path, e.g. "(command)".
    """

    pk = None
    is_authenticated = False
    is_anonymous = False
    is_active = False
    is_staff = False
    is_superuser = False

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()

# Who asked for a write: a signed-in user, or SYSTEM for jobs and commands. None (an actor nobody
# named) is still recorded as the path alone, but is refused by every permission check.
Actor = AbstractBaseUser | AnonymousUser | SystemActor | None


def is_system(actor: Actor) -> bool:
    return isinstance(actor, SystemActor)


# Never copied into the audit trail: bookkeeping, or not to be repeated anywhere.
UNAUDITED_FIELDS = {"created_at", "updated_at", "id_hash"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        # 100 and 100.00 are the same amount: a re-import must not look like a change.
        return format(value.normalize(), "f")
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    return {
        field.attname: _jsonable(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.name not in UNAUDITED_FIELDS and not field.primary_key
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), after.get(name)]
        for name in {**before, **after}
        if before.get(name) != after.get(name)
    }


def actor_label_for(actor: Actor, via: str) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return actor.get_username()
    return f"({via})"


def audit_record(
    *,
    actor: Actor,
    via: str,
    action: str,
    instance: models.Model,
    changes: dict[str, list[Any]],
    reason: str = "",
    actor_label: str = "",
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label or actor_label_for(actor, via),
        via=via,
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_pk=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
        reason=reason,
    )
    entry.full_clean()
    entry.save()
    return entry
