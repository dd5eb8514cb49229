"""Objection pages: the "Object" links on the profile, the form, the list, isolation and CSRF."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AgencyMembership, EnterpriseMembership
from casework.models import Objection
from casework.services import application_decide
from registry.models import Document
from tests.factories import AnnualReportFactory, EnterpriseFactory, PenaltyFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REASON = "This fine was annulled by the court on appeal."


def member_client(client, enterprise, username="filer"):
    user = User.objects.create_user(username, password="pw-123456789")
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise)
    client.force_login(user)
    return user


def new_url(penalty):
    query = f"?record_type=penalty&record_id={penalty.pk}"
    return reverse("portal:objection-new", kwargs={"uscc": penalty.enterprise.uscc}) + query


def list_url(enterprise):
    return reverse("portal:objection-list", kwargs={"uscc": enterprise.uscc})


def check_url(penalty):
    query = f"?record_type=penalty&record_id={penalty.pk}"
    return reverse("portal:objection-check", kwargs={"uscc": penalty.enterprise.uscc}) + query


def post(client, penalty, **extra):
    """The form page's "Continue"."""
    data = {"record_type": "penalty", "record_id": penalty.pk, "reason": REASON, **extra}
    return client.post(new_url(penalty), data)


def send(client, penalty, **extra):
    """The form, then "Send the objection" on the check page."""
    post(client, penalty, **extra)
    return client.post(check_url(penalty), {"record_type": "penalty", "record_id": penalty.pk})


def test_object_links_only_for_the_enterprises_own_users(client, django_assert_max_num_queries):
    penalty = PenaltyFactory()
    AnnualReportFactory(enterprise=penalty.enterprise, year=2024)
    profile_url = reverse("portal:enterprise", kwargs={"uscc": penalty.enterprise.uscc})
    anonymous = client.get(profile_url).content.decode()
    assert new_url(penalty).replace("&", "&amp;") not in anonymous and ">Object<" not in anonymous
    other = Client()
    member_client(other, EnterpriseFactory(), "other")
    assert ">Object<" not in other.get(profile_url).content.decode()
    member_client(client, penalty.enterprise)
    with django_assert_max_num_queries(40):
        page = client.get(profile_url).content.decode()
    assert new_url(penalty).replace("&", "&amp;") in page
    assert "Object to the 2024 annual report" in page
    assert "Object to the business licence information" in page


def test_member_objects_with_a_document_and_sees_it_listed(client):
    penalty = PenaltyFactory(decision_number="合市监罚〔2024〕9号")
    user = member_client(client, penalty.enterprise)
    form = client.get(new_url(penalty))
    assert form.status_code == 200 and "合市监罚〔2024〕9号" in form.content.decode()
    response = post(client, penalty, documents=[SimpleUploadedFile("proof.pdf", PDF)])
    assert response.status_code == 302 and response.url == check_url(penalty)
    assert not Objection.objects.exists()
    response = client.post(check_url(penalty), {"record_type": "penalty", "record_id": penalty.pk})
    assert response.status_code == 302 and response.url == list_url(penalty.enterprise)
    objection = Objection.objects.get()
    assert objection.submitted_by == user and objection.documents.get().original_name == "proof.pdf"
    page = client.get(list_url(penalty.enterprise)).content.decode()
    assert "合市监罚〔2024〕9号" in page and "working days left" in page and "proof.pdf" in page


def test_a_renamed_non_pdf_is_refused_and_nothing_is_kept(client):
    penalty = PenaltyFactory()
    member_client(client, penalty.enterprise)
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00" + b"\x00" * 64, content_type="application/pdf")
    response = post(client, penalty, documents=[fake])
    assert response.status_code == 400
    assert "checked by content" in response.content.decode()
    assert not Objection.objects.exists() and not Document.objects.exists()


def stored_files(settings) -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT) / "documents"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_a_refused_objection_leaves_no_file_of_the_documents_stored_before_the_refusal(client, settings):
    before = stored_files(settings)
    penalty = PenaltyFactory()
    member_client(client, penalty.enterprise)
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00" + b"\x00" * 64, content_type="application/pdf")
    response = post(client, penalty, documents=[SimpleUploadedFile("proof.pdf", PDF), fake])
    assert response.status_code == 400 and "checked by content" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(settings) == before


