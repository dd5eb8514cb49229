"""一单两库: the item list, the inspector directory and declared conflicts of interest.

The inspectee directory is the register itself (``registry.Enterprise``); a task's filter chooses
from it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.classification import Classification


def not_blank(field: str, model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__regex": r"^\S(.*\S)?$"}),
        name=f"{model}_{field}_not_blank",
        violation_error_message=_("This text cannot be blank or padded with spaces."),
    )


class InspectionItem(models.Model):
    """One entry of an agency's random inspection item list (随机抽查事项清单)."""

    class Kind(models.TextChoices):
        KEY = "key", _("key item (no cap on the ratio)")
        GENERAL = "general", _("general item (limited ratio)")

    classification = Classification.PUBLIC

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="inspection_items"
    )
    name_en = models.CharField(_("English name"), max_length=200)
    name_zh = models.CharField(_("Chinese name"), max_length=200)
    legal_basis = models.TextField(_("legal basis"))
    inspecting_body = models.CharField(_("inspecting body"), max_length=200)
    content = models.TextField(_("inspection content"))
    method = models.CharField(_("inspection method"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.GENERAL)
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("inspection item")
        verbose_name_plural = _("inspection items")
        ordering = ["agency", "name_zh"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name_zh"],
                name="inspectionitem_name_unique_per_agency",
                violation_error_message=_("This agency already has an item with this name."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["key", "general"]),
                name="inspectionitem_kind_known",
                violation_error_message=_("An item is either key or general."),
            ),
            not_blank("name_en", "inspectionitem"),
            not_blank("name_zh", "inspectionitem"),
        ]

    def __str__(self) -> str:
        return self.name_zh


class Inspector(models.Model):
    """An enforcement officer in the inspector directory (执法检查人员名录库).

    No resident ID number is kept: the enforcement certificate number identifies the officer, and
    an optional link to a register ``Person`` lets the draw find posts they hold in enterprises.
    """

    classification = Classification.PUBLIC
    # The certificate number is shown to clerks only; the link to a person is never published.
    field_classification = {
        "certificate_number": Classification.GOVERNMENT,
        "person": Classification.GOVERNMENT,
        "user": Classification.GOVERNMENT,
    }

    agency = models.ForeignKey(
        "registry.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="inspectors"
    )
    name = models.CharField(_("name"), max_length=64)
    certificate_number = models.CharField(_("enforcement certificate number"), max_length=32)
    enforcement_fields = models.CharField(
        _("enforcement fields"), max_length=200, blank=True, help_text=_("What the officer may inspect.")
    )
    active = models.BooleanField(_("active"), default=True)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person in the register"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspector_roles",
        help_text=_("Links the officer to the register, so posts they hold in an enterprise recuse them."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("clerk user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspector",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("inspector")
        verbose_name_plural = _("inspectors")
        ordering = ["agency", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "certificate_number"],
                name="inspector_certificate_unique_per_agency",
                violation_error_message=_(
                    "This agency already has an inspector with this certificate number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(certificate_number__regex=r"^[0-9A-Za-z-]{4,32}$"),
                name="inspector_certificate_shape",
                violation_error_message=_(
                    "A certificate number is 4 to 32 letters, digits or hyphens (never an ID number)."
                ),
            ),
            not_blank("name", "inspector"),
        ]

    def __str__(self) -> str:
        return self.name


class DeclaredConflict(models.Model):
    """An inspector's declared interest in an enterprise: the draw never assigns them to it."""

    classification = Classification.GOVERNMENT

    inspector = models.ForeignKey(
        Inspector, verbose_name=_("inspector"), on_delete=models.CASCADE, related_name="conflicts"
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        ordering = ["inspector", "-declared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspector", "enterprise"],
                name="declaredconflict_once",
                violation_error_message=_("This conflict is already declared."),
            ),
            not_blank("reason", "declaredconflict"),
        ]

    def __str__(self) -> str:
        return f"{self.inspector} ≠ {self.enterprise_id}"
