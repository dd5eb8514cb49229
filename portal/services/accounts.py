"""Company accounts: sign-up with e-mail verification, activation codes and claiming an enterprise."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from blacklists.permissions import clerk_agency, is_unrestricted
from core.identifiers import uscc_has_valid_shape
from portal.models import ACTIVATION_CODE_VALID_DAYS, ActivationCode, EnterpriseMembership
from registry.models import AuditEntry, Enterprise
from registry.services.audit import Actor, audit_record, diff, snapshot
from registry.services.mail import mail_enqueue

User = get_user_model()

VERIFY_SALT = "portal.account.verify-email"
VERIFY_MAX_AGE = dt.timedelta(days=3)

# Codes avoid characters that read alike (0/O, 1/I/L) and print in three groups of four: 60 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4


def email_normalise(email: str) -> str:
    return email.strip().lower()


# --- sign-up and e-mail verification ----------------------------------------------------------------


def account_verification_token(*, user: AbstractBaseUser) -> str:
    """A signed, expiring token naming the user and the address it was sent to."""
    return signing.dumps({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)


def account_verification_send(*, user: AbstractBaseUser, base_url: str) -> None:
    """Queue the verification mail with its link; sent when the surrounding transaction commits."""
    link = base_url.rstrip("/") + reverse(
        "portal:verify-email", kwargs={"token": account_verification_token(user=user)}
    )
    context = {"link": link, "days": VERIFY_MAX_AGE.days}
    mail_enqueue(
        to=user.email,
        subject=render_to_string("portal/account/mail/verify_subject.txt", context),
        body=render_to_string("portal/account/mail/verify_body.txt", context),
    )


def account_signup(*, email: str, password: str, base_url: str) -> AbstractBaseUser:
    """Create an account that cannot sign in until its e-mail address is verified, and mail the link.

    The e-mail address is the login. Raises :class:`ValidationError` for a taken address or a
    password the validators refuse.
    """
    address = email_normalise(email)
    try:
        validate_email(address)
    except ValidationError as exc:
        raise ValidationError({"email": exc.messages}) from exc
    if User._default_manager.filter(username__iexact=address).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    user = User(username=address, email=address, is_active=False)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    with transaction.atomic():
        user.full_clean()
        user.save(force_insert=True)
        audit_record(
            actor=None,
            via=AuditEntry.Via.FORM,
            action=AuditEntry.Action.CREATE,
            instance=user,
            changes={"username": [None, address], "is_active": [None, False]},
            reason="sign-up",
            actor_label=address,
        )
        account_verification_send(user=user, base_url=base_url)
    return user


def account_verify(*, token: str) -> AbstractBaseUser:
    """Activate the account named by a verification token. Raises :class:`ValidationError`."""
    try:
        payload = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This link has expired. Ask for a new one."), code="expired") from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This link is not valid."), code="invalid") from exc
    with transaction.atomic():
        user = User._default_manager.select_for_update().filter(pk=payload.get("u")).first()
        if user is None or user.email != payload.get("e"):
            raise ValidationError(_("This link is not valid."), code="invalid")
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
            audit_record(
                actor=user,
                via=AuditEntry.Via.FORM,
                action=AuditEntry.Action.UPDATE,
                instance=user,
                changes={"is_active": [False, True]},
                reason="e-mail verified",
            )
    return user


def account_verification_resend(*, email: str, base_url: str) -> bool:
    """Send a new link to an unverified account with this address; False when there is none."""
    user = User._default_manager.filter(username__iexact=email_normalise(email), is_active=False).first()
    if user is None or not user.has_usable_password():
        return False
    account_verification_send(user=user, base_url=base_url)
    return True


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
