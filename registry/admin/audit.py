"""The audit trail: read-only, newest first."""

from __future__ import annotations

import json

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _

from registry.admin.base import LargeTablePaginator
from registry.models import AuditEntry

DJANGO_APPS = ("admin", "auth", "contenttypes", "sessions")


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _field_label(model, name: str) -> str:
    if model is None:
        return name
    try:
        return f"{capfirst(model._meta.get_field(name).verbose_name)} ({name})"
    except FieldDoesNotExist:
        return name


class RecordTypeFilter(admin.RelatedFieldListFilter):
    """Only the project's own record types, not Django's bookkeeping tables."""

    def field_choices(self, field, request, model_admin):
        types = ContentType.objects.exclude(app_label__in=DJANGO_APPS).order_by("app_label", "model")
        return [(content_type.pk, str(content_type)) for content_type in types]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "via", "action", "content_type", "object_pk", "record", "changed")
    list_display_links = ("at",)
    list_select_related = ("content_type",)
    list_filter = ("via", "action", ("content_type", RecordTypeFilter), "at")
    search_fields = ("actor_label__startswith", "object_pk__exact")
    search_help_text = _("A user or job name (or its beginning), or a record key.")
    ordering = ("-at", "-id")
    paginator = LargeTablePaginator
    show_full_result_count = False
    fields = (
        "at",
        "actor_label",
        "actor",
        "via",
        "action",
        "content_type",
        "object_pk",
        "record",
        "changes_table",
        "reason",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("record"))
    def record(self, obj):
        label = Truncator(obj.object_repr).chars(60)
        model = obj.content_type.model_class()
        if obj.action == AuditEntry.Action.DELETE or model is None:
            return label
        try:
            url = reverse(
                f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.object_pk]
            )
        except NoReverseMatch:
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description=_("changed fields"))
    def changed(self, obj):
        return Truncator(", ".join(sorted(obj.changes))).chars(80)

    @admin.display(description=_("changes"))
    def changes_table(self, obj):
        if not obj.changes:
            return "—"
        model = obj.content_type.model_class()
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            (
                (_field_label(model, name), _shown(values[0]), _shown(values[-1]))
                for name, values in sorted(obj.changes.items())
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("field"),
            _("before"),
            _("after"),
            rows,
        )
