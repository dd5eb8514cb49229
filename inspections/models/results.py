"""Results of drawn targets (谁检查、谁录入、谁公开): recorded by the inspecting agency, then
published as the register's ``InspectionRecord`` on the enterprise's profile."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification
from inspections.models.directory import not_blank
from registry.models import InspectionRecord


class ResultCategory(models.Model):
    """One NECIPS result category (抽查结果类型), versioned as data.

    A new wording or a new category is a new row (a higher ``version`` of the same ``code``, the old
    one retired), so a published result keeps the words it was published with.
    """

    class Consequence(models.TextChoices):
        NONE = "none", _("none")
        ABNORMAL_LISTING = "abnormal_listing", _("opens an abnormal-operations listing")
        PENALTY = "penalty", _("links the administrative penalty")

    classification = Classification.PUBLIC
    # The code is an internal key: pages show the name in the reader's language.
    field_classification = {"code": Classification.GOVERNMENT}

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    order = models.PositiveSmallIntegerField(_("order"))
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    record_result = models.CharField(
        _("result in the credit file"),
        max_length=16,
        choices=InspectionRecord.Result.choices,
        help_text=_("The register's inspection result this category is published as."),
    )
    consequence = models.CharField(
        _("consequence"), max_length=20, choices=Consequence.choices, default=Consequence.NONE
    )
    in_use = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("inspection result category")
        verbose_name_plural = _("inspection result categories")
        ordering = ["order", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="resultcategory_code_version_unique",
                violation_error_message=_("This category already has this version."),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(in_use=True),
                name="resultcategory_one_version_in_use",
                violation_error_message=_("Only one version of a category is in use."),
            ),
            models.CheckConstraint(
                condition=Q(consequence__in=["none", "abnormal_listing", "penalty"]),
                name="resultcategory_consequence_known",
                violation_error_message=_("Unknown consequence."),
            ),
            not_blank("name_zh", "resultcategory"),
            not_blank("name_en", "resultcategory"),
        ]

    def __str__(self) -> str:
        return self.name_zh


class InspectionResult(models.Model):
    """What one inspecting agency found at one drawn target, and its publication.

    ``record`` is the published ``InspectionRecord`` (empty until published); the link lives here
    because the register cannot know about tasks and draws.
    """

    classification = Classification.PUBLIC

    target = models.ForeignKey(
        "inspections.DrawnTarget",
        verbose_name=_("drawn target"),
        on_delete=models.PROTECT,
        related_name="results",
    )
    # The target's task, kept beside it so a task's results are one index range: counting them
    # through the targets joined a draw's hundred thousand rows on every task page. A trigger
    # (migration 0004) refuses a task that is not the target's.
    task = models.ForeignKey(
        "inspections.InspectionTask",
        verbose_name=_("task"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("inspecting agency"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        ResultCategory, verbose_name=_("result"), on_delete=models.PROTECT, related_name="results"
    )
    inspected_on = models.DateField(_("inspection date"))
    detail = models.TextField(_("detail"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"))
    publish_by = models.DateField(_("publish by"), help_text=_("20 working days after the inspection."))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    record = models.OneToOneField(
        "registry.InspectionRecord",
        verbose_name=_("published record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="task_result",
    )
    abnormal_listing = models.ForeignKey(
        "registry.AbnormalOperationListing",
        verbose_name=_("abnormal-operations listing"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    penalty = models.ForeignKey(
        "registry.AdministrativePenalty",
        verbose_name=_("administrative penalty"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")
        ordering = ["target", "agency"]
        indexes = [
            # The task page's counts (published, late, overdue) read this index alone.
            models.Index(
                fields=["task"], include=["published_at", "publish_by"], name="inspectionresult_task_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "agency"],
                name="inspectionresult_once_per_agency",
                violation_error_message=_("This agency already recorded a result for this target."),
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True, record__isnull=True)
                | Q(published_at__isnull=False, record__isnull=False),
                name="inspectionresult_published_has_record",
                violation_error_message=_("A published result has its record; an unpublished one has none."),
            ),
            models.CheckConstraint(
                condition=Q(publish_by__gte=models.F("inspected_on")),
                name="inspectionresult_deadline_after_inspection",
                violation_error_message=_("The publication deadline comes after the inspection."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.category}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
