from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification


class _Via(models.TextChoices):
    ADMIN = "admin", _("admin")
    IMPORT = "import", _("import")
    API = "api", _("API")
    FORM = "form", _("form")
    COMMAND = "command", _("management command")
    SYSTEM = "system", _("system job")


class _Action(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    # A clerk or the central office opened a company's restricted document (evidence, attachment).
    READ = "read", _("viewed")


class AuditEntry(models.Model):
    """One row per service write, for the whole project, and one per read of a company's restricted
    document by anybody but the company's own users. Never updated or deleted."""

    Via = _Via
    Action = _Action

    classification = Classification.GOVERNMENT

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(
        _("who (label)"), max_length=150, help_text=_("User name or job name, kept if the user goes.")
    )
    via = models.CharField(_("path"), max_length=16, choices=Via.choices)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    # Indexed as the first column of audit_object_idx.
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    object_pk = models.CharField(_("record key"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    changes = models.JSONField(
        _("changes"), default=dict, blank=True, help_text=_("Field name -> [old value, new value].")
    )
    reason = models.TextField(_("reason"), blank=True, default="")

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_pk"], name="audit_object_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(via__in=_Via.values),
                name="audit_via_known",
            ),
            models.CheckConstraint(
                condition=Q(action__in=_Action.values),
                name="audit_action_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
