from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from blacklists.api.serializers import (
    CourtCaseSerializer,
    ListEntrySerializer,
    ListTypeSerializer,
    court_cases_data,
)
from blacklists.selectors import COURT_LIST_CODES, entry_search, list_types_public, public_entry_queryset
from core.api.schema import DIVISION_CODE, NAME_QUERY, integer_range
from core.identifiers import is_valid_resident_id, is_valid_uscc, uscc_has_valid_shape
from core.keyset_pagination import KeysetPagination
from registry.services import person_find_by_id_number
from search.query import MAX_PAGE, MAX_PAGE_SIZE, SearchQueryError, nothing_found_page

LIST_CODE = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]{0,63}$"}
SUBJECT = {"type": "string", "pattern": r"^[0-9A-Za-z]{18}$"}


def _int_param(request, name: str, default: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit():
        raise ValidationError({name: [_("Must be a whole number.")]})
    return int(raw)


class CourtCasePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(allow_null=True)
    count_display = serializers.CharField(allow_null=True)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    notice = serializers.CharField(
        required=False, help_text="Why nothing was found: a wrong check character, a partial ID number."
    )
    results = CourtCaseSerializer(many=True)


class DefaulterSearchView(APIView):
    """Search the court's lists (in force only) by name, ID number, USCC or case number."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                description=(
                    "Name (2+ characters), full ID number, masked ID number as published "
                    "(3418001998****2800, alone or with a name), USCC or case number. Without "
                    "q, province or court: the newest cases nationwide."
                ),
                type=NAME_QUERY,
            ),
            OpenApiParameter("province", DIVISION_CODE, description="Six-digit division code."),
            OpenApiParameter("court", integer_range(1), description="Agency id of the enforcing court."),
            OpenApiParameter(
                "list",
                str,
                enum=[*COURT_LIST_CODES, "all"],
                description="court-defaulters (default), consumption-restriction or all.",
            ),
            OpenApiParameter("page", integer_range(1, MAX_PAGE)),
            OpenApiParameter("page_size", integer_range(1, MAX_PAGE_SIZE)),
        ],
        responses=CourtCasePageSerializer,
    )
    def get(self, request):
        requested = request.query_params.get("list", "court-defaulters")
        if requested == "all":
            codes = COURT_LIST_CODES
        elif requested in COURT_LIST_CODES:
            codes = (requested,)
        else:
            raise ValidationError({"list": [_("Use court-defaulters, consumption-restriction or all.")]})
        try:
            page = entry_search(
                q=request.query_params.get("q", ""),
                list_codes=codes,
                province=request.query_params.get("province") or None,
                court_id=_int_param(request, "court"),
                page=_int_param(request, "page", 1),
                page_size=_int_param(request, "page_size", 20),
                browse_nationwide=True,
            )
        except (SearchQueryError, DjangoValidationError) as exc:
            if (empty := nothing_found_page(exc)) is not None:
                return Response(empty)
            raise ValidationError({"q": exc.messages}) from exc

        def link(number: int) -> str:  # only for a page that has neighbours (not an ID lookup)
            query = request.query_params.copy()
            query["page"] = str(number)
            return f"{request.build_absolute_uri(request.path)}?{query.urlencode()}"

        return Response(
            {
                "count": page.total,
                "count_display": page.total_display,
                "next": link(page.page + 1) if page.has_next else None,
                "previous": link(page.page - 1) if page.has_previous else None,
                # CourtCaseSerializer's output (the schema above), built without a serializer per row.
                "results": court_cases_data(page.entries),
            }
        )


class ListTypeListView(generics.ListAPIView):
    """Every list (blacklists, redlists, watch lists) with its owner and rules."""

    serializer_class = ListTypeSerializer
    queryset = list_types_public()


class ListEntryListView(generics.ListAPIView):
    """Entries in force, newest first, filtered by list code and subject (USCC of an enterprise).

    Pages by cursor (follow ``next``)."""

    pagination_class = KeysetPagination
    keyset_ordering = ("-published_on", "-id")
    serializer_class = ListEntrySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "list", LIST_CODE, description="List code; an unknown code is answered with 404."
            ),
            OpenApiParameter(
                "subject",
                SUBJECT,
                description="USCC of an enterprise, or a full resident ID number (invalid: no match).",
            ),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        queryset = public_entry_queryset().in_force().order_by("-published_on", "-id")
        code = self.request.query_params.get("list")
        if code:
            if not list_types_public().filter(code=code).exists():
                raise NotFound(_("No public list has the code '%(code)s'.") % {"code": code})
            queryset = queryset.filter(list_type__code=code)
        subject = (self.request.query_params.get("subject") or "").strip().upper()
        if subject:
            # Eighteen digits may have the shape of both codes: a valid resident ID number that is
            # not also a valid USCC is a person's.
            if uscc_has_valid_shape(subject) and not (
                is_valid_resident_id(subject) and not is_valid_uscc(subject)
            ):
                queryset = queryset.filter(enterprise__uscc=subject)
            else:
                try:
                    person = person_find_by_id_number(id_number=subject)
                except DjangoValidationError:
                    # Eighteen characters that are no valid USCC nor ID number name nobody.
                    person = None
                queryset = queryset.filter(person=person) if person else queryset.none()
        return queryset
