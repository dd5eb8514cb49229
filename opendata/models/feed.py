"""The change feed: one row per change to a dataset's source table, written by a database trigger
in the same transaction as the change (see ``opendata.feed.triggers`` and docs/open-data-feed.md).

``row`` and ``previous_row`` are the raw table rows (``to_jsonb``), government-only: the API never
outputs them, it projects them through the dataset's published columns."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification


class FeedEvent(models.Model):
    class Op(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        ENDED = "ended", _("ended")
        WITHDRAWN = "withdrawn", _("withdrawn")

    classification = Classification.GOVERNMENT

    # Taken by the trigger from the sequence ``opendata_feed_timepoint`` under a transaction-scoped
    # advisory lock, so timepoints increase in commit order (docs/open-data-feed.md).
    timepoint = models.BigIntegerField(_("timepoint"), primary_key=True)
    published_at = models.DateTimeField(_("published"))
    # What the trigger saw: created (INSERT), changed (UPDATE), withdrawn (DELETE). "Ended", and
    # "withdrawn" for a row that stopped being public, are decided when the event is read.
    op = models.CharField(_("operation"), max_length=16, choices=Op.choices)
    dataset = models.CharField(_("dataset"), max_length=64)
    # The source row's primary key; the published id is the dataset's key(row).
    key = models.CharField(_("source row"), max_length=64)
    row = models.JSONField(_("row"))
    previous_row = models.JSONField(_("row before an update"), null=True, blank=True)
    # Set on the events the day job records for rows that a day's passing made public or not
    # public without a write (a penalty's publication period ending): the row as it was is then
    # judged by that day's rules, and as it is by the event's own day.
    previous_day = models.DateField(_("judged before on"), null=True, blank=True)

    class Meta:
        verbose_name = _("feed event")
        verbose_name_plural = _("feed events")
        ordering = ["timepoint"]
        indexes = [
            models.Index(fields=["dataset", "timepoint"], name="feedevent_dataset_timepoint"),
            models.Index(fields=["published_at"], name="feedevent_published_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(op__in=["created", "changed", "withdrawn"]),
                name="feedevent_recorded_op",
                violation_error_message=_("The trigger records created, changed or withdrawn only."),
            ),
            models.CheckConstraint(
                condition=Q(op="changed", previous_row__isnull=False)
                | (~Q(op="changed") & Q(previous_row__isnull=True)),
                name="feedevent_previous_row_only_for_changes",
                violation_error_message=_("Only a change keeps the row as it was before."),
            ),
            models.CheckConstraint(
                condition=Q(previous_day__isnull=True) | Q(op="changed"),
                name="feedevent_previous_day_only_for_changes",
                violation_error_message=_("Only a change is judged on an earlier day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.timepoint} {self.op} {self.dataset} {self.key}"


class FeedPruning(models.Model):
    """One run of the pruning job: events up to ``pruned_through`` are gone, so a client whose
    cursor is older cannot resume (410) and starts again from a snapshot."""

    classification = Classification.PUBLIC

    pruned_through = models.BigIntegerField(_("pruned through timepoint"))
    pruned_at = models.DateTimeField(_("pruned"))
    deleted = models.PositiveBigIntegerField(_("events deleted"))

    class Meta:
        verbose_name = _("feed pruning")
        verbose_name_plural = _("feed prunings")
        ordering = ["-pruned_through"]

    def __str__(self) -> str:
        return f"{self.pruned_through} ({self.pruned_at:%Y-%m-%d})"


class FeedDay(models.Model):
    """A day whose passing the feed has recorded: the rows it made public or not public without
    a write each got an event (``opendata.services.feed_days_record``)."""

    classification = Classification.PUBLIC

    day = models.DateField(_("day"), unique=True)
    recorded_at = models.DateTimeField(_("recorded"))
    events = models.PositiveIntegerField(_("events recorded"))

    class Meta:
        verbose_name = _("feed day")
        verbose_name_plural = _("feed days")
        ordering = ["-day"]

    def __str__(self) -> str:
        return self.day.isoformat()
