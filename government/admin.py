"""Clerks keep their agency's government records in admin; every save is a service call, audited."""

from __future__ import annotations

from django.contrib import admin

from accounts.permissions import clerk_agency, is_unrestricted
from government.models import AssessmentRound, AssessmentScore, DishonestyRecord, FeedbackStatistic
from government.models.assessments import METRICS
from government.permissions import RECORDED_BY, maintainable_records, may_keep_statistics
from government.services import (
    assessment_round_create,
    assessment_round_update,
    assessment_score_record,
    dishonesty_record_clear,
    dishonesty_record_create,
    dishonesty_record_update,
    feedback_statistic_record,
)
from registry.admin.base import VIA, ServiceModelAdmin
from registry.models import Agency


@admin.register(DishonestyRecord)
class DishonestyRecordAdmin(ServiceModelAdmin):
    list_display = (
        "document_number",
        "subject",
        "kind",
        "recording_agency",
        "listed_on",
        "amount",
        "cleared_on",
    )
    list_filter = ("kind", "cleared_how", "subject__level", "subject__entity_type")
    search_fields = ("document_number", "case_number", "subject__name", "subject__uscc")
    raw_id_fields = ("subject", "creditor", "list_entry")
    list_select_related = ("subject", "recording_agency")
    date_hierarchy = "listed_on"

    def get_queryset(self, request):
        return maintainable_records(request.user, super().get_queryset(request))

    def has_module_permission(self, request):
        # Only agencies that keep government records (courts, finance bureaus, discipline offices,
        # governments, the credit office) see them in the admin.
        agency = clerk_agency(request.user)
        keeps = is_unrestricted(request.user) or (agency is not None and agency.kind in RECORDED_BY)
        return keeps and super().has_module_permission(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "recording_agency":
            agencies = Agency.objects.filter(kind__in=list(RECORDED_BY))
            if not is_unrestricted(request.user):
                agency = clerk_agency(request.user)
                agencies = agencies.filter(pk=agency.pk if agency else None)
            kwargs["queryset"] = agencies
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # A record is never deleted: a wrong one is revoked, and its history stays.
        return False

    def service_create(self, request, form, values):
        return dishonesty_record_create(actor=request.user, via=VIA, **values)

    def service_update(self, request, form, obj, changes):
        cleared_on, cleared_how = changes.pop("cleared_on", None), changes.pop("cleared_how", None)
        if changes:
            obj = dishonesty_record_update(record=obj, actor=request.user, via=VIA, **changes)
        if cleared_on is not None or cleared_how:
            obj = dishonesty_record_clear(
                record=obj,
                actor=request.user,
                via=VIA,
                cleared_on=cleared_on or obj.cleared_on,
                cleared_how=cleared_how or obj.cleared_how,
            )
        return obj


class StatisticsAdmin(ServiceModelAdmin):
    """Assessments and feedback counts: the credit office and people's governments."""

    def has_module_permission(self, request):
        return may_keep_statistics(request.user) and super().has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(StatisticsAdmin):
    list_display = ("name_zh", "year", "kind", "assessor", "link", "published_on")
    list_filter = ("kind", "link", "year")
    raw_id_fields = ("assessor",)

    def service_create(self, request, form, values):
        return assessment_round_create(actor=request.user, via=VIA, **values)

    def service_update(self, request, form, obj, changes):
        return assessment_round_update(assessment_round=obj, actor=request.user, via=VIA, **changes)


@admin.register(AssessmentScore)
class AssessmentScoreAdmin(StatisticsAdmin):
    list_display = ("subject", "round", "transparency", "new_media", "compliance", "honouring_agreements")
    list_select_related = ("subject", "round")
    raw_id_fields = ("subject",)

    def _record(self, request, assessment_round, subject, values):
        scores = {metric: values[metric] for metric in METRICS if metric in values}
        return assessment_score_record(
            assessment_round=assessment_round, subject=subject, scores=scores, actor=request.user, via=VIA
        )

    def service_create(self, request, form, values):
        return self._record(request, values["round"], values["subject"], values)

    def service_update(self, request, form, obj, changes):
        current = {name: form.cleaned_data[name] for name in form.cleaned_data}
        return self._record(request, obj.round, obj.subject, {**current, **changes})


@admin.register(FeedbackStatistic)
class FeedbackStatisticAdmin(StatisticsAdmin):
    list_display = ("subject", "month", "channel", "count", "source_agency")
    list_filter = ("channel",)
    list_select_related = ("subject", "source_agency")
    raw_id_fields = ("subject",)

    def service_create(self, request, form, values):
        return feedback_statistic_record(actor=request.user, via=VIA, **values)

    def service_update(self, request, form, obj, changes):
        current = {
            name: form.cleaned_data[name]
            for name in ("subject", "month", "channel", "count", "source_agency")
        }
        return feedback_statistic_record(actor=request.user, via=VIA, **{**current, **changes})
