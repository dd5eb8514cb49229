"""Who may act for which enterprise in self-service. Every company view and service asks here."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.models import EnterpriseMembership
from registry.models import Enterprise


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
