"""COPY text format: the tables written, their column order, and value formatting."""

from __future__ import annotations

import datetime as dt

from registry import models as m

from . import texts, words

NULL = "\\N"

# Column order of every line the builders emit; "id" always comes first and is prefixed by the
# writer for record tables, whose ids are only known once earlier chunks have been counted.
RECORD_FIELDS = ("enterprise_id", "source_agency_id", "created_at", "updated_at")
TABLES = {
    "person": (
        m.Person,
        ("id", "name", "id_hash", "id_masked", "sex", "birth_year", "created_at", "updated_at"),
    ),
    "enterprise": (
        m.Enterprise,
        (
            "id",
            "uscc",
            "uscc_legacy",
            "registration_number",
            "name",
            "former_names",
            "entity_type",
            "legal_representative",
            "legal_representative_person_id",
            "registered_capital",
            "capital_currency",
            "established",
            "operating_from",
            "operating_to",
            "approved_on",
            "registration_authority_id",
            "status",
            "address",
            "business_scope",
            "region_id",
            "industry",
            "created_at",
            "updated_at",
            # Public bodies only; the generator writes companies.
            "level",
            "parent_body_id",
            "principal_id",
        ),
    ),
    "shareholder": (
        m.Shareholder,
        (
            "id",
            *RECORD_FIELDS,
            "kind",
            "name",
            "person_id",
            "shareholder_enterprise_id",
            "subscribed_capital",
            "subscribed_date",
            "subscribed_method",
            "paid_in_capital",
            "paid_in_date",
            "paid_in_method",
        ),
    ),
    "branch": (
        m.Branch,
        ("id", *RECORD_FIELDS, "name", "uscc", "region_id", "registration_authority_id", "established"),
    ),
    "keypersonnel": (
        m.KeyPersonnel,
        ("id", *RECORD_FIELDS, "name", "person_id", "role", "appointed_on", "left_on"),
    ),
    "changerecord": (m.ChangeRecord, ("id", *RECORD_FIELDS, "item", "before", "after", "changed_on")),
    "annualreport": (
        m.AnnualReport,
        (
            "id",
            *RECORD_FIELDS,
            "year",
            "submitted_at",
            "operating_status",
            "contact_phone",
            "email",
            "postal_address",
            "employees",
            "total_assets",
            "total_liabilities",
            "owners_equity",
            "revenue",
            "main_business_revenue",
            "profit",
            "net_profit",
            "tax_paid",
            "unpublished_fields",
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
        ),
    ),
    "taxrecord": (
        m.TaxRecord,
        (
            "id",
            *RECORD_FIELDS,
            "tax_type",
            "period_start",
            "period_end",
            "tax_rate",
            "amount_paid",
            "amount_owed",
            "credit_grade",
        ),
    ),
    "contributionrecord": (
        m.ContributionRecord,
        ("id", *RECORD_FIELDS, "scheme", "year", "month", "insured_count", "amount_due", "amount_paid"),
    ),
    "administrativelicence": (
        m.AdministrativeLicence,
        (
            "id",
            *RECORD_FIELDS,
            "licence_number",
            "name",
            "content",
            "issuing_agency_id",
            "valid_from",
            "valid_to",
            "status",
        ),
    ),
    "administrativepenalty": (
        m.AdministrativePenalty,
        (
            "id",
            *RECORD_FIELDS,
            "decision_number",
            "violation",
            "content",
            "legal_basis",
            "fine_amount",
            "confiscated_amount",
            "decided_on",
            "deciding_agency_id",
            "publication_ends_on",
        ),
    ),
    "inspectionrecord": (
        m.InspectionRecord,
        ("id", *RECORD_FIELDS, "inspecting_agency_id", "kind", "inspected_on", "result", "detail"),
    ),
    "award": (m.Award, ("id", *RECORD_FIELDS, "title", "awarding_agency_id", "awarded_on", "valid_to")),
    "utilityarrear": (
        m.UtilityArrear,
        ("id", *RECORD_FIELDS, "utility", "supplier", "amount", "overdue_since", "settled_on"),
    ),
    "abnormaloperationlisting": (
        m.AbnormalOperationListing,
        (
            "id",
            *RECORD_FIELDS,
            "reason",
            "listed_on",
            "listing_agency_id",
            "decision_number",
            "removed_on",
            "removal_reason",
            "removal_agency_id",
        ),
    ),
}
RECORD_TABLES = tuple(key for key in TABLES if key not in ("person", "enterprise"))


def check_columns() -> None:
    """Fail loudly when a model gained or lost a column: COPY would otherwise write NULLs into
    NOT NULL columns (Django keeps defaults in Python, not in the database)."""
    for model, columns in TABLES.values():
        actual = {field.column for field in model._meta.concrete_fields}
        if actual != set(columns):
            raise RuntimeError(
                f"{model._meta.db_table}: the demo generator writes {sorted(set(columns))} but the model "
                f"has {sorted(actual)}; update demo/rows.py."
            )


def copy_sql(key: str) -> str:
    model, columns = TABLES[key]
    return f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"


def _check_word_lists() -> None:
    """Builders never escape: they only combine these constants, digits and dates, so one check
    here keeps tabs, newlines, backslashes and array quotes out of every COPY line."""
    bad = set('\t\n\r\\"')
    for module in (words, texts):
        stack = [value for name, value in vars(module).items() if name.isupper()]
        while stack:
            value = stack.pop()
            if isinstance(value, str):
                if bad & set(value):
                    raise ValueError(f"COPY-unsafe character in demo word list: {value!r}")
            elif isinstance(value, dict):
                stack.extend(value.values())
            elif isinstance(value, tuple | list):
                stack.extend(value)


_check_word_lists()


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def day(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


def text_array(items) -> str:
    """PostgreSQL array literal; elements are quoted, which the word-list check keeps safe."""
    return "{" + ",".join(f'"{item}"' for item in items) + "}"


def line(values) -> str:
    return "\t".join(values) + "\n"
