import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import EnterpriseMembership
from blacklists.models import ListEntry, ListType
from blacklists.selectors import restrictions_in_force
from blacklists.services import list_entry_create
from casework.models import RepairApplication
from casework.services import application_decide
from registry.services.audit import SYSTEM
from tests.factories import EnterpriseFactory, PenaltyFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
BASE_KINDS = ["repair_application", "repair_commitment", "proof_of_performance", "authorisation"]


def member_of(enterprise, name="filer"):
    user = get_user_model().objects.create_user(name, email=f"{name}@example.com", password="pw-123456789")
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise, role="filer")
    return user


def listing(enterprise, *, code="gac-dishonest", days_ago=400, number="海关失信〔2024〕7号"):
    list_type = ListType.objects.get(code=code)
    start = TODAY - dt.timedelta(days=days_ago)
    return list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        enterprise=enterprise,
        issuing_agency=list_type.owner,
        decision_number=number,
        decision_date=start,
        starts_on=start,
        planned_end=start + dt.timedelta(days=list_type.max_period_days),
    )


def uploads(kinds=BASE_KINDS):
    return {kind: SimpleUploadedFile(f"{kind}.pdf", PDF + kind.encode()) for kind in kinds}


def overview_url(enterprise):
    return reverse("portal:repair", args=[enterprise.uscc])


def apply_url(enterprise, **query):
    key, value = next(iter(query.items()))
    return f"{reverse('portal:repair-apply', args=[enterprise.uscc])}?{key}={value}"


def check_url(enterprise, **query):
    key, value = next(iter(query.items()))
    return f"{reverse('portal:repair-check', args=[enterprise.uscc])}?{key}={value}"


def apply(client, enterprise, entry, files=None):
    """Upload the documents, then submit from the check page."""
    client.post(apply_url(enterprise, entry=entry.pk), files or uploads())
    return client.post(check_url(enterprise, entry=entry.pk))


def test_overview_shows_eligibility_and_the_required_documents_before_applying(client):
    enterprise = EnterpriseFactory()
    listing(enterprise)  # eligible now
    young = listing(enterprise, code="samr-serious-illegal", days_ago=30, number="市监严违〔2026〕1号")
    PenaltyFactory(
        enterprise=enterprise, decided_on=TODAY - dt.timedelta(days=10), decision_number="罚〔2026〕5号"
    )
    client.force_login(member_of(enterprise))
    page = client.get(overview_url(enterprise)).content.decode()
    assert "Eligible now" in page
    assert f"Eligible from {date_format(young.starts_on + dt.timedelta(days=365), 'DATE_FORMAT')}" in page
    assert "credit repair training certificate" in page and "authorisation of the person applying" in page
    assert "罚〔2026〕5号" in page and "three months" in page
    assert page.count("Apply for repair") == 1


def test_court_listing_is_shown_as_not_repairable(client):
    enterprise = EnterpriseFactory()
    list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=ListType.objects.get(code="court-defaulters"),
        enterprise=enterprise,
        issuing_agency=ListType.objects.get(code="court-defaulters").owner,
        decision_number="(2023)皖0102执9号",
        decision_date=TODAY - dt.timedelta(days=400),
        starts_on=TODAY - dt.timedelta(days=400),
    )
    client.force_login(member_of(enterprise))
    page = client.get(overview_url(enterprise)).content.decode()
    assert "Not repairable by application" in page and "performed" in page


def test_other_enterprises_users_get_404_and_strangers_must_sign_in(client):
    mine, theirs = EnterpriseFactory(), EnterpriseFactory()
    their_entry = listing(theirs)
    anonymous = client.get(overview_url(theirs))
    assert anonymous.status_code == 302
    client.force_login(member_of(mine))
    assert client.get(overview_url(theirs)).status_code == 404
    assert client.get(apply_url(theirs, entry=their_entry.pk)).status_code == 404
    # Naming another enterprise's record under one's own code is refused too.
    assert client.get(apply_url(mine, entry=their_entry.pk)).status_code == 404
    assert client.post(apply_url(mine, entry=their_entry.pk), uploads()).status_code == 404
    assert client.get(overview_url(mine)).status_code == 200
    assert not RepairApplication.objects.exists()


def test_apply_page_has_one_upload_per_document_and_submits(client):
    enterprise = EnterpriseFactory()
    entry = listing(enterprise)
    client.force_login(member_of(enterprise))
    form = client.get(apply_url(enterprise, entry=entry.pk)).content.decode()
    assert form.count('type="file"') == 4 and "csrfmiddlewaretoken" in form
    response = client.post(apply_url(enterprise, entry=entry.pk), uploads())
    assert response.status_code == 302 and response.url == check_url(enterprise, entry=entry.pk)
    assert not RepairApplication.objects.exists()
    check = client.get(check_url(enterprise, entry=entry.pk)).content.decode()
    assert "Check your application before submitting it" in check
    for kind in BASE_KINDS:
        assert f"{kind}.pdf" in check
        assert f"{apply_url(enterprise, entry=entry.pk)}#id_{kind}" in check
    response = client.post(check_url(enterprise, entry=entry.pk))
    assert response.status_code == 302 and response.url == overview_url(enterprise)
    application = RepairApplication.objects.get()
    assert application.status == "pending" and application.documents.count() == 4
    page = client.get(overview_url(enterprise)).content.decode()
    assert "pending" in page and date_format(application.due_on, "DATE_FORMAT") in page
    assert "already pending" in page


