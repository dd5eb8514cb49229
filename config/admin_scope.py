"""Whose rows a clerk reaches in admin: every registered model in one class (docs/security.md).

A clerk is a staff user with an ``AgencyMembership``; superusers (and jobs) act for every agency.

- ``AGENCY_SCOPE``: rows kept by one agency, by the lookup to that agency. A clerk lists, opens,
  changes and deletes only their own agency's rows; another agency's row is refused with 403 (the
  generic :class:`AgencyScopedAdminMixin`, given to these admins by the site). Adding a row for
  another agency is refused too: the agency field offers only the clerk's own, and a row that
  would end up outside the clerk's agency is refused on save.
- ``SCOPED_BY_THEIR_ADMIN``: the same rule, kept by the model's own admin (``get_queryset`` with the
  app's permission helpers; casework, imports, inspections, list entries…); the lookup is what
  the test walks.
- ``LOOK_UP``: rows every clerk looks things up in (enterprises): all may view, only the owning
  agency's clerks change or delete (:class:`LookUpAdminMixin`).
- ``SHARED``: reference data, accounts and derived tables with no owning agency, kept by the
  central credit office (a clerk has no permission on them: ``accounts.clerk_roles``), and the
  tables every clerk reads whose changes their own admin rules (list types by owner, memoranda
  and measures by signatory).
- The internal tables (``config.admin_site.INTERNAL_MODELS``) are for superusers only.

Whatever the class, an object a user may not reach is answered with 403, not with Django's
redirect to the index ("doesn't exist"), so a refusal is a refusal.
``tests/security/test_admin_agency_scope.py`` walks every registered model.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet

from accounts.permissions import clerk_agency_id, is_unrestricted

AGENCY_SCOPE: dict[str, str] = {
    "accounts.agencymembership": "agency",
    "blacklists.apiclient": "agency",
    "filings.annualreportfiling": "enterprise__registration_authority",
    "filings.creditcommitment": "source_agency",
    "filings.instantdisclosure": "enterprise__registration_authority",
    "government.feedbackstatistic": "source_agency",
    "registry.abnormaloperationlisting": "listing_agency",
    "registry.administrativelicence": "issuing_agency",
    "registry.administrativepenalty": "deciding_agency",
    "registry.annualreport": "enterprise__registration_authority",
    "registry.award": "awarding_agency",
    "registry.branch": "enterprise__registration_authority",
    "registry.changerecord": "enterprise__registration_authority",
    "registry.contributionrecord": "source_agency",
    "registry.inspectionrecord": "inspecting_agency",
    "registry.keypersonnel": "enterprise__registration_authority",
    "registry.shareholder": "enterprise__registration_authority",
    "registry.taxrecord": "source_agency",
    "registry.utilityarrear": "source_agency",
    "scoring.agencygrade": "issuing_agency",
    "scoring.briefinginvitation": "agency",
}

SCOPED_BY_THEIR_ADMIN: dict[str, str] = {
    "accounts.activationcode": "enterprise__registration_authority",
    "blacklists.listentry": "issuing_agency",
    "casework.abnormalremovalapplication": "agency",
    "casework.objection": "agency",
    "casework.repairapplication": "agency",
    "government.dishonestyrecord": "recording_agency",
    "imports.importrun": "agency",
    "inspections.annualplan": "agency",
    "inspections.declaredconflict": "inspector__agency",
    "inspections.drawntarget": "task__plan__agency",
    "inspections.exclusion": "task__plan__agency",
    "inspections.inspectionitem": "agency",
    "inspections.inspectionresult": "agency",
    "inspections.inspector": "agency",
    "inspections.inspectiontask": "plan__agency",
    "inspections.secretcommitment": "task__plan__agency",
    "scoring.warninginterview": "agency",
}

LOOK_UP: dict[str, str] = {
    "registry.enterprise": "registration_authority",
}

SHARED: dict[str, str] = {
    "auth.user": "accounts: superusers manage them",
    "auth.group": "the clerk roles (accounts.clerk_roles)",
    "registry.agency": "reference data",
    "registry.region": "reference data (GB/T 2260 divisions)",
    "registry.workingcalendaryear": "reference data, kept by the central credit office",
    "registry.person": "subjects: every clerk looks persons up; no agency owns one",
    "registry.auditentry": "the audit trail, read by the central credit office; never written in admin",
    "blacklists.listfeed": "list-to-list feeds between list types, kept by the central credit office",
    "blacklists.listtype": "read by every clerk; changed by the owner's clerks only (blacklists.permissions)",
    "blacklists.memorandum": "read by every clerk; changed by the signatories' clerks only (its admin)",
    "blacklists.measure": "read by every clerk; added by the signatories' clerks only (its admin)",
    "scoring.agencygradescheme": "reference data, read-only in admin",
    "scoring.ruleset": "kept by the central credit office; read-only to other clerks (its admin)",
    "government.assessmentround": "integrity assessments, kept by the central credit office",
    "government.assessmentscore": "integrity assessments, kept by the central credit office",
    "inspections.resultcategory": "reference data: the result categories of inspections",
    "scoring.evaluation": "derived by the scoring engine; read-only",
    "scoring.riskclassassessment": "derived by the scoring engine; read-only",
    "scoring.alertlistentry": "derived by the scoring engine; read-only",
}


def model_key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def agency_id_of(obj: Model, path: str) -> int | None:
    """The id of the agency ``path`` leads to from ``obj`` (in memory: a row not saved yet works)."""
    *hops, last = path.split("__")
    current = obj
    for hop in hops:
        try:
            current = getattr(current, hop)
        except ObjectDoesNotExist:
            return None
        if current is None:
            return None
    return getattr(current, f"{last}_id", None)


def scoped_rows(user, queryset: QuerySet, path: str) -> QuerySet:
    if is_unrestricted(user):
        return queryset
    own = clerk_agency_id(user)
    return queryset.filter(**{f"{path}_id": own}) if own else queryset.none()


def _owns(user, obj: Model | None, path: str) -> bool:
    if obj is None or is_unrestricted(user):
        return True
    own = clerk_agency_id(user)
    return own is not None and agency_id_of(obj, path) == own


class RefuseHiddenObjectsMixin:
    """An object outside what the user may see is refused with 403 (Django's admin would redirect
    to the index saying it does not exist)."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
            try:
                value = field.to_python(object_id)
            except Exception:
                return None
            if self.model._default_manager.filter(**{field.name: value}).exists():
                raise PermissionDenied
        return obj


