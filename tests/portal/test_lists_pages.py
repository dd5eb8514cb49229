"""The public list pages: the catalogue, a page per list with its search, entry pages, feeds."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from blacklists.models import ListType, Memorandum
from blacklists.selectors import ABNORMAL_SLUG
from blacklists.services import list_entry_create, list_entry_remove
from registry.models import Agency
from registry.services.audit import SYSTEM
from tests.factories import (
    AbnormalListingFactory,
    AgencyFactory,
    EnterpriseFactory,
    PersonFactory,
    make_uscc,
)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def english_date(day: dt.date) -> str:
    """A date as English pages write it (DATE_FORMAT of config/formats/en)."""
    return f"{day.day} {day.strftime('%b')} {day.year}"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def today() -> dt.date:
    return timezone.localdate()


def listed(code="gac-dishonest", *, days_ago=10, number=None, agency=None, severity="", **subject):
    list_type = ListType.objects.get(code=code)
    if not subject:
        subject = {"enterprise": EnterpriseFactory()}
    start = today() - dt.timedelta(days=days_ago)
    return list_entry_create(
        actor=SYSTEM,
        via="form",
        list_type=list_type,
        issuing_agency=agency or list_type.owner,
        decision_number=number or f"决定〔{start.year}〕{ListType.objects.count()}{days_ago}号",
        decision_date=start,
        starts_on=start,
        published_on=start,
        severity=severity,
        **subject,
    )


def visible_text(response) -> str:
    """The page's text as a reader sees it: tags and their attributes (hrefs) removed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def names(response):
    page = response.context["page"]
    rows = page.listings if hasattr(page, "listings") else page.entries
    return [getattr(row, "subject_name", None) or row.enterprise.name for row in rows]


# The catalogue.


def test_the_catalogue_shows_every_list_with_its_facts_in_english(client):
    listed(number="海关失信〔2026〕1号", enterprise=EnterpriseFactory(name="天津水博酒店管理有限公司"))
    response = client.get("/lists/", **EN)
    assert response.status_code == 200
    text = visible_text(response)
    gac = ListType.objects.get(code="gac-dishonest")
    for expected in (
        "Blacklists",
        "Redlists",
        "Watch lists",
        gac.name_en,
        gac.owner.name_en,
        "Directory of enterprises with abnormal operations",
        "enterprises",
        english_date(today() - dt.timedelta(days=10)),
    ):
        assert expected in text, expected
    assert gac.name_zh not in text
    assert 'href="/lists/gac-dishonest/"' in response.content.decode()
    memorandum = Memorandum.objects.filter(trigger_list_types=gac).first()
    assert memorandum is not None
    assert f'href="/memoranda/{memorandum.pk}/"' in response.content.decode()
    assert memorandum.title_en in text


def test_the_catalogue_speaks_chinese_and_shows_no_internal_codes(client):
    response = client.get("/lists/", **ZH)
    text = visible_text(response)
    assert ListType.objects.get(code="gac-dishonest").name_zh in text
    assert "经营异常名录" in text
    for code in ListType.objects.values_list("code", flat=True):
        assert code not in text, code
    assert ABNORMAL_SLUG not in text


def test_the_header_links_to_the_lists(client):
    for path in ("/", "/lists/", "/defaulters/"):
        html = client.get(path, **EN).content.decode()
        assert '<a href="/lists/"' in html and ">Lists</a>" in html, path


def test_the_catalogue_takes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for days in range(3):
        listed(days_ago=days + 1)
    with django_assert_max_num_queries(8):
        assert client.get("/lists/", **EN).status_code == 200


# A list's page: browse, search and filter.


def test_a_list_page_shows_its_facts_and_newest_entries_first(client):
    listed(days_ago=30, enterprise=EnterpriseFactory(name="合肥旧物流有限公司"))
    listed(days_ago=3, enterprise=EnterpriseFactory(name="合肥新物流有限公司"))
    response = client.get("/lists/gac-dishonest/", **EN)
    assert response.status_code == 200
    assert names(response) == ["合肥新物流有限公司", "合肥旧物流有限公司"]
    text = visible_text(response)
    assert "Newest entries" in text and "Customs dishonest enterprises" in text
    assert "gac-dishonest" not in text
    assert 'href="/lists/gac-dishonest/feed/"' in response.content.decode()


