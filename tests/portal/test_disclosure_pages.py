"""Instant disclosure pages: the two-step forms, the due date, publishing, corrections, isolation, CSRF."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from filings.models import InstantDisclosure, InstantDisclosureVersion
from filings.services import instant_disclosure_due_on
from portal.profile.build import enterprise_profile_public
from registry.models import AuditEntry
from tests.factories import EnterpriseFactory, InstantDisclosureFactory
from tests.portal.account_helpers import make_user, member

pytestmark = pytest.mark.django_db

FACT = dt.date(2026, 3, 2)
PENALTY = {
    "occurred_on": FACT.isoformat(),
    "decision_number": "合市监罚〔2026〕7号",
    "violation": "虚假宣传",
    "content": "罚款一万元",
    "authority": "合肥市市场监督管理局",
}


@pytest.fixture
def company():
    return EnterpriseFactory(name="合肥星河信息科技有限公司")


@pytest.fixture
def filer(company):
    user = make_user("filer@example.com")
    member(user, company)
    return user


@pytest.fixture
def browser(filer):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(filer)
    return client


def new_url(company, kind="penalty"):
    return reverse("portal:disclosure-new", kwargs={"uscc": company.uscc, "kind": kind})


def test_list_links_a_form_per_kind(browser, company):
    content = browser.get(reverse("portal:disclosures", kwargs={"uscc": company.uscc})).content.decode()
    for kind in InstantDisclosure.Kind:
        assert new_url(company, kind.value) in content
    assert "Nothing has been published yet." in content


def test_first_submit_shows_the_due_date_and_publishes_nothing(browser, company):
    response = browser.post(new_url(company), {**PENALTY, "step": "preview"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Due within 20 working days: by" in content
    assert reverse("portal:disclosures", kwargs={"uscc": company.uscc}) in content
    assert "by 30 Mar 2026" in content
    assert 'value="publish"' in content and 'name="decision_number"' in content
    assert "will be marked late" in content  # 2 March 2026 is long past its due date today
    assert not InstantDisclosure.objects.exists()


def test_publish_step_publishes_and_the_profile_shows_it_with_its_dates(browser, company, filer):
    today = timezone.localdate()
    response = browser.post(
        new_url(company), {**PENALTY, "occurred_on": today.isoformat(), "step": "publish"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:disclosures", kwargs={"uscc": company.uscc})
    disclosure = InstantDisclosure.objects.get()
    assert disclosure.enterprise == company and disclosure.published_by == filer
    assert disclosure.details["decision_number"] == "合市监罚〔2026〕7号"
    assert disclosure.due_on == instant_disclosure_due_on(today) and disclosure.late is False
    assert AuditEntry.objects.filter(object_pk=str(disclosure.pk), via="form", actor=filer).exists()

    listing = browser.get(response["Location"]).content.decode()
    assert "Published. It was due by" in listing and "合市监罚〔2026〕7号" in listing

    section = enterprise_profile_public(uscc=company.uscc).section("instant_disclosures")
    (row,) = section.rows
    assert row["due"].text and row["occurred"].text and row["published"].text
    assert row["late"].text == "On time"
    assert "合市监罚〔2026〕7号" in row["details"].text


def test_late_disclosure_is_marked_late_on_the_public_profile(client, company):
    InstantDisclosureFactory(enterprise=company, published_on=dt.date(2026, 4, 20))
    content = client.get(
        reverse("portal:enterprise", kwargs={"uscc": company.uscc}), HTTP_ACCEPT_LANGUAGE="en"
    )
    text = content.content.decode()
    assert 'id="instant_disclosures"' in text
    assert "Late" in text and "Published in time" in text
    profile = enterprise_profile_public(uscc=company.uscc)
    keys = [section.key for section in profile.sections]
    assert keys.index("instant_disclosures") == keys.index("annual_reports") + 1


def test_invalid_input_shows_errors_and_publishes_nothing(browser, company):
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    response = browser.post(
        new_url(company), {**PENALTY, "occurred_on": future, "decision_number": "", "step": "publish"}
    )
    content = response.content.decode()
    assert 'class="error-summary"' in content
    assert "The date of the fact cannot be in the future." in content
    assert "This field is required." in content
    assert not InstantDisclosure.objects.exists()


def test_kind_rules_are_checked(browser, company):
    capital = {
        "occurred_on": "2026-03-02",
        "shareholder": "安徽星河投资有限公司",
        "subscribed_amount": "100",
        "paid_amount": "200",
        "method": "货币",
        "step": "preview",
    }
    content = browser.post(new_url(company, "capital_contribution"), capital).content.decode()
    assert "The paid-in amount cannot exceed the subscribed amount." in content
    equity = {"occurred_on": "2026-03-02", "shareholder": "王芳", "share_before": "30", "share_after": "30"}
    content = browser.post(new_url(company, "equity_change"), {**equity, "step": "preview"}).content.decode()
    assert "The share after the change is the same as before." in content
    assert browser.get(new_url(company, "rumour")).status_code == 404


def test_each_kind_publishes_its_details(browser, company):
    forms = {
        "capital_contribution": {
            "shareholder": "安徽星河投资有限公司",
            "subscribed_amount": "500000",
            "paid_amount": "100000",
            "method": "货币",
        },
        "equity_change": {"shareholder": "王芳", "share_before": "30", "share_after": "45.5"},
        "licence": {
            "action": "obtained",
            "number": "JY13401000001",
            "name": "食品经营许可证",
            "authority": "合肥市市场监督管理局",
            "valid_from": "2026-03-02",
            "valid_to": "2031-03-01",
            "content": "预包装食品销售",
        },
        "ip_pledge": {
            "registration_number": "ZC2026001",
            "name": "星河",
            "ip_kind": "trademark",
            "pledgor": "合肥星河信息科技有限公司",
            "pledgee": "徽商银行",
            "period_from": "2026-03-02",
            "period_to": "2027-03-01",
            "status": "valid",
        },
    }
    for kind, fields in forms.items():
        response = browser.post(
            new_url(company, kind), {"occurred_on": "2026-03-02", **fields, "step": "publish"}
        )
        assert response.status_code == 302, kind
    published = {d.kind: d.details for d in InstantDisclosure.objects.all()}
    assert published["licence"]["action"] == "obtained" and published["licence"]["valid_to"] == "2031-03-01"
    assert published["ip_pledge"]["ip_kind"] == "trademark"
    assert published["capital_contribution"]["paid_amount"] == "100000"
    assert published["equity_change"]["share_after"] == "45.5"


def test_correction_keeps_the_earlier_version(browser, company):
    disclosure = InstantDisclosureFactory(enterprise=company)
    url = reverse("portal:disclosure-correct", kwargs={"uscc": company.uscc, "pk": disclosure.pk})
    form = browser.get(url).content.decode()
    assert "合市监罚〔2026〕7号" in form and 'name="reason"' in form
    changed = {**PENALTY, "content": "罚款二万元", "reason": "金额录入错误"}
    assert "Publish the correction" in browser.post(url, {**changed, "step": "preview"}).content.decode()
    response = browser.post(url, {**changed, "step": "publish"})
    assert response.status_code == 302
    disclosure.refresh_from_db()
    assert disclosure.version == 2 and disclosure.details["content"] == "罚款二万元"
    assert InstantDisclosureVersion.objects.get().details["content"] == "罚款一万元"


def test_correction_requires_a_reason(browser, company):
    disclosure = InstantDisclosureFactory(enterprise=company)
    url = reverse("portal:disclosure-correct", kwargs={"uscc": company.uscc, "pk": disclosure.pk})
    content = browser.post(url, {**PENALTY, "content": "x", "step": "publish"}).content.decode()
    assert "This field is required." in content
    disclosure.refresh_from_db()
    assert disclosure.version == 1


def test_another_enterprises_users_see_and_change_nothing(company):
    other = EnterpriseFactory(name="芜湖长江物流有限公司")
    stranger = make_user("b@example.com")
    member(stranger, other)
    disclosure = InstantDisclosureFactory(enterprise=company)
    client = Client()
    client.force_login(stranger)
    assert client.get(reverse("portal:disclosures", kwargs={"uscc": company.uscc})).status_code == 404
    assert client.post(new_url(company), {**PENALTY, "step": "publish"}).status_code == 404
    correct = reverse("portal:disclosure-correct", kwargs={"uscc": company.uscc, "pk": disclosure.pk})
    assert (
        client.post(correct, {**PENALTY, "content": "x", "reason": "y", "step": "publish"}).status_code == 404
    )
    # B's own page cannot reach A's disclosure either.
    other_correct = reverse("portal:disclosure-correct", kwargs={"uscc": other.uscc, "pk": disclosure.pk})
    assert client.get(other_correct).status_code == 404
    assert InstantDisclosure.objects.count() == 1 and InstantDisclosure.objects.get().version == 1


def test_anonymous_visitors_are_sent_to_sign_in(company):
    response = Client().get(reverse("portal:disclosures", kwargs={"uscc": company.uscc}))
    assert response.status_code == 302 and reverse("portal:login") in response["Location"]


def test_posting_without_a_csrf_token_is_refused(filer, company):
    client = Client(enforce_csrf_checks=True)
    client.force_login(filer)
    response = client.post(new_url(company), {**PENALTY, "step": "publish"})
    assert response.status_code == 403
    assert not InstantDisclosure.objects.exists()


def test_list_runs_a_bounded_number_of_queries(browser, company, django_assert_max_num_queries):
    InstantDisclosureFactory.create_batch(5, enterprise=company)
    with django_assert_max_num_queries(8):
        response = browser.get(reverse("portal:disclosures", kwargs={"uscc": company.uscc}))
    assert response.content.decode().count("合市监罚〔2026〕7号") == 5
