"""Reads of lists and entries shared by pages and the API.

The parts: ``entries`` (entry pages, the defaulter search, list types), ``restrictions`` (the
restriction engine, its catalogue and the check log), ``memoranda`` (memoranda and list feeds),
``badges`` (badges on enterprise search results), ``catalogue`` (the public list catalogue),
``list_pages`` (each list's search, the abnormal-operations directory, the latest publications)
and ``listed`` (the "listed on" filter of the enterprise search and the lists to pick from).
Every public name is available from this package.
"""

from blacklists.selectors.badges import (
    ABNORMAL_BADGE,
    BADGE_KINDS,
    ListBadge,
    badges_for_enterprises,
    list_badges_for_enterprises,
)
from blacklists.selectors.catalogue import (
    ABNORMAL_SLUG,
    PublicList,
    public_list,
    public_list_counts_clear,
    public_lists,
    public_lists_grouped,
)
from blacklists.selectors.entries import (
    COURT_LIST_CODES,
    EntryPage,
    entry_search,
    list_entries_for_subject,
    list_entry_public,
    list_types_public,
    public_entry_queryset,
)
from blacklists.selectors.list_pages import (
    LATEST_LIMIT,
    ListingPage,
    Publication,
    abnormal_listing_public,
    abnormal_listing_search,
    abnormal_listings_in_force,
    division_range,
    latest_publications,
    list_entry_search,
)
from blacklists.selectors.listed import (
    LISTED_ON_MAX,
    ListChoice,
    ListedOnTooLarge,
    enterprise_search_listed_on,
    grouped_list_choices,
    listed_enterprise_keys,
    public_list_choices,
)
from blacklists.selectors.memoranda import list_feeds_public, memoranda_public
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
    "ABNORMAL_BADGE",
    "ABNORMAL_SLUG",
    "BADGE_KINDS",
    "CATALOGUE_SECONDS",
    "COURT_LIST_CODES",
    "GOVERNMENT_ENTITY_TYPES",
    "LATEST_LIMIT",
    "LISTED_ON_MAX",
    "NO_SUBJECT",
    "EntryPage",
    "ListBadge",
    "ListChoice",
    "ListedOnTooLarge",
    "ListingPage",
    "PublicList",
    "Publication",
    "abnormal_listing_public",
    "abnormal_listing_search",
    "abnormal_listings_in_force",
    "badges_for_enterprises",
    "division_range",
    "enterprise_search_listed_on",
    "entry_search",
    "grouped_list_choices",
    "latest_publications",
    "list_badges_for_enterprises",
    "list_entries_for_subject",
    "list_entry_public",
    "list_entry_search",
    "list_feeds_public",
    "list_types_public",
    "listed_enterprise_keys",
    "memoranda_public",
    "public_entry_queryset",
    "public_list",
    "public_list_choices",
    "public_list_counts_clear",
    "public_lists",
    "public_lists_grouped",
    "restriction_catalogue",
    "restriction_catalogue_clear",
    "restriction_checks_for_subject",
    "restrictions_in_force",
]
