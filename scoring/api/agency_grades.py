"""``GET /api/v1/agency-grades/`` and ``/api/v1/agency-grade-schemes/``: grades agencies published.

Grades are public. By default the grades in force today (one per enterprise and scheme, as on the
profile); ``history=true`` lists every year's grade.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError

from core.api.schema import USCC, integer_range
from core.identifiers import uscc_has_valid_shape
from registry.api.serializers import AgencyBriefSerializer
from registry.models import Enterprise
from scoring.models import AgencyGrade, AgencyGradeLevel, AgencyGradeScheme
from scoring.selectors.agency_grades import agency_grade_queryset, agency_grade_schemes, agency_grades_current

TRUE, FALSE = {"1", "true", "yes"}, {"", "0", "false", "no"}


class AgencyGradeLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgencyGradeLevel
        fields = ["code", "rank", "name_zh", "name_en", "meaning"]


class AgencyGradeSchemeSerializer(serializers.ModelSerializer):
    issuing_agency = AgencyBriefSerializer(read_only=True)
    grades = AgencyGradeLevelSerializer(source="levels", many=True, read_only=True)

    class Meta:
        model = AgencyGradeScheme
        fields = ["code", "name_zh", "name_en", "issuing_agency", "legal_basis", "grades"]


class SchemeBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgencyGradeScheme
        fields = ["code", "name_zh", "name_en"]


class AgencyGradeSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    name = serializers.CharField(source="enterprise.name", read_only=True)
    scheme = SchemeBriefSerializer(read_only=True)
    grade = AgencyGradeLevelSerializer(source="level", read_only=True)
    issuing_agency = AgencyBriefSerializer(read_only=True)
    in_force = serializers.SerializerMethodField(help_text="Whether the grade holds today.")

    class Meta:
        model = AgencyGrade
        fields = [
            "uscc",
            "name",
            "scheme",
            "grade",
            "year",
            "valid_from",
            "valid_until",
            "decision_number",
            "issuing_agency",
            "in_force",
        ]

    def get_in_force(self, grade: AgencyGrade) -> bool:
        return grade.in_force(self.context["today"])


class AgencyGradeSchemeListView(generics.ListAPIView):
    """Every grading scheme: who issues it and its grades, best first, with what each means."""

    serializer_class = AgencyGradeSchemeSerializer
    pagination_class = None
    queryset = agency_grade_schemes()


SCHEME_CODE = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]{0,63}$"}


class AgencyGradeListView(generics.ListAPIView):
    """Grades agencies gave enterprises (tax credit, Customs credit, ...): those in force by default."""

    serializer_class = AgencyGradeSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("uscc", USCC, description="USCC of an enterprise."),
            OpenApiParameter(
                "scheme",
                SCHEME_CODE,
                description="A scheme's code (see agency-grade-schemes); 404 for an unknown code.",
            ),
            OpenApiParameter("year", integer_range(1000, 9999), description="The year graded."),
            OpenApiParameter(
                "history", bool, description="true: every year's grade, not only those in force today."
            ),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_queryset(self):
        params = self.request.query_params
        history = (params.get("history") or "").strip().lower()
        if history not in TRUE | FALSE:
            raise ValidationError({"history": [_("Use true or false.")]})
        uscc = (params.get("uscc") or "").strip().upper()
        if uscc and not uscc_has_valid_shape(uscc):
            raise ValidationError({"uscc": [_("A USCC is 18 characters: digits and capital letters.")]})
        code = (params.get("scheme") or "").strip()
        if code and not AgencyGradeScheme.objects.filter(code=code).exists():
            raise NotFound(_("No grading scheme has the code '%(code)s'.") % {"code": code})
        year = (params.get("year") or "").strip()
        if year and not (year.isdigit() and len(year) == 4):
            raise ValidationError({"year": [_("Must be a year of four digits.")]})
        if history in TRUE:
            queryset = agency_grade_queryset()
        else:
            # The filters go inside the choice of current grades, so it reads only their rows.
            queryset = agency_grades_current(
                enterprise_ids=Enterprise.objects.filter(uscc=uscc).values("pk") if uscc else None,
                schemes=[code] if code else None,
            )
        if uscc:
            queryset = queryset.filter(enterprise__uscc=uscc)
        if code:
            queryset = queryset.filter(scheme__code=code)
        if year:
            queryset = queryset.filter(year=int(year))
        return queryset.order_by("enterprise__uscc", "scheme__code", "-year", "id")
