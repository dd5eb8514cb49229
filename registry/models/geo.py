from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.classification import Classification


class Region(models.Model):
    """A GB/T 2260 administrative division (province or prefecture level)."""

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
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

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
        ]

    def __str__(self) -> str:
        return self.name_zh


class AgencyMembership(models.Model):
    """A clerk's agency: what they may maintain is limited to their agency's data."""

    classification = Classification.GOVERNMENT

    user = models.OneToOneField(
        "auth.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="agency_membership"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships"
    )
    since = models.DateField(_("member since"), auto_now_add=True)

    class Meta:
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency}"
