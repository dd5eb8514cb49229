"""The decided application (申请): a company applies with its evidence, a clerk of the deciding agency
decides with a reason within a number of working days, and the company is told.

Objections, credit repair applications and applications for removal from the abnormal-operations
list are this one workflow; each concrete model adds what it is about (the disputed record, the
entry or penalty to repair, the listing) and its own outcomes. The rules every decided application
keeps are declared once here, in ``Meta.constraints``, and hold in ``full_clean`` and the database.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.workdays import BeijingDate, working_days_between

# The status of an application nobody decided yet. An objection calls it "open" (awaiting a
# decision), the other applications "pending"; both mean the same and are treated alike.
PENDING = "pending"
OPEN = "open"
UNDECIDED = (PENDING, OPEN)


class ApprovalStatus(models.TextChoices):
    """The statuses of an application that is approved or rejected (repair, removal)."""

    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class DecidedApplicationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status__in=UNDECIDED)

    def decided(self):
        return self.exclude(status__in=UNDECIDED)

    def overdue(self, on: dt.date):
        """Still undecided after their due date, on the day ``on``."""
        return self.pending().filter(due_on__lt=on)

    def for_agency(self, agency):
        return self.filter(agency=agency)


class DecidedApplication(models.Model):
    """What every decided application has: who applied for which enterprise and when, the agency
    that decides it and by when, and the decision (outcome, clerk, time and reason)."""

    # The undecided status of the concrete model ("pending" or "open").
    PENDING_STATUS = PENDING

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="%(class)ss",
    )
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("deciding agency"),
        on_delete=models.PROTECT,
        related_name="%(class)ss",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    due_on = models.DateField(_("decision due"))
    # Each concrete model redeclares it with its choices and its undecided default.
    status = models.CharField(_("status"), max_length=16, default=PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    objects = DecidedApplicationQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=BeijingDate("submitted_at")),
                name="%(app_label)s_%(class)s_due_after_submitted",
                violation_error_message=_("The decision cannot be due before the application was submitted."),
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=UNDECIDED,
                    decided_at__isnull=True,
                    decided_by__isnull=True,
                    decision_reason="",
                )
                | (
                    ~Q(status__in=UNDECIDED)
                    & Q(decided_at__isnull=False)
                    & ~Q(decision_reason__regex=r"^\s*$")
                    & Q(decided_at__gte=F("submitted_at"))
                ),
                name="%(app_label)s_%(class)s_decision_complete",
                violation_error_message=_(
                    "A pending application has no decision; a decided one has its outcome, time, clerk "
                    "and reason together, no earlier than its submission."
                ),
            ),
        ]

    @property
    def is_pending(self) -> bool:
        return self.status in UNDECIDED

    def working_days_left(self, today: dt.date) -> int:
        """Working days from ``today`` to the due date (negative once overdue)."""
        return working_days_between(today, self.due_on)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_pending and today > self.due_on
