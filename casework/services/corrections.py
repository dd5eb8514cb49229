"""Deciding an objection as "corrected" together with the correction of the record it disputes.

The clerk who finds the record wrong corrects it in the same step as the decision:
``objection_decide`` writes the correction through the record's own service (so the record keeps
its rules, its audit entry and the notice to the company) and the decision through
``application_decide``, in one transaction: a refusal of either leaves nothing written.

The two audit entries name each other: the record's entry gives as its reason the objection and
the decision's reason; the decision's entry lists the record and the fields corrected under
``record_corrected``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from blacklists.models import ListEntry
from blacklists.services import list_entry_correct
from blacklists.services.entries import CORRECTABLE_FIELDS as LIST_ENTRY_CORRECTABLE_FIELDS
from casework.models import Objection
from casework.services.decide import application_decide, decision_rule
from casework.services.objections import RECORD_SOURCES
from registry.models import Enterprise
from registry.services import enterprise_update, record_update
from registry.services.audit import Actor, snapshot

RecordType = Objection.RecordType

# Errors in the correction are named "correction__<field>", apart from the decision's own fields
# (a licence's "status" is not the objection's "status").
CORRECTION_PREFIX = "correction__"

# The fields of each record type that a "corrected" decision may change: the record's own data.
# Keys, the enterprise it belongs to and the dates of its lifecycle (an entry's end, a listing's
# removal, a penalty's end of publication) change through their own services, never here.
CORRECTION_FIELDS: dict[str, tuple[str, ...]] = {
    RecordType.ENTERPRISE: (
        "name",
        "registration_number",
        "entity_type",
        "legal_representative",
        "registered_capital",
        "capital_currency",
        "established",
        "operating_from",
        "operating_to",
        "approved_on",
        "address",
        "business_scope",
        "industry",
    ),
    RecordType.SHAREHOLDER: (
        "kind",
        "name",
        "subscribed_capital",
        "subscribed_date",
        "subscribed_method",
        "paid_in_capital",
        "paid_in_date",
        "paid_in_method",
    ),
    RecordType.KEY_PERSONNEL: ("name", "role", "appointed_on", "left_on"),
    RecordType.BRANCH: ("name", "uscc", "established"),
    RecordType.CHANGE_RECORD: ("item", "before", "after", "changed_on"),
    RecordType.ANNUAL_REPORT: (
        "operating_status",
        "contact_phone",
        "email",
        "postal_address",
        "postcode",
        "employees",
        "total_assets",
        "total_liabilities",
        "owners_equity",
        "revenue",
        "main_business_revenue",
        "profit",
        "net_profit",
        "tax_paid",
    ),
    RecordType.LICENCE: ("licence_number", "name", "content", "valid_from", "valid_to", "status"),
    RecordType.PENALTY: (
        "decision_number",
        "violation",
        "content",
        "legal_basis",
        "fine_amount",
        "confiscated_amount",
        "decided_on",
    ),
    RecordType.ABNORMAL_LISTING: ("reason", "listed_on", "decision_number"),
    RecordType.INSPECTION: ("kind", "inspected_on", "result", "detail"),
    RecordType.AWARD: ("title", "awarded_on", "valid_to"),
    RecordType.LIST_ENTRY: tuple(
        name
        for name in (
            "subject_name",
            "decision_date",
            "severity",
            "legal_basis",
            "circumstance",
            "published_on",
        )
        if name in LIST_ENTRY_CORRECTABLE_FIELDS
    ),
    # A credit commitment is the company's own statement: there is nothing for an agency to
    # correct in it; a "corrected" decision about one is the decision alone.
    RecordType.COMMITMENT: (),
}


def correction_fields(record_type: str) -> tuple[str, ...]:
    return CORRECTION_FIELDS.get(record_type, ())


def objected_record(objection: Objection) -> models.Model | None:
    """The record ``objection`` disputes, of its enterprise; None when it no longer exists."""
    if objection.record_type == RecordType.ENTERPRISE:
        if objection.record_id != objection.enterprise_id:
            return None
        return Enterprise.objects.filter(pk=objection.record_id).first()
    if objection.record_type == RecordType.LIST_ENTRY:
        model: type[models.Model] = ListEntry
    elif objection.record_type not in RECORD_SOURCES:  # a credit evaluation: nothing to correct here
        return None
    else:
        model = RECORD_SOURCES[objection.record_type][0]
    return model._default_manager.filter(
        pk=objection.record_id, enterprise_id=objection.enterprise_id
    ).first()


def _prefixed(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {
            (name if name == "__all__" else f"{CORRECTION_PREFIX}{name}"): messages
            for name, messages in error.error_dict.items()
        }
    )


def _correct(record: models.Model, record_type: str, *, changes: dict, actor: Actor, via: str, note: str):
    if record_type == RecordType.ENTERPRISE:
        return enterprise_update(enterprise=record, actor=actor, via=via, note=note, **changes)
    if record_type == RecordType.LIST_ENTRY:
        return list_entry_correct(entry=record, actor=actor, via=via, note=note, **changes)
    return record_update(record=record, actor=actor, via=via, note=note, **changes)


def objection_decide(
    *,
    objection: Objection,
    outcome: str,
    reason: str,
    actor: Actor,
    via: str,
    corrections: Mapping[str, Any] | None = None,
) -> Objection:
    """Decide ``objection``; a "corrected" decision also applies ``corrections`` (field -> value) to
    the disputed record, in the same transaction.

    Refuses corrections with any other outcome, fields the record type may not have corrected,
    and a record that no longer exists (``ValidationError``); the record's service and
    ``application_decide`` refuse the rest. Either write refused, neither is kept.
    """
    corrections = dict(corrections or {})
    if not corrections:
        return application_decide(application=objection, outcome=outcome, reason=reason, actor=actor, via=via)
    if outcome != Objection.Status.CORRECTED:
        raise ValidationError(
            {"status": _("Only a “corrected” decision changes the record; leave its fields as they were.")}
        )
    rule = decision_rule(Objection)
    if not rule.may_decide(actor, objection):
        raise PermissionDenied(rule.refusal(objection))
    allowed = correction_fields(objection.record_type)
    refused = sorted(set(corrections) - set(allowed))
    if refused:
        raise ValidationError(
            {
                f"{CORRECTION_PREFIX}{name}": _("This field cannot be corrected with the decision.")
                for name in refused
            }
        )
    with transaction.atomic():
        record = objected_record(objection)
        if record is None:
            raise ValidationError(
                _("The record of this objection no longer exists; decide without correcting it.")
            )
        before = snapshot(record)
        with translation.override(settings.LANGUAGE_CODE):
            note = _("Corrected on objection no. %(number)s: %(reason)s") % {
                "number": objection.pk,
                "reason": (reason or "").strip(),
            }
        try:
            record = _correct(
                record, objection.record_type, changes=corrections, actor=actor, via=via, note=note
            )
        except ValidationError as error:
            raise _prefixed(error) from error
        after = snapshot(record)
        corrected = sorted(name for name in after if after[name] != before.get(name))
        return application_decide(
            application=objection,
            outcome=outcome,
            reason=reason,
            actor=actor,
            via=via,
            audit_changes={
                "record_corrected": [
                    None,
                    {"record_type": objection.record_type, "record_id": record.pk, "fields": corrected},
                ]
            },
        )
