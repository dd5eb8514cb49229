"""Writes about who acts for whom, and the rule every company service applies first.

Company self-service services (filings, disclosures, commitments a company signs, objections,
credit repair and removal applications) call :func:`require_acts_for` before anything else: only a
member of the enterprise may act in its name. Nobody else may, not a superuser, a clerk or the
SYSTEM actor: clerks and jobs have services of their own (deciding, recording, correcting), and a
company's declaration is made by its own users. See ``docs/accounts.md``.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.clerk_roles import CLERK_ROLES
from accounts.models import ACTIVATION_CODE_VALID_DAYS, ActivationCode, AgencyMembership, EnterpriseMembership
from accounts.permissions import acts_for, clerk_agency, is_unrestricted
from core.identifiers import uscc_has_valid_shape
from registry.models import Agency, AuditEntry, Enterprise
from registry.services.audit import Actor, audit_record, diff, snapshot
from registry.services.base import instance_create, instance_delete, instance_update

# Codes avoid characters that read alike (0/O, 1/I/L) and print in three groups of four: 60 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4


# --- the rule of the company services ---------------------------------------------------------------


def require_acts_for(actor: Actor, enterprise: Enterprise, *, role: str | None = None) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` is a member of ``enterprise`` (with ``role``).

    Company self-service services call this first. Superusers, clerks and the SYSTEM actor are
    refused like any outsider: they act through the clerks' services, never in a company's name.
    """
    if acts_for(actor, enterprise, role=role):
        return
    if role == EnterpriseMembership.Role.ADMINISTRATOR:
        message = _("Only an administrator of %(name)s (%(uscc)s) may do this.")
    else:
        message = _("Only users who act for %(name)s (%(uscc)s) may do this.")
    raise PermissionDenied(message % {"name": enterprise.name, "uscc": enterprise.uscc})


# --- activation codes and claiming ------------------------------------------------------------------


def activation_code_normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def activation_code_hash(code: str) -> str:
    """Keyed hash of a code (HMAC-SHA256 with the site secret): the table alone reveals no code."""
    return salted_hmac(
        "portal.activation-code", activation_code_normalise(code), algorithm="sha256"
    ).hexdigest()


def activation_code_new() -> str:
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH)) for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def may_issue_codes_for(actor: Actor, enterprise: Enterprise) -> bool:
    """Superusers (and jobs) for any enterprise; a clerk for those their agency registered."""
    if is_unrestricted(actor):
        return True
    agency = clerk_agency(actor)
    return agency is not None and enterprise.registration_authority_id == agency.pk


def activation_code_issue(
    *,
    enterprise: Enterprise,
    role: str | None = None,
    issued_by: Actor,
    valid_days: int = ACTIVATION_CODE_VALID_DAYS,
) -> tuple[ActivationCode, str]:
    """Issue a one-time code for ``enterprise``; returns the row and the code, which is never stored.

    The first code of an enterprise always makes an administrator (who then manages the others);
    later codes grant ``role`` (filer when not given).
    """
    if not may_issue_codes_for(issued_by, enterprise):
        raise PermissionDenied(_("You may issue codes only for enterprises your agency registered."))
    if valid_days < 1:
        raise ValidationError({"expires_at": _("A code must be valid for at least one day.")})
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()  # one first code only
        if not ActivationCode.objects.filter(enterprise=enterprise).exists():
            role = EnterpriseMembership.Role.ADMINISTRATOR
        code = activation_code_new()
        now = timezone.now()
        row = ActivationCode(
            enterprise=enterprise,
            role=role or EnterpriseMembership.Role.FILER,
            code_hash=activation_code_hash(code),
            issued_by=issued_by if getattr(issued_by, "pk", None) else None,
            issued_at=now,
            expires_at=now + dt.timedelta(days=valid_days),
        )
        row.full_clean()
        row.save(force_insert=True)
        audit_record(
            actor=issued_by,
            via=AuditEntry.Via.ADMIN if getattr(issued_by, "pk", None) else AuditEntry.Via.COMMAND,
            action=AuditEntry.Action.CREATE,
            instance=row,
            changes=diff({}, snapshot(row)),
        )
    return row, code


class ClaimRefused(ValidationError):
    """The USCC and code do not open an enterprise: unknown, wrong, expired or used."""


