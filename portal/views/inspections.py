"""Public pages of double-random inspections (一公开): the agencies' item lists and plans, each task
with its draw (manifest, commitments and secrets, seed, targets, inspectors, exclusions,
verification) and its published results, the candidate file and the draw record for the verifier.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from inspections.models import InspectionTask
from inspections.selectors import draw_export
from inspections.selectors.public import (
    candidate_file,
    manifest_summary,
    public_agencies,
    public_items,
    public_plans,
    public_task,
    public_tasks,
    task_result_counts,
    task_target_page,
    task_verification,
)
from inspections.services import result_is_late
from registry.models import Agency

RECENT_TASKS = 20
# Stands for a row's USCC in its profile link (USCCs are 18 characters of [0-9A-Z]: nothing to escape).
_USCC_SLOT = "USCC-SLOT"


def index(request):
    return render(
        request,
        "portal/inspections/index.html",
        {"agencies": list(public_agencies()), "tasks": list(public_tasks()[:RECENT_TASKS])},
    )


def agency_page(request, code: str):
    agency = get_object_or_404(Agency, short_code=code)
    items = list(public_items(agency).order_by("kind", "name_zh"))
    plans = list(public_plans(agency))
    if not items and not plans:
        raise Http404(_("This agency publishes no inspection item list or plan."))
    return render(
        request, "portal/inspections/agency.html", {"agency": agency, "items": items, "plans": plans}
    )


def _task_or_404(pk: int) -> InspectionTask:
    task = public_task(pk)
    if task is None:
        raise Http404(_("No published inspection task has this number."))
    return task


def _clerk(request) -> bool:
    return bool(request.user.is_authenticated and request.user.is_staff)


def task_page(request, pk: int):
    task = _task_or_404(pk)
    document = manifest_summary(task)
    context = {
        "task": task,
        "manifest": task.manifest,
        "strata": [row for row in document.get("strata", []) if row["candidates"]],
        "document": document,
        "commitments": list(task.commitments.all()),
        "verification": task_verification(task),
        "clerk": _clerk(request),
    }
    if task.state == InspectionTask.State.DRAWN:
        page, rows = task_target_page(task, request.GET.get("page", 1))
        # One reverse() for the page, not one per row: 50 of them were an eighth of its time.
        profile_url = reverse("portal:enterprise", kwargs={"uscc": _USCC_SLOT})
        for row in rows:
            row.enterprise_url = profile_url.replace(_USCC_SLOT, row.target.enterprise.uscc)
            for result in row.results:
                result.late = result_is_late(result)
        context.update(page=page, rows=rows, counts=task_result_counts(task))
    return render(request, "portal/inspections/task.html", context)


def task_candidates(request, pk: int):
    task = _task_or_404(pk)
    response = HttpResponse(candidate_file(task) or b"", content_type="text/csv; charset=us-ascii")
    response["Content-Disposition"] = f'attachment; filename="task-{task.pk}-candidates.csv"'
    return response


def task_draw_record(request, pk: int):
    task = _task_or_404(pk)
    response = JsonResponse(draw_export(task), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="task-{task.pk}-draw.json"'
    return response
