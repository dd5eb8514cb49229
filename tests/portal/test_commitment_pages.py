"""Credit commitment letters: filled templates, signing, publication, breaches, isolation, CSRF."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from filings.commitment_templates import TEMPLATES, commitment_letter_fill
from filings.models import CreditCommitment
from filings.services import credit_commitment_mark_broken
from portal.profile.build import enterprise_profile_public
from registry.models import Agency, AuditEntry
from registry.services.audit import SYSTEM
from tests.factories import CreditCommitmentFactory, EnterpriseFactory
from tests.portal.account_helpers import make_user, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return EnterpriseFactory(
        name="合肥星河信息科技有限公司", legal_representative="王芳", address="安徽省合肥市蜀山区长江西路1号"
    )


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


def new_url(company, kind):
    return reverse("portal:commitment-new", kwargs={"uscc": company.uscc, "kind": kind})


def test_every_template_is_filled_with_the_enterprises_details(company):
    matter = {
        "licence": "食品经营许可证",
        "agency": "合肥市市场监督管理局",
        "missing_documents": "场所平面图",
        "supply_by": dt.date(2026, 12, 31),
        "record": "合市监罚〔2024〕88号",
        "industry": "安徽省软件行业协会",
    }
    for kind, template in TEMPLATES.items():
        letter = commitment_letter_fill(
            kind=kind, enterprise=company, matter=matter, signer="王芳", signed_on=dt.date(2026, 11, 26)
        )
        for value in (
            company.name,
            company.uscc,
            "王芳",
            company.address,
            "2026年11月26日",
            "26 November 2026",
        ):
            assert value in letter.text, (kind, value)
        assert "{" not in letter.text
        assert template.title_zh in letter.title
        for name in template.matter:
            expected = {"supply_by": "2026年12月31日"}.get(name, matter.get(name))
            assert expected in letter.text_zh, (kind, name)


def test_the_list_offers_every_kind(browser, company):
    content = browser.get(reverse("portal:commitments", kwargs={"uscc": company.uscc})).content.decode()
    for kind in CreditCommitment.Kind:
        assert new_url(company, kind.value) in content
    assert "has not signed any credit commitment letter" in content


def test_matter_then_preview_shows_the_filled_letter_and_publishes_nothing(browser, company):
    url = new_url(company, "approval_substitution")
    form = browser.get(url).content.decode()
    assert 'name="licence"' in form and 'name="agency"' in form and "csrfmiddlewaretoken" in form
    matter = {"licence": "食品经营许可证", "agency": "合肥市市场监督管理局"}
    preview = browser.post(url, {**matter, "step": "preview"}).content.decode()
    assert "食品经营许可证" in preview and company.uscc in preview and "王芳" in preview
    assert company.address in preview
    assert "I am authorised to sign for the enterprise" in preview and 'value="sign"' in preview
    assert not CreditCommitment.objects.exists()


def test_a_missing_matter_field_is_asked_again(browser, company):
    response = browser.post(new_url(company, "credit_repair"), {"record": "", "step": "preview"})
    content = response.content.decode()
    assert response.status_code == 400
    assert 'class="error-summary"' in content and "This field is required." in content
    assert 'href="#id_record"' in content


def test_the_preview_checks_the_answers_with_change_links_that_keep_them(browser, company):
    url = new_url(company, "approval_substitution")
    matter = {"licence": "食品经营许可证", "agency": "合肥市市场监督管理局"}
    preview = browser.post(url, {**matter, "step": "preview"}).content.decode()
    assert "What the letter is about" in preview
    assert f'href="{url}#id_licence"' in preview and f'href="{url}#id_agency"' in preview
    form = browser.get(url).content.decode()
    assert 'value="食品经营许可证"' in form and 'value="合肥市市场监督管理局"' in form
    browser.post(url, {**matter, "signer_name": "王芳", "authorised": "on", "step": "sign"})
    assert CreditCommitment.objects.count() == 1
    assert 'value="食品经营许可证"' not in browser.get(url).content.decode()  # forgotten once signed


def test_acceptance_with_deficiencies_needs_a_future_supply_date(browser, company):
    matter = {
        "licence": "食品经营许可证",
        "agency": "合肥市市场监督管理局",
        "missing_documents": "场所平面图",
        "supply_by": timezone.localdate().isoformat(),
        "step": "preview",
    }
    content = browser.post(new_url(company, "acceptance_with_deficiencies"), matter).content.decode()
    assert "must be in the future" in content


def test_signing_requires_the_authorisation_checkbox_and_a_signer(browser, company):
    url = new_url(company, "voluntary")
    content = browser.post(url, {"signer_name": "王芳", "step": "sign"}).content.decode()
    assert "Confirm that you are authorised to sign for the enterprise." in content
    content = browser.post(url, {"signer_name": " ", "authorised": "on", "step": "sign"}).content.decode()
    assert "This field is required." in content
    assert not CreditCommitment.objects.exists()


def test_signing_publishes_the_filled_letter_on_the_public_profile(browser, company, filer):
    agency = Agency.objects.get(name_zh="合肥市市场监督管理局")  # shipped, generated from the divisions
    url = new_url(company, "approval_substitution")
    matter = {"licence": "食品经营许可证", "agency": "合肥市市场监督管理局"}
    response = browser.post(url, {**matter, "signer_name": "王芳", "authorised": "on", "step": "sign"})
    commitment = CreditCommitment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal:commitment-detail", kwargs={"uscc": company.uscc, "pk": commitment.pk}
    )
    assert commitment.enterprise == company and commitment.kind == "approval_substitution"
    assert commitment.signer_name == "王芳" and commitment.signed_on == timezone.localdate()
    assert commitment.source_agency == agency
    assert "食品经营许可证" in commitment.text and company.uscc in commitment.text
    assert AuditEntry.objects.filter(object_pk=str(commitment.pk), via="form", actor=filer).exists()

    detail = browser.get(response["Location"]).content.decode()
    assert "The letter is signed and published" in detail and "No breach recorded" in detail

    public = Client(HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("portal:enterprise", kwargs={"uscc": company.uscc})
    )
    text = public.content.decode()
    assert "信用承诺书（审批替代型）" in text and "王芳" in text
    (row,) = enterprise_profile_public(uscc=company.uscc).section("commitments").rows
    assert row["signer"].text == "王芳" and row["signed"].text


def test_a_broken_commitment_shows_on_the_letter_page_the_list_and_the_profile(browser, company):
    commitment = CreditCommitmentFactory(enterprise=company, source_agency=None)
    agency = Agency.objects.get(name_zh="合肥市市场监督管理局")
    credit_commitment_mark_broken(
        commitment=commitment,
        broken_on=dt.date(2024, 6, 1),
        broken_by=agency,
        note="承诺的场所不存在",
        actor=SYSTEM,
        via="admin",
    )
    detail = browser.get(
        reverse("portal:commitment-detail", kwargs={"uscc": company.uscc, "pk": commitment.pk})
    ).content.decode()
    assert "was not kept" in detail and "承诺的场所不存在" in detail and 'role="alert"' in detail
    listing = browser.get(reverse("portal:commitments", kwargs={"uscc": company.uscc})).content.decode()
    assert "Found broken" in listing and "承诺的场所不存在" in listing
    (row,) = enterprise_profile_public(uscc=company.uscc).section("commitments").rows
    assert row["state"].kind == "broken" and row["state"].note == "承诺的场所不存在"


def test_another_enterprises_users_see_and_sign_nothing(company):
    other = EnterpriseFactory(name="芜湖长江物流有限公司")
    stranger = make_user("b@example.com")
    member(stranger, other)
    mine = CreditCommitmentFactory(enterprise=company)
    client = Client()
    client.force_login(stranger)
    assert client.get(reverse("portal:commitments", kwargs={"uscc": company.uscc})).status_code == 404
    response = client.post(
        new_url(company, "voluntary"), {"signer_name": "李四", "authorised": "on", "step": "sign"}
    )
    assert response.status_code == 404
    for uscc in (company.uscc, other.uscc):
        url = reverse("portal:commitment-detail", kwargs={"uscc": uscc, "pk": mine.pk})
        assert client.get(url).status_code == 404
    assert CreditCommitment.objects.count() == 1


def test_unknown_kind_is_not_found(browser, company):
    assert browser.get(new_url(company, "secret")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(company):
    response = Client().get(new_url(company, "voluntary"))
    assert response.status_code == 302 and reverse("portal:login") in response["Location"]


def test_posting_without_a_csrf_token_is_refused(filer, company):
    client = Client(enforce_csrf_checks=True)
    client.force_login(filer)
    response = client.post(
        new_url(company, "voluntary"), {"signer_name": "王芳", "authorised": "on", "step": "sign"}
    )
    assert response.status_code == 403
    assert not CreditCommitment.objects.exists()
