"""The mail outbox: every message is a row first, so a failed send is retried and never lost."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification


class _Status(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed permanently")


class OutboundMail(models.Model):
    Status = _Status

    classification = Classification.GOVERNMENT

    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=_Status.choices, default=_Status.PENDING)
    attempts = models.IntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outbound mail")
        verbose_name_plural = _("outbound mail")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(status="pending"),
                name="outboundmail_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(attempts__gte=0),
                name="outboundmail_attempts_not_negative",
                violation_error_message=_("The number of attempts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=_Status.values),
                name="outboundmail_status_known",
                violation_error_message=_("Unknown mail status."),
            ),
            models.CheckConstraint(
                condition=(Q(status="sent") & Q(sent_at__isnull=False))
                | (~Q(status="sent") & Q(sent_at__isnull=True)),
                name="outboundmail_sent_has_sent_at",
                violation_error_message=_("A mail has a sending time exactly when it was sent."),
            ),
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(next_attempt_at__isnull=False),
                name="outboundmail_pending_is_scheduled",
                violation_error_message=_("A pending mail needs the time of its next attempt."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
