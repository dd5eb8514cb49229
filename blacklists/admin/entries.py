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
