"""The candidate list of a task: the register filtered by the task, each with its draw stratum."""

from __future__ import annotations

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import Case, Exists, OuterRef, QuerySet, Value, When
from django.db.models.functions import Collate, Concat

from inspections.models import InspectionTask
from inspections.risk import with_risk_class
from registry.models import AbnormalOperationListing, Enterprise, Region

PREFIX_LENGTH = {Region.Level.PROVINCE: 2, Region.Level.PREFECTURE: 4, Region.Level.COUNTY: 6}


def task_enterprises(task: InspectionTask) -> QuerySet[Enterprise]:
    """The enterprises the task's filter admits (检查对象名录库 narrowed by the task)."""
    queryset = Enterprise.objects.filter(status__in=task.statuses or [Enterprise.Status.IN_OPERATION])
    if task.region_id:
        region = task.region
        queryset = queryset.filter(region__code__startswith=region.code[: PREFIX_LENGTH[region.level]])
    if task.industries:
        queryset = queryset.filter(industry__in=task.industries)
    if task.entity_types:
        queryset = queryset.filter(entity_type__in=task.entity_types)
    return queryset


def task_candidates_with_stratum(task: InspectionTask) -> QuerySet[Enterprise]:
    """Candidates annotated with ``stratum``: the risk class, with ``+`` when on the
    abnormal-operations list (and the task raises that ratio)."""
    queryset = with_risk_class(task_enterprises(task))
    if task.ratio_abnormal is None:
        return queryset.annotate(stratum=Concat("risk_class", Value("")))
    listed = AbnormalOperationListing.objects.filter(enterprise=OuterRef("pk"), removed_on__isnull=True)
    return queryset.annotate(
        stratum=Concat("risk_class", Case(When(Exists(listed), then=Value("+")), default=Value("")))
    )


def task_candidate_file(task: InspectionTask) -> bytes:
    """The candidate file, built in the database in one statement: ``USCC,STRATUM`` lines by USCC
    in byte order (collation "C"), each ending in a newline."""
    text = task_candidates_with_stratum(task).aggregate(
        file=StringAgg(
            Concat("uscc", Value(","), "stratum"),
            delimiter="\n",
            order_by=Collate("uscc", "C"),
        )
    )["file"]
    return f"{text}\n".encode("ascii") if text else b""
