"""Every write to lists and entries goes through these functions."""

from blacklists.services.court import (
    case_number_error,
    court_case_create,
    court_get_or_create,
    normalise_case_number,
)
from blacklists.services.entries import (
    build_entry,
    list_entries_expire,
    list_entry_correct,
    list_entry_create,
    list_entry_extend,
    list_entry_remove,
    list_entry_repair,
    list_entry_revoke,
    list_type_create,
    list_type_update,
)

__all__ = [
    "build_entry",
    "case_number_error",
    "court_case_create",
    "court_get_or_create",
    "list_entries_expire",
    "list_entry_correct",
    "list_entry_create",
    "list_entry_extend",
    "list_entry_remove",
    "list_entry_repair",
    "list_entry_revoke",
    "list_type_create",
    "list_type_update",
    "normalise_case_number",
]
