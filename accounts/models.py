"""Who acts for whom: the users of a company, the codes that let a company claim its enterprise,
and the agency a clerk works for. Each model keeps the table of the app it came from."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.classification import Classification

SHA256_PATTERN = r"^[0-9a-f]{64}$"


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
        db_table = "portal_enterprisemembership"
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


ACTIVATION_CODE_VALID_DAYS = 60


class ActivationCode(models.Model):
    """A one-time code a clerk issues so that a company can claim its enterprise in self-service.

    It is printed on a letter to the registered address. Only a keyed hash of the code is kept:
    the clerk sees the code once, when it is issued. A code is used at most once.
    """

    classification = Classification.GOVERNMENT

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="activation_codes",
    )
    role = models.CharField(
        _("role it grants"),
        max_length=16,
        choices=EnterpriseMembership.Role.choices,
        default=EnterpriseMembership.Role.FILER,
    )
    code_hash = models.CharField(
        _("code (keyed hash)"),
        max_length=64,
        unique=True,
        editable=False,
        validators=[RegexValidator(SHA256_PATTERN, _("A SHA-256 is 64 lower-case hexadecimal characters."))],
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("used by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "portal_activationcode"
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(used_at__isnull=True) & Q(used_by__isnull=True))
                | (Q(used_at__isnull=False) & Q(used_by__isnull=False)),
                name="activationcode_used_all_or_none",
                violation_error_message=_("A used code records both when and by whom it was used."),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("issued_at")),
                name="activationcode_expires_after_issue",
                violation_error_message=_("A code must expire after it is issued."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=["filer", "administrator"]),
                name="activationcode_role_known",
                violation_error_message=_("Unknown role."),
            ),
            models.CheckConstraint(
                condition=Q(code_hash__regex=SHA256_PATTERN),
                name="activationcode_hash_shape",
                violation_error_message=_("A SHA-256 is 64 lower-case hexadecimal characters."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} ({self.role}, {self.issued_at:%Y-%m-%d})"


class AgencyMembership(models.Model):
    """A clerk's agency: what they may maintain is limited to their agency's data."""

    classification = Classification.GOVERNMENT

    user = models.OneToOneField(
        "auth.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="agency_membership"
    )
    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships"
    )
    since = models.DateField(_("member since"), auto_now_add=True)

    class Meta:
        db_table = "registry_agencymembership"
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency}"
