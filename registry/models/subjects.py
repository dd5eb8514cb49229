from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Cast, Mod, StrIndex, Substr
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from core.classification import Classification
from core.identifiers import USCC_CHARSET, USCC_WEIGHTS


def _uscc_check_matches() -> Exact:
    """SQL form of the GB 32100 check, so the database refuses a bad check character."""
    total = None
    for position, weight in enumerate(USCC_WEIGHTS, start=1):
        term = (StrIndex(Value(USCC_CHARSET), Substr("uscc", position, 1)) - 1) * weight
        total = term if total is None else total + term
    check_index = Cast(Mod(31 - Mod(total, 31), 31), models.IntegerField())
    return Exact(Substr(Value(USCC_CHARSET), check_index + 1, 1), Substr("uscc", 18, 1))


class Person(models.Model):
    """A natural person. The resident ID number is kept only as a keyed hash and masked form."""

    class Sex(models.TextChoices):
        MALE = "M", _("male")
        FEMALE = "F", _("female")

    classification = Classification.RESTRICTED
    field_classification = {"id_hash": Classification.GOVERNMENT}

    name = models.CharField(_("name"), max_length=64)
    # Unique through Meta.constraints: a plain B-tree, without the LIKE index ``unique=True`` adds.
    id_hash = models.CharField(_("ID number hash"), max_length=64, editable=False)
    id_masked = models.CharField(_("ID number (masked)"), max_length=18, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["name"], name="person_name_idx"),
            # The defaulter search finds the masked form as published (3418001998****2800) exactly.
            models.Index(fields=["id_masked"], name="person_id_masked_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_hash"],
                name="person_id_hash_unique",
                violation_error_message=_("A person with this ID number is already registered."),
            ),
            models.CheckConstraint(
                condition=Q(id_hash__regex=r"^[0-9a-f]{64}$"),
                name="person_id_hash_is_hmac",
                violation_error_message=_("The ID number hash must be an HMAC-SHA256 hex digest."),
            ),
            models.CheckConstraint(
                condition=Q(id_masked__regex=r"^[0-9]{10}\*{4}[0-9]{3}[0-9X]$"),
                name="person_id_masked_form",
                violation_error_message=_("The masked ID number must look like 3423011964****3224."),
            ),
            models.CheckConstraint(
                condition=Q(name__regex=r"^\S(.*\S)?$"),
                name="person_name_not_blank",
                violation_error_message=_("A name cannot be blank or padded with spaces."),
            ),
            models.CheckConstraint(
                condition=Q(sex__in=["M", "F"]),
                name="person_sex_valid",
                violation_error_message=_("Sex must be M or F."),
            ),
            models.CheckConstraint(
                condition=Q(birth_year__gte=1900) & Q(birth_year__lte=2100),
                name="person_birth_year_range",
                violation_error_message=_("The year of birth must be between 1900 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.id_masked})"


# Subjects of government integrity (政务诚信): organs (USCC 11…), public institutions (12…), mass
# organisations (13…), social organisations (5…) and village and residents' committees (54…). They
# may carry a level, a parent body and a principal, and only they may have government records.
GOVERNMENT_KIND_VALUES = (
    "government_organ",
    "public_institution",
    "mass_organisation",
    "social_organisation",
    "village_committee",
)


class Enterprise(models.Model):
    """Any organisation with a USCC: companies, individual businesses, government bodies."""

    class EntityType(models.TextChoices):
        LIMITED_LIABILITY = "llc", _("limited liability company")
        JOINT_STOCK = "joint_stock", _("joint-stock company")
        SOLE_PROPRIETORSHIP = "sole_proprietorship", _("sole proprietorship enterprise")
        PARTNERSHIP = "partnership", _("partnership enterprise")
        INDIVIDUAL_BUSINESS = "individual_business", _("individual business")
        FARMERS_COOPERATIVE = "cooperative", _("farmers' specialised cooperative")
        STATE_OWNED = "state_owned", _("enterprise owned by the whole people")
        COLLECTIVE = "collective", _("collectively owned enterprise")
        FOREIGN_INVESTED = "foreign_invested", _("foreign-invested enterprise")
        GOVERNMENT_ORGAN = "government_organ", _("government organ")
        PUBLIC_INSTITUTION = "public_institution", _("public institution")
        MASS_ORGANISATION = "mass_organisation", _("mass organisation")
        SOCIAL_ORGANISATION = "social_organisation", _("social organisation")
        VILLAGE_COMMITTEE = "village_committee", _("village or residents' committee")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        IN_OPERATION = "in_operation", _("in operation")
        SUSPENDED = "suspended", _("suspended")
        LIQUIDATION = "liquidation", _("in liquidation")
        MOVED_OUT = "moved_out", _("moved out")
        REVOKED = "revoked", _("licence revoked")
        CANCELLED = "cancelled", _("registration cancelled")
        DEREGISTERED = "deregistered", _("deregistered")
        # Known to the registry only from another agency's list (e.g. a court case).
        UNKNOWN = "unknown", _("not yet verified with the registration authority")

    class Level(models.TextChoices):
        # The tier of government a public body belongs to; empty for businesses.
        NATIONAL = "national", _("national")
        PROVINCIAL = "provincial", _("provincial")
        PREFECTURE = "prefecture", _("prefecture")
        COUNTY = "county", _("county")
        TOWNSHIP = "township", _("township")

    class Industry(models.TextChoices):
        # GB/T 4754-2017 sections.
        A = "A", _("agriculture, forestry, animal husbandry and fishery")
        B = "B", _("mining")
        C = "C", _("manufacturing")
        D = "D", _("electricity, heat, gas and water supply")
        E = "E", _("construction")
        F = "F", _("wholesale and retail")
        G = "G", _("transport, storage and postal services")
        H = "H", _("accommodation and catering")
        I = "I", _("information transmission, software and IT services")  # noqa: E741
        J = "J", _("finance")
        K = "K", _("real estate")
        L = "L", _("leasing and business services")
        M = "M", _("scientific research and technical services")
        N = "N", _("water, environment and public facilities management")
        O = "O", _("resident services, repair and other services")  # noqa: E741
        P = "P", _("education")
        Q = "Q", _("health and social work")
        R = "R", _("culture, sports and entertainment")
        S = "S", _("public administration, social security and social organisations")
        T = "T", _("international organisations")

    classification = Classification.PUBLIC

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    uscc_legacy = models.BooleanField(
        _("legacy code (official, check character does not verify)"), default=False
    )
    registration_number = models.CharField(_("registration number"), max_length=15, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    former_names = ArrayField(
        models.CharField(max_length=200), verbose_name=_("former names"), default=list, blank=True
    )
    entity_type = models.CharField(_("type"), max_length=32, choices=EntityType.choices)
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    legal_representative_person = models.ForeignKey(
        Person,
        verbose_name=_("legal representative (person record)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="represented_enterprises",
    )
    registered_capital = models.DecimalField(
        _("registered capital"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    capital_currency = models.CharField(_("currency"), max_length=3, default="CNY")
    established = models.DateField(_("established"), null=True, blank=True)
    operating_from = models.DateField(_("operating period from"), null=True, blank=True)
    operating_to = models.DateField(
        _("operating period to"), null=True, blank=True, help_text=_("Empty means indefinite.")
    )
    approved_on = models.DateField(
        _("approval date"),
        null=True,
        blank=True,
        help_text=_("Date the registration authority last approved the registration (核准日期)."),
    )
    registration_authority = models.ForeignKey(
        "registry.Agency",
        verbose_name=_("registration authority"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_enterprises",
    )
    status = models.CharField(_("registration status"), max_length=16, choices=Status.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    business_scope = models.TextField(_("business scope"), blank=True)
    region = models.ForeignKey(
        "registry.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices, blank=True)
    level = models.CharField(
        _("level of government"),
        max_length=16,
        choices=Level.choices,
        blank=True,
        default="",
        # Bulk writers (COPY) that predate the field leave it out: the database fills it in.
        db_default="",
        help_text=_("Only for government bodies and other public-sector subjects."),
    )
    parent_body = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subordinate_bodies",
        help_text=_("The body directly above: the government or department it answers to."),
    )
    principal = models.ForeignKey(
        Person,
        verbose_name=_("principal (head of the body)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="headed_bodies",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["uscc"]
        indexes = [
            models.Index(fields=["region", "status"], name="enterprise_region_status_idx"),
            # Only public bodies carry a level: a partial index stays small beside millions of companies.
            models.Index(
                fields=["entity_type", "level"],
                name="enterprise_gov_kind_level_idx",
                condition=Q(entity_type__in=GOVERNMENT_KIND_VALUES),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(entity_type__in=GOVERNMENT_KIND_VALUES)
                | (Q(level="") & Q(parent_body__isnull=True) & Q(principal__isnull=True)),
                name="enterprise_government_fields_only_for_bodies",
                violation_error_message=_(
                    "Only a government body or other public-sector subject has a level, a parent body "
                    "and a principal."
                ),
            ),
            models.CheckConstraint(
                condition=Q(parent_body__isnull=True) | ~Q(parent_body=F("pk")),
                name="enterprise_parent_body_not_self",
                violation_error_message=_("A body cannot be its own parent body."),
            ),
            models.CheckConstraint(
                condition=Q(uscc__regex=r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"),
                name="enterprise_uscc_shape",
                violation_error_message=_(
                    "A USCC is 18 characters: digits and capital letters without I, O, S, V, Z; "
                    "characters 3-8 are the division code."
                ),
            ),
            models.CheckConstraint(
                condition=Q(uscc_legacy=True) | _uscc_check_matches(),
                name="enterprise_uscc_check_char",
                violation_error_message=_(
                    "The USCC check character (18th) is wrong. Official codes that fail the check "
                    "must be imported with the legacy flag."
                ),
            ),
            models.CheckConstraint(
                condition=Q(registered_capital__isnull=True) | Q(registered_capital__gte=0),
                name="enterprise_capital_not_negative",
                violation_error_message=_("Registered capital cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(capital_currency__regex=r"^[A-Z]{3}$"),
                name="enterprise_currency_iso4217",
                violation_error_message=_("The currency is a three-letter ISO 4217 code."),
            ),
            models.CheckConstraint(
                condition=Q(operating_to__isnull=True)
                | Q(operating_from__isnull=True)
                | Q(operating_to__gte=F("operating_from")),
                name="enterprise_operating_period_order",
                violation_error_message=_("The operating period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(approved_on__isnull=True)
                | Q(established__isnull=True)
                | Q(approved_on__gte=F("established")),
                name="enterprise_approved_after_established",
                violation_error_message=_("The approval date cannot come before the establishment date."),
            ),
            models.CheckConstraint(
                condition=Q(established__gte="1900-01-01"),
                name="enterprise_established_after_1900",
                violation_error_message=_("The establishment date must be after 1900."),
            ),
            models.CheckConstraint(
                condition=Q(name__regex=r"^\S.*\S$"),
                name="enterprise_name_not_blank",
                violation_error_message=_(
                    "An enterprise name has at least two characters and no padding spaces."
                ),
            ),
            models.CheckConstraint(
                condition=Q(registration_number="") | Q(registration_number__regex=r"^[0-9]{13,15}$"),
                name="enterprise_registration_number_digits",
                violation_error_message=_("A registration number is 13 to 15 digits."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.uscc})"

    @property
    def is_government_body(self) -> bool:
        return self.entity_type in GOVERNMENT_KIND_VALUES
