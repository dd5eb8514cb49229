"""The query-string guard: overlong or control-character queries get a 400 before any view runs."""

import pytest

LONG_Q = "q=" + "a" * 10_000


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/search/", "/defaulters/"])
def test_overlong_query_gets_the_400_page_before_any_view(client, path, django_assert_num_queries):
    # The search views read the database (provinces, results); the guard answers without a query.
    with django_assert_num_queries(0):
        response = client.get(f"{path}?{LONG_Q}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    content = response.content.decode()
    assert "The address is too long" in content
    assert "10,002 characters" in content
    assert 'role="alert"' in content
    assert "a" * 3000 not in content  # not echoed back, not even in the language form
    assert '<input name="next" type="hidden" value="' + path + '">' in content


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=%00abc", "q=abc%07", "q=%E5%BC%A0%0A%E4%B8%89", "%00=1", "q=a%7F"])
@pytest.mark.parametrize("path", ["/search/", "/defaulters/"])
def test_control_characters_in_the_query_get_a_400(client, path, query, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(f"{path}?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "The query contains control characters" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [("q=%00", "control characters"), ("q=%07x", "control characters"), (LONG_Q, "too long")],
)
def test_api_gets_the_refusal_as_json(client, query, message):
    response = client.get(f"/api/v1/enterprises/?{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert message in body["detail"]
    assert body["error"] == {"status": 400, "code": "bad_query_string", "message": body["detail"]}


@pytest.mark.django_db
def test_admin_is_left_alone(client):
    response = client.get("/admin/login/?next=/admin/" + "x" * 3000)
    assert response.status_code == 200
    assert "The address is too long" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%E5%8D%8E%E4%BF%A1",  # 华信
        "/search/?q=hefei&province=&status=&page=1",
        "/defaulters/?q=%E5%BC%A0%E4%B8%89",  # 张三
        "/defaulters/?q=Zhang+San&province=&list=all",
        "/search/?q=%E2%80%9C%E5%8D%8E%E4%BF%A1%E2%80%9D+%26+%E5%90%88%E8%82%A5",  # “华信” & 合肥
    ],
)
def test_normal_queries_pass(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "The address is too long" not in response.content.decode()
    assert "control characters" not in response.content.decode()


@pytest.mark.django_db
def test_the_limit_is_2048_characters(client):
    base = "q=%E5%BC%A0%E4%B8%89&pad="
    at_limit = base + "p" * (2048 - len(base))
    assert client.get(f"/defaulters/?{at_limit}").status_code == 200
    assert client.get(f"/defaulters/?{at_limit}p").status_code == 400
    # At the limit the guard lets the API see the query, which then names its own problem (a
    # region of 2,000 characters); one character more and the guard answers first.
    api_base = "name=%E5%BC%A0%E4%B8%89&region="
    api_at_limit = api_base + "p" * (2048 - len(api_base))
    answer = client.get(f"/api/v1/enterprises/?{api_at_limit}")
    assert answer.status_code == 400 and set(answer.json()["error"]["fields"]) == {"region"}
    over = client.get(f"/api/v1/enterprises/?{api_at_limit}p")
    assert over.status_code == 400 and "fields" not in over.json()["error"]
