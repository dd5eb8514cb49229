"""What the lists say: list entries (and the serious-illegal list) and badges."""

from __future__ import annotations

from django.utils.translation import gettext as _

from blacklists.models import ListEntry, ListType
from portal.profile.cells import agency_name, day_cell, entry_url, list_name, period, table, text
from portal.profile.types import Cell, Section
from registry.models import Enterprise


def _entry_row(entry: ListEntry) -> dict[str, Cell]:
    return {
        "list": Cell(text=list_name(entry.list_type), url=entry_url(entry), kind=entry.list_type.kind),
        "agency": text(agency_name(entry.issuing_agency)),
        "number": Cell(text=entry.decision_number, url=entry_url(entry)),
        "decided": day_cell(entry.decision_date),
        "period": text(period(entry.starts_on, entry.planned_end, open_text=_("permanent"))),
        "circumstance": Cell(text=entry.circumstance, note=entry.legal_basis),
    }


def entries_section(key: str, title: str, entries: list[ListEntry], empty_text: str) -> Section:
    return table(
        key,
        title,
        entries,
        [
            ("list", _("List")),
            ("agency", _("Issuing agency")),
            ("number", _("Decision number")),
            ("decided", _("Decision date")),
            ("period", _("In force")),
            ("circumstance", _("Circumstance")),
        ],
        _entry_row,
        empty_text=empty_text,
        agencies=lambda r: [r.issuing_agency],
        day=lambda r: [r.published_on],
    )


def badges(enterprise: Enterprise, entries: list[ListEntry]) -> list[Cell]:
    badges = []
    seen: set[int] = set()
    for entry in entries:
        if entry.list_type_id in seen:
            continue
        seen.add(entry.list_type_id)
        badges.append(Cell(text=list_name(entry.list_type), url=entry_url(entry), kind=entry.list_type.kind))
    if any(listing.is_current for listing in enterprise.abnormal_listings.all()):
        badges.append(
            Cell(text=_("Listed for abnormal operations"), url="#abnormal_listings", kind="abnormal")
        )
    order = {ListType.Kind.BLACKLIST: 0, ListType.Kind.WATCHLIST: 1, "abnormal": 2, ListType.Kind.REDLIST: 3}
    return sorted(badges, key=lambda badge: order.get(badge.kind, 9))
