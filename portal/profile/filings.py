"""What the enterprise filed itself: annual reports and instant disclosures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _

from filings.models import InstantDisclosure
from filings.models.disclosures import details_display
from portal.profile.cells import (
    day_cell,
    format_date,
    format_money,
    format_number,
    newest,
    sources,
    table,
    text,
)
from portal.profile.types import Cell, Section
from registry.models import AnnualReport, Enterprise


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


def annual_reports_section(enterprise: Enterprise) -> Section:
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
        source=sources(report.source_agency for report in reports),
        as_of=newest(report.submitted_at for report in reports),
        columns=columns,
        rows=rows,
        empty_text=_("No annual reports have been published."),
        note=_("The law lets a company keep its financial figures and contact details from the public."),
    )


def instant_disclosures_section(enterprise: Enterprise) -> Section:
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

    return table(
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
