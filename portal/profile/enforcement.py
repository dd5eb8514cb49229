"""Enforcement sections: administrative licences, penalties, abnormal operations, inspections."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from blacklists.restrictions import local_name
from portal.profile.cells import agency_name, day_cell, format_date, money_cell, period, table, text
from portal.profile.types import Cell, Section
from registry.models import Enterprise


def licences_section(enterprise: Enterprise) -> Section:
    return table(
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


def penalties_section(enterprise: Enterprise) -> Section:
    currency = enterprise.capital_currency
    return table(
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


def abnormal_section(enterprise: Enterprise) -> Section:
    return table(
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


def inspections_section(enterprise: Enterprise) -> Section:
    """Every inspection record; a random inspection's also names its task and items (linked to
    the task page), the full result category it was published with and its publication date
    (``task_result``, selected with the records). The columns stay those of every inspection."""

    def task_result(inspection):
        return getattr(inspection, "task_result", None)

    def kind_cell(inspection) -> Cell:
        found = task_result(inspection)
        if found is None:
            return text(inspection.get_kind_display())
        task = found.target.task
        items = "; ".join(local_name(item) for item in task.items.all())
        name = f"{local_name(task)} ({items})" if items else local_name(task)
        return Cell(
            text=f"{inspection.get_kind_display()}: {name}",
            url=reverse("portal:inspection-task", kwargs={"pk": task.pk}),
        )

    def date_cell(inspection) -> Cell:
        found = task_result(inspection)
        day = day_cell(inspection.inspected_on)
        if found is None:
            return day
        return Cell(
            text=day.text, note=_("Published on %(date)s") % {"date": format_date(found.published_at)}
        )

    def result_text(inspection) -> str:
        found = task_result(inspection)
        return local_name(found.category) if found else inspection.get_result_display()

    def detail_text(inspection) -> str:
        found = task_result(inspection)
        return found.detail if found else inspection.detail

    return table(
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
            "kind": kind_cell(inspection),
            "date": date_cell(inspection),
            "agency": text(agency_name(inspection.inspecting_agency)),
            "result": text(result_text(inspection)),
            "detail": text(detail_text(inspection)),
        },
        empty_text=_("No spot-check or inspection results have been published."),
        agencies=lambda r: [r.inspecting_agency],
        day=lambda r: [r.inspected_on],
    )
