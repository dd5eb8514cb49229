"""Reads of what grades set in motion, and of the alert list."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db.models import CharField, DateField, IntegerField, OuterRef, QuerySet, Subquery

from accounts.permissions import clerk_agency_id, is_unrestricted
from blacklists.restrictions import local_name
from registry.models import Agency, Enterprise
from scoring.models import AlertListEntry, BriefingInvitation, Evaluation, InterviewStatus, WarningInterview

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
    """What the public profile shows of scoring: the grade of a published rule set, the early warning."""

    grade: str
    as_of: object
    rule_set_name_en: str
    rule_set_name_zh: str
    rule_set_version: int | None
    alert_since: object
    alert_areas: list[str]

    def rule_set_name(self, language: str | None) -> str:
        return self.rule_set_name_zh if (language or "").startswith("zh") else self.rule_set_name_en


def public_scoring(*, uscc: str) -> PublicScoring | None:
    """One query (and one for the agencies of an alert's areas, when it has any)."""
    current = Evaluation.objects.filter(
        enterprise_id=OuterRef("pk"), is_current=True, rule_set__published=True
    )
    alert = AlertListEntry.objects.filter(enterprise_id=OuterRef("pk"), left_on__isnull=True)

    def first(queryset, field, output):
        return Subquery(queryset.values(field)[:1], output_field=output)

    row = (
        Enterprise.objects.filter(uscc=uscc)
        .annotate(
            s_grade=first(current, "grade", CharField()),
            s_as_of=first(current, "as_of", DateField()),
            s_name_en=first(current, "rule_set__name_en", CharField()),
            s_name_zh=first(current, "rule_set__name_zh", CharField()),
            s_version=first(current, "rule_set__version", IntegerField()),
            s_alert_since=first(alert, "listed_on", DateField()),
            s_alert_areas=first(alert, "areas", ArrayField(CharField())),
        )
        .values("s_grade", "s_as_of", "s_name_en", "s_name_zh", "s_version", "s_alert_since", "s_alert_areas")
        .first()
    )
    if row is None:
        return None
    return PublicScoring(
        grade=row["s_grade"] or "",
        as_of=row["s_as_of"],
        rule_set_name_en=row["s_name_en"] or "",
        rule_set_name_zh=row["s_name_zh"] or "",
        rule_set_version=row["s_version"],
        alert_since=row["s_alert_since"],
        alert_areas=area_names(row["s_alert_areas"]) if row["s_alert_areas"] else [],
    )
