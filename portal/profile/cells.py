"""The one place text, dates, money, names and links are turned into :class:`Cell` values.

Also the table-section helper every section builder shares: the source line and "as of" date of a
table are read from its records here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from blacklists.models import ListEntry, ListType
from blacklists.restrictions import chinese, local_name
from portal import formatting as portal_formatting
from portal.profile.types import Cell, Section
from registry.models import Agency, Region

# --- formatting: the one place money, dates and names are turned into text -----------------------
format_date = portal_formatting.format_date


def format_money(amount: Decimal | None, currency: str = "CNY", *, unit: str = "yuan") -> str:
    if amount is None:
        return ""
    return portal_formatting.format_money(amount, unit=unit, currency=currency)


def format_number(value: int | None) -> str:
    if value is None:
        return ""
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def agency_name(agency: Agency | None) -> str:
    return local_name(agency) if agency is not None else ""


def region_name(region: Region | None) -> str:
    if region is None:
        return ""
    zh = chinese()
    # Province, prefecture and county; grouping entries such as 市辖区 are not place names.
    chain = [r for r in region.lineage if not r.is_grouping] or [region]
    names = [r.name_zh if zh else r.name_en for r in chain]
    return "".join(names) if zh else ", ".join(reversed(names))


def list_name(list_type: ListType) -> str:
    return local_name(list_type)


def text(value) -> Cell:
    return Cell(text="" if value is None else str(value))


def day_cell(day) -> Cell:
    return Cell(text=format_date(day))


def money_cell(amount, currency: str = "CNY", *, unit: str = "yuan") -> Cell:
    return Cell(text=format_money(amount, currency, unit=unit))


def enterprise_url(uscc: str) -> str:
    return reverse("portal:enterprise", kwargs={"uscc": uscc})


def entry_url(entry: ListEntry) -> str:
    return reverse("portal:entry-detail", kwargs={"pk": entry.pk})


def list_page_url(list_type: ListType) -> str | None:
    """The public page of a list, or None for a list without one."""
    if not list_type.public_search:
        return None
    return reverse("portal:list", kwargs={"slug": list_type.code})


def period(start, end, *, open_text: str = "") -> str:
    if start is None and end is None:
        return ""
    return f"{format_date(start)} – {format_date(end) if end else open_text or _('no fixed end')}"


# --- table sections: the source, date and rows every section builder shares -----------------------
def sources(agencies: Iterable[Agency | None]) -> str:
    names: list[str] = []
    for agency in agencies:
        name = agency_name(agency)
        if name and name not in names:
            names.append(name)
    return "; ".join(names)


def newest(days: Iterable[dt.date | dt.datetime | None]) -> dt.date | None:
    known = [
        (timezone.localtime(day).date() if timezone.is_aware(day) else day.date())
        if isinstance(day, dt.datetime)
        else day
        for day in days
        if day is not None
    ]
    return max(known) if known else None


def table(
    key: str,
    title: str,
    records: list,
    columns: list[tuple[str, str]],
    row: Callable[[object], dict[str, Cell]],
    *,
    empty_text: str,
    agencies: Callable[[object], Iterable[Agency | None]],
    day: Callable[[object], Iterable[dt.date | dt.datetime | None]],
    note: str = "",
) -> Section:
    return Section(
        key=key,
        title=title,
        kind="table",
        source=sources(agency for record in records for agency in agencies(record)),
        as_of=newest(value for record in records for value in day(record)),
        columns=columns,
        rows=[row(record) for record in records],
        empty_text=empty_text,
        note=note,
    )
