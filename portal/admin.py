from django.contrib import admin

from portal.models import CreditReport


@admin.register(CreditReport)
class CreditReportAdmin(admin.ModelAdmin):
    """Issued reports, read-only: they are made by the public download and never edited."""

    list_display = ["number", "name", "uscc", "created_at", "language", "size_bytes"]
    list_filter = ["language", "created_at"]
    search_fields = ["number", "uscc", "name"]
    date_hierarchy = "created_at"
    list_select_related = ["enterprise"]
    readonly_fields = [
        "number",
        "enterprise",
        "uscc",
        "name",
        "created_at",
        "language",
        "sha256",
        "size_bytes",
    ]
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