def enterprise_claim(*, user: AbstractBaseUser, uscc: str, code: str) -> EnterpriseMembership:
    """Make ``user`` a member of the enterprise the code was issued for, and use up the code.

    Every refusal (unknown enterprise, wrong code) reads the same, so the form tells nothing about
    which codes exist; an expired or used code says so, as only its holder can know it was right.
    """
    code_uscc = uscc.strip().upper()
    wrong = ClaimRefused(
        _("This code does not match this unified social credit code. Check both and try again."),
        code="wrong",
    )
    if not uscc_has_valid_shape(code_uscc):
        raise wrong
    now = timezone.now()
    with transaction.atomic():
        row = (
            ActivationCode.objects.select_for_update()
            .select_related("enterprise")
            .filter(enterprise__uscc=code_uscc, code_hash=activation_code_hash(code))
            .first()
        )
        if row is None:
            raise wrong
        if row.used_at is not None:
            raise ClaimRefused(
                _("This code has already been used. Ask the registration authority for a new one."),
                code="used",
            )
        if row.expires_at <= now:
            raise ClaimRefused(
                _("This code has expired. Ask the registration authority for a new one."), code="expired"
            )
        membership = EnterpriseMembership.objects.filter(user=user, enterprise=row.enterprise).first()
        if membership is None:
            membership = EnterpriseMembership(user=user, enterprise=row.enterprise, role=row.role)
            membership.full_clean()
            membership.save(force_insert=True)
            audit_record(
                actor=user,
                via=AuditEntry.Via.FORM,
                action=AuditEntry.Action.CREATE,
                instance=membership,
                changes=diff({}, snapshot(membership)),
                reason="claimed with an activation code",
            )
        elif row.role == EnterpriseMembership.Role.ADMINISTRATOR and membership.role != row.role:
            before = snapshot(membership)
            membership.role = row.role
            membership.full_clean()
            membership.save(update_fields=["role"])
            audit_record(
                actor=user,
                via=AuditEntry.Via.FORM,
                action=AuditEntry.Action.UPDATE,
                instance=membership,
                changes=diff(before, snapshot(membership)),
                reason="claimed with an activation code",
            )
        before = snapshot(row)
        row.used_at = now
        row.used_by = user
        row.full_clean()
        row.save(update_fields=["used_at", "used_by"])
        audit_record(
            actor=user,
            via=AuditEntry.Via.FORM,
            action=AuditEntry.Action.UPDATE,
            instance=row,
            changes=diff(before, snapshot(row)),
        )
    return membership


def membership_remove(*, membership: EnterpriseMembership, actor: AbstractBaseUser) -> None:
    """An administrator of the enterprise removes another of its users (never themself)."""
    if membership.user_id == actor.pk:
        raise ValidationError(_("You cannot remove yourself."))
    if not EnterpriseMembership.objects.filter(
        user=actor, enterprise_id=membership.enterprise_id, role=EnterpriseMembership.Role.ADMINISTRATOR
    ).exists():
        raise PermissionDenied(_("Only an administrator of this enterprise may remove its users."))
    with transaction.atomic():
        audit_record(
            actor=actor,
            via=AuditEntry.Via.FORM,
            action=AuditEntry.Action.DELETE,
            instance=membership,
            changes=diff(snapshot(membership), {}),
        )
        membership.delete()


# --- agency clerks ----------------------------------------------------------------------------------


def agency_membership_create(
    *, user: AbstractBaseUser, agency: Agency, actor: Actor, via: str
) -> AgencyMembership:
    """Make ``user`` a clerk of ``agency``: what they may maintain is then limited to its data."""
    return instance_create(
        model=AgencyMembership, actor=actor, via=via, fields={"user": user, "agency": agency}
    )


def agency_membership_update(
    *, membership: AgencyMembership, actor: Actor, via: str, **changes
) -> AgencyMembership:
    """Move a clerk to another agency (``agency=``), or the membership to another user (``user=``)."""
    return instance_update(instance=membership, actor=actor, via=via, changes=changes)


def agency_membership_delete(*, membership: AgencyMembership, actor: Actor, via: str, note: str = "") -> None:
    instance_delete(instance=membership, actor=actor, via=via, note=note)


def clerk_groups_ensure(*, actor: Actor, via: str) -> dict[str, Group]:
    """Create or update the clerks' groups of ``accounts.clerk_roles.CLERK_ROLES`` with exactly
    their permissions; audited when a group is created or its permissions change. Refuses a
    permission that no installed model has (a renamed model must be renamed in the table too)."""
    groups = {}
    with transaction.atomic():
        for name, labels in CLERK_ROLES.items():
            wanted = _permissions(labels)
            group, created = Group.objects.get_or_create(name=name)
            before = sorted(group.permissions.values_list("codename", flat=True)) if not created else None
            after = sorted(permission.codename for permission in wanted)
            if before != after:
                group.permissions.set(wanted)
                audit_record(
                    actor=actor,
                    via=via,
                    action="create" if created else "update",
                    instance=group,
                    changes={"permissions": [before, after]},
                )
            groups[name] = group
    return groups


def _permissions(labels) -> list[Permission]:
    pairs = {tuple(label.split(".", 1)) for label in labels}
    found = list(
        Permission.objects.filter(
            content_type__app_label__in={app for app, _codename in pairs},
            codename__in={codename for _app, codename in pairs},
        ).select_related("content_type")
    )
    known = {(permission.content_type.app_label, permission.codename) for permission in found}
    missing = sorted(f"{app}.{codename}" for app, codename in pairs - known)
    if missing:
        raise ValidationError(_("Unknown permissions: %(names)s.") % {"names": ", ".join(missing)})
    return [
        permission
        for permission in found
        if (permission.content_type.app_label, permission.codename) in pairs
    ]
