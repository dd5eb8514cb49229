"""Writes for the record types of a credit file and for reference data."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from registry.models import RECORD_MODELS, AbnormalOperationListing, Agency, AgencyMembership, Region
from registry.services.audit import Actor
from registry.services.base import instance_create, instance_delete, instance_update

R = TypeVar("R", bound=models.Model)
REFERENCE_MODELS = (Region, Agency, AgencyMembership)


def _check_record_model(model: type[models.Model]) -> None:
    if model not in RECORD_MODELS and model not in REFERENCE_MODELS:
        raise TypeError(f"{model.__name__} is not written through the record services")


def record_create(*, model: type[R], actor: Actor, via: str, note: str = "", **fields: Any) -> R:
    """Create one credit-file record (shareholder, penalty, licence, ...) or reference row."""
    _check_record_model(model)
    return instance_create(model=model, actor=actor, via=via, fields=fields, note=note)


def record_update(*, record: R, actor: Actor, via: str, note: str = "", **changes: Any) -> R:
    _check_record_model(type(record))
    return instance_update(instance=record, actor=actor, via=via, changes=changes, note=note)


def record_delete(*, record: models.Model, actor: Actor, via: str, note: str) -> None:
    """Delete a record entered in error. Listings are never deleted: they are removed."""
    _check_record_model(type(record))
    if isinstance(record, AbnormalOperationListing):
        raise ValidationError(_("A listing is never deleted; record its removal instead."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the record is deleted.")})
    instance_delete(instance=record, actor=actor, via=via, note=note)


def abnormal_listing_create(
    *,
    enterprise,
    reason: str,
    listed_on: dt.date,
    listing_agency: Agency,
    actor: Actor,
    via: str,
    decision_number: str = "",
) -> AbnormalOperationListing:
    return record_create(
        model=AbnormalOperationListing,
        actor=actor,
        via=via,
        enterprise=enterprise,
        reason=reason,
        listed_on=listed_on,
        listing_agency=listing_agency,
        decision_number=decision_number,
        source_agency=listing_agency,
    )


def abnormal_listing_remove(
    *,
    listing: AbnormalOperationListing,
    removal_reason: str,
    removed_on: dt.date,
    removal_agency: Agency,
    actor: Actor,
    via: str,
) -> AbnormalOperationListing:
    if listing.removed_on is not None:
        raise ValidationError(
            _("This listing was already removed on %(date)s.") % {"date": listing.removed_on}
        )
    return record_update(
        record=listing,
        actor=actor,
        via=via,
        note=removal_reason,
        removed_on=removed_on,
        removal_reason=removal_reason,
        removal_agency=removal_agency,
    )
