"""The public enterprise search (企业信用信息查询): name, USCC or registration number, with filters."""

from __future__ import annotations

from dataclasses import dataclass

from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from blacklists.selectors import badges_for_enterprises
from portal.forms import EnterpriseSearchForm
from portal.ratelimit import rate_limited
from registry.models import Enterprise, Region
from registry.selectors import abnormal_listed_enterprise_ids, enterprise_search
from search.normalise import normalise
from search.query import MIN_QUERY_CHARS, SearchQueryError, identifier_keys
from search.suggest import query_without_a_term

PAGE_SIZE = 20


@dataclass(frozen=True)
class EnterpriseRow:
    name: str
    uscc: str
    legal_representative: str
    status: str
    established: object
    badges: list[str]
    abnormal: bool


def _rows(results) -> list[EnterpriseRow]:
    """Result rows with their badges: two queries for the whole page."""
    ids = [hit.object_id for hit in results]
    badges = badges_for_enterprises(enterprise_ids=ids) if ids else {}
    abnormal = abnormal_listed_enterprise_ids(enterprise_ids=ids) if ids else set()
    statuses = dict(Enterprise.Status.choices)
    return [
        EnterpriseRow(
            name=hit.name,
            uscc=hit.extra.get("uscc", ""),
            legal_representative=hit.extra.get("legal_representative", ""),
            status=str(statuses.get(hit.extra.get("status", ""), "")),
            established=hit.published_on,
            badges=badges.get(hit.object_id, []),
            abnormal=hit.object_id in abnormal,
        )
        for hit in results
    ]


@rate_limited("search")
def enterprise_search_page(request):
    english = (get_language() or "").startswith("en")
    provinces = [
        (region.code, region.name_en if english else region.name_zh)
        for region in Region.objects.filter(level=Region.Level.PROVINCE).only("code", "name_zh", "name_en")
    ]
    form = EnterpriseSearchForm(request.GET or None, provinces=provinces)
    context = {
        "form": form,
        "page": None,
        "rows": [],
        "error": None,
        "notice": None,
        "query": "",
        "suggestion": None,
    }
    status = 200
    if request.GET:
        if not form.is_valid():
            context["error"], status = form.error_text(), 400
        elif form.cleaned_data["q"]:
            data = form.cleaned_data
            context["query"] = data["q"]
            if len(normalise(data["q"])) < MIN_QUERY_CHARS and not identifier_keys(data["q"]):
                context["notice"] = _(
                    "Please enter at least %(n)d letters or digits of a name, or a full USCC or "
                    "registration number."
                ) % {"n": MIN_QUERY_CHARS}
            else:
                filters = {
                    "province": data["province"] or None,
                    "status": data["status"] or None,
                    "industry": data["industry"] or None,
                    "established": data["established"],
                }
                try:
                    page = enterprise_search(
                        q=data["q"], page=data["page"] or 1, page_size=PAGE_SIZE, **filters
                    )
                except SearchQueryError as exc:
                    context["error"], status = " ".join(exc.messages), 400
                else:
                    context["page"], context["rows"] = page, _rows(page.results)
                    if page.total_estimate == 0:
                        context["suggestion"] = query_without_a_term(
                            data["q"], run=lambda text: enterprise_search(q=text, page_size=1, **filters)
                        )
    return render(request, "portal/search/search.html", context, status=status)
