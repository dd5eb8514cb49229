"""The court's two public lists: defaulters (失信被执行人) and consumption restriction (限制消费人员)."""

import re

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification

# (2019)皖1122执1194号, (2020)最高法执监1号, (2021)京0105执恢123号之一 — after full-width brackets
# are normalised to ASCII.
CASE_NUMBER_PATTERN = (
    r"^\([12][0-9]{3}\)"  # year
    r"[\u4e00-\u9fff]{1,4}[0-9]{0,6}"  # court: province abbreviation and court code, or 最高法
    r"[\u4e00-\u9fff]{1,6}[0-9]{1,6}号"  # case type and serial
    r"(之[一二三四五六七八九十0-9]+)?$"
)
CASE_NUMBER_RE = re.compile(CASE_NUMBER_PATTERN)


class SubjectKind(models.TextChoices):
    PERSON = "person", _("natural person")
    ORGANISATION = "organisation", _("legal person or other organisation")


class CourtCaseFields(models.Model):
    """What the court's search site shows for a case, whichever of its two lists it is on."""

    classification = Classification.PUBLIC

    subject_kind = models.CharField(_("subject kind"), max_length=16, choices=SubjectKind.choices)
    id_display = models.CharField(
        _("ID number (masked) or organisation code"),
        max_length=20,
        help_text=_("A person's number is only ever stored masked."),
    )
    sex = models.CharField(_("sex"), max_length=1, blank=True, choices=[("M", _("male")), ("F", _("female"))])
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    legal_representative = models.CharField(
        _("legal representative or person in charge"), max_length=64, blank=True
    )
    # Indexed in Meta: a plain B-tree, without the LIKE index a character key gets by default.
    province = models.ForeignKey(
        "registry.Region",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    filing_date = models.DateField(_("case filed"))
    basis_document_number = models.CharField(
        _("enforcement basis document number"), max_length=120, blank=True
    )
    basis_unit = models.CharField(_("unit issuing the enforcement basis"), max_length=120, blank=True)

    class Meta:
        abstract = True


class CourtDefaulterDetail(CourtCaseFields):
    class Performance(models.TextChoices):
        NONE = "none", _("entirely unperformed")
        PARTIAL = "partial", _("partly performed")
        FULL = "full", _("fully performed")

    class Circumstance(models.TextChoices):
        # Art. 1 of the SPC Provisions on Publishing the List of Dishonest Judgment Defaulters (2017).
        ABLE_BUT_REFUSES = (
            "1",
            _("able to perform but refuses to perform the obligations of an effective legal document"),
        )
        OBSTRUCTS = (
            "2",
            _("obstructs or resists enforcement by forged evidence, violence, threats or other means"),
        )
        EVADES = (
            "3",
            _("evades enforcement by false litigation or arbitration, or by hiding or transferring property"),
        )
        PROPERTY_REPORT = "4", _("violates the property reporting system")
        CONSUMPTION_ORDER = "5", _("violates a consumption restriction order")
        SETTLEMENT = "6", _("refuses without good reason to perform an enforcement settlement agreement")

    entry = models.OneToOneField(
        "blacklists.ListEntry",
        verbose_name=_("list entry"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="court_defaulter",
    )
    obligation = models.TextField(_("obligation set by the effective legal document"), blank=True)
    performance = models.CharField(_("performance"), max_length=16, choices=Performance.choices)
    performed_part = models.TextField(_("performed part"), blank=True)
    unperformed_part = models.TextField(_("unperformed part"), blank=True)
    circumstance = models.CharField(_("dishonest circumstance"), max_length=1, choices=Circumstance.choices)

    class Meta:
        verbose_name = _("court-defaulter details")
        verbose_name_plural = _("court-defaulter details")
        indexes = [models.Index(fields=["province"], name="courtdefaulter_province_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(circumstance__in=["1", "2", "3", "4", "5", "6"]),
                name="courtdefaulter_circumstance_known",
                violation_error_message=_("The circumstance is one of the six of the 2017 rules."),
            ),
            models.CheckConstraint(
                condition=Q(subject_kind="organisation", sex="", age__isnull=True)
                | Q(subject_kind="person", legal_representative=""),
                name="courtdefaulter_fields_match_kind",
                violation_error_message=_(
                    "Sex and age belong to persons; a legal representative to organisations."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.entry_id)


class ConsumptionRestrictionDetail(CourtCaseFields):
    entry = models.OneToOneField(
        "blacklists.ListEntry",
        verbose_name=_("list entry"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="consumption_restriction",
    )
    order_text = models.TextField(_("restriction order"))
    restricted_person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("restricted legal representative or key person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consumption_restrictions",
    )
    restricted_person_name = models.CharField(_("restricted person's name"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("consumption-restriction details")
        verbose_name_plural = _("consumption-restriction details")
        indexes = [models.Index(fields=["province"], name="restriction_province_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_kind="person", restricted_person__isnull=True)
                | Q(subject_kind="organisation", restricted_person__isnull=False),
                name="restriction_org_binds_a_person",
                violation_error_message=_(
                    "An order against an organisation names the legal representative or key person it binds."
                ),
            ),
        ]

    def __str__(self) -> str:
        return str(self.entry_id)