def test_short_reason_is_shown_next_to_the_field(client):
    penalty = PenaltyFactory()
    member_client(client, penalty.enterprise)
    response = post(client, penalty, reason="wrong")
    page = response.content.decode()
    assert response.status_code == 400 and 'class="error-summary"' in page and 'href="#id_reason"' in page
    assert not Objection.objects.exists()


def test_more_than_five_documents_are_refused(client):
    penalty = PenaltyFactory()
    member_client(client, penalty.enterprise)
    files = [SimpleUploadedFile(f"{n}.pdf", PDF + bytes([n])) for n in range(6)]
    response = post(client, penalty, documents=files)
    assert "at most 5" in response.content.decode() and not Objection.objects.exists()


def test_user_of_another_enterprise_gets_404_everywhere(client):
    penalty = PenaltyFactory()
    mine = EnterpriseFactory()
    member_client(client, mine)
    assert client.get(new_url(penalty)).status_code == 404
    assert post(client, penalty).status_code == 404
    assert (
        client.post(check_url(penalty), {"record_type": "penalty", "record_id": penalty.pk}).status_code
        == 404
    )
    assert client.get(list_url(penalty.enterprise)).status_code == 404
    # Nor can a record of another enterprise be objected to through one's own page.
    foreign = (
        reverse("portal:objection-new", kwargs={"uscc": mine.uscc})
        + f"?record_type=penalty&record_id={penalty.pk}"
    )
    assert client.get(foreign).status_code == 404
    assert not Objection.objects.exists()


def test_anonymous_is_sent_to_sign_in(client):
    penalty = PenaltyFactory()
    assert client.get(new_url(penalty)).status_code == 302
    assert client.get(list_url(penalty.enterprise)).status_code == 302


def test_csrf_is_required(client):
    penalty = PenaltyFactory()
    checking = Client(enforce_csrf_checks=True)
    member_client(checking, penalty.enterprise)
    assert post(checking, penalty).status_code == 403
    assert not Objection.objects.exists()


def test_second_objection_to_the_same_record_is_refused_while_open(client):
    penalty = PenaltyFactory()
    member_client(client, penalty.enterprise)
    send(client, penalty)
    again = post(client, penalty)
    assert again.status_code == 200 and "already awaiting a decision" in again.content.decode()
    assert Objection.objects.count() == 1


def test_overdue_flag_and_decision_are_shown(client):
    penalty = PenaltyFactory()
    member_client(client, penalty.enterprise)
    send(client, penalty)
    overdue = Objection.objects.get()
    Objection.objects.filter(pk=overdue.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=30),
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    page = client.get(list_url(penalty.enterprise)).content.decode()
    assert "overdue" in page
    clerk = User.objects.create_user("clerk")
    AgencyMembership.objects.create(user=clerk, agency=penalty.deciding_agency)
    application_decide(
        application=overdue, outcome="corrected", reason="The record was corrected.", actor=clerk, via="admin"
    )
    page = client.get(list_url(penalty.enterprise)).content.decode()
    assert "The record was corrected." in page and "overdue" not in page


def test_check_page_lists_the_answers_with_change_links_and_keeps_them(client):
    penalty = PenaltyFactory()
    member_client(client, penalty.enterprise)
    post(client, penalty, documents=[SimpleUploadedFile("proof.pdf", PDF)])
    page = client.get(check_url(penalty)).content.decode()
    assert "Check your objection before sending it" in page and REASON in page and "proof.pdf" in page
    change = new_url(penalty).replace("&", "&amp;")
    assert f'href="{change}#id_reason"' in page and f'href="{change}#id_documents"' in page
    form = client.get(new_url(penalty)).content.decode()
    assert REASON in form and "proof.pdf" in form  # the answers are kept when changing them
    # Continuing without choosing files again keeps the documents already attached.
    post(client, penalty, reason=REASON + " See the judgment.")
    sent = client.post(check_url(penalty), {"record_type": "penalty", "record_id": penalty.pk})
    assert sent.status_code == 302
    assert Objection.objects.get().documents.get().original_name == "proof.pdf"
    assert Objection.objects.get().reason.endswith("See the judgment.")


def test_check_page_without_answers_goes_back_to_the_form(client):
    penalty = PenaltyFactory()
    member_client(client, penalty.enterprise)
    response = client.get(check_url(penalty))
    assert response.status_code == 302 and response.url == new_url(penalty)
