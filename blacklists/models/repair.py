"""Credit repair (信用修复): a company asks the deciding agency to end a listing or a penalty."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.classification import Classification


class RepairApplicationQuerySet(models.QuerySet):
    def pending(self) -> RepairApplicationQuerySet:
        return self.filter(status=RepairApplication.Status.PENDING)

    def for_agency(self, agency) -> RepairApplicationQuerySet:
        return self.filter(agency=agency)


class RepairApplication(models.Model):
    """One application to repair the credit record of one list entry or one administrative penalty."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    classification = Classification.RESTRICTED

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="repair_applications",
    )
    list_entry = models.ForeignKey(
        "blacklists.ListEntry",
        verbose_name=_("list entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repair_applications",
    )
    penalty = models.ForeignKey(
        "registry.AdministrativePenalty",
        verbose_name=_("administrative penalty"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repair_applications",
    )
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("deciding agency"),
        on_delete=models.PROTECT,
        related_name="repair_applications",
    )
    documents = models.ManyToManyField(
        "registry.Document", verbose_name=_("documents"), related_name="repair_applications"
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
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
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

    objects = RepairApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit repair application")
        verbose_name_plural = _("credit repair applications")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["agency", "status", "due_on"], name="repair_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(list_entry__isnull=False) & Q(penalty__isnull=True))
                | (Q(list_entry__isnull=True) & Q(penalty__isnull=False)),
                name="repair_exactly_one_target",
                violation_error_message=_(
                    "A repair application concerns exactly one record: a list entry or a penalty."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected"]),
                name="repair_status_known",
                violation_error_message=_("Unknown status of a repair application."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="pending")
                    & Q(decided_at__isnull=True)
                    & Q(decided_by__isnull=True)
                    & Q(decision_reason="")
                )
                | (~Q(status="pending") & Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="repair_decision_consistent",
                violation_error_message=_(
                    "A pending application has no decision; a decided one has its date and reason."
                ),
            ),
            models.UniqueConstraint(
                fields=["list_entry"],
                condition=Q(status="pending", list_entry__isnull=False),
                name="repair_one_pending_per_entry",
                violation_error_message=_("A repair application for this list entry is already pending."),
            ),
            models.UniqueConstraint(
                fields=["penalty"],
                condition=Q(status="pending", penalty__isnull=False),
                name="repair_one_pending_per_penalty",
                violation_error_message=_("A repair application for this penalty is already pending."),
            ),
        ]

    def __str__(self) -> str:
        target = self.list_entry or self.penalty
        number = getattr(target, "decision_number", "")
        return f"{self.enterprise_id}: {number} ({self.status})"

    @property
    def target(self):
        return self.list_entry or self.penalty

    def is_overdue(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.status == self.Status.PENDING and self.due_on < on
