"""What the public sees (一公开): item lists, plans, tasks whose manifest is published, their draws,
the verification and the published results. Drafts and unpublished results never appear here.

Every read is a fixed number of queries whatever the size of the draw: the task page reads one
page of targets at a time, with their inspectors, exclusions and results in one query each.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.workdays import BeijingDate
from inspections.models import (
    AnnualPlan,
    DrawManifest,
    DrawnTarget,
    Exclusion,
    InspectionItem,
    InspectionResult,
    InspectionTask,
    InspectorAssignment,
)
from inspections.services.draw import Verification, draw_verify
from registry.models import Agency

TARGETS_PER_PAGE = 50
VERIFICATION_CACHE_SECONDS = 24 * 3600


def public_items(agency: Agency | None = None) -> QuerySet[InspectionItem]:
    items = InspectionItem.objects.filter(published=True).select_related("agency")
    return items.filter(agency=agency) if agency is not None else items


def public_tasks() -> QuerySet[InspectionTask]:
    """Tasks whose manifest is published (a draft is the agency's own business)."""
    return (
        InspectionTask.objects.exclude(state=InspectionTask.State.DRAFT)
        .select_related("plan__agency")
        .order_by("-manifest_published_at", "-pk")
    )


def public_plans(agency: Agency | None = None) -> QuerySet[AnnualPlan]:
    plans = (
        AnnualPlan.objects.filter(published=True)
        .select_related("agency")
        .prefetch_related(Prefetch("tasks", queryset=public_tasks().prefetch_related("items")))
        .order_by("-year", "agency__name_zh")
    )
    return plans.filter(agency=agency) if agency is not None else plans


def public_agencies() -> QuerySet[Agency]:
    """Agencies that publish an item list or a plan."""
    return Agency.objects.filter(
        Exists(InspectionItem.objects.filter(agency=OuterRef("pk"), published=True))
        | Exists(AnnualPlan.objects.filter(agency=OuterRef("pk"), published=True))
    ).order_by("name_zh")


def public_task(pk: int) -> InspectionTask | None:
    return (
        public_tasks()
        .select_related("region", "manifest")
        .defer("manifest__candidates", "manifest__document")
        .prefetch_related(
            Prefetch("items", queryset=InspectionItem.objects.select_related("agency")),
            "joint_agencies",
            "commitments",
        )
        .filter(pk=pk)
        .first()
    )


def manifest_document(task: InspectionTask) -> dict:
    """The manifest as published (parsed), read on its own: its text can be large."""
    text = DrawManifest.objects.filter(task=task).values_list("document", flat=True).first()
    return json.loads(text) if text else {}


# What the task page shows of the manifest; the roster's names stay in the downloadable record.
_SUMMARY_KEYS = ("strata", "inspectors_per_target", "max_targets_per_inspector", "redraw_rule")


def manifest_summary(task: InspectionTask) -> dict:
    """The parts of the published manifest a task page shows. A manifest never changes once
    published, so they are kept by its SHA-256 instead of reading and parsing its whole text
    (the roster of every department included) on every request."""
    manifest = getattr(task, "manifest", None)
    if manifest is None:
        return {}
    key = f"inspections:manifest-summary:{task.pk}:{manifest.sha256}"
    summary = cache.get(key)
    if summary is None:
        document = manifest_document(task)
        summary = {name: document[name] for name in _SUMMARY_KEYS if name in document}
        cache.set(key, summary, VERIFICATION_CACHE_SECONDS)
    return summary


def candidate_file(task: InspectionTask) -> bytes | None:
    """The candidate file exactly as published, or None before the manifest."""
    if task.state == InspectionTask.State.DRAFT:
        return None
    value = DrawManifest.objects.filter(task=task).values_list("candidates", flat=True).first()
    return bytes(value) if value is not None else None


def published_results() -> QuerySet[InspectionResult]:
    return InspectionResult.objects.filter(published_at__isnull=False).select_related(
        "category", "agency", "target__enterprise", "target__task__plan__agency", "record"
    )


@dataclass
class TargetRow:
    target: DrawnTarget
    assignments: list[InspectorAssignment] = field(default_factory=list)
    exclusions: list[Exclusion] = field(default_factory=list)
    results: list[InspectionResult] = field(default_factory=list)
    overdue: bool = False  # a result not yet published after its deadline (its content stays private)
    enterprise_url: str = ""  # the enterprise's profile, set by the page that links to it


# What a row of the task page and the API shows: an enterprise's register entry is much wider.
_TARGET_FIELDS = (
    "task_id",
    "enterprise_id",
    "position",
    "stream_index",
    "replaced",
    "enterprise__uscc",
    "enterprise__name",
)
_INSPECTOR_FIELDS = (
    "target_id",
    "inspector_id",
    "department_id",
    "slot",
    "inspector__name",
    "inspector__certificate_number",
    "department__name_zh",
    "department__name_en",
    "department__short_code",
)


class TargetPaginator(Paginator):
    """Pages of a draw's targets by position, with the count the draw recorded: a page is an
    index range seek (``position > start``), never an ``OFFSET`` over the earlier targets, and no
    request counts the rows."""

    def __init__(self, task: InspectionTask):
        super().__init__(
            DrawnTarget.objects.filter(task=task)
            .select_related("enterprise")
            .only(*_TARGET_FIELDS)
            .order_by("position"),
            TARGETS_PER_PAGE,
        )
        self.__dict__["count"] = task_result_counts(task)["rows"]

    def page(self, number) -> Page:
        number = self.validate_number(number)
        start = (number - 1) * self.per_page  # positions run 1, 2, ... without gaps
        return self._get_page(
            list(self.object_list.filter(position__gt=start)[: self.per_page]), number, self
        )


def task_target_page(task: InspectionTask, page_number) -> tuple[Page, list[TargetRow]]:
    """One page of the task's targets (replaced ones included, as the draw recorded them), each
    with its inspectors, recusals, published results and an overdue flag: four queries."""
    page = TargetPaginator(task).get_page(page_number)
    rows = {target.pk: TargetRow(target=target) for target in page.object_list}
    by_enterprise = {row.target.enterprise_id: row for row in rows.values()}
    for assignment in (
        InspectorAssignment.objects.filter(target_id__in=list(rows))
        .select_related("inspector", "department")
        .only(*_INSPECTOR_FIELDS)
        .order_by("target_id", "slot")
    ):
        rows[assignment.target_id].assignments.append(assignment)
    for exclusion in (
        Exclusion.objects.filter(task=task, enterprise_id__in=list(by_enterprise))
        .select_related("inspector")
        .order_by("enterprise_id", "inspector_id")
    ):
        by_enterprise[exclusion.enterprise_id].exclusions.append(exclusion)
    today = timezone.localdate()
    for result in (
        InspectionResult.objects.filter(target_id__in=list(rows))
        .filter(Q(published_at__isnull=False) | Q(publish_by__lt=today))
        .select_related("category", "agency")
        .order_by("target_id", "agency_id")
    ):
        row = rows[result.target_id]
        if result.is_published:
            row.results.append(result)
        else:
            row.overdue = True
    return page, list(rows.values())


def task_result_counts(task: InspectionTask) -> dict[str, int]:
    """Rows of the draw (replaced targets included) and targets drawn, as the draw recorded them;
    results published, published late, and overdue (unpublished past the deadline), counted in one
    query; kept on the task object for the rest of the request."""
    cached = getattr(task, "_result_counts", None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    counts = {"rows": task.target_rows or 0, "targets": task.target_count or 0}
    published = Q(published_at__isnull=False)
    counts |= (
        InspectionResult.objects.filter(task=task)
        .alias(day=BeijingDate("published_at"))
        .aggregate(
            published=Count("pk", filter=published),
            late=Count("pk", filter=published & Q(day__gt=F("publish_by"))),
            overdue=Count("pk", filter=Q(published_at__isnull=True, publish_by__lt=today)),
        )
    )
    task._result_counts = counts
    return counts


def task_verification(task: InspectionTask):
    """The draw re-run from the published data (``draw_verify``), kept for a day per seed: a draw
    never changes once made, and re-running a large one takes seconds."""
    if task.state != InspectionTask.State.DRAWN:
        return None
    key = f"inspections:verification:{task.pk}:{task.seed}"
    cached = cache.get(key)
    if cached is not None:
        return Verification(**cached)
    verification = draw_verify(task=task)
    cache.set(
        key,
        {
            "ok": verification.ok,
            "problems": [str(problem) for problem in verification.problems],
            "seed": verification.seed,
            "targets": verification.targets,
        },
        VERIFICATION_CACHE_SECONDS,
    )
    return verification
