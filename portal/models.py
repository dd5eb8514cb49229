"""Records the portal itself issues: the PDF credit reports."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.classification import Classification

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


class Notice(models.Model):
    """One message in a user's inbox: something was published or decided about an enterprise."""

    classification = Classification.RESTRICTED

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notices"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    event = models.ForeignKey(
        "registry.SubjectEvent",
        verbose_name=_("event"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notice_unread_by_user_idx"
            ),
            models.Index(fields=["user", "-created_at"], name="notice_user_created_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event"],
                condition=Q(event__isnull=False),
                name="notice_once_per_user_and_event",
                violation_error_message=_("This user already has a notice for this event."),
            ),
            models.CheckConstraint(
                condition=Q(read_at__isnull=True) | Q(read_at__gte=models.F("created_at")),
                name="notice_read_after_received",
                violation_error_message=_("A notice cannot be read before it is received."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title}"


class Follow(models.Model):
    """A user watching an enterprise: they get the same notices about it as its own users."""

    classification = Classification.RESTRICTED

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="follows"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="followers",
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("followed enterprise")
        verbose_name_plural = _("followed enterprises")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "enterprise"],
                name="follow_once",
                violation_error_message=_("You already follow this enterprise."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.enterprise_id}"
