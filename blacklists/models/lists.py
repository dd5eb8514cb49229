"""List types (blacklists, redlists, watch lists) and their entries."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.classification import Classification


class Severity(models.TextChoices):
    GENERAL = "general", pgettext_lazy("severity", "general")
    SERIOUS = "serious", pgettext_lazy("severity", "serious")
    EXTREMELY_SERIOUS = "extremely_serious", pgettext_lazy("severity", "extremely serious")
    NOT_APPLICABLE = "n/a", _("not applicable (redlists)")


class ListType(models.Model):
    class Kind(models.TextChoices):
        BLACKLIST = "blacklist", _("blacklist")
        REDLIST = "redlist", _("redlist")
        WATCHLIST = "watchlist", _("watch list")

    classification = Classification.PUBLIC

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=256)
    owner = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("owning agency"),
        on_delete=models.PROTECT,
        related_name="list_types",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    holds_persons = models.BooleanField(_("may hold persons"), default=False)
    holds_enterprises = models.BooleanField(_("may hold enterprises"), default=True)
    holds_government_bodies = models.BooleanField(_("may hold government bodies"), default=False)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    scope = models.CharField(
        _("scope"), max_length=200, blank=True, help_text=_("Industry or area the list covers, if limited.")
    )
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region (local lists)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    default_severity = models.CharField(_("default severity"), max_length=20, choices=Severity.choices)
    min_period_days = models.PositiveIntegerField(_("minimum listing period (days)"), null=True, blank=True)
    max_period_days = models.PositiveIntegerField(_("maximum listing period (days)"), null=True, blank=True)
    default_period_days = models.PositiveIntegerField(
        _("default listing period (days)"), null=True, blank=True
    )
    permanent_allowed = models.BooleanField(_("permanent listing allowed"), default=False)
    public_search = models.BooleanField(_("has a public search page"), default=True)
    repair_requires_training = models.BooleanField(
        _("credit repair requires a training certificate"),
        default=False,
        help_text=_("A repair application for an entry on this list must include a training certificate."),
    )

    class Meta:
        verbose_name = _("list type")
        verbose_name_plural = _("list types")
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(holds_persons=True) | Q(holds_enterprises=True) | Q(holds_government_bodies=True),
                name="listtype_holds_some_subject",
                violation_error_message=_("A list must hold persons, enterprises or government bodies."),
            ),
            models.CheckConstraint(
                condition=Q(min_period_days__isnull=True)
                | Q(max_period_days__isnull=True)
                | Q(min_period_days__lte=F("max_period_days")),
                name="listtype_period_bounds_order",
                violation_error_message=_("The minimum period cannot exceed the maximum."),
            ),
            models.CheckConstraint(
                condition=Q(default_period_days__isnull=True)
                | (
                    (Q(min_period_days__isnull=True) | Q(default_period_days__gte=F("min_period_days")))
                    & (Q(max_period_days__isnull=True) | Q(default_period_days__lte=F("max_period_days")))
                ),
                name="listtype_default_period_within_bounds",
                violation_error_message=_("The default period must lie between the minimum and maximum."),
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[a-z0-9]+(-[a-z0-9]+)*$"),
                name="listtype_code_slug",
                violation_error_message=_("A list code is lower-case words joined by hyphens."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh


class ListEntryQuerySet(models.QuerySet):
    def in_force(self, *, on: dt.date | None = None) -> ListEntryQuerySet:
        """Entries in force on ``on``: by status, and by dates, so expiry never waits for a job."""
        on = on or timezone.localdate()
        return self.filter(status=ListEntry.Status.IN_FORCE, starts_on__lte=on).filter(
            Q(planned_end__isnull=True) | Q(planned_end__gte=on)
        )

    def for_subject(self, *, person=None, enterprise=None) -> ListEntryQuerySet:
        if person is not None:
            return self.filter(person=person)
        return self.filter(enterprise=enterprise)


class ListEntry(models.Model):
    """One listing of one subject on one list. Never deleted: its status records how it ended."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("in force")
        EXPIRED = "expired", _("expired")
        REMOVED = "removed", _("removed (obligation performed)")
        REPAIRED = "repaired", _("credit repaired")
        REVOKED = "revoked", _("revoked")

    Severity = Severity
    classification = Classification.PUBLIC

    # The subject and list keys are indexed as the first column of the composite indexes in Meta.
    list_type = models.ForeignKey(
        ListType, verbose_name=_("list"), on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="list_entries",
        db_index=False,
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="list_entries",
        db_index=False,
    )
    subject_name = models.CharField(_("name as listed"), max_length=200)
    issuing_agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("issuing agency"),
        on_delete=models.PROTECT,
        related_name="list_entries",
    )
    decision_number = models.CharField(
        _("decision document or case number"),
        max_length=120,
        help_text=_("For court lists, the case number (案号)."),
    )
    decision_date = models.DateField(_("decision date"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    circumstance = models.TextField(_("circumstance"), blank=True)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    starts_on = models.DateField(_("listed from"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    permanent = models.BooleanField(_("permanent"), default=False)
    published_on = models.DateField(_("published"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IN_FORCE)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["list_type", "status", "planned_end"], name="listentry_lifecycle_idx"),
            models.Index(fields=["person", "status"], name="listentry_person_idx"),
            models.Index(fields=["enterprise", "status"], name="listentry_enterprise_idx"),
            models.Index(fields=["decision_number"], name="listentry_decision_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(enterprise__isnull=True))
                | (Q(person__isnull=True) & Q(enterprise__isnull=False)),
                name="listentry_exactly_one_subject",
                violation_error_message=_("An entry lists exactly one subject: a person or an enterprise."),
            ),
            models.CheckConstraint(
                condition=(Q(permanent=True) & Q(planned_end__isnull=True))
                | (Q(permanent=False) & Q(planned_end__isnull=False) & Q(planned_end__gte=F("starts_on"))),
                name="listentry_end_or_permanent",
                violation_error_message=_(
                    "An entry has a planned end on or after its start, or is permanent (and then has no end)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="in_force") | Q(status_changed_at__isnull=False),
                name="listentry_status_change_dated",
                violation_error_message=_("An ended entry records when its status changed."),
            ),
            models.UniqueConstraint(
                fields=["list_type", "decision_number", "person"],
                condition=Q(person__isnull=False),
                name="listentry_unique_case_person",
                violation_error_message=_(
                    "This person is already listed under this decision or case number."
                ),
            ),
            models.UniqueConstraint(
                fields=["list_type", "decision_number", "enterprise"],
                condition=Q(enterprise__isnull=False),
                name="listentry_unique_case_enterprise",
                violation_error_message=_(
                    "This enterprise is already listed under this decision or case number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.list_type.code}: {self.subject_name} ({self.decision_number})"

    def effective_status(self, on: dt.date | None = None) -> str:
        """The status as of ``on``: an entry past its planned end is expired even before the job runs."""
        on = on or timezone.localdate()
        if self.status == self.Status.IN_FORCE and self.planned_end is not None and self.planned_end < on:
            return self.Status.EXPIRED
        return self.status

    def get_effective_status_display(self) -> str:
        return str(self.Status(self.effective_status()).label)

    @property
    def subject(self):
        return self.person or self.enterprise

    @property
    def court_case(self):
        """The court-list details of the entry, or None (a missing one-to-one is an AttributeError)."""
        return getattr(self, "court_defaulter", None) or getattr(self, "consumption_restriction", None)

    @property
    def public_identifier(self) -> str:
        """What the public may see of the subject's identifier: a masked ID number, or the USCC."""
        return self.person.id_masked if self.person_id else self.enterprise.uscc


class ListEntryStatusChange(models.Model):
    """Who changed an entry's status, when, how and why. Kept for ever."""

    classification = Classification.PUBLIC
    field_classification = {"actor": Classification.GOVERNMENT}

    entry = models.ForeignKey(
        ListEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=16, choices=ListEntry.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=ListEntry.Status.choices)
    at = models.DateTimeField(_("when"))
    effective_on = models.DateField(_("effective from"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("who (label)"), max_length=150)
    via = models.CharField(_("path"), max_length=16)
    reason = models.TextField(_("reason"))
    planned_end = models.DateField(_("planned end after the change"), null=True, blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["entry", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="statuschange_has_reason",
                violation_error_message=_("Every status change gives a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.from_status or '-'} -> {self.to_status}"
