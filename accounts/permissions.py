"""Who may act for whom: a company's users for their enterprise, a clerk for their agency.

Every company view and service asks here; the services refuse through
``accounts.services.require_acts_for``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import EnterpriseMembership
from registry.models import Agency, Enterprise
from registry.services.audit import Actor, is_system


def acts_for(user, enterprise: Enterprise | int, *, role: str | None = None) -> bool:
    """True when ``user`` is a member of ``enterprise`` (with ``role``, when given).

    Administrators may do everything filers may.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    enterprise_id = enterprise if isinstance(enterprise, int) else enterprise.pk
    memberships = EnterpriseMembership.objects.filter(user=user, enterprise_id=enterprise_id)
    if role == EnterpriseMembership.Role.ADMINISTRATOR:
        memberships = memberships.filter(role=role)
    return memberships.exists()


def enterprises_of(user) -> QuerySet[Enterprise]:
    """The enterprises ``user`` acts for, by name."""
    if not getattr(user, "is_authenticated", False):
        return Enterprise.objects.none()
    return Enterprise.objects.filter(memberships__user=user).order_by("name").distinct()


def _agency_membership(actor: Actor):
    return getattr(actor, "agency_membership", None) if getattr(actor, "pk", None) else None


def clerk_agency(actor: Actor) -> Agency | None:
    """The agency ``actor`` works for as a clerk; None for everybody else (and for SYSTEM)."""
    membership = _agency_membership(actor)
    return membership.agency if membership else None


def clerk_agency_id(actor: Actor) -> int | None:
    """The id of :func:`clerk_agency`, without loading the agency."""
    membership = _agency_membership(actor)
    return membership.agency_id if membership else None


def is_unrestricted(actor: Actor) -> bool:
    """Jobs and commands (the SYSTEM actor) and active superusers act for every agency."""
    if is_system(actor):
        return True
    return bool(
        getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", False)
        and getattr(actor, "is_superuser", False)
    )