class AgencyScopedAdminMixin(RefuseHiddenObjectsMixin):
    """Rows of ``scope_path``'s agency only, for a clerk (see the module docstring)."""

    scope_path: str = ""

    def get_queryset(self, request):
        return scoped_rows(request.user, super().get_queryset(request), self.scope_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.scope_path and not is_unrestricted(request.user):
            kwargs["queryset"] = db_field.related_model._default_manager.filter(
                pk=clerk_agency_id(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not _owns(request.user, obj, self.scope_path):
            raise PermissionDenied
        return super().save_model(request, obj, form, change)


class LookUpAdminMixin(RefuseHiddenObjectsMixin):
    """Every clerk may view; only the owning agency's clerks change or delete."""

    scope_path: str = ""

    def has_change_permission(self, request, obj=None):
        return _owns(request.user, obj, self.scope_path) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _owns(request.user, obj, self.scope_path) and super().has_delete_permission(request, obj)


def scope_admin_class(model, admin_class):
    """The admin class the site registers for ``model``: with its agency scope mixed in."""
    key = model_key(model)
    for table, mixin in ((AGENCY_SCOPE, AgencyScopedAdminMixin), (LOOK_UP, LookUpAdminMixin)):
        if key in table:
            path = table[key]
            try:
                model._meta.get_field(path.split("__")[0])
            except FieldDoesNotExist as exc:
                raise LookupError(f"{key}: no field {path!r} to scope by") from exc
            return type(admin_class.__name__, (mixin, admin_class), {"scope_path": path})
    return type(admin_class.__name__, (RefuseHiddenObjectsMixin, admin_class), {})
