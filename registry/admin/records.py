"""One changelist per credit-file record type, for work across enterprises."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registry.admin.base import VIA, ProvinceFilter, ServiceModelAdmin
from registry.forms import AnnualReportForm
from registry.models import (
    AbnormalOperationListing,
    AdministrativeLicence,
    AdministrativePenalty,
    AnnualReport,
    Award,
    Branch,
    ChangeRecord,
    ContributionRecord,
    InspectionRecord,
    KeyPersonnel,
    Shareholder,
    TaxRecord,
    UtilityArrear,
)
from registry.services import abnormal_listing_create, abnormal_listing_remove, record_update

ENTERPRISE_SEARCH = ("enterprise__uscc__exact",)


class RecordAdmin(ServiceModelAdmin):
    list_per_page = 50
    list_select_related = ("enterprise",)
    search_fields = ENTERPRISE_SEARCH
    search_help_text = _("The enterprise's full USCC, or the words shown in the columns.")


@admin.register(Shareholder)
class ShareholderAdmin(RecordAdmin):
    list_display = ("name", "enterprise", "kind", "subscribed_capital", "paid_in_capital", "subscribed_date")
    list_filter = ("kind",)
    search_fields = (*ENTERPRISE_SEARCH, "name__exact")
    autocomplete_fields = ("enterprise", "person", "shareholder_enterprise", "source_agency")


@admin.register(Branch)
class BranchAdmin(RecordAdmin):
    list_display = ("name", "enterprise", "uscc", "region", "established")
    list_select_related = ("enterprise", "region")
    list_filter = (ProvinceFilter, "established")
    search_fields = (*ENTERPRISE_SEARCH, "uscc__exact", "name__icontains")
    autocomplete_fields = ("enterprise", "region", "registration_authority", "source_agency")


@admin.register(KeyPersonnel)
class KeyPersonnelAdmin(RecordAdmin):
    list_display = ("name", "role", "enterprise", "appointed_on", "left_on")
    list_filter = ("role", "appointed_on")
    search_fields = (*ENTERPRISE_SEARCH, "name__exact")
    autocomplete_fields = ("enterprise", "person", "source_agency")


@admin.register(ChangeRecord)
class ChangeRecordAdmin(RecordAdmin):
    list_display = ("enterprise", "item", "changed_on", "source_agency")
    list_select_related = ("enterprise", "source_agency")
    list_filter = ("changed_on",)
    date_hierarchy = "changed_on"
    search_fields = (*ENTERPRISE_SEARCH, "item__exact")
    autocomplete_fields = ("enterprise", "source_agency")


@admin.register(AnnualReport)
class AnnualReportAdmin(RecordAdmin):
    form = AnnualReportForm
    list_display = ("enterprise", "year", "submitted_at", "operating_status", "employees")
    list_filter = ("operating_status", "submitted_at")
    autocomplete_fields = ("enterprise", "source_agency")


@admin.register(TaxRecord)
class TaxRecordAdmin(RecordAdmin):
    list_display = ("enterprise", "tax_type", "period_start", "period_end", "amount_owed", "credit_grade")
    list_filter = ("credit_grade", "period_end")
    search_fields = (*ENTERPRISE_SEARCH, "tax_type__exact")
    autocomplete_fields = ("enterprise", "source_agency")


@admin.register(ContributionRecord)
class ContributionRecordAdmin(RecordAdmin):
    list_display = ("enterprise", "scheme", "year", "month", "insured_count", "amount_due", "amount_paid")
    list_filter = ("scheme",)
    autocomplete_fields = ("enterprise", "source_agency")


@admin.register(AdministrativeLicence)
class AdministrativeLicenceAdmin(RecordAdmin):
    list_display = (
        "licence_number",
        "name",
        "enterprise",
        "issuing_agency",
        "valid_from",
        "valid_to",
        "status",
    )
    list_select_related = ("enterprise", "issuing_agency")
    list_filter = ("status", "valid_from", "valid_to")
    date_hierarchy = "valid_from"
    search_fields = (*ENTERPRISE_SEARCH, "licence_number__exact", "name__icontains")
    autocomplete_fields = ("enterprise", "issuing_agency", "source_agency")


@admin.register(AdministrativePenalty)
class AdministrativePenaltyAdmin(RecordAdmin):
    list_display = (
        "decision_number",
        "enterprise",
        "violation",
        "fine_amount",
        "decided_on",
        "deciding_agency",
    )
    list_select_related = ("enterprise", "deciding_agency")
    list_filter = ("decided_on", "publication_ends_on")
    date_hierarchy = "decided_on"
    search_fields = (*ENTERPRISE_SEARCH, "decision_number__exact")
    autocomplete_fields = ("enterprise", "deciding_agency", "source_agency")


@admin.register(InspectionRecord)
class InspectionRecordAdmin(RecordAdmin):
    list_display = ("enterprise", "kind", "inspected_on", "result", "inspecting_agency")
    list_select_related = ("enterprise", "inspecting_agency")
    list_filter = ("kind", "result", "inspected_on")
    date_hierarchy = "inspected_on"
    autocomplete_fields = ("enterprise", "inspecting_agency", "source_agency")


@admin.register(Award)
class AwardAdmin(RecordAdmin):
    list_display = ("title", "enterprise", "awarding_agency", "awarded_on", "valid_to")
    list_select_related = ("enterprise", "awarding_agency")
    list_filter = ("awarded_on", "valid_to")
    search_fields = (*ENTERPRISE_SEARCH, "title__icontains")
    autocomplete_fields = ("enterprise", "awarding_agency", "source_agency")


@admin.register(UtilityArrear)
class UtilityArrearAdmin(RecordAdmin):
    list_display = ("enterprise", "utility", "supplier", "amount", "overdue_since", "settled_on")
    list_filter = ("utility", "overdue_since", "settled_on")
    search_fields = (*ENTERPRISE_SEARCH, "supplier__icontains")
    autocomplete_fields = ("enterprise", "source_agency")


class ListingStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("current", _("on the list")), ("removed", _("removed"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.filter(removed_on__isnull=True)
        if self.value() == "removed":
            return queryset.filter(removed_on__isnull=False)
        return queryset


LISTING_FIELDS = ("enterprise", "reason", "listed_on", "listing_agency", "decision_number")
REMOVAL_FIELDS = ("removed_on", "removal_reason", "removal_agency")


@admin.register(AbnormalOperationListing)
class AbnormalOperationListingAdmin(RecordAdmin):
    """Listings are made and removed, never deleted. Removal: fill the removal fields of a current listing."""

    list_display = (
        "enterprise",
        "reason",
        "listed_on",
        "listing_agency",
        "decision_number",
        "is_current",
        "removed_on",
        "removal_reason",
    )
    list_select_related = ("enterprise", "listing_agency")
    list_filter = (ListingStateFilter, "reason", "removal_reason", "listed_on")
    date_hierarchy = "listed_on"
    search_fields = (*ENTERPRISE_SEARCH, "decision_number__exact")
    autocomplete_fields = ("enterprise", "listing_agency", "removal_agency")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": LISTING_FIELDS}),)
        return (
            (None, {"fields": LISTING_FIELDS}),
            (
                _("Removal from the list"),
                {
                    "fields": REMOVAL_FIELDS,
                    "description": _(
                        "To remove the enterprise from the list, fill in the date, the reason and the "
                        "removing agency, and save. A listing is never deleted."
                    ),
                },
            ),
            (_("History"), {"fields": ("source_agency", "created_at", "updated_at", "audit_trail")}),
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is None:
            return readonly
        return [*readonly, "enterprise", "reason", "listed_on", "listing_agency", "source_agency"]

    @admin.display(boolean=True, description=_("on the list"))
    def is_current(self, obj):
        return obj.is_current

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_current:
            return False  # a removed listing is history: view only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def service_create(self, request, form, values):
        return abnormal_listing_create(actor=request.user, via=VIA, **values)

    def service_update(self, request, form, obj, changes):
        removal = {name: changes.pop(name) for name in REMOVAL_FIELDS if name in changes}
        if changes:
            obj = record_update(record=obj, actor=request.user, via=VIA, **changes)
        if removal:
            obj = abnormal_listing_remove(
                listing=obj,
                removal_reason=form.cleaned_data["removal_reason"],
                removed_on=form.cleaned_data["removed_on"],
                removal_agency=form.cleaned_data["removal_agency"],
                actor=request.user,
                via=VIA,
            )
        return obj