def test_missing_or_bad_documents_are_named_and_nothing_is_stored(client):
    enterprise = EnterpriseFactory()
    entry = listing(enterprise)
    client.force_login(member_of(enterprise))
    files = uploads(BASE_KINDS[:3])
    response = client.post(apply_url(enterprise, entry=entry.pk), files)
    assert response.status_code == 400
    assert "authorisation of the person applying" in response.content.decode()
    files = uploads()
    files["authorisation"] = SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(apply_url(enterprise, entry=entry.pk), files)
    assert response.status_code == 400 and "Only PDF, JPEG and PNG" in response.content.decode()
    assert not RepairApplication.objects.exists() and not enterprise.documents.exists()


def stored_files(settings) -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "documents"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_a_refused_application_leaves_no_file_of_the_documents_stored_before_the_refusal(client, settings):
    before = stored_files(settings)
    enterprise = EnterpriseFactory()
    entry = listing(enterprise)
    client.force_login(member_of(enterprise))
    files = uploads()
    files["authorisation"] = SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(apply_url(enterprise, entry=entry.pk), files)
    assert response.status_code == 400 and "Only PDF, JPEG and PNG" in response.content.decode()
    assert stored_files(settings) == before


def test_ineligible_record_shows_reasons_and_no_form(client):
    enterprise = EnterpriseFactory()
    entry = listing(enterprise, days_ago=20)
    client.force_login(member_of(enterprise))
    page = client.get(apply_url(enterprise, entry=entry.pk)).content.decode()
    assert "minimum listing period" in page and 'type="file"' not in page
    apply(client, enterprise, entry)
    assert not RepairApplication.objects.exists()


def test_posting_without_a_csrf_token_is_refused():
    enterprise = EnterpriseFactory()
    entry = listing(enterprise)
    client = Client(enforce_csrf_checks=True)
    client.force_login(member_of(enterprise))
    assert client.post(apply_url(enterprise, entry=entry.pk), uploads()).status_code == 403
    assert not RepairApplication.objects.exists()


def test_after_approval_the_profile_and_the_restriction_check_drop_the_entry(client):
    enterprise = EnterpriseFactory()
    entry = listing(enterprise)
    client.force_login(member_of(enterprise))
    profile_url = reverse("portal:enterprise", args=[enterprise.uscc])
    assert entry.decision_number in client.get(profile_url).content.decode()
    assert restrictions_in_force(enterprise=enterprise).measures
    apply(client, enterprise, entry)
    application_decide(
        application=RepairApplication.objects.get(),
        outcome="approved",
        reason="已整改",
        actor=SYSTEM,
        via="admin",
    )
    assert entry.decision_number not in client.get(profile_url).content.decode()
    assert not ListEntry.objects.in_force().filter(pk=entry.pk).exists()
    assert restrictions_in_force(enterprise=enterprise).measures == []
    page = client.get(overview_url(enterprise)).content.decode()
    assert "approved" in page and "已整改" in page


def test_changing_one_document_keeps_the_others(client):
    enterprise = EnterpriseFactory()
    entry = listing(enterprise)
    client.force_login(member_of(enterprise))
    client.post(apply_url(enterprise, entry=entry.pk), uploads())
    form = client.get(apply_url(enterprise, entry=entry.pk)).content.decode()
    assert "Attached: authorisation.pdf" in form
    replaced = {"authorisation": SimpleUploadedFile("new-authorisation.pdf", PDF + b"new")}
    assert client.post(apply_url(enterprise, entry=entry.pk), replaced).status_code == 302
    check = client.get(check_url(enterprise, entry=entry.pk)).content.decode()
    assert "new-authorisation.pdf" in check and "repair_commitment.pdf" in check
    assert client.post(check_url(enterprise, entry=entry.pk)).status_code == 302
    names = sorted(RepairApplication.objects.get().documents.values_list("original_name", flat=True))
    assert "new-authorisation.pdf" in names and len(names) == 4


def test_check_page_without_documents_goes_back_to_the_form(client):
    enterprise = EnterpriseFactory()
    entry = listing(enterprise)
    client.force_login(member_of(enterprise))
    response = client.get(check_url(enterprise, entry=entry.pk))
    assert response.status_code == 302 and response.url == apply_url(enterprise, entry=entry.pk)
    assert client.post(check_url(enterprise, entry=entry.pk)).status_code == 302
    assert not RepairApplication.objects.exists()
