"""Warning interviews in admin: the local credit office's clerks record theirs (held, or refused),
through ``warning_interview_record``. Briefing invitations and the alert list are read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import clerk_agency_id
from registry.admin.base import VIA, ReadOnlyAdmin
from scoring.models import AlertListEntry, BriefingInvitation, InterviewStatus, WarningInterview
from scoring.services.interviews import (
    may_record_interview,
    warning_interview_errors,
    warning_interview_record,
)


class InterviewRecordForm(forms.ModelForm):
    status = forms.ChoiceField(
        label=_("status"),
        choices=[
            (InterviewStatus.HELD, InterviewStatus.HELD.label),
            (InterviewStatus.REFUSED, InterviewStatus.REFUSED.label),
        ],
    )
    held_on = forms.DateField(label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = WarningInterview
        fields = ("status", "held_on", "attendees", "outcome")

    def clean(self):
        data = super().clean()
        stored = WarningInterview.objects.get(pk=self.instance.pk)
        errors = warning_interview_errors(
            interview=stored,
            status=data.get("status", ""),
            held_on=data.get("held_on"),
            attendees=data.get("attendees", ""),
            outcome=data.get("outcome", ""),
            today=timezone.localdate(),
        )
        for field, messages in errors.items():
            self.add_error(None if field == "__all__" else field, messages)
        return data

    def _post_clean(self):
        # The service checks and writes the record; the model's own check runs there.
        pass


def _own(request, queryset):
    if request.user.is_superuser:
        return queryset
    agency_id = clerk_agency_id(request.user)
    return queryset.filter(agency_id=agency_id) if agency_id else queryset.none()


def _clerk(request) -> bool:
    return (
        request.user.is_active
        and request.user.is_staff
        and (request.user.is_superuser or clerk_agency_id(request.user) is not None)
    )


@admin.register(WarningInterview)
class WarningInterviewAdmin(admin.ModelAdmin):
    form = InterviewRecordForm
    list_display = ("enterprise", "agency", "opened_at", "status", "held_on")
    list_filter = ("status",)
    list_select_related = ("enterprise", "agency")
    search_fields = ("enterprise__uscc__exact", "enterprise__name__icontains")
    readonly_fields = ("enterprise", "agency", "evaluation", "opened_at", "recorded_by", "recorded_at")
    ordering = ("status", "opened_at", "id")

    def get_queryset(self, request):
        return _own(request, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_pending:
            return (*self.readonly_fields, "status", "held_on", "attendees", "outcome")
        return self.readonly_fields

    def get_fields(self, request, obj=None):
        return (
            "enterprise",
            "agency",
            "evaluation",
            "opened_at",
            "status",
            "held_on",
            "attendees",
            "outcome",
            "recorded_by",
            "recorded_at",
        )

    def has_module_permission(self, request):
        return _clerk(request)

    def has_view_permission(self, request, obj=None):
        return _clerk(request) and (
            obj is None or request.user.is_superuser or obj.agency_id == clerk_agency_id(request.user)
        )

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return _clerk(request)
        return obj.is_pending and may_record_interview(request.user, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not may_record_interview(request.user, obj):
            raise PermissionDenied
        warning_interview_record(
            interview=obj,
            status=form.cleaned_data["status"],
            held_on=form.cleaned_data["held_on"],
            attendees=form.cleaned_data.get("attendees", ""),
            outcome=form.cleaned_data["outcome"],
            actor=request.user,
            via=VIA,
        )

    def log_change(self, request, obj, message):
        """The service wrote the audit entry."""


@admin.register(BriefingInvitation)
class BriefingInvitationAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "agency", "invited_at")
    list_select_related = ("enterprise", "agency")
    search_fields = ("enterprise__uscc__exact", "enterprise__name__icontains")


@admin.register(AlertListEntry)
class AlertListEntryAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "listed_on", "left_on", "areas")
    list_select_related = ("enterprise",)
    list_filter = (("left_on", admin.EmptyFieldListFilter),)
    search_fields = ("enterprise__uscc__exact", "enterprise__name__icontains")
