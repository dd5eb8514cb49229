"""The government-defaulters dashboard's figures, computed in the job queue after each write.

The page never reads the records to count them: it reads what the last computation stored
(``government.services.dashboard``), one row per view. Two tables:

- ``DashboardCell``: the summary table, one row per province, level, kind of body and kind of
  record, with the counts, the open amount and the days each cleared record took, per year, so
  any combination of filters can be summed from the cells (medians included: the days are kept
  as a histogram, not as a median that cannot be combined).
- ``DashboardSnapshot``: the figures of the common filter sets already summed from the cells
  (no filter, one filter, each with open or cleared), ready to show.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification


class DashboardCell(models.Model):
    """The dashboard's rows of one province, level, kind of body and kind of record, summed.

    A cell with no kind of record holds only the number of bodies with open records of any kind
    (a body with two kinds of open record counts once there, once in each kind's cell)."""

    classification = Classification.PUBLIC

    province = models.CharField(_("province"), max_length=6)
    level = models.CharField(_("level of government"), max_length=16, blank=True)
    body_kind = models.CharField(_("kind of body"), max_length=32)
    record_kind = models.CharField(_("kind of record"), max_length=32, blank=True)
    figures = models.JSONField(_("figures"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("dashboard cell")
        verbose_name_plural = _("dashboard cells")
        constraints = [
            models.UniqueConstraint(
                fields=["province", "level", "body_kind", "record_kind"], name="govcell_one_per_group"
            ),
            models.CheckConstraint(
                condition=Q(province__regex=r"^[0-9]{2}0000$"), name="govcell_province_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province} {self.level} {self.body_kind} {self.record_kind}"


class DashboardSnapshot(models.Model):
    """The dashboard's figures for one set of filters (``filters_key``, empty for none)."""

    classification = Classification.PUBLIC

    filters_key = models.CharField(_("filters"), max_length=200, unique=True, blank=True)
    figures = models.JSONField(_("figures"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")

    def __str__(self) -> str:
        return self.filters_key or "-"
