"""The queue of applications for removal from the abnormal-operations list: a clerk of the listing
agency approves (the listing is removed) or rejects with a reason."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.permissions import clerk_agency_id
from casework.models import AbnormalRemovalApplication
from casework.services import application_decide
from registry.admin.base import VIA, error_text


@admin.register(AbnormalRemovalApplication)
class AbnormalRemovalApplicationAdmin(admin.ModelAdmin):
    """The queue: a clerk of the listing agency approves (the listing is removed) or rejects with a reason."""

    list_display = ("enterprise", "listing", "report_year", "submitted_at", "due_on", "status", "decided_at")
    list_select_related = ("enterprise", "listing")
    list_filter = ("status",)
    search_fields = ("enterprise__uscc__exact",)
    actions = ["approve", "reject"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        agency_id = clerk_agency_id(request.user)
        return queryset.filter(agency_id=agency_id) if agency_id else queryset.none()

    def has_add_permission(self, request):
        return False  # companies apply in the portal

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("casework.change_abnormalremovalapplication")

    def _decide(self, request, queryset, *, approve: bool, reason: str = ""):
        for application in queryset.filter(status=AbnormalRemovalApplication.Status.PENDING):
            try:
                application_decide(
                    application=application,
                    outcome=(
                        AbnormalRemovalApplication.Status.APPROVED
                        if approve
                        else AbnormalRemovalApplication.Status.REJECTED
                    ),
                    reason=reason,
                    actor=request.user,
                    via=VIA,
                )
            except (ValidationError, PermissionDenied) as exc:
                text = error_text(exc) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{application}: {text}", messages.ERROR)

    @admin.action(description=_("Approve: remove the listing"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject: the report is still missing or incomplete"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(
            request,
            queryset,
            approve=False,
            reason=str(_("The annual report is still missing or incomplete.")),
        )
