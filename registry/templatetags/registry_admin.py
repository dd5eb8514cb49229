"""Warnings the admin shows every clerk on its index page."""

from __future__ import annotations

from django import template

from registry.checks import calendar_warning_text
from registry.selectors import calendar_years_unconfirmed

register = template.Library()


@register.simple_tag
def reference_data_warnings() -> list[str]:
    return [calendar_warning_text(year) for year in calendar_years_unconfirmed()]


@register.simple_tag(takes_context=True)
def recent_imports(context, limit: int = 5) -> dict:
    """For the admin home: whether the user imports at all, the imports of their agency in
    progress (oldest first), then the most recent others."""
    from registry.admin.imports import kind_label
    from registry.importing.kinds import import_scope
    from registry.models import ImportRun
    from registry.services.imports import import_runs_visible

    request = context.get("request")
    user = getattr(request, "user", None)
    scope = import_scope(user) if user is not None else None
    if scope is None or not (scope.unrestricted or scope.agency):
        return {"shown": False, "runs": []}
    runs = import_runs_visible(user, ImportRun.objects.select_related("document", "job"))
    in_progress = list(runs.filter(status__in=ImportRun.IN_PROGRESS).order_by("created_at", "id")[:limit])
    recent = list(runs.exclude(status__in=ImportRun.IN_PROGRESS).order_by("-created_at", "-id")[:limit])
    for run in in_progress + recent:
        run.what = kind_label(run)
    return {"shown": True, "runs": in_progress + recent}
