import datetime as dt

import pytest
from django.core.cache import cache
from django.test import override_settings

from blacklists.models import ListType
from blacklists.services import court_case_create, list_entry_remove
from registry.models import Agency
from registry.services import person_create
from registry.services.audit import SYSTEM
from tests.factories import EnterpriseFactory, PersonFactory, make_resident_id

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


def court(name="合肥市蜀山区人民法院", region="340000"):
    return Agency.objects.get_or_create(
        name_zh=name,
        region_id=region,
        defaults={
            "name_en": name,
            "short_code": f"court-test-{Agency.objects.count()}",
            "level": "county",
            "kind": "court",
        },
    )[0]


def defaulter(
    *,
    person=None,
    enterprise=None,
    case="(2024)皖0104执1号",
    list_code="court-defaulters",
    issuing=None,
    published=None,
):
    published = published or TODAY - dt.timedelta(days=5)
    list_type = ListType.objects.get(code=list_code)
    subject_kind = "person" if person else "organisation"
    detail = {
        "subject_kind": subject_kind,
        "id_display": person.id_masked if person else enterprise.uscc,
        "province_id": "340000",
        "filing_date": published - dt.timedelta(days=100),
    }
    if list_code == "court-defaulters":
        detail.update(performance="none", circumstance="1", obligation="支付货款十万元")
    else:
        detail.update(order_text="限制高消费")
    if person is None and list_code == "consumption-restriction":
        detail["restricted_person"] = PersonFactory()
    return court_case_create(
        list_type=list_type,
        entry_fields={
            "person": person,
            "enterprise": enterprise,
            "issuing_agency": issuing or court(),
            "decision_number": case,
            "decision_date": published,
            "starts_on": published,
            "published_on": published,
        },
        detail_fields=detail,
        actor=SYSTEM,
        via="command",
    )


def test_search_by_name_id_and_case_number_through_the_api(client):
    number = make_resident_id(region="340104", birth="19700101")
    person = person_create(actor=SYSTEM, via="form", name="李建国", id_number=number)
    entry = defaulter(person=person)
    for query in ("李建国", "李建", number, "(2024)皖0104执1号", "lijianguo"):
        body = client.get("/api/v1/defaulters/", {"q": query}).json()
        assert [item["id"] for item in body["results"]] == [entry.pk], query
    item = body["results"][0]
    assert item["id_number"] == number[:10] + "****" + number[-4:]
    assert item["court"] == "合肥市蜀山区人民法院"
    assert item["province"]["code"] == "340000"
    assert item["details"]["circumstance"] == "1"
    assert number not in str(body)


def test_ended_and_expired_entries_are_not_found(client):
    person = PersonFactory(name="王小明")
    ended = defaulter(person=person, case="(2024)皖0104执2号")
    list_entry_remove(entry=ended, reason="已履行", actor=SYSTEM, via="command")
    old = TODAY - dt.timedelta(days=1000)
    defaulter(person=PersonFactory(name="王小明"), case="(2021)皖0104执3号", published=old)
    assert client.get("/api/v1/defaulters/", {"q": "王小明"}).json()["results"] == []
    page = client.get(f"/defaulters/{ended.pk}/")
    assert page.status_code == 410
    assert person.id_masked not in page.content.decode()


def test_filters_by_list_and_court(client):
    hefei, chuzhou = court("合肥市中级人民法院"), court("滁州市中级人民法院")
    a = defaulter(person=PersonFactory(name="赵大海"), case="(2024)皖01执1号", issuing=hefei)
    b = defaulter(person=PersonFactory(name="赵大海"), case="(2024)皖11执1号", issuing=chuzhou)
    c = defaulter(
        enterprise=EnterpriseFactory(name="赵大海贸易有限公司"),
        case="(2024)皖01执2号",
        issuing=hefei,
        list_code="consumption-restriction",
    )

    def ids(**params):
        return {item["id"] for item in client.get("/api/v1/defaulters/", params).json()["results"]}

    assert ids(q="赵大海") == {a.pk, b.pk}
    assert ids(q="赵大海", court=hefei.pk) == {a.pk}
    assert ids(q="赵大海", list="all") == {a.pk, b.pk, c.pk}
    assert ids(court=hefei.pk, list="consumption-restriction") == {c.pk}


def test_bad_queries_get_clear_400s(client):
    for params, name in (
        ({"q": "李"}, "q"),
        ({"list": "nope"}, "list"),
        ({"q": "李四", "page": "x"}, "page"),
    ):
        response = client.get("/api/v1/defaulters/", params)
        assert response.status_code == 400
        assert name in response.json()["error"]["fields"]


def test_public_search_page_and_detail(client):
    person = PersonFactory(name="陈静")
    entry = defaulter(person=person)
    page = client.get("/defaulters/", {"q": "陈静"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "(2024)皖0104执1号" in html and person.id_masked in html
    detail = client.get(f"/defaulters/{entry.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "entirely unperformed" in detail
    assert "Listed by decision" in detail or "History" in detail
    short = client.get("/defaulters/", {"q": "陈"}, HTTP_ACCEPT_LANGUAGE="en")
    assert short.status_code == 400
    assert "at least 2" in short.content.decode()


@override_settings(PUBLIC_SEARCH_PER_MINUTE=3)
def test_public_search_is_rate_limited_with_a_clear_message(client, frozen_clock):
    codes = [
        client.get("/defaulters/", {"q": "陈静"}, HTTP_ACCEPT_LANGUAGE="en").status_code for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    response = client.get("/defaulters/", {"q": "陈静"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Please wait a minute" in response.content.decode()
    assert response["Retry-After"] == "60"


def test_lists_and_list_entries_api(client):
    enterprise = EnterpriseFactory()
    entry = defaulter(enterprise=enterprise, case="(2024)皖0104执9号")
    lists = client.get("/api/v1/lists/", {"page_size": 50}).json()
    assert "court-defaulters" in {item["code"] for item in lists["results"]}
    body = client.get(
        "/api/v1/list-entries/", {"list": "court-defaulters", "subject": enterprise.uscc}
    ).json()
    assert [item["id"] for item in body["results"]] == [entry.pk]
    assert client.get("/api/v1/list-entries/", {"list": "nope"}).status_code == 404


def test_search_page_filters_by_court_name(client):
    hefei = court("合肥市中级人民法院")
    entry = defaulter(person=PersonFactory(name="孙悟空"), case="(2024)皖01执5号", issuing=hefei)
    defaulter(
        person=PersonFactory(name="孙悟空"), case="(2024)皖11执5号", issuing=court("滁州市中级人民法院")
    )
    page = client.get(
        "/defaulters/", {"q": "孙悟空", "court": "合肥市中级人民法院"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert list(page.context["page"].entries) == [entry]
    unknown = client.get("/defaulters/", {"q": "孙悟空", "court": "火星法院"}, HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.status_code == 400
    assert "No court named 火星法院" in unknown.content.decode()


def test_list_entries_api_finds_a_person_by_full_id_number(client):
    number = make_resident_id(region="340104", birth="19800101", serial=77)
    person = person_create(actor=SYSTEM, via="form", name="赵敏", id_number=number)
    entry = defaulter(person=person, case="(2024)皖0104执77号")
    body = client.get("/api/v1/list-entries/", {"list": "court-defaulters", "subject": number}).json()
    assert [item["id"] for item in body["results"]] == [entry.pk]
    assert number not in str(body)  # found by the number, never shown
