"""Credit commitment letters (信用承诺): promises a company signs and the public can read.

A commitment is published on the company's profile. When an agency finds it untrue or broken
(承诺不实 / 失信), the break is recorded on the same row: date, agency and note, all together.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.classification import Classification


class CreditCommitment(models.Model):
    class Kind(models.TextChoices):
        APPROVAL_SUBSTITUTION = (
            "approval_substitution",
            pgettext_lazy("commitment kind", "approval substitution"),
        )
        ACCEPTANCE_WITH_DEFICIENCIES = (
            "acceptance_with_deficiencies",
            pgettext_lazy("commitment kind", "acceptance with deficiencies"),
        )
        CREDIT_REPAIR = "credit_repair", pgettext_lazy("commitment kind", "credit repair")
        INDUSTRY_SELF_DISCIPLINE = (
            "industry_self_discipline",
            pgettext_lazy("commitment kind", "industry self-discipline"),
        )
        VOLUNTARY = "voluntary", pgettext_lazy("commitment kind", "voluntary")

    classification = Classification.PUBLIC

    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="credit_commitments",
    )
    kind = models.CharField(_("kind of commitment"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text of the commitment"))
    signed_on = models.DateField(_("signed on"))
    signer_name = models.CharField(_("signed by"), max_length=64)
    source_agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("made to (agency)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_commitments",
    )
    broken_on = models.DateField(_("found broken on"), null=True, blank=True)
    broken_by = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("found broken by (agency)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="broken_commitments",
    )
    broken_note = models.TextField(_("how the commitment was broken"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "registry_creditcommitment"
        verbose_name = _("credit commitment")
        verbose_name_plural = _("credit commitments")
        ordering = ["enterprise", "-signed_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "signed_on"], name="commitment_enterprise_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(broken_on__isnull=True, broken_by__isnull=True, broken_note="")
                | (Q(broken_on__isnull=False, broken_by__isnull=False) & ~Q(broken_note="")),
                name="commitment_broken_fields_together",
                violation_error_message=_(
                    "A broken commitment needs the date, the agency and a note together; a kept one has none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(broken_on__isnull=True) | Q(broken_on__gte=F("signed_on")),
                name="commitment_broken_after_signed",
                violation_error_message=_("A commitment cannot be broken before it was signed."),
            ),
            models.CheckConstraint(
                condition=Q(title__regex=r"^\S(.*\S)?$") & Q(signer_name__regex=r"^\S(.*\S)?$"),
                name="commitment_title_signer_not_blank",
                violation_error_message=_("The title and the signer's name cannot be blank."),
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "approval_substitution",
                        "acceptance_with_deficiencies",
                        "credit_repair",
                        "industry_self_discipline",
                        "voluntary",
                    ]
                ),
                name="commitment_kind_valid",
                violation_error_message=_("Unknown kind of commitment."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.signed_on})"

    @property
    def is_broken(self) -> bool:
        return self.broken_on is not None
