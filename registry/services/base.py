"""Shared write path: validate, save inside a transaction, audit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.privacy import reject_prohibited_fields
from registry.services.audit import Actor, audit_record, diff, snapshot

M = TypeVar("M", bound=models.Model)


def check_field_names(model: type[models.Model], names, *, read_only: set[str] = frozenset()) -> None:
    """Refuse prohibited personal data and unknown or read-only fields, naming each."""
    reject_prohibited_fields(names)
    writable = {
        name
        for field in model._meta.concrete_fields
        for name in (field.name, field.attname)
        # A natural key (a region's code) is written; a generated id never is.
        if not (field.primary_key and isinstance(field, models.AutoField))
        and field.name not in {"created_at", "updated_at"}
    } - set(read_only)
    unknown = sorted(set(names) - writable)
    if unknown:
        raise ValidationError(
            {
                name: _("%(model)s has no writable field %(field)s.")
                % {"model": model._meta.verbose_name, "field": name}
                for name in unknown
            }
        )


def instance_create(
    *,
    model: type[M],
    actor: Actor,
    via: str,
    fields: Mapping[str, Any],
    note: str = "",
    read_only: set[str] = frozenset(),
) -> M:
    check_field_names(model, fields.keys(), read_only=read_only)
    instance = model(**fields)
    with transaction.atomic():
        instance.full_clean()
        instance.save(force_insert=True)
        audit_record(
            actor=actor,
            via=via,
            action="create",
            instance=instance,
            changes=diff({}, snapshot(instance)),
            reason=note,
        )
    return instance


def instance_update(
    *,
    instance: M,
    actor: Actor,
    via: str,
    changes: Mapping[str, Any],
    note: str = "",
    read_only: set[str] = frozenset(),
) -> M:
    """Apply ``changes``; a no-op update writes nothing and records nothing."""
    check_field_names(type(instance), changes.keys(), read_only=read_only)
    with transaction.atomic():
        locked = type(instance).objects.select_for_update().get(pk=instance.pk)
        before = snapshot(locked)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean()
        changed = diff(before, snapshot(locked))
        if changed:
            locked.save()
            audit_record(
                actor=actor,
                via=via,
                action="update",
                instance=locked,
                changes=changed,
                reason=note,
            )
    for name in [field.attname for field in locked._meta.concrete_fields]:
        setattr(instance, name, getattr(locked, name))
    return instance


def instance_delete(*, instance: models.Model, actor: Actor, via: str, note: str = "") -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            via=via,
            action="delete",
            instance=instance,
            changes=diff(snapshot(instance), {}),
            reason=note,
        )
        instance.delete()
