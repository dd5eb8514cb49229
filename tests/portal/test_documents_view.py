import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.models import AgencyMembership
from registry.services import document_store
from tests.factories import AgencyFactory, EnterpriseFactory
from tests.portal.account_helpers import make_user, member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _document(enterprise):
    return document_store(
        enterprise=enterprise,
        kind="proof_of_performance",
        uploaded_file=SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf"),
        actor=None,
        via="form",
    )


def test_members_download_with_safe_headers(client):
    enterprise = EnterpriseFactory()
    document = _document(enterprise)
    user = make_user("owner@example.com")
    member(user, enterprise)
    client.force_login(user)
    response = client.get(reverse("portal:document", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_users_of_another_enterprise_and_visitors_get_404(client):
    a, b = EnterpriseFactory(), EnterpriseFactory()
    document = _document(a)
    intruder = make_user("b-user@example.com")
    member(intruder, b, "administrator")
    url = reverse("portal:document", args=[document.pk])
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(intruder)
    assert client.get(url).status_code == 404
    assert client.get(reverse("portal:document", args=[document.pk + 999])).status_code == 404
    # Staff without an agency membership are no clerks.
    staff = make_user("staff@example.com")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(url).status_code == 404


def test_agency_clerks_and_superusers_may_read(client):
    document = _document(EnterpriseFactory())
    clerk = make_user("clerk@example.com")
    clerk.is_staff = True
    clerk.save()
    AgencyMembership.objects.create(user=clerk, agency=AgencyFactory())
    client.force_login(clerk)
    assert client.get(reverse("portal:document", args=[document.pk])).status_code == 200
    root = make_user("root@example.com")
    root.is_superuser = True
    root.save()
    client.force_login(root)
    assert client.get(reverse("portal:document", args=[document.pk])).status_code == 200
