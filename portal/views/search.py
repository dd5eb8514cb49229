"""The public enterprise search (企业信用信息查询): name, USCC or registration number, with filters."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from blacklists.selectors import (
    LISTED_ON_MAX,
    ListBadge,
    ListedOnTooLarge,
    enterprise_search_listed_on,
    grouped_list_choices,
    list_badges_for_enterprises,
    public_list_choices,
)
from portal.forms import EnterpriseSearchForm
from portal.ratelimit import rate_limited
from registry.models import Enterprise, Region
from registry.selectors import enterprise_search
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
    badges: list[ListBadge]  # each list it is on today, the abnormal-operations directory included

    @property
    def abnormal(self) -> bool:
        return any(badge.is_abnormal_directory for badge in self.badges)


def enterprise_rows(results) -> list[EnterpriseRow]:
    """Result rows with their badges: two queries for the whole page."""
    ids = [hit.object_id for hit in results]
    badges = list_badges_for_enterprises(enterprise_ids=ids) if ids else {}
    statuses = dict(Enterprise.Status.choices)
    return [
        EnterpriseRow(
            name=hit.name,
            uscc=hit.extra.get("uscc", ""),
            legal_representative=hit.extra.get("legal_representative", ""),
            status=str(statuses.get(hit.extra.get("status", ""), "")),
            established=hit.published_on,
            badges=badges.get(hit.object_id, []),
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
    lists = public_list_choices()
    form = EnterpriseSearchForm(request.GET or None, provinces=provinces, lists=lists)
    context = {"form": form, "page": None, "rows": [], "error": None, "notice": None, "query": ""}
    context.update(list_groups=grouped_list_choices(lists), too_large=None, listed_on_max=LISTED_ON_MAX)
    context["suggestion"] = None
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
                    "kind": data["kind"] or None,
                    "level": data["level"] or None,
                }
                if data["listed_on"]:
                    filters["listed_on"] = data["listed_on"]
                    run = functools.partial(enterprise_search_listed_on, **filters)
                else:
                    run = functools.partial(enterprise_search, **filters)
                try:
                    page = run(q=data["q"], page=data["page"] or 1, page_size=PAGE_SIZE)
                except SearchQueryError as exc:
                    context["error"], status = " ".join(exc.messages), 400
                except ListedOnTooLarge as exc:
                    context["too_large"] = next(item for item in lists if item.slug == exc.slug)
                else:
                    context["page"], context["rows"] = page, enterprise_rows(page.results)
                    if page.total_estimate == 0:
                        context["suggestion"] = query_without_a_term(
                            data["q"], run=lambda text: run(q=text, page_size=1)
                        )
    return render(request, "portal/search/search.html", context, status=status)
