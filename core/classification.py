"""Data classification, declared once per model and (where it differs) per field.

Every model in the master database carries ``classification`` (the default for
its fields) and may carry ``field_classification`` overrides. The API and pages
ask :func:`visible_fields` which fields an audience may see, so a rule lives in
exactly one place.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Classification(models.IntegerChoices):
    # Ordered: an audience cleared for a level sees everything at or below it.
    PUBLIC = 0, _("public")
    RESTRICTED = 1, _("restricted (authorised agencies and platforms)")
    GOVERNMENT = 2, _("government only")


class Audience(models.IntegerChoices):
    PUBLIC = Classification.PUBLIC, _("the public")
    AUTHORISED = Classification.RESTRICTED, _("authorised agencies and platforms")
    GOVERNMENT = Classification.GOVERNMENT, _("government users")


def model_classification(model: type[models.Model]) -> Classification:
    try:
        return Classification(model.classification)
    except AttributeError as exc:  # pragma: no cover - guarded by a test over all models
        raise TypeError(f"{model.__name__} declares no data classification") from exc


def field_classification(model: type[models.Model], field_name: str) -> Classification:
    overrides = getattr(model, "field_classification", {})
    return Classification(overrides.get(field_name, model_classification(model)))


def may_see(audience: Audience | int, level: Classification | int) -> bool:
    return int(audience) >= int(level)


def visible_fields(
    model: type[models.Model], audience: Audience | int, candidates: list[str] | None = None
) -> list[str]:
    """Names of the concrete fields of ``model`` that ``audience`` may see."""
    names = candidates or [field.name for field in model._meta.concrete_fields]
    return [name for name in names if may_see(audience, field_classification(model, name))]
