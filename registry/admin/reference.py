"""Reference data: administrative divisions and agencies."""

from __future__ import annotations

from django.contrib import admin

from registry.admin.base import ProvinceFilter, ServiceModelAdmin
from registry.models import Agency, AgencyMembership, Region, SearchDocument


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


@admin.register(AgencyMembership)
class AgencyMembershipAdmin(ServiceModelAdmin):
    """Which agency a clerk works for: it limits what they may maintain (superusers only)."""

    list_display = ("user", "agency", "since")
    list_select_related = ("user", "agency")
    search_fields = ("user__username", "agency__name_zh")
    autocomplete_fields = ("agency",)
    raw_id_fields = ("user",)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    """Derived data, rebuilt by the services and `rebuild_search_index`: read-only here."""

    list_display = ("name", "kind", "object_id", "province", "published_on")
    list_filter = ("kind",)
    search_fields = ("name_normalised__startswith",)
    fields = ("kind", "object_id", "name", "name_normalised", "province", "published_on", "extra")
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
