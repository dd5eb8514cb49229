"""Public representations of lists and entries. A full resident ID number never appears: persons
are identified only by the masked form the court publishes."""

from django.utils import timezone
from rest_framework import serializers

from blacklists.models import CourtDefaulterDetail, ListEntry, ListType
from registry.api.serializers import AgencyBriefSerializer, RegionBriefSerializer


class ListTypeSerializer(serializers.ModelSerializer):
    owner = AgencyBriefSerializer(read_only=True)
    region = RegionBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ListType
        fields = [
            "code",
            "name_zh",
            "name_en",
            "kind",
            "owner",
            "holds_persons",
            "holds_enterprises",
            "holds_government_bodies",
            "legal_basis",
            "scope",
            "region",
            "default_severity",
            "min_period_days",
            "max_period_days",
            "default_period_days",
            "permanent_allowed",
        ]


class ListEntrySerializer(serializers.ModelSerializer):
    list = serializers.CharField(source="list_type.code", read_only=True)
    name = serializers.CharField(source="subject_name", read_only=True)
    subject_kind = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField(help_text="Masked resident ID number, or the USCC.")
    case_number = serializers.CharField(source="decision_number", read_only=True)
    issuing_agency = AgencyBriefSerializer(read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = ListEntry
        fields = [
            "id",
            "list",
            "name",
            "subject_kind",
            "id_number",
            "case_number",
            "issuing_agency",
            "decision_date",
            "legal_basis",
            "circumstance",
            "severity",
            "starts_on",
            "planned_end",
            "permanent",
            "published_on",
            "status",
        ]

    def get_subject_kind(self, entry) -> str:
        return "person" if entry.person_id else "organisation"

    def get_id_number(self, entry) -> str:
        return entry.public_identifier

    def get_status(self, entry) -> str:
        return entry.effective_status()


class CourtCaseSerializer(ListEntrySerializer):
    """The court site's fields for a defaulter or consumption-restriction case."""

    court = serializers.CharField(source="issuing_agency.name_zh", read_only=True)
    province = serializers.SerializerMethodField()
    publish_date = serializers.DateField(source="published_on", read_only=True)
    details = serializers.SerializerMethodField()

    class Meta(ListEntrySerializer.Meta):
        fields = [*ListEntrySerializer.Meta.fields, "court", "province", "publish_date", "details"]

    def get_province(self, entry) -> dict | None:
        detail = entry.court_case
        if detail is None:
            return None
        province = detail.province  # built by hand: a serializer per row costs more than the search
        return {
            "code": province.code,
            "name_zh": province.name_zh,
            "name_en": province.name_en,
            "level": province.level,
        }

    def get_details(self, entry) -> dict:
        detail = entry.court_case
        if detail is None:
            return {}
        data = {
            "sex": detail.sex,
            "age": detail.age,
            "legal_representative": detail.legal_representative,
            "filing_date": detail.filing_date,
            "basis_document_number": detail.basis_document_number,
            "basis_unit": detail.basis_unit,
        }
        if hasattr(detail, "performance"):
            data.update(
                obligation=detail.obligation,
                performance=detail.performance,
                performance_display=detail.get_performance_display(),
                performed_part=detail.performed_part,
                unperformed_part=detail.unperformed_part,
                circumstance=detail.circumstance,
                circumstance_display=detail.get_circumstance_display(),
            )
        else:
            data.update(order_text=detail.order_text, restricted_person_name=detail.restricted_person_name)
        return data


def court_cases_data(entries, *, on=None) -> list[dict]:
    """What ``CourtCaseSerializer(entries, many=True).data`` renders, built in plain Python.

    The defaulter search returns a page on every request; the nested serializers cost more than
    the search itself (fields rebuilt per instance, a method call per field). Same keys, order and
    values: tests compare the two for persons and organisations on both court lists."""
    on = on or timezone.localdate()
    results = []
    for entry in entries:
        agency = entry.issuing_agency
        detail = entry.court_case
        results.append(
            {
                "id": entry.pk,
                "list": entry.list_type.code,
                "name": entry.subject_name,
                "subject_kind": "person" if entry.person_id else "organisation",
                "id_number": entry.public_identifier,
                "case_number": entry.decision_number,
                "issuing_agency": {
                    "id": agency.pk,
                    "name_zh": agency.name_zh,
                    "name_en": agency.name_en,
                    "level": agency.level,
                    "kind": agency.kind,
                },
                "decision_date": _iso(entry.decision_date),
                "legal_basis": entry.legal_basis,
                "circumstance": entry.circumstance,
                "severity": entry.severity,
                "starts_on": _iso(entry.starts_on),
                "planned_end": _iso(entry.planned_end),
                "permanent": entry.permanent,
                "published_on": _iso(entry.published_on),
                "status": entry.effective_status(on),
                "court": agency.name_zh,
                "province": _province(detail),
                "publish_date": _iso(entry.published_on),
                "details": _details(detail),
            }
        )
    return results


# Choice labels stay lazy, so str() translates them into the language of the request, as
# get_FOO_display() does; it rebuilds the choices dictionary on every call.
_LABELS = {
    name: dict(CourtDefaulterDetail._meta.get_field(name).flatchoices)
    for name in ("performance", "circumstance")
}


def _label(field: str, value: str) -> str:
    return str(_LABELS[field].get(value, value))


def _iso(day) -> str | None:
    return None if day is None else day.isoformat()


def _province(detail) -> dict | None:
    if detail is None:
        return None
    province = detail.province
    return {
        "code": province.code,
        "name_zh": province.name_zh,
        "name_en": province.name_en,
        "level": province.level,
    }


def _details(detail) -> dict:
    if detail is None:
        return {}
    data = {
        "sex": detail.sex,
        "age": detail.age,
        "legal_representative": detail.legal_representative,
        "filing_date": _iso(detail.filing_date),
        "basis_document_number": detail.basis_document_number,
        "basis_unit": detail.basis_unit,
    }
    if isinstance(detail, CourtDefaulterDetail):
        data.update(
            obligation=detail.obligation,
            performance=detail.performance,
            performance_display=_label("performance", detail.performance),
            performed_part=detail.performed_part,
            unperformed_part=detail.unperformed_part,
            circumstance=detail.circumstance,
            circumstance_display=_label("circumstance", detail.circumstance),
        )
    else:
        data.update(order_text=detail.order_text, restricted_person_name=detail.restricted_person_name)
    return data
