"""The agency administration: Django's admin site with the clerk's home as its index.

The index leads with the clerk's queue (``casework.selectors.queue``), the imports in progress and
the list entries that end this month, then the models grouped by task instead of by app. Internal
tables (derived data and logs) are for superusers only: hidden from a clerk's index and refused by
permission. The site is set up here, at the top of the stack, so that it may read every app.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.admin_scope import scope_admin_class
from config.clerk_home import UnknownAgency, clerk_home_context, selected_agency
from portal.middleware import bad_request

# Derived data and logs that no clerk maintains: the search index, the restriction checks of API
# clients, issued credit reports, outgoing mail and the subject events behind the notices.
INTERNAL_MODELS = frozenset(
    {
        "search.searchdocument",
        "blacklists.restrictioncheck",
        "portal.creditreport",
        "registry.outboundmail",
        "registry.subjectevent",
    }
)

# The groups of the index, in order: (key, name, superusers only, models "app.model" in order).
GROUPS = (
    (
        "lists",
        _("Lists"),
        False,
        (
            "blacklists.listentry",
            "blacklists.listtype",
            "registry.abnormaloperationlisting",
            "blacklists.memorandum",
            "blacklists.measure",
            "blacklists.listfeed",
        ),
    ),
    (
        "casework",
        _("Casework"),
        False,
        ("casework.objection", "casework.repairapplication", "casework.abnormalremovalapplication"),
    ),
    (
        "inspections",
        _("Double-random inspections"),
        False,
        (
            "inspections.inspectiontask",
            "inspections.secretcommitment",
            "inspections.annualplan",
            "inspections.inspectionitem",
            "inspections.inspector",
            "inspections.declaredconflict",
            "inspections.drawntarget",
            "inspections.exclusion",
            "inspections.inspectionresult",
            "inspections.resultcategory",
        ),
    ),
    (
        "government",
        _("Government integrity"),
        False,
        (
            "government.dishonestyrecord",
            "government.assessmentround",
            "government.assessmentscore",
            "government.feedbackstatistic",
        ),
    ),
    (
        "register",
        _("Register"),
        False,
        (
            "registry.enterprise",
            "registry.person",
            "filings.annualreportfiling",
            "filings.instantdisclosure",
            "filings.creditcommitment",
            "scoring.agencygrade",
        ),
    ),
    (
        "reference",
        _("Reference data"),
        False,
        ("registry.agency", "registry.region", "registry.workingcalendaryear", "scoring.agencygradescheme"),
    ),
    (
        "scoring",
        _("Scoring"),
        False,
        (
            "scoring.ruleset",
            "scoring.evaluation",
            "scoring.riskclassassessment",
            "scoring.warninginterview",
            "scoring.alertlistentry",
            "scoring.briefinginvitation",
        ),
    ),
    ("imports", _("Imports"), False, ("imports.importrun",)),
    (
        "administration",
        _("Accounts and administration"),
        False,
        (
            "auth.user",
            "auth.group",
            "accounts.agencymembership",
            "accounts.activationcode",
            "blacklists.apiclient",
            "registry.auditentry",
        ),
    ),
    ("internal", _("Internal tables"), True, tuple(sorted(INTERNAL_MODELS))),
)

# Where a model not named in GROUPS goes, by its app.
GROUP_OF_APP = {
    "blacklists": "lists",
    "casework": "casework",
    "inspections": "inspections",
    "government": "government",
    "registry": "register",
    "filings": "register",
    "accounts": "administration",
    "auth": "administration",
    "imports": "imports",
    "scoring": "scoring",
}
OTHER_GROUP = "other"


def _model_key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def group_of(key: str) -> str:
    for group, _name, _superusers_only, models in GROUPS:
        if key in models:
            return group
    return GROUP_OF_APP.get(key.split(".", 1)[0], OTHER_GROUP)


def _superuser(request) -> bool:
    return request.user.is_active and request.user.is_superuser


class SuperusersOnlyAdminMixin:
    """An internal table: a clerk neither sees it on the index nor opens it."""

    def has_module_permission(self, request):
        return _superuser(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return _superuser(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args, **kwargs):
        return _superuser(request) and super().has_add_permission(request, *args, **kwargs)

    def has_change_permission(self, request, obj=None):
        return _superuser(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _superuser(request) and super().has_delete_permission(request, obj)


class ClerkAdminSite(admin.AdminSite):
    """The admin site of the project (``django.contrib.admin.site``, through ``ClerkAdminConfig``)."""

    def register(self, model_or_iterable, admin_class=None, **options):
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        for model in models:
            model_admin = admin_class or admin.ModelAdmin
            if _model_key(model) in INTERNAL_MODELS and not issubclass(model_admin, SuperusersOnlyAdminMixin):
                model_admin = type(model_admin.__name__, (SuperusersOnlyAdminMixin, model_admin), {})
            # Whose rows a clerk reaches: config/admin_scope.py.
            model_admin = scope_admin_class(model, model_admin)
            super().register(model, model_admin, **options)

    def get_app_list(self, request, app_label=None):
        """The index and the navigation group the models by task; an app's own page keeps its app."""
        if app_label is not None:
            return super().get_app_list(request, app_label)
        apps = super().get_app_list(request)
        index_url = reverse(f"{self.name}:index")
        entries: dict[str, list[dict]] = {}
        for app in apps:
            for model in app["models"]:
                key = _model_key(model["model"])
                entries.setdefault(group_of(key), []).append({**model, "_key": key})
        grouped = []
        for group, name, superusers_only, keys in GROUPS:
            models = entries.pop(group, [])
            if models and not (superusers_only and not _superuser(request)):
                order = {key: position for position, key in enumerate(keys)}
                models.sort(key=lambda model: (order.get(model["_key"], len(order)), str(model["name"])))
                grouped.append(self._group(group, name, models, index_url))
        other = [model for models in entries.values() for model in models]
        if other:
            other.sort(key=lambda model: str(model["name"]))
            grouped.append(self._group(OTHER_GROUP, _("Other"), other, index_url))
        return grouped

    @staticmethod
    def _group(key: str, name, models: list[dict], index_url: str) -> dict:
        return {
            "name": name,
            "app_label": key,
            "app_url": f"{index_url}#group-{key}",
            "has_module_perms": True,
            "models": [{k: v for k, v in model.items() if k != "_key"} for model in models],
        }

    def index(self, request, extra_context=None):
        try:
            agency = selected_agency(request)
        except UnknownAgency as problem:
            return bad_request(request, message=str(problem))
        context = clerk_home_context(request, agency)
        return super().index(request, extra_context={**context, **(extra_context or {})})
