"""Public pages: how joint rewards and punishments work, each memorandum, measures in force and why."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.html import escape

from blacklists.models import ListType, Memorandum
from blacklists.services import list_entry_create, list_entry_remove
from registry.services.audit import SYSTEM
from tests.blacklists.helpers import restriction_order
from tests.factories import EnterpriseFactory, KeyPersonnelFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def listed(list_code, number, **subject):
    list_type = ListType.objects.get(code=list_code)
    start = TODAY - dt.timedelta(days=10)
    return list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        issuing_agency=list_type.owner,
        decision_number=number,
        decision_date=start,
        starts_on=start,
        **subject,
    )


def page(client, url, language="en", status=200):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == status
    return response.content.decode()


def test_how_it_works_is_generated_from_the_data(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        content = page(client, "/rewards-and-punishments/")
    for memorandum in Memorandum.objects.all():
        assert memorandum.document_number in content and escape(memorandum.title_en) in content
    assert "Persons restricted from high consumption → Civil aviation no-fly list" in content
    assert "supervisors" in content and "/api/v1/docs/" in content
    assert "order against an organisation names the person it binds" in content
    assert "关于对海关失信企业实施联合惩戒的合作备忘录" in page(client, "/rewards-and-punishments/", "zh-CN")


def test_memorandum_page_lists_signatories_and_measures(client, django_assert_max_num_queries):
    customs = Memorandum.objects.get(document_number="发改财金〔2017〕427号")
    with django_assert_max_num_queries(8):
        content = page(client, f"/memoranda/{customs.pk}/")
    assert "Ministry of Public Security" in content and "State Administration of Foreign Exchange" in content
    assert "The legal representative of the enterprise may not leave the country" in content
    assert "Punishments" in content
    assert "exit-ban" not in content  # internal codes are not shown to the public
    jiangsu = Memorandum.objects.get(trigger_list_types__code="jiangsu-env-credit-black")
    content = page(client, f"/memoranda/{jiangsu.pk}/")
    assert "0.05 CNY/kWh" in content and "0.10 CNY/kWh" in content
    page(client, "/memoranda/999999/", status=404)


def test_enterprise_measures_page_shows_reasons_in_plain_language(client):
    company = EnterpriseFactory(name="南京测试进出口有限公司")
    listed("gac-dishonest", "署信〔2024〕11号", enterprise=company)
    content = page(client, f"/enterprises/{company.uscc}/measures/")
    assert "Banned or restricted from government procurement" in content
    assert (
        "The subject is listed on Customs dishonest enterprises by General Administration of Customs"
        in content
    )
    assert "署信〔2024〕11号" in content and "发改财金〔2017〕427号" in content
    chinese = page(client, f"/enterprises/{company.uscc}/measures/", "zh-CN")
    assert "限制参与政府采购活动" in chinese and "海关失信企业名单" in chinese
    quiet = EnterpriseFactory()
    assert "No joint rewards or punishments are in force." in page(
        client, f"/enterprises/{quiet.uscc}/measures/"
    )
    page(client, "/enterprises/91340100MA2TESTO1X/measures/", status=404)
    page(client, f"/enterprises/{EnterpriseFactory.build().uscc}/measures/", status=404)


def test_defaulter_entry_page_shows_what_the_entry_triggers(client):
    person = PersonFactory()
    entry = listed("court-defaulters", "(2024)皖0104执12号", person=person)
    other = listed("court-defaulters", "(2024)皖0104执13号", person=person)
    content = page(client, f"/defaulters/{entry.pk}/")
    assert "Measures in force" in content and "May not travel by air" in content
    assert "Civil aviation no-fly list" in content and "(2024)皖0104执12号" in content
    assert "(2024)皖0104执13号" not in content  # another entry's reasons belong on its own page
    list_entry_remove(entry=entry, reason="履行完毕", actor=SYSTEM, via="command")
    assert "May not travel by air" not in page(client, f"/defaulters/{entry.pk}/", status=410)
    assert "May not travel by air" in page(client, f"/defaulters/{other.pk}/")


def test_order_entry_page_shows_what_binds_the_person_it_names(client):
    company = EnterpriseFactory(name="南京某某贸易有限公司")
    named, boss = PersonFactory(name="赵六"), PersonFactory()
    KeyPersonnelFactory(enterprise=company, person=boss, role="legal_representative")
    entry = restriction_order(company, named, number="(2025)苏0102执601号")
    content = page(client, f"/defaulters/{entry.pk}/")
    assert "Measures binding the person named in the order" in content and "The order names 赵六" in content
    assert "Named in the consumption-restriction order against 南京某某贸易有限公司" in content
    # Today's legal representative is bound by the post, which is their own answer, not this section.
    assert "As legal representative of" not in content
    chinese = page(client, f"/defaulters/{entry.pk}/", "zh-CN")
    assert "约束限制消费令所列人员的措施" in chinese
    assert "的限制消费令所列人员，按其法定代表人受约束" in chinese
    list_entry_remove(entry=entry, reason="已履行完毕", actor=SYSTEM, via="command")
    assert "Measures binding the person named in the order" not in page(
        client, f"/defaulters/{entry.pk}/", status=410
    )
    person_entry = listed("court-defaulters", "(2024)皖0104执14号", person=PersonFactory())
    assert "Measures binding the person named" not in page(client, f"/defaulters/{person_entry.pk}/")
