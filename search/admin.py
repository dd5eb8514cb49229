"""The search index in admin: derived data, read-only."""

from __future__ import annotations

from django.contrib import admin

from search.models import SearchDocument


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
