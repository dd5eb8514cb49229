"""The admin's write path: every save and delete goes through a service, and a refusal is shown on the form.

How a refusal reaches the clerk: the admin validates the forms as usual (field
checks and the model's own constraints), then calls the service in
``save_model`` / ``save_formset`` / ``delete_model``. If the service raises a
``ValidationError``, it is wrapped in ``ServiceRejected`` together with the
prefix of the form it belongs to. The exception leaves the admin's
``transaction.atomic`` block, so everything this request wrote is rolled back;
``changeform_view`` catches it and runs the view once more on the same POST
data, this time with the service's error attached to that form. The clerk sees
the page they submitted, their input intact, with the message on the right
field, and nothing was written.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections, models, transaction
from django.db.models.query import QuerySet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from registry.forms import ServiceModelForm
from registry.models import AuditEntry, Region
from registry.services import record_create, record_delete, record_update

VIA = AuditEntry.Via.ADMIN
_ERRORS_ATTR = "_registry_service_errors"
AUDIT_PANEL_ROWS = 10


class ServiceRejected(Exception):
    """A service refused a write; ``prefix`` names the form the error belongs to."""

    def __init__(self, prefix: str | None, error: ValidationError):
        super().__init__(error)
        self.prefix = prefix
        self.error = error


def service_errors(request) -> dict:
    return getattr(request, _ERRORS_ATTR, {})


def deletion_reason(request) -> str:
    return f"deleted in admin by {request.user.get_username()}"


def _writable_names(form, extra: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> list[str]:
    model_fields = {
        field.name
        for field in form._meta.model._meta.concrete_fields
        if field.editable and not (field.primary_key and isinstance(field, models.AutoField))
    }
    return [
        name
        for name in form.fields
        if (name in model_fields or name in extra) and name not in exclude and not form.fields[name].disabled
    ]


def values_for_create(form, *, extra=(), exclude=()) -> dict:
    return {name: form.cleaned_data[name] for name in _writable_names(form, extra, exclude)}


def changes_for_update(form, *, extra=(), exclude=()) -> dict:
    names = set(_writable_names(form, extra, exclude))
    return {name: form.cleaned_data[name] for name in form.changed_data if name in names}


def copy_state(source: models.Model, target: models.Model) -> None:
    """Make the admin's in-memory object match what the service saved (pk included)."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db


def error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


class ReadOnlyAdmin(admin.ModelAdmin):
    """A model filed or decided elsewhere: the admin shows it and writes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceWriteHooks:
    """Default service calls for record types and reference data; subjects override them."""

    # Declared form fields that are not model fields but that the service accepts.
    extra_service_fields: tuple[str, ...] = ()

    def service_create(self, request, form, values: dict) -> models.Model:
        return record_create(model=self.model, actor=request.user, via=VIA, **values)

    def service_update(self, request, form, obj: models.Model, changes: dict) -> models.Model:
        if not changes:
            return obj
        return record_update(record=obj, actor=request.user, via=VIA, **changes)

    def service_delete(self, request, obj: models.Model) -> None:
        record_delete(record=obj, actor=request.user, via=VIA, note=deletion_reason(request))


class LargeTablePaginator(Paginator):
    """Uses the planner's row estimate for an unfiltered changelist of a big table instead of COUNT(*)."""

    exact_below = 100_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.where:
            with connections[queryset.db].cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] >= self.exact_below:
                return int(row[0])
        return super().count


class ProvinceFilter(admin.SimpleListFilter):
    """Filter on the province of a region foreign key (division codes share their first two digits)."""

    title = _("province")
    parameter_name = "province"
    lookup = "region_id__startswith"

    def lookups(self, request, model_admin):
        english = (get_language() or "").startswith("en")
        provinces = Region.objects.filter(level=Region.Level.PROVINCE).only("code", "name_zh", "name_en")
        return [(region.code[:2], region.name_en if english else region.name_zh) for region in provinces]

    def queryset(self, request, queryset):
        value = self.value()
        if value and len(value) == 2 and value.isdigit():
            return queryset.filter(**{self.lookup: value})
        return queryset


def audit_changelist_url(obj: models.Model) -> str:
    content_type = ContentType.objects.get_for_model(type(obj))
    query = urlencode({"content_type__id__exact": content_type.pk, "object_pk": obj.pk})
    return f"{reverse('admin:registry_auditentry_changelist')}?{query}"


