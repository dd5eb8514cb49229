from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.classification import Audience
from core.identifiers import uscc_has_valid_shape
from registry.api.filters import EnterpriseFilter
from registry.api.serializers import EnterpriseListSerializer, EnterpriseSerializer
from registry.models import Enterprise
from registry.selectors import enterprise_profile
from registry.services import uscc_error


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
                str,
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
    """Enterprises in code order, filtered by region, status, type, industry or name prefix."""

    serializer_class = EnterpriseListSerializer
    filterset_class = EnterpriseFilter
    queryset = Enterprise.objects.select_related("region__parent__parent").order_by("uscc")
