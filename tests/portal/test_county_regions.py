"""An enterprise registered in a county: found by its province, shown with its whole division."""

import pytest
from django.core.cache import cache

from registry.services.search import enterprise_search_document_refresh
from tests.factories import EnterpriseFactory, make_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limit_carry_over():
    cache.clear()
    yield
    cache.clear()


def test_the_province_filter_finds_an_enterprise_of_one_of_its_counties(client):
    for name, code in (("杭州华信科技有限公司", "330106"), ("昆山华信科技有限公司", "320583")):
        enterprise_search_document_refresh(
            enterprise=EnterpriseFactory(name=name, uscc=make_uscc(code), region_id=code)
        )
    response = client.get("/search/", {"q": "华信", "province": "330000"}, HTTP_ACCEPT_LANGUAGE="en")
    assert [row.name for row in response.context["rows"]] == ["杭州华信科技有限公司"]


@pytest.mark.parametrize(
    ("code", "chinese", "english"),
    [
        ("330106", "浙江省杭州市西湖区", "Xihu District, Hangzhou, Zhejiang"),
        ("110105", "北京市朝阳区", "Chaoyang District, Beijing"),
    ],
)
def test_the_profile_shows_province_prefecture_and_county(client, code, chinese, english):
    company = EnterpriseFactory(uscc=make_uscc(code), region_id=code)
    page = client.get(f"/enterprises/{company.uscc}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert chinese in page
    page = client.get(f"/enterprises/{company.uscc}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert english in page
