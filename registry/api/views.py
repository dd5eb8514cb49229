from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import DIVISION_CODE, NAME_QUERY, USCC, integer_range
from core.classification import Audience
from core.identifiers import uscc_has_valid_shape
from core.keyset_pagination import KeysetPagination
from registry.api.filters import EnterpriseFilter
from registry.api.serializers import EnterpriseListSerializer, EnterpriseSerializer
from registry.models import Enterprise
from registry.selectors import enterprise_profile, enterprise_search
from registry.services import uscc_error
from search.query import MAX_PAGE, MAX_PAGE_SIZE, SearchQueryError, nothing_found_page


def audience_for(request) -> Audience:
    """Staff (agency clerks) are government users; everyone else sees the public record."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return Audience.GOVERNMENT
    return Audience.PUBLIC


class EnterpriseDetailView(APIView):
    """The public record of one enterprise and its credit-file sections."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "uscc",
                USCC,
                OpenApiParameter.PATH,
                description="Unified social credit code, 18 characters (GB 32100-2015).",
            )
        ],
        responses=EnterpriseSerializer,
    )
    def get(self, request, uscc: str):
        code = uscc.strip().upper()
        if not uscc_has_valid_shape(code):
            raise ValidationError(
                {
                    "uscc": [
                        _(
                            "A USCC is 18 characters: digits and capital letters except I, O, S, V and Z, "
                            "with a six-digit division code in characters 3-8."
                        )
                    ]
                }
            )
        audience = audience_for(request)
        enterprise = enterprise_profile(uscc=code, audience=audience)
        if enterprise is None:
            # A wrong check character is a typing mistake (a registered legacy code was found above).
            problem = uscc_error(code)
            if problem:
                raise NotFound(problem)
            raise NotFound(_("No enterprise is registered with USCC %(uscc)s.") % {"uscc": code})
        return Response(
            EnterpriseSerializer(enterprise, context={"audience": audience, "request": request}).data
        )


class EnterpriseListView(generics.ListAPIView):
    """Enterprises in code order, filtered by region, status, type, industry or name prefix.

    Pages by cursor (follow ``next``): page 10,000 costs what page 1 does."""

    pagination_class = KeysetPagination
    keyset_ordering = ("uscc",)
    serializer_class = EnterpriseListSerializer
    filterset_class = EnterpriseFilter
    queryset = Enterprise.objects.select_related("region__parent__parent").order_by("uscc")


class EnterpriseSearchResultSerializer(serializers.Serializer):
    uscc = serializers.CharField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=Enterprise.Status.choices)
    legal_representative = serializers.CharField()
    established = serializers.DateField(allow_null=True)
    region = serializers.CharField(help_text=_("GB/T 2260 code of the registered division."))
    match = serializers.ChoiceField(
        choices=["identifier", "exact", "prefix", "match", "in_order", "unordered"],
        help_text=_(
            "Why it was found, in rank order: an identifier, the exact name, a name starting with the "
            "query, every term contiguous, the characters in the order typed, every term in another order."
        ),
    )


class EnterpriseSearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        allow_null=True,
        help_text=_("Results found; past the count cap, the cap plus one (see count_display)."),
    )
    count_display = serializers.CharField(
        allow_null=True, help_text=_("The count as shown: 1000+ past the cap.")
    )
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    notice = serializers.CharField(
        required=False,
        help_text=_(
            "Present when nothing was found for a reason worth knowing: an identifier whose check "
            "character is wrong, or a partial ID number."
        ),
    )
    results = EnterpriseSearchResultSerializer(many=True)


def _whole_number(request, name: str, default: int, most: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= most:
        raise ValidationError({name: [_("Must be a whole number from 1 to %(max)d.") % {"max": most}]})
    return int(raw)


class EnterpriseSearchView(APIView):
    """Enterprises by name (forgiving: terms in any order, characters in order), former name, USCC,
    organisation code or registration number, in rank order; the search of the public page."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                required=True,
                description=_(
                    "At least two letters or digits of a name (spaces separate terms: 天津 水博), "
                    "or a USCC, organisation code or registration number."
                ),
                type=NAME_QUERY,
            ),
            OpenApiParameter(
                "province", DIVISION_CODE, description=_("Six-digit division code of a province.")
            ),
            OpenApiParameter("status", str, enum=Enterprise.Status.values),
            OpenApiParameter("industry", str, enum=Enterprise.Industry.values),
            OpenApiParameter("page", integer_range(1, MAX_PAGE)),
            OpenApiParameter(
                "page_size", integer_range(1, MAX_PAGE_SIZE), description=_("1 to 50; 20 by default.")
            ),
        ],
        responses=EnterpriseSearchPageSerializer,
    )
    def get(self, request):
        params = request.query_params
        status = params.get("status") or None
        if status is not None and status not in Enterprise.Status.values:
            raise ValidationError({"status": [_("Unknown status '%(status)s'.") % {"status": status}]})
        industry = params.get("industry") or None
        if industry is not None and industry not in Enterprise.Industry.values:
            message = _("Unknown industry '%(industry)s'.") % {"industry": industry}
            raise ValidationError({"industry": [message]})
        province = params.get("province") or None
        if province is not None and not (len(province) == 6 and province.isdigit()):
            raise ValidationError({"province": [_("A province is given by its six-digit division code.")]})
        try:
            page = enterprise_search(
                q=params.get("q", ""),
                province=province,
                status=status,
                industry=industry,
                page=_whole_number(request, "page", 1, MAX_PAGE),
                page_size=_whole_number(request, "page_size", 20, MAX_PAGE_SIZE),
            )
        except SearchQueryError as exc:
            if (empty := nothing_found_page(exc)) is not None:
                return Response(empty)
            raise ValidationError({"q": exc.messages}) from exc

        def link(number: int) -> str:
            query = params.copy()
            query["page"] = str(number)
            return f"{request.build_absolute_uri(request.path)}?{query.urlencode()}"

        # The rows come from the search documents alone (no join to the register), as on the page.
        return Response(
            {
                "count": page.total_estimate,
                "count_display": page.total_display,
                "next": link(page.page + 1) if page.has_next else None,
                "previous": link(page.page - 1) if page.has_previous else None,
                "results": [
                    {
                        "uscc": hit.extra.get("uscc", ""),
                        "name": hit.name,
                        "status": hit.extra.get("status", ""),
                        "legal_representative": hit.extra.get("legal_representative", ""),
                        "established": hit.published_on.isoformat() if hit.published_on else None,
                        "region": hit.extra.get("region", ""),
                        "match": hit.match,
                    }
                    for hit in page.results
                ],
            }
        )
