"""The working-day calendar: public holidays and make-up working days (调休), year by year.

Legal deadlines count working days (instant disclosure: 20; objections and credit repair: set
by settings). Saturdays and Sundays are rest days; the State Council's notice for each year
(国务院办公厅关于某年部分节假日安排的通知) adds public holidays and moves some working days onto
weekends. The central credit office keeps one :class:`WorkingCalendarYear` per year with the
notice it follows, and its :class:`CalendarDay` rows. A year is *provisional* until a clerk
confirms it against the published notice; ``manage.py check`` and the admin warn while next
year's schedule is unconfirmed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification

# Years the calendar may hold: the register's filings go back to 2000, and a year beyond 2100 is
# a typing error, not a plan.
FIRST_YEAR = 2000
LAST_YEAR = 2100


class WorkingCalendarYear(models.Model):
    """One year of the calendar, with the notice it follows and whether a clerk confirmed it."""

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", _("provisional (statutory holidays only)")
        CONFIRMED = "confirmed", _("confirmed against the official notice")

    classification = Classification.PUBLIC

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROVISIONAL)
    source = models.CharField(
        _("source"),
        max_length=300,
        help_text=_("The State Council's notice for the year (title and document number), or the data set."),
    )
    source_url = models.URLField(_("source address"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("working-day calendar year")
        verbose_name_plural = _("working-day calendar")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="calendar_year_in_range",
                violation_error_message=_("The calendar holds the years 2000 to 2100."),
            ),
            models.CheckConstraint(
                condition=Q(status="provisional", confirmed_at__isnull=True)
                | Q(status="confirmed", confirmed_at__isnull=False) & ~Q(source=""),
                name="calendar_year_confirmed_with_source",
                violation_error_message=_(
                    "A confirmed year names its source and when it was confirmed; a provisional one has "
                    "no confirmation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class CalendarDay(models.Model):
    """A day that differs from the plain week: a public holiday, or a make-up working day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("public holiday (rest day)")
        MAKEUP_WORKDAY = "makeup_workday", _("make-up working day (调休上班)")

    classification = Classification.PUBLIC

    calendar_year = models.ForeignKey(
        WorkingCalendarYear, verbose_name=_("year"), on_delete=models.CASCADE, related_name="days"
    )
    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("For example 春节 or 国庆节."))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(day__year=models.F("calendar_year")),
                name="calendar_day_in_its_year",
                violation_error_message=_("The day must fall in the calendar year it belongs to."),
            ),
            # A weekday is a working day already: a make-up working day is always a Saturday or a
            # Sunday (PostgreSQL's week_day: 1 is Sunday, 7 is Saturday).
            models.CheckConstraint(
                condition=~Q(kind="makeup_workday") | Q(day__week_day__in=[1, 7]),
                name="calendar_makeup_day_on_weekend",
                violation_error_message=_("A make-up working day falls on a Saturday or a Sunday."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.get_kind_display()}"
