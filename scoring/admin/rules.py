"""Rule sets in admin: the central credit office (superusers, and users given the rule-set
permissions) edits them; every other clerk reads them. Saving goes through the services: a rule
set in force is never changed, its next version is created. Evaluations are read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from registry.admin.base import VIA, ReadOnlyAdmin, error_text
from scoring.indicators import indicator_choices
from scoring.models import (
    Evaluation,
    EvaluationContribution,
    GradeCutoff,
    RiskClassAssessment,
    RuleSet,
    RuleWeight,
)
from scoring.services.rules import RULE_SET_FIELDS, rule_set_create, rule_set_revise


class RuleWeightForm(forms.ModelForm):
    indicator = forms.ChoiceField(choices=indicator_choices)

    class Meta:
        model = RuleWeight
        fields = ("indicator", "tier", "points", "counts_for_months")


class RuleWeightInline(admin.TabularInline):
    model = RuleWeight
    form = RuleWeightForm
    extra = 0


class GradeCutoffInline(admin.TabularInline):
    model = GradeCutoff
    extra = 0
    max_num = 4


def _rows(formset, fields) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        rows.append({name: data.get(name) for name in fields})
    return rows


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ("name_en", "name_zh", "scheme", "version", "in_force_from", "published", "author_agency")
    list_filter = ("scheme", "published")
    search_fields = ("code", "name_en", "name_zh")
    readonly_fields = ("version", "previous", "created_at", "updated_at")
    inlines = (RuleWeightInline, GradeCutoffInline)

    def has_delete_permission(self, request, obj=None):
        return False  # evaluations keep pointing at every version

    def save_model(self, request, obj, form, change):
        self._pending = (obj, form, change)  # written with the inlines, in save_related

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        weights = next(
            (
                _rows(f, ("indicator", "tier", "points", "counts_for_months"))
                for f in formsets
                if f.model is RuleWeight
            ),
            [],
        )
        cutoffs = next(
            (_rows(f, ("grade", "min_score", "max_score")) for f in formsets if f.model is GradeCutoff), []
        )
        fields = {name: form.cleaned_data[name] for name in RULE_SET_FIELDS if name in form.cleaned_data}
        try:
            if change:
                original = RuleSet.objects.get(pk=obj.pk)
                fields.pop("code", None), fields.pop("scheme", None)
                written = rule_set_revise(
                    rule_set=original, actor=request.user, via=VIA, weights=weights, cutoffs=cutoffs, **fields
                )
            else:
                written = rule_set_create(
                    actor=request.user, via=VIA, weights=weights, cutoffs=cutoffs, **fields
                )
        except ValidationError as error:
            raise _Refused(error_text(error)) from error
        obj.pk = written.pk
        for formset in formsets:  # written by the service; the admin's change message lists none
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if change and written.pk != form.instance.pk:
            messages.info(request, f"{original} is in force: saved as version {written.version}.")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refused = getattr(request, "_rule_set_refused", None)
        if refused is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                super().clean()
                raise ValidationError(refused)

        return RefusedForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save the services refuse was rolled back; the form is shown again with what the user
        typed and the services' error (HTTP 400)."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            request._rule_set_refused = str(refused)
        response = super().changeform_view(request, object_id, form_url, extra_context)
        response.status_code = 400
        return response


class _Refused(Exception):
    pass


class EvaluationContributionInline(admin.TabularInline):
    model = EvaluationContribution
    extra = 0
    can_delete = False
    fields = (
        "indicator",
        "tier",
        "source_model",
        "source_pk",
        "agency",
        "document_number",
        "record_date",
        "points",
        "counts_until",
        "repairable_from",
        "remedy",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "grade", "score", "rule_set", "evaluated_at", "is_current", "cause")
    list_filter = ("grade", "is_current", "cause")
    list_select_related = ("enterprise", "rule_set")
    raw_id_fields = ("enterprise",)
    inlines = (EvaluationContributionInline,)
    show_full_result_count = False


@admin.register(RiskClassAssessment)
class RiskClassAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "grade", "score", "rule_set", "evaluated_at", "is_current")
    list_filter = ("grade", "is_current")
    list_select_related = ("enterprise", "rule_set")
    raw_id_fields = ("enterprise",)
    show_full_result_count = False
