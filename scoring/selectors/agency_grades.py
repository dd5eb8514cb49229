"""Reads of agency grades: the schemes, an enterprise's grades, and the grades in force on a day.

A grade is in force from ``valid_from`` to ``valid_until`` (both included; no end: until replaced).
When two grades of one scheme are in force for an enterprise (last year's has no end), the newer
year's is the current one. The register's tax records also carry a grade letter per tax period
(``TaxRecord.credit_grade``); it uses the tax credit scheme's codes but is not read here: the
annual grade the tax service publishes, with its year, validity and decision, is this model's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from scoring.models import AgencyGrade, AgencyGradeLevel, AgencyGradeScheme

TAX_CREDIT_SCHEME = "sta-tax-credit"
CUSTOMS_CREDIT_SCHEME = "gac-enterprise-credit"


def agency_grade_schemes() -> QuerySet[AgencyGradeScheme]:
    """Every scheme with its issuer and its grades in rank order."""
    return (
        AgencyGradeScheme.objects.select_related("issuing_agency")
        .prefetch_related(Prefetch("levels", queryset=AgencyGradeLevel.objects.order_by("rank")))
        .order_by("code")
    )


def agency_grade_queryset() -> QuerySet[AgencyGrade]:
    """Grades with what a page or the API shows of them joined."""
    return AgencyGrade.objects.select_related("enterprise", "scheme", "level", "issuing_agency")


def in_force_filter(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def agency_grades_current(
    *,
    enterprise_ids: Iterable[int] | QuerySet | None = None,
    on: dt.date | None = None,
    schemes: Iterable[str] | None = None,
) -> QuerySet[AgencyGrade]:
    """The current grade of each enterprise in each scheme on ``on`` (today): the hook for indicators.

    One statement whatever the number of enterprises (``enterprise_ids`` None: the whole register;
    a queryset of ids stays a subquery); ``schemes`` limits it to those scheme codes.
    Filters added afterwards apply to the current grades, so
    ``agency_grades_current().filter(level__meaning="negative")`` are the enterprises whose current
    grade is adverse (tax C or D, Customs dishonest), not those with any adverse grade in force;
    ``.filter(scheme__code=TAX_CREDIT_SCHEME, level__code="A")`` the grade-A taxpayers.
    """
    on = on or timezone.localdate()
    newest = AgencyGrade.objects.filter(in_force_filter(on))
    if enterprise_ids is not None:
        ids = enterprise_ids if isinstance(enterprise_ids, QuerySet) else list(enterprise_ids)
        newest = newest.filter(enterprise_id__in=ids)
    if schemes is not None:
        newest = newest.filter(scheme__code__in=list(schemes))
    newest = newest.order_by("enterprise_id", "scheme_id", "-year").distinct("enterprise_id", "scheme_id")
    return (
        agency_grade_queryset()
        .filter(pk__in=newest.values("pk"))
        .order_by("enterprise_id", "scheme__code", "-year")
    )


def agency_grades_of(*, enterprise_id: int) -> QuerySet[AgencyGrade]:
    """Every grade of one enterprise, newest year first within each scheme."""
    return agency_grade_queryset().filter(enterprise_id=enterprise_id).order_by("scheme__code", "-year")
