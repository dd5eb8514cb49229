"""Public pages of government integrity: the government-defaulters dashboard and assessment rounds."""

from __future__ import annotations

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from blacklists.restrictions import chinese
from government.forms import GovernmentDashboardForm
from government.selectors.dashboard import DashboardFilters, RowPosition, government_defaulter_rows
from government.selectors.dashboard_page import dashboard_csv_lines
from government.selectors.dashboard_stored import dashboard_figures, rows_are_sparse
from government.selectors.public import (
    round_feedback_totals,
    round_metric_figures,
    round_scores,
    rounds_public,
)
from portal.ratelimit import rate_limited
from portal.views.government_display import grouping_tables, row_texts, year_rows
from registry.models import Region

ROWS_PER_PAGE = 50


def _read(request):
    """The province names in the reader's language, the form, and its filters (None when invalid)."""
    zh = chinese()
    provinces = {
        region.code: region.name_zh if zh else region.name_en
        for region in Region.objects.filter(level=Region.Level.PROVINCE).only("code", "name_zh", "name_en")
    }
    form = GovernmentDashboardForm(request.GET or None, provinces=list(provinces.items()))
    if not form.is_bound:
        return provinces, form, DashboardFilters()
    return provinces, form, form.filters() if form.is_valid() else None


def _refused(request, form):
    context = {"form": form, "error": form.error_text()}
    return render(request, "portal/government/dashboard.html", context, status=400)


@rate_limited("government-dashboard")
def defaulters_dashboard(request):
    provinces, form, filters = _read(request)
    if filters is None:
        return _refused(request, form)
    on = timezone.localdate()
    data = form.cleaned_data if form.is_bound else {}
    page, after = data.get("page") or 1, data.get("after")
    summary = dashboard_figures(filters=filters)
    sparse = rows_are_sparse(filters=filters, figures=summary, page_size=ROWS_PER_PAGE)
    rows = government_defaulter_rows(filters=filters, on=on, after=after, few=sparse)
    rows = list(rows[: ROWS_PER_PAGE + 1])
    has_next, rows = len(rows) > ROWS_PER_PAGE, rows[:ROWS_PER_PAGE]
    years = summary.years(on)
    heights = [max(year.listed, year.cleared, year.open_at_end) for year in years]
    context = {"form": form, "summary": summary, "years": years, "year_rows": year_rows(years)}
    context.update(
        breakdowns=grouping_tables(summary.groupings(provinces)),
        rows=row_texts(rows, provinces),
        page=page,
        next_position=str(RowPosition(rows[-1].listed_on, rows[-1].pk)) if has_next else "",
        chart_max=max([1, *heights]),
        query=request.GET.urlencode(),
    )
    return render(request, "portal/government/dashboard.html", context)


@rate_limited("government-dashboard-csv")
def defaulters_csv(request):
    """Every row behind the dashboard for these filters, streamed as CSV (UTF-8 with a BOM for Excel)."""
    provinces, form, filters = _read(request)
    if filters is None:
        return _refused(request, form)
    on = timezone.localdate()
    lines = dashboard_csv_lines(filters=filters, on=on, province_names=provinces)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="government-defaulters-{on.isoformat()}.csv"'
    return response


def assessment_rounds(request):
    rounds = list(rounds_public().order_by("-year", "-published_on"))
    return render(request, "portal/government/rounds.html", {"rounds": rounds})


def assessment_round(request, pk: int):
    found = rounds_public().filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such assessment round."))
    feedback = round_feedback_totals(assessment_round=found)
    rows = [(score, feedback.get(score.subject_id, 0)) for score in round_scores(assessment_round=found)]
    context = {"round": found, "metrics": round_metric_figures(assessment_round=found), "rows": rows}
    return render(request, "portal/government/round.html", context)