def test_browsing_pages_through_a_list(client):
    for days in range(23):
        listed(days_ago=days + 1)
    first = client.get("/lists/gac-dishonest/", **EN)
    assert len(first.context["page"].entries) == 20 and first.context["page"].has_next
    second = client.get("/lists/gac-dishonest/", {"page": 2}, **EN)
    assert len(second.context["page"].entries) == 3 and not second.context["page"].has_next
    assert 'rel="prev"' in second.content.decode()


def test_search_by_name_and_by_uscc(client):
    wanted = EnterpriseFactory(name="宜春图锦包装有限公司")
    listed(enterprise=wanted)
    listed(enterprise=EnterpriseFactory(name="南昌远方贸易有限公司"))
    assert names(client.get("/lists/gac-dishonest/", {"q": "图锦包装"}, **EN)) == [wanted.name]
    assert names(client.get("/lists/gac-dishonest/", {"q": wanted.uscc}, **EN)) == [wanted.name]


def test_search_finds_entries_of_this_list_only(client):
    company = EnterpriseFactory(name="芜湖江城建材有限公司")
    listed("samr-serious-illegal", enterprise=company)
    response = client.get("/lists/gac-dishonest/", {"q": "江城建材"}, **EN)
    assert response.status_code == 200
    assert names(response) == []
    assert "No entry in force matches" in visible_text(response)
    assert names(client.get("/lists/samr-serious-illegal/", {"q": "江城建材"}, **EN)) == [company.name]


def test_a_masked_id_finds_the_person_on_a_list_that_holds_persons(client):
    person = PersonFactory(name="李建国")
    listed("ndrc-finance", person=person)
    listed("ndrc-finance", person=PersonFactory(name="李建军"))
    response = client.get("/lists/ndrc-finance/", {"q": person.id_masked}, **EN)
    assert names(response) == ["李建国"]
    assert person.id_masked in response.content.decode()
    form = client.get("/lists/ndrc-finance/", **EN).content.decode()
    assert "masked ID number" in form


def test_the_region_filter_takes_a_province_a_city_or_a_county(client):
    shushan = AgencyFactory(region_id="340104")
    listed(agency=shushan, enterprise=EnterpriseFactory(name="蜀山区测试商行", region_id="340100"))
    listed(enterprise=EnterpriseFactory(name="西湖区测试商行", region_id="330106", uscc=make_uscc("330106")))
    for code, expected in (
        ("340104", ["蜀山区测试商行"]),
        ("340100", ["蜀山区测试商行"]),
        ("340000", ["蜀山区测试商行"]),
        ("330106", ["西湖区测试商行"]),
        ("330100", ["西湖区测试商行"]),
        ("110105", []),
    ):
        assert names(client.get("/lists/gac-dishonest/", {"region": code}, **EN)) == expected, code
        assert names(client.get("/lists/gac-dishonest/", {"region": code, "q": "测试商行"}, **EN)) == expected
    page = client.get("/lists/gac-dishonest/", {"region": "330106"}, **EN)
    assert "Xihu District, Hangzhou, Zhejiang" in visible_text(page)


def test_the_date_filter_bounds_the_publication_date(client):
    listed(days_ago=40, enterprise=EnterpriseFactory(name="早期测试商行"))
    listed(days_ago=5, enterprise=EnterpriseFactory(name="近期测试商行"))
    cutoff = (today() - dt.timedelta(days=20)).isoformat()
    assert names(client.get("/lists/gac-dishonest/", {"published_from": cutoff}, **EN)) == ["近期测试商行"]
    assert names(client.get("/lists/gac-dishonest/", {"published_to": cutoff}, **EN)) == ["早期测试商行"]
    with_name = client.get("/lists/gac-dishonest/", {"published_to": cutoff, "q": "测试商行"}, **EN)
    assert names(with_name) == ["早期测试商行"]


def test_the_severity_filter(client):
    listed(severity="general", enterprise=EnterpriseFactory(name="一般测试商行"))
    listed(severity="serious", enterprise=EnterpriseFactory(name="严重测试商行"))
    assert names(client.get("/lists/gac-dishonest/", {"severity": "general"}, **EN)) == ["一般测试商行"]
    assert names(client.get("/lists/gac-dishonest/", {"severity": "serious", "q": "测试商行"}, **EN)) == [
        "严重测试商行"
    ]


