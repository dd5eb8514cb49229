"""Records the portal itself issues: the PDF credit reports."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.classification import Classification

# Report numbers avoid characters that read alike (0/O, 1/I): digits 2-9 and capitals without I, O.
REPORT_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REPORT_NUMBER_PATTERN = rf"^CR-[0-9]{{8}}-[{REPORT_NUMBER_ALPHABET}]{{4}}-[{REPORT_NUMBER_ALPHABET}]{{4}}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"


class CreditReport(models.Model):
    """One issued PDF credit report. The PDF itself is not kept: its SHA-256 proves a copy genuine."""

    classification = Classification.PUBLIC

    number = models.CharField(
        _("report number"),
        max_length=21,
        unique=True,
        editable=False,
        validators=[
            RegexValidator(REPORT_NUMBER_PATTERN, _("A report number looks like CR-20261126-7KQ3-M9XD."))
        ],
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="credit_reports",
    )
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, help_text=_("As printed on the report.")
    )
    name = models.CharField(_("enterprise name"), max_length=200, help_text=_("As printed on the report."))
    created_at = models.DateTimeField(_("made at"), default=timezone.now, db_index=True)
    language = models.CharField(_("language"), max_length=16, choices=settings.LANGUAGES)
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        validators=[RegexValidator(SHA256_PATTERN, _("A SHA-256 is 64 lower-case hexadecimal characters."))],
    )
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("credit report")
        verbose_name_plural = _("credit reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "-created_at"], name="creditreport_ent_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__regex=REPORT_NUMBER_PATTERN),
                name="creditreport_number_shape",
                violation_error_message=_("A report number looks like CR-20261126-7KQ3-M9XD."),
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=SHA256_PATTERN),
                name="creditreport_sha256_shape",
                violation_error_message=_("A SHA-256 is 64 lower-case hexadecimal characters."),
            ),
            models.CheckConstraint(
                condition=Q(size_bytes__gt=0),
                name="creditreport_size_positive",
                violation_error_message=_("A report has at least one byte."),
            ),
            models.CheckConstraint(
                condition=Q(language__in=[code for code, _name in settings.LANGUAGES]),
                name="creditreport_language_known",
                violation_error_message=_("The report language is not one the portal offers."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class EnterpriseMembership(models.Model):
    """A user who acts for an enterprise in self-service, after claiming it with an activation code.

    One user may act for several enterprises and an enterprise may have several users. Filers
    prepare and submit filings, objections and repair applications; administrators also manage
    the enterprise's other users.
    """

    class Role(models.TextChoices):
        FILER = "filer", _("filer")
        ADMINISTRATOR = "administrator", _("administrator")

    classification = Classification.RESTRICTED

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="enterprise_memberships",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.FILER)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("enterprise user")
        verbose_name_plural = _("enterprise users")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "enterprise"],
                name="enterprise_membership_once",
                violation_error_message=_("This user already acts for this enterprise."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=["filer", "administrator"]),
                name="enterprise_membership_role_known",
                violation_error_message=_("Unknown role."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.enterprise_id} ({self.role})"
