"""Writes to the item list, the inspector directory, conflicts and annual plans: each by a clerk
of the owning agency (or SYSTEM), validated, audited."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from inspections.models import AnnualPlan, DeclaredConflict, InspectionItem, Inspector
from inspections.permissions import require_may_maintain
from registry.services.audit import Actor
from registry.services.base import instance_create, instance_update


def _agency_id(model: type[models.Model], fields: dict[str, Any]) -> int | None:
    if model is DeclaredConflict:
        inspector = fields.get("inspector") or Inspector.objects.get(pk=fields["inspector_id"])
        return inspector.agency_id
    agency = fields.get("agency")
    return agency.pk if agency is not None else fields.get("agency_id")


def _create(model, *, actor: Actor, via: str, fields: dict[str, Any]):
    require_may_maintain(actor, _agency_id(model, fields))
    return instance_create(model=model, actor=actor, via=via, fields=fields)


def _update(instance, *, actor: Actor, via: str, changes: dict[str, Any]):
    owner = instance.inspector.agency_id if isinstance(instance, DeclaredConflict) else instance.agency_id
    require_may_maintain(actor, owner)
    if "agency" in changes or "agency_id" in changes:
        require_may_maintain(actor, _agency_id(type(instance), changes))
    return instance_update(instance=instance, actor=actor, via=via, changes=changes)


def inspection_item_create(*, actor: Actor, via: str, **fields) -> InspectionItem:
    return _create(InspectionItem, actor=actor, via=via, fields=fields)


def inspection_item_update(*, item: InspectionItem, actor: Actor, via: str, **changes) -> InspectionItem:
    return _update(item, actor=actor, via=via, changes=changes)


def inspector_create(*, actor: Actor, via: str, **fields) -> Inspector:
    return _create(Inspector, actor=actor, via=via, fields=fields)


def inspector_update(*, inspector: Inspector, actor: Actor, via: str, **changes) -> Inspector:
    return _update(inspector, actor=actor, via=via, changes=changes)


def conflict_declare(*, actor: Actor, via: str, **fields) -> DeclaredConflict:
    """Declare an inspector's interest in an enterprise; draws whose manifest is published later
    recuse them from it."""
    with transaction.atomic():
        return _create(DeclaredConflict, actor=actor, via=via, fields=fields)


def annual_plan_create(*, actor: Actor, via: str, **fields) -> AnnualPlan:
    return _create(AnnualPlan, actor=actor, via=via, fields=fields)


def annual_plan_update(*, plan: AnnualPlan, actor: Actor, via: str, **changes) -> AnnualPlan:
    return _update(plan, actor=actor, via=via, changes=changes)
