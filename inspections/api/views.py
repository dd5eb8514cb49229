"""The read-only inspection API: item lists, plans, tasks with their draws, the draw record the
standalone verifier reads, the candidate file, and published results."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import AGENCY_CODE, USCC, integer_range
from core.identifiers import uscc_has_valid_shape
from inspections.api.serializers import (
    ItemSerializer,
    PlanSerializer,
    PublishedResultSerializer,
    TargetSerializer,
    TaskDetailSerializer,
    TaskSummarySerializer,
)
from inspections.models import Exclusion, InspectionTask
from inspections.selectors import draw_export
from inspections.selectors.public import (
    candidate_file,
    manifest_document,
    public_items,
    public_plans,
    public_task,
    public_tasks,
    published_results,
    task_result_counts,
    task_target_page,
    task_verification,
)
from registry.models import Agency

AGENCY_PARAM = OpenApiParameter(
    "agency", AGENCY_CODE, description="Agency short code; 404 for a code no agency has."
)


def is_clerk(request) -> bool:
    """Agency staff see enforcement certificate numbers; the public sees names only."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


def _agency(request) -> Agency | None:
    code = request.query_params.get("agency", "").strip()
    if not code:
        return None
    agency = Agency.objects.filter(short_code=code).first()
    if agency is None:
        raise NotFound(_("No agency has the short code %(code)s.") % {"code": code})
    return agency


def _task_or_404(pk: int) -> InspectionTask:
    task = public_task(pk)
    if task is None:
        raise NotFound(_("No published inspection task has the number %(pk)s.") % {"pk": pk})
    return task


@extend_schema(parameters=[AGENCY_PARAM])
class ItemListView(generics.ListAPIView):
    """Published random inspection item lists (随机抽查事项清单)."""

    serializer_class = ItemSerializer
    filter_backends = ()

    def get_queryset(self):
        return public_items(_agency(self.request)).order_by("agency__name_zh", "name_zh")


@extend_schema(parameters=[AGENCY_PARAM])
class PlanListView(generics.ListAPIView):
    """Published annual plans with their tasks whose manifest is published."""

    serializer_class = PlanSerializer
    filter_backends = ()

    def get_queryset(self):
        return public_plans(_agency(self.request))


@extend_schema(parameters=[AGENCY_PARAM])
class TaskListView(generics.ListAPIView):
    """Tasks whose manifest is published, newest first."""

    serializer_class = TaskSummarySerializer
    filter_backends = ()

    def get_queryset(self):
        agency = _agency(self.request)
        tasks = public_tasks()
        return tasks.filter(plan__agency=agency) if agency else tasks


def task_detail_data(task: InspectionTask) -> dict:
    document = manifest_document(task)
    verification = task_verification(task)
    return {
        "id": task.pk,
        "name_zh": task.name_zh,
        "name_en": task.name_en,
        "agency": task.plan.agency,
        "joint_agencies": list(task.joint_agencies.all()),
        "items": list(task.items.all()),
        "state": task.state,
        "complete_by": task.complete_by,
        "manifest": {
            "sha256": task.manifest.sha256,
            "algorithm": task.manifest.algorithm,
            "candidates_sha256": task.manifest.candidates_sha256,
            "candidate_count": task.manifest.candidate_count,
            "published_at": task.manifest.published_at,
            **{
                key: document.get(key)
                for key in (
                    "strata",
                    "inspectors_per_target",
                    "max_targets_per_inspector",
                    "recusal_rules",
                    "redraw_rule",
                    "beacon_source",
                )
            },
        },
        "commitments": list(task.commitments.all()),
        "beacon": task.beacon,
        "seed": task.seed,
        "drawn_at": task.drawn_at,
        "verification": verification,
        "results": task_result_counts(task),
    }


class TaskDetailView(APIView):
    """One task: items, agencies, manifest, commitments and revealed secrets, seed, verification."""

    @extend_schema(responses=TaskDetailSerializer)
    def get(self, request, pk: int):
        task = _task_or_404(pk)
        return Response(TaskDetailSerializer(task_detail_data(task)).data)


class TaskTargetsView(APIView):
    """The task's drawn targets, a page at a time, with inspectors, exclusions and published results."""

    @extend_schema(parameters=[OpenApiParameter("page", int)], responses=TargetSerializer(many=True))
    def get(self, request, pk: int):
        task = _task_or_404(pk)
        clerk = is_clerk(request)
        page, rows = task_target_page(task, request.query_params.get("page", 1))
        reasons = dict(Exclusion.Reason.choices)
        data = [
            {
                "position": row.target.position,
                "uscc": row.target.enterprise.uscc,
                "name": row.target.enterprise.name,
                "replaced": row.target.replaced,
                "inspectors": [
                    {
                        "name": a.inspector.name,
                        "department": a.department,
                        **({"certificate_number": a.inspector.certificate_number} if clerk else {}),
                    }
                    for a in row.assignments
                ],
                "exclusions": [
                    {
                        "inspector": e.inspector.name if e.inspector else None,
                        "reason": e.reason,
                        "reason_label": str(reasons[e.reason]),
                    }
                    for e in row.exclusions
                ],
                "results": row.results,
                "result_overdue": row.overdue,
            }
            for row in rows
        ]
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "results": TargetSerializer(data, many=True).data,
            }
        )


class TaskDrawView(APIView):
    """The draw record (format ``inspection-draw/1``) that ``scripts/verify_draw.py`` checks."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        return Response(draw_export(_task_or_404(pk)))


class TaskCandidatesView(APIView):
    """The candidate file exactly as published: one ``USCC,STRATUM`` line per candidate."""

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request, pk: int):
        task = _task_or_404(pk)
        response = HttpResponse(candidate_file(task) or b"", content_type="text/csv; charset=us-ascii")
        response["Content-Disposition"] = f'attachment; filename="task-{task.pk}-candidates.csv"'
        return response


@extend_schema(
    parameters=[
        OpenApiParameter("uscc", USCC, description="Results of one enterprise."),
        OpenApiParameter("task", integer_range(1), description="Results of one task."),
    ]
)
class ResultListView(generics.ListAPIView):
    """Published inspection results, newest first."""

    serializer_class = PublishedResultSerializer
    filter_backends = ()

    def get_queryset(self):
        results = published_results().order_by("-published_at", "-pk")
        uscc = self.request.query_params.get("uscc", "").strip().upper()
        if uscc:
            if not uscc_has_valid_shape(uscc):
                raise ValidationError({"uscc": [_("A USCC is 18 digits and capital letters.")]})
            results = results.filter(target__enterprise__uscc=uscc)
        task = self.request.query_params.get("task", "").strip()
        if task:
            if not task.isdigit():
                raise ValidationError({"task": [_("Must be a whole number.")]})
            results = results.filter(task_id=int(task))
        return results
