"""Reference data: administrative divisions and agencies."""

from __future__ import annotations

from django.contrib import admin

from registry.admin.base import ProvinceFilter, ServiceModelAdmin
from registry.models import Agency, Region


class RegionProvinceFilter(ProvinceFilter):
    lookup = "code__startswith"


@admin.register(Region)
class RegionAdmin(ServiceModelAdmin):
    list_display = ("code", "name_zh", "name_en", "level", "parent")
    list_select_related = ("parent",)
    list_filter = ("level", RegionProvinceFilter)
    search_fields = ("code__startswith", "name_zh__icontains", "name_en__icontains")
    autocomplete_fields = ("parent",)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "code"] if obj is not None else readonly


@admin.register(Agency)
class AgencyAdmin(ServiceModelAdmin):
    list_display = ("name_zh", "name_en", "short_code", "level", "kind", "region")
    list_select_related = ("region",)
    list_filter = ("level", "kind", ProvinceFilter)
    search_fields = ("short_code__exact", "name_zh__icontains", "name_en__icontains")
    autocomplete_fields = ("region",)
