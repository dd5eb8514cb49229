"""The working-day calendar: kept by the central credit office, read by every clerk.

Editing needs the model permissions (``registry.change_workingcalendaryear`` and the calendar
day permissions), which superusers have and the central office's clerks are given; every other
clerk sees the calendar read-only. Writes go through :mod:`registry.services.calendar`.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registry.admin.base import VIA, ServiceModelAdmin, TabularRecordInline, deletion_reason, error_text
from registry.models import CalendarDay, WorkingCalendarYear
from registry.services.calendar import (
    calendar_day_create,
    calendar_day_delete,
    calendar_day_update,
    calendar_year_confirm,
    calendar_year_create,
    calendar_year_update,
)


class CalendarDayInline(TabularRecordInline):
    model = CalendarDay
    fields = ("day", "kind", "name")
    ordering = ("day",)
    show_change_link = False

    def service_create(self, request, form, values):
        return calendar_day_create(actor=request.user, via=VIA, **values)

    def service_update(self, request, form, obj, changes):
        return calendar_day_update(calendar_day=obj, actor=request.user, via=VIA, **changes)

    def service_delete(self, request, obj):
        calendar_day_delete(calendar_day=obj, actor=request.user, via=VIA, note=deletion_reason(request))


@admin.register(WorkingCalendarYear)
class WorkingCalendarYearAdmin(ServiceModelAdmin):
    list_display = (
        "year",
        "status",
        "source",
        "holiday_count",
        "makeup_count",
        "confirmed_at",
        "confirmed_by",
    )
    list_select_related = ("confirmed_by",)
    list_filter = ("status",)
    inlines = (CalendarDayInline,)
    actions = ("confirm_years",)
    fields = ("year", "source", "source_url", "status", "confirmed_at", "confirmed_by")
    readonly_fields = ("status", "confirmed_at", "confirmed_by")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                holidays=Count("days", filter=Q(days__kind=CalendarDay.Kind.HOLIDAY)),
                makeups=Count("days", filter=Q(days__kind=CalendarDay.Kind.MAKEUP_WORKDAY)),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "year"] if obj is not None else readonly

    @admin.display(description=_("public holidays on weekdays"), ordering="holidays")
    def holiday_count(self, obj):
        return obj.holidays

    @admin.display(description=_("make-up working days"), ordering="makeups")
    def makeup_count(self, obj):
        return obj.makeups

    def service_create(self, request, form, values):
        return calendar_year_create(actor=request.user, via=VIA, **values)

    def service_update(self, request, form, obj, changes):
        if not changes:
            return obj
        return calendar_year_update(calendar_year=obj, actor=request.user, via=VIA, **changes)

    def has_delete_permission(self, request, obj=None):
        return False  # a year's deadlines were given by it: correct its days, never drop it

    @admin.action(
        description=_("Confirm the selected years against the State Council's notice"),
        permissions=["change"],
    )
    def confirm_years(self, request, queryset):
        confirmed = 0
        for calendar_year in queryset:
            try:
                calendar_year_confirm(calendar_year=calendar_year, actor=request.user, via=VIA)
            except ValidationError as exc:
                self.message_user(request, f"{calendar_year.year}: {error_text(exc)}", messages.ERROR)
            else:
                confirmed += 1
        if confirmed:
            self.message_user(
                request,
                ngettext("%(count)d year confirmed.", "%(count)d years confirmed.", confirmed)
                % {"count": confirmed},
                messages.SUCCESS,
            )
