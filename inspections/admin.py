"""Admin for double-random inspections: a clerk sees and changes their own agency's item list,
inspectors, conflicts, plans and tasks (and sees the joint tasks their agency takes part in); every
write is a service call. Draws are read-only: the draw writes them."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.permissions import clerk_agency_id, is_unrestricted
from inspections.models import (
    AnnualPlan,
    DeclaredConflict,
    DrawnTarget,
    Exclusion,
    InspectionItem,
    InspectionTask,
    Inspector,
    SecretCommitment,
)
from inspections.permissions import may_maintain, own_rows, visible_tasks
from inspections.services import (
    annual_plan_create,
    annual_plan_update,
    commitment_add,
    conflict_declare,
    inspection_item_create,
    inspection_item_update,
    inspector_create,
    inspector_update,
    secret_reveal,
    task_create,
    task_draw,
    task_manifest_publish,
    task_update,
)
from registry.admin.base import VIA, ReadOnlyAdmin, ServiceModelAdmin, error_text
from registry.models import Agency


def _as_form_error(call):
    try:
        return call()
    except PermissionDenied as exc:
        raise ValidationError(str(exc)) from exc


class OwnAgencyAdmin(ServiceModelAdmin):
    """Rows of the clerk's own agency only; the agency field offers only that agency."""

    agency_path = "agency"

    def get_queryset(self, request):
        return own_rows(request.user, super().get_queryset(request), self.agency_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency" and not is_unrestricted(request.user):
            kwargs["queryset"] = Agency.objects.filter(pk=clerk_agency_id(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False  # a published item, inspector or plan stays; set it unpublished or inactive


@admin.register(InspectionItem)
class InspectionItemAdmin(OwnAgencyAdmin):
    list_display = ("name_zh", "name_en", "agency", "kind", "published")
    list_filter = ("kind", "published")
    list_select_related = ("agency",)
    search_fields = ("name_zh", "name_en")

    def service_create(self, request, form, values):
        return _as_form_error(lambda: inspection_item_create(actor=request.user, via=VIA, **values))

    def service_update(self, request, form, obj, changes):
        if not changes:
            return obj
        return _as_form_error(
            lambda: inspection_item_update(item=obj, actor=request.user, via=VIA, **changes)
        )


@admin.register(Inspector)
class InspectorAdmin(OwnAgencyAdmin):
    list_display = ("name", "certificate_number", "agency", "enforcement_fields", "active")
    list_filter = ("active",)
    list_select_related = ("agency",)
    search_fields = ("name", "certificate_number")
    raw_id_fields = ("person", "user")

    def service_create(self, request, form, values):
        return _as_form_error(lambda: inspector_create(actor=request.user, via=VIA, **values))

    def service_update(self, request, form, obj, changes):
        if not changes:
            return obj
        return _as_form_error(lambda: inspector_update(inspector=obj, actor=request.user, via=VIA, **changes))


@admin.register(DeclaredConflict)
class DeclaredConflictAdmin(OwnAgencyAdmin):
    agency_path = "inspector__agency"
    list_display = ("inspector", "enterprise", "reason", "declared_at")
    list_select_related = ("inspector", "enterprise")
    raw_id_fields = ("enterprise",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "inspector":
            kwargs["queryset"] = own_rows(request.user, Inspector.objects.all(), "agency")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)  # declared once, never edited

    def service_create(self, request, form, values):
        return _as_form_error(lambda: conflict_declare(actor=request.user, via=VIA, **values))


@admin.register(AnnualPlan)
class AnnualPlanAdmin(OwnAgencyAdmin):
    list_display = ("year", "title_zh", "agency", "published")
    list_filter = ("published", "year")
    list_select_related = ("agency",)

    def service_create(self, request, form, values):
        return _as_form_error(lambda: annual_plan_create(actor=request.user, via=VIA, **values))

    def service_update(self, request, form, obj, changes):
        if not changes:
            return obj
        return _as_form_error(lambda: annual_plan_update(plan=obj, actor=request.user, via=VIA, **changes))


class SecretCommitmentInline(admin.TabularInline):
    model = SecretCommitment
    fields = ("order", "party", "commitment", "revealed_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # added through the commitment admin, by the service


@admin.register(InspectionTask)
class InspectionTaskAdmin(ServiceModelAdmin):
    list_display = ("name_zh", "plan", "state", "complete_by", "manifest_published_at", "drawn_at")
    list_filter = ("state",)
    list_select_related = ("plan__agency",)
    search_fields = ("name_zh", "name_en")
    filter_horizontal = ("items", "joint_agencies")
    inlines = (SecretCommitmentInline,)
    actions = ["publish_manifest", "draw"]
    m2m_names = ("items", "joint_agencies")
    readonly_fields = (
        "state",
        "manifest_published_at",
        "drawn_at",
        "seed",
        "beacon",
        "target_rows",
        "target_count",
    )

    def get_queryset(self, request):
        return visible_tasks(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "plan":
            kwargs["queryset"] = own_rows(request.user, AnnualPlan.objects.all(), "agency")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "items" and not is_unrestricted(request.user):
            kwargs["queryset"] = InspectionItem.objects.filter(agency_id=clerk_agency_id(request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or (not obj.is_frozen and may_maintain(request.user, obj.plan.agency_id))
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def service_create(self, request, form, values):
        m2m = {name: form.cleaned_data[name] for name in self.m2m_names}
        return _as_form_error(lambda: task_create(actor=request.user, via=VIA, **m2m, **values))

    def service_update(self, request, form, obj, changes):
        m2m = {name: form.cleaned_data[name] for name in self.m2m_names if name in form.changed_data}
        if not changes and not m2m:
            return obj
        return _as_form_error(lambda: task_update(task=obj, actor=request.user, via=VIA, **m2m, **changes))

    def save_related(self, request, form, formsets, change):
        # The many-to-many fields were written (and audited) by the service; the commitments
        # inline only shows rows (they are added through their own admin): nothing to save, but
        # the admin's change message reads what each formset saved.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def _each(self, request, queryset, service, done):
        for task in queryset.select_related("plan"):
            try:
                service(task=task, actor=request.user, via=VIA)
            except (ValidationError, PermissionDenied) as exc:
                text = error_text(exc) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{task}: {text}", messages.ERROR)
            else:
                self.message_user(request, f"{task}: {done}", messages.SUCCESS)

    @admin.action(description=_("Publish the manifest (freezes the task)"))
    def publish_manifest(self, request, queryset):
        self._each(request, queryset, task_manifest_publish, _("manifest published"))

    @admin.action(description=_("Draw targets and inspectors"))
    def draw(self, request, queryset):
        self._each(request, queryset, task_draw, _("drawn"))


@admin.register(SecretCommitment)
class SecretCommitmentAdmin(ServiceModelAdmin):
    """A party's commitment is entered while the task is a draft; its secret is revealed here after
    the manifest is published, and must match."""

    list_display = ("task", "order", "party", "commitment", "revealed_at")
    list_select_related = ("task",)

    def get_queryset(self, request):
        tasks = visible_tasks(request.user, InspectionTask.objects.all())
        return super().get_queryset(request).filter(task__in=tasks)

    def get_fields(self, request, obj=None):
        return ("task", "party", "commitment") if obj is None else ("task", "party", "commitment", "secret")

    def get_readonly_fields(self, request, obj=None):
        return ("task", "party", "commitment") if obj is not None else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "task":
            tasks = InspectionTask.objects.filter(state=InspectionTask.State.DRAFT)
            kwargs["queryset"] = own_rows(request.user, tasks, "plan__agency")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (
            obj is None or (obj.revealed_at is None and may_maintain(request.user, obj.task.plan.agency_id))
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def service_create(self, request, form, values):
        return _as_form_error(
            lambda: commitment_add(
                task=values["task"],
                party=values["party"],
                commitment=values["commitment"],
                actor=request.user,
                via=VIA,
            )
        )

    def service_update(self, request, form, obj, changes):
        if "secret" not in changes:
            return obj
        return _as_form_error(
            lambda: secret_reveal(commitment=obj, secret=changes["secret"], actor=request.user, via=VIA)
        )


class DrawRowAdmin(ReadOnlyAdmin):
    def get_queryset(self, request):
        tasks = visible_tasks(request.user, InspectionTask.objects.all())
        return super().get_queryset(request).filter(task__in=tasks)


@admin.register(DrawnTarget)
class DrawnTargetAdmin(DrawRowAdmin):
    list_display = ("task", "position", "enterprise", "risk_class", "stream_index", "replaced")
    list_select_related = ("task", "enterprise")
    list_filter = ("replaced",)


@admin.register(Exclusion)
class ExclusionAdmin(DrawRowAdmin):
    list_display = ("task", "enterprise", "inspector", "reason", "detail")
    list_select_related = ("task", "enterprise", "inspector")
    list_filter = ("reason",)


from inspections import results_admin  # noqa: E402,F401  (registers the results admin)
