"""Reference data: administrative divisions and agencies."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry.admin.base import VIA, ProvinceFilter, ServiceModelAdmin, error_text
from registry.models import Agency, Region
from registry.services.reference import agency_confirm, agency_update


class InUseFilter(admin.SimpleListFilter):
    title = _("in use")
    parameter_name = "in_use"

    def lookups(self, request, model_admin):
        return [("yes", _("in use")), ("no", _("retired"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(valid_until_year__isnull=True)
        if self.value() == "no":
            return queryset.filter(valid_until_year__isnull=False)
        return queryset


class ConfirmationFilter(admin.SimpleListFilter):
    title = _("confirmation")
    parameter_name = "confirmation"

    def lookups(self, request, model_admin):
        return [
            ("awaiting", _("generated, awaiting confirmation")),
            ("confirmed", _("generated, confirmed by a clerk")),
            ("curated", _("entered or shipped, not generated")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.filter(generated=True, confirmed_at__isnull=True)
        if self.value() == "confirmed":
            return queryset.filter(generated=True, confirmed_at__isnull=False)
        if self.value() == "curated":
            return queryset.filter(generated=False)
        return queryset


class RegionProvinceFilter(ProvinceFilter):
    lookup = "code__startswith"


@admin.register(Region)
class RegionAdmin(ServiceModelAdmin):
    list_display = ("code", "name_zh", "name_en", "level", "parent", "valid_from_year", "valid_until_year")
    list_select_related = ("parent",)
    list_filter = ("level", InUseFilter, RegionProvinceFilter)
    search_fields = ("code__startswith", "name_zh__icontains", "name_en__icontains")
    autocomplete_fields = ("parent",)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "code"] if obj is not None else readonly


@admin.register(Agency)
class AgencyAdmin(ServiceModelAdmin):
    list_display = (
        "name_zh",
        "name_en",
        "short_code",
        "level",
        "kind",
        "region",
        "generated",
        "confirmed_at",
    )
    list_select_related = ("region",)
    list_filter = ("level", "kind", ConfirmationFilter, ProvinceFilter)
    search_fields = ("short_code__exact", "name_zh__icontains", "name_en__icontains")
    autocomplete_fields = ("region",)
    actions = ["confirm"]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "generated", "confirmed_at", "confirmed_by"]

    def service_update(self, request, form, obj, changes):
        # Correcting a generated agency confirms it (registry.services.reference.agency_update).
        return agency_update(agency=obj, actor=request.user, via=VIA, **changes)

    @admin.action(description=_("Confirm the generated name and division"), permissions=["change"])
    def confirm(self, request, queryset):
        done = 0
        for agency in queryset.filter(generated=True, confirmed_at__isnull=True):
            try:
                agency_confirm(agency=agency, actor=request.user, via=VIA)
            except ValidationError as exc:
                self.message_user(request, f"{agency}: {error_text(exc)}", messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(count)d agency confirmed.", "%(count)d agencies confirmed.", done) % {"count": done},
            messages.SUCCESS,
        )
