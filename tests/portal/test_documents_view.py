"""Who may download a company's restricted document: its users, the deciding agency's clerks, the
central office; everybody else gets 404. Every read by a clerk is audited."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AgencyMembership
from casework.models import RepairApplication
from casework.services import objection_submit
from filings.services import annual_report_draft_save, annual_report_submit
from registry.models import AuditEntry
from registry.services import document_store
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory, EnterpriseFactory, PenaltyFactory, member_of
from tests.filings.test_filings import full_data
from tests.portal.account_helpers import make_user, member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _document(enterprise):
    return document_store(
        enterprise=enterprise,
        kind="proof_of_performance",
        uploaded_file=SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf"),
        actor=SYSTEM,
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


def clerk_of(agency, email):
    user = make_user(email)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


def reads_audited(document):
    return list(
        AuditEntry.objects.filter(
            action=AuditEntry.Action.READ, content_type__model="document", object_pk=str(document.pk)
        ).values_list("actor__username", "reason")
    )


def status_for(client, user, document):
    client.force_login(user)
    return client.get(reverse("portal:document", args=[document.pk])).status_code


def test_objection_evidence_is_read_by_the_company_the_deciding_agency_and_the_central_office(client):
    penalty = PenaltyFactory()
    enterprise, deciding = penalty.enterprise, penalty.deciding_agency
    document = _document(enterprise)
    objection = objection_submit(
        enterprise=enterprise,
        record_type="penalty",
        record_id=penalty.pk,
        reason="The fine was paid and the decision was revoked on appeal.",
        documents=[document],
        actor=member_of(enterprise),
        via="form",
    )
    assert objection.agency == deciding
    url = reverse("portal:document", args=[document.pk])
    assert client.get(url).status_code == 302  # anonymous: sign in first
    owner = make_user("owner@example.com")
    member(owner, enterprise)
    assert status_for(client, owner, document) == 200
    assert reads_audited(document) == []  # the company's own reads are not audited

    assert status_for(client, clerk_of(deciding, "decider@example.gov.cn"), document) == 200
    assert status_for(client, clerk_of(AgencyFactory(), "unrelated@example.gov.cn"), document) == 404
    stranger = make_user("other-company@example.com")
    member(stranger, EnterpriseFactory(), "administrator")
    assert status_for(client, stranger, document) == 404

    central = make_user("central@example.gov.cn")
    central.user_permissions.add(Permission.objects.get(codename="read_any_document"))
    assert status_for(client, central, document) == 200
    root = make_user("root@example.gov.cn")
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    assert status_for(client, root, document) == 200
    assert reads_audited(document) == [
        ("root@example.gov.cn", "central office"),
        ("central@example.gov.cn", "central office"),
        ("decider@example.gov.cn", f"objection {objection.pk} (deciding agency)"),
    ]


def test_repair_documents_are_read_by_the_deciding_agency_only(client):
    penalty = PenaltyFactory()
    document = _document(penalty.enterprise)
    application = RepairApplication.objects.create(
        enterprise=penalty.enterprise,
        penalty=penalty,
        agency=penalty.deciding_agency,
        submitted_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC),
        due_on=dt.date(2026, 12, 1),
    )
    application.documents.add(document)
    # The agency that registered the enterprise decides no repair: it gets nothing.
    assert status_for(client, clerk_of(AgencyFactory(), "registrar@example.gov.cn"), document) == 404
    assert status_for(client, clerk_of(penalty.deciding_agency, "decider@example.gov.cn"), document) == 200
    assert reads_audited(document) == [
        ("decider@example.gov.cn", f"credit repair application {application.pk} (deciding agency)")
    ]


def test_a_filed_annual_report_attachment_is_read_by_the_registration_authority(client):
    registrar = AgencyFactory()
    enterprise = EnterpriseFactory(registration_authority=registrar)
    filer = make_user("filer@example.com")
    member(filer, enterprise)
    upload = SimpleUploadedFile("report.pdf", PDF, content_type="application/pdf")
    draft = annual_report_draft_save(
        enterprise=enterprise,
        year=2025,
        data={},
        unpublished_fields=[],
        attachment_file=upload,
        actor=filer,
        via="form",
    )
    document = draft.attachment
    clerk = clerk_of(registrar, "registrar@example.gov.cn")
    # A draft is still the company's own.
    assert status_for(client, clerk, document) == 404
    annual_report_submit(
        enterprise=enterprise,
        year=2025,
        data=full_data(),
        unpublished_fields=[],
        attachment=document,
        actor=filer,
        via="form",
    )
    assert status_for(client, clerk, document) == 200
    assert status_for(client, clerk_of(AgencyFactory(), "elsewhere@example.gov.cn"), document) == 404
    assert status_for(client, filer, document) == 200
    assert reads_audited(document) == [
        ("registrar@example.gov.cn", "annual report 2025 (registration authority)")
    ]
