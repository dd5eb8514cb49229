"""Enterprises (with their credit-file records inline) and persons."""

from __future__ import annotations

import re

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from core.privacy import normalise_resident_id, resident_id_hash
from registry.admin.base import (
    VIA,
    ProvinceFilter,
    ServiceModelAdmin,
    StackedRecordInline,
    TabularRecordInline,
    audit_changelist_url,
)
from registry.forms import (
    AnnualReportForm,
    EnterpriseForm,
    LockedExistingRowsForm,
    PersonAddForm,
    PersonChangeForm,
)
from registry.models import (
    AbnormalOperationListing,
    AdministrativeLicence,
    AdministrativePenalty,
    AnnualReport,
    Award,
    Branch,
    ChangeRecord,
    ContributionRecord,
    Enterprise,
    InspectionRecord,
    KeyPersonnel,
    Person,
    Shareholder,
    TaxRecord,
    UtilityArrear,
)
from registry.services import (
    abnormal_listing_create,
    enterprise_create,
    enterprise_update,
    person_create,
    person_update,
)

# --- inlines on the enterprise page --------------------------------------------------------------


class ShareholderInline(TabularRecordInline):
    model = Shareholder
    fk_name = "enterprise"
    fields = (
        "kind",
        "name",
        "person",
        "shareholder_enterprise",
        "subscribed_capital",
        "subscribed_date",
        "paid_in_capital",
        "paid_in_date",
        "source_agency",
    )
    autocomplete_fields = ("person", "shareholder_enterprise", "source_agency")


class KeyPersonnelInline(TabularRecordInline):
    model = KeyPersonnel
    fields = ("role", "name", "person", "appointed_on", "left_on", "source_agency")
    autocomplete_fields = ("person", "source_agency")


class BranchInline(TabularRecordInline):
    model = Branch
    fields = ("name", "uscc", "region", "registration_authority", "established", "source_agency")
    autocomplete_fields = ("region", "registration_authority", "source_agency")


class ChangeRecordInline(TabularRecordInline):
    model = ChangeRecord
    fields = ("changed_on", "item", "before", "after", "source_agency")
    autocomplete_fields = ("source_agency",)


class LicenceInline(TabularRecordInline):
    model = AdministrativeLicence
    fields = ("licence_number", "name", "issuing_agency", "valid_from", "valid_to", "status")
    autocomplete_fields = ("issuing_agency",)


class PenaltyInline(TabularRecordInline):
    model = AdministrativePenalty
    fields = (
        "decision_number",
        "decided_on",
        "deciding_agency",
        "violation",
        "content",
        "fine_amount",
        "confiscated_amount",
        "publication_ends_on",
    )
    autocomplete_fields = ("deciding_agency",)


class AbnormalListingInline(TabularRecordInline):
    """New listings can be made here; removal is recorded on the listing's own page."""

    model = AbnormalOperationListing
    form = LockedExistingRowsForm
    fields = ("reason", "listed_on", "listing_agency", "decision_number", "removed_on", "removal_reason")
    readonly_fields = ("removed_on", "removal_reason")
    autocomplete_fields = ("listing_agency",)
    can_delete = False

    def service_create(self, request, form, values):
        return abnormal_listing_create(actor=request.user, via=VIA, **values)


class InspectionInline(TabularRecordInline):
    model = InspectionRecord
    fields = ("inspected_on", "inspecting_agency", "kind", "result", "detail")
    autocomplete_fields = ("inspecting_agency",)


class AwardInline(TabularRecordInline):
    model = Award
    fields = ("title", "awarding_agency", "awarded_on", "valid_to")
    autocomplete_fields = ("awarding_agency",)


class AnnualReportInline(StackedRecordInline):
    model = AnnualReport
    form = AnnualReportForm
    fields = (
        ("year", "submitted_at", "operating_status"),
        ("contact_phone", "email", "postal_address"),
        ("employees", "total_assets", "total_liabilities", "owners_equity"),
        ("revenue", "main_business_revenue", "profit", "net_profit", "tax_paid"),
        "unpublished_fields",
        "source_agency",
    )
    autocomplete_fields = ("source_agency",)


# --- enterprises ---------------------------------------------------------------------------------

# A USCC (or its first characters) or a 13-15 digit registration number: answered from B-tree indexes.
_CODE_TERM = re.compile(r"^(?=.*[0-9])[0-9A-HJ-NPQRTUWXY]{4,18}$")
_REGISTRATION_NUMBER = re.compile(r"^[0-9]{13,15}$")


