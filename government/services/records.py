"""Recording, correcting and clearing government dishonesty records. Every write is audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_unrestricted
from blacklists.models import ListEntry
from blacklists.services import case_number_error, normalise_case_number
from government.models import COURT_KINDS, DishonestyRecord
from government.permissions import require_may_record
from government.services.dashboard import dashboard_figures_schedule
from registry.services.audit import Actor
from registry.services.base import instance_create, instance_update

COURT_DEFAULTER_LIST = "court-defaulters"
# Once recorded, set by clear() alone, so a correction never half clears a record.
CLEARING_FIELDS = {"cleared_on", "cleared_how"}


def _court_fields(fields: dict) -> dict:
    """Normalise and check a court record's case number, and find its court-defaulter entry."""
    kind = fields.get("kind")
    if kind not in COURT_KINDS or not fields.get("case_number"):
        return fields
    case_number = normalise_case_number(fields["case_number"])
    error = case_number_error(case_number)
    if error:
        raise ValidationError({"case_number": error})
    fields = {**fields, "case_number": case_number}
    if kind == DishonestyRecord.Kind.COURT_DEFAULTER and fields.get("list_entry") is None:
        subject = fields.get("subject")
        if subject is not None:
            # The court's own listing of the body under this case, when the list holds it.
            fields["list_entry"] = (
                ListEntry.objects.filter(
                    list_type__code=COURT_DEFAULTER_LIST, enterprise=subject, decision_number=case_number
                )
                .order_by("-starts_on", "-pk")
                .first()
            )
    return fields


def _dates_error(fields: dict) -> dict[str, str]:
    errors = {}
    today = timezone.localdate()
    for name in ("listed_on", "cleared_on", "explanation_on"):
        day = fields.get(name)
        if isinstance(day, dt.date) and day > today:
            errors[name] = _("%(field)s cannot be in the future.") % {
                "field": DishonestyRecord._meta.get_field(name).verbose_name
            }
    return errors


def dishonesty_record_create(*, actor: Actor, via: str, note: str = "", **fields) -> DishonestyRecord:
    """Record one act of government dishonesty as the recording agency; the kind must be one it keeps."""
    agency, kind = fields.get("recording_agency"), fields.get("kind", "")
    if agency is None:
        raise ValidationError({"recording_agency": _("A record needs the agency that recorded it.")})
    require_may_record(actor, recording_agency=agency, kind=kind)
    errors = _dates_error(fields)
    if errors:
        raise ValidationError(errors)
    fields = _court_fields(fields)
    with transaction.atomic():
        # A record may arrive already cleared (an import of past records); later, only clear() clears.
        record = instance_create(model=DishonestyRecord, actor=actor, via=via, fields=fields, note=note)
        transaction.on_commit(dashboard_figures_schedule)
    return record


def dishonesty_record_update(
    *, record: DishonestyRecord, actor: Actor, via: str, note: str = "", **changes
) -> DishonestyRecord:
    """Correct a record or add its consequences (explanation, rectification, honours, accountability)."""
    require_may_record(actor, recording_agency=record.recording_agency, kind=record.kind)
    if "kind" in changes and changes["kind"] != record.kind:
        require_may_record(actor, recording_agency=record.recording_agency, kind=changes["kind"])
    agency = changes.get("recording_agency")
    if agency is not None and agency.pk != record.recording_agency_id and not is_unrestricted(actor):
        raise PermissionDenied(_("A clerk cannot move a record to another agency."))
    errors = _dates_error(changes)
    if errors:
        raise ValidationError(errors)
    if "case_number" in changes or "kind" in changes:
        merged = _court_fields(
            {
                "kind": changes.get("kind", record.kind),
                "case_number": changes.get("case_number", record.case_number),
                "subject": changes.get("subject", record.subject),
                "list_entry": changes.get("list_entry", record.list_entry),
            }
        )
        changes = {**changes, "case_number": merged["case_number"], "list_entry": merged["list_entry"]}
    with transaction.atomic():
        record = instance_update(
            instance=record, actor=actor, via=via, changes=changes, note=note, read_only=CLEARING_FIELDS
        )
        transaction.on_commit(dashboard_figures_schedule)
    return record


def dishonesty_record_clear(
    *, record: DishonestyRecord, actor: Actor, via: str, cleared_on: dt.date, cleared_how: str, note: str = ""
) -> DishonestyRecord:
    """The body performed, settled, or the record was revoked: it stays public, marked cleared."""
    require_may_record(actor, recording_agency=record.recording_agency, kind=record.kind)
    if record.cleared_on is not None:
        raise ValidationError(_("This record was already cleared on %(day)s.") % {"day": record.cleared_on})
    if not cleared_how:
        raise ValidationError(
            {"cleared_how": _("Say how the record was cleared: performed, settled or revoked.")}
        )
    errors = _dates_error({"cleared_on": cleared_on})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = instance_update(
            instance=record,
            actor=actor,
            via=via,
            changes={"cleared_on": cleared_on, "cleared_how": cleared_how},
            note=note,
        )
        transaction.on_commit(dashboard_figures_schedule)
    return record
