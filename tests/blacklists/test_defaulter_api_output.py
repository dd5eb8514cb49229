"""The defaulter search API builds its results without DRF serializers and loads a result page with
one statement, prepared on the server (SEARCH_PREPARED_STATEMENTS): its JSON must stay exactly what
CourtCaseSerializer renders, in every language, and the same with the setting off."""

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
from registry.services.audit import SYSTEM
from tests.factories import EnterpriseFactory, PersonFactory, make_resident_id

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
PERSON_ID = make_resident_id(region="340100", birth="19830214", serial=417)


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
        actor=SYSTEM,
        via="command",
    )


@pytest.fixture
def cases():
    """A person and an organisation, each on both court lists, in two provinces."""
    hefei, beijing = court("合肥市蜀山区人民法院", "340000"), court("北京市朝阳区人民法院", "110000")
    person = PersonFactory(name="钱小红", id_number=PERSON_ID)
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


def api_answers(client, cases) -> dict:
    """The API's JSON for an ID number, a USCC, case numbers and names, on both lists."""
    queries = [
        PERSON_ID,
        cases[2].enterprise.uscc,
        "(2024)皖0104执11号",
        "(2024)京0105执14号",
        "钱小红",
        "钱塘",
    ]
    answers = {}
    for query in queries:
        for listed in ("court-defaulters", "all"):
            response = client.get("/api/v1/defaulters/", {"q": query, "list": listed})
            assert response.status_code == 200, response.content
            answers[query, listed] = response.json()
    return answers


def test_prepared_statements_give_the_same_answers_as_plain_ones(client, cases, settings):
    prepared = api_answers(client, cases)
    settings.SEARCH_PREPARED_STATEMENTS = False
    assert api_answers(client, cases) == prepared
    by_id_number = prepared[PERSON_ID, "all"]
    assert by_id_number["count"] == 2
    assert {item["id"] for item in by_id_number["results"]} == {cases[0].pk, cases[1].pk}
    assert [item["id"] for item in prepared["(2024)京0105执14号", "all"]["results"]] == [cases[3].pk]
    assert prepared["(2024)京0105执14号", "court-defaulters"]["results"] == []
    assert prepared[cases[2].enterprise.uscc, "all"]["count"] == 2


def test_an_id_lookup_through_the_api_takes_two_statements(client, cases, django_assert_num_queries):
    client.get("/api/v1/defaulters/", {"q": PERSON_ID})  # the first request of a connection prepares
    for query in (PERSON_ID, cases[2].enterprise.uscc, "(2024)皖0104执13号"):
        # The rate limit's count, then the two statements: the identifier lookup, then the page.
        with django_assert_num_queries(3) as captured:
            response = client.get("/api/v1/defaulters/", {"q": query, "list": "all"})
        assert response.status_code == 200 and response.json()["results"]
        assert "opendata_ratelimitwindow" in captured.captured_queries[0]["sql"]
        assert "identifiers &&" in captured.captured_queries[1]["sql"]
        assert "FROM blacklists_listentry e" in captured.captured_queries[2]["sql"]


@pytest.fixture
def namesakes(cases):
    """Five cases against persons called 钱小红: the two of ``cases`` and three more."""
    hefei = court("合肥市蜀山区人民法院", "340000")
    more = [
        case(
            list_code="court-defaulters",
            person=PersonFactory(name="钱小红"),
            number=f"(2024)皖0104执2{n}号",
            province="340000",
            issuing=hefei,
        )
        for n in range(3)
    ]
    return [*cases[:2], *more]


def test_a_page_of_any_size_is_loaded_whole_and_in_rank_order(namesakes):
    ids = sorted((entry.pk for entry in namesakes), reverse=True)  # same name and date: newest first
    for count in range(1, len(ids) + 1):  # 1, 2, 3 (padded to 5), 4 (padded to 5) and 5 ids
        page = entry_search(
            q="钱小红", list_codes=["court-defaulters", "consumption-restriction"], page_size=count
        )
        assert [entry.pk for entry in page.entries] == ids[:count]
        assert page.has_next == (count < len(ids))


def test_links_to_neighbouring_pages_keep_the_query(client, namesakes):
    params = {"q": "钱小红", "list": "all", "page_size": "2"}
    url = "http://testserver/api/v1/defaulters/?q=%E9%92%B1%E5%B0%8F%E7%BA%A2&list=all&page_size=2"
    first = client.get("/api/v1/defaulters/", params).json()
    assert first["previous"] is None and first["next"] == f"{url}&page=2"
    second = client.get("/api/v1/defaulters/", {**params, "page": "2"}).json()
    assert second["previous"] == f"{url}&page=1" and second["next"] == f"{url}&page=3"
    last = client.get("/api/v1/defaulters/", {**params, "page": "3"}).json()
    assert last["next"] is None and last["previous"] == f"{url}&page=2"
    assert len(last["results"]) == 1
    single = client.get("/api/v1/defaulters/", {"q": PERSON_ID}).json()
    assert single["next"] is None and single["previous"] is None and single["count"] == 1
