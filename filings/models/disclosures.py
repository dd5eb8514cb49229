"""Instant disclosure (即时信息公示): facts a company must publish itself within 20 working days.

A company publishes five kinds of fact on its public record: capital contributions by its
shareholders, equity changes, administrative licences it obtained (changed, renewed, cancelled),
intellectual-property pledges it registered, and administrative penalties it received. The law
gives it 20 working days from the fact (``due_on``); a disclosure published after that is marked
late, for ever. A correction keeps the version it replaces (:class:`InstantDisclosureVersion`).

``details`` holds the fields of the kind, each a string (dates in ISO form, amounts as decimal
text); :data:`DETAIL_FIELDS` names them. The database refuses a row whose details lack a required
field of its kind, and ``full_clean`` also refuses unknown and blank required fields.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.classification import Classification

# Instant disclosure is due within this many working days of the fact.
DISCLOSURE_WORKING_DAYS = 20
# Bounds the database can enforce whatever the calendar says and whatever day the fact fell on:
# 20 working days are 20 distinct days after the fact, so never fewer than 20 calendar days (every
# day a working day, make-up days included); and even China's longest rest periods (the nine-day
# Spring Festival plus weekends) leave 20 working days well inside 13 weeks. Anything outside is a
# typing error, not a calendar.
DUE_MIN_CALENDAR_DAYS = DISCLOSURE_WORKING_DAYS
DUE_MAX_CALENDAR_DAYS = 91


class _Kind(models.TextChoices):
    CAPITAL_CONTRIBUTION = "capital_contribution", pgettext_lazy("disclosure kind", "capital contribution")
    EQUITY_CHANGE = "equity_change", pgettext_lazy("disclosure kind", "equity change")
    LICENCE = "licence", pgettext_lazy("disclosure kind", "administrative licence")
    IP_PLEDGE = "ip_pledge", pgettext_lazy("disclosure kind", "intellectual-property pledge")
    PENALTY = "penalty", pgettext_lazy("disclosure kind", "administrative penalty")


# kind -> (required fields, optional fields) of ``details``.
DETAIL_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "capital_contribution": (("shareholder", "subscribed_amount", "paid_amount", "method"), ()),
    "equity_change": (("shareholder", "share_before", "share_after"), ()),
    "licence": (("action", "number", "name", "authority", "valid_from"), ("valid_to", "content")),
    "ip_pledge": (
        (
            "registration_number",
            "name",
            "ip_kind",
            "pledgor",
            "pledgee",
            "period_from",
            "period_to",
            "status",
        ),
        (),
    ),
    "penalty": (("decision_number", "violation", "content", "authority"), ()),
}


# Labels of the detail fields, for forms, admin and the public profile.
DETAIL_LABELS = {
    "shareholder": _("Shareholder"),
    "subscribed_amount": _("Subscribed amount (yuan)"),
    "paid_amount": _("Paid-in amount (yuan)"),
    "method": _("Method of contribution"),
    "share_before": _("Share before the change (%)"),
    "share_after": _("Share after the change (%)"),
    "action": _("What happened"),
    "number": _("Licence number"),
    "name": _("Name"),
    "authority": _("Authority"),
    "valid_from": _("Valid from"),
    "valid_to": _("Valid to"),
    "content": _("Content"),
    "registration_number": _("Pledge registration number"),
    "ip_kind": _("Kind of right"),
    "pledgor": _("Pledgor"),
    "pledgee": _("Pledgee"),
    "period_from": _("Pledge period from"),
    "period_to": _("Pledge period to"),
    "status": _("Status"),
    "decision_number": _("Decision number"),
    "violation": _("Type of violation"),
}
# Coded detail values -> labels.
LICENCE_ACTIONS = {
    "obtained": pgettext_lazy("licence action", "obtained"),
    "changed": pgettext_lazy("licence action", "changed"),
    "renewed": pgettext_lazy("licence action", "renewed"),
    "cancelled": pgettext_lazy("licence action", "cancelled"),
}
IP_KINDS = {"trademark": _("trademark"), "patent": _("patent")}
PLEDGE_STATUSES = {
    "valid": pgettext_lazy("pledge status", "valid"),
    "invalid": pgettext_lazy("pledge status", "no longer valid"),
}
CODED_DETAILS = {"action": LICENCE_ACTIONS, "ip_kind": IP_KINDS, "status": PLEDGE_STATUSES}


def details_display(kind: str, details: dict) -> list[tuple[str, str]]:
    """(label, value) pairs of the details, in the kind's order, coded values as their labels."""
    required, optional = DETAIL_FIELDS.get(kind, ((), ()))
    pairs = []
    for name in (*required, *optional):
        value = str(details.get(name) or "")
        if not value:
            continue
        value = str(CODED_DETAILS.get(name, {}).get(value, value))
        pairs.append((str(DETAIL_LABELS.get(name, name)), value))
    return pairs


