import django_filters
from django.utils.translation import gettext_lazy as _

from registry.models import Enterprise


class EnterpriseFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(
        method="filter_region",
        help_text=_(
            "GB/T 2260 code; a province code (ending 0000) matches all its prefectures and counties, "
            "a prefecture code (ending 00) all its counties."
        ),
    )
    name = django_filters.CharFilter(field_name="name", lookup_expr="startswith", help_text=_("Name prefix."))
    established_from = django_filters.DateFilter(field_name="established", lookup_expr="gte")
    established_to = django_filters.DateFilter(field_name="established", lookup_expr="lte")

    class Meta:
        model = Enterprise
        fields = ["status", "entity_type", "industry", "uscc_legacy"]

    def filter_region(self, queryset, name, value):
        if value.endswith("0000"):
            # A range on the key keeps the index usable (GB/T 2260 codes nest by prefix).
            return queryset.filter(region_id__gte=value[:2] + "0000", region_id__lte=value[:2] + "9999")
        if value.endswith("00"):
            return queryset.filter(region_id__gte=value[:4] + "00", region_id__lte=value[:4] + "99")
        return queryset.filter(region_id=value)
