"""Registration sections: business licence, shareholders, key personnel, branches, change records."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from portal.profile.cells import (
    agency_name,
    day_cell,
    enterprise_url,
    money_cell,
    newest,
    period,
    region_name,
    table,
    text,
)
from portal.profile.types import Cell, Field, Section
from registry.models import Branch, Enterprise, KeyPersonnel, Shareholder

# How many other enterprises are named for one person of the key personnel.
OTHER_POSTS_PER_PERSON = 10


def _other_posts(enterprise: Enterprise, people: list[KeyPersonnel], on: dt.date) -> dict[int, list[Cell]]:
    """Person id -> links to the other enterprises where the person holds a post: one query."""
    person_ids = {post.person_id for post in people if post.person_id}
    if not person_ids:
        return {}
    rows = (
        KeyPersonnel.objects.filter(person_id__in=person_ids)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .exclude(enterprise_id=enterprise.pk)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("person_id")],
                order_by=[F("enterprise__name").asc(), F("enterprise_id").asc()],
            )
        )
        .filter(rank__lte=OTHER_POSTS_PER_PERSON * 2)  # a person may hold two posts in one enterprise
        .order_by("person_id", "enterprise__name", "enterprise_id")
        .values_list("person_id", "enterprise_id", "enterprise__uscc", "enterprise__name")
    )
    found: dict[int, list[Cell]] = {}
    seen: set[tuple[int, int]] = set()
    for person_id, enterprise_id, uscc, name in rows:
        links = found.setdefault(person_id, [])
        if (person_id, enterprise_id) in seen or len(links) >= OTHER_POSTS_PER_PERSON:
            continue
        seen.add((person_id, enterprise_id))
        links.append(Cell(text=name, url=enterprise_url(uscc)))
    return found


def licence_section(enterprise: Enterprise) -> Section:
    currency = enterprise.capital_currency
    uscc_note = (
        _("Legacy code: an official code whose check character does not verify; it is shown as issued.")
        if enterprise.uscc_legacy
        else ""
    )
    former = "; ".join(enterprise.former_names)
    operating = period(enterprise.operating_from, enterprise.operating_to, open_text=_("indefinite"))
    values = [
        (
            _("Name"),
            Cell(
                text=enterprise.name, note=_("Former names: %(names)s") % {"names": former} if former else ""
            ),
        ),
        (_("Unified social credit code"), Cell(text=enterprise.uscc, note=uscc_note)),
        (_("Registration number"), text(enterprise.registration_number)),
        (_("Type"), text(enterprise.get_entity_type_display())),
        (_("Legal representative"), text(enterprise.legal_representative)),
        (_("Registered capital"), money_cell(enterprise.registered_capital, currency, unit="wan")),
        (_("Established"), day_cell(enterprise.established)),
        (_("Operating period"), text(operating)),
        (_("Registration authority"), text(agency_name(enterprise.registration_authority))),
        (_("Approval date"), day_cell(enterprise.approved_on)),
        (_("Registration status"), text(enterprise.get_status_display())),
        (_("Address"), text(enterprise.address)),
        (_("Region"), text(region_name(enterprise.region))),
        (_("Industry"), text(enterprise.get_industry_display() if enterprise.industry else "")),
        (_("Business scope"), text(enterprise.business_scope)),
    ]
    return Section(
        key="licence",
        title=_("Business licence"),
        kind="fields",
        source=agency_name(enterprise.registration_authority),
        as_of=newest([enterprise.updated_at]),
        fields=[Field(label=label, value=value) for label, value in values],
        empty_text=_("No business licence information has been published."),
    )


def shareholders_section(enterprise: Enterprise) -> Section:
    not_public = _("Not public")

    def row(holder: Shareholder) -> dict[str, Cell]:
        if holder.kind == Shareholder.Kind.NATURAL_PERSON:
            name, identifier = Cell(text=holder.name), Cell(text=not_public, withheld=True)
        elif holder.shareholder_enterprise_id:
            uscc = holder.shareholder_enterprise.uscc
            name = Cell(text=holder.name, url=enterprise_url(uscc))
            identifier = Cell(text=uscc)
        else:
            name, identifier = Cell(text=holder.name), Cell()
        return {
            "name": name,
            "kind": text(holder.get_kind_display()),
            "identifier": identifier,
            "subscribed": money_cell(holder.subscribed_capital, enterprise.capital_currency),
            "subscribed_date": day_cell(holder.subscribed_date),
            "subscribed_method": text(holder.subscribed_method),
            "paid_in": money_cell(holder.paid_in_capital, enterprise.capital_currency),
            "paid_in_date": day_cell(holder.paid_in_date),
            "paid_in_method": text(holder.paid_in_method),
        }

    return table(
        "shareholders",
        _("Shareholders and capital contributions"),
        list(enterprise.shareholders.all()),
        [
            ("name", _("Shareholder")),
            ("kind", _("Kind")),
            ("identifier", _("ID or licence number")),
            ("subscribed", _("Subscribed capital")),
            ("subscribed_date", _("Subscription due")),
            ("subscribed_method", _("Subscription method")),
            ("paid_in", _("Paid-in capital")),
            ("paid_in_date", _("Paid in on")),
            ("paid_in_method", _("Payment method")),
        ],
        row,
        empty_text=_("No shareholders have been published."),
        agencies=lambda r: [r.source_agency],
        day=lambda r: [r.updated_at],
        note=_("The ID numbers of natural-person shareholders are not public."),
    )


def personnel_section(enterprise: Enterprise, on: dt.date) -> Section:
    people = list(enterprise.key_personnel.all())
    others = _other_posts(enterprise, people, on)

    def row(post: KeyPersonnel) -> dict[str, Cell]:
        links = tuple(others.get(post.person_id, ())) if post.person_id else ()
        return {
            "name": text(post.name),
            "role": text(post.get_role_display()),
            "appointed": day_cell(post.appointed_on),
            "elsewhere": Cell(text="; ".join(link.text for link in links), links=links),
        }

    return table(
        "key_personnel",
        _("Key personnel"),
        people,
        [
            ("name", _("Name")),
            ("role", _("Position")),
            ("appointed", _("Appointed")),
            ("elsewhere", _("Also serves at")),
        ],
        row,
        empty_text=_("No key personnel have been published."),
        agencies=lambda r: [r.source_agency],
        day=lambda r: [r.appointed_on or r.updated_at],
    )


def branches_section(enterprise: Enterprise) -> Section:
    branches = list(enterprise.branches.all())
    codes = [branch.uscc for branch in branches if branch.uscc]
    registered = (
        set(Enterprise.objects.filter(uscc__in=codes).values_list("uscc", flat=True)) if codes else set()
    )

    def row(branch: Branch) -> dict[str, Cell]:
        url = enterprise_url(branch.uscc) if branch.uscc in registered else ""
        return {
            "name": Cell(text=branch.name, url=url),
            "uscc": text(branch.uscc),
            "region": text(region_name(branch.region)),
            "authority": text(agency_name(branch.registration_authority)),
            "established": day_cell(branch.established),
        }

    return table(
        "branches",
        _("Branches"),
        branches,
        [
            ("name", _("Branch")),
            ("uscc", _("Unified social credit code")),
            ("region", _("Region")),
            ("authority", _("Registration authority")),
            ("established", _("Established")),
        ],
        row,
        empty_text=_("No branches have been published."),
        agencies=lambda r: [r.source_agency or r.registration_authority],
        day=lambda r: [r.established or r.updated_at],
    )


def changes_section(enterprise: Enterprise) -> Section:
    return table(
        "change_records",
        _("Change records"),
        list(enterprise.change_records.all()),
        [
            ("item", _("Changed item")),
            ("before", _("Before")),
            ("after", _("After")),
            ("date", _("Change date")),
        ],
        lambda change: {
            "item": text(change.item),
            "before": text(change.before),
            "after": text(change.after),
            "date": day_cell(change.changed_on),
        },
        empty_text=_("No changes have been published."),
        agencies=lambda r: [r.source_agency],
        day=lambda r: [r.changed_on],
    )
