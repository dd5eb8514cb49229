"""Annual report filings, view only: the company files them in self-service."""

from __future__ import annotations

from django.contrib import admin

from filings.models import AnnualReportFiling, AnnualReportFilingVersion
from registry.admin.base import ReadOnlyAdmin


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
