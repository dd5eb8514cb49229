from rest_framework import serializers

from scoring.indicators import indicator_get
from scoring.models import AlertListEntry, Evaluation, EvaluationContribution


class EvaluationSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="enterprise.uscc")
    enterprise_name = serializers.CharField(source="enterprise.name")
    rule_set = serializers.CharField(source="rule_set.code")
    rule_set_version = serializers.IntegerField(source="rule_set.version")
    published = serializers.BooleanField(source="rule_set.published")

    class Meta:
        model = Evaluation
        fields = (
            "uscc",
            "enterprise_name",
            "grade",
            "score",
            "as_of",
            "evaluated_at",
            "rule_set",
            "rule_set_version",
            "published",
            "cause",
        )


class ContributionSerializer(serializers.ModelSerializer):
    record = serializers.SerializerMethodField()
    agency = serializers.SerializerMethodField()

    class Meta:
        model = EvaluationContribution
        fields = (
            "record",
            "tier",
            "agency",
            "document_number",
            "record_date",
            "points",
            "counts_until",
            "repairable_from",
            "remedy",
        )

    def get_record(self, item) -> str:
        indicator = indicator_get(item.indicator)
        return str(indicator.name) if indicator else ""

    def get_agency(self, item) -> dict | None:
        if item.agency is None:
            return None
        return {"id": item.agency_id, "name_zh": item.agency.name_zh, "name_en": item.agency.name_en}


class HistorySerializer(serializers.ModelSerializer):
    rule_set_version = serializers.IntegerField(source="rule_set.version")

    class Meta:
        model = Evaluation
        fields = ("grade", "score", "as_of", "evaluated_at", "rule_set_version", "cause")


class EvaluationDetailSerializer(EvaluationSerializer):
    explanation = ContributionSerializer(many=True)
    history = HistorySerializer(many=True)

    class Meta(EvaluationSerializer.Meta):
        fields = (*EvaluationSerializer.Meta.fields, "explanation", "history")


class AlertListEntrySerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="enterprise.uscc")
    enterprise_name = serializers.CharField(source="enterprise.name")
    areas = serializers.SerializerMethodField()

    class Meta:
        model = AlertListEntry
        fields = ("uscc", "enterprise_name", "listed_on", "areas")

    def get_areas(self, entry) -> list[str]:
        return getattr(entry, "area_names", [])