@admin.register(Enterprise)
class EnterpriseAdmin(ServiceModelAdmin):
    form = EnterpriseForm
    list_display = (
        "uscc",
        "name",
        "entity_type",
        "status",
        "region",
        "legal_representative",
        "established",
        "uscc_legacy",
    )
    list_display_links = ("uscc", "name")
    list_select_related = ("region",)
    list_filter = ("status", "entity_type", "industry", ProvinceFilter, "uscc_legacy")
    search_fields = (
        "uscc__exact",
        "registration_number__exact",
        "name__icontains",
        "legal_representative__exact",
    )
    search_help_text = _(
        "A USCC or its first characters, a registration number, part of the name, "
        "or the legal representative's full name."
    )
    autocomplete_fields = ("legal_representative_person", "registration_authority", "region")
    readonly_fields = ("uscc_legacy", "former_names", "other_records")
    inlines = [
        ShareholderInline,
        KeyPersonnelInline,
        BranchInline,
        ChangeRecordInline,
        LicenceInline,
        PenaltyInline,
        AbnormalListingInline,
        InspectionInline,
        AwardInline,
        AnnualReportInline,
    ]
    fieldsets = (
        (None, {"fields": ("uscc", "uscc_legacy", "registration_number", "name", "former_names")}),
        (_("Type and status"), {"fields": ("entity_type", "status", "industry")}),
        (
            _("Representative and capital"),
            {
                "fields": (
                    "legal_representative",
                    "legal_representative_person",
                    ("registered_capital", "capital_currency"),
                )
            },
        ),
        (_("Dates"), {"fields": ("established", ("operating_from", "operating_to"), "approved_on")}),
        (
            _("Registration"),
            {"fields": ("registration_authority", "region", "address", "business_scope")},
        ),
    )
    history_fieldset = (
        _("History and other records"),
        {"fields": ("created_at", "updated_at", "other_records", "audit_trail")},
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        return (*self.fieldsets, self.history_fieldset)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # A new code is a new enterprise; the legacy flag is set only by imports of official data.
        return [*readonly, "uscc"] if obj is not None else readonly

    def has_delete_permission(self, request, obj=None):
        return False  # history is never deleted; set the registration status instead

    @admin.display(description=_("other records"))
    def other_records(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        query = urlencode({"enterprise__id__exact": obj.pk})
        links = [
            (
                f"{reverse(f'admin:registry_{model._meta.model_name}_changelist')}?{query}",
                model._meta.verbose_name_plural,
            )
            for model in (TaxRecord, ContributionRecord, UtilityArrear)
        ]
        return format_html(
            "{}<br>{}",
            format_html_join(" · ", '<a href="{}">{}</a>', links),
            format_html(
                '<a href="{}">{}</a>', audit_changelist_url(obj), _("all changes to this enterprise")
            ),
        )

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().upper()
        if _REGISTRATION_NUMBER.match(term):
            return queryset.filter(registration_number=term) | queryset.filter(uscc__startswith=term), False
        if _CODE_TERM.match(term):
            return queryset.filter(uscc__startswith=term), False
        return super().get_search_results(request, queryset, search_term)

    def service_create(self, request, form, values):
        return enterprise_create(actor=request.user, via=VIA, **values)

    def service_update(self, request, form, obj, changes):
        if not changes:
            return obj
        return enterprise_update(enterprise=obj, actor=request.user, via=VIA, **changes)


# --- persons -------------------------------------------------------------------------------------

_FULL_ID = re.compile(r"^[0-9]{17}[0-9X]$")
_MASKED_ID = re.compile(r"^[0-9]{10}\*{4}[0-9]{3}[0-9X]$")


@admin.register(Person)
class PersonAdmin(ServiceModelAdmin):
    form = PersonChangeForm
    add_form = PersonAddForm
    extra_service_fields = ("id_number",)
    list_display = ("name", "id_masked", "sex", "birth_year", "created_at")
    list_filter = ("sex",)
    search_fields = ("name__startswith",)
    search_help_text = _("A name (or its beginning), a full resident ID number, or the masked form.")
    readonly_fields = ("id_masked", "sex", "birth_year")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": ("name", "id_number")}),)
        return (
            (None, {"fields": ("name", "id_masked", "sex", "birth_year")}),
            (_("Correct the ID number"), {"fields": ("id_number",), "classes": ("collapse",)}),
            (_("History"), {"fields": ("created_at", "updated_at", "audit_trail")}),
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        number = normalise_resident_id(search_term)
        if _FULL_ID.match(number):
            return queryset.filter(id_hash=resident_id_hash(number)), False
        if _MASKED_ID.match(number):
            return queryset.filter(id_masked=number), False
        return super().get_search_results(request, queryset, search_term)

    def has_delete_permission(self, request, obj=None):
        return False  # history is never deleted

    def service_create(self, request, form, values):
        return person_create(actor=request.user, via=VIA, **values)

    def service_update(self, request, form, obj, changes):
        if not changes.get("id_number"):
            changes.pop("id_number", None)
        if not changes:
            return obj
        return person_update(person=obj, actor=request.user, via=VIA, **changes)
