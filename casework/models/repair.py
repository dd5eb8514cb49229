"""Credit repair (信用修复): a company asks the deciding agency to end a listing or a penalty."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models.base import ApprovalStatus, DecidedApplication
from core.classification import Classification


class RepairApplication(DecidedApplication):
    """One application to repair the credit record of one list entry or one administrative penalty."""

    Status = ApprovalStatus

    DECISION_OUTCOMES = (Status.APPROVED, Status.REJECTED)

    classification = Classification.RESTRICTED

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
    documents = models.ManyToManyField(
        "registry.Document",
        verbose_name=_("documents"),
        related_name="repair_applications",
        db_table="blacklists_repairapplication_documents",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)

    class Meta(DecidedApplication.Meta):
        db_table = "blacklists_repairapplication"
        verbose_name = _("credit repair application")
        verbose_name_plural = _("credit repair applications")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["agency", "status", "due_on"], name="repair_queue_idx")]
        constraints = [
            *DecidedApplication.Meta.constraints,
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
