"""The demo fills every public list: subjects of the kinds the list holds, agencies of its system,
decision numbers in each agency's style, entries in force, expired, repaired or otherwise ended,
with their history; the abnormal-operations directory too; the same seed gives the same data."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import EnterpriseMembership
from blacklists.models import ListEntry, ListEntryStatusChange, ListType
from blacklists.selectors.entries import COURT_LIST_CODES
from blacklists.services.entries import GOVERNMENT_TYPES, subject_kind_error
from casework.models import RepairApplication
from demo.listings import styles
from demo.listings.agencies import PROVINCE_ABBREVIATIONS, AgencyBook
from registry.models import AbnormalOperationListing, Agency, SubjectEvent
from search.models import SearchDocument
from tests.demo.helpers import COURT_CASES, PER_LIST, generate

pytestmark = pytest.mark.django_db
Status = ListEntry.Status
PROVINCES = "".join(PROVINCE_ABBREVIATIONS.values())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One small demo for the module's tests, rolled back when they are done."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield generate()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def public_lists():
    return list(ListType.objects.filter(public_search=True).select_related("owner").order_by("code"))


def entries_of(list_type):
    return ListEntry.objects.filter(list_type=list_type)


def test_every_public_list_has_entries_in_force_and_some_that_ended(demo):
    lists = public_lists()
    assert len(lists) >= 21
    for list_type in lists:
        entries = entries_of(list_type)
        statuses = set(entries.values_list("status", flat=True))
        assert entries.in_force().exists(), list_type.code
        assert statuses - {Status.IN_FORCE}, f"{list_type.code}: nothing ended"
        if list_type.default_period_days is not None:
            assert Status.EXPIRED in statuses, list_type.code
        repairable = (
            list_type.kind != ListType.Kind.REDLIST
            and list_type.code not in COURT_LIST_CODES
            and list_type.holds_enterprises
        )
        if repairable:
            assert Status.REPAIRED in statuses, list_type.code
        else:
            assert Status.REPAIRED not in statuses, list_type.code
        if list_type.kind == ListType.Kind.REDLIST:
            assert Status.REVOKED in statuses, list_type.code  # redlists expire or are revoked
    # Some published in the last days, for the feeds (lists rated at fixed dates publish in
    # batches); others years ago.
    today = timezone.localdate()
    for list_type in lists:
        if list_type.code in COURT_LIST_CODES or styles.STYLES[list_type.code].cycle:
            continue
        published = entries_of(list_type).in_force().values_list("published_on", flat=True)
        assert max(published) >= today - dt.timedelta(days=10), list_type.code
    oldest = ListEntry.objects.order_by("starts_on").values_list("starts_on", flat=True).first()
    assert oldest <= today - dt.timedelta(days=3 * 365)


def test_every_public_list_has_its_own_style():
    assert {t.code for t in public_lists()} - set(COURT_LIST_CODES) <= set(styles.STYLES)


def test_ended_entries_carry_their_history(demo):
    today = timezone.localdate()
    ended = ListEntry.objects.exclude(status=Status.IN_FORCE).select_related("list_type")
    assert ended.count() > 50
    changes = {
        change.entry_id: change
        for change in ListEntryStatusChange.objects.exclude(from_status="").filter(entry__in=ended)
    }
    listings = set(ListEntryStatusChange.objects.filter(from_status="").values_list("entry_id", flat=True))
    for entry in ended:
        change = changes[entry.pk]
        assert change.to_status == entry.status and change.reason.strip()
        assert entry.pk in listings
        assert change.at == entry.status_changed_at <= timezone.now()
        assert entry.starts_on <= change.effective_on <= today
        if entry.status == Status.EXPIRED:
            assert entry.planned_end < today
            assert change.effective_on == entry.planned_end + dt.timedelta(days=1)
        elif entry.planned_end is not None:
            assert change.effective_on <= entry.planned_end
    # Listings are dated from their publication, before they ended.
    first = ListEntryStatusChange.objects.filter(from_status="", entry__in=ended).select_related("entry")
    for change in first:
        assert change.at < changes[change.entry_id].at
    # Past their planned end, no entry is left "in force" for the expiry job to find.
    assert not ListEntry.objects.filter(status=Status.IN_FORCE, planned_end__lt=today).exists()


def test_repaired_entries_were_repaired_on_an_approved_application(demo):
    repaired = ListEntry.objects.filter(status=Status.REPAIRED).select_related("list_type")
    assert repaired.exists()
    applications = {a.list_entry_id: a for a in RepairApplication.objects.filter(list_entry__in=repaired)}
    for entry in repaired:
        application = applications[entry.pk]
        assert entry.enterprise_id and application.enterprise_id == entry.enterprise_id
        assert application.status == RepairApplication.Status.APPROVED
        assert application.agency_id == entry.issuing_agency_id
        assert application.decided_at == entry.status_changed_at
        # Applied once the minimum listing period had passed, decided in time.
        minimum = dt.timedelta(days=entry.list_type.min_period_days or 0)
        assert timezone.localdate(application.submitted_at) >= entry.starts_on + minimum
        assert timezone.localdate(application.decided_at) <= application.due_on
        assert entry.severity != ListEntry.Severity.EXTREMELY_SERIOUS
        application.full_clean()
    assert SubjectEvent.objects.filter(
        record_type=SubjectEvent.RecordType.REPAIR, kind=SubjectEvent.Kind.DECIDED
    ).count() == len(applications)


def test_subjects_are_of_the_kinds_each_list_holds(demo):
    book = AgencyBook()
    for list_type in public_lists():
        entries = entries_of(list_type).select_related("person", "enterprise")
        kinds = set()
        for entry in entries:
            assert subject_kind_error(list_type, person=entry.person, enterprise=entry.enterprise) is None
            assert entry.subject_name == entry.subject.name
            if entry.person_id:
                kinds.add("person")
            elif entry.enterprise.entity_type in GOVERNMENT_TYPES:
                kinds.add("government")
            else:
                kinds.add("enterprise")
            # A local list holds companies of its place.
            if list_type.region_id and entry.enterprise_id:
                region = book.prefecture_of(entry.enterprise.region_id)
                assert (
                    region[: 2 if list_type.region_id.endswith("0000") else 4]
                    == list_type.region_id[: 2 if list_type.region_id.endswith("0000") else 4]
                ), (list_type.code, entry.subject_name)
        if list_type.holds_persons and list_type.holds_enterprises:
            assert kinds >= {"person", "enterprise"} or list_type.code == "ndrc-key-concern", list_type.code
        if not list_type.holds_enterprises:
            assert kinds == {"person"}, list_type.code
    # The court lists hold government bodies too (a county bureau, a public hospital).
    government = ListEntry.objects.filter(enterprise__entity_type__in=GOVERNMENT_TYPES)
    assert government.exists()
    assert set(government.values_list("list_type__code", flat=True)) <= set(COURT_LIST_CODES)


def test_issuing_agencies_belong_to_the_list_system(demo):
    levels = {}
    for list_type in public_lists():
        owner = list_type.owner
        for entry in entries_of(list_type).select_related("issuing_agency"):
            agency = entry.issuing_agency
            if list_type.code in COURT_LIST_CODES:
                assert agency.kind == Agency.Kind.COURT
                assert agency.level in {Agency.Level.COUNTY, Agency.Level.PREFECTURE}
            else:
                assert agency == owner or (
                    agency.kind == owner.kind and agency.level != Agency.Level.NATIONAL
                ), (
                    list_type.code,
                    agency.name_zh,
                )
            levels.setdefault(list_type.code, set()).add(agency.level)
    # Local branches at every level, so that a region filter down to counties finds something.
    assert levels["samr-serious-illegal"] >= {Agency.Level.COUNTY, Agency.Level.PREFECTURE}
    assert levels["sta-major-tax-violations"] == {Agency.Level.PROVINCIAL}
    # Each market-regulation entry of a company is issued where the company is.
    book = AgencyBook()
    for entry in ListEntry.objects.filter(
        list_type__code="samr-serious-illegal", issuing_agency__level=Agency.Level.COUNTY
    ).select_related("issuing_agency", "enterprise"):
        assert book.prefecture_of(entry.issuing_agency.region_id) == book.prefecture_of(
            entry.enterprise.region_id
        )


def test_decision_numbers_follow_each_agency_style(demo):
    book = AgencyBook()
    samples = {}
    for entry in ListEntry.objects.select_related("list_type", "issuing_agency"):
        agency, number, code = entry.issuing_agency, entry.decision_number, entry.list_type.code
        samples.setdefault(code, number)
        if code in COURT_LIST_CODES:
            match = re.fullmatch(rf"\((\d{{4}})\)([{PROVINCES}])(\d{{2}}|\d{{4}})执\d+号", number)
            assert match, number
            region = agency.region_id
            digits = region[2:4] if agency.level == Agency.Level.PREFECTURE else region[2:6]
            assert match[2] == PROVINCE_ABBREVIATIONS[region[:2]] and match[3] == digits, (number, agency)
            continue
        pattern = re.escape(styles.STYLES[code].number)
        pattern = pattern.replace(r"\{prefix\}", re.escape(book.prefix(book.by_id[agency.pk])))
        pattern = pattern.replace(r"\{year\}", str(entry.decision_date.year))
        pattern = pattern.replace(r"\{serial\}", r"[1-9]\d*").replace(r"\{customs\}", r"\d{10}")
        assert re.fullmatch(pattern, number), (code, agency.name_zh, number)
    assert re.fullmatch(rf"[{PROVINCES}]税稽罚〔20\d\d〕\d+号", samples["sta-major-tax-violations"])
    assert re.fullmatch(r"AEOCN\d{10}", samples["gac-advanced-certified"])
    tianjin = Agency.objects.get(short_code="amr-120000")
    heping = Agency.objects.get(short_code="amr-120101")
    shijiazhuang = Agency.objects.get(short_code="amr-130100")
    changan = Agency.objects.get(short_code="amr-130102")
    tax = Agency.objects.get(short_code="tax-120000")
    assert [book.prefix(book.by_id[a.pk]) for a in (tianjin, heping, shijiazhuang, changan, tax)] == [
        "津",
        "津和",
        "石家庄",
        "石长",
        "津",
    ]


def test_severities_vary_where_the_list_allows(demo):
    for list_type in public_lists():
        severities = set(entries_of(list_type).values_list("severity", flat=True))
        if list_type.kind == ListType.Kind.REDLIST:
            assert severities == {ListEntry.Severity.NOT_APPLICABLE}
        else:
            assert ListEntry.Severity.NOT_APPLICABLE not in severities
    varied = [t.code for t in public_lists() if entries_of(t).values("severity").distinct().count() > 1]
    assert len(varied) >= 8


def test_entries_in_force_are_searchable_and_ended_ones_are_not(demo):
    documents = set(
        SearchDocument.objects.filter(kind=SearchDocument.Kind.LIST_ENTRY).values_list("object_id", flat=True)
    )
    in_force = set(ListEntry.objects.in_force().values_list("pk", flat=True))
    ended = set(ListEntry.objects.exclude(status=Status.IN_FORCE).values_list("pk", flat=True))
    assert in_force <= documents
    assert not ended & documents


def test_the_abnormal_directory_has_listings_in_force_and_removed(demo):
    listings = AbnormalOperationListing.objects
    assert listings.filter(removed_on__isnull=True).count() >= 8
    assert listings.filter(removed_on__isnull=False).count() >= 4
    assert not listings.filter(decision_number="").exists()
    assert all(
        re.fullmatch(r".+市监异列〔20\d\d〕\d+号", n)
        for n in listings.values_list("decision_number", flat=True)
    )


def test_a_second_run_with_if_empty_changes_nothing(demo):
    before = ListEntry.objects.count()
    out = StringIO()
    call_command(
        "generate_demo_list_entries",
        entries=COURT_CASES,
        per_list=PER_LIST,
        seed=5,
        if_empty=True,
        stdout=out,
    )
    assert "nothing generated" in out.getvalue()
    assert ListEntry.objects.count() == before


@override_settings(DEBUG=True)
def test_the_demo_company_user_acts_for_a_company_it_can_repair(demo):
    call_command("create_demo_company_user", stdout=StringIO())
    enterprise = EnterpriseMembership.objects.get(user__username="company@example.com").enterprise
    assert enterprise.entity_type not in GOVERNMENT_TYPES
    assert (
        ListEntry.objects.in_force()
        .filter(enterprise=enterprise)
        .exclude(list_type__code__in=COURT_LIST_CODES)
        .exclude(list_type__kind=ListType.Kind.REDLIST)
        .exists()
    )
