"""Who may maintain what: a clerk their own agency's items, inspectors, plans and tasks only;
superusers and jobs (SYSTEM) everything. A joint task's other agencies see it but do not change it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.permissions import clerk_agency_id, is_unrestricted
from registry.services.audit import Actor


def may_maintain(actor: Actor, agency_id: int | None) -> bool:
    if is_unrestricted(actor):
        return True
    own = clerk_agency_id(actor)
    return own is not None and own == agency_id


def require_may_maintain(actor: Actor, agency_id: int | None) -> None:
    if not may_maintain(actor, agency_id):
        raise PermissionDenied(_("Only clerks of the agency that owns this may change it."))


def own_rows(actor: Actor, queryset: QuerySet, agency_path: str) -> QuerySet:
    """The rows of ``queryset`` whose ``agency_path`` is the actor's agency (all for superusers)."""
    if is_unrestricted(actor):
        return queryset
    own = clerk_agency_id(actor)
    return queryset.filter(**{agency_path: own}) if own else queryset.none()


def visible_tasks(actor: Actor, queryset: QuerySet) -> QuerySet:
    """Tasks of the actor's agency and joint tasks it takes part in."""
    if is_unrestricted(actor):
        return queryset
    own = clerk_agency_id(actor)
    if not own:
        return queryset.none()
    return queryset.filter(Q(plan__agency_id=own) | Q(joint_agencies=own)).distinct()
