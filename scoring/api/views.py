"""The evaluations and the alert list over the API (in the OpenAPI schema).

- ``GET /api/v1/evaluations/``: every current evaluation, for clients with the ``evaluations``
  scope (401 without a token, 403 without the scope);
- ``GET /api/v1/evaluations/<uscc>/``: one enterprise's current evaluation with its explanation
  and history, as ``scoring.selectors.visibility`` allows: anyone sees a published rule set's,
  the enterprise's own users and scoped clients every one;
- ``GET /api/v1/alerts/``: the alert list, public.

Credit-risk classes are never served here.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from blacklists.api.auth import BearerTokenAuthentication, HasScope
from blacklists.models import ApiScope
from core.keyset_pagination import KeysetPagination
from scoring.api.serializers import (
    AlertListEntrySerializer,
    EvaluationDetailSerializer,
    EvaluationSerializer,
)
from scoring.models import Evaluation, Grade
from scoring.selectors import alert_areas_named, alert_list, evaluation_explanation, evaluations_visible_to


class EvaluationsScope(HasScope):
    scope = ApiScope.EVALUATIONS
    message = _("This client does not have the 'evaluations' scope.")


class EvaluationListView(generics.ListAPIView):
    """Every enterprise's current evaluation (scoped clients only), paged by cursor."""

    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [EvaluationsScope]
    pagination_class = KeysetPagination
    keyset_ordering = ("id",)
    serializer_class = EvaluationSerializer

    @extend_schema(
        parameters=[OpenApiParameter("grade", str, enum=Grade.values, description="A, B, C or D.")]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        queryset = (
            Evaluation.objects.filter(is_current=True).select_related("enterprise", "rule_set").order_by("id")
        )
        grade = self.request.query_params.get("grade")
        if grade:
            if grade not in Grade.values:
                raise ValidationError({"grade": [_("Use A, B, C or D.")]})
            queryset = queryset.filter(grade=grade)
        return queryset


class EvaluationDetailView(APIView):
    """One enterprise's current evaluation, its explanation and its history, as far as the caller may see."""

    authentication_classes = [BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(responses=EvaluationDetailSerializer)
    def get(self, request, uscc: str):
        code = uscc.strip().upper()
        viewer = request.auth if request.auth is not None else request.user
        visible = evaluations_visible_to(
            viewer, Evaluation.objects.filter(enterprise__uscc=code).select_related("enterprise", "rule_set")
        ).order_by("-evaluated_at", "-id")
        history = list(visible[:20])
        current = next((evaluation for evaluation in history if evaluation.is_current), None)
        if current is None:
            raise Http404(_("No evaluation of an enterprise with this code is visible to you."))
        current.explanation = evaluation_explanation(evaluation=current)
        current.history = history
        return Response(EvaluationDetailSerializer(current).data)


class AlertListView(generics.ListAPIView):
    """The enterprises on the alert list, with the areas of their adverse records (public)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = AlertListEntrySerializer

    def get_queryset(self):
        return alert_list()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return [entry for entry, _areas in self._named(page)]

    def _named(self, entries):
        named = alert_areas_named(list(entries))
        for entry, areas in named:
            entry.area_names = areas
        return named
