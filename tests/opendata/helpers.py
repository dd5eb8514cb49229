"""A small register with rows of every dataset, public and not."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from blacklists.models import ListEntry, ListType
from blacklists.services import court_case_create, list_entry_create
from blacklists.services.entries import list_entry_remove
from registry.services.audit import SYSTEM
from tests import factories
from tests.factories import make_resident_id


def _entry(list_type, *, subject, number, starts_on):
    permanent = list_type.permanent_allowed
    days = list_type.default_period_days or list_type.max_period_days or 365
    planned_end = None if permanent else starts_on + dt.timedelta(days=days)
    fields = {"person": subject} if subject.__class__.__name__ == "Person" else {"enterprise": subject}
    return list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        subject_name=subject.name,
        issuing_agency=list_type.owner,
        decision_number=number,
        decision_date=starts_on,
        severity=list_type.default_severity,
        starts_on=starts_on,
        planned_end=planned_end,
        permanent=permanent,
        published_on=starts_on,
        **fields,
    )


def defaulter_case(person, *, number: str, starts_on: dt.date) -> ListEntry:
    list_type = ListType.objects.get(code="court-defaulters")
    return court_case_create(
        list_type=list_type,
        entry_fields={
            "person": person,
            "subject_name": person.name,
            "issuing_agency": list_type.owner,
            "decision_number": number,
            "decision_date": starts_on,
            "starts_on": starts_on,
            "published_on": starts_on,
            "permanent": True,
        },
        detail_fields={
            "subject_kind": "person",
            "id_display": person.id_masked,
            "sex": person.sex,
            "age": 40,
            "province_id": "340000",
            "filing_date": starts_on - dt.timedelta(days=60),
            "obligation": "支付货款",
            "performance": "none",
            "circumstance": "1",
        },
        actor=SYSTEM,
        via="command",
    )


def build_sample() -> dict:
    """Rows of every dataset: some published, some not (ended entries, penalties past publication)."""
    today = timezone.localdate()
    company = factories.EnterpriseFactory(former_names=["合肥旧名有限公司"])
    investor = factories.EnterpriseFactory()
    factories.ShareholderFactory(enterprise=company, kind="enterprise", shareholder_enterprise=investor)
    factories.KeyPersonnelFactory(enterprise=company)
    factories.LicenceFactory(enterprise=company)
    factories.PenaltyFactory(enterprise=company, fine_amount=Decimal("12345.60"))
    factories.PenaltyFactory(enterprise=company, publication_ends_on=today)
    factories.PenaltyFactory(enterprise=company, publication_ends_on=today - dt.timedelta(days=1))
    factories.AbnormalListingFactory(enterprise=company)
    factories.InspectionFactory(enterprise=company)
    factories.CreditCommitmentFactory(enterprise=company)
    factories.InstantDisclosureFactory(enterprise=company)

    public_list = (
        ListType.objects.filter(public_search=True, holds_enterprises=True)
        .exclude(code__in=["court-defaulters", "consumption-restriction"])
        .order_by("code")
        .first()
    )
    hidden_list = (
        ListType.objects.filter(holds_enterprises=True)
        .exclude(pk=public_list.pk)
        .exclude(code__in=["court-defaulters", "consumption-restriction"])
        .order_by("code")
        .first()
    )
    ListType.objects.filter(pk=hidden_list.pk).update(public_search=False)
    start = today - dt.timedelta(days=30)
    in_force = _entry(public_list, subject=company, number="公开-1", starts_on=start)
    _entry(public_list, subject=investor, number="将来-1", starts_on=today + dt.timedelta(days=1))
    _entry(hidden_list, subject=company, number="内部-1", starts_on=start)
    ended = _entry(public_list, subject=investor, number="移出-1", starts_on=start)
    list_entry_remove(entry=ended, reason="已履行", actor=SYSTEM, via="command")
    person = factories.PersonFactory(id_number=make_resident_id(serial=123))
    listed = defaulter_case(person, number="(2026)皖0104执100号", starts_on=start)
    other = factories.PersonFactory(id_number=make_resident_id(serial=124))
    performed = defaulter_case(other, number="(2026)皖0104执101号", starts_on=start)
    list_entry_remove(entry=performed, reason="已履行", actor=SYSTEM, via="command")
    return {
        "company": company,
        "investor": investor,
        "in_force": in_force,
        "ended": ended,
        "listed_person": person,
        "defaulter": listed,
        "performed": performed,
    }
