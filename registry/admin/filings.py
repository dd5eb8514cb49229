"""The queue of applications for removal from the abnormal list."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from registry.admin.base import VIA, ReadOnlyAdmin, error_text
from registry.models import AbnormalRemovalApplication
from registry.services import abnormal_removal_decide


@admin.register(AbnormalRemovalApplication)
class AbnormalRemovalApplicationAdmin(ReadOnlyAdmin):
    """The queue: a clerk of the listing agency approves (the listing is removed) or rejects with a reason."""

    list_display = ("enterprise", "listing", "report_year", "submitted_at", "status", "decided_at")
    list_select_related = ("enterprise", "listing")
    list_filter = ("status",)
    search_fields = ("enterprise__uscc__exact",)
    actions = ["approve", "reject"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        membership = getattr(request.user, "agency_membership", None)
        if membership is None:
            return queryset.none()
        return queryset.filter(listing__listing_agency_id=membership.agency_id)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("registry.change_abnormalremovalapplication")

    def _decide(self, request, queryset, *, approve: bool, reason: str = ""):
        for application in queryset.filter(status=AbnormalRemovalApplication.Status.PENDING):
            try:
                abnormal_removal_decide(
                    application=application, approve=approve, reason=reason, actor=request.user, via=VIA
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