def test_ended_and_expired_entries_are_not_listed(client):
    ended = listed(enterprise=EnterpriseFactory(name="已移出测试商行"))
    list_entry_remove(entry=ended, reason="已纠正", actor=SYSTEM, via="command")
    listed(days_ago=800, enterprise=EnterpriseFactory(name="已到期测试商行"))
    assert names(client.get("/lists/gac-dishonest/", **EN)) == []
    assert names(client.get("/lists/gac-dishonest/", {"q": "测试商行"}, **EN)) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"region": "abc"}, "Region: abc is not a division code"),
        ({"region": "999999"}, "Region: there is no administrative division with the code 999999"),
        ({"published_from": "2026-13-01"}, "Published from: enter a date as YYYY-MM-DD"),
        ({"published_to": "yesterday"}, "Published until: enter a date as YYYY-MM-DD"),
        (
            {"published_from": "2026-05-01", "published_to": "2026-04-01"},
            "Published from is after Published until",
        ),
        ({"severity": "awful"}, "Severity: awful is not a known severity"),
        ({"page": "x"}, "Page: the page number must be a whole number"),
        ({"page": "99"}, "Page: only the first 50 pages are shown"),
        ({"q": "李"}, "at least 2"),
        ({"q": "a\x07b"}, "control characters"),
    ],
)
def test_bad_input_gets_a_400_naming_the_problem(client, params, message):
    response = client.get("/lists/gac-dishonest/", params, **EN)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")


def test_an_unknown_or_private_list_is_not_found(client):
    assert client.get("/lists/no-such-list/", **EN).status_code == 404
    ListType.objects.filter(code="gac-dishonest").update(public_search=False)
    assert client.get("/lists/gac-dishonest/", **EN).status_code == 404


def test_every_list_page_takes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for code in ("gac-dishonest", "ndrc-finance", "sta-grade-a"):
        for days in range(3):
            listed(code, days_ago=days + 1)
    AbnormalListingFactory.create_batch(3, listed_on=today() - dt.timedelta(days=3))
    slugs = [*ListType.objects.filter(public_search=True).values_list("code", flat=True), ABNORMAL_SLUG]
    client.get("/lists/", **EN)  # the catalogue counts, cached for every page
    for slug in slugs:
        with django_assert_max_num_queries(8):
            assert client.get(f"/lists/{slug}/", **EN).status_code == 200, slug
        with django_assert_max_num_queries(10):
            response = client.get(f"/lists/{slug}/", {"q": "合肥测试", "region": "340100"}, **EN)
            assert response.status_code == 200, slug


# The abnormal-operations directory.


def test_the_directory_page_browses_and_searches_listings_in_force(client):
    old = AbnormalListingFactory(
        enterprise=EnterpriseFactory(name="滁州旧账商贸有限公司"), listed_on=today() - dt.timedelta(days=90)
    )
    new = AbnormalListingFactory(
        enterprise=EnterpriseFactory(
            name="芜湖新账商贸有限公司", region_id="340200", uscc=make_uscc("340200")
        ),
        listed_on=today() - dt.timedelta(days=5),
    )
    AbnormalListingFactory(
        enterprise=EnterpriseFactory(name="已移出商贸有限公司"),
        listed_on=today() - dt.timedelta(days=50),
        removed_on=today() - dt.timedelta(days=20),
        removal_reason="report_filed",
        removal_agency=Agency.objects.get(short_code="samr"),
    )
    url = f"/lists/{ABNORMAL_SLUG}/"
    assert names(client.get(url, **EN)) == [new.enterprise.name, old.enterprise.name]
    assert names(client.get(url, {"q": "旧账"}, **EN)) == [old.enterprise.name]
    assert names(client.get(url, {"q": new.enterprise.uscc}, **EN)) == [new.enterprise.name]
    assert names(client.get(url, {"region": "340200"}, **EN)) == [new.enterprise.name]
    cutoff = (today() - dt.timedelta(days=30)).isoformat()
    assert names(client.get(url, {"published_from": cutoff}, **EN)) == [new.enterprise.name]
    page = client.get(url, **EN)
    text = visible_text(page)
    assert "annual report not filed on time" in text and "Enterprise name or USCC" in text
    assert 'name="severity"' not in page.content.decode()


