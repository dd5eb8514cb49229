"""The demo's credit evaluations: the default rule sets, every enterprise evaluated, and records
added where the register alone would not show each grade A-D, an alert-list entry and a warning
interview waiting for the county clerk (``demo.clerks.county_bureau``).

The records are written through the services as any agency's would be (penalties, awards), dated
within the last months, and their events are marked dispatched like the rest of the demo's history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from blacklists.services.entries import GOVERNMENT_TYPES
from registry.models import AdministrativePenalty, Agency, AuditEntry, Award, Enterprise, SubjectEvent
from registry.services import record_create
from registry.services.audit import SYSTEM
from scoring.models import AlertListEntry, Evaluation, GradeCutoff, WarningInterview
from scoring.services import evaluation_run_all
from scoring.services.defaults import rule_sets_load_defaults

from .clerks import county_bureau

VIA = AuditEntry.Via.COMMAND
AWARD_POINTS = 5  # an award's weight in the default public evaluation
AWARD_TITLES = ("守合同重信用企业", "纳税信用优秀企业", "质量管理先进单位", "安全生产标准化企业")


@dataclass(frozen=True)
class DemoScoring:
    evaluated: int
    grades: dict[str, int]
    on_alert_list: int
    interviews_pending: int


def _companies(exclude: set[int], count: int, **filters) -> list[Enterprise]:
    queryset = (
        Enterprise.objects.exclude(entity_type__in=GOVERNMENT_TYPES)
        .filter(status=Enterprise.Status.IN_OPERATION, established__lte=dt.date(2020, 1, 1), **filters)
        .exclude(pk__in=exclude)
        .order_by("uscc")
    )
    return list(queryset[:count])


def _penalty(enterprise: Enterprise, agency: Agency, fine: str, serial: int, decided_on: dt.date) -> None:
    record_create(
        model=AdministrativePenalty,
        actor=SYSTEM,
        via=VIA,
        enterprise=enterprise,
        source_agency=agency,
        deciding_agency=agency,
        decision_number=f"{agency.name_zh[:2]}罚〔{decided_on.year}〕{700 + serial}号",
        violation="未按规定履行信用承诺",
        content=f"罚款人民币{fine}元",
        fine_amount=Decimal(fine),
        decided_on=decided_on,
    )


def _award(enterprise: Enterprise, agency: Agency, title: str, awarded_on: dt.date) -> None:
    record_create(
        model=Award,
        actor=SYSTEM,
        via=VIA,
        enterprise=enterprise,
        source_agency=agency,
        awarding_agency=agency,
        title=title,
        awarded_on=awarded_on,
    )


def _grade_counts() -> dict[str, int]:
    counts = {"A": 0, "B": 0, "C": 0, "D": 0}
    for grade in Evaluation.objects.filter(is_current=True).values_list("grade", flat=True):
        counts[grade] += 1
    return counts


def _grade_a_from(evaluation: Evaluation) -> int:
    cutoff = GradeCutoff.objects.filter(rule_set_id=evaluation.rule_set_id, grade="A").first()
    return cutoff.min_score if cutoff and cutoff.min_score is not None else evaluation.score + AWARD_POINTS


def _agency(kind: str, fallback: Agency) -> Agency:
    return Agency.objects.filter(kind=kind).order_by("level", "id").first() or fallback


def demo_scoring_build(*, now: dt.datetime | None = None) -> DemoScoring:
    """Load the rule sets, add what the demo needs to show, and evaluate every enterprise."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rule_sets_load_defaults(actor=SYSTEM, via=VIA)
    bureau = county_bureau()
    if bureau is None:
        raise LookupError("The register has no market-regulation bureau: run generate_demo_data first.")
    first_event = SubjectEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    evaluation_run_all(actor=SYSTEM, via=VIA, on=today)
    grades = _grade_counts()
    used: set[int] = set()
    with transaction.atomic():
        serial = 0
        recent = today - dt.timedelta(days=40)
        # D for a company the county bureau registered (its clerk holds the interview).
        if not WarningInterview.objects.filter(
            agency=bureau, status=WarningInterview.Status.PENDING
        ).exists():
            for enterprise in _companies(used, 1, registration_authority=bureau) or _companies(used, 1):
                if enterprise.registration_authority_id != bureau.pk:
                    Enterprise.objects.filter(pk=enterprise.pk).update(registration_authority=bureau)
                used.add(enterprise.pk)
                for _number in range(2):
                    serial += 1
                    _penalty(enterprise, bureau, "200000", serial, recent)
        # C: two general penalties.
        if grades["C"] == 0:
            for enterprise in _companies(used, 1):
                used.add(enterprise.pk)
                for _number in range(2):
                    serial += 1
                    _penalty(enterprise, bureau, "50000", serial, recent)
        # A: honours on a clean record.
        if grades["A"] == 0:
            best = (
                Evaluation.objects.filter(is_current=True)
                .exclude(enterprise_id__in=used)
                .select_related("enterprise")
                .order_by("-score", "enterprise__uscc")
                .first()
            )
            if best is not None:
                used.add(best.enterprise_id)
                needed = -(-(_grade_a_from(best) - best.score) // AWARD_POINTS)
                for number in range(max(1, needed)):
                    _award(best.enterprise, bureau, AWARD_TITLES[number % len(AWARD_TITLES)], recent)
        # The alert list: minor penalties from three areas within the year.
        if not AlertListEntry.objects.on_list().exists():
            areas = [bureau, _agency(Agency.Kind.TAX, bureau), _agency(Agency.Kind.BUREAU, bureau)]
            for enterprise in _companies(used, 1):
                used.add(enterprise.pk)
                for agency in areas:
                    serial += 1
                    _penalty(enterprise, agency, "5000", serial, recent)
    if used:
        evaluation_run_all(actor=SYSTEM, via=VIA, on=today)
    # Like the rest of the demo's history, the notices are not sent out again.
    SubjectEvent.objects.filter(pk__gt=first_event, dispatched_at__isnull=True).update(dispatched_at=now)
    return DemoScoring(
        evaluated=Evaluation.objects.filter(is_current=True).count(),
        grades=_grade_counts(),
        on_alert_list=AlertListEntry.objects.on_list().count(),
        interviews_pending=WarningInterview.objects.filter(status=WarningInterview.Status.PENDING).count(),
    )
