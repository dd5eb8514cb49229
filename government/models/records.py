"""Government dishonesty records (政务失信记录, 国发〔2016〕76号) and their consequences, as data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification
from registry.models.subjects import GOVERNMENT_KIND_VALUES


def subject_kind_error(subject) -> str | None:
    """Why ``subject`` cannot carry a government record, or None when it can."""
    if subject is not None and subject.entity_type not in GOVERNMENT_KIND_VALUES:
        return _(
            "%(name)s is not a government body or other public-sector subject; government records "
            "are kept only for those."
        ) % {"name": subject.name}
    return None


class DishonestyRecord(models.Model):
    """One act of government dishonesty recorded by the agency that knows it, with what followed.

    The consequences are fields, not prose: the written explanation (text and date), the
    rectification deadline and its outcome, honours barred until, how many officials were held
    accountable and with what outcome (never who), and when and how the record was cleared."""

    class Kind(models.TextChoices):
        UNPERFORMED_JUDGMENT = "unperformed_judgment", _("court judgment not performed")
        COURT_DEFAULTER = "court_defaulter", _("on the court-defaulter list")
        ARREARS = "arrears", _("arrears owed to a company")
        BROKEN_COMMITMENT = "broken_commitment", _("policy commitment or contract broken")
        LOST_CASE = "lost_case", _("reconsideration or litigation lost for an unlawful act")
        DISCIPLINARY_FINDING = "disciplinary_finding", _("disciplinary or accountability finding")

    class RectificationOutcome(models.TextChoices):
        RECTIFIED = "rectified", _("rectified")
        PARTLY_RECTIFIED = "partly_rectified", _("partly rectified")
        NOT_RECTIFIED = "not_rectified", _("not rectified")

    class AccountabilityOutcome(models.TextChoices):
        CRITICISED = "criticised", _("circulated criticism")
        ADMONISHED = "admonished", _("admonishment")
        SANCTIONED = "sanctioned", _("disciplinary or administrative sanction")
        REMOVED = "removed", _("removed from post")
        REFERRED = "referred", _("referred to the judicial authorities")

    class ClearedHow(models.TextChoices):
        PERFORMED = "performed", _("performed")
        SETTLED = "settled", _("settled")
        REVOKED = "revoked", _("revoked")

    classification = Classification.PUBLIC

    subject = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("government body"),
        on_delete=models.PROTECT,
        related_name="dishonesty_records",
    )
    kind = models.CharField(_("kind of record"), max_length=32, choices=Kind.choices)
    recording_agency = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("recording agency"),
        on_delete=models.PROTECT,
        related_name="government_records",
    )
    document_number = models.CharField(_("document number"), max_length=64)
    case_number = models.CharField(
        _("court case number"), max_length=64, blank=True, help_text=_("For court judgments and defaulters.")
    )
    list_entry = models.ForeignKey(
        "blacklists.ListEntry",
        verbose_name=_("court-defaulter list entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="government_records",
    )
    facts = models.TextField(_("what happened"))
    listed_on = models.DateField(_("listed on"))
    amount = models.DecimalField(_("amount (RMB)"), max_digits=16, decimal_places=2, null=True, blank=True)
    creditor = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("creditor enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="government_arrears_owed",
    )
    due_on = models.DateField(_("payment due on"), null=True, blank=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    # Consequences.
    explanation_text = models.TextField(_("written explanation"), blank=True)
    explanation_on = models.DateField(_("explanation given on"), null=True, blank=True)
    rectification_deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    rectification_outcome = models.CharField(
        _("rectification outcome"), max_length=20, choices=RectificationOutcome.choices, blank=True
    )
    honours_barred_until = models.DateField(_("barred from honours until"), null=True, blank=True)
    officials_held_accountable = models.PositiveSmallIntegerField(_("officials held accountable"), default=0)
    accountability_outcome = models.CharField(
        _("accountability outcome"), max_length=16, choices=AccountabilityOutcome.choices, blank=True
    )
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    cleared_how = models.CharField(_("cleared how"), max_length=16, choices=ClearedHow.choices, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("government dishonesty record")
        verbose_name_plural = _("government dishonesty records")
        ordering = ["-listed_on", "-pk"]
        indexes = [
            models.Index(fields=["kind", "listed_on"], name="govrecord_kind_listed_idx"),
            models.Index(fields=["subject", "listed_on"], name="govrecord_subject_listed_idx"),
            models.Index(fields=["recording_agency", "listed_on"], name="govrecord_agency_listed_idx"),
            # The dashboard's rows, newest first: a page is read from this index without a sort.
            models.Index(
                fields=["-listed_on", "-id"],
                name="govrecord_recent_defaulter_idx",
                condition=Q(kind__in=["unperformed_judgment", "court_defaulter", "arrears"]),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recording_agency", "document_number"],
                name="govrecord_document_unique_per_agency",
                violation_error_message=_("This agency has already recorded a document with this number."),
            ),
            models.CheckConstraint(
                condition=Q(document_number__regex=r"^\S(.*\S)?$"),
                name="govrecord_document_number_not_blank",
                violation_error_message=_("A record needs the document number, without padding spaces."),
            ),
            models.CheckConstraint(
                condition=Q(cleared_on__isnull=True) | Q(cleared_on__gte=F("listed_on")),
                name="govrecord_cleared_not_before_listed",
                violation_error_message=_("The cleared date cannot come before the listed date."),
            ),
            models.CheckConstraint(
                condition=(Q(cleared_on__isnull=True) & Q(cleared_how=""))
                | (Q(cleared_on__isnull=False) & ~Q(cleared_how="")),
                name="govrecord_cleared_how_iff_cleared",
                violation_error_message=_(
                    "A cleared record says how it was cleared, and only a cleared one."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="govrecord_amount_positive",
                violation_error_message=_("The amount must be a positive RMB amount."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="arrears")
                | (
                    Q(amount__isnull=False)
                    & Q(creditor__isnull=False)
                    & Q(due_on__isnull=False)
                    & Q(overdue_since__isnull=False)
                ),
                name="govrecord_arrears_complete",
                violation_error_message=_(
                    "Arrears need the creditor enterprise, the amount, the due date and the date "
                    "overdue since."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind="arrears")
                | (Q(creditor__isnull=True) & Q(due_on__isnull=True) & Q(overdue_since__isnull=True)),
                name="govrecord_creditor_only_for_arrears",
                violation_error_message=_(
                    "Only arrears have a creditor, a due date and a date overdue since."
                ),
            ),
            models.CheckConstraint(
                condition=Q(overdue_since__isnull=True) | Q(overdue_since__gt=F("due_on")),
                name="govrecord_overdue_after_due",
                violation_error_message=_("A payment is overdue only after its due date."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["unperformed_judgment", "court_defaulter"]) | ~Q(case_number=""),
                name="govrecord_court_case_number",
                violation_error_message=_(
                    "A court judgment or defaulter record needs the court case number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(list_entry__isnull=True) | Q(kind="court_defaulter"),
                name="govrecord_list_entry_only_for_defaulters",
                violation_error_message=_("Only a court-defaulter record links a list entry."),
            ),
            models.CheckConstraint(
                condition=(Q(explanation_text="") & Q(explanation_on__isnull=True))
                | (~Q(explanation_text="") & Q(explanation_on__isnull=False)),
                name="govrecord_explanation_text_and_date",
                violation_error_message=_("A written explanation has both its text and its date."),
            ),
            models.CheckConstraint(
                condition=Q(rectification_outcome="") | Q(rectification_deadline__isnull=False),
                name="govrecord_outcome_needs_deadline",
                violation_error_message=_("A rectification outcome needs the rectification deadline."),
            ),
            models.CheckConstraint(
                condition=(Q(officials_held_accountable=0) & Q(accountability_outcome=""))
                | (Q(officials_held_accountable__gt=0) & ~Q(accountability_outcome="")),
                name="govrecord_accountability_count_and_outcome",
                violation_error_message=_(
                    "Officials held accountable need their number and the outcome, and an outcome needs "
                    "at least one official."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} ({self.get_kind_display()})"

    def clean(self) -> None:
        super().clean()
        # The database refuses it too (a trigger, see the migration); this names the problem first.
        if self.subject_id is not None:
            error = subject_kind_error(self.subject)
            if error:
                raise ValidationError({"subject": error})
        if self.creditor_id is not None and self.creditor_id == self.subject_id:
            raise ValidationError({"creditor": _("A body cannot owe arrears to itself.")})

    @property
    def is_cleared(self) -> bool:
        return self.cleared_on is not None


COURT_KINDS = (DishonestyRecord.Kind.UNPERFORMED_JUDGMENT, DishonestyRecord.Kind.COURT_DEFAULTER)
# The records the public government-defaulters dashboard shows: court defaulters and arrears.
DEFAULTER_KINDS = (*COURT_KINDS, DishonestyRecord.Kind.ARREARS)
