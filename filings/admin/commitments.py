"""Credit commitments: published as signed, never edited afterwards; a breach is recorded once."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from filings.models import CreditCommitment
from filings.services import credit_commitment_create, credit_commitment_mark_broken
from registry.admin.base import VIA, ServiceModelAdmin

SIGNING_FIELDS = ("enterprise", "kind", "title", "text", "signed_on", "signer_name", "source_agency")
BREAK_FIELDS = ("broken_on", "broken_by", "broken_note")


class BrokenFilter(admin.SimpleListFilter):
    title = _("kept")
    parameter_name = "broken"

    def lookups(self, request, model_admin):
        return [("no", _("no breach recorded")), ("yes", _("found broken"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(broken_on__isnull=True)
        if self.value() == "yes":
            return queryset.filter(broken_on__isnull=False)
        return queryset


@admin.register(CreditCommitment)
class CreditCommitmentAdmin(ServiceModelAdmin):
    """A commitment is recorded as signed. To record a breach, fill the breach fields and save."""

    list_display = ("title", "enterprise", "kind", "signed_on", "source_agency", "broken_on")
    list_select_related = ("enterprise", "source_agency")
    list_filter = (BrokenFilter, "kind", "signed_on")
    list_per_page = 50
    date_hierarchy = "signed_on"
    search_fields = ("enterprise__uscc__exact", "title__icontains")
    search_help_text = _("The enterprise's full USCC, or words of the title.")
    autocomplete_fields = ("enterprise", "source_agency", "broken_by")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return ((None, {"fields": SIGNING_FIELDS}),)
        return (
            (None, {"fields": SIGNING_FIELDS}),
            (
                _("Commitment found broken (承诺不实)"),
                {
                    "fields": BREAK_FIELDS,
                    "description": _(
                        "When the enterprise did not keep this commitment, fill in the date, the agency "
                        "that found it and how it was broken, and save. This is recorded once."
                    ),
                },
            ),
            (_("History"), {"fields": ("created_at", "updated_at", "audit_trail")}),
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is None:
            return readonly
        return [*readonly, *SIGNING_FIELDS]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_broken:
            return False  # a recorded breach is history: view only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def service_create(self, request, form, values):
        return credit_commitment_create(actor=request.user, via=VIA, **values)

    def service_update(self, request, form, obj, changes):
        if not any(name in changes for name in BREAK_FIELDS):
            return obj
        return credit_commitment_mark_broken(
            commitment=obj,
            broken_on=form.cleaned_data["broken_on"],
            broken_by=form.cleaned_data["broken_by"],
            note=form.cleaned_data["broken_note"],
            actor=request.user,
            via=VIA,
        )
