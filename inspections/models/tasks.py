"""Annual plans, tasks and what a task freezes before its draw: the manifest and the secrets."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification
from inspections.models.directory import not_blank

SHA256_REGEX = r"^[0-9a-f]{64}$"
RATIO = {"max_digits": 5, "decimal_places": 2}


def percent(field: str, *, nullable: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 100})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(
        condition=condition,
        name=f"inspectiontask_{field}_percent",
        violation_error_message=_("A ratio is a percentage between 0 and 100."),
    )


class AnnualPlan(models.Model):
    classification = Classification.PUBLIC

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="inspection_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title_en = models.CharField(_("English title"), max_length=200)
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("annual inspection plan")
        verbose_name_plural = _("annual inspection plans")
        ordering = ["-year", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"],
                name="annualplan_one_per_agency_year",
                violation_error_message=_("This agency already has a plan for this year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2015) & Q(year__lte=2100),
                name="annualplan_year_range",
                violation_error_message=_("The plan year must be between 2015 and 2100."),
            ),
            not_blank("title_en", "annualplan"),
            not_blank("title_zh", "annualplan"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title_zh}"


class InspectionTask(models.Model):
    """One random inspection task of a plan: what is inspected, whom it may draw, and how many.

    Its state only moves forward: a draft is edited freely; publishing the manifest freezes every
    input of the draw (a database trigger refuses any later change); the parties then reveal their
    secrets; the draw runs once.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        MANIFEST_PUBLISHED = "manifest_published", _("manifest published, awaiting secrets")
        SECRETS_REVEALED = "secrets_revealed", _("secrets revealed, ready to draw")
        DRAWN = "drawn", _("drawn")

    classification = Classification.PUBLIC

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("annual plan"), on_delete=models.PROTECT, related_name="tasks"
    )
    name_en = models.CharField(_("English name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    items = models.ManyToManyField(
        "inspections.InspectionItem", verbose_name=_("inspection items"), related_name="tasks", blank=True
    )
    joint_agencies = models.ManyToManyField(
        "registry.Agency",
        verbose_name=_("other agencies taking part"),
        related_name="joint_inspection_tasks",
        blank=True,
        help_text=_("A joint task: each agency taking part sends one inspector per target."),
    )
    # The target filter over the register (检查对象名录库); empty means any.
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Enterprises registered in this division or any division inside it."),
    )
    industries = ArrayField(
        models.CharField(max_length=1), verbose_name=_("industries"), default=list, blank=True
    )
    entity_types = ArrayField(
        models.CharField(max_length=32), verbose_name=_("enterprise types"), default=list, blank=True
    )
    statuses = ArrayField(
        models.CharField(max_length=16),
        verbose_name=_("registration statuses"),
        default=list,
        blank=True,
        help_text=_("Empty means enterprises in operation."),
    )
    # The ratio table (国市监信发〔2022〕6号): percent of each credit-risk class drawn.
    ratio_a = models.DecimalField(_("ratio for risk class A (%)"), default=3, **RATIO)
    ratio_b = models.DecimalField(_("ratio for risk class B (%)"), default=5, **RATIO)
    ratio_c = models.DecimalField(_("ratio for risk class C (%)"), default=25, **RATIO)
    ratio_d = models.DecimalField(_("ratio for risk class D (%)"), default=65, **RATIO)
    ratio_abnormal = models.DecimalField(
        _("raised ratio for enterprises on the abnormal-operations list (%)"),
        null=True,
        blank=True,
        help_text=_("When higher than their class's ratio; empty: no raise."),
        **RATIO,
    )
    inspectors_per_target = models.PositiveSmallIntegerField(_("inspectors per target"), default=2)
    max_targets_per_inspector = models.PositiveIntegerField(_("at most targets per inspector"), default=50)
    complete_by = models.DateField(_("complete by"))
    beacon_source = models.CharField(
        _("public beacon"),
        max_length=200,
        blank=True,
        help_text=_(
            "Optional: a public random value that becomes known only after the manifest is published "
            "(e.g. a named lottery draw), entered below once known."
        ),
    )
    beacon = models.CharField(_("public beacon value"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.DRAFT)
    manifest_published_at = models.DateTimeField(_("manifest published"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("drawn"), null=True, blank=True)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    # Counted once by the draw, which never changes afterwards: the task page shows them without
    # counting a hundred thousand rows per request.
    target_rows = models.PositiveIntegerField(
        _("rows of the draw"), null=True, blank=True, help_text=_("Drawn targets, replaced ones included.")
    )
    target_count = models.PositiveIntegerField(
        _("enterprises drawn"), null=True, blank=True, help_text=_("Drawn targets not replaced.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("inspection task")
        verbose_name_plural = _("inspection tasks")
        ordering = ["-created_at", "-id"]
        constraints = [
            percent("ratio_a"),
            percent("ratio_b"),
            percent("ratio_c"),
            percent("ratio_d"),
            percent("ratio_abnormal", nullable=True),
            models.CheckConstraint(
                condition=Q(inspectors_per_target__gte=2) & Q(inspectors_per_target__lte=10),
                name="inspectiontask_two_or_more_inspectors",
                violation_error_message=_("A target needs between 2 and 10 inspectors."),
            ),
            models.CheckConstraint(
                condition=Q(max_targets_per_inspector__gte=1),
                name="inspectiontask_load_positive",
                violation_error_message=_("An inspector takes at least one target."),
            ),
            models.CheckConstraint(
                condition=Q(state="draft", manifest_published_at__isnull=True)
                | (~Q(state="draft") & Q(manifest_published_at__isnull=False)),
                name="inspectiontask_published_has_date",
                violation_error_message=_("A published manifest has its date; a draft has none."),
            ),
            models.CheckConstraint(
                condition=Q(state="drawn", drawn_at__isnull=False, seed__regex=SHA256_REGEX)
                | (~Q(state="drawn") & Q(drawn_at__isnull=True, seed="")),
                name="inspectiontask_drawn_has_seed",
                violation_error_message=_("A drawn task has its date and seed; no other task has them."),
            ),
            models.CheckConstraint(
                condition=Q(state="drawn", target_rows__isnull=False, target_count__isnull=False)
                & Q(target_count__lte=F("target_rows"))
                | (~Q(state="drawn") & Q(target_rows__isnull=True, target_count__isnull=True)),
                name="inspectiontask_drawn_has_counts",
                violation_error_message=_(
                    "A drawn task records how many targets it drew (at most its rows); no other task does."
                ),
            ),
            models.CheckConstraint(
                condition=Q(drawn_at__isnull=True) | Q(drawn_at__gte=F("manifest_published_at")),
                name="inspectiontask_drawn_after_manifest",
                violation_error_message=_("A task is drawn after its manifest is published."),
            ),
            models.CheckConstraint(
                condition=Q(beacon="") | ~Q(beacon_source=""),
                name="inspectiontask_beacon_has_source",
                violation_error_message=_("A beacon value needs the beacon named before the manifest."),
            ),
            not_blank("name_en", "inspectiontask"),
            not_blank("name_zh", "inspectiontask"),
        ]

    def __str__(self) -> str:
        return self.name_zh

    @property
    def is_frozen(self) -> bool:
        return self.state != self.State.DRAFT


class SecretCommitment(models.Model):
    """A party's commitment (SHA-256 of its secret) published with the manifest, then its secret."""

    classification = Classification.PUBLIC

    task = models.ForeignKey(
        InspectionTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="commitments"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    party = models.CharField(_("party"), max_length=200)
    commitment = models.CharField(_("commitment (SHA-256 of the secret)"), max_length=64)
    secret = models.CharField(_("revealed secret"), max_length=64, blank=True)
    revealed_at = models.DateTimeField(_("revealed"), null=True, blank=True)

    class Meta:
        verbose_name = _("secret commitment")
        verbose_name_plural = _("secret commitments")
        ordering = ["task", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "order"],
                name="secretcommitment_order_unique",
                violation_error_message=_("Two parties cannot share a place in the order."),
            ),
            models.UniqueConstraint(
                fields=["task", "party"],
                name="secretcommitment_party_unique",
                violation_error_message=_("This party already committed to this task."),
            ),
            models.CheckConstraint(
                condition=Q(commitment__regex=SHA256_REGEX),
                name="secretcommitment_commitment_shape",
                violation_error_message=_("A commitment is a SHA-256: 64 lower-case hexadecimal characters."),
            ),
            models.CheckConstraint(
                condition=Q(secret="", revealed_at__isnull=True)
                | (Q(secret__regex=SHA256_REGEX) & Q(revealed_at__isnull=False)),
                name="secretcommitment_secret_shape",
                violation_error_message=_(
                    "A secret is 64 lower-case hexadecimal characters (32 random bytes)."
                ),
            ),
            not_blank("party", "secretcommitment"),
        ]

    def __str__(self) -> str:
        return f"{self.party}: {self.commitment[:12]}…"


class DrawManifest(models.Model):
    """What a task publishes before its draw: the ordered candidates and the manifest document.

    ``candidates`` is the candidate file exactly as published (one ``USCC,STRATUM`` line per
    candidate, in order); ``document`` the manifest as canonical JSON, whose SHA-256 enters the seed.
    """

    classification = Classification.PUBLIC

    task = models.OneToOneField(
        InspectionTask, verbose_name=_("task"), on_delete=models.PROTECT, related_name="manifest"
    )
    algorithm = models.CharField(_("algorithm version"), max_length=32)
    candidates = models.BinaryField(_("candidate file"))
    candidates_sha256 = models.CharField(_("SHA-256 of the candidate file"), max_length=64)
    candidate_count = models.PositiveIntegerField(_("candidates"))
    document = models.TextField(_("manifest (canonical JSON)"))
    sha256 = models.CharField(_("SHA-256 of the manifest"), max_length=64)
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("draw manifest")
        verbose_name_plural = _("draw manifests")
        ordering = ["-published_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(candidates_sha256__regex=SHA256_REGEX) & Q(sha256__regex=SHA256_REGEX),
                name="drawmanifest_hash_shape",
                violation_error_message=_("A SHA-256 is 64 lower-case hexadecimal characters."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.sha256[:12]}…"
