"""Instant disclosures: published by the companies themselves, so agencies only read them here."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from filings.models import InstantDisclosure, InstantDisclosureVersion
from filings.models.disclosures import details_display
from registry.admin.base import ServiceModelAdmin

FIELDS = (
    "enterprise",
    "kind",
    "occurred_on",
    "due_on",
    "published_on",
    "published_at",
    "late",
    "details_list",
    "version",
    "corrected_at",
)


class VersionInline(admin.TabularInline):
    model = InstantDisclosureVersion
    extra = 0
    can_delete = False
    fields = ("version", "occurred_on", "due_on", "details", "published_at", "replaced_at", "reason")
    readonly_fields = fields
    verbose_name_plural = _("earlier versions")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LateFilter(admin.SimpleListFilter):
    title = _("published in time")
    parameter_name = "late"

    def lookups(self, request, model_admin):
        return [("no", _("on time")), ("yes", _("late"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(late=self.value() == "yes")
        return queryset


@admin.register(InstantDisclosure)
class InstantDisclosureAdmin(ServiceModelAdmin):
    """Read only: a company publishes and corrects its own disclosures in self-service."""

    list_display = ("enterprise", "kind", "occurred_on", "due_on", "published_on", "late", "version")
    list_select_related = ("enterprise",)
    list_filter = (LateFilter, "kind", "published_on")
    list_per_page = 50
    date_hierarchy = "occurred_on"
    search_fields = ("enterprise__uscc__exact",)
    search_help_text = _("The enterprise's full USCC.")
    fields = FIELDS
    readonly_fields = FIELDS
    inlines = [VersionInline]

    @admin.display(description=_("details"))
    def details_list(self, obj):
        return format_html_join("", "<div>{}: {}</div>", details_display(obj.kind, obj.details))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
