"""Assemble the public profile of one enterprise from the register and the lists.

Everything a reader sees is decided here, once: which records are public, what is withheld, how
money and dates read in the active language. The HTML page and the PDF credit report only lay the
resulting :class:`~portal.profile.types.Profile` out.

Only public data is used: tax records, social-insurance contributions and utility arrears are not
published, a person's ID number is never loaded, and a person record (restricted) is used only by
its id, to find the other enterprises where the same person holds a post.

The number of queries is fixed whatever the number of records: the enterprise with its joins, one
query per record type, the other posts of its key personnel, the branches known to the register,
the list entries in force, and the restriction engine (at most three).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from blacklists.models import ListEntry, ListType
from blacklists.restrictions import MeasureInForce, chinese, local_name
from blacklists.selectors import public_entry_queryset, restrictions_in_force
from portal import formatting as portal_formatting
from portal.profile.types import Cell, Field, Profile, Section
from registry.models import (
    AbnormalOperationListing,
    AdministrativeLicence,
    AdministrativePenalty,
    Agency,
    AnnualReport,
    Award,
    Branch,
    ChangeRecord,
    CreditCommitment,
    Enterprise,
    InspectionRecord,
    InstantDisclosure,
    KeyPersonnel,
    Region,
    Shareholder,
)
from registry.models.disclosures import details_display

SERIOUS_ILLEGAL_LIST = "samr-serious-illegal"
# How many other enterprises are named for one person of the key personnel.
OTHER_POSTS_PER_PERSON = 10

# Section keys in the public original's order (NECIPS), then this portal's additions.
SECTION_KEYS = (
    "licence",
    "shareholders",
    "key_personnel",
    "branches",
    "change_records",
    "annual_reports",
    "instant_disclosures",
    "licences",
    "penalties",
    "abnormal_listings",
    "serious_illegal",
    "inspections",
    "list_entries",
    "measures",
    "commitments",
    "awards",
)


# --- formatting: the one place money, dates and names are turned into text -----------------------
def format_date(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return formats.date_format(day, "DATE_FORMAT")


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
    names = [r.name_zh if zh else r.name_en for r in (region.parent, region) if r is not None]
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


def period(start, end, *, open_text: str = "") -> str:
    if start is None and end is None:
        return ""
    return f"{format_date(start)} – {format_date(end) if end else open_text or _('no fixed end')}"


# --- reads -----------------------------------------------------------------------------------------
def _prefetches(on: dt.date) -> list[Prefetch]:
    """Every public record type of a credit file, each in one query with what it shows joined."""
    return [
        Prefetch(
            "shareholders",
            queryset=Shareholder.objects.select_related("source_agency", "shareholder_enterprise"),
        ),
        Prefetch(
            "key_personnel",
            queryset=KeyPersonnel.objects.select_related("source_agency").filter(
                Q(left_on__isnull=True) | Q(left_on__gt=on)
            ),
        ),
        Prefetch(
            "branches",
            queryset=Branch.objects.select_related(
                "source_agency", "registration_authority", "region", "region__parent"
            ),
        ),
        Prefetch("change_records", queryset=ChangeRecord.objects.select_related("source_agency")),
        Prefetch("annual_reports", queryset=AnnualReport.objects.select_related("source_agency")),
        Prefetch(
            "licences",
            queryset=AdministrativeLicence.objects.select_related("source_agency", "issuing_agency"),
        ),
        Prefetch(
            "penalties",
            queryset=AdministrativePenalty.objects.select_related("source_agency", "deciding_agency").filter(
                Q(publication_ends_on__isnull=True) | Q(publication_ends_on__gte=on)
            ),
        ),
        Prefetch(
            "abnormal_listings",
            queryset=AbnormalOperationListing.objects.select_related(
                "source_agency", "listing_agency", "removal_agency"
            ),
        ),
        Prefetch(
            "inspections",
            queryset=InspectionRecord.objects.select_related("source_agency", "inspecting_agency"),
        ),
        Prefetch(
            "credit_commitments",
            queryset=CreditCommitment.objects.select_related("source_agency", "broken_by"),
        ),
        Prefetch("awards", queryset=Award.objects.select_related("source_agency", "awarding_agency")),
        Prefetch("instant_disclosures", queryset=InstantDisclosure.objects.order_by("-occurred_on", "-id")),
    ]


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


# --- sections --------------------------------------------------------------------------------------
def _sources(agencies: Iterable[Agency | None]) -> str:
    names: list[str] = []
    for agency in agencies:
        name = agency_name(agency)
        if name and name not in names:
            names.append(name)
    return "; ".join(names)


def _newest(days: Iterable[dt.date | dt.datetime | None]) -> dt.date | None:
    known = [
        (timezone.localtime(day).date() if timezone.is_aware(day) else day.date())
        if isinstance(day, dt.datetime)
        else day
        for day in days
        if day is not None
    ]
    return max(known) if known else None


def _table(
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
        source=_sources(agency for record in records for agency in agencies(record)),
        as_of=_newest(value for record in records for value in day(record)),
        columns=columns,
        rows=[row(record) for record in records],
        empty_text=empty_text,
        note=note,
    )


def _licence_section(enterprise: Enterprise) -> Section:
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
        as_of=_newest([enterprise.updated_at]),
        fields=[Field(label=label, value=value) for label, value in values],
        empty_text=_("No business licence information has been published."),
    )


def _shareholders_section(enterprise: Enterprise) -> Section:
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

    return _table(
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


def _personnel_section(enterprise: Enterprise, on: dt.date) -> Section:
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

    return _table(
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


def _branches_section(enterprise: Enterprise) -> Section:
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

    return _table(
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


def _changes_section(enterprise: Enterprise) -> Section:
    return _table(
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


# Rows of the annual-report table: (field, label, how its value reads).
def _annual_report_rows(currency: str) -> list[tuple[str, str, Callable[[AnnualReport], str]]]:
    def money(name: str) -> Callable[[AnnualReport], str]:
        return lambda report: format_money(getattr(report, name), currency)

    return [
        ("submitted_at", _("Submitted"), lambda r: format_date(r.submitted_at)),
        ("operating_status", _("Operating status"), lambda r: str(r.get_operating_status_display())),
        ("postal_address", _("Postal address"), lambda r: r.postal_address),
        ("contact_phone", _("Contact phone"), lambda r: r.contact_phone),
        ("email", _("E-mail"), lambda r: r.email),
        ("employees", _("Employees"), lambda r: format_number(r.employees)),
        ("total_assets", _("Total assets"), money("total_assets")),
        ("total_liabilities", _("Total liabilities"), money("total_liabilities")),
        ("owners_equity", _("Owners' equity"), money("owners_equity")),
        ("revenue", _("Total revenue"), money("revenue")),
        ("main_business_revenue", _("Main business revenue"), money("main_business_revenue")),
        ("profit", _("Total profit"), money("profit")),
        ("net_profit", _("Net profit"), money("net_profit")),
        ("tax_paid", _("Tax paid"), money("tax_paid")),
        *_filed_report_rows(currency),
    ]


# Parts of a report filed through company self-service; a row shows only when a report has it.
FILED_REPORT_PARTS = (
    "postcode",
    "female_employees",
    "disabled_employees",
    "websites",
    "investments",
    "contributions",
    "equity_transfers",
    "guarantees",
    "social_insurance_insured",
    "social_insurance_paid",
)


def _filed_report_rows(currency: str) -> list[tuple[str, str, Callable[[AnnualReport], str]]]:
    def rows(name: str, line: Callable[[dict], str]) -> Callable[[AnnualReport], str]:
        return lambda report: "; ".join(line(row) for row in getattr(report, name) or [])

    def when(value: str | None) -> str:
        return format_date(dt.date.fromisoformat(value)) if value else ""

    def amount(value: str | None) -> str:
        return format_money(Decimal(value), currency) if value not in (None, "") else ""

    def by_scheme(name: str, read: Callable) -> Callable[[AnnualReport], str]:
        labels = {
            "pension": _("pension"),
            "medical": _("medical"),
            "unemployment": _("unemployment"),
            "work_injury": _("work injury"),
            "maternity": _("maternity"),
        }
        return lambda report: "; ".join(
            f"{labels.get(scheme, scheme)}: {read(value)}"
            for scheme, value in (getattr(report, name) or {}).items()
        )

    return [
        ("postcode", _("Postcode"), lambda r: r.postcode),
        ("female_employees", _("Of which female"), lambda r: format_number(r.female_employees)),
        ("disabled_employees", _("Of which disabled"), lambda r: format_number(r.disabled_employees)),
        (
            "websites",
            _("Websites and online shops"),
            rows("websites", lambda w: f"{w.get('name', '')} ({w.get('url', '')})"),
        ),
        (
            "investments",
            _("Investments in other enterprises"),
            rows("investments", lambda i: f"{i.get('name', '')} ({i.get('uscc', '')})"),
        ),
        (
            "contributions",
            _("Shareholders' contributions"),
            rows(
                "contributions",
                lambda c: (
                    _(
                        "%(holder)s: subscribed %(sub)s (%(sub_on)s, %(sub_how)s); "
                        "paid %(paid)s (%(paid_on)s, %(paid_how)s)"
                    )
                    % {
                        "holder": c.get("shareholder", ""),
                        "sub": amount(c.get("subscribed_amount")),
                        "sub_on": when(c.get("subscribed_date")),
                        "sub_how": c.get("subscribed_method", ""),
                        "paid": amount(c.get("paid_amount")),
                        "paid_on": when(c.get("paid_date")),
                        "paid_how": c.get("paid_method", ""),
                    }
                ),
            ),
        ),
        (
            "equity_transfers",
            _("Equity transfers"),
            rows(
                "equity_transfers",
                lambda t: (
                    f"{t.get('shareholder', '')}: {t.get('before_percent', '')}% → "
                    f"{t.get('after_percent', '')}% ({when(t.get('changed_on'))})"
                ),
            ),
        ),
        (
            "guarantees",
            _("Guarantees provided"),
            rows(
                "guarantees",
                lambda g: (
                    _("creditor %(creditor)s, debtor %(debtor)s, %(principal)s, %(start)s – %(end)s")
                    % {
                        "creditor": g.get("creditor", ""),
                        "debtor": g.get("debtor", ""),
                        "principal": amount(g.get("principal")),
                        "start": when(g.get("period_from")),
                        "end": when(g.get("period_to")),
                    }
                ),
            ),
        ),
        (
            "social_insurance_insured",
            _("Employees insured"),
            by_scheme("social_insurance_insured", format_number),
        ),
        ("social_insurance_paid", _("Social insurance paid"), by_scheme("social_insurance_paid", amount)),
    ]


def _annual_reports_section(enterprise: Enterprise) -> Section:
    """One column per report year, one row per field; fields the company withheld say so."""
    reports = list(enterprise.annual_reports.all())  # newest year first
    withheld_text = _("Not published by the company")
    columns = [("item", _("Item"))] + [(f"y{report.year}", str(report.year)) for report in reports]
    rows = []
    if reports:
        for name, label, read in _annual_report_rows(enterprise.capital_currency):
            if name in FILED_REPORT_PARTS and not any(getattr(report, name) for report in reports):
                continue  # a part no published report has
            row = {"item": Cell(text=label)}
            for report in reports:
                if name in report.unpublished_fields:
                    row[f"y{report.year}"] = Cell(text=withheld_text, withheld=True)
                else:
                    row[f"y{report.year}"] = Cell(text=read(report))
            rows.append(row)
    return Section(
        key="annual_reports",
        title=_("Annual reports"),
        kind="table",
        source=_sources(report.source_agency for report in reports),
        as_of=_newest(report.submitted_at for report in reports),
        columns=columns,
        rows=rows,
        empty_text=_("No annual reports have been published."),
        note=_("The law lets a company keep its financial figures and contact details from the public."),
    )


def _instant_disclosures_section(enterprise: Enterprise) -> Section:
    """Facts the company published itself (即时信息公示), each with its due date and a late mark."""

    def row(disclosure: InstantDisclosure) -> dict[str, Cell]:
        details = details_display(disclosure.kind, disclosure.details)
        published_note = (
            _("Corrected on %(date)s") % {"date": format_date(disclosure.corrected_at)}
            if disclosure.corrected_at
            else ""
        )
        return {
            "kind": text(disclosure.get_kind_display()),
            "details": Cell(text="\n".join(f"{label}: {value}" for label, value in details)),
            "occurred": day_cell(disclosure.occurred_on),
            "due": day_cell(disclosure.due_on),
            "published": Cell(text=format_date(disclosure.published_on), note=published_note),
            "late": Cell(text=_("Late"), kind="late") if disclosure.late else Cell(text=_("On time")),
        }

    return _table(
        "instant_disclosures",
        _("Instant disclosures"),
        list(enterprise.instant_disclosures.all()),
        [
            ("kind", _("Kind")),
            ("details", _("Details")),
            ("occurred", _("Date of the fact")),
            ("due", _("Due by")),
            ("published", _("Published on")),
            ("late", _("Published in time")),
        ],
        row,
        empty_text=_("The enterprise has published no instant disclosures."),
        agencies=lambda r: [],
        day=lambda r: [r.published_on],
        note=_(
            "Published by the enterprise itself, which must do so within 20 working days of the fact; "
            "a disclosure published after its due date is marked late."
        ),
    )


def _licences_section(enterprise: Enterprise) -> Section:
    return _table(
        "licences",
        _("Administrative licences"),
        list(enterprise.licences.all()),
        [
            ("number", _("Licence number")),
            ("name", _("Licence")),
            ("content", _("Licensed content")),
            ("agency", _("Issuing agency")),
            ("valid", _("Valid")),
            ("status", _("Status")),
        ],
        lambda licence: {
            "number": text(licence.licence_number),
            "name": text(licence.name),
            "content": text(licence.content),
            "agency": text(agency_name(licence.issuing_agency)),
            "valid": text(period(licence.valid_from, licence.valid_to)),
            "status": text(licence.get_status_display()),
        },
        empty_text=_("No administrative licences have been published."),
        agencies=lambda r: [r.issuing_agency],
        day=lambda r: [r.valid_from],
    )


def _penalties_section(enterprise: Enterprise) -> Section:
    currency = enterprise.capital_currency
    return _table(
        "penalties",
        _("Administrative penalties"),
        list(enterprise.penalties.all()),
        [
            ("number", _("Decision number")),
            ("violation", _("Type of violation")),
            ("content", _("Penalty")),
            ("fine", _("Fine")),
            ("confiscated", _("Confiscated gains")),
            ("agency", _("Deciding agency")),
            ("decided", _("Decision date")),
            ("until", _("Published until")),
        ],
        lambda penalty: {
            "number": text(penalty.decision_number),
            "violation": text(penalty.violation),
            "content": Cell(text=penalty.content, note=penalty.legal_basis),
            "fine": money_cell(penalty.fine_amount, currency),
            "confiscated": money_cell(penalty.confiscated_amount, currency),
            "agency": text(agency_name(penalty.deciding_agency)),
            "decided": day_cell(penalty.decided_on),
            "until": day_cell(penalty.publication_ends_on),
        },
        empty_text=_("No administrative penalties have been published."),
        agencies=lambda r: [r.deciding_agency],
        day=lambda r: [r.decided_on],
    )


def _abnormal_section(enterprise: Enterprise) -> Section:
    return _table(
        "abnormal_listings",
        _("Abnormal operations"),
        list(enterprise.abnormal_listings.all()),
        [
            ("reason", _("Listing reason")),
            ("listed", _("Listed on")),
            ("agency", _("Listed by")),
            ("removed", _("Removed on")),
            ("removal_reason", _("Removal reason")),
            ("removal_agency", _("Removed by")),
        ],
        lambda listing: {
            "reason": Cell(text=str(listing.get_reason_display()), note=listing.decision_number),
            "listed": day_cell(listing.listed_on),
            "agency": text(agency_name(listing.listing_agency)),
            "removed": day_cell(listing.removed_on),
            "removal_reason": text(listing.get_removal_reason_display() if listing.removal_reason else ""),
            "removal_agency": text(agency_name(listing.removal_agency)),
        },
        empty_text=_("The enterprise has never been listed for abnormal operations."),
        agencies=lambda r: [r.listing_agency, r.removal_agency],
        day=lambda r: [r.listed_on, r.removed_on],
    )


def _entry_row(entry: ListEntry) -> dict[str, Cell]:
    return {
        "list": Cell(text=list_name(entry.list_type), url=entry_url(entry), kind=entry.list_type.kind),
        "agency": text(agency_name(entry.issuing_agency)),
        "number": Cell(text=entry.decision_number, url=entry_url(entry)),
        "decided": day_cell(entry.decision_date),
        "period": text(period(entry.starts_on, entry.planned_end, open_text=_("permanent"))),
        "circumstance": Cell(text=entry.circumstance, note=entry.legal_basis),
    }


def _entries_section(key: str, title: str, entries: list[ListEntry], empty_text: str) -> Section:
    return _table(
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


def _inspections_section(enterprise: Enterprise) -> Section:
    return _table(
        "inspections",
        _("Spot checks and inspections"),
        list(enterprise.inspections.all()),
        [
            ("kind", _("Kind")),
            ("date", _("Inspection date")),
            ("agency", _("Inspecting agency")),
            ("result", _("Result")),
            ("detail", _("Detail")),
        ],
        lambda inspection: {
            "kind": text(inspection.get_kind_display()),
            "date": day_cell(inspection.inspected_on),
            "agency": text(agency_name(inspection.inspecting_agency)),
            "result": text(inspection.get_result_display()),
            "detail": text(inspection.detail),
        },
        empty_text=_("No spot-check or inspection results have been published."),
        agencies=lambda r: [r.inspecting_agency],
        day=lambda r: [r.inspected_on],
    )


def _measures_section(measures: list[MeasureInForce]) -> Section:
    def row(item: MeasureInForce) -> dict[str, Cell]:
        measure = item.measure
        return {
            "measure": text(item.description),
            "kind": text(measure.get_kind_display()),
            "agency": text(agency_name(measure.enforcing_agency)),
            "period": text(period(item.since, item.until)),
            "reasons": Cell(
                text=" ".join(reason.text for reason in item.reasons),
                links=tuple(
                    Cell(
                        text=reason.text,
                        url=reverse("portal:memorandum-detail", kwargs={"pk": reason.memorandum.pk}),
                    )
                    for reason in item.reasons
                ),
            ),
        }

    return _table(
        "measures",
        _("Measures in force"),
        measures,
        [
            ("measure", _("Measure")),
            ("kind", _("Kind")),
            ("agency", _("Enforced by")),
            ("period", _("In force")),
            ("reasons", _("Why")),
        ],
        row,
        empty_text=_("No joint rewards or punishments are in force."),
        # The agencies whose listings trigger the measures (each measure names its enforcing agency).
        agencies=lambda item: [reason.entry.issuing_agency for reason in item.reasons],
        day=lambda item: [item.since],
    )


def _commitments_section(enterprise: Enterprise) -> Section:
    def row(commitment: CreditCommitment) -> dict[str, Cell]:
        if commitment.is_broken:
            state = Cell(
                text=_("Found broken on %(date)s by %(agency)s")
                % {"date": format_date(commitment.broken_on), "agency": agency_name(commitment.broken_by)},
                note=commitment.broken_note,
                kind="broken",
            )
        else:
            state = Cell(text=_("No breach recorded"))
        return {
            "title": Cell(text=commitment.title, note=commitment.text),
            "kind": text(commitment.get_kind_display()),
            "signed": day_cell(commitment.signed_on),
            "signer": text(commitment.signer_name),
            "agency": text(agency_name(commitment.source_agency)),
            "state": state,
        }

    return _table(
        "commitments",
        _("Credit commitments"),
        list(enterprise.credit_commitments.all()),
        [
            ("title", _("Commitment")),
            ("kind", _("Kind")),
            ("signed", _("Signed on")),
            ("signer", _("Signed by")),
            ("agency", _("Made to")),
            ("state", _("Kept")),
        ],
        row,
        empty_text=_("No credit commitments have been published."),
        agencies=lambda r: [r.source_agency, r.broken_by],
        day=lambda r: [r.signed_on, r.broken_on],
    )


def _awards_section(enterprise: Enterprise) -> Section:
    return _table(
        "awards",
        _("Awards and honours"),
        list(enterprise.awards.all()),
        [
            ("title", _("Award or honour")),
            ("agency", _("Awarded by")),
            ("awarded", _("Awarded on")),
            ("valid_to", _("Valid to")),
        ],
        lambda award: {
            "title": text(award.title),
            "agency": text(agency_name(award.awarding_agency)),
            "awarded": day_cell(award.awarded_on),
            "valid_to": day_cell(award.valid_to),
        },
        empty_text=_("No awards or honours have been published."),
        agencies=lambda r: [r.awarding_agency],
        day=lambda r: [r.awarded_on],
    )


def _badges(enterprise: Enterprise, entries: list[ListEntry]) -> list[Cell]:
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


# --- the profile -----------------------------------------------------------------------------------
def enterprise_public_queryset(on: dt.date):
    return Enterprise.objects.select_related(
        "region", "region__parent", "registration_authority"
    ).prefetch_related(*_prefetches(on))


def enterprise_profile_public(*, uscc: str, on: dt.date | None = None) -> Profile | None:
    """The public record of the enterprise with this USCC on ``on`` (today by default), or None."""
    on = on or timezone.localdate()
    enterprise = enterprise_public_queryset(on).filter(uscc=uscc).first()
    if enterprise is None:
        return None
    entries = list(
        public_entry_queryset().in_force(on=on).filter(enterprise=enterprise).order_by("-published_on", "-id")
    )
    serious = [entry for entry in entries if entry.list_type.code == SERIOUS_ILLEGAL_LIST]
    others = [entry for entry in entries if entry.list_type.code != SERIOUS_ILLEGAL_LIST]
    measures = restrictions_in_force(enterprise=enterprise, on=on).measures
    sections = [
        _licence_section(enterprise),
        _shareholders_section(enterprise),
        _personnel_section(enterprise, on),
        _branches_section(enterprise),
        _changes_section(enterprise),
        _annual_reports_section(enterprise),
        _instant_disclosures_section(enterprise),
        _licences_section(enterprise),
        _penalties_section(enterprise),
        _abnormal_section(enterprise),
        _entries_section(
            "serious_illegal",
            _("Serious illegal and dishonest enterprises"),
            serious,
            _("The enterprise is not on the list of serious illegal and dishonest enterprises."),
        ),
        _inspections_section(enterprise),
        _entries_section(
            "list_entries",
            _("Blacklists and redlists"),
            others,
            _("The enterprise is on no other blacklist or redlist."),
        ),
        _measures_section(measures),
        _commitments_section(enterprise),
        _awards_section(enterprise),
    ]
    return Profile(
        uscc=enterprise.uscc,
        name=enterprise.name,
        status=str(enterprise.get_status_display()),
        on=on,
        sections=sections,
        badges=_badges(enterprise, entries),
        measures=measures,
        objection_targets=_objection_targets(enterprise, serious, others),
    )


# --- objections: which record each row shows, for the enterprise's own users --------------------------
@dataclass(frozen=True)
class ObjectionTarget:
    """A record a company may object to. ``label`` names it when it is not one table row."""

    record_type: str
    record_id: int
    label: str = ""


def _objection_targets(
    enterprise: Enterprise, serious: list[ListEntry], others: list[ListEntry]
) -> dict[str, list[ObjectionTarget]]:
    """Section key -> targets in row order (the prefetched lists the sections showed: no queries)."""

    def rows(record_type: str, records: Iterable) -> list[ObjectionTarget]:
        return [ObjectionTarget(record_type, record.pk) for record in records]

    return {
        "licence": [
            ObjectionTarget("enterprise", enterprise.pk, _("Object to the business licence information"))
        ],
        "shareholders": rows("shareholder", enterprise.shareholders.all()),
        "key_personnel": rows("key_personnel", enterprise.key_personnel.all()),
        "branches": rows("branch", enterprise.branches.all()),
        "change_records": rows("change_record", enterprise.change_records.all()),
        "annual_reports": [
            ObjectionTarget(
                "annual_report", report.pk, _("Object to the %(year)s annual report") % {"year": report.year}
            )
            for report in enterprise.annual_reports.all()
        ],
        "licences": rows("licence", enterprise.licences.all()),
        "penalties": rows("penalty", enterprise.penalties.all()),
        "abnormal_listings": rows("abnormal_listing", enterprise.abnormal_listings.all()),
        "serious_illegal": rows("list_entry", serious),
        "inspections": rows("inspection", enterprise.inspections.all()),
        "list_entries": rows("list_entry", others),
        "commitments": rows("commitment", enterprise.credit_commitments.all()),
        "awards": rows("award", enterprise.awards.all()),
    }
