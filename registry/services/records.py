"""Writes for the record types of a credit file and for reference data."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from registry.models import (
    RECORD_MODELS,
    AbnormalOperationListing,
    AdministrativePenalty,
    Agency,
    InspectionRecord,
    Region,
    SubjectEvent,
)
from registry.services.audit import Actor, snapshot
from registry.services.base import instance_create, instance_delete, instance_update
from registry.services.events import event_summary, subject_event_record

R = TypeVar("R", bound=models.Model)
REFERENCE_MODELS = (Region, Agency)


def _check_record_model(model: type[models.Model]) -> None:
    if model not in RECORD_MODELS and model not in REFERENCE_MODELS:
        raise TypeError(f"{model.__name__} is not written through the record services")


# Records whose publication, change and end the subject is told about (see docs/notifications.md).
EVENT_RECORD_TYPES: dict[type[models.Model], str] = {
    AdministrativePenalty: SubjectEvent.RecordType.PENALTY,
    InspectionRecord: SubjectEvent.RecordType.INSPECTION,
    AbnormalOperationListing: SubjectEvent.RecordType.ABNORMAL_LISTING,
}


def _event_summary(record: models.Model) -> str:
    """Agency and document number (or date): neutral, and never an ID number."""
    if isinstance(record, AdministrativePenalty):
        return event_summary(record.deciding_agency.name_zh, record.decision_number)
    if isinstance(record, InspectionRecord):
        return event_summary(record.inspecting_agency.name_zh, record.inspected_on.isoformat())
    if isinstance(record, AbnormalOperationListing):
        return event_summary(
            record.listing_agency.name_zh, record.decision_number or record.listed_on.isoformat()
        )
    raise TypeError(f"{type(record).__name__} records no subject events")


def _record_event(record: models.Model, kind: str) -> None:
    subject_event_record(
        enterprise=record.enterprise,
        kind=kind,
        record_type=EVENT_RECORD_TYPES[type(record)],
        record_id=record.pk,
        summary=_event_summary(record),
    )


def record_create(*, model: type[R], actor: Actor, via: str, note: str = "", **fields: Any) -> R:
    """Create one credit-file record (shareholder, penalty, licence, ...) or reference row."""
    _check_record_model(model)
    if model not in EVENT_RECORD_TYPES:
        return instance_create(model=model, actor=actor, via=via, fields=fields, note=note)
    with transaction.atomic():
        record = instance_create(model=model, actor=actor, via=via, fields=fields, note=note)
        _record_event(record, SubjectEvent.Kind.PUBLISHED)
    return record


def record_update(*, record: R, actor: Actor, via: str, note: str = "", **changes: Any) -> R:
    _check_record_model(type(record))
    if type(record) not in EVENT_RECORD_TYPES:
        return instance_update(instance=record, actor=actor, via=via, changes=changes, note=note)
    with transaction.atomic():
        before = type(record).objects.select_for_update().get(pk=record.pk)
        instance_update(instance=record, actor=actor, via=via, changes=changes, note=note)
        if snapshot(before) != snapshot(record):  # a no-op update tells nobody anything
            ended = (
                isinstance(record, AbnormalOperationListing)
                and before.removed_on is None
                and record.removed_on is not None
            )
            _record_event(record, SubjectEvent.Kind.ENDED if ended else SubjectEvent.Kind.CHANGED)
    return record


def record_delete(*, record: models.Model, actor: Actor, via: str, note: str) -> None:
    """Delete a record entered in error. Listings are never deleted: they are removed."""
    _check_record_model(type(record))
    if isinstance(record, AbnormalOperationListing):
        raise ValidationError(_("A listing is never deleted; record its removal instead."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the record is deleted.")})
    if type(record) not in EVENT_RECORD_TYPES:
        instance_delete(instance=record, actor=actor, via=via, note=note)
        return
    with transaction.atomic():
        _record_event(record, SubjectEvent.Kind.ENDED)  # while the record still has its key
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
            _("This listing was already removed on %(date)s.")
            % {"date": date_format(listing.removed_on, "DATE_FORMAT")}
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
