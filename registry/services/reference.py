"""Reference data: the GB/T 2260 divisions and the agencies generated from them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.divisions import AgencyRow, DivisionRow
from registry.models import Agency, Region
from registry.services.audit import Actor
from registry.services.base import instance_create, instance_update

CONFIRMATION_FIELDS = {"generated", "confirmed_at", "confirmed_by", "confirmed_by_id"}


def _confirmation(actor: Actor) -> dict[str, Any]:
    return {
        "confirmed_at": timezone.now(),
        "confirmed_by": actor if getattr(actor, "is_authenticated", False) else None,
    }


def agency_confirm(*, agency: Agency, actor: Actor, via: str, note: str = "") -> Agency:
    """A clerk confirms that a generated agency's name and division are right."""
    if not agency.generated:
        raise ValidationError(_("Only a generated agency needs confirming."))
    if agency.confirmed_at is not None:
        raise ValidationError(_("This agency is already confirmed."))
    return instance_update(
        instance=agency,
        actor=actor,
        via=via,
        changes=_confirmation(actor),
        note=note or _("Confirmed by a clerk."),
    )


def agency_update(*, agency: Agency, actor: Actor, via: str, note: str = "", **changes: Any) -> Agency:
    """Correct an agency. Correcting a generated agency confirms it, so ``update_divisions``
    never overwrites the correction."""
    if not changes:
        return agency
    if agency.generated and agency.confirmed_at is None:
        changes = {**changes, **_confirmation(actor)}
    return instance_update(
        instance=agency,
        actor=actor,
        via=via,
        changes=changes,
        note=note,
        read_only={"generated"},
    )


@dataclass
class DivisionsReport:
    regions_created: list[str] = field(default_factory=list)
    regions_changed: list[str] = field(default_factory=list)
    regions_retired: list[str] = field(default_factory=list)
    regions_not_in_source: int = 0
    agencies_created: list[str] = field(default_factory=list)
    agencies_changed: list[str] = field(default_factory=list)
    agencies_kept: int = 0  # confirmed, corrected or curated rows the update leaves alone

    @property
    def changed(self) -> bool:
        return bool(
            self.regions_created or self.regions_changed or self.agencies_created or self.agencies_changed
        )


def _region_values(row: DivisionRow) -> dict[str, Any]:
    return {
        "name_zh": row.name_zh,
        "name_en": row.name_en,
        "level": row.level,
        "parent_id": row.parent_code or None,
        "valid_from_year": row.valid_from_year,
        "valid_until_year": row.valid_until_year,
    }


def _agency_values(row: AgencyRow) -> dict[str, Any]:
    return {
        "name_zh": row.name_zh,
        "name_en": row.name_en,
        "level": row.level,
        "kind": row.kind,
        "region_id": row.region_code,
    }


def divisions_update(
    *, divisions: Iterable[DivisionRow], agencies: Iterable[AgencyRow], actor: Actor, via: str, note: str = ""
) -> DivisionsReport:
    """Bring the divisions and the generated agencies up to a new edition of the code list, all
    or nothing, each change audited.

    Divisions are added or changed (a curated English name is kept while the Chinese name stays);
    none is deleted, since records and ID numbers keep citing retired codes. A generated agency
    is added, or changed while no clerk has confirmed or corrected it; an agency whose short code
    or Chinese name is already used by another row is left alone."""
    report = DivisionsReport()
    divisions = list(divisions)
    with transaction.atomic():
        regions = {region.code: region for region in Region.objects.all()}
        for row in divisions:
            values = _region_values(row)
            region = regions.get(row.code)
            if region is None:
                regions[row.code] = instance_create(
                    model=Region, actor=actor, via=via, fields={"code": row.code, **values}, note=note
                )
                report.regions_created.append(row.code)
                continue
            if region.name_zh == row.name_zh:
                values["name_en"] = region.name_en
            changes = {name: value for name, value in values.items() if getattr(region, name) != value}
            if changes:
                instance_update(instance=region, actor=actor, via=via, changes=changes, note=note)
                report.regions_changed.append(row.code)
                if "valid_until_year" in changes and row.valid_until_year is not None:
                    report.regions_retired.append(row.code)
        report.regions_not_in_source = len(set(regions) - {row.code for row in divisions})

        by_code = {agency.short_code: agency for agency in Agency.objects.all()}
        names = {agency.name_zh: agency.short_code for agency in by_code.values()}
        for row in agencies:
            values = _agency_values(row)
            agency = by_code.get(row.short_code)
            if agency is None:
                if row.name_zh in names:
                    report.agencies_kept += 1
                    continue
                by_code[row.short_code] = instance_create(
                    model=Agency,
                    actor=actor,
                    via=via,
                    fields={"short_code": row.short_code, "generated": True, **values},
                    note=note,
                )
                names[row.name_zh] = row.short_code
                report.agencies_created.append(row.short_code)
                continue
            if not agency.awaiting_confirmation or names.get(row.name_zh, row.short_code) != row.short_code:
                report.agencies_kept += 1
                continue
            changes = {name: value for name, value in values.items() if getattr(agency, name) != value}
            if changes:
                names.pop(agency.name_zh, None)
                instance_update(instance=agency, actor=actor, via=via, changes=changes, note=note)
                names[row.name_zh] = row.short_code
                report.agencies_changed.append(row.short_code)
    return report
