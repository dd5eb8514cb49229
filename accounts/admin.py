"""Admin of who acts for whom: clerks issue activation codes (shown once); superusers assign clerks."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import ACTIVATION_CODE_VALID_DAYS, ActivationCode, AgencyMembership, EnterpriseMembership
from accounts.permissions import clerk_agency, is_unrestricted
from accounts.services import (
    activation_code_issue,
    agency_membership_create,
    agency_membership_delete,
    agency_membership_update,
)
from registry.admin.base import VIA, ServiceModelAdmin, deletion_reason
from registry.models import Enterprise

# --- activation codes: clerks issue them; the code is shown once ------------------------------------


def _issuable_enterprises(user):
    """Superusers: every enterprise; a clerk: those their agency registered."""
    if is_unrestricted(user):
        return Enterprise.objects.all()
    agency = clerk_agency(user)
    return Enterprise.objects.filter(registration_authority=agency) if agency else Enterprise.objects.none()


class ActivationCodeIssueForm(forms.ModelForm):
    valid_days = forms.IntegerField(
        label=_("valid for (days)"), min_value=1, max_value=365, initial=ACTIVATION_CODE_VALID_DAYS
    )

    class Meta:
        model = ActivationCode
        fields = ["enterprise", "role"]
        help_texts = {
            "role": _("The first code of an enterprise always makes an administrator."),
        }

    def _post_clean(self):
        # The service fills in the hash and the dates; nothing to validate on the bare instance.
        pass


@admin.register(ActivationCode)
class ActivationCodeAdmin(admin.ModelAdmin):
    """Issue a one-time code for a company to claim its enterprise; the code is shown only once."""

    list_display = ["enterprise", "role", "issued_at", "expires_at", "used_at", "used_by", "issued_by"]
    list_filter = ["role", "issued_at"]
    search_fields = ["enterprise__uscc", "enterprise__name"]
    list_select_related = ["enterprise", "used_by", "issued_by"]
    raw_id_fields = ["enterprise"]
    readonly_fields = ["enterprise", "role", "issued_by", "issued_at", "expires_at", "used_at", "used_by"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_unrestricted(request.user):
            return queryset
        agency = clerk_agency(request.user)
        return queryset.filter(enterprise__registration_authority=agency) if agency else queryset.none()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ActivationCodeIssueForm
            kwargs["fields"] = ["enterprise", "role", "valid_days"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "enterprise":
            kwargs["queryset"] = _issuable_enterprises(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (
            request.user.is_superuser or clerk_agency(request.user) is not None
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        issued, code = activation_code_issue(
            enterprise=form.cleaned_data["enterprise"],
            role=form.cleaned_data.get("role") or EnterpriseMembership.Role.FILER,
            issued_by=request.user,
            valid_days=form.cleaned_data["valid_days"],
        )
        for field in ActivationCode._meta.concrete_fields:
            setattr(obj, field.attname, getattr(issued, field.attname))
        obj._state.adding = False
        obj._state.db = issued._state.db
        messages.warning(
            request,
            gettext(
                "Activation code for %(name)s (%(uscc)s): %(code)s — role: %(role)s, valid until %(until)s. "
                "It is shown only this once: it is printed on a letter to the enterprise's registered "
                "address (in this demo, give it to the company yourself)."
            )
            % {
                "name": issued.enterprise.name,
                "uscc": issued.enterprise.uscc,
                "code": code,
                "role": issued.get_role_display(),
                "until": f"{issued.expires_at:%Y-%m-%d}",
            },
        )


# --- agency clerks ----------------------------------------------------------------------------------


@admin.register(AgencyMembership)
class AgencyMembershipAdmin(ServiceModelAdmin):
    """Which agency a clerk works for: it limits what they may maintain (superusers only)."""

    list_display = ("user", "agency", "since")
    list_select_related = ("user", "agency")
    search_fields = ("user__username", "agency__name_zh")
    autocomplete_fields = ("agency",)
    raw_id_fields = ("user",)

    def service_create(self, request, form, values: dict) -> AgencyMembership:
        return agency_membership_create(actor=request.user, via=VIA, **values)

    def service_update(self, request, form, obj: AgencyMembership, changes: dict) -> AgencyMembership:
        if not changes:
            return obj
        return agency_membership_update(membership=obj, actor=request.user, via=VIA, **changes)

    def service_delete(self, request, obj: AgencyMembership) -> None:
        agency_membership_delete(membership=obj, actor=request.user, via=VIA, note=deletion_reason(request))

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
