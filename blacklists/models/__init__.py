from blacklists.models.court import (
    CASE_NUMBER_RE,
    ConsumptionRestrictionDetail,
    CourtDefaulterDetail,
    SubjectKind,
)
from blacklists.models.lists import ListEntry, ListEntryStatusChange, ListType, Severity

__all__ = [
    "CASE_NUMBER_RE",
    "ConsumptionRestrictionDetail",
    "CourtDefaulterDetail",
    "ListEntry",
    "ListEntryStatusChange",
    "ListType",
    "Severity",
    "SubjectKind",
]
