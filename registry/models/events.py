"""Subject events: something was published or changed about an enterprise or a person.

The services that write a record also write its event, in the same transaction, so an event
exists exactly when the write it describes was committed. The portal later turns undispatched
events into inbox messages and mail for the subject's users and followers, then marks them
dispatched. Lower apps never call the portal: this table is how they tell it.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.classification import Classification


class _Kind(models.TextChoices):
    # A context of its own: the same English word is also the "published on" date of a list entry.
    PUBLISHED = "published", pgettext_lazy("subject event", "published")
    CHANGED = "changed", _("changed")
    ENDED = "ended", _("ended")
    EXPIRING = "expiring", _("expiring soon")
    DECIDED = "decided", _("decided")


class _RecordType(models.TextChoices):
    LIST_ENTRY = "list_entry", _("list entry")
    PENALTY = "penalty", _("administrative penalty")
    ABNORMAL_LISTING = "abnormal_listing", _("abnormal-operations listing")
    INSPECTION = "inspection", _("inspection result")
    INSPECTION_DRAW = "inspection_draw", _("selection for a random inspection")
    OBJECTION = "objection", _("objection")
    REPAIR = "repair", _("credit repair application")
    # Written by scoring: what a grade set in motion, and the alert list.
    BRIEFING = "briefing", _("credit-management briefing invitation")
    WARNING_INTERVIEW = "warning_interview", _("warning interview")
    ALERT_LIST = "alert_list", _("alert-list entry")


class SubjectEvent(models.Model):
    Kind = _Kind
    RecordType = _RecordType

    # Internal bookkeeping: the subject reads what the portal makes of it, never this row.
    classification = Classification.GOVERNMENT

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subject_events",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subject_events",
    )
    kind = models.CharField(_("kind of event"), max_length=16, choices=Kind.choices)
    record_type = models.CharField(_("record type"), max_length=32, choices=RecordType.choices)
    record_id = models.BigIntegerField(_("record key"))
    occurred_at = models.DateTimeField(_("occurred"), default=timezone.now)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("Short neutral text such as the list name and document number; never an ID number."),
    )
    dispatched_at = models.DateTimeField(
        _("dispatched"),
        null=True,
        blank=True,
        help_text=_("When the notices for this event were sent out; empty until then."),
    )

    class Meta:
        verbose_name = _("subject event")
        verbose_name_plural = _("subject events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(
                fields=["occurred_at", "id"],
                condition=Q(dispatched_at__isnull=True),
                name="subjectevent_undispatched_idx",
            ),
            models.Index(fields=["record_type", "record_id"], name="subjectevent_record_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(enterprise__isnull=False) & Q(person__isnull=True))
                | (Q(enterprise__isnull=True) & Q(person__isnull=False)),
                name="subjectevent_exactly_one_subject",
                violation_error_message=_(
                    "An event concerns exactly one subject: a person or an enterprise."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=_Kind.values),
                name="subjectevent_kind_known",
                violation_error_message=_("Unknown kind of event."),
            ),
            models.CheckConstraint(
                condition=Q(record_type__in=_RecordType.values),
                name="subjectevent_record_type_known",
                violation_error_message=_("Unknown record type."),
            ),
            models.UniqueConstraint(
                fields=["record_type", "record_id"],
                condition=Q(kind="expiring"),
                name="subjectevent_one_expiring_per_record",
                violation_error_message=_("This record already has an expiry notice."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} {self.kind}"
