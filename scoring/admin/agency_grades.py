"""Agency grades in admin: shown, never edited here. Grades arrive through the issuing agency's
import (Imports → New import → Agency grades), schemes with the shipped reference data."""

from django.contrib import admin

from registry.admin.base import ReadOnlyAdmin
from scoring.models import AgencyGrade, AgencyGradeLevel, AgencyGradeScheme


class AgencyGradeLevelInline(admin.TabularInline):
    model = AgencyGradeLevel
    fields = ("rank", "code", "name_zh", "name_en", "meaning")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AgencyGradeScheme)
class AgencyGradeSchemeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_zh", "name_en", "issuing_agency", "issuer_kind", "validity_months")
    list_select_related = ("issuing_agency",)
    inlines = [AgencyGradeLevelInline]


@admin.register(AgencyGrade)
class AgencyGradeAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "scheme", "year", "level", "valid_from", "valid_until", "issuing_agency")
    list_select_related = ("enterprise", "scheme", "level__scheme", "issuing_agency")
    list_filter = ("scheme", "year", "level__meaning")
    search_fields = ("enterprise__uscc", "enterprise__name", "decision_number")
    raw_id_fields = ("enterprise",)
    date_hierarchy = "valid_from"
