"""Admin for joint rewards and punishments: memoranda, measures, feeds; API clients and their checks."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models as db_models
from django.utils.translation import gettext_lazy as _

from accounts.permissions import clerk_agency, is_unrestricted
from blacklists.models import (
    ApiClient,
    ApiScope,
    ListFeed,
    Measure,
    Memorandum,
    RestrictionCheck,
)
from blacklists.services import (
    api_client_create,
    api_client_update,
    list_feed_create,
    list_feed_delete,
    list_feed_update,
    measure_create,
    measure_delete,
    measure_update,
    memorandum_create,
    memorandum_update,
)
from registry.admin.base import VIA, ServiceInlineMixin, ServiceModelAdmin


def _signed(user, memorandum) -> bool:
    if is_unrestricted(user):
        return True
    agency = clerk_agency(user)
    return agency is not None and memorandum.signatories.filter(pk=agency.pk).exists()


def _as_form_error(call):
    """Services raise PermissionDenied for a clerk of another agency; the form shows it as an error."""
    try:
        return call()
    except PermissionDenied as exc:
        raise ValidationError(str(exc)) from exc


class MeasureWrites:
    def service_create(self, request, form, values):
        return _as_form_error(lambda: measure_create(actor=request.user, via=VIA, **values))

    def service_update(self, request, form, obj, changes):
        if not changes:
            return obj
        return _as_form_error(lambda: measure_update(measure=obj, actor=request.user, via=VIA, **changes))

    def service_delete(self, request, obj):
        _as_form_error(lambda: measure_delete(measure=obj, actor=request.user, via=VIA, note="admin"))


class MeasureInline(MeasureWrites, ServiceInlineMixin, admin.StackedInline):
    model = Measure
    classes = ["collapse"]
    fields = (
        ("code", "kind", "category"),
        ("enforcing_agency", "trigger_list_type"),
        ("description_zh", "description_en"),
        (
            "binds_subject",
            "binds_legal_representative",
            "binds_directors",
            "binds_supervisors",
            "binds_senior_managers",
            "binds_actual_controller",
        ),
        ("parameter", "parameter_unit", "clause"),
    )
    autocomplete_fields = ("enforcing_agency", "trigger_list_type")


@admin.register(Memorandum)
class MemorandumAdmin(ServiceModelAdmin):
    list_display = ("document_number", "title_zh", "lead_agency", "signed_on", "in_force_from", "in_force_to")
    list_select_related = ("lead_agency",)
    search_fields = ("document_number", "title_zh", "title_en")
    filter_horizontal = ("signatories", "trigger_list_types")
    autocomplete_fields = ("lead_agency",)
    inlines = (MeasureInline,)
    formfield_overrides = {db_models.URLField: {"assume_scheme": "https"}}
    m2m_names = ("signatories", "trigger_list_types")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or _signed(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return False  # measures and history point at it; end it with "in force until"

    def service_create(self, request, form, values):
        m2m = {name: form.cleaned_data[name] for name in self.m2m_names}
        return _as_form_error(lambda: memorandum_create(actor=request.user, via=VIA, **m2m, **values))

    def service_update(self, request, form, obj, changes):
        m2m = {name: form.cleaned_data[name] for name in self.m2m_names if name in form.changed_data}
        if not changes and not m2m:
            return obj
        return _as_form_error(
            lambda: memorandum_update(memorandum=obj, actor=request.user, via=VIA, **m2m, **changes)
        )

    def save_related(self, request, form, formsets, change):
        # The many-to-many fields were written (and audited) by the service; only inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Measure)
class MeasureAdmin(MeasureWrites, ServiceModelAdmin):
    list_display = (
        "code",
        "kind",
        "category",
        "enforcing_agency",
        "memorandum",
        "parameter",
        "parameter_unit",
    )
    list_filter = ("kind", "category", "memorandum")
    list_select_related = ("enforcing_agency", "memorandum")
    search_fields = ("code", "description_zh", "description_en")
    autocomplete_fields = ("memorandum", "enforcing_agency", "trigger_list_type")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or _signed(request.user, obj.memorandum))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or _signed(request.user, obj.memorandum))


@admin.register(ListFeed)
class ListFeedAdmin(ServiceModelAdmin):
    list_display = ("source", "target", "memorandum")
    list_select_related = ("source", "target", "memorandum")
    autocomplete_fields = ("source", "target", "memorandum")

    def service_create(self, request, form, values):
        return _as_form_error(lambda: list_feed_create(actor=request.user, via=VIA, **values))

    def service_update(self, request, form, obj, changes):
        if not changes:
            return obj
        return _as_form_error(lambda: list_feed_update(feed=obj, actor=request.user, via=VIA, **changes))

    def service_delete(self, request, obj):
        _as_form_error(lambda: list_feed_delete(feed=obj, actor=request.user, via=VIA, note="admin"))


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=ApiScope.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiClient
        fields = ("name", "agency", "scopes", "is_active")


class GovernmentOnlyAdmin:
    """API clients and the check log are government data: superusers only."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(GovernmentOnlyAdmin, ServiceModelAdmin):
    form = ApiClientForm
    list_display = ("name", "agency", "scopes", "token_prefix", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name",)
    autocomplete_fields = ("agency",)
    readonly_fields = ("token_prefix",)

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def service_create(self, request, form, values):
        client, token = api_client_create(
            actor=request.user,
            via=VIA,
            name=values["name"],
            scopes=values.get("scopes") or [],
            agency=values.get("agency"),
        )
        self.message_user(
            request,
            _("Token for %(name)s (shown once, store it now): %(token)s")
            % {"name": client.name, "token": token},
            messages.WARNING,
        )
        return client

    def service_update(self, request, form, obj, changes):
        return api_client_update(client=obj, actor=request.user, via=VIA, **changes) if changes else obj


@admin.register(RestrictionCheck)
class RestrictionCheckAdmin(GovernmentOnlyAdmin, admin.ModelAdmin):
    list_display = ("at", "client", "identifier", "person", "enterprise", "on", "measure_code", "restricted")
    list_filter = ("restricted", "identifier", "client")
    list_select_related = ("client", "person", "enterprise")
    date_hierarchy = "at"
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
