"""Clerk admin for lists and entries: writes through the services, limited to the clerk's agency."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from accounts.permissions import clerk_agency, is_unrestricted
from blacklists.models import (
    ConsumptionRestrictionDetail,
    CourtDefaulterDetail,
    ListEntry,
    ListEntryStatusChange,
    ListType,
)
from blacklists.permissions import maintainable_entries, maintainable_list_types, may_maintain
from blacklists.services import (
    list_entry_correct,
    list_entry_create,
    list_entry_extend,
    list_entry_remove,
    list_entry_revoke,
    list_type_create,
    list_type_update,
)
from registry.admin.base import ServiceModelAdmin
from registry.models import Agency, AuditEntry

VIA = AuditEntry.Via.ADMIN


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ExtendForm(ReasonForm):
    planned_end = forms.DateField(label=_("New planned end"), help_text=_("YYYY-MM-DD"))


def reasoned_action(model_admin, request, queryset, *, title, form_class, apply, done):
    """An admin action that asks for a reason on an intermediate page, then applies ``apply(obj,
    cleaned_data)`` to every selected object in one transaction (all or nothing)."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        try:
            with transaction.atomic():
                for obj in queryset:
                    apply(obj, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            model_admin.message_user(request, text, messages.ERROR)
            return None
        model_admin.message_user(request, done % {"n": queryset.count()}, messages.SUCCESS)
        return None
    return TemplateResponse(
        request,
        "admin/blacklists/listentry/lifecycle_action.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "entries": list(queryset),
            "action": request.POST.get("action"),
            "opts": model_admin.model._meta,
        },
    )


@admin.register(ListType)
class ListTypeAdmin(ServiceModelAdmin):
    list_display = ("code", "name_zh", "name_en", "kind", "owner", "default_severity", "default_period_days")
    list_filter = ("kind", "default_severity", "permanent_allowed")
    list_select_related = ("owner",)
    search_fields = ("code", "name_zh", "name_en")
    autocomplete_fields = ("owner", "region")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_maintain(request.user, list_type=obj))

    def has_delete_permission(self, request, obj=None):
        return False  # entries point at it; a list is never deleted

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner" and not is_unrestricted(request.user):
            agency = clerk_agency(request.user)
            kwargs["queryset"] = Agency.objects.filter(pk=agency.pk if agency else None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service_create(self, request, form, values):
        return list_type_create(actor=request.user, via=VIA, **values)

    def service_update(self, request, form, obj, changes):
        return list_type_update(list_type=obj, actor=request.user, via=VIA, **changes) if changes else obj


class StatusChangeInline(admin.TabularInline):
    model = ListEntryStatusChange
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "effective_on", "planned_end", "actor_label", "via", "reason")
    readonly_fields = fields
    verbose_name_plural = _("history of status changes")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyDetailInline(admin.StackedInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CourtDefaulterInline(ReadOnlyDetailInline):
    model = CourtDefaulterDetail


class ConsumptionRestrictionInline(ReadOnlyDetailInline):
    model = ConsumptionRestrictionDetail


@admin.register(ListEntry)
class ListEntryAdmin(ServiceModelAdmin):
    list_display = (
        "subject_name",
        "list_type",
        "decision_number",
        "issuing_agency",
        "starts_on",
        "planned_end",
        "effective_status_display",
        "published_on",
    )
    list_filter = ("list_type", "status", "severity", "permanent")
    list_select_related = ("list_type", "issuing_agency")
    search_fields = ("decision_number__exact", "subject_name__startswith")
    date_hierarchy = "published_on"
    autocomplete_fields = ("person", "enterprise", "issuing_agency", "list_type")
    inlines = (CourtDefaulterInline, ConsumptionRestrictionInline, StatusChangeInline)
    actions = ("end_early", "revoke", "extend")
    lifecycle_fields = (
        "list_type",
        "person",
        "enterprise",
        "issuing_agency",
        "decision_number",
        "starts_on",
        "planned_end",
        "permanent",
        "status",
        "status_changed_at",
    )

    @admin.display(description=_("status"))
    def effective_status_display(self, obj):
        return obj.get_effective_status_display()

    def get_queryset(self, request):
        return maintainable_entries(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += [name for name in self.lifecycle_fields if name not in readonly]
        else:
            readonly += ["status", "status_changed_at"]
        return readonly

    def has_delete_permission(self, request, obj=None):
        return False  # history is never deleted: end, revoke or let the entry expire

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not is_unrestricted(request.user):
            agency = clerk_agency(request.user)
            if db_field.name == "list_type":
                kwargs["queryset"] = maintainable_list_types(request.user, ListType.objects.all())
            if db_field.name == "issuing_agency":
                kwargs["queryset"] = Agency.objects.filter(pk=agency.pk if agency else None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def service_create(self, request, form, values):
        values.pop("status", None)
        try:
            return list_entry_create(actor=request.user, via=VIA, **values)
        except PermissionDenied as exc:
            raise ValidationError(str(exc)) from exc

    def service_update(self, request, form, obj, changes):
        return list_entry_correct(entry=obj, actor=request.user, via=VIA, **changes) if changes else obj

    # --- lifecycle actions, each asking for a reason on an intermediate page
    def _lifecycle(self, request, queryset, *, title, form_class, apply):
        return reasoned_action(
            self,
            request,
            queryset.select_related("list_type", "issuing_agency"),
            title=title,
            form_class=form_class,
            apply=apply,
            done=_("%(n)d entries changed."),
        )

    @admin.action(description=_("End early (obligation performed) with a reason"))
    def end_early(self, request, queryset):
        return self._lifecycle(
            request,
            queryset,
            title=_("End entries early"),
            form_class=ReasonForm,
            apply=lambda e, data: list_entry_remove(
                entry=e, reason=data["reason"], actor=request.user, via=VIA
            ),
        )

    @admin.action(description=_("Revoke (listing decision quashed) with a reason"))
    def revoke(self, request, queryset):
        return self._lifecycle(
            request,
            queryset,
            title=_("Revoke entries"),
            form_class=ReasonForm,
            apply=lambda e, data: list_entry_revoke(
                entry=e, reason=data["reason"], actor=request.user, via=VIA
            ),
        )

    @admin.action(description=_("Extend the planned end with a reason"))
    def extend(self, request, queryset):
        return self._lifecycle(
            request,
            queryset,
            title=_("Extend entries"),
            form_class=ExtendForm,
            apply=lambda e, data: list_entry_extend(
                entry=e, planned_end=data["planned_end"], reason=data["reason"], actor=request.user, via=VIA
            ),
        )


# --- joint rewards and punishments: memoranda, measures, feeds; API clients and their checks ---

from django.db import models as db_models  # noqa: E402

from blacklists.models import ApiClient, ApiScope, ListFeed, Measure, Memorandum, RestrictionCheck  # noqa: E402
from blacklists.services import (  # noqa: E402
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
from registry.admin.base import ServiceInlineMixin  # noqa: E402


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
