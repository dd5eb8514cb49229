"""Platforms and agency systems that call the restriction check, and the log of their calls."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification


class ApiScope(models.TextChoices):
    RESTRICTIONS = "restrictions", _("restriction check")
    EVALUATIONS = "evaluations", _("credit evaluations")


class ApiClient(models.Model):
    """A system allowed to call scoped API endpoints. Only a SHA-256 hash of its token is kept."""

    classification = Classification.GOVERNMENT

    name = models.CharField(_("name"), max_length=120, unique=True)
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        help_text=_("Set when the client is an agency's own system."),
    )
    scopes = ArrayField(
        models.CharField(max_length=32, choices=ApiScope.choices),
        verbose_name=_("scopes"),
        default=list,
        blank=True,
    )
    token_prefix = models.CharField(
        _("token prefix"), max_length=12, editable=False, help_text=_("Enough to recognise a token.")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106 - a pattern, not a secret
                name="apiclient_token_hash_sha256",
                violation_error_message=_("The token hash must be a SHA-256 hex digest."),
            ),
            models.CheckConstraint(
                condition=Q(scopes__contained_by=ApiScope.values),
                name="apiclient_scopes_known",
                violation_error_message=_("Unknown API scope."),
            ),
            models.CheckConstraint(
                condition=Q(name__regex=r"^\S(.*\S)?$"),
                name="apiclient_name_not_blank",
                violation_error_message=_("A client has a name without padding spaces."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def has_scope(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes


class RestrictionCheck(models.Model):
    """One call of the restriction check: who asked about whom, when, and what the answer was.

    Government only, except that a subject may see the checks made on itself (client name and
    time; ``blacklists.selectors.restriction_checks_for_subject``). The queried ID number is never
    kept; a subject not in the register is logged without a subject.
    """

    class Identifier(models.TextChoices):
        USCC = "uscc", _("USCC")
        ID_NUMBER = "id_number", _("resident ID number")

    classification = Classification.GOVERNMENT

    client = models.ForeignKey(
        ApiClient, verbose_name=_("client"), on_delete=models.PROTECT, related_name="checks"
    )
    at = models.DateTimeField(_("when"))
    identifier = models.CharField(_("asked by"), max_length=16, choices=Identifier.choices)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="restriction_checks",
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="restriction_checks",
    )
    on = models.DateField(_("date asked about"))
    measure_code = models.CharField(_("measure asked about"), max_length=64, blank=True)
    restricted = models.BooleanField(_("restricted"))
    measure_count = models.PositiveIntegerField(_("measures in force"))

    class Meta:
        verbose_name = _("restriction check")
        verbose_name_plural = _("restriction checks")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person", "-at"], name="check_person_idx"),
            models.Index(fields=["enterprise", "-at"], name="check_enterprise_idx"),
            models.Index(fields=["client", "-at"], name="check_client_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(enterprise__isnull=True),
                name="check_one_subject_at_most",
                violation_error_message=_("A check is about one subject at most."),
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True) | Q(identifier="id_number"),
                name="check_person_by_id_number",
                violation_error_message=_("A person is checked by resident ID number."),
            ),
            models.CheckConstraint(
                condition=Q(enterprise__isnull=True) | Q(identifier="uscc"),
                name="check_enterprise_by_uscc",
                violation_error_message=_("An enterprise is checked by USCC."),
            ),
            models.CheckConstraint(
                condition=Q(restricted=False) | Q(measure_count__gt=0),
                name="check_restricted_has_measures",
                violation_error_message=_("A restricted answer names at least one measure."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.client_id}"