def details_errors(kind: str, details) -> list[str]:
    """What is wrong with ``details`` for a disclosure of ``kind`` (empty when nothing is)."""
    if kind not in DETAIL_FIELDS:
        return []  # the kind's own check reports it
    if not isinstance(details, dict):
        return [_("The details must be a set of named fields.")]
    required, optional = DETAIL_FIELDS[kind]
    errors = []
    unknown = sorted(set(details) - set(required) - set(optional))
    if unknown:
        errors.append(_("Unknown details: %(names)s.") % {"names": ", ".join(unknown)})
    if any(not isinstance(value, str) for value in details.values()):
        errors.append(_("Every detail is text."))
    unknown_codes = [
        name for name, codes in CODED_DETAILS.items() if details.get(name) and details[name] not in codes
    ]
    if unknown_codes:
        errors.append(_("Unknown values: %(names)s.") % {"names": ", ".join(unknown_codes)})
    missing = [name for name in required if not str(details.get(name) or "").strip()]
    if missing:
        errors.append(_("Missing details: %(names)s.") % {"names": ", ".join(missing)})
    return errors


def _details_have_their_keys() -> Q:
    condition = Q()
    for kind, (required, _optional) in DETAIL_FIELDS.items():
        condition |= Q(kind=kind, details__has_keys=list(required))
    return condition


class InstantDisclosure(models.Model):
    Kind = _Kind

    classification = Classification.PUBLIC
    field_classification = {"published_by": Classification.RESTRICTED}

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="instant_disclosures",
    )
    kind = models.CharField(_("kind of information"), max_length=32, choices=Kind.choices)
    occurred_on = models.DateField(_("date of the fact"))
    due_on = models.DateField(_("due by"), help_text=_("20 working days after the fact."))
    details = models.JSONField(_("details"), default=dict)
    published_on = models.DateField(_("published on"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    late = models.GeneratedField(
        expression=Q(published_on__gt=F("due_on")),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("published late"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    corrected_at = models.DateTimeField(_("last corrected at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "registry_instantdisclosure"
        verbose_name = _("instant disclosure")
        verbose_name_plural = _("instant disclosures")
        ordering = ["enterprise", "-occurred_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "-occurred_on"], name="disclosure_enterprise_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in _Kind]),
                name="disclosure_kind_valid",
                violation_error_message=_("Unknown kind of instant disclosure."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=F("occurred_on") + dt.timedelta(days=DUE_MIN_CALENDAR_DAYS))
                & Q(due_on__lte=F("occurred_on") + dt.timedelta(days=DUE_MAX_CALENDAR_DAYS)),
                name="disclosure_due_20_working_days",
                violation_error_message=_("The due date must be 20 working days after the fact."),
            ),
            models.CheckConstraint(
                condition=Q(published_on__gte=F("occurred_on")),
                name="disclosure_published_after_fact",
                violation_error_message=_("A fact cannot be published before it happened."),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1)
                & (Q(version=1, corrected_at__isnull=True) | Q(version__gt=1, corrected_at__isnull=False)),
                name="disclosure_version_with_correction",
                violation_error_message=_(
                    "A corrected disclosure has a version above 1 and a correction time."
                ),
            ),
            models.CheckConstraint(
                condition=_details_have_their_keys(),
                name="disclosure_details_of_kind",
                violation_error_message=_("The details lack a required field of this kind of information."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"

    def clean(self):
        errors = details_errors(self.kind, self.details)
        if errors:
            raise ValidationError({"details": errors})


class InstantDisclosureVersion(models.Model):
    """A version of an instant disclosure that a correction replaced, as it was published."""

    classification = Classification.PUBLIC
    field_classification = {
        "published_by": Classification.RESTRICTED,
        "replaced_by": Classification.RESTRICTED,
    }

    disclosure = models.ForeignKey(
        InstantDisclosure,
        verbose_name=_("instant disclosure"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    version = models.PositiveIntegerField(_("version"))
    occurred_on = models.DateField(_("date of the fact"))
    due_on = models.DateField(_("due by"))
    details = models.JSONField(_("details"), default=dict)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    replaced_at = models.DateTimeField(_("replaced at"))
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason for the correction"))

    class Meta:
        db_table = "registry_instantdisclosureversion"
        verbose_name = _("earlier version of an instant disclosure")
        verbose_name_plural = _("earlier versions of instant disclosures")
        ordering = ["disclosure", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure", "version"],
                name="disclosure_version_once",
                violation_error_message=_("This version of the disclosure is already kept."),
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1),
                name="disclosure_version_positive",
                violation_error_message=_("Versions start at 1."),
            ),
            models.CheckConstraint(
                condition=Q(reason__regex=r"\S"),
                name="disclosure_version_reason_given",
                violation_error_message=_("Say why the disclosure was corrected."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.disclosure_id} v{self.version}"
