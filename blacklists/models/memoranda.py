"""Joint rewards and punishments (联合奖惩): memoranda, the measures they promise, and list feeds.

A memorandum names the lists that trigger it and, per measure, the agency that enforces it and
whom it binds. A feed says that inclusion on one list implies inclusion on another (consumption
restriction implies the no-fly and no-ride lists). The restriction check in
``blacklists.selectors`` walks entry -> feeds -> memorandum -> measure and keeps the chain.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification

CODE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class Memorandum(models.Model):
    """A memorandum of cooperation (合作备忘录) or rule by which agencies enforce each other's lists."""

    classification = Classification.PUBLIC

    title_zh = models.CharField(_("Chinese title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300)
    document_number = models.CharField(_("document number"), max_length=120, unique=True)
    signed_on = models.DateField(_("signed"))
    lead_agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        related_name="memoranda_led",
        help_text=_("The agency whose list the memorandum enforces or that drafted it."),
    )
    signatories = models.ManyToManyField(
        "registry.Agency", verbose_name=_("signatory agencies"), related_name="memoranda_signed"
    )
    trigger_list_types = models.ManyToManyField(
        "blacklists.ListType",
        verbose_name=_("trigger lists"),
        related_name="memoranda",
        help_text=_("A subject on any of these lists (directly or through a feed) is bound by the measures."),
    )
    in_force_from = models.DateField(_("in force from"))
    in_force_to = models.DateField(_("in force until"), null=True, blank=True)
    summary_zh = models.TextField(_("Chinese summary"), blank=True)
    summary_en = models.TextField(_("English summary"), blank=True)
    source_url = models.URLField(_("source"), blank=True, max_length=500)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("memorandum")
        verbose_name_plural = _("memoranda")
        ordering = ["-signed_on", "document_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_force_to__isnull=True) | Q(in_force_to__gte=F("in_force_from")),
                name="memorandum_in_force_order",
                violation_error_message=_("A memorandum cannot stop being in force before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(document_number__regex=r"^\S(.*\S)?$") & Q(title_zh__regex=r"^\S(.*\S)?$"),
                name="memorandum_number_and_title_not_blank",
                violation_error_message=_("A memorandum has a document number and a title."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_zh}（{self.document_number}）"

    def in_force_on(self, day: dt.date) -> bool:
        return self.in_force_from <= day and (self.in_force_to is None or day <= self.in_force_to)


class Measure(models.Model):
    """One promised reward or punishment: who enforces it, what it is, and whom it binds."""

    class Kind(models.TextChoices):
        PUNISHMENT = "punishment", _("punishment")
        REWARD = "reward", _("reward")

    class Category(models.TextChoices):
        TRAVEL = "travel", _("travel and leaving the country")
        CONSUMPTION = "consumption", _("consumption")
        FINANCE = "finance", _("credit, financing and foreign exchange")
        SECURITIES = "securities", _("shares, bonds and equity incentives")
        PROCUREMENT = "procurement", _("government procurement and state assets")
        MARKET_ACCESS = "market_access", _("market access, licences and qualifications")
        EMPLOYMENT = "employment", _("holding posts")
        INSPECTIONS = "inspections", _("inspections and supervision")
        APPROVALS = "approvals", _("administrative approvals")
        CUSTOMS = "customs", _("customs procedures")
        TAX = "tax", _("tax")
        UTILITIES = "utilities", _("utility prices")
        LAND = "land", _("land, forests and grassland")
        SUBSIDIES = "subsidies", _("public funds, subsidies and projects")
        HONOURS = "honours", _("awards and honours")
        SUPPORT = "support", _("advice and support")

    classification = Classification.PUBLIC

    memorandum = models.ForeignKey(
        Memorandum, verbose_name=_("memorandum"), on_delete=models.PROTECT, related_name="measures"
    )
    code = models.SlugField(
        _("code"),
        max_length=64,
        help_text=_("Stable machine code, e.g. no-flight; the same measure in two memoranda shares it."),
    )
    enforcing_agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("enforcing agency"),
        on_delete=models.PROTECT,
        related_name="measures_enforced",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description_zh = models.TextField(_("description (Chinese)"))
    description_en = models.TextField(_("description (English)"))
    binds_subject = models.BooleanField(_("binds the listed subject"), default=True)
    binds_legal_representative = models.BooleanField(
        _("binds the legal representative (person in charge)"), default=False
    )
    binds_directors = models.BooleanField(_("binds directors"), default=False)
    binds_supervisors = models.BooleanField(_("binds supervisors"), default=False)
    binds_senior_managers = models.BooleanField(_("binds senior managers"), default=False)
    binds_actual_controller = models.BooleanField(_("binds the actual controller"), default=False)
    parameter = models.DecimalField(
        _("parameter"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("An amount the measure applies, e.g. 0.10 for a surcharge of RMB 0.10 per kWh."),
    )
    parameter_unit = models.CharField(_("parameter unit"), max_length=32, blank=True)
    clause = models.CharField(_("clause"), max_length=64, blank=True)
    trigger_list_type = models.ForeignKey(
        "blacklists.ListType",
        verbose_name=_("only when triggered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "One of the memorandum's trigger lists, when the measure differs by list "
            "(Jiangsu: RMB 0.05 for red, 0.10 for black). Empty: any trigger list."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["memorandum", "kind", "category", "code", "id"]
        indexes = [models.Index(fields=["code"], name="measure_code_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["memorandum", "code", "enforcing_agency", "trigger_list_type"],
                name="measure_unique_in_memorandum",
                nulls_distinct=False,
                violation_error_message=_(
                    "This memorandum already has a measure with this code for this agency."
                ),
            ),
            models.CheckConstraint(
                condition=Q(code__regex=CODE_PATTERN),
                name="measure_code_slug",
                violation_error_message=_("A measure code is lower-case words joined by hyphens."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["punishment", "reward"]),
                name="measure_kind_known",
                violation_error_message=_("A measure is a reward or a punishment."),
            ),
            models.CheckConstraint(
                condition=Q(binds_subject=True)
                | Q(binds_legal_representative=True)
                | Q(binds_directors=True)
                | Q(binds_supervisors=True)
                | Q(binds_senior_managers=True)
                | Q(binds_actual_controller=True),
                name="measure_binds_someone",
                violation_error_message=_("A measure binds the subject or at least one of its officers."),
            ),
            models.CheckConstraint(
                condition=Q(parameter__isnull=True) | Q(parameter__gte=0),
                name="measure_parameter_not_negative",
                violation_error_message=_("A measure's parameter cannot be negative."),
            ),
            models.CheckConstraint(
                condition=(Q(parameter__isnull=True) & Q(parameter_unit=""))
                | (Q(parameter__isnull=False) & ~Q(parameter_unit="")),
                name="measure_parameter_has_unit",
                violation_error_message=_("A parameter needs a unit, and a unit needs a parameter."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.enforcing_agency})"

    @property
    def parameter_display(self) -> str:
        """0.0500 -> "0.05", 0.1000 -> "0.10": as a price is written, with at least two decimals."""
        if self.parameter is None:
            return ""
        value = self.parameter.normalize()
        if value.as_tuple().exponent > -2:
            value = value.quantize(Decimal("0.01"))
        return format(value, "f")

    @property
    def bound_groups(self) -> list[str]:
        """Which of ``BINDING_GROUPS`` this measure binds, in display order."""
        return [group for group in BINDING_GROUPS if getattr(self, f"binds_{group}")]


# Whom a measure can bind, in the order memoranda list them. "subject" is the listed person or
# organisation itself; the others are an organisation's officers (see ``ROLE_GROUPS``).
BINDING_GROUPS = (
    "subject",
    "legal_representative",
    "directors",
    "supervisors",
    "senior_managers",
    "actual_controller",
)
BINDING_LABELS = {
    "subject": _("the listed subject itself"),
    "legal_representative": _("legal representative"),
    "directors": _("directors"),
    "supervisors": _("supervisors"),
    "senior_managers": _("senior managers"),
    "actual_controller": _("actual controller"),
}
# registry.KeyPersonnel roles -> the group of officers a memorandum names. The register has no
# "actual controller" role yet; the code is reserved so such rows bind as soon as they exist.
# "principal" is the head of a government body (registry.Enterprise.principal): its person in charge
# (主要负责人), whom memoranda bind beside the legal representative.
PRINCIPAL_ROLE = "principal"
ROLE_GROUPS = {
    "legal_representative": "legal_representative",
    PRINCIPAL_ROLE: "legal_representative",
    "chairman": "directors",
    "director": "directors",
    "executive_director": "directors",
    "supervisor": "supervisors",
    "general_manager": "senior_managers",
    "manager": "senior_managers",
    "financial_officer": "senior_managers",
    "actual_controller": "actual_controller",
}


class ListFeed(models.Model):
    """Inclusion on ``source`` implies inclusion on ``target`` (e.g. consumption restriction -> no-fly)."""

    classification = Classification.PUBLIC

    source = models.ForeignKey(
        "blacklists.ListType",
        verbose_name=_("from list"),
        on_delete=models.PROTECT,
        related_name="feeds_out",
    )
    target = models.ForeignKey(
        "blacklists.ListType",
        verbose_name=_("implies list"),
        on_delete=models.PROTECT,
        related_name="feeds_in",
    )
    memorandum = models.ForeignKey(
        Memorandum,
        verbose_name=_("established by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feeds",
        help_text=_("While set, the feed applies only while this memorandum is in force."),
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("list feed")
        verbose_name_plural = _("list feeds")
        ordering = ["source", "target"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=F("target")),
                name="listfeed_not_to_itself",
                violation_error_message=_("A list cannot feed itself."),
            ),
            models.UniqueConstraint(
                fields=["source", "target"],
                name="listfeed_unique_pair",
                violation_error_message=_("This feed already exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.code} → {self.target.code}"
