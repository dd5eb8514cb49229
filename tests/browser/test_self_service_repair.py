"""Credit repair in a real browser: see what is required, apply with the documents, see the listing end."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import EnterpriseMembership
from blacklists.models import ListType
from blacklists.services import list_entry_create
from casework.models import RepairApplication
from casework.services import application_decide
from registry.services.audit import SYSTEM
from tests.factories import EnterpriseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LABELS = (
    "credit repair application",
    "credit repair commitment letter",
    "proof of performance (e.g. payment receipt)",
    "authorisation of the person applying",
)


def test_apply_for_repair_and_see_the_listing_end(signed_in_page, live_server, tmp_path):
    today = timezone.localdate()
    enterprise = EnterpriseFactory(name="合肥修复测试科技有限公司")
    list_type = ListType.objects.get(code="gac-dishonest")
    start = today - dt.timedelta(days=400)
    entry = list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        enterprise=enterprise,
        issuing_agency=list_type.owner,
        decision_number="海关失信〔2025〕3号",
        decision_date=start,
        starts_on=start,
        planned_end=start + dt.timedelta(days=1000),
    )
    user = get_user_model().objects.create_user("repair-filer", "filer@example.com", "pw-123456789")
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise, role="filer")
    page = signed_in_page(user)

    page.goto(f"/account/enterprises/{enterprise.uscc}/repair/")
    expect(page.get_by_role("heading", name="Credit repair", exact=True)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=entry.decision_number)
    expect(row).to_contain_text("Eligible now")
    for label in LABELS:
        expect(row).to_contain_text(label)
    row.get_by_role("link", name=re.compile("Apply for repair")).click()

    expect(page.get_by_role("heading", name="Apply for credit repair")).to_be_visible()
    for number, label in enumerate(LABELS):
        upload = tmp_path / f"document-{number}.pdf"
        upload.write_bytes(PDF + str(number).encode())
        page.get_by_label(label, exact=True).set_input_files(str(upload))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check your application before submitting it")).to_be_visible()
    documents = page.get_by_role("region", name="Documents")
    for number, label in enumerate(LABELS):
        expect(documents.get_by_role("link", name=f"Change {label}")).to_be_visible()
        expect(documents).to_contain_text(f"document-{number}.pdf")
    page.get_by_role("button", name="Submit the application").click()

    expect(page.get_by_role("status").filter(has_text="Your application was submitted")).to_be_visible()
    applications = page.get_by_role("table").last
    expect(applications).to_contain_text(entry.decision_number)
    expect(applications).to_contain_text("pending")

    application = RepairApplication.objects.get()
    assert application.documents.count() == 4
    application_decide(
        application=application, outcome="approved", reason="已整改完毕", actor=SYSTEM, via="admin"
    )

    page.reload()
    expect(page.get_by_role("table").last).to_contain_text("approved")
    expect(page.get_by_text("Nothing is in force against this enterprise")).to_be_visible()
    page.goto(f"/enterprises/{enterprise.uscc}/")
    expect(page.get_by_role("heading", name=enterprise.name)).to_be_visible()
    expect(page.get_by_text(entry.decision_number)).to_have_count(0)
