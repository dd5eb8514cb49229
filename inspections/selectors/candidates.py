"""The candidate list of a task: the register filtered by the task, each with its draw stratum."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.postgres.aggregates import StringAgg
from django.db import connection
from django.db.models import Case, CharField, QuerySet, Value, When
from django.db.models.functions import Collate, Concat

from inspections.draw.algorithm import ratio_strata
from inspections.models import InspectionTask
from inspections.risk import with_risk_class
from registry.models import AbnormalOperationListing, Enterprise, Region

PREFIX_LENGTH = {Region.Level.PROVINCE: 2, Region.Level.PREFECTURE: 4, Region.Level.COUNTY: 6}
# The candidate file is sorted inside one aggregate; enough memory keeps 2 million lines off disk.
SORT_MEMORY = "256MB"


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


def _percent(value: Decimal) -> str:
    return f"{value:.2f}"


def class_ratios(task: InspectionTask) -> dict[str, str]:
    """The ratio of every class stratum (A, A+ ... D+): a class's own, raised for the
    abnormal-operations list. Internal: the manifest publishes only the distinct ratios."""
    ratios = {}
    for letter in "ABCD":
        own = getattr(task, f"ratio_{letter.lower()}")
        raised = max(own, task.ratio_abnormal) if task.ratio_abnormal is not None else own
        ratios[letter] = _percent(own)
        ratios[f"{letter}+"] = _percent(raised)
    return ratios


def task_candidates_with_stratum(task: InspectionTask) -> QuerySet[Enterprise]:
    """Candidates annotated with ``risk_class``, ``class_stratum`` (the class, with ``+`` when on
    the abnormal-operations list and the task raises that ratio) and ``stratum``: the published
    stratum number of the class stratum's ratio, as text."""
    queryset = with_risk_class(task_enterprises(task))
    _, number_of = ratio_strata(class_ratios(task))
    if task.ratio_abnormal is None:
        queryset = queryset.annotate(class_stratum=Concat("risk_class", Value("")))
    else:
        # An uncorrelated IN is one hashed set for the whole scan, not a probe per enterprise.
        listed = AbnormalOperationListing.objects.filter(removed_on__isnull=True).values("enterprise_id")
        queryset = queryset.annotate(
            class_stratum=Concat("risk_class", Case(When(pk__in=listed, then=Value("+")), default=Value("")))
        )
    return queryset.annotate(
        stratum=Case(
            *(When(class_stratum=name, then=Value(str(number))) for name, number in number_of.items()),
            output_field=CharField(),
        )
    )


def task_candidate_file(task: InspectionTask) -> bytes:
    """The candidate file, built in the database in one statement: ``USCC,STRATUM`` lines by USCC
    in byte order (collation "C"), each ending in a newline."""
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            cursor.execute(f"SET LOCAL work_mem = '{SORT_MEMORY}'")
    text = task_candidates_with_stratum(task).aggregate(
        file=StringAgg(
            Concat("uscc", Value(","), "stratum"),
            delimiter="\n",
            order_by=Collate("uscc", "C"),
        )
    )["file"]
    return f"{text}\n".encode("ascii") if text else b""
