"""Clerk admin for memoranda, measures and feeds; API clients and the check log for superusers only."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from accounts.models import AgencyMembership
from blacklists.models import ApiClient, ListFeed, ListType, Measure, Memorandum
from blacklists.services import token_hash
from registry.models import Agency, AuditEntry

pytestmark = pytest.mark.django_db
CUSTOMS = "发改财金〔2017〕427号"


def clerk_of(agency_code, client):
    user = User.objects.create_user(f"clerk-{agency_code}", password="pw-123456789", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["blacklists", "registry"])
    )
    AgencyMembership.objects.create(user=user, agency=Agency.objects.get(short_code=agency_code))
    client.force_login(user)
    return user


def measure_post(**overrides):
    data = {
        "memorandum": Memorandum.objects.get(document_number=CUSTOMS).pk,
        "code": "no-new-licence",
        "enforcing_agency": Agency.objects.get(short_code="samr").pk,
        "kind": "punishment",
        "category": "market_access",
        "description_zh": "限制新设许可",
        "description_en": "No new licences",
        "binds_subject": "on",
        "parameter": "",
        "parameter_unit": "",
        "clause": "",
        "trigger_list_type": "",
    }
    data.update(overrides)
    return data


def test_memorandum_pages_load_for_a_superuser(admin_client):
    customs = Memorandum.objects.get(document_number=CUSTOMS)
    assert admin_client.get(reverse("admin:blacklists_memorandum_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:blacklists_memorandum_change", args=[customs.pk]))
    assert page.status_code == 200 and "exit-ban" in page.content.decode()
    for name in ("measure", "listfeed", "apiclient", "restrictioncheck"):
        assert admin_client.get(reverse(f"admin:blacklists_{name}_changelist")).status_code == 200


def test_clerk_of_a_signatory_adds_a_measure_others_are_refused(client):
    user = clerk_of("gac", client)
    response = client.post(reverse("admin:blacklists_measure_add"), measure_post())
    assert response.status_code == 302
    measure = Measure.objects.get(code="no-new-licence")
    assert AuditEntry.objects.get(object_pk=str(measure.pk), action="create").actor == user
    refused = client.post(
        reverse("admin:blacklists_measure_add"),
        measure_post(code="no-patents", enforcing_agency=Agency.objects.get(short_code="cnipa").pk),
    )
    assert refused.status_code == 200 and "did not sign" in refused.content.decode()
    assert not Measure.objects.filter(code="no-patents").exists()


def test_clerk_of_another_agency_cannot_change_the_memorandum(client):
    clerk_of("cnipa", client)
    customs = Memorandum.objects.get(document_number=CUSTOMS)
    page = client.get(reverse("admin:blacklists_memorandum_change", args=[customs.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # view only
    refused = client.post(reverse("admin:blacklists_measure_add"), measure_post(code="no-patents"))
    assert "Only clerks of an agency that signed" in refused.content.decode()
    assert client.get(reverse("admin:blacklists_apiclient_changelist")).status_code == 403


def test_admin_refuses_a_feed_that_makes_a_loop(admin_client):
    codes = dict(ListType.objects.values_list("code", "pk"))
    response = admin_client.post(
        reverse("admin:blacklists_listfeed_add"),
        {
            "source": codes["caac-no-fly"],
            "target": codes["court-defaulters"],
            "memorandum": "",
            "legal_basis": "",
        },
    )
    assert response.status_code == 200 and "would make a loop" in response.content.decode()
    assert not ListFeed.objects.filter(source_id=codes["caac-no-fly"]).exists()


def test_api_client_token_is_shown_once_on_creation(admin_client):
    response = admin_client.post(
        reverse("admin:blacklists_apiclient_add"),
        {"name": "某银行信贷系统", "agency": "", "scopes": ["restrictions"], "is_active": "on"},
        follow=True,
    )
    content = response.content.decode()
    client = ApiClient.objects.get(name="某银行信贷系统")
    token = content.split("store it now): ")[1].split("<")[0].strip()
    assert token_hash(token) == client.token_hash and client.scopes == ["restrictions"]
    again = admin_client.get(reverse("admin:blacklists_apiclient_change", args=[client.pk])).content.decode()
    assert token not in again


def test_clerk_records_a_memorandum_with_a_measure_inline(client):
    user = clerk_of("gac", client)
    gac, mof = Agency.objects.get(short_code="gac"), Agency.objects.get(short_code="mof")
    data = {
        "title_zh": "测试备忘录",
        "title_en": "Test memorandum",
        "document_number": "测试〔2026〕1号",
        "signed_on": "2026-01-05",
        "lead_agency": gac.pk,
        "signatories": [gac.pk, mof.pk],
        "trigger_list_types": [ListType.objects.get(code="gac-dishonest").pk],
        "in_force_from": "2026-02-01",
        "in_force_to": "",
        "summary_zh": "",
        "summary_en": "",
        "source_url": "",
        "measures-TOTAL_FORMS": "1",
        "measures-INITIAL_FORMS": "0",
        "measures-MIN_NUM_FORMS": "0",
        "measures-MAX_NUM_FORMS": "1000",
    }
    inline = measure_post(enforcing_agency=mof.pk, code="procurement-ban")
    inline.pop("memorandum")
    data.update({f"measures-0-{name}": value for name, value in inline.items()})
    response = client.post(reverse("admin:blacklists_memorandum_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    memorandum = Memorandum.objects.get(document_number="测试〔2026〕1号")
    assert set(memorandum.signatories.values_list("short_code", flat=True)) == {"gac", "mof"}
    assert memorandum.measures.get().enforcing_agency == mof
    created = AuditEntry.objects.get(
        object_pk=str(memorandum.pk), action="create", content_type__model="memorandum"
    )
    assert created.actor == user and created.changes["signatories"][1] == sorted([gac.pk, mof.pk])
