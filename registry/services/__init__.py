"""Every write to the master database goes through these functions."""

from registry.services.audit import audit_record
from registry.services.documents import document_read_record, document_store, files_removed_on_error
from registry.services.enterprises import (
    enterprise_create,
    enterprise_update,
    government_body_update,
    uscc_error,
)
from registry.services.events import subject_event_record
from registry.services.mail import mail_deliver, mail_enqueue, mail_send_pending
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
from registry.services.search import enterprise_search_document_refresh, search_index_rebuild_enterprises

__all__ = [
    "abnormal_listing_create",
    "abnormal_listing_remove",
    "audit_record",
    "document_read_record",
    "document_store",
    "enterprise_create",
    "enterprise_search_document_refresh",
    "enterprise_update",
    "files_removed_on_error",
    "government_body_update",
    "identity_fields",
    "mail_deliver",
    "mail_enqueue",
    "mail_send_pending",
    "person_create",
    "person_find_by_id_number",
    "person_get_or_create",
    "person_update",
    "record_create",
    "record_delete",
    "record_update",
    "resident_id_error",
    "search_index_rebuild_enterprises",
    "subject_event_record",
    "uscc_error",
]
