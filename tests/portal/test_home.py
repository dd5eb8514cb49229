import pytest

from tests.factories import EnterpriseFactory


@pytest.mark.django_db
def test_home_shows_registry_size_and_links(client):
    EnterpriseFactory.create_batch(3)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    content = response.content.decode()
    assert "about 3 enterprises" in content
    assert "/api/v1/docs/" in content
    assert "/admin/" in content


@pytest.mark.django_db
def test_pages_speak_chinese_by_default_and_english_on_request(client):
    chinese = client.get("/defaulters/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "失信被执行人查询" in chinese
    english = client.get("/defaulters/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Court-defaulter search" in english
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/defaulters/"}, follow=True)
    assert "Court-defaulter search" in switched.content.decode()


@pytest.mark.django_db
def test_home_has_one_search_box_over_everything_and_tabs(client):
    content = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'action="/search/all/"' in content and 'method="get"' in content
    assert '<label for="id_box_q">Name, USCC, ID number or case number</label>' in content
    assert 'name="q"' in content
    assert 'class="tabs"' in content
    assert '<a href="/search/all/" aria-current="page">All</a>' in content
    assert '<a href="/search/">Enterprises</a>' in content
    assert '<a href="/defaulters/">Court defaulters</a>' in content
    assert '<a href="/search/all/?tab=lists">List subjects</a>' in content


@pytest.mark.django_db
def test_home_groups_large_registry_sizes_per_language(client, monkeypatch):
    monkeypatch.setattr(
        "portal.views.home.registry_counts", lambda: {"enterprises": 2_000_000, "persons": 10_000_000}
    )
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "about 2,000,000 enterprises and 10,000,000 persons" in english
