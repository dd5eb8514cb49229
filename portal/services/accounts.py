"""Company accounts: sign-up and e-mail verification (claiming an enterprise is in ``accounts``)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from registry.models import AuditEntry
from registry.services.audit import audit_record
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
