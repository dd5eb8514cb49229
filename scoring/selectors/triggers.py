"""Reads of what grades set in motion, and of the alert list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.permissions import clerk_agency_id, is_unrestricted
from blacklists.restrictions import local_name
from registry.models import Agency
from scoring.models import AlertListEntry, BriefingInvitation, InterviewStatus, WarningInterview
from scoring.selectors.evaluations import evaluation_current

INTERVIEWS_LISTED = 50


def interviews_pending(*, actor, agency: Agency | None = None) -> tuple[list[WarningInterview], int]:
    """The warning interviews still to be held by the clerk's office (an unrestricted user: every
    office, or the one ``agency`` names), the oldest first; at most ``INTERVIEWS_LISTED``, and the count."""
    pending = WarningInterview.objects.filter(status=InterviewStatus.PENDING)
    if is_unrestricted(actor):
        if agency is not None:
            pending = pending.filter(agency=agency)
    else:
        agency_id = clerk_agency_id(actor)
        if agency_id is None:
            return [], 0
        pending = pending.filter(agency_id=agency_id)
    listed = list(
        pending.select_related("enterprise", "evaluation", "agency").order_by("opened_at", "id")[
            :INTERVIEWS_LISTED
        ]
    )
    return listed, len(listed) if len(listed) < INTERVIEWS_LISTED else pending.count()


def briefings_of(*, enterprise_id: int) -> QuerySet[BriefingInvitation]:
    return (
        BriefingInvitation.objects.filter(enterprise_id=enterprise_id)
        .select_related("agency", "evaluation")
        .order_by("-invited_at", "-id")
    )


def interviews_of(*, enterprise_id: int) -> QuerySet[WarningInterview]:
    return (
        WarningInterview.objects.filter(enterprise_id=enterprise_id)
        .select_related("agency", "evaluation")
        .order_by("-opened_at", "-id")
    )


def alert_list() -> QuerySet[AlertListEntry]:
    """The enterprises on the alert list, the latest put on first."""
    return AlertListEntry.objects.on_list().select_related("enterprise").order_by("-listed_on", "-id")


def alert_entry_current(*, enterprise_id: int) -> AlertListEntry | None:
    return AlertListEntry.objects.on_list().filter(enterprise_id=enterprise_id).first()


def area_names(areas: list[str], agencies: dict[int, Agency] | None = None) -> list[str]:
    """The areas of an alert-list entry in the reader's language: an agency kind's name, or the
    agency's own name for an agency that is a field of its own."""
    kinds = dict(Agency.Kind.choices)
    wanted = [int(key.split(":", 1)[1]) for key in areas if key.startswith("agency:")]
    if agencies is None:
        agencies = Agency.objects.in_bulk(wanted)
    names = []
    for key in areas:
        prefix, _sep, value = key.partition(":")
        if prefix == "kind":
            names.append(str(kinds.get(value, value)))
        elif value.isdigit() and int(value) in agencies:
            names.append(local_name(agencies[int(value)]))
    return names


def alert_areas_named(entries: list[AlertListEntry]) -> list[tuple[AlertListEntry, list[str]]]:
    """Each entry with its areas' names, the agencies read in one query."""
    wanted = {
        int(key.split(":", 1)[1]) for entry in entries for key in entry.areas if key.startswith("agency:")
    }
    agencies = Agency.objects.in_bulk(wanted)
    return [(entry, area_names(entry.areas, agencies)) for entry in entries]


@dataclass(frozen=True)
class PublicScoring:
    """What the public profile shows of scoring: the published grade, the early warning."""

    evaluation: object | None
    alert: AlertListEntry | None
    alert_areas: list[str]


def public_scoring(*, enterprise_id: int) -> PublicScoring:
    evaluation = evaluation_current(enterprise_id=enterprise_id)
    if evaluation is not None and not evaluation.rule_set.published:
        evaluation = None
    alert = alert_entry_current(enterprise_id=enterprise_id)
    return PublicScoring(evaluation, alert, area_names(alert.areas) if alert else [])
