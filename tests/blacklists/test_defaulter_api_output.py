"""The defaulter search API builds its results without DRF serializers and loads a result page with
one statement: its JSON must stay exactly what CourtCaseSerializer renders, in every language."""

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from blacklists.api.serializers import CourtCaseSerializer, court_cases_data
from blacklists.models import ListEntry, ListType
from blacklists.selectors import entry_search, public_entry_queryset
from blacklists.services import court_case_create
from registry.models import Agency
from tests.factories import EnterpriseFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def court(name: str, region: str) -> Agency:
    return Agency.objects.get_or_create(
        name_zh=name,
        region_id=region,
        defaults={
            "name_en": f"{name} (en)",
            "short_code": f"test-court-{region}",
            "level": "county",
            "kind": "court",
        },
    )[0]


def case(*, list_code: str, person=None, enterprise=None, number: str, province: str, issuing: Agency):
    published = TODAY - dt.timedelta(days=30)
    detail = {
        "subject_kind": "person" if person else "organisation",
        "id_display": person.id_masked if person else enterprise.uscc,
        "province_id": province,
        "filing_date": published - dt.timedelta(days=200),
        "basis_document_number": "(2023)皖0104民初88号",
        "basis_unit": "合肥市蜀山区人民法院",
    }
    if person:
        detail.update(sex="F", age=41)
    else:
        detail.update(legal_representative="赵六")
    if list_code == "court-defaulters":
        detail.update(
            obligation="支付货款十万元及利息",
            performance="partial",
            performed_part="已支付三万元",
            unperformed_part="七万元",
            circumstance="4",
        )
    else:
        detail.update(order_text="限制高消费及非生活和工作必需的消费行为")
        if enterprise:
            detail.update(restricted_person=PersonFactory(name="赵六"), restricted_person_name="赵六")
    return court_case_create(
        list_type=ListType.objects.get(code=list_code),
        entry_fields={
            "person": person,
            "enterprise": enterprise,
            "issuing_agency": issuing,
            "decision_number": number,
            "decision_date": published - dt.timedelta(days=2),
            "starts_on": published,
            "published_on": published,
            "legal_basis": "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条",
            "circumstance": "有履行能力而拒不履行",
        },
        detail_fields=detail,
        actor=None,
        via="command",
    )


@pytest.fixture
def cases():
    """A person and an organisation, each on both court lists, in two provinces."""
    hefei, beijing = court("合肥市蜀山区人民法院", "340000"), court("北京市朝阳区人民法院", "110000")
    person = PersonFactory(name="钱小红")
    company = EnterpriseFactory(name="钱塘测试贸易有限公司")
    plan = [
        ("court-defaulters", {"person": person}, "(2024)皖0104执11号", "340000", hefei),
        ("consumption-restriction", {"person": person}, "(2024)京0105执12号", "110000", beijing),
        ("court-defaulters", {"enterprise": company}, "(2024)皖0104执13号", "340000", hefei),
        ("consumption-restriction", {"enterprise": company}, "(2024)京0105执14号", "110000", beijing),
    ]
    return [
        case(list_code=code, number=number, province=province, issuing=issuing, **subject)
        for code, subject, number, province, issuing in plan
    ]


def rendered_by_serializer(entries) -> list[dict]:
    """What the API returned before: the serializer over public_entry_queryset(), as JSON."""
    loaded = public_entry_queryset().in_bulk([entry.pk for entry in entries])
    data = CourtCaseSerializer([loaded[entry.pk] for entry in entries], many=True).data
    return json.loads(JSONRenderer().render(data))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_api_results_are_what_the_serializer_renders(client, cases, language):
    for query in ("钱小红", "钱塘测试贸易有限公司"):
        response = client.get(
            "/api/v1/defaulters/", {"q": query, "list": "all"}, HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 200
        results = response.json()["results"]
        assert len(results) == 2, query
        assert {item["list"] for item in results} == {"court-defaulters", "consumption-restriction"}
        by_id = {entry.pk: entry for entry in cases}
        with translation.override(language):
            expected = rendered_by_serializer([by_id[item["id"]] for item in results])
        # Same keys in the same order, same values (json.loads keeps key order).
        assert [list(item) for item in results] == [list(item) for item in expected]
        assert results == expected


def test_page_loader_matches_the_full_queryset_field_for_field(cases):
    page = entry_search(q="钱小红", list_codes=["court-defaulters", "consumption-restriction"])
    with translation.override("en"):
        built = court_cases_data(page.entries)
        expected = rendered_by_serializer(page.entries)
    assert json.loads(JSONRenderer().render(built)) == expected
    kinds = {(item["subject_kind"], item["list"]) for item in built}
    assert kinds == {("person", "court-defaulters"), ("person", "consumption-restriction")}
    restriction = next(item for item in built if item["list"] == "consumption-restriction")
    assert restriction["province"]["code"] == "110000"
    assert restriction["details"]["order_text"].startswith("限制高消费")
    assert "performance" not in restriction["details"]


def test_a_page_takes_one_statement_after_the_search_and_nothing_per_row(
    cases, django_assert_max_num_queries, django_assert_num_queries
):
    # search() issues at most two statements (tiered name search), the page one more.
    with django_assert_max_num_queries(3):
        page = entry_search(
            q="钱塘测试贸易有限公司", list_codes=["court-defaulters", "consumption-restriction"]
        )
    assert len(page.entries) == 2
    with django_assert_num_queries(0):  # everything the page and the API show is loaded
        court_cases_data(page.entries)
        for entry in page.entries:
            assert entry.public_identifier == entry.enterprise.uscc
            assert entry.issuing_agency.name_zh and entry.published_on


def test_columns_the_page_does_not_load_are_fetched_on_access_not_left_empty(cases):
    entry = entry_search(q="(2024)皖0104执11号").entries[0]
    stored = ListEntry.objects.get(pk=entry.pk)
    assert entry.created_at == stored.created_at  # deferred, loaded on access
    assert entry.person.name == "钱小红"
    assert entry.list_type.owner_id == stored.list_type.owner_id