def test_the_directory_explains_a_person_id_and_a_bad_uscc(client):
    url = f"/lists/{ABNORMAL_SLUG}/"
    masked = client.get(url, {"q": "3418001998****2800"}, **EN)
    assert masked.status_code == 400
    assert "enterprises only" in masked.content.decode()
    wrong = make_uscc()
    wrong = wrong[:17] + ("0" if wrong[17] != "0" else "1")
    bad = client.get(url, {"q": wrong}, **EN)
    assert bad.status_code == 400
    assert "check character" in bad.content.decode()


# Entry pages.


def test_an_entry_page_shows_the_decision_history_and_measures(client):
    entry = listed(
        "gac-dishonest",
        enterprise=EnterpriseFactory(name="宣城严重违法测试有限公司"),
        number="宣市监严〔2026〕3号",
    )
    response = client.get(f"/lists/gac-dishonest/entries/{entry.pk}/", **EN)
    assert response.status_code == 200
    text = visible_text(response)
    for expected in (
        "宣城严重违法测试有限公司",
        "宣市监严〔2026〕3号",
        english_date(entry.decision_date),
        entry.issuing_agency.name_en,
        entry.enterprise.uscc,
        english_date(entry.planned_end),
        "Status history",
        "through an online form",
        "Measures in force",
        ListType.objects.get(code="gac-dishonest").name_en,
    ):
        assert expected in text, expected
    assert "gac-dishonest" not in text
    assert response.context["measures"], "the customs list triggers joint measures"
    assert 'href="/lists/gac-dishonest/"' in response.content.decode()


def test_the_history_names_no_account(client):
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.create_user(username="clerk-wang-secret", password="x")
    entry = listed()
    entry.status_changes.update(actor=clerk, actor_label="clerk-wang-secret", via="admin")
    html = client.get(f"/lists/gac-dishonest/entries/{entry.pk}/", **EN).content.decode()
    assert "clerk-wang-secret" not in html
    assert "recorded by the agency&#x27;s staff" in html or "recorded by the agency's staff" in html


def test_an_ended_entry_answers_410_with_its_status(client):
    entry = listed(enterprise=EnterpriseFactory(name="已修复测试商行"))
    list_entry_remove(entry=entry, reason="已纠正", actor=SYSTEM, via="command")
    response = client.get(f"/lists/gac-dishonest/entries/{entry.pk}/", **EN)
    assert response.status_code == 410
    html = response.content.decode()
    assert "This listing has ended (removed" in html
    assert "已修复测试商行" not in html and entry.enterprise.uscc not in html


def test_an_entry_under_the_wrong_list_redirects_and_unknown_ones_are_not_found(client):
    entry = listed()
    wrong = client.get(f"/lists/ndrc-finance/entries/{entry.pk}/", **EN)
    assert wrong.status_code == 301
    assert wrong["Location"] == f"/lists/gac-dishonest/entries/{entry.pk}/"
    assert client.get(f"/lists/gac-dishonest/entries/{entry.pk + 1000}/", **EN).status_code == 404
    ListType.objects.filter(code="gac-dishonest").update(public_search=False)
    assert client.get(f"/lists/gac-dishonest/entries/{entry.pk}/", **EN).status_code == 404


def test_an_entry_page_takes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    entry = listed("samr-serious-illegal")
    with django_assert_max_num_queries(14):
        assert client.get(f"/lists/samr-serious-illegal/entries/{entry.pk}/", **EN).status_code == 200


def test_a_directory_listing_page_shows_reason_agency_and_removal(client):
    samr = Agency.objects.get(short_code="samr")
    listing = AbnormalListingFactory(
        enterprise=EnterpriseFactory(name="马鞍山异常测试有限公司"),
        decision_number="马市监异〔2025〕9号",
        listed_on=dt.date(2025, 7, 1),
        removed_on=dt.date(2025, 9, 1),
        removal_reason="report_filed",
        removal_agency=samr,
    )
    response = client.get(f"/lists/{ABNORMAL_SLUG}/entries/{listing.pk}/", **EN)
    assert response.status_code == 200
    text = visible_text(response)
    for expected in (
        "马鞍山异常测试有限公司",
        "马市监异〔2025〕9号",
        "annual report not filed on time",
        "1 Jul 2025",
        "1 Sep 2025",
        "annual report filed late",
        samr.name_en,
        listing.listing_agency.name_en,
    ):
        assert expected in text, expected
    assert client.get(f"/lists/{ABNORMAL_SLUG}/entries/{listing.pk + 100}/", **EN).status_code == 404


