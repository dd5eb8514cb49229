"""The credit repair queue (信用修复) of the deciding agency: read the application, then approve or
reject it with a reason through ``casework.services.application_decide``."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blacklists.admin.entries import ReasonForm, reasoned_action
from blacklists.permissions import clerk_agency, is_unrestricted
from casework.admin.documents import document_links
from casework.models import RepairApplication
from casework.services import application_decide
from registry.models import AuditEntry

VIA = AuditEntry.Via.ADMIN


@admin.register(RepairApplication)
class RepairApplicationAdmin(admin.ModelAdmin):
    """Applications to the clerk's agency, oldest deadline first; decided only through the service."""

    list_display = ("due_on", "overdue", "status", "enterprise", "target_display", "agency", "submitted_at")
    list_filter = ("status", "due_on")
    list_select_related = ("enterprise", "agency", "list_entry", "list_entry__list_type", "penalty")
    search_fields = ("enterprise__uscc__exact", "enterprise__name__startswith")
    ordering = ("status", "due_on", "id")
    actions = ("approve", "reject")
    fields = (
        "enterprise",
        "target_display",
        "agency",
        "submitted_by",
        "submitted_at",
        "due_on",
        "overdue",
        "documents_list",
        "status",
        "decided_by",
        "decided_at",
        "decision_reason",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("documents")
        if is_unrestricted(request.user):
            return queryset
        agency = clerk_agency(request.user)
        return queryset.filter(agency=agency) if agency else queryset.none()

    def has_add_permission(self, request):
        return False  # companies apply in the portal

    def has_change_permission(self, request, obj=None):
        return False  # decisions go through the approve / reject actions

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("record"))
    def target_display(self, obj):
        if obj.list_entry_id:
            return f"{obj.list_entry.list_type.name_zh} {obj.list_entry.decision_number}"
        return f"{_('administrative penalty')} {obj.penalty.decision_number}"

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue(timezone.localdate())

    @admin.display(description=_("documents"))
    def documents_list(self, obj):
        return document_links(
            obj.documents.all(),
            label=lambda document: (
                f"{document.get_kind_display()}: {document.original_name or document.sha256[:12]}"
            ),
        )

    def _decide(self, request, queryset, *, approve: bool, title):
        outcome = RepairApplication.Status.APPROVED if approve else RepairApplication.Status.REJECTED

        def decide(application, data):
            application_decide(
                application=application, outcome=outcome, reason=data["reason"], actor=request.user, via=VIA
            )

        return reasoned_action(
            self,
            request,
            queryset.select_related("agency"),
            title=title,
            form_class=ReasonForm,
            apply=decide,
            done=_("%(n)d applications decided."),
        )

    @admin.action(description=_("Approve the repair (ends the listing or publication today) with a reason"))
    def approve(self, request, queryset):
        return self._decide(request, queryset, approve=True, title=_("Approve credit repair"))

    @admin.action(description=_("Reject the repair with a reason"))
    def reject(self, request, queryset):
        return self._decide(request, queryset, approve=False, title=_("Reject credit repair"))
