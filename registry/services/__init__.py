"""Every write to the master database goes through these functions."""

from registry.services.audit import audit_record
from registry.services.enterprises import enterprise_create, enterprise_update, uscc_error
from registry.services.persons import (
    identity_fields,
    person_create,
    person_find_by_id_number,
    person_get_or_create,
    person_update,
    resident_id_error,
)
from registry.services.records import (
    abnormal_listing_create,
    abnormal_listing_remove,
    record_create,
    record_delete,
    record_update,
)
from registry.services.search import (
    enterprise_search_document_refresh,
    search_document_delete,
    search_document_upsert,
    search_index_rebuild_enterprises,
    search_rebuilder_register,
)

__all__ = [
    "abnormal_listing_create",
    "abnormal_listing_remove",
    "audit_record",
    "enterprise_create",
    "enterprise_search_document_refresh",
    "enterprise_update",
    "identity_fields",
    "person_create",
    "person_find_by_id_number",
    "person_get_or_create",
    "person_update",
    "record_create",
    "record_delete",
    "record_update",
    "resident_id_error",
    "search_document_delete",
    "search_document_upsert",
    "search_index_rebuild_enterprises",
    "search_rebuilder_register",
    "uscc_error",
]
