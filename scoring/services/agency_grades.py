"""Writes of agency grades, and who may make them.

The agency that issues a scheme (the State Taxation Administration for the tax credit grade) grades
enterprises in it, and so do agencies of the scheme's ``issuer_kind`` (the provincial tax services);
a clerk grades only as their own agency, and only the issuing agency's clerks and the central office
may name another issuer. A grade is for a year that has begun (the fixed clock in tests), one per
enterprise, scheme and year: recording it again with another grade corrects it, audited.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import clerk_agency, is_unrestricted
from blacklists.restrictions import local_name
from registry.models import Agency, AuditEntry, Enterprise
from registry.services.audit import Actor, audit_record
from scoring.models import AgencyGrade, AgencyGradeLevel, AgencyGradeScheme

CREATED, CHANGED, UNCHANGED = "created", "changed", "unchanged"
FIELDS = ("level", "valid_from", "valid_until", "decision_number", "issuing_agency")


def agency_may_issue(agency: Agency, scheme: AgencyGradeScheme) -> bool:
    """Whether ``agency`` grades enterprises in ``scheme``."""
    return agency.pk == scheme.issuing_agency_id or bool(
        scheme.issuer_kind and agency.kind == scheme.issuer_kind
    )


def agency_grade_may_import(actor: Actor, scheme: AgencyGradeScheme) -> bool:
    """The central office, jobs and commands; a clerk of an agency that grades in ``scheme``."""
    if is_unrestricted(actor):
        return True
    agency = clerk_agency(actor)
    return agency is not None and agency_may_issue(agency, scheme)


def agency_grade_schemes_importable(actor: Actor, queryset: QuerySet | None = None) -> QuerySet:
    queryset = AgencyGradeScheme.objects.all() if queryset is None else queryset
    if is_unrestricted(actor):
        return queryset
    agency = clerk_agency(actor)
    if agency is None:
        return queryset.none()
    return queryset.filter(issuing_agency=agency) | queryset.filter(issuer_kind=agency.kind).exclude(
        issuer_kind=""
    )


def agency_grade_issuer_error(actor: Actor, scheme: AgencyGradeScheme, issuer: Agency) -> str:
    """Why ``actor`` may not record a grade of ``scheme`` issued by ``issuer``; empty when they may."""
    if not agency_may_issue(issuer, scheme):
        return _("%(agency)s does not issue the %(scheme)s") % {
            "agency": local_name(issuer),
            "scheme": local_name(scheme),
        }
    if is_unrestricted(actor):
        return ""
    own = clerk_agency(actor)
    if own is None or (own.pk != issuer.pk and own.pk != scheme.issuing_agency_id):
        return _("you may record only grades your own agency issued, not those of %(agency)s") % {
            "agency": local_name(issuer)
        }
    return ""


def agency_grade_default_issuer(actor: Actor, scheme: AgencyGradeScheme) -> Agency:
    """The importing clerk's agency when it grades in the scheme, else the scheme's issuer."""
    own = None if is_unrestricted(actor) else clerk_agency(actor)
    return own if own is not None and agency_may_issue(own, scheme) else scheme.issuing_agency


def agency_grade_year_error(year: int, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if year > today.year:
        return _("%(year)d has not begun: a grade cannot be for a future year") % {"year": year}
    return ""


def _snapshot(grade: AgencyGrade) -> dict:
    return {
        name: getattr(grade, f"{name}_id" if name in ("level", "issuing_agency") else name) for name in FIELDS
    }


def _json(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def agency_grade_record(
    *,
    actor: Actor,
    via: str,
    enterprise: Enterprise,
    scheme: AgencyGradeScheme,
    level: AgencyGradeLevel,
    year: int,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    decision_number: str = "",
    issuing_agency: Agency | None = None,
) -> tuple[AgencyGrade, str]:
    """Record ``enterprise``'s grade in ``scheme`` for ``year``: created, changed or unchanged.

    Refuses (``PermissionDenied``) an actor who may not import the scheme or name the issuer, and
    (``ValidationError``) a grade of another scheme, a future year or a validity that ends first."""
    if not agency_grade_may_import(actor, scheme):
        raise PermissionDenied(
            _("Only clerks of the agencies that issue the %(scheme)s may record its grades.")
            % {"scheme": local_name(scheme)}
        )
    issuer = issuing_agency or agency_grade_default_issuer(actor, scheme)
    problem = agency_grade_issuer_error(actor, scheme, issuer)
    if problem:
        raise PermissionDenied(problem)
    if level.scheme_id != scheme.pk:
        raise ValidationError({"level": _("This grade is not one of the scheme's grades.")})
    problem = agency_grade_year_error(year)
    if problem:
        raise ValidationError({"year": problem})
    values = {
        "level": level,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "decision_number": decision_number.strip(),
        "issuing_agency": issuer,
    }
    with transaction.atomic():
        grade = (
            AgencyGrade.objects.select_for_update()
            .filter(enterprise=enterprise, scheme=scheme, year=year)
            .first()
        )
        before = _snapshot(grade) if grade else {}
        if grade is None:
            grade = AgencyGrade(enterprise=enterprise, scheme=scheme, year=year, **values)
        else:
            for name, value in values.items():
                setattr(grade, name, value)
        after = _snapshot(grade)
        if before == after:
            return grade, UNCHANGED
        grade.full_clean()
        grade.save()
        changes = {
            name: [_json(before.get(name)), _json(after[name])]
            for name in FIELDS
            if before.get(name) != after[name]
        }
        if not before:
            changes.update({"scheme": [None, scheme.code], "year": [None, year]})
        audit_record(
            actor=actor,
            via=via,
            action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
            instance=grade,
            changes=changes,
        )
    return grade, CHANGED if before else CREATED
