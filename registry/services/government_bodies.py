"""Level, parent body and principal of government bodies and other public-sector subjects."""

from __future__ import annotations

from django.utils.translation import gettext as _

from registry.models import Enterprise
from registry.models.subjects import GOVERNMENT_KIND_VALUES

GOVERNMENT_FIELDS = ("level", "parent_body", "principal")
# From the top: a parent body is at its subordinate's level (a county's own department answers to the
# county government) or above it, never below.
LEVEL_RANK = {level: rank for rank, level in enumerate(Enterprise.Level.values)}
# Deeper than any real chain (national to township is five levels, plus departments): a longer
# walk means the data loops.
MAX_CHAIN = 32


def government_fields_errors(*, enterprise: Enterprise, changes: dict) -> dict[str, str]:
    """What is wrong with the level, parent body and principal ``changes`` would give ``enterprise``."""
    if not any(name in changes or f"{name}_id" in changes for name in GOVERNMENT_FIELDS):
        return {}
    entity_type = changes.get("entity_type", enterprise.entity_type)
    level = changes.get("level", enterprise.level)
    parent = changes.get("parent_body", enterprise.parent_body)
    errors: dict[str, str] = {}
    if entity_type not in GOVERNMENT_KIND_VALUES:
        if level or parent is not None or changes.get("principal", enterprise.principal) is not None:
            errors["entity_type"] = _(
                "Only a government body or other public-sector subject has a level, a parent body "
                "and a principal."
            )
        return errors
    if parent is None:
        return errors
    if enterprise.pk is not None and parent.pk == enterprise.pk:
        errors["parent_body"] = _("A body cannot be its own parent body.")
    elif parent.entity_type not in GOVERNMENT_KIND_VALUES:
        errors["parent_body"] = _(
            "The parent body must itself be a government body or public-sector subject."
        )
    elif level and parent.level and LEVEL_RANK[parent.level] > LEVEL_RANK[level]:
        errors["parent_body"] = _(
            "The parent body (%(parent)s) is at a lower level than the body itself (%(level)s)."
        ) % {"parent": parent.get_level_display(), "level": Enterprise.Level(level).label}
    elif enterprise.pk is not None and _chain_reaches(parent, enterprise.pk):
        errors["parent_body"] = _("The parent body is subordinate to this body: the chain would loop.")
    return errors


def _chain_reaches(start: Enterprise, target_id: int) -> bool:
    current, steps = start, 0
    while current is not None and steps < MAX_CHAIN:
        if current.pk == target_id:
            return True
        current, steps = current.parent_body, steps + 1
    return steps >= MAX_CHAIN
