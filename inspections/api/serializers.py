"""Read-only shapes of the public inspection data. Names come in both languages; internal codes
(category codes, risk classes of single targets) are left out. Certificate numbers are added for
clerks only (``context["clerk"]``)."""

from __future__ import annotations

from rest_framework import serializers

from inspections.models import AnnualPlan, InspectionItem, InspectionResult, InspectionTask
from inspections.services import result_is_late
from registry.models import Agency


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "short_code", "name_zh", "name_en"]


class ItemSerializer(serializers.ModelSerializer):
    agency = AgencySerializer()

    class Meta:
        model = InspectionItem
        fields = [
            "id",
            "agency",
            "name_zh",
            "name_en",
            "kind",
            "legal_basis",
            "inspecting_body",
            "content",
            "method",
        ]


class TaskSummarySerializer(serializers.ModelSerializer):
    agency = AgencySerializer(source="plan.agency")
    plan_year = serializers.IntegerField(source="plan.year")

    class Meta:
        model = InspectionTask
        fields = [
            "id",
            "name_zh",
            "name_en",
            "agency",
            "plan_year",
            "state",
            "complete_by",
            "manifest_published_at",
            "drawn_at",
        ]


class PlanSerializer(serializers.ModelSerializer):
    agency = AgencySerializer()
    tasks = TaskSummarySerializer(many=True)

    class Meta:
        model = AnnualPlan
        fields = ["id", "agency", "year", "title_zh", "title_en", "tasks"]


class CommitmentSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    party = serializers.CharField()
    commitment = serializers.CharField(help_text="SHA-256 (hex) of the secret, published with the manifest.")
    secret = serializers.CharField(help_text="The revealed secret (hex); empty until revealed.")
    revealed_at = serializers.DateTimeField(allow_null=True)


class StratumSerializer(serializers.Serializer):
    stratum = serializers.CharField(
        help_text="Stratum number: the candidates sharing one draw ratio, numbered by increasing ratio."
    )
    ratio = serializers.CharField(help_text="Percent drawn.")
    candidates = serializers.IntegerField()
    targets = serializers.IntegerField()


class ManifestSerializer(serializers.Serializer):
    sha256 = serializers.CharField()
    algorithm = serializers.CharField()
    candidates_sha256 = serializers.CharField()
    candidate_count = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    strata = StratumSerializer(many=True)
    inspectors_per_target = serializers.IntegerField()
    max_targets_per_inspector = serializers.IntegerField()
    recusal_rules = serializers.ListField(child=serializers.CharField())
    redraw_rule = serializers.CharField()
    beacon_source = serializers.CharField()


class VerificationSerializer(serializers.Serializer):
    verified = serializers.BooleanField(source="ok")
    problems = serializers.ListField(child=serializers.CharField())


class ResultCountsSerializer(serializers.Serializer):
    targets = serializers.IntegerField()
    published = serializers.IntegerField()
    late = serializers.IntegerField(help_text="Published more than 20 working days after the inspection.")
    overdue = serializers.IntegerField(help_text="Not published although 20 working days have passed.")


class TaskDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    agency = AgencySerializer()
    joint_agencies = AgencySerializer(many=True)
    items = ItemSerializer(many=True)
    state = serializers.CharField()
    complete_by = serializers.DateField()
    manifest = ManifestSerializer()
    commitments = CommitmentSerializer(many=True)
    beacon = serializers.CharField()
    seed = serializers.CharField()
    drawn_at = serializers.DateTimeField(allow_null=True)
    verification = VerificationSerializer(allow_null=True)
    results = ResultCountsSerializer()


class InspectorSerializer(serializers.Serializer):
    name = serializers.CharField()
    department = AgencySerializer()
    certificate_number = serializers.CharField(required=False, help_text="Shown to agency clerks only.")


class ExclusionSerializer(serializers.Serializer):
    inspector = serializers.CharField(
        allow_null=True, help_text="Empty when the enterprise itself was excluded."
    )
    reason = serializers.CharField()
    reason_label = serializers.CharField()


class ResultSerializer(serializers.ModelSerializer):
    agency = AgencySerializer()
    result_zh = serializers.CharField(source="category.name_zh")
    result_en = serializers.CharField(source="category.name_en")
    late = serializers.SerializerMethodField()

    class Meta:
        model = InspectionResult
        fields = [
            "id",
            "agency",
            "result_zh",
            "result_en",
            "inspected_on",
            "publish_by",
            "published_at",
            "late",
            "detail",
        ]

    def get_late(self, result) -> bool:
        return result_is_late(result)


class TargetSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    uscc = serializers.CharField()
    name = serializers.CharField()
    replaced = serializers.BooleanField(
        help_text="Excluded by the re-draw rule: no eligible inspector remained."
    )
    inspectors = InspectorSerializer(many=True)
    exclusions = ExclusionSerializer(many=True)
    results = ResultSerializer(many=True)
    result_overdue = serializers.BooleanField()


class PublishedResultSerializer(ResultSerializer):
    uscc = serializers.CharField(source="target.enterprise.uscc")
    enterprise = serializers.CharField(source="target.enterprise.name")
    task = TaskSummarySerializer(source="target.task")

    class Meta(ResultSerializer.Meta):
        fields = ["id", "uscc", "enterprise", "task", *ResultSerializer.Meta.fields[1:]]
