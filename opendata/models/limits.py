"""Request counters of the API rate limits, shared by every worker process."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification


class RateLimitWindow(models.Model):
    """Requests a client made in one fixed window of its tier.

    Counted with one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` (opendata.limits), which is
    atomic across processes; Django's database cache increments by reading and writing back, so two
    workers counting at once could lose a request."""

    classification = Classification.GOVERNMENT

    bucket = models.CharField(_("client"), max_length=100)
    window_start = models.BigIntegerField(_("window start (Unix seconds)"))
    window_end = models.BigIntegerField(_("window end (Unix seconds)"))
    hits = models.PositiveIntegerField(_("requests"))

    class Meta:
        verbose_name = _("rate-limit window")
        verbose_name_plural = _("rate-limit windows")
        indexes = [models.Index(fields=["window_end"], name="ratelimit_window_end_idx")]
        constraints = [
            models.UniqueConstraint(fields=["bucket", "window_start"], name="ratelimit_one_row_per_window"),
            models.CheckConstraint(
                condition=Q(window_end__gt=models.F("window_start")),
                name="ratelimit_window_not_empty",
                violation_error_message=_("A window ends after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bucket} @{self.window_start}: {self.hits}"
