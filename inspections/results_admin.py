"""Admin for inspection results: the inspecting agency's clerk records what the inspection of a
drawn enterprise found, corrects it until it is published, and publishes it. A clerk sees only
their own agency's results (another agency's unpublished results are none of theirs)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from inspections.models import InspectionResult, InspectionTask, ResultCategory
from inspections.permissions import own_rows, visible_tasks
from inspections.services import result_is_late, result_publish, result_record, result_update
from registry.admin.base import VIA, ReadOnlyAdmin, ServiceModelAdmin, error_text
from registry.forms import ServiceModelForm
from registry.models import Enterprise


class ResultForm(ServiceModelForm):
    task = forms.ModelChoiceField(label=_("task"), queryset=InspectionTask.objects.none())
    uscc = forms.CharField(
        label=_("USCC of the drawn enterprise"), max_length=18, help_text=_("18 characters.")
    )
    service_error_fields = {"enterprise": "uscc"}

    class Meta:
        model = InspectionResult
        fields = ["category", "inspected_on", "detail"]


def _as_form_error(call):
    try:
        return call()
    except PermissionDenied as exc:
        raise ValidationError(str(exc)) from exc


@admin.register(InspectionResult)
class InspectionResultAdmin(ServiceModelAdmin):
    form = ResultForm
    extra_service_fields = ("task", "uscc")
    list_display = (
        "target",
        "enterprise_name",
        "agency",
        "category",
        "inspected_on",
        "publish_by",
        "published_at",
        "late",
    )
    list_select_related = ("target__enterprise", "target__task", "agency", "category")
    list_filter = ("category", ("published_at", admin.EmptyFieldListFilter))
    search_fields = ("target__enterprise__uscc", "target__enterprise__name")
    actions = ["publish"]

    def get_queryset(self, request):
        return own_rows(request.user, super().get_queryset(request), "agency")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "task" in form.base_fields:
            drawn = InspectionTask.objects.filter(state=InspectionTask.State.DRAWN)
            form.base_fields["task"].queryset = visible_tasks(request.user, drawn)
        if "category" in form.base_fields:
            form.base_fields["category"].queryset = ResultCategory.objects.filter(in_use=True)
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("task", "uscc", "category", "inspected_on", "detail")
        return (
            "target",
            "agency",
            "category",
            "inspected_on",
            "detail",
            "recorded_at",
            "publish_by",
            "published_at",
            "record",
            "abnormal_listing",
            "penalty",
            "audit_trail",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fixed = [
            "target",
            "agency",
            "recorded_at",
            "publish_by",
            "published_at",
            "record",
            "abnormal_listing",
        ]
        fixed += ["penalty", "audit_trail"]
        if obj.is_published:
            fixed += ["category", "inspected_on", "detail"]
        return fixed

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("enterprise"))
    def enterprise_name(self, obj):
        return obj.target.enterprise.name

    @admin.display(description=_("late"), boolean=True)
    def late(self, obj):
        return result_is_late(obj)

    def service_create(self, request, form, values):
        uscc = values.pop("uscc").strip().upper()
        enterprise = Enterprise.objects.filter(uscc=uscc).first()
        if enterprise is None:
            raise ValidationError({"uscc": _("No enterprise is registered with this USCC.")})
        return _as_form_error(
            lambda: result_record(enterprise=enterprise, actor=request.user, via=VIA, **values)
        )

    def service_update(self, request, form, obj, changes):
        if not changes:
            return obj
        return _as_form_error(lambda: result_update(result=obj, actor=request.user, via=VIA, **changes))

    @admin.action(description=_("Publish the selected results on the enterprises' profiles"))
    def publish(self, request, queryset):
        for result in queryset.select_related("target__enterprise"):
            try:
                result_publish(result=result, actor=request.user, via=VIA)
            except (ValidationError, PermissionDenied) as exc:
                text = error_text(exc) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{result.target.enterprise.name}: {text}", messages.ERROR)
            else:
                self.message_user(
                    request, f"{result.target.enterprise.name}: {_('published')}", messages.SUCCESS
                )


@admin.register(ResultCategory)
class ResultCategoryAdmin(ReadOnlyAdmin):
    """Versioned reference data, loaded by migration."""

    list_display = ("order", "name_zh", "name_en", "version", "record_result", "consequence", "in_use")