def audit_trail_html(obj: models.Model | None):
    """The latest audit entries of ``obj`` as a small table, with a link to all of them."""
    if obj is None or obj.pk is None:
        return "—"
    content_type = ContentType.objects.get_for_model(type(obj))
    entries = AuditEntry.objects.filter(content_type=content_type, object_pk=str(obj.pk)).order_by(
        "-at", "-id"
    )[:AUDIT_PANEL_ROWS]
    rows = format_html_join(
        "",
        '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                reverse("admin:registry_auditentry_change", args=[entry.pk]),
                date_format(localtime(entry.at), "DATETIME_FORMAT"),
                entry.actor_label,
                entry.get_via_display(),
                entry.get_action_display(),
                ", ".join(sorted(entry.changes)) if entry.action == AuditEntry.Action.UPDATE else "—",
                entry.reason or "—",
            )
            for entry in entries
        ),
    )
    return format_html(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
        '<tbody>{}</tbody></table><p><a href="{}">{}</a></p>',
        _("when"),
        _("who"),
        _("path"),
        _("action"),
        _("changed fields"),
        _("reason"),
        rows,
        audit_changelist_url(obj),
        _("Full audit trail of this record"),
    )


def save_inline_formset(request, parent: models.Model, formset) -> None:
    """Create, update and delete inline rows through the inline's service hooks, row by row."""
    hooks = getattr(formset, "inline_admin", None) or _DefaultHooks(formset.model)
    fk_name = formset.fk.name
    extra = getattr(hooks, "extra_service_fields", ())
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    deleted = set(map(id, formset.deleted_forms))
    for form in formset.initial_forms:
        obj = form.instance
        if obj.pk is None:
            continue
        try:
            if id(form) in deleted:
                hooks.service_delete(request, obj)
                formset.deleted_objects.append(obj)
                continue
            changes = changes_for_update(form, extra=extra, exclude=(fk_name,))
            if changes:
                current = formset.model._default_manager.get(pk=obj.pk)
                copy_state(hooks.service_update(request, form, current, changes), obj)
                formset.changed_objects.append((obj, form.changed_data))
        except ValidationError as exc:
            raise ServiceRejected(form.prefix, exc) from exc
    for form in formset.extra_forms:
        if not form.has_changed() or id(form) in deleted:
            continue
        values = {**values_for_create(form, extra=extra, exclude=(fk_name,)), fk_name: parent}
        try:
            saved = hooks.service_create(request, form, values)
        except ValidationError as exc:
            raise ServiceRejected(form.prefix, exc) from exc
        copy_state(saved, form.instance)
        formset.new_objects.append(form.instance)


class _DefaultHooks(ServiceWriteHooks):
    def __init__(self, model):
        self.model = model


class ServiceModelAdmin(ServiceWriteHooks, admin.ModelAdmin):
    """A ModelAdmin whose every write is a service call (see the module docstring)."""

    form = ServiceModelForm
    paginator = LargeTablePaginator
    show_full_result_count = False
    save_as = False

    # --- forms carry the service's errors on the second pass
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.service_errors = service_errors(request)
        return form

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            timestamps = [name for name in ("created_at", "updated_at") if hasattr(self.model, name)]
            readonly += [name for name in (*timestamps, "audit_trail") if name not in readonly]
        return readonly

    @admin.display(description=_("audit trail"))
    def audit_trail(self, obj):
        return audit_trail_html(obj)

    # --- writes
    def save_model(self, request, obj, form, change):
        try:
            if change:
                current = self.model._default_manager.get(pk=obj.pk)
                changes = changes_for_update(form, extra=self.extra_service_fields)
                saved = self.service_update(request, form, current, changes)
            else:
                saved = self.service_create(
                    request, form, values_for_create(form, extra=self.extra_service_fields)
                )
        except ValidationError as exc:
            raise ServiceRejected(form.prefix, exc) from exc
        copy_state(saved, obj)

    def save_formset(self, request, form, formset, change):
        save_inline_formset(request, form.instance, formset)

    def delete_model(self, request, obj):
        try:
            self.service_delete(request, obj)
        except ValidationError as exc:
            raise ServiceRejected(None, exc) from exc

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)

    # --- views: turn a refusal into a form error or a message, never a 500
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRejected as rejected:
            if hasattr(request, _ERRORS_ATTR):  # the second pass failed too: say so, keep nothing
                self.message_user(request, error_text(rejected.error), messages.ERROR)
                return HttpResponseRedirect(request.get_full_path())
            setattr(request, _ERRORS_ATTR, {rejected.prefix: rejected.error})
            return self.changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRejected as rejected:
            self.message_user(request, error_text(rejected.error), messages.ERROR)
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )

    def changelist_view(self, request, extra_context=None):
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        try:
            with transaction.atomic():  # an action is all or nothing, its admin log included
                return super().changelist_view(request, extra_context)
        except ServiceRejected as rejected:
            self.message_user(request, error_text(rejected.error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ServiceInlineMixin(ServiceWriteHooks):
    """Inline rows are written by the parent admin's ``save_formset`` through these hooks."""

    form = ServiceModelForm
    extra = 0
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.service_errors = service_errors(request)
        formset.inline_admin = self
        return formset


class TabularRecordInline(ServiceInlineMixin, admin.TabularInline):
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})}}


class StackedRecordInline(ServiceInlineMixin, admin.StackedInline):
    classes = ["collapse"]
