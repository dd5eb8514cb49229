import re

import pytest
from django.contrib.auth import get_user_model

from opendata.limits import ANONYMOUS, Caller, limit_for, parse_rate, usage_count, usage_peek
from opendata.models import RateLimitWindow
from opendata.services.keys import developer_key_create
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
HEADERS = ("RateLimit-Policy", "RateLimit", "X-Ratelimit-Limit", "X-Ratelimit-Remaining", "X-Ratelimit-Reset")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("120/minute", (120, 60)), ("600/300s", (600, 300)), ("10000/5m", (10000, 300)), ("5/day", (5, 86400))],
)
def test_rates_are_read(value, expected):
    assert parse_rate(value) == expected


@pytest.mark.parametrize("value", ["", "fast", "0/minute", "10/0s", "10/fortnight"])
def test_bad_rates_are_refused(value):
    with pytest.raises(ValueError, match="rate"):
        parse_rate(value)


def test_counting_is_per_window_and_peeking_does_not_count():
    caller = Caller(ANONYMOUS, "ip:192.0.2.1")
    start = 1_800_000_000  # a multiple of 60
    assert usage_count(caller, now=start + 1).used == 1
    second = usage_count(caller, now=start + 59)
    assert second.used == 2 and second.remaining == 118 and second.reset_at == start + 60
    assert second.reset_in(now=start + 59) == 1
    assert usage_peek(caller, now=start + 30).used == 2
    assert usage_count(caller, now=start + 60).used == 1  # the next window starts afresh
    assert RateLimitWindow.objects.filter(bucket=caller.bucket).count() == 2


def test_every_api_answer_carries_the_headers_in_the_drafts_syntax(client):
    enterprise = EnterpriseFactory()
    first = client.get(f"/api/v1/enterprises/{enterprise.uscc}/")
    second = client.get(f"/api/v1/enterprises/{enterprise.uscc}/")
    assert all(name in first for name in HEADERS)
    assert first["RateLimit-Policy"] == '"anonymous";q=120;w=60'
    assert re.fullmatch(r'"anonymous";r=119;t=\d+', first["RateLimit"])
    assert second["X-Ratelimit-Remaining"] == "118" and second["X-Ratelimit-Limit"] == "120"
    assert int(second["X-Ratelimit-Reset"]) % 60 == 0  # a Unix time: the window's end


@pytest.mark.parametrize(
    "path", ["/api/v1/enterprises/91340100MA2NOTREAL/", "/api/v1/no-such-endpoint/", "/api/v1/restrictions/"]
)
def test_error_answers_say_which_limit_applies_and_when_it_resets(client, path):
    response = client.get(path)
    assert response.status_code in (400, 401, 404)
    assert all(name in response for name in HEADERS)
    assert response["RateLimit-Policy"] == '"anonymous";q=120;w=60'


def test_pages_outside_the_api_carry_no_api_headers(client):
    assert "RateLimit" not in client.get("/")


def test_a_429_names_the_limit_the_tier_and_the_reset(client, settings, frozen_clock):
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "key": "2/300s"}
    user = User.objects.create_user(username="dev@example.com", password="x-Secret-42")
    _developer_key, key = developer_key_create(owner=user, name="k")
    codes = [client.get("/api/v1/lists/", HTTP_X_API_KEY=key).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    refused = client.get("/api/v1/lists/", HTTP_X_API_KEY=key)
    error = refused.json()["error"]
    assert error["code"] == "throttled"
    assert error["limit"]["tier"] == "key" and error["limit"]["quota"] == 2
    assert error["limit"]["window_seconds"] == 300 and error["limit"]["remaining"] == 0
    assert 1 <= error["limit"]["reset_seconds"] <= 300 and error["limit"]["reset_at"]
    assert "developer key" in error["message"] and "resets in" in error["message"]
    assert refused["Retry-After"] == str(error["limit"]["reset_seconds"])
    assert refused["RateLimit"].startswith('"key";r=0;t=')
    # Anonymous callers from the same address are counted apart from the key.
    assert client.get("/api/v1/lists/").status_code == 200


def test_the_limits_are_the_documented_ones():
    assert (limit_for("anonymous").quota, limit_for("anonymous").window) == (120, 60)
    assert (limit_for("key").quota, limit_for("key").window) == (600, 300)
    assert limit_for("agency").quota > limit_for("key").quota


def test_a_rate_that_does_not_read_stops_the_start(settings):
    from opendata.checks import rate_limits_check

    assert rate_limits_check() == []
    settings.API_RATE_LIMITS = {**settings.API_RATE_LIMITS, "key": "lots"}
    [error] = rate_limits_check()
    assert error.id == "opendata.E001" and "key tier" in error.msg
