"""Who may record what: a clerk records only as their own agency, and only the kinds it knows.

Courts know judgments, their defaulters and the cases a body lost; finance bureaus the arrears;
discipline offices their findings; a people's government (its legal-affairs office) reconsideration
decisions and the commitments it broke; the social credit office, which gathers all of it, every
kind. Superusers and jobs (SYSTEM) act for every agency.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.permissions import clerk_agency, is_unrestricted
from government.models import DishonestyRecord
from registry.models import Agency
from registry.services.audit import Actor

Kind = DishonestyRecord.Kind
RECORDED_BY: dict[str, frozenset[str]] = {
    Agency.Kind.COURT: frozenset({Kind.UNPERFORMED_JUDGMENT, Kind.COURT_DEFAULTER, Kind.LOST_CASE}),
    Agency.Kind.FINANCE: frozenset({Kind.ARREARS}),
    Agency.Kind.DISCIPLINE: frozenset({Kind.DISCIPLINARY_FINDING}),
    Agency.Kind.PARTY_GOVERNMENT: frozenset({Kind.LOST_CASE, Kind.BROKEN_COMMITMENT}),
    Agency.Kind.CREDIT_OFFICE: frozenset(Kind.values),
}
# Assessments and the monthly feedback counts: the credit office, and governments (who run 12345).
STATISTICS_AGENCY_KINDS = frozenset({Agency.Kind.CREDIT_OFFICE, Agency.Kind.PARTY_GOVERNMENT})


def kinds_recorded_by(agency: Agency) -> frozenset[str]:
    return RECORDED_BY.get(agency.kind, frozenset())


def may_record(actor: Actor, *, recording_agency: Agency, kind: str) -> bool:
    if is_unrestricted(actor):
        return True
    agency = clerk_agency(actor)
    return agency is not None and agency.pk == recording_agency.pk and kind in kinds_recorded_by(agency)


def require_may_record(actor: Actor, *, recording_agency: Agency, kind: str) -> None:
    if may_record(actor, recording_agency=recording_agency, kind=kind):
        return
    agency = clerk_agency(actor)
    if agency is None or agency.pk != recording_agency.pk:
        raise PermissionDenied(
            _("Only clerks of %(agency)s may record for it.") % {"agency": recording_agency.name_zh}
        )
    label = DishonestyRecord.Kind(kind).label if kind in DishonestyRecord.Kind.values else kind
    raise PermissionDenied(
        _("%(agency)s does not keep records of this kind: %(kind)s.")
        % {"agency": recording_agency.name_zh, "kind": label}
    )


def maintainable_records(actor: Actor, queryset: QuerySet[DishonestyRecord]) -> QuerySet[DishonestyRecord]:
    if is_unrestricted(actor):
        return queryset
    agency = clerk_agency(actor)
    return queryset.filter(recording_agency=agency) if agency else queryset.none()


def may_keep_statistics(actor: Actor) -> bool:
    if is_unrestricted(actor):
        return True
    agency = clerk_agency(actor)
    return agency is not None and agency.kind in STATISTICS_AGENCY_KINDS


def require_may_keep_statistics(actor: Actor) -> None:
    if not may_keep_statistics(actor):
        raise PermissionDenied(
            _("Only the social credit office and people's governments keep assessments and feedback counts.")
        )
