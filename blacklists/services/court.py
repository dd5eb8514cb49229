"""Court-list cases written one at a time (admin, API); imports use the bulk path in blacklists.importing."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blacklists.models import (
    CASE_NUMBER_RE,
    ConsumptionRestrictionDetail,
    CourtDefaulterDetail,
    ListEntry,
    ListType,
)
from blacklists.services.entries import list_entry_create
from registry.models import Agency, Region
from registry.services import record_create
from registry.services.audit import Actor

COURT_LISTS = {
    "court-defaulters": CourtDefaulterDetail,
    "consumption-restriction": ConsumptionRestrictionDetail,
}


def normalise_case_number(raw: str) -> str:
    text = unicodedata.normalize("NFKC", str(raw or "")).replace(" ", "").strip()
    return text.replace("〔", "(").replace("〕", ")").replace("[", "(").replace("]", ")")


def case_number_error(case_number: str) -> str | None:
    if not CASE_NUMBER_RE.match(case_number):
        return _(
            "'%(value)s' is not a case number like (2019)皖1122执1194号: year in brackets, court, "
            "case type, serial number and 号."
        ) % {"value": case_number}
    return None


def court_level(name: str) -> str:
    if "最高" in name:
        return Agency.Level.NATIONAL
    if "高级" in name:
        return Agency.Level.PROVINCIAL
    if "中级" in name or re.search(r"(知识产权|铁路运输|海事|金融)法院", name):
        return Agency.Level.PREFECTURE
    return Agency.Level.COUNTY


def court_get_or_create(*, name: str, province: Region, actor: Actor, via: str) -> Agency:
    """Courts are many (over 3,000); one is registered the first time a list names it."""
    name = name.strip()
    level = court_level(name)
    region = None if level == Agency.Level.NATIONAL else province
    courts = Agency.objects.filter(name_zh=name, kind=Agency.Kind.COURT).order_by("pk")
    # Known by its name within the province, in whichever of the province's divisions it sits.
    existing = (
        courts.filter(region__isnull=True)
        if region is None
        else courts.filter(region__code__startswith=region.code[:2])
    ).first()
    if existing:
        return existing
    return record_create(
        model=Agency,
        actor=actor,
        via=via,
        name_zh=name,
        name_en=f"People's court: {name}",
        short_code=court_short_code(name, region),
        level=level,
        kind=Agency.Kind.COURT,
        region=region,
    )


def court_short_code(name: str, region: Region | None) -> str:
    import hashlib

    digest = hashlib.sha1(name.encode()).hexdigest()[:10]  # noqa: S324 - a name key, not security
    return f"court-{region.code if region else 'national'}-{digest}"


def court_case_create(
    *, list_type: ListType, entry_fields: dict, detail_fields: dict, actor: Actor, via: str
) -> ListEntry:
    """One court-list case: the entry, its court-specific details, history and audit, atomically."""
    detail_model = COURT_LISTS.get(list_type.code)
    if detail_model is None:
        raise ValidationError(_("%(code)s is not a court list.") % {"code": list_type.code})
    entry_fields = {
        **{name: value for name, value in entry_fields.items() if name != "list_type"},
        "decision_number": normalise_case_number(entry_fields["decision_number"]),
    }
    error = case_number_error(entry_fields["decision_number"])
    if error:
        raise ValidationError({"case_number": error})
    with transaction.atomic():
        entry = list_entry_create(actor=actor, via=via, list_type=list_type, **entry_fields)
        detail = detail_model(entry=entry, **detail_fields)
        detail.full_clean()
        detail.save(force_insert=True)
    return entry
