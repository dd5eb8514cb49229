from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification


class Region(models.Model):
    """A GB/T 2260 administrative division (province, prefecture or county level), including codes
    no longer in use, which older resident ID numbers and USCCs still carry."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("provincial level")
        PREFECTURE = "prefecture", _("prefecture level")
        COUNTY = "county", _("county level")

    classification = Classification.PUBLIC

    code = models.CharField(_("division code"), max_length=6, primary_key=True)
    name_zh = models.CharField(_("Chinese name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=128)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent division"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from_year = models.PositiveSmallIntegerField(
        _("listed from (year)"),
        null=True,
        blank=True,
        help_text=_("First yearly edition of the code list that has this code; empty: since the first."),
    )
    valid_until_year = models.PositiveSmallIntegerField(
        _("retired after (year)"),
        null=True,
        blank=True,
        help_text=_("Last yearly edition of the code list that has this code; empty: in use."),
    )

    class Meta:
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[1-9][0-9]{5}$"),
                name="region_code_six_digits",
                violation_error_message=_("A division code is six digits (GB/T 2260)."),
            ),
            models.CheckConstraint(
                condition=(Q(level="province") & Q(parent__isnull=True) & Q(code__endswith="0000"))
                | (~Q(level="province") & Q(parent__isnull=False)),
                name="region_level_matches_parent",
                violation_error_message=_(
                    "A province has a code ending in 0000 and no parent; any other division has a parent."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(valid_from_year__isnull=True) | Q(valid_from_year__range=(1980, 2200)))
                & (Q(valid_until_year__isnull=True) | Q(valid_until_year__range=(1980, 2200)))
                & (
                    Q(valid_from_year__isnull=True)
                    | Q(valid_until_year__isnull=True)
                    | Q(valid_from_year__lte=F("valid_until_year"))
                ),
                name="region_years_in_order",
                violation_error_message=_(
                    "The years of a division lie between 1980 and 2200, the first not after the last."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    @property
    def retired(self) -> bool:
        return self.valid_until_year is not None

    @property
    def lineage(self) -> list["Region"]:
        """Province first, down to this division (select ``parent__parent`` to avoid queries)."""
        chain, region = [], self
        while region is not None and len(chain) < 3:
            chain.insert(0, region)
            region = region.parent if region.parent_id else None
        return chain

    def at_level(self, level: str) -> "Region | None":
        """This division's province or prefecture (itself when it is of that level)."""
        return next((region for region in self.lineage if region.level == level), None)

    @property
    def is_grouping(self) -> bool:
        """A grouping entry of the code list (市辖区, 县, 省直辖县级行政区划), not a place."""
        return self.name_zh in {"市辖区", "县", "林区"} or "直辖" in self.name_zh

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"


class Agency(models.Model):
    """A government body or association that owns records and lists."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("national")
        PROVINCIAL = "provincial", _("provincial")
        PREFECTURE = "prefecture", _("prefecture")
        COUNTY = "county", _("county")

    class Kind(models.TextChoices):
        COURT = "court", _("court")
        MINISTRY = "ministry", _("ministry or commission")
        BUREAU = "bureau", _("bureau or administration")
        MARKET_REGULATION = "market_regulation", _("market regulation authority")
        TAX = "tax", _("tax authority")
        CUSTOMS = "customs", _("customs")
        PARTY_GOVERNMENT = "government", _("people's government")
        FINANCE = "finance", _("finance bureau")
        DISCIPLINE = "discipline", _("discipline inspection and supervision office")
        CREDIT_OFFICE = "credit_office", _("social credit office")
        INDUSTRY_ASSOCIATION = "association", _("industry association")
        STATE_ENTERPRISE = "state_enterprise", _("state-owned enterprise acting for the state")
        OTHER = "other", _("other")

    classification = Classification.PUBLIC

    name_zh = models.CharField(_("Chinese name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=256)
    short_code = models.SlugField(_("short code"), max_length=64, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )
    generated = models.BooleanField(
        _("generated from the divisions"),
        default=False,
        help_text=_(
            "Named after the official pattern from its division (update_divisions); a clerk confirms "
            "or corrects it. The command never changes a confirmed row."
        ),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "auth.User",
        verbose_name=_("confirmed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["level", "name_zh"]
        constraints = [
            models.UniqueConstraint(
                fields=["name_zh", "region"],
                name="agency_unique_name_in_region",
                nulls_distinct=False,
                violation_error_message=_("An agency with this name already exists in this region."),
            ),
            models.CheckConstraint(
                condition=(Q(level="national") & Q(region__isnull=True))
                | (~Q(level="national") & Q(region__isnull=False)),
                name="agency_region_matches_level",
                violation_error_message=_("A national agency has no region; every other agency has one."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(generated=True),
                name="agency_only_generated_confirmed",
                violation_error_message=_("Only a generated agency is confirmed."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | Q(confirmed_at__isnull=False),
                name="agency_confirmer_has_date",
                violation_error_message=_("A confirmation has a date."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_zh

    @property
    def awaiting_confirmation(self) -> bool:
        return self.generated and self.confirmed_at is None
