"""Reads of lists and entries shared by pages and the API.

The parts: ``entries`` (entry pages, the defaulter search, list types), ``restrictions`` (the
restriction engine, its catalogue and the check log), ``memoranda`` (memoranda and list feeds),
``badges`` (badges on enterprise search results) and ``repair`` (credit-repair eligibility and
targets). Every public name is available from this package.
"""

from blacklists.selectors.badges import BADGE_KINDS, badges_for_enterprises
from blacklists.selectors.entries import (
    COURT_LIST_CODES,
    EntryPage,
    entry_search,
    list_entries_for_subject,
    list_entry_public,
    list_types_public,
    public_entry_queryset,
)
from blacklists.selectors.memoranda import list_feeds_public, memoranda_public
from blacklists.selectors.repair import (
    GENERAL_PENALTY_MONTHS,
    REPAIR_BASE_DOCUMENTS,
    SERIOUS_PENALTY_FINE,
    SERIOUS_PENALTY_MONTHS,
    Eligibility,
    RepairTarget,
    add_months,
    penalty_is_serious,
    penalty_repair_from,
    repair_applications_for_enterprise,
    repair_eligibility,
    repair_targets_for_enterprise,
)
from blacklists.selectors.restrictions import (
    CATALOGUE_SECONDS,
    GOVERNMENT_ENTITY_TYPES,
    NO_SUBJECT,
    restriction_catalogue,
    restriction_catalogue_clear,
    restriction_checks_for_subject,
    restrictions_in_force,
)

__all__ = [
    "BADGE_KINDS",
    "CATALOGUE_SECONDS",
    "COURT_LIST_CODES",
    "GENERAL_PENALTY_MONTHS",
    "GOVERNMENT_ENTITY_TYPES",
    "NO_SUBJECT",
    "REPAIR_BASE_DOCUMENTS",
    "SERIOUS_PENALTY_FINE",
    "SERIOUS_PENALTY_MONTHS",
    "Eligibility",
    "EntryPage",
    "RepairTarget",
    "add_months",
    "badges_for_enterprises",
    "entry_search",
    "list_entries_for_subject",
    "list_entry_public",
    "list_feeds_public",
    "list_types_public",
    "memoranda_public",
    "penalty_is_serious",
    "penalty_repair_from",
    "public_entry_queryset",
    "repair_applications_for_enterprise",
    "repair_eligibility",
    "repair_targets_for_enterprise",
    "restriction_catalogue",
    "restriction_catalogue_clear",
    "restriction_checks_for_subject",
    "restrictions_in_force",
]
