"""Developer keys: anyone with an account may hold some; only a SHA-256 hash of each key is kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification


class DeveloperKey(models.Model):
    """An API key of a person. The key itself is shown once, when it is created, and never stored."""

    classification = Classification.GOVERNMENT

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="developer_keys",
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("What the key is for, to tell keys apart."))
    prefix = models.CharField(
        _("prefix"), max_length=12, editable=False, help_text=_("Enough to recognise a key.")
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("developer key")
        verbose_name_plural = _("developer keys")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="developerkey_owner_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(key_hash__regex=r"^[0-9a-f]{64}$"),
                name="developerkey_hash_sha256",
                violation_error_message=_("The key hash must be a SHA-256 hex digest."),
            ),
            models.CheckConstraint(
                condition=Q(name__regex=r"^\S(.*\S)?$"),
                name="developerkey_name_not_blank",
                violation_error_message=_("A key has a name without padding spaces."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("created_at")),
                name="developerkey_revoked_after_created",
                violation_error_message=_("A key is revoked after it was created."),
            ),
            models.CheckConstraint(
                condition=Q(last_used_at__isnull=True) | Q(last_used_at__gte=models.F("created_at")),
                name="developerkey_used_after_created",
                violation_error_message=_("A key is used after it was created."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