def test_the_court_defaulter_page_keeps_working_beside_the_list_entry_page(client):
    from tests.blacklists.test_search_pages import defaulter

    entry = defaulter(person=PersonFactory(name="陈静"))
    old = client.get(f"/defaulters/{entry.pk}/", **EN)
    new = client.get(f"/lists/court-defaulters/entries/{entry.pk}/", **EN)
    assert old.status_code == new.status_code == 200
    for html in (old.content.decode(), new.content.decode()):
        assert "entirely unperformed" in html and entry.person.id_masked in html


# Feeds.


def test_a_list_feed_has_its_newest_entries_linking_to_their_pages(client):
    entry = listed(enterprise=EnterpriseFactory(name="连云港港口测试有限公司"))
    response = client.get("/lists/gac-dishonest/feed/", **EN)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "<title>连云港港口测试有限公司</title>" in xml
    assert f"/lists/gac-dishonest/entries/{entry.pk}/" in xml
    assert "Customs dishonest enterprises: latest entries" in xml
    assert 'xml:lang="en"' in xml
    chinese = client.get("/lists/gac-dishonest/feed/", **ZH).content.decode()
    assert "海关失信企业名单" in chinese and 'xml:lang="zh-hans"' in chinese
    assert client.get("/lists/no-such-list/feed/", **EN).status_code == 404


def test_the_directory_and_all_lists_feeds(client):
    listing = AbnormalListingFactory(listed_on=today() - dt.timedelta(days=2))
    entry = listed()
    directory = client.get(f"/lists/{ABNORMAL_SLUG}/feed/", **EN).content.decode()
    assert f"/lists/{ABNORMAL_SLUG}/entries/{listing.pk}/" in directory
    everything = client.get("/lists/feed/", **EN).content.decode()
    assert f"/lists/{ABNORMAL_SLUG}/entries/{listing.pk}/" in everything
    assert f"/lists/gac-dishonest/entries/{entry.pk}/" in everything


# The home page.


def test_the_home_page_leads_with_search_then_lists_latest_and_what_the_site_is(client):
    entry = listed(days_ago=1, enterprise=EnterpriseFactory(name="铜陵最新测试有限公司"))
    listing = AbnormalListingFactory(
        enterprise=EnterpriseFactory(name="铜陵异常测试有限公司"), listed_on=today() - dt.timedelta(days=2)
    )
    response = client.get("/", **EN)
    html = response.content.decode()
    main = html[html.index("<main") :]
    assert main.index('name="q"') < main.index('id="lists-heading"') < main.index('id="latest-heading"')
    assert main.index('id="latest-heading"') < main.index('id="about-heading"')
    assert 'href="/lists/gac-dishonest/"' in html
    assert "Customs dishonest enterprises</a>" in html and "1 entry in force" in html
    assert f'href="/lists/gac-dishonest/entries/{entry.pk}/">铜陵最新测试有限公司</a>' in html
    assert f'href="/lists/{ABNORMAL_SLUG}/entries/{listing.pk}/">铜陵异常测试有限公司</a>' in html
    assert html.index("铜陵最新测试有限公司") < html.index("铜陵异常测试有限公司")
    text = visible_text(response)
    for code in ListType.objects.values_list("code", flat=True):
        assert code not in text, code
    chinese = client.get("/", **ZH).content.decode()
    assert "海关失信企业名单" in chinese


def test_latest_publications_skip_lists_without_a_public_page(client):
    hidden = listed("ndrc-key-concern", enterprise=EnterpriseFactory(name="重点关注测试有限公司"))
    ListType.objects.filter(pk=hidden.list_type_id).update(public_search=False)
    assert "重点关注测试有限公司" not in client.get("/", **EN).content.decode()


def test_the_home_page_takes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for days in range(12):
        listed(days_ago=days + 1)
    AbnormalListingFactory.create_batch(5)
    with django_assert_max_num_queries(14):
        assert client.get("/", **EN).status_code == 200
