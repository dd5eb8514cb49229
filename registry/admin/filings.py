"""Annual report filings (view only)."""

from __future__ import annotations

from django.contrib import admin

from registry.models import AnnualReportFiling, AnnualReportFilingVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionInline(admin.TabularInline):
    model = AnnualReportFilingVersion
    fields = ("number", "kind", "created_at", "created_by", "late", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AnnualReportFiling)
class AnnualReportFilingAdmin(ReadOnlyAdmin):
    """Filed by the company in self-service; the public report is the AnnualReport record."""

    list_display = ("enterprise", "year", "status", "late", "submitted_at")
    list_select_related = ("enterprise",)
    list_filter = ("status", "late", "year")
    search_fields = ("enterprise__uscc__exact",)
    inlines = [VersionInline]
