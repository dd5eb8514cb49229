"""Serializers that honour the data classification declared on each model."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.classification import Audience, field_classification, may_see
from registry.models import (
    AbnormalOperationListing,
    AdministrativeLicence,
    AdministrativePenalty,
    Agency,
    AnnualReport,
    Award,
    Branch,
    ChangeRecord,
    ContributionRecord,
    Enterprise,
    InspectionRecord,
    KeyPersonnel,
    Region,
    Shareholder,
    TaxRecord,
    UtilityArrear,
)
from registry.selectors import PROFILE_SECTIONS, visible_sections


class ClassifiedSerializer(serializers.ModelSerializer):
    """Drops every model field the audience in ``context["audience"]`` may not see."""

    def get_fields(self):
        fields = super().get_fields()
        audience = self.context.get("audience", Audience.PUBLIC)
        model = self.Meta.model
        model_fields = {field.name for field in model._meta.concrete_fields}
        return {
            name: field
            for name, field in fields.items()
            if (field.source or name) not in model_fields
            or may_see(audience, field_classification(model, field.source or name))
        }


class AgencyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name_zh", "name_en", "level", "kind"]


class RegionNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name_zh", "name_en"]


class RegionBriefSerializer(serializers.ModelSerializer):
    """A division with the prefecture and province it belongs to (itself at its own level), so a
    county rolls up; ``valid_until_year`` is set for a code no longer in use."""

    prefecture = serializers.SerializerMethodField()
    province = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = ["code", "name_zh", "name_en", "level", "valid_until_year", "prefecture", "province"]

    @extend_schema_field(RegionNameSerializer(allow_null=True))
    def get_prefecture(self, obj: Region) -> dict | None:
        region = obj.at_level(Region.Level.PREFECTURE)
        return RegionNameSerializer(region).data if region is not None else None

    @extend_schema_field(RegionNameSerializer(allow_null=True))
    def get_province(self, obj: Region) -> dict | None:
        region = obj.at_level(Region.Level.PROVINCE)
        return RegionNameSerializer(region).data if region is not None else None


def record_serializer(
    model_class, field_names: list[str], agency_fields: tuple[str, ...] = (), nullable: tuple[str, ...] = ()
):
    """A classified serializer for one record type, with agencies nested briefly.

    ``nullable`` names fields that may be null in a response although the column is not (an
    annual report's values the company withheld), so the published schema says so.
    """
    attrs = {
        name: AgencyBriefSerializer(read_only=True, allow_null=model_class._meta.get_field(name).null)
        for name in ("source_agency", *agency_fields)
    }
    meta = type(
        "Meta",
        (),
        {
            "model": model_class,
            "fields": ["id", *field_names, "source_agency", *agency_fields],
            "extra_kwargs": {name: {"allow_null": True} for name in nullable},
        },
    )
    return type(f"{model_class.__name__}Serializer", (ClassifiedSerializer,), {"Meta": meta, **attrs})


ShareholderSerializer = record_serializer(
    Shareholder,
    [
        "kind",
        "name",
        "person",
        "subscribed_capital",
        "subscribed_date",
        "subscribed_method",
        "paid_in_capital",
        "paid_in_date",
        "paid_in_method",
    ],
)
KeyPersonnelSerializer = record_serializer(
    KeyPersonnel, ["name", "person", "role", "appointed_on", "left_on"]
)
ChangeRecordSerializer = record_serializer(ChangeRecord, ["item", "before", "after", "changed_on"])
LicenceSerializer = record_serializer(
    AdministrativeLicence,
    [
        "licence_number",
        "name",
        "content",
        "valid_from",
        "valid_to",
        "status",
    ],
    ("issuing_agency",),
)
PenaltySerializer = record_serializer(
    AdministrativePenalty,
    [
        "decision_number",
        "violation",
        "content",
        "legal_basis",
        "fine_amount",
        "confiscated_amount",
        "decided_on",
        "publication_ends_on",
    ],
    ("deciding_agency",),
)
AbnormalListingSerializer = record_serializer(
    AbnormalOperationListing,
    [
        "reason",
        "listed_on",
        "decision_number",
        "removed_on",
        "removal_reason",
    ],
    ("listing_agency", "removal_agency"),
)
InspectionSerializer = record_serializer(
    InspectionRecord,
    [
        "kind",
        "inspected_on",
        "result",
        "detail",
    ],
    ("inspecting_agency",),
)
AwardSerializer = record_serializer(Award, ["title", "awarded_on", "valid_to"], ("awarding_agency",))
TaxRecordSerializer = record_serializer(
    TaxRecord,
    [
        "tax_type",
        "period_start",
        "period_end",
        "tax_rate",
        "amount_paid",
        "amount_owed",
        "credit_grade",
    ],
)
ContributionSerializer = record_serializer(
    ContributionRecord,
    [
        "scheme",
        "year",
        "month",
        "insured_count",
        "amount_due",
        "amount_paid",
    ],
)
UtilityArrearSerializer = record_serializer(
    UtilityArrear,
    [
        "utility",
        "supplier",
        "amount",
        "overdue_since",
        "settled_on",
    ],
)


class BranchSerializer(
    record_serializer(Branch, ["name", "uscc", "established"], ("registration_authority",))
):
    region = RegionBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Branch
        fields = ["id", "name", "uscc", "region", "established", "source_agency", "registration_authority"]


class AnnualReportSerializer(
    record_serializer(
        AnnualReport,
        [
            "year",
            "submitted_at",
            "operating_status",
            "contact_phone",
            "email",
            "postal_address",
            "employees",
            "total_assets",
            "total_liabilities",
            "owners_equity",
            "revenue",
            "main_business_revenue",
            "profit",
            "net_profit",
            "tax_paid",
            "unpublished_fields",
        ],
        nullable=AnnualReport.WITHHOLDABLE,
    )
):
    """Values the company chose not to publish are withheld (null) for non-government audiences."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if self.context.get("audience", Audience.PUBLIC) < Audience.GOVERNMENT:
            for name in instance.unpublished_fields:
                if name in data:
                    data[name] = None
        return data


SECTION_SERIALIZERS = {
    "shareholders": ShareholderSerializer,
    "key_personnel": KeyPersonnelSerializer,
    "branches": BranchSerializer,
    "change_records": ChangeRecordSerializer,
    "annual_reports": AnnualReportSerializer,
    "licences": LicenceSerializer,
    "penalties": PenaltySerializer,
    "abnormal_listings": AbnormalListingSerializer,
    "inspections": InspectionSerializer,
    "awards": AwardSerializer,
    "tax_records": TaxRecordSerializer,
    "contribution_records": ContributionSerializer,
    "utility_arrears": UtilityArrearSerializer,
}
assert set(SECTION_SERIALIZERS) == {name for name, _model, _joins in PROFILE_SECTIONS}


class EnterpriseSerializer(ClassifiedSerializer):
    region = RegionBriefSerializer(read_only=True)
    registration_authority = AgencyBriefSerializer(read_only=True, allow_null=True)
    legal_representative_person = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "uscc_legacy",
            "registration_number",
            "name",
            "former_names",
            "entity_type",
            "legal_representative",
            "legal_representative_person",
            "registered_capital",
            "capital_currency",
            "established",
            "operating_from",
            "operating_to",
            "approved_on",
            "registration_authority",
            "status",
            "address",
            "business_scope",
            "region",
            "industry",
            *SECTION_SERIALIZERS,
        ]

    def get_legal_representative_person(self, obj) -> str | None:
        # Only the masked form ever leaves the server, and only to authorised audiences.
        person = obj.legal_representative_person
        if person is None or self.context.get("audience", Audience.PUBLIC) < Audience.AUTHORISED:
            return None
        return person.id_masked

    def get_fields(self):
        fields = super().get_fields()
        audience = self.context.get("audience", Audience.PUBLIC)
        visible = {name for name, _model, _joins in visible_sections(audience)}
        for name, serializer_class in SECTION_SERIALIZERS.items():
            if name in visible:
                fields[name] = serializer_class(many=True, read_only=True, context=self.context)
            else:
                fields.pop(name, None)
        return fields


class EnterpriseListSerializer(serializers.ModelSerializer):
    region = RegionBriefSerializer(read_only=True)

    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "uscc_legacy",
            "name",
            "entity_type",
            "legal_representative",
            "status",
            "established",
            "region",
            "industry",
        ]
