from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.identifiers import uscc_check_char, uscc_has_valid_shape
from registry.models import AuditEntry, Enterprise, Person
from registry.services.audit import Actor
from registry.services.base import instance_create, instance_update
from registry.services.government_bodies import GOVERNMENT_KIND_VALUES, government_fields_errors
from registry.services.search import enterprise_search_document_refresh

# Changing the code of an enterprise would break every link to it; a new code is a new enterprise.
IMMUTABLE_ENTERPRISE_FIELDS = {"uscc"}


def uscc_error(code: str, *, legacy_allowed: bool = False) -> str | None:
    """What is wrong with ``code`` as a USCC, or None."""
    if len(code) != 18:
        return _("A USCC has 18 characters; this one has %(n)d.") % {"n": len(code)}
    if not uscc_has_valid_shape(code):
        return _(
            "A USCC uses digits and capital letters except I, O, S, V and Z, "
            "and characters 3-8 are a six-digit division code."
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected and not legacy_allowed:
        return _(
            "The USCC check character is %(given)s but should be %(expected)s: "
            "please check the code for a typing error."
        ) % {"given": code[17], "expected": expected}
    return None


def _validate_enterprise(fields: dict, *, via: str) -> None:
    errors: dict[str, str] = {}
    legacy = bool(fields.get("uscc_legacy"))
    if legacy and via != AuditEntry.Via.IMPORT:
        errors["uscc_legacy"] = _(
            "Only a bulk import of official data may register a code whose check character does not verify."
        )
    if "uscc" in fields:
        fields["uscc"] = str(fields["uscc"]).strip().upper()
        message = uscc_error(fields["uscc"], legacy_allowed=legacy)
        if message:
            errors["uscc"] = message
    capital = fields.get("registered_capital")
    if capital is not None and Decimal(capital) < 0:
        errors["registered_capital"] = _("Registered capital cannot be negative.")
    established = fields.get("established")
    if isinstance(established, dt.date) and established > timezone.localdate():
        errors["established"] = _("The establishment date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


def enterprise_create(*, actor: Actor, via: str, note: str = "", **fields) -> Enterprise:
    fields.setdefault("uscc", "")
    _validate_enterprise(fields, via=via)
    errors = government_fields_errors(enterprise=Enterprise(), changes=fields)
    if errors:
        raise ValidationError(errors)
    if Enterprise.objects.filter(uscc=fields["uscc"]).exists():
        raise ValidationError({"uscc": _("An enterprise with this USCC is already registered.")})
    with transaction.atomic():
        enterprise = instance_create(model=Enterprise, actor=actor, via=via, fields=fields, note=note)
        enterprise_search_document_refresh(enterprise=enterprise)
    return enterprise


def enterprise_update(
    *, enterprise: Enterprise, actor: Actor, via: str, note: str = "", **changes
) -> Enterprise:
    changed_code = {
        name
        for name in IMMUTABLE_ENTERPRISE_FIELDS
        if name in changes and changes[name] != getattr(enterprise, name)
    }
    if changed_code:
        raise ValidationError({"uscc": _("The USCC of a registered enterprise cannot be changed.")})
    changes = {name: value for name, value in changes.items() if name not in IMMUTABLE_ENTERPRISE_FIELDS}
    to_check = dict(changes)
    if not (changes.get("uscc_legacy") and not enterprise.uscc_legacy):
        to_check.pop("uscc_legacy", None)  # only newly setting the flag needs the import path
    _validate_enterprise(to_check, via=via)
    errors = government_fields_errors(enterprise=enterprise, changes=changes)
    if errors:
        raise ValidationError(errors)
    if (
        "name" in changes
        and changes["name"] != enterprise.name
        and enterprise.name not in (changes.get("former_names") or enterprise.former_names)
    ):
        changes["former_names"] = [*(changes.get("former_names") or enterprise.former_names), enterprise.name]
    with transaction.atomic():
        enterprise = instance_update(instance=enterprise, actor=actor, via=via, changes=changes, note=note)
        enterprise_search_document_refresh(enterprise=enterprise)
    return enterprise


def government_body_update(
    *,
    body: Enterprise,
    actor: Actor,
    via: str,
    level: str,
    parent_body: Enterprise | None,
    principal: Person | None,
    note: str = "",
) -> Enterprise:
    """Set a public body's level, parent body and principal (head), validated and audited."""
    if body.entity_type not in GOVERNMENT_KIND_VALUES:
        raise ValidationError(
            _("%(name)s is not a government body or other public-sector subject.") % {"name": body.name}
        )
    return enterprise_update(
        enterprise=body,
        actor=actor,
        via=via,
        note=note,
        level=level,
        parent_body=parent_body,
        principal=principal,
    )
