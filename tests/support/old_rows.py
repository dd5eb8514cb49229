"""Rows the demo load leaves out, written through the services of the code it runs in.

``tests/test_upgrade_keeps_data.py`` runs this file with ``manage.py shell -c`` in the tree of an
older commit, after ``migrate`` and the demo commands, so that every table of that layout holds
rows before the upgrade: accounts and activation codes, a clerk with an agency membership, groups
and permissions, an annual-report filing (submitted and amended) with a removal application, an
instant disclosure (corrected), documents, an objection, a credit repair application, an API
client and one of its checks, a credit report, a follow, mail, an admin log entry and a session.
All of it is synthetic. It only uses what that commit's code offers, so keep it to services that
existed before models moved between apps.
"""

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from blacklists.selectors import repair_eligibility
from blacklists.services import api_client_create, repair_application_submit, restriction_check_record
from portal.services.accounts import (
    account_signup,
    account_verification_token,
    account_verify,
    activation_code_issue,
    enterprise_claim,
)
from portal.services.notices import follow_create
from portal.services.reports import credit_report_create
from registry.models import AbnormalOperationListing, AdministrativePenalty, AgencyMembership, Enterprise
from registry.services import (
    abnormal_listing_create,
    abnormal_removal_apply,
    annual_report_amend,
    annual_report_submit,
    document_store,
    instant_disclosure_correct,
    instant_disclosure_publish,
    objection_submit,
    record_create,
)

BASE_URL = "http://127.0.0.1:8000/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FILING = {
    "contact_phone": "0551-12345678",
    "email": "office@example.com",
    "postal_address": "安徽省合肥市蜀山区长江西路100号",
    "postcode": "230000",
    "operating_status": "operating",
    "employees": 30,
    "female_employees": 12,
    "total_assets": "3000000",
    "total_liabilities": "1000000",
    "owners_equity": "2000000",
    "revenue": "5000000",
    "main_business_revenue": "4500000",
    "profit": "400000",
    "net_profit": "300000",
    "tax_paid": "120000",
    **{f"insured_{s}": 30 for s in ("pension", "medical", "unemployment", "work_injury", "maternity")},
    **{f"paid_{s}": "10000" for s in ("pension", "medical", "unemployment", "work_injury", "maternity")},
    "websites": [{"kind": "website", "name": "官网", "url": "https://example.com"}],
}
DISCLOSED_PENALTY = {
    "decision_number": "合市监罚〔2026〕7号",
    "violation": "虚假宣传",
    "content": "罚款一万元",
    "authority": "合肥市市场监督管理局",
}


def document(enterprise, kind, actor):
    upload = SimpleUploadedFile(f"{kind}.pdf", PDF + f"{enterprise.pk}-{kind}".encode())
    return document_store(enterprise=enterprise, kind=kind, uploaded_file=upload, actor=actor, via="form")


def main():
    today = timezone.localdate()
    admin = User.objects.get(username="admin")
    unlisted = Enterprise.objects.filter(registration_authority__isnull=False, abnormal_listings__isnull=True)
    enterprise, followed = unlisted.order_by("pk")[:2]

    # A company user: signed up and verified (mail), then a member through an activation code.
    filer = account_signup(email="filer@example.com", password="upgrade-filer-2026", base_url=BASE_URL)
    filer = account_verify(token=account_verification_token(user=filer))
    _row, code = activation_code_issue(enterprise=enterprise, issued_by=admin)
    enterprise_claim(user=filer, uscc=enterprise.uscc, code=code)
    follow_create(user=filer, enterprise=followed)

    # A clerk of the registration authority, in a group with a permission, and one of their own.
    clerk = User.objects.create_user("upgrade-clerk", password="upgrade-clerk-2026", is_staff=True)
    record_create(
        model=AgencyMembership,
        actor=admin,
        via="command",
        user=clerk,
        agency=enterprise.registration_authority,
    )
    group = Group.objects.create(name="upgrade clerks")
    registry_permissions = Permission.objects.filter(content_type__app_label="registry")
    group.permissions.add(*registry_permissions.filter(codename__in=["view_objection", "view_enterprise"]))
    clerk.groups.add(group)
    clerk.user_permissions.add(registry_permissions.get(codename="change_abnormalremovalapplication"))

    # Listed for a missing annual report; the report filed (and amended); removal applied for.
    listed_on = (
        dt.date(today.year, 7, 1) if today >= dt.date(today.year, 7, 1) else dt.date(today.year - 1, 7, 1)
    )
    listing = abnormal_listing_create(
        enterprise=enterprise,
        reason=AbnormalOperationListing.Reason.ANNUAL_REPORT_NOT_FILED,
        listed_on=listed_on,
        listing_agency=enterprise.registration_authority,
        actor=admin,
        via="command",
    )
    attachment = document(enterprise, "annual_report", filer)
    filing = annual_report_submit(
        enterprise=enterprise,
        year=listed_on.year - 1,
        data=FILING,
        unpublished_fields=[],
        attachment=attachment,
        actor=filer,
        via="form",
    )
    annual_report_amend(
        filing=filing,
        data={**FILING, "employees": 31, "female_employees": 13},
        unpublished_fields=[],
        attachment=attachment,
        note="员工人数更正",
        actor=filer,
        via="form",
    )
    abnormal_removal_apply(listing=listing, actor=filer, via="form")

    # An instant disclosure, corrected once.
    disclosure = instant_disclosure_publish(
        enterprise=enterprise,
        kind="penalty",
        # A Monday at least a week back: the old code's bound on the due date refused a fact on a
        # weekend (the bug the working-day calendar fixed), and this runs in the old code.
        occurred_on=today - dt.timedelta(days=7 + today.weekday()),
        details=DISCLOSED_PENALTY,
        actor=filer,
        via="form",
    )
    instant_disclosure_correct(
        disclosure=disclosure,
        occurred_on=disclosure.occurred_on,
        details={**DISCLOSED_PENALTY, "content": "罚款一万二千元"},
        reason="罚款金额更正",
        actor=filer,
        via="form",
    )

    # An objection to the business licence, with evidence.
    objection_submit(
        enterprise=enterprise,
        record_type="enterprise",
        record_id=enterprise.pk,
        reason="登记地址已变更，请更正。",
        documents=[document(enterprise, "objection_evidence", filer)],
        actor=filer,
        via="form",
    )

    # Credit repair of the first demo penalty that may be repaired today, with its documents.
    for penalty in AdministrativePenalty.objects.filter(deciding_agency__isnull=False).order_by("pk"):
        eligibility = repair_eligibility(penalty=penalty)
        if eligibility.eligible:
            break
    else:
        raise SystemExit("No demo penalty may be repaired today: the repair application cannot be made.")
    repair_application_submit(
        enterprise=penalty.enterprise,
        penalty=penalty,
        documents=[document(penalty.enterprise, kind, None) for kind in eligibility.required_documents],
        actor=None,
        via="form",
    )

    # An API client and one restriction check it made; a credit report; admin's log; a session.
    client, _token = api_client_create(
        actor=admin, via="command", name="升级测试客户端", scopes=["restrictions"]
    )
    restriction_check_record(
        client=client,
        identifier="uscc",
        on=today,
        restricted=False,
        measure_count=0,
        enterprise=enterprise,
    )
    credit_report_create(uscc=enterprise.uscc, language="zh-hans", base_url=BASE_URL, requested_by=filer)
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Enterprise),
        object_id=str(enterprise.pk),
        object_repr=str(enterprise)[:200],
        action_flag=CHANGE,
        change_message="[]",
    )
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["upgrade"] = True
    session.create()


main()
