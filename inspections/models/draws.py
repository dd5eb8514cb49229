"""What a draw produced: targets, their inspectors, and every exclusion with its reason."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification


class RiskClass(models.TextChoices):
    A = "A", _("class A (lowest risk)")
    B = "B", _("class B")
    C = "C", _("class C")
    D = "D", _("class D (highest risk)")


# A draw writes its targets and assignments with COPY, a hundred thousand and more at a time, and
# never changes them (a trigger refuses it). Their references are therefore checked once per draw,
# set-based (inspections.services.draw), instead of by a foreign-key trigger per row; deleting a
# referenced enterprise or inspector is still refused by PROTECT.
NO_ROW_TRIGGER = {"db_constraint": False}
# A draw's rows are searched only through the composite indexes of Meta, which lead with these
# columns; a separate index per foreign key would be upkeep on every row a draw writes, for nothing.
# (The department of an assignment has none: an agency is deleted so rarely that PROTECT's check
# may scan.)
COVERED = {**NO_ROW_TRIGGER, "db_index": False}


class DrawnTarget(models.Model):
    classification = Classification.PUBLIC
    # The class stays internal: the published candidate file names only ratio groups (strata).
    field_classification = {"risk_class": Classification.GOVERNMENT}

    task = models.ForeignKey(
        "inspections.InspectionTask",
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        related_name="targets",
        **COVERED,
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="+",
        **COVERED,
    )
    position = models.PositiveIntegerField(_("position in the draw"))
    risk_class = models.CharField(_("risk class used"), max_length=1, choices=RiskClass.choices)
    abnormal_listed = models.BooleanField(_("on the abnormal-operations list at the manifest"), default=False)
    stream_index = models.PositiveBigIntegerField(_("index of the stream word that drew it"))
    replaced = models.BooleanField(
        _("excluded and replaced"),
        default=False,
        help_text=_("Drawn, but no eligible inspectors remained: the re-draw rule replaced it."),
    )

    class Meta:
        verbose_name = _("drawn target")
        verbose_name_plural = _("drawn targets")
        ordering = ["task", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "position"],
                name="drawntarget_position_unique",
                violation_error_message=_("Two targets cannot share a position."),
            ),
            models.UniqueConstraint(
                fields=["task", "enterprise"],
                name="drawntarget_enterprise_once",
                violation_error_message=_("An enterprise is drawn at most once per task."),
            ),
            models.CheckConstraint(
                condition=Q(risk_class__in=["A", "B", "C", "D"]),
                name="drawntarget_risk_class_known",
                violation_error_message=_("A risk class is A, B, C or D."),
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "task"], name="drawntarget_enterprise_idx")]

    def __str__(self) -> str:
        return f"{self.task_id} #{self.position}"


class InspectorAssignment(models.Model):
    classification = Classification.PUBLIC

    target = models.ForeignKey(
        DrawnTarget,
        verbose_name=_("target"),
        on_delete=models.CASCADE,
        related_name="assignments",
        **COVERED,
    )
    inspector = models.ForeignKey(
        "inspections.Inspector",
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        related_name="assignments",
        **COVERED,
    )
    department = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="+",
        **COVERED,
    )
    slot = models.PositiveSmallIntegerField(_("slot"))
    stream_index = models.PositiveBigIntegerField(_("index of the stream word that drew the inspector"))

    class Meta:
        verbose_name = _("inspector assignment")
        verbose_name_plural = _("inspector assignments")
        ordering = ["target", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "slot"],
                name="inspectorassignment_slot_unique",
                violation_error_message=_("A slot has one inspector."),
            ),
            models.UniqueConstraint(
                fields=["target", "inspector"],
                name="inspectorassignment_inspector_once",
                violation_error_message=_("An inspector is assigned to a target once."),
            ),
        ]
        indexes = [models.Index(fields=["inspector"], name="inspectorassignment_insp_idx")]

    def __str__(self) -> str:
        return f"{self.target} ← {self.inspector_id}"


class Exclusion(models.Model):
    """An inspector recused from a drawn enterprise, or a drawn enterprise excluded from the draw."""

    class Reason(models.TextChoices):
        HOLDS_POST = "holds_post", _("holds a post in the enterprise")
        DECLARED_CONFLICT = "declared_conflict", _("declared a conflict of interest")
        INSPECTED_LAST_TASK = "inspected_last_task", _("inspected the enterprise in its last task")
        NO_ELIGIBLE_INSPECTOR = "no_eligible_inspector", _("no eligible inspector remained")

    classification = Classification.PUBLIC

    task = models.ForeignKey(
        "inspections.InspectionTask",
        verbose_name=_("task"),
        on_delete=models.CASCADE,
        related_name="exclusions",
        **COVERED,
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="+",
        **NO_ROW_TRIGGER,
    )
    inspector = models.ForeignKey(
        "inspections.Inspector",
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exclusions",
        help_text=_("Empty when the enterprise itself was excluded from the draw."),
        **NO_ROW_TRIGGER,
    )
    reason = models.CharField(_("reason"), max_length=32, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        ordering = ["task", "enterprise", "inspector"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason="no_eligible_inspector", inspector__isnull=True)
                | (~Q(reason="no_eligible_inspector") & Q(inspector__isnull=False)),
                name="exclusion_inspector_matches_reason",
                violation_error_message=_(
                    "An inspector is recused with a reason; an enterprise is excluded when no inspector "
                    "remained."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    reason__in=[
                        "holds_post",
                        "declared_conflict",
                        "inspected_last_task",
                        "no_eligible_inspector",
                    ]
                ),
                name="exclusion_reason_known",
                violation_error_message=_("Unknown exclusion reason."),
            ),
        ]
        indexes = [models.Index(fields=["task", "enterprise", "inspector"], name="exclusion_task_idx")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.enterprise_id} {self.reason}"
