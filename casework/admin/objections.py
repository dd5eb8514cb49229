"""The objection queue (异议) of an agency: clerks see their agency's objections and decide them.

Everything the company sent is read-only; the only write is the decision (corrected / upheld, with
its reason). A "corrected" decision corrects the record in the same step: the form shows the fields
of the disputed record that may be corrected, filled with their current values, and
``casework.services.objection_decide`` writes the correction and the decision together.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from casework.admin.documents import document_links
from casework.models import Objection
from casework.services import objection_decide
from casework.services.corrections import CORRECTION_PREFIX, correction_fields, objected_record
from casework.services.objections import RECORD_SOURCES, may_decide, objections_for_clerk
from registry.admin.base import VIA, ServiceModelAdmin
from registry.forms import ServiceModelForm

SUBMISSION_FIELDS = (
    "enterprise",
    "record_type",
    "record_link",
    "agency",
    "reason",
    "documents_list",
    "submitted_by",
    "submitted_at",
    "due_on",
    "deadline",
)
DECISION_FIELDS = ("status", "decision_reason")


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue")), ("no", _("within the deadline"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(status=Objection.Status.OPEN, due_on__lt=today)
        if self.value() == "no":
            return queryset.filter(status=Objection.Status.OPEN, due_on__gte=today)
        return queryset


class ObjectionDecisionForm(ServiceModelForm):
    status = forms.ChoiceField(
        label=_("decision"),
        choices=[
            (Objection.Status.CORRECTED, _("corrected: the record was wrong")),
            (Objection.Status.UPHELD, _("upheld: the record stands")),
        ],
        widget=forms.RadioSelect,
    )
    decision_reason = forms.CharField(
        label=_("reason for the decision"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to the company and sent to it by mail."),
    )

    class Meta:
        model = Objection
        fields = list(DECISION_FIELDS)


def correction_form_fields(objection: Objection) -> dict[str, forms.Field]:
    """The disputed record's correctable fields as optional form fields holding its current values
    (named with ``CORRECTION_PREFIX``); none when the type has none or the record is gone."""
    names = correction_fields(objection.record_type)
    record = objected_record(objection) if names else None
    if record is None:
        return {}
    fields = {}
    for name in names:
        model_field = type(record)._meta.get_field(name)
        form_field = model_field.formfield()
        if form_field is None:
            continue
        # Left as they are unless the record was wrong; the record's own rules judge a change.
        form_field.required = False
        form_field.initial = model_field.value_from_object(record)
        fields[f"{CORRECTION_PREFIX}{name}"] = form_field
    return fields


def deadline_html(objection: Objection, today=None):
    today = today or timezone.localdate()
    if not objection.is_open:
        return "—"
    if objection.is_overdue(today):
        return format_html('<strong style="color: var(--error-fg)">{}</strong>', _("Overdue"))
    days = objection.working_days_left(today)
    return ngettext("%(days)d working day left", "%(days)d working days left", days) % {"days": days}


def record_admin_url(objection: Objection) -> str:
    if objection.record_type == Objection.RecordType.ENTERPRISE:
        name = "admin:registry_enterprise_change"
    elif objection.record_type == Objection.RecordType.LIST_ENTRY:
        name = "admin:blacklists_listentry_change"
    elif objection.record_type in RECORD_SOURCES:
        model = RECORD_SOURCES[objection.record_type][0]
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
    else:  # a credit evaluation: its own app links it
        return ""
    try:
        return reverse(name, args=[objection.record_id])
    except NoReverseMatch:
        return ""


@admin.register(Objection)
class ObjectionAdmin(ServiceModelAdmin):
    """Objection queue: read what the company sent, then decide it (once)."""

    form = ObjectionDecisionForm
    list_display = ("enterprise", "record", "submitted_at", "due_on", "deadline", "status")
    list_select_related = ("enterprise", "agency")
    list_filter = ("status", OverdueFilter)
    list_per_page = 50
    ordering = ("due_on", "id")
    search_fields = ("enterprise__uscc__exact", "enterprise__name__icontains")
    search_help_text = _("The enterprise's full USCC, or words of its name.")

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("documents")
        return objections_for_clerk(request.user, queryset)

    def _correction_fields(self, request, obj) -> dict[str, forms.Field]:
        """The correction's form fields for a clerk who may decide ``obj`` now, built once a request."""
        if obj is None or not obj.is_open or not may_decide(request.user, obj):
            return {}
        cache = request.__dict__.setdefault("_objection_correction_fields", {})
        if obj.pk not in cache:
            cache[obj.pk] = correction_form_fields(obj)
        return cache[obj.pk]

    def get_form(self, request, obj=None, change=False, **kwargs):
        fields = self._correction_fields(request, obj)
        if fields:
            kwargs["form"] = type("ObjectionCorrectionForm", (self.form,), dict(fields))
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(_("The objection"), {"fields": SUBMISSION_FIELDS})]
        if obj is not None and obj.is_open and may_decide(request.user, obj):
            correction = list(self._correction_fields(request, obj))
            description = _(
                "Decide within the deadline. A “corrected” decision corrects the record in the same "
                "step: change its wrong fields below. The correction and the decision are written and "
                "audited together, or not at all."
            )
            fieldsets.append((_("Decision"), {"fields": DECISION_FIELDS, "description": description}))
            if correction:
                fieldsets.append(
                    (
                        _("Correction of the record"),
                        {
                            "fields": correction,
                            "description": _(
                                "Only with a “corrected” decision. The fields hold the record's current "
                                "values; change those that were wrong and leave the others."
                            ),
                        },
                    )
                )
        else:
            fieldsets.append(
                (_("Decision"), {"fields": ("status", "decided_at", "decided_by", "decision_reason")})
            )
        fieldsets.append((_("History"), {"fields": ("audit_trail",)}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = [*SUBMISSION_FIELDS, "decided_at", "decided_by", "audit_trail"]
        if obj is None or not obj.is_open or not may_decide(request.user, obj):
            readonly += list(DECISION_FIELDS)
        return readonly

    def has_add_permission(self, request):
        return False  # companies submit objections in the portal

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not (obj.is_open and may_decide(request.user, obj)):
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("record"))
    def record(self, obj):
        return f"{obj.get_record_type_display()}: {obj.record_summary}"

    @admin.display(description=_("record"))
    def record_link(self, obj):
        url = record_admin_url(obj)
        if url:
            return format_html('<a href="{}">{}</a>', url, obj.record_summary)
        return obj.record_summary

    @admin.display(description=_("time left"))
    def deadline(self, obj):
        return deadline_html(obj)

    @admin.display(description=_("documents"))
    def documents_list(self, obj):
        return document_links(obj.documents.all())

    def service_update(self, request, form, obj, changes):
        # A field the request did not send is left as it is (not emptied).
        corrections = {
            name.removeprefix(CORRECTION_PREFIX): form.cleaned_data[name]
            for name in form.changed_data
            if name.startswith(CORRECTION_PREFIX) and name in form.data
        }
        return objection_decide(
            objection=obj,
            outcome=form.cleaned_data["status"],
            reason=form.cleaned_data["decision_reason"],
            corrections=corrections,
            actor=request.user,
            via=VIA,
        )
