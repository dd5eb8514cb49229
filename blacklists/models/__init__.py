from blacklists.models.api_clients import ApiClient, ApiScope, RestrictionCheck
from blacklists.models.court import (
    CASE_NUMBER_RE,
    ConsumptionRestrictionDetail,
    CourtDefaulterDetail,
    SubjectKind,
)
from blacklists.models.lists import ListEntry, ListEntryStatusChange, ListType, Severity
from blacklists.models.memoranda import (
    BINDING_GROUPS,
    BINDING_LABELS,
    PRINCIPAL_ROLE,
    ROLE_GROUPS,
    ListFeed,
    Measure,
    Memorandum,
)

__all__ = [
    "BINDING_GROUPS",
    "BINDING_LABELS",
    "CASE_NUMBER_RE",
    "PRINCIPAL_ROLE",
    "ROLE_GROUPS",
    "ApiClient",
    "ApiScope",
    "ConsumptionRestrictionDetail",
    "CourtDefaulterDetail",
    "ListEntry",
    "ListEntryStatusChange",
    "ListFeed",
    "ListType",
    "Measure",
    "Memorandum",
    "RestrictionCheck",
    "Severity",
    "SubjectKind",
]
