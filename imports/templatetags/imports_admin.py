"""The imports section of the admin home."""

from __future__ import annotations

from django import template

from accounts.permissions import clerk_agency, is_unrestricted
from imports.admin import kind_label, labels_cached
from imports.models import ImportRun
from imports.services import import_runs_visible

register = template.Library()


@register.simple_tag(takes_context=True)
def recent_imports(context, limit: int = 5) -> dict:
    """Whether the user imports at all; the imports of their agency in progress (oldest first),
    then the most recent others."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (is_unrestricted(user) or clerk_agency(user)):
        return {"shown": False, "runs": []}
    runs = import_runs_visible(user, ImportRun.objects.select_related("document", "job"))
    in_progress = list(runs.filter(status__in=ImportRun.IN_PROGRESS).order_by("created_at", "id")[:limit])
    recent = list(runs.exclude(status__in=ImportRun.IN_PROGRESS).order_by("-created_at", "-id")[:limit])
    with labels_cached():
        for run in in_progress + recent:
            run.what = kind_label(run)
    return {"shown": True, "runs": in_progress + recent}
