"""Operational grades agencies give enterprises: tax credit A/B/M/C/D, Customs credit, and the like.

A scheme (``AgencyGradeScheme``) is reference data: who issues it and its grades in order, each with
what it means for the enterprise (``positive``, ``neutral``, ``negative``), so scoring can weigh
"grade A" as a positive record and "dishonest" as an adverse one without knowing each scheme. An
``AgencyGrade`` is one enterprise's grade in one scheme for one year, imported by the issuing agency.
Every grade is public: agencies publish them (and the public originals show them).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification
from registry.models import Agency


class AgencyGradeScheme(models.Model):
    classification = Classification.PUBLIC

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=256)
    issuing_agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("issuing agency"),
        on_delete=models.PROTECT,
        related_name="agency_grade_schemes",
    )
    issuer_kind = models.CharField(
        _("also issued by agencies of kind"),
        max_length=32,
        choices=Agency.Kind.choices,
        blank=True,
        help_text=_(
            "Agencies of this kind grade enterprises too (the provincial tax services for the tax "
            "credit grade); empty when only the issuing agency grades."
        ),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("How long a grade holds when the file gives no end; empty: until the next grade."),
    )

    class Meta:
        verbose_name = _("agency grading scheme")
        verbose_name_plural = _("agency grading schemes")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="agency_grade_scheme_code_named"),
            models.CheckConstraint(
                condition=Q(validity_months__isnull=True) | Q(validity_months__gte=1),
                name="agency_grade_scheme_validity_positive",
                violation_error_message=_("A grade is valid for at least one month."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.code})"


class AgencyGradeLevel(models.Model):
    """One grade of a scheme; ``rank`` 1 is the best."""

    class Meaning(models.TextChoices):
        POSITIVE = "positive", _("positive")
        NEUTRAL = "neutral", _("neutral")
        NEGATIVE = "negative", _("negative")

    classification = Classification.PUBLIC

    scheme = models.ForeignKey(
        AgencyGradeScheme, verbose_name=_("scheme"), on_delete=models.CASCADE, related_name="levels"
    )
    code = models.CharField(
        _("code"), max_length=32, help_text=_("As the agency writes it in its files (A, M, advanced).")
    )
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the best grade."))
    name_zh = models.CharField(_("Chinese name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=256)
    meaning = models.CharField(_("meaning"), max_length=16, choices=Meaning.choices)

    class Meta:
        verbose_name = _("grade of a scheme")
        verbose_name_plural = _("grades of a scheme")
        ordering = ["scheme", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="agency_grade_level_code_unique"),
            models.UniqueConstraint(fields=["scheme", "rank"], name="agency_grade_level_rank_unique"),
            # The target of the grades' (level, scheme) key: a grade's level is one of its scheme's.
            models.UniqueConstraint(fields=["id", "scheme"], name="agency_grade_level_id_scheme_unique"),
            models.CheckConstraint(condition=~Q(code=""), name="agency_grade_level_code_named"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="agency_grade_level_rank_positive"),
            models.CheckConstraint(
                condition=Q(meaning__in=["positive", "neutral", "negative"]),
                name="agency_grade_level_meaning_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code}: {self.code}" if self.scheme_id else self.code


class AgencyGrade(models.Model):
    """An enterprise's grade in one scheme for one year, as the issuing agency decided it."""

    classification = Classification.PUBLIC

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="agency_grades",
    )
    scheme = models.ForeignKey(
        AgencyGradeScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="grades"
    )
    level = models.ForeignKey(
        AgencyGradeLevel, verbose_name=_("grade"), on_delete=models.PROTECT, related_name="grades"
    )
    year = models.PositiveSmallIntegerField(_("year graded"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("The last day; empty: until the next grade.")
    )
    decision_number = models.CharField(_("decision document number"), max_length=128, blank=True)
    issuing_agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("issuing agency"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("agency grade")
        verbose_name_plural = _("agency grades")
        ordering = ["enterprise", "scheme", "-year"]
        indexes = [models.Index(fields=["scheme", "-year"], name="agency_grade_scheme_year_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "scheme", "year"],
                name="agency_grade_one_per_year",
                violation_error_message=_("The enterprise already has a grade in this scheme for this year."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("valid_from")),
                name="agency_grade_valid_until_after_from",
                violation_error_message=_("A grade's validity must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2999), name="agency_grade_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__year__gte=F("year")),
                name="agency_grade_valid_from_in_or_after_year",
                violation_error_message=_("A grade cannot hold before the year it grades begins."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code} {self.year}: {self.level.code}"

    def in_force(self, on) -> bool:
        return self.valid_from <= on and (self.valid_until is None or self.valid_until >= on)

    def clean(self) -> None:
        if self.scheme_id and self.level_id and self.level.scheme_id != self.scheme_id:
            raise ValidationError({"level": _("This grade is not one of the scheme's grades.")})
