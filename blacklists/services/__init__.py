"""Every write to lists and entries goes through these functions."""

from blacklists.services.api_clients import (
    api_client_authenticate,
    api_client_create,
    api_client_update,
    restriction_check_record,
    token_hash,
)
from blacklists.services.court import (
    case_number_error,
    court_case_create,
    court_get_or_create,
    normalise_case_number,
)
from blacklists.services.entries import (
    build_entry,
    list_entries_expire,
    list_entries_expiring_record,
    list_entry_correct,
    list_entry_create,
    list_entry_extend,
    list_entry_remove,
    list_entry_repair,
    list_entry_revoke,
    list_type_create,
    list_type_update,
)
from blacklists.services.measures import (
    feed_cycle,
    list_feed_create,
    list_feed_delete,
    list_feed_update,
    measure_create,
    measure_delete,
    measure_update,
    memorandum_create,
    memorandum_update,
)
from blacklists.services.repair import repair_application_decide, repair_application_submit

__all__ = [
    "api_client_authenticate",
    "api_client_create",
    "api_client_update",
    "build_entry",
    "case_number_error",
    "court_case_create",
    "court_get_or_create",
    "feed_cycle",
    "list_entries_expire",
    "list_entries_expiring_record",
    "list_entry_correct",
    "list_entry_create",
    "list_entry_extend",
    "list_entry_remove",
    "list_entry_repair",
    "list_entry_revoke",
    "list_feed_create",
    "list_feed_delete",
    "list_feed_update",
    "list_type_create",
    "list_type_update",
    "measure_create",
    "measure_delete",
    "measure_update",
    "memorandum_create",
    "memorandum_update",
    "normalise_case_number",
    "repair_application_decide",
    "repair_application_submit",
    "restriction_check_record",
    "token_hash",
]
