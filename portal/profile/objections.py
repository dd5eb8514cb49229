"""Objection targets: which record each row of the profile shows, for the enterprise's own users."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from blacklists.models import ListEntry
from registry.models import Enterprise


# --- objections: which record each row shows, for the enterprise's own users --------------------------
@dataclass(frozen=True)
class ObjectionTarget:
    """A record a company may object to. ``label`` names it when it is not one table row."""

    record_type: str
    record_id: int
    label: str = ""


def objection_targets(
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
