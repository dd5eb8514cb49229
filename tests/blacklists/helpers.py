"""Set-up shared by the tests of several apps: court-list cases written through the service."""

import datetime as dt

from blacklists.models import ListEntry, ListType
from blacklists.services import court_case_create
from registry.models import Enterprise, Person
from registry.services.audit import SYSTEM

ORDER_START = dt.date(2025, 3, 1)


def restriction_order(
    enterprise: Enterprise,
    named: Person,
    *,
    number: str,
    starts_on: dt.date = ORDER_START,
    planned_end: dt.date | None = None,
) -> ListEntry:
    """A consumption-restriction order against ``enterprise`` that names ``named`` as the person it binds."""
    list_type = ListType.objects.get(code="consumption-restriction")
    return court_case_create(
        list_type=list_type,
        entry_fields={
            "enterprise": enterprise,
            "issuing_agency": list_type.owner,
            "decision_number": number,
            "decision_date": starts_on,
            "starts_on": starts_on,
            "published_on": starts_on,
            "planned_end": planned_end,
        },
        detail_fields={
            "subject_kind": "organisation",
            "id_display": enterprise.uscc,
            "province_id": "340000",
            "filing_date": starts_on - dt.timedelta(days=60),
            "order_text": "限制被执行人及其法定代表人高消费及非生活和工作必需的消费行为",
            "restricted_person": named,
            "restricted_person_name": named.name,
        },
        actor=SYSTEM,
        via="command",
    )
