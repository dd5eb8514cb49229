"""Writes for credit commitment letters (信用承诺): signing one, and recording that it was broken."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.services import require_acts_for
from filings.models import CreditCommitment
from registry.models import Agency, Enterprise
from registry.services.audit import Actor, audit_record, diff, snapshot
from registry.services.base import instance_create

BREAK_FIELDS = ("broken_on", "broken_by", "broken_note")


def credit_commitment_create(
    *,
    enterprise: Enterprise,
    kind: str,
    title: str,
    text: str,
    signed_on: dt.date,
    signer_name: str,
    actor: Actor,
    via: str,
    source_agency: Agency | None = None,
) -> CreditCommitment:
    """Publish a commitment the enterprise signed. A new commitment is never already broken."""
    return instance_create(
        model=CreditCommitment,
        actor=actor,
        via=via,
        fields={
            "enterprise": enterprise,
            "kind": kind,
            "title": title.strip(),
            "text": text.strip(),
            "signed_on": signed_on,
            "signer_name": signer_name.strip(),
            "source_agency": source_agency,
        },
        read_only=set(BREAK_FIELDS),
    )


def credit_commitment_sign(
    *,
    enterprise: Enterprise,
    kind: str,
    title: str,
    text: str,
    signed_on: dt.date,
    signer_name: str,
    actor: Actor,
    via: str,
    source_agency: Agency | None = None,
) -> CreditCommitment:
    """The company signs and publishes a commitment itself (self-service): only its members may.

    A clerk records a commitment the company made to the agency with :func:`credit_commitment_create`."""
    require_acts_for(actor, enterprise)
    return credit_commitment_create(
        enterprise=enterprise,
        kind=kind,
        title=title,
        text=text,
        signed_on=signed_on,
        signer_name=signer_name,
        actor=actor,
        via=via,
        source_agency=source_agency,
    )


def credit_commitment_mark_broken(
    *,
    commitment: CreditCommitment,
    broken_on: dt.date,
    broken_by: Agency,
    note: str,
    actor: Actor,
    via: str,
) -> CreditCommitment:
    """Record that an agency found the commitment untrue or broken (承诺不实). Recorded once."""
    if not (note or "").strip():
        raise ValidationError({"broken_note": _("Say how the commitment was broken.")})
    with transaction.atomic():
        locked = CreditCommitment.objects.select_for_update().get(pk=commitment.pk)
        if locked.broken_on is not None:
            raise ValidationError(
                _("This commitment was already recorded as broken on %(date)s.")
                % {"date": date_format(locked.broken_on, "DATE_FORMAT")}
            )
        before = snapshot(locked)
        locked.broken_on = broken_on
        locked.broken_by = broken_by
        locked.broken_note = note.strip()
        locked.full_clean()
        locked.save(update_fields=[*BREAK_FIELDS, "updated_at"])
        audit_record(
            actor=actor,
            via=via,
            action="update",
            instance=locked,
            changes=diff(before, snapshot(locked)),
            reason=locked.broken_note,
        )
    for name in ("broken_on", "broken_by_id", "broken_note", "updated_at"):
        setattr(commitment, name, getattr(locked, name))
    commitment.broken_by = broken_by
    return commitment
