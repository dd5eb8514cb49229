"""The corporate record types of a credit file (seed FIG 1.2-B) and abnormal-operations listings."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification

MONEY = {"max_digits": 20, "decimal_places": 2}


def enterprise_fk(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name=related_name,
    )


def agency_fk(verbose_name, related_name: str = "+", *, required: bool = False) -> models.ForeignKey:
    return models.ForeignKey(
        "registry.Agency",
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=not required,
        blank=not required,
        related_name=related_name,
    )


def not_negative(field: str, model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
        name=f"{model}_{field}_not_negative",
        violation_error_message=_("Amounts and counts cannot be negative."),
    )


def ordered_dates(start: str, end: str, model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": F(start)}),
        name=f"{model}_{end}_after_{start}",
        violation_error_message=_("An end date cannot come before its start date."),
    )


class EnterpriseRecord(models.Model):
    """Common provenance of every record: which agency published it and when it was written."""

    source_agency = agency_fk(_("source agency"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Shareholder(EnterpriseRecord):
    class Kind(models.TextChoices):
        NATURAL_PERSON = "person", _("natural person")
        ENTERPRISE = "enterprise", _("enterprise legal person")
        OTHER = "other", _("other investor")

    classification = Classification.PUBLIC
    field_classification = {"person": Classification.RESTRICTED}

    enterprise = enterprise_fk("shareholders")
    kind = models.CharField(_("shareholder kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("shareholder name"), max_length=200)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shareholdings",
    )
    shareholder_enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("shareholder enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="investments",
    )
    subscribed_capital = models.DecimalField(_("subscribed capital"), **MONEY)
    subscribed_date = models.DateField(_("subscription due date"), null=True, blank=True)
    subscribed_method = models.CharField(_("subscription method"), max_length=32, blank=True)
    paid_in_capital = models.DecimalField(_("paid-in capital"), default=0, **MONEY)
    paid_in_date = models.DateField(_("paid-in date"), null=True, blank=True)
    paid_in_method = models.CharField(_("payment method"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("shareholder")
        verbose_name_plural = _("shareholders")
        ordering = ["enterprise", "-subscribed_capital", "id"]
        constraints = [
            not_negative("subscribed_capital", "shareholder"),
            not_negative("paid_in_capital", "shareholder"),
            models.CheckConstraint(
                condition=Q(paid_in_capital__lte=F("subscribed_capital")),
                name="shareholder_paid_within_subscribed",
                violation_error_message=_("Paid-in capital cannot exceed subscribed capital."),
            ),
            models.CheckConstraint(
                condition=Q(kind="person", shareholder_enterprise__isnull=True)
                | Q(kind="enterprise", person__isnull=True)
                | Q(kind="other", person__isnull=True, shareholder_enterprise__isnull=True),
                name="shareholder_link_matches_kind",
                violation_error_message=_(
                    "A natural-person shareholder links only a person; an enterprise shareholder "
                    "links only an enterprise."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Branch(EnterpriseRecord):
    classification = Classification.PUBLIC

    enterprise = enterprise_fk("branches")
    name = models.CharField(_("branch name"), max_length=200)
    uscc = models.CharField(_("branch USCC"), max_length=18, blank=True)
    region = models.ForeignKey(
        "registry.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    registration_authority = agency_fk(_("registration authority"))
    established = models.DateField(_("established"), null=True, blank=True)

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["enterprise", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(uscc="") | Q(uscc__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$"),
                name="branch_uscc_shape",
                violation_error_message=_("A branch USCC is 18 characters."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class KeyPersonnel(EnterpriseRecord):
    class Role(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", _("legal representative")
        CHAIRMAN = "chairman", _("chairman of the board")
        DIRECTOR = "director", _("director")
        EXECUTIVE_DIRECTOR = "executive_director", _("executive director")
        SUPERVISOR = "supervisor", _("supervisor")
        GENERAL_MANAGER = "general_manager", _("general manager")
        MANAGER = "manager", _("manager")
        FINANCIAL_OFFICER = "financial_officer", _("chief financial officer")

    classification = Classification.PUBLIC
    field_classification = {"person": Classification.RESTRICTED}

    enterprise = enterprise_fk("key_personnel")
    name = models.CharField(_("name"), max_length=64)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
    )
    role = models.CharField(_("position"), max_length=32, choices=Role.choices)
    appointed_on = models.DateField(_("appointed"), null=True, blank=True)
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("key personnel")
        verbose_name_plural = _("key personnel")
        ordering = ["enterprise", "role", "name"]
        constraints = [ordered_dates("appointed_on", "left_on", "keypersonnel")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class ChangeRecord(EnterpriseRecord):
    classification = Classification.PUBLIC

    enterprise = enterprise_fk("change_records")
    item = models.CharField(_("changed item"), max_length=100)
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)
    changed_on = models.DateField(_("change date"))

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change records")
        ordering = ["enterprise", "-changed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(before=F("after")),
                name="changerecord_before_differs",
                violation_error_message=_("A change record's old and new values must differ."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.changed_on}"


# The report years an annual report (and a filing or an application about one) may be for.
REPORT_YEAR_MIN, REPORT_YEAR_MAX = 2000, 2100

# Annual-report fields the law lets a company keep from the public (it must still file them).
ANNUAL_REPORT_WITHHOLDABLE = (
    "total_assets",
    "total_liabilities",
    "owners_equity",
    "revenue",
    "main_business_revenue",
    "profit",
    "net_profit",
    "tax_paid",
    "employees",
    "contact_phone",
    "email",
    # Filed through company self-service: the amounts paid into social insurance, and guarantees.
    "social_insurance_paid",
    "guarantees",
)


class AnnualReport(EnterpriseRecord):
    """A filed annual report. Fields named in ``unpublished_fields`` are withheld from the public."""

    class OperatingStatus(models.TextChoices):
        OPERATING = "operating", _("operating")
        SUSPENDED = "suspended", _("suspended")
        CLOSED = "closed", _("closed down")
        LIQUIDATING = "liquidating", _("in liquidation")

    WITHHOLDABLE = ANNUAL_REPORT_WITHHOLDABLE

    classification = Classification.PUBLIC

    enterprise = enterprise_fk("annual_reports")
    year = models.PositiveSmallIntegerField(_("report year"))
    submitted_at = models.DateTimeField(_("submitted"))
    operating_status = models.CharField(
        _("operating status"), max_length=16, choices=OperatingStatus.choices, default="operating"
    )
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    postal_address = models.CharField(_("postal address"), max_length=300, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    total_assets = models.DecimalField(_("total assets"), null=True, blank=True, **MONEY)
    total_liabilities = models.DecimalField(_("total liabilities"), null=True, blank=True, **MONEY)
    owners_equity = models.DecimalField(_("owners' equity"), null=True, blank=True, **MONEY)
    revenue = models.DecimalField(_("total revenue"), null=True, blank=True, **MONEY)
    main_business_revenue = models.DecimalField(_("main business revenue"), null=True, blank=True, **MONEY)
    profit = models.DecimalField(_("total profit"), null=True, blank=True, **MONEY)
    net_profit = models.DecimalField(_("net profit"), null=True, blank=True, **MONEY)
    tax_paid = models.DecimalField(_("tax paid"), null=True, blank=True, **MONEY)
    unpublished_fields = ArrayField(
        models.CharField(max_length=32),
        verbose_name=_("fields not published"),
        default=list,
        blank=True,
    )
    # Parts of a report filed through company self-service (lists of rows, see filings.forms).
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    female_employees = models.PositiveIntegerField(_("of which female"), null=True, blank=True)
    disabled_employees = models.PositiveIntegerField(_("of which disabled"), null=True, blank=True)
    websites = models.JSONField(_("websites and online shops"), default=list, blank=True)
    investments = models.JSONField(_("investments in other enterprises"), default=list, blank=True)
    contributions = models.JSONField(
        _("shareholders' subscribed and paid-in capital"), default=list, blank=True
    )
    equity_transfers = models.JSONField(_("equity transfers"), default=list, blank=True)
    guarantees = models.JSONField(_("guarantees provided"), default=list, blank=True)
    social_insurance_insured = models.JSONField(_("employees insured, by scheme"), default=dict, blank=True)
    social_insurance_paid = models.JSONField(_("social insurance paid"), default=dict, blank=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["enterprise", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="annualreport_one_per_year",
                violation_error_message=_("This enterprise already has a report for this year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=REPORT_YEAR_MIN) & Q(year__lte=REPORT_YEAR_MAX),
                name="annualreport_year_range",
                violation_error_message=_("The report year must be between 2000 and 2100."),
            ),
            not_negative("total_assets", "annualreport"),
            not_negative("total_liabilities", "annualreport"),
            not_negative("revenue", "annualreport"),
            not_negative("main_business_revenue", "annualreport"),
            not_negative("tax_paid", "annualreport"),
            models.CheckConstraint(
                condition=Q(unpublished_fields__contained_by=list(ANNUAL_REPORT_WITHHOLDABLE)),
                name="annualreport_unpublished_fields_known",
                violation_error_message=_("Only financial and contact fields may be withheld."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


class TaxRecord(EnterpriseRecord):
    class Grade(models.TextChoices):
        A = "A", _("grade A")
        B = "B", _("grade B")
        M = "M", _("grade M")
        C = "C", _("grade C")
        D = "D", _("grade D")

    # Arrears and grades are published; what a company paid, and at what rate, is not.
    classification = Classification.PUBLIC
    field_classification = {"amount_paid": Classification.RESTRICTED, "tax_rate": Classification.RESTRICTED}

    enterprise = enterprise_fk("tax_records")
    tax_type = models.CharField(_("tax type"), max_length=64)
    period_start = models.DateField(_("tax period start"))
    period_end = models.DateField(_("tax period end"))
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    amount_paid = models.DecimalField(_("tax paid"), default=0, **MONEY)
    amount_owed = models.DecimalField(_("tax owed"), default=0, **MONEY)
    credit_grade = models.CharField(
        _("taxpayer credit grade"), max_length=1, choices=Grade.choices, blank=True
    )

    class Meta:
        verbose_name = _("tax record")
        verbose_name_plural = _("tax records")
        ordering = ["enterprise", "-period_end"]
        constraints = [
            ordered_dates("period_start", "period_end", "taxrecord"),
            not_negative("amount_paid", "taxrecord"),
            not_negative("amount_owed", "taxrecord"),
            models.CheckConstraint(
                condition=Q(tax_rate__isnull=True) | (Q(tax_rate__gte=0) & Q(tax_rate__lte=100)),
                name="taxrecord_rate_percent",
                violation_error_message=_("A tax rate is a percentage between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tax_type} {self.period_start}–{self.period_end}"


class ContributionRecord(EnterpriseRecord):
    """Social-insurance and housing-provident-fund payment status for one month."""

    class Scheme(models.TextChoices):
        PENSION = "pension", _("basic pension insurance")
        MEDICAL = "medical", _("basic medical insurance")
        UNEMPLOYMENT = "unemployment", _("unemployment insurance")
        WORK_INJURY = "work_injury", _("work-injury insurance")
        MATERNITY = "maternity", _("maternity insurance")
        PROVIDENT_FUND = "provident_fund", _("housing provident fund")

    classification = Classification.RESTRICTED

    enterprise = enterprise_fk("contribution_records")
    scheme = models.CharField(_("scheme"), max_length=16, choices=Scheme.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    insured_count = models.PositiveIntegerField(_("insured employees"), default=0)
    amount_due = models.DecimalField(_("amount due"), **MONEY)
    amount_paid = models.DecimalField(_("amount paid"), **MONEY)

    class Meta:
        verbose_name = _("social insurance / provident fund record")
        verbose_name_plural = _("social insurance / provident fund records")
        ordering = ["enterprise", "-year", "-month", "scheme"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "scheme", "year", "month"],
                name="contribution_one_per_month",
                violation_error_message=_("This month is already recorded for this scheme."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="contribution_month_range",
                violation_error_message=_("The month must be between 1 and 12."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                name="contribution_year_range",
                violation_error_message=_("The year must be between 1990 and 2100."),
            ),
            not_negative("amount_due", "contribution"),
            not_negative("amount_paid", "contribution"),
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.year}-{self.month:02d}"

    @property
    def arrears(self):
        return max(self.amount_due - self.amount_paid, 0)


class AdministrativeLicence(EnterpriseRecord):
    class Status(models.TextChoices):
        VALID = "valid", _("valid")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")
        CANCELLED = "cancelled", _("cancelled")

    classification = Classification.PUBLIC

    enterprise = enterprise_fk("licences")
    licence_number = models.CharField(_("licence number"), max_length=64)
    name = models.CharField(_("licence name"), max_length=200)
    content = models.TextField(_("licensed content"), blank=True)
    issuing_agency = agency_fk(_("issuing agency"), "issued_licences", required=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default="valid")

    class Meta:
        verbose_name = _("administrative licence")
        verbose_name_plural = _("administrative licences")
        ordering = ["enterprise", "-valid_from"]
        constraints = [
            ordered_dates("valid_from", "valid_to", "licence"),
            models.UniqueConstraint(
                fields=["issuing_agency", "licence_number"],
                name="licence_number_unique_per_agency",
                violation_error_message=_("This agency already issued a licence with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.licence_number}"


class AdministrativePenalty(EnterpriseRecord):
    classification = Classification.PUBLIC

    enterprise = enterprise_fk("penalties")
    decision_number = models.CharField(_("decision document number"), max_length=100)
    violation = models.CharField(_("type of violation"), max_length=200)
    content = models.TextField(_("penalty content"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    fine_amount = models.DecimalField(_("fine"), default=0, **MONEY)
    confiscated_amount = models.DecimalField(_("confiscated illegal gains"), default=0, **MONEY)
    decided_on = models.DateField(_("decision date"))
    deciding_agency = agency_fk(_("deciding agency"), "decided_penalties", required=True)
    publication_ends_on = models.DateField(_("publication ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("administrative penalty")
        verbose_name_plural = _("administrative penalties")
        ordering = ["enterprise", "-decided_on"]
        constraints = [
            not_negative("fine_amount", "penalty"),
            not_negative("confiscated_amount", "penalty"),
            ordered_dates("decided_on", "publication_ends_on", "penalty"),
            models.UniqueConstraint(
                fields=["deciding_agency", "decision_number"],
                name="penalty_decision_unique_per_agency",
                violation_error_message=_("This agency already has a decision with this number."),
            ),
        ]

    def __str__(self) -> str:
        return self.decision_number


class InspectionRecord(EnterpriseRecord):
    class Kind(models.TextChoices):
        DOUBLE_RANDOM = "double_random", _("double-random spot check")
        TARGETED = "targeted", _("targeted inspection")
        COMPLAINT = "complaint", _("complaint-driven inspection")

    class Result(models.TextChoices):
        NO_PROBLEM = "no_problem", _("no problem found")
        CORRECTED = "corrected", _("problems found and corrected")
        NOT_FOUND = "not_found", _("not found at registered address")
        VIOLATION = "violation", _("violations found, case filed")
        NOT_OPERATING = "not_operating", _("not operating")

    classification = Classification.PUBLIC

    enterprise = enterprise_fk("inspections")
    inspecting_agency = agency_fk(_("inspecting agency"), "inspections", required=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    inspected_on = models.DateField(_("inspection date"))
    result = models.CharField(_("result"), max_length=16, choices=Result.choices)
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("inspection record")
        verbose_name_plural = _("inspection records")
        ordering = ["enterprise", "-inspected_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.inspected_on}"


class Award(EnterpriseRecord):
    classification = Classification.PUBLIC

    enterprise = enterprise_fk("awards")
    title = models.CharField(_("award or honour"), max_length=200)
    awarding_agency = agency_fk(_("awarding agency"), "awards", required=True)
    awarded_on = models.DateField(_("date awarded"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("award or honour")
        verbose_name_plural = _("awards and honours")
        ordering = ["enterprise", "-awarded_on"]
        constraints = [ordered_dates("awarded_on", "valid_to", "award")]

    def __str__(self) -> str:
        return self.title


class UtilityArrear(EnterpriseRecord):
    class Utility(models.TextChoices):
        WATER = "water", _("water")
        ELECTRICITY = "electricity", _("electricity")
        GAS = "gas", _("gas")
        HEATING = "heating", _("heating")
        TELECOM = "telecom", _("telecommunications")

    classification = Classification.GOVERNMENT

    enterprise = enterprise_fk("utility_arrears")
    utility = models.CharField(_("utility"), max_length=16, choices=Utility.choices)
    supplier = models.CharField(_("supplier"), max_length=200)
    amount = models.DecimalField(_("amount in arrears"), **MONEY)
    overdue_since = models.DateField(_("overdue since"))
    settled_on = models.DateField(_("settled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("utility-payment arrear")
        verbose_name_plural = _("utility-payment arrears")
        ordering = ["enterprise", "-overdue_since"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="utilityarrear_amount_positive",
                violation_error_message=_("An arrear amount must be greater than zero."),
            ),
            ordered_dates("overdue_since", "settled_on", "utilityarrear"),
        ]

    def __str__(self) -> str:
        return f"{self.get_utility_display()} {self.amount}"


class AbnormalOperationListing(EnterpriseRecord):
    """Listing on the abnormal-operations directory (经营异常名录) and its removal."""

    class Reason(models.TextChoices):
        ANNUAL_REPORT_NOT_FILED = "annual_report", _("annual report not filed on time")
        DISCLOSURE_NOT_FILED = "disclosure", _("instant disclosure not made on time")
        FALSE_DISCLOSURE = "false_disclosure", _("concealed facts or falsified disclosure")
        UNREACHABLE = "unreachable", _("cannot be contacted at the registered address")

    class RemovalReason(models.TextChoices):
        REPORT_FILED = "report_filed", _("annual report filed late")
        DISCLOSURE_MADE = "disclosure_made", _("disclosure made")
        CORRECTED = "corrected", _("disclosure corrected")
        REACHABLE = "reachable", _("can be contacted again")
        WRONGLY_LISTED = "wrongly_listed", _("listed in error")

    classification = Classification.PUBLIC

    enterprise = enterprise_fk("abnormal_listings")
    reason = models.CharField(_("listing reason"), max_length=32, choices=Reason.choices)
    listed_on = models.DateField(_("listing date"))
    listing_agency = agency_fk(_("deciding agency"), "abnormal_listings", required=True)
    decision_number = models.CharField(_("decision document number"), max_length=100, blank=True)
    removed_on = models.DateField(_("removal date"), null=True, blank=True)
    removal_reason = models.CharField(
        _("removal reason"), max_length=32, choices=RemovalReason.choices, blank=True
    )
    removal_agency = agency_fk(_("removing agency"), "abnormal_removals")

    class Meta:
        verbose_name = _("abnormal-operations listing")
        verbose_name_plural = _("abnormal-operations listings")
        ordering = ["enterprise", "-listed_on"]
        constraints = [
            ordered_dates("listed_on", "removed_on", "abnormal"),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True, removal_reason="", removal_agency__isnull=True)
                | (Q(removed_on__isnull=False, removal_agency__isnull=False) & ~Q(removal_reason="")),
                name="abnormal_removal_complete",
                violation_error_message=_("A removal needs its date, reason and agency together."),
            ),
            models.UniqueConstraint(
                fields=["enterprise", "reason"],
                condition=Q(removed_on__isnull=True),
                name="abnormal_one_open_listing_per_reason",
                violation_error_message=_("The enterprise is already listed for this reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.listed_on}"

    @property
    def is_current(self) -> bool:
        return self.removed_on is None


RECORD_MODELS = (
    Shareholder,
    Branch,
    KeyPersonnel,
    ChangeRecord,
    AnnualReport,
    TaxRecord,
    ContributionRecord,
    AdministrativeLicence,
    AdministrativePenalty,
    InspectionRecord,
    Award,
    UtilityArrear,
    AbnormalOperationListing,
)
