"""Who may maintain which entries: a clerk only their own agency's; superusers and jobs all.

A job or command says so by acting as ``registry.services.audit.SYSTEM``; an anonymous user, or an
actor nobody named (``None``), may maintain nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.permissions import clerk_agency, is_unrestricted
from blacklists.models import ListEntry, ListType
from registry.models import Agency
from registry.services.audit import Actor


def may_maintain(actor: Actor, *, list_type: ListType, issuing_agency: Agency | None = None) -> bool:
    """A clerk maintains the lists their agency owns, and the entries their agency issued."""
    if is_unrestricted(actor):
        return True
    agency = clerk_agency(actor)
    if agency is None:
        return False
    return list_type.owner_id == agency.pk or (issuing_agency is not None and issuing_agency.pk == agency.pk)


def require_may_maintain(actor: Actor, *, list_type: ListType, issuing_agency: Agency | None = None) -> None:
    if not may_maintain(actor, list_type=list_type, issuing_agency=issuing_agency):
        raise PermissionDenied(
            _("Only clerks of %(owner)s (or of the issuing agency) may change entries on %(list)s.")
            % {"owner": list_type.owner.name_zh, "list": list_type.name_zh}
        )


def maintainable_entries(actor: Actor, queryset: QuerySet[ListEntry]) -> QuerySet[ListEntry]:
    if is_unrestricted(actor):
        return queryset
    agency = clerk_agency(actor)
    if agency is None:
        return queryset.none()
    return queryset.filter(Q(list_type__owner=agency) | Q(issuing_agency=agency))


def maintainable_list_types(actor: Actor, queryset: QuerySet[ListType]) -> QuerySet[ListType]:
    if is_unrestricted(actor):
        return queryset
    agency = clerk_agency(actor)
    return queryset.filter(owner=agency) if agency else queryset.none()
