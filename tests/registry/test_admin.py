import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.auth import authenticate, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from registry.models import (
    AbnormalOperationListing,
    AdministrativeLicence,
    AdministrativePenalty,
    Agency,
    AnnualReport,
    AuditEntry,
    Award,
    Branch,
    ChangeRecord,
    ContributionRecord,
    Enterprise,
    InspectionRecord,
    KeyPersonnel,
    Person,
    Region,
    Shareholder,
    TaxRecord,
    UtilityArrear,
)
from registry.services import abnormal_listing_create, enterprise_create, person_create, record_create
from registry.services.audit import SYSTEM
from tests import factories
from tests.registry.helpers import tables_containing

# --- synthetic data ------------------------------------------------------------------------------


def make_uscc(serial: int) -> str:
    return factories.make_uscc("110105", serial)


def make_resident_id(serial: int, birth: str = "19800101") -> str:
    return factories.make_resident_id("110105", birth, serial)


def beijing() -> Region:
    return Region.objects.get(code="110100")


def samr() -> Agency:
    return Agency.objects.get(short_code="samr")


def new_enterprise(serial: int = 1, **fields) -> Enterprise:
    values = {
        "uscc": make_uscc(serial),
        "name": f"北京示例科技有限公司{serial}",
        "entity_type": Enterprise.EntityType.LIMITED_LIABILITY,
        "status": Enterprise.Status.IN_OPERATION,
        "established": dt.date(2015, 3, 1),
        "address": "北京市朝阳区示例路1号",
        "region": beijing(),
        "legal_representative": "张三",
        **fields,
    }
    return enterprise_create(actor=SYSTEM, via="command", **values)


def new_record(model, enterprise, **fields):
    return record_create(model=model, actor=SYSTEM, via="command", enterprise=enterprise, **fields)


@pytest.fixture
def credit_file(db):
    """One enterprise with one row of every record type, one person; all written through services."""
    agency = samr()
    enterprise = new_enterprise(1)
    person = person_create(actor=SYSTEM, via="command", name="李四", id_number=make_resident_id(1))
    day = dt.date(2022, 5, 10)
    new_record(
        Shareholder, enterprise, kind="person", name="李四", person=person, subscribed_capital=Decimal("100")
    )
    new_record(Branch, enterprise, name="北京示例科技有限公司分公司", region=beijing())
    new_record(KeyPersonnel, enterprise, name="李四", person=person, role="director")
    new_record(ChangeRecord, enterprise, item="地址", before="旧址", after="新址", changed_on=day)
    new_record(AnnualReport, enterprise, year=2021, submitted_at=timezone.now(), employees=12)
    new_record(TaxRecord, enterprise, tax_type="增值税", period_start=day, period_end=day, credit_grade="A")
    new_record(
        ContributionRecord,
        enterprise,
        scheme="pension",
        year=2022,
        month=5,
        amount_due=Decimal("10"),
        amount_paid=Decimal("10"),
    )
    new_record(
        AdministrativeLicence,
        enterprise,
        licence_number="L-1",
        name="食品经营许可证",
        issuing_agency=agency,
        valid_from=day,
    )
    new_record(
        AdministrativePenalty,
        enterprise,
        decision_number="京市监罚〔2022〕1号",
        violation="虚假宣传",
        content="罚款一万元",
        fine_amount=Decimal("10000"),
        decided_on=day,
        deciding_agency=agency,
    )
    new_record(
        InspectionRecord,
        enterprise,
        inspecting_agency=agency,
        kind="targeted",
        inspected_on=day,
        result="no_problem",
    )
    new_record(Award, enterprise, title="守合同重信用企业", awarding_agency=agency, awarded_on=day)
    new_record(
        UtilityArrear,
        enterprise,
        utility="water",
        supplier="北京自来水",
        amount=Decimal("5"),
        overdue_since=day,
    )
    abnormal_listing_create(
        enterprise=enterprise,
        reason="annual_report",
        listed_on=day,
        listing_agency=agency,
        actor=SYSTEM,
        via="command",
    )
    return enterprise


# --- helpers for posting admin forms -------------------------------------------------------------


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_payload(response) -> dict:
    """What a browser would post back, unchanged, for the admin form in ``response``."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management[name].html_name: management[name].value() for name in management.fields})
        forms.extend(inline.formset.forms)
    for form in forms:
        for bound in form:
            widget = bound.field.widget
            if isinstance(widget, RelatedFieldWidgetWrapper):
                widget = widget.widget
            widget = widget.get_context(bound.html_name, bound.value(), {})["widget"]
            for sub in widget.get("subwidgets") or [widget]:
                value = sub["value"]
                if sub.get("type") == "checkbox" and not isinstance(value, list):
                    if sub["attrs"].get("checked"):
                        data[sub["name"]] = "on"
                else:
                    data[sub["name"]] = "" if value is None else value
    return data


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


def enterprise_add_payload(admin_client, **overrides) -> dict:
    payload = form_payload(admin_client.get(admin_url(Enterprise, "add")))
    payload.update(
        {
            "uscc": make_uscc(501),
            "name": "上海测试贸易有限公司",
            "entity_type": "llc",
            "status": "in_operation",
            "established": "2019-06-01",
            "address": "北京市海淀区测试路2号",
            "region": "110100",
            "capital_currency": "CNY",
        }
    )
    payload.update(overrides)
    return payload


# --- every page opens ----------------------------------------------------------------------------

EVERY_MODEL = (
    Region,
    Agency,
    Enterprise,
    Person,
    Shareholder,
    Branch,
    KeyPersonnel,
    ChangeRecord,
    AnnualReport,
    TaxRecord,
    ContributionRecord,
    AdministrativeLicence,
    AdministrativePenalty,
    InspectionRecord,
    Award,
    UtilityArrear,
    AbnormalOperationListing,
    AuditEntry,
)


def test_every_registry_model_has_working_admin_pages(admin_client, credit_file):
    read_only_add = {AuditEntry}
    for model in EVERY_MODEL:
        assert admin.site.is_registered(model), model
        changelist = admin_client.get(admin_url(model, "changelist"))
        assert changelist.status_code == 200, model
        assert changelist.context["cl"].result_count >= 1, model
        obj = model._default_manager.first()
        assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200, model
        add = admin_client.get(admin_url(model, "add"))
        assert add.status_code == (403 if model in read_only_add else 200), model
        if add.status_code == 200 and any(field.name == "enterprise" for field in model._meta.fields):
            assert "enterprise" in add.context["adminform"].form.fields, model


def test_admin_site_header_is_set(admin_client, db):
    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Public credit information — agency administration" in response.content.decode()


# --- enterprises ---------------------------------------------------------------------------------


def test_adding_an_enterprise_goes_through_the_service_and_is_audited(admin_client, admin_user):
    payload = enterprise_add_payload(admin_client)
    response = admin_client.post(admin_url(Enterprise, "add"), payload)
    assert response.status_code == 302, form_errors(response)
    enterprise = Enterprise.objects.get(uscc=payload["uscc"])
    assert enterprise.uscc_legacy is False
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Enterprise), object_pk=str(enterprise.pk)
    )
    assert (entry.via, entry.action, entry.actor, entry.actor_label) == (
        "admin",
        "create",
        admin_user,
        "admin",
    )
    assert entry.changes["name"] == [None, "上海测试贸易有限公司"]


def test_an_enterprise_and_its_first_records_can_be_added_in_one_go(admin_client):
    payload = enterprise_add_payload(admin_client)
    payload.update(
        {
            "shareholders-TOTAL_FORMS": "1",
            "shareholders-0-kind": "other",
            "shareholders-0-name": "某投资合伙企业",
            "shareholders-0-subscribed_capital": "500000",
            "shareholders-0-paid_in_capital": "0",
        }
    )
    response = admin_client.post(admin_url(Enterprise, "add"), payload)
    assert response.status_code == 302, form_errors(response)
    shareholder = Shareholder.objects.get()
    assert shareholder.enterprise.uscc == payload["uscc"]
    assert AuditEntry.objects.filter(via="admin", action="create").count() == 2


def test_bad_uscc_check_character_is_refused_on_the_field(admin_client):
    good = make_uscc(502)
    bad = factories.with_wrong_check_char(good)
    response = admin_client.post(admin_url(Enterprise, "add"), enterprise_add_payload(admin_client, uscc=bad))
    assert response.status_code == 200
    message = " ".join(form_errors(response)["uscc"])
    assert f"check character is {bad[17]} but should be {good[17]}" in message
    assert not Enterprise.objects.filter(uscc=bad).exists()
    assert not AuditEntry.objects.exists()


def test_a_rule_only_the_service_knows_is_shown_on_the_form_and_nothing_is_written(admin_client):
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    payload = enterprise_add_payload(admin_client, established=future)
    response = admin_client.post(admin_url(Enterprise, "add"), payload)
    assert response.status_code == 200
    assert "cannot be in the future" in " ".join(form_errors(response)["established"])
    assert response.context["adminform"].form["name"].value() == payload["name"]  # input kept
    assert not Enterprise.objects.exists()
    assert not AuditEntry.objects.exists()
    assert not LogEntry.objects.exists()


def test_enterprise_code_and_legacy_flag_are_read_only_on_change(admin_client, credit_file):
    response = admin_client.get(admin_url(Enterprise, "change", credit_file.pk))
    form = response.context["adminform"].form
    assert "uscc" not in form.fields
    assert "uscc_legacy" not in form.fields
    changelist = admin_client.get(admin_url(Enterprise, "changelist"))
    assert "uscc_legacy" in changelist.context["cl"].list_display


def test_editing_an_enterprise_records_the_change(admin_client, admin_user, credit_file):
    url = admin_url(Enterprise, "change", credit_file.pk)
    payload = form_payload(admin_client.get(url))
    payload["name"] = "北京新名称科技有限公司"
    response = admin_client.post(url, payload)
    assert response.status_code == 302
    credit_file.refresh_from_db()
    assert credit_file.former_names == ["北京示例科技有限公司1"]
    entry = AuditEntry.objects.filter(via="admin", action="update").get()
    assert entry.actor == admin_user
    assert entry.changes["name"] == ["北京示例科技有限公司1", "北京新名称科技有限公司"]


def test_enterprises_and_persons_cannot_be_deleted(admin_client, credit_file):
    person = Person.objects.get()
    assert admin_client.get(admin_url(Enterprise, "delete", credit_file.pk)).status_code == 403
    assert admin_client.post(admin_url(Person, "delete", person.pk), {"post": "yes"}).status_code == 403
    assert Enterprise.objects.exists() and Person.objects.exists()


def test_enterprise_change_page_shows_its_audit_trail(admin_client, credit_file):
    response = admin_client.get(admin_url(Enterprise, "change", credit_file.pk))
    content = response.content.decode()
    content_type = ContentType.objects.get_for_model(Enterprise)
    assert f"content_type__id__exact={content_type.pk}&amp;object_pk={credit_file.pk}" in content
    trail = admin_client.get(
        admin_url(AuditEntry, "changelist"),
        {"content_type__id__exact": content_type.pk, "object_pk": credit_file.pk},
    )
    assert trail.status_code == 200
    assert trail.context["cl"].result_count == 1
    taxes = admin_client.get(admin_url(TaxRecord, "changelist"), {"enterprise__id__exact": credit_file.pk})
    assert taxes.context["cl"].result_count == 1


def test_enterprise_search_by_code_prefix_name_and_registration_number(admin_client, db):
    first = new_enterprise(11, registration_number="110105000123456")
    new_enterprise(12, name="广州另一家餐饮有限公司")
    url = admin_url(Enterprise, "changelist")

    def found(term):
        return {row.pk for row in admin_client.get(url, {"q": term}).context["cl"].result_list}

    assert found(first.uscc[:10]) == set(
        Enterprise.objects.filter(uscc__startswith=first.uscc[:10]).values_list("pk", flat=True)
    )
    assert found(first.uscc.lower()) == {first.pk}
    assert found("110105000123456") == {first.pk}
    assert found("示例科技") == {first.pk}
    assert found("张三") == set(Enterprise.objects.values_list("pk", flat=True))


def test_enterprise_changelist_runs_a_bounded_number_of_queries(
    admin_client, django_assert_max_num_queries, db
):
    for serial in range(30):
        new_enterprise(100 + serial)
    url = admin_url(Enterprise, "changelist")
    admin_client.get(url)  # warm the session and content-type caches
    with django_assert_max_num_queries(10):
        response = admin_client.get(url)
    assert len(response.context["cl"].result_list) == 30


def test_big_unfiltered_changelists_use_the_planner_estimate(admin_client, db, monkeypatch):
    from registry.admin.base import LargeTablePaginator

    for serial in range(3):
        new_enterprise(200 + serial)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registry_enterprise")
    new_enterprise(203)  # not in the statistics yet
    monkeypatch.setattr(LargeTablePaginator, "exact_below", 1)
    url = admin_url(Enterprise, "changelist")
    assert admin_client.get(url).context["cl"].result_count == 3  # pg_class.reltuples, no COUNT(*)
    filtered = admin_client.get(url, {"status__exact": "in_operation"})
    assert filtered.context["cl"].result_count == 4  # a filtered list is counted exactly


# --- inlines -------------------------------------------------------------------------------------


def test_editing_an_inline_shareholder_is_audited(admin_client, admin_user, credit_file):
    url = admin_url(Enterprise, "change", credit_file.pk)
    payload = form_payload(admin_client.get(url))
    payload["shareholders-0-paid_in_capital"] = "60.00"
    response = admin_client.post(url, payload)
    assert response.status_code == 302
    shareholder = Shareholder.objects.get()
    assert shareholder.paid_in_capital == Decimal("60")
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Shareholder), action="update"
    )
    assert (entry.via, entry.actor, entry.object_pk) == ("admin", admin_user, str(shareholder.pk))
    assert entry.changes == {"paid_in_capital": ["0", "60"]}
    # Nothing else was touched, so nothing else was audited.
    assert AuditEntry.objects.filter(via="admin").count() == 1


def test_adding_and_deleting_inline_rows_go_through_the_services(admin_client, credit_file):
    url = admin_url(Enterprise, "change", credit_file.pk)
    payload = form_payload(admin_client.get(url))
    payload.update(
        {
            "awards-TOTAL_FORMS": "2",
            "awards-1-title": "纳税信用A级纳税人",
            "awards-1-awarding_agency": str(samr().pk),
            "awards-1-awarded_on": "2023-01-01",
            "change_records-0-DELETE": "on",
        }
    )
    response = admin_client.post(url, payload)
    assert response.status_code == 302
    assert Award.objects.filter(enterprise=credit_file, title="纳税信用A级纳税人").exists()
    assert not ChangeRecord.objects.exists()
    deletion = AuditEntry.objects.get(action="delete")
    assert deletion.reason == "deleted in admin by admin"
    assert AuditEntry.objects.filter(via="admin", action="create").count() == 1


def test_a_service_refusal_on_an_inline_row_is_shown_on_that_row(admin_client, credit_file):
    url = admin_url(Enterprise, "change", credit_file.pk)
    payload = form_payload(admin_client.get(url))
    payload.update(
        {
            "name": "北京改名也不应保存有限公司",
            "abnormal_listings-TOTAL_FORMS": "2",
            "abnormal_listings-1-reason": "annual_report",
            "abnormal_listings-1-listed_on": "2023-07-01",
            "abnormal_listings-1-listing_agency": str(samr().pk),
        }
    )
    response = admin_client.post(url, payload)
    assert response.status_code == 200
    (listings,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is AbnormalOperationListing
    ]
    assert "already listed for this reason" in " ".join(listings.forms[1].non_field_errors())
    assert AbnormalOperationListing.objects.count() == 1
    credit_file.refresh_from_db()
    assert credit_file.name == "北京示例科技有限公司1"  # the whole save was rolled back
    assert not AuditEntry.objects.filter(via="admin").exists()


# --- persons -------------------------------------------------------------------------------------


def test_adding_a_person_stores_no_plaintext_id_and_search_finds_them(admin_client):
    number = make_resident_id(7, birth="19900215")
    response = admin_client.post(admin_url(Person, "add"), {"name": "王五", "id_number": f" {number} "})
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.id_masked == f"{number[:10]}****{number[-4:]}"
    assert (person.sex, person.birth_year) == ("F" if int(number[16]) % 2 == 0 else "M", 1990)

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM registry_person")
        rows = cursor.fetchall()
    assert rows and not any(number in str(value) for row in rows for value in row)
    assert tables_containing(number) == []  # nor anywhere else: admin log, sessions, audit
    audit_text = json.dumps([entry.changes for entry in AuditEntry.objects.all()], ensure_ascii=False)
    assert AuditEntry.objects.filter(via="admin", action="create").exists()
    assert number not in audit_text
    assert not any(number in entry.change_message + entry.object_repr for entry in LogEntry.objects.all())

    change_page = admin_client.get(admin_url(Person, "change", person.pk)).content.decode()
    assert number not in change_page and person.id_hash not in change_page
    assert person.id_masked in change_page

    changelist = admin_url(Person, "changelist")
    assert list(admin_client.get(changelist, {"q": number}).context["cl"].result_list) == [person]
    assert list(
        admin_client.get(changelist, {"q": number[:6] + " " + number[6:]}).context["cl"].result_list
    ) == [person]
    assert list(admin_client.get(changelist, {"q": make_resident_id(8)}).context["cl"].result_list) == []
    assert list(admin_client.get(changelist, {"q": "王"}).context["cl"].result_list) == [person]


def test_person_add_form_never_renders_the_number_back(admin_client, db):
    number = make_resident_id(9)
    person_create(actor=SYSTEM, via="command", name="赵六", id_number=number)
    response = admin_client.post(admin_url(Person, "add"), {"name": "赵六", "id_number": number})
    assert response.status_code == 200  # duplicate: refused by the service
    assert "already registered" in " ".join(form_errors(response)["id_number"])
    assert number not in response.content.decode()
    assert Person.objects.count() == 1


def test_a_bad_id_number_is_refused_on_the_field(admin_client, db):
    number = make_resident_id(3)
    bad = number[:17] + ("0" if number[17] != "0" else "1")
    response = admin_client.post(admin_url(Person, "add"), {"name": "钱七", "id_number": bad})
    assert response.status_code == 200
    assert "check character" in " ".join(form_errors(response)["id_number"])
    assert not Person.objects.exists()


# --- listings, records ---------------------------------------------------------------------------


def test_removing_an_abnormal_listing_through_its_change_form(admin_client, admin_user, credit_file):
    listing = AbnormalOperationListing.objects.get()
    url = admin_url(AbnormalOperationListing, "change", listing.pk)
    payload = form_payload(admin_client.get(url))
    payload.update(
        {"removed_on": "2023-03-01", "removal_reason": "report_filed", "removal_agency": str(samr().pk)}
    )
    response = admin_client.post(url, payload)
    assert response.status_code == 302
    listing.refresh_from_db()
    assert (listing.removed_on, listing.removal_reason) == (dt.date(2023, 3, 1), "report_filed")
    entry = AuditEntry.objects.get(via="admin")
    assert (entry.action, entry.reason, entry.actor) == ("update", "report_filed", admin_user)
    # A removed listing is history: it can be seen, not changed or deleted.
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, payload).status_code == 403
    assert admin_client.get(admin_url(AbnormalOperationListing, "delete", listing.pk)).status_code == 403


def test_an_incomplete_or_misdated_removal_is_refused_with_a_message(admin_client, credit_file):
    listing = AbnormalOperationListing.objects.get()
    url = admin_url(AbnormalOperationListing, "change", listing.pk)
    payload = form_payload(admin_client.get(url))
    payload.update({"removed_on": "2023-03-01"})
    response = admin_client.post(url, payload)
    assert response.status_code == 200
    assert "date, reason and agency together" in " ".join(form_errors(response).get("__all__", []))
    payload.update(
        {"removed_on": "2020-01-01", "removal_reason": "report_filed", "removal_agency": str(samr().pk)}
    )
    response = admin_client.post(url, payload)
    assert response.status_code == 200
    assert "cannot come before its start date" in " ".join(form_errors(response)["__all__"])
    listing.refresh_from_db()
    assert listing.removed_on is None


def test_deleting_a_record_in_admin_is_audited_with_a_reason(admin_client, credit_file):
    penalty = AdministrativePenalty.objects.get()
    response = admin_client.post(admin_url(AdministrativePenalty, "delete", penalty.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not AdministrativePenalty.objects.exists()
    entry = AuditEntry.objects.get(action="delete")
    assert (entry.via, entry.reason) == ("admin", "deleted in admin by admin")


def test_bulk_delete_action_goes_through_the_service(admin_client, credit_file):
    award = Award.objects.get()
    response = admin_client.post(
        admin_url(Award, "changelist"),
        {"action": "delete_selected", "_selected_action": [award.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Award.objects.exists()
    assert AuditEntry.objects.filter(action="delete", via="admin").count() == 1


# --- audit trail ---------------------------------------------------------------------------------


def test_audit_trail_is_read_only(admin_client, credit_file):
    entry = AuditEntry.objects.first()
    assert admin_client.get(admin_url(AuditEntry, "add")).status_code == 403
    assert admin_client.post(admin_url(AuditEntry, "add"), {}).status_code == 403
    change_url = admin_url(AuditEntry, "change", entry.pk)
    page = admin_client.get(change_url)
    assert page.status_code == 200
    assert "<table>" in page.content.decode()  # the changes, field by field
    assert admin_client.post(change_url, {"reason": "tampered"}).status_code == 403
    assert admin_client.post(admin_url(AuditEntry, "delete", entry.pk), {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.reason == ""


def test_audit_changelist_filters_and_search(admin_client, credit_file):
    url = admin_url(AuditEntry, "changelist")
    assert admin_client.get(url, {"via__exact": "command"}).context["cl"].result_count >= 13
    assert admin_client.get(url, {"via__exact": "admin"}).context["cl"].result_count == 0
    assert admin_client.get(url, {"q": str(credit_file.pk)}).status_code == 200
    assert admin_client.get(url, {"q": "(command)"}).context["cl"].result_count >= 13


# --- demo superuser ------------------------------------------------------------------------------


def test_create_demo_admin_with_debug_on(settings, db):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("create_demo_admin", stdout=out)
    call_command("create_demo_admin", stdout=out)  # idempotent: resets, never duplicates
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff and user.is_active
    assert authenticate(username="admin", password="admin-demo") == user
    assert get_user_model().objects.count() == 1
    text = out.getvalue()
    assert "http://127.0.0.1:8000/admin/" in text and "admin-demo" in text


def test_create_demo_admin_refuses_with_debug_off(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("create_demo_admin", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="admin").exists()


def test_a_clerk_can_add_a_county_level_division_through_the_service(admin_client):
    # The shipped table already has every county; a code it lacks (a synthetic one) can be added.
    assert not Region.objects.filter(code="340198").exists()
    response = admin_client.post(
        admin_url(Region, "add"),
        {
            "code": "340198",
            "name_zh": "新设区",
            "name_en": "Xinshe District",
            "level": "county",
            "parent": "340100",
        },
    )
    assert response.status_code == 302, form_errors(response)
    assert Region.objects.get(code="340198").parent_id == "340100"
    assert AuditEntry.objects.filter(object_pk="340198", via="admin", action="create").exists()


def test_superuser_assigns_a_clerk_to_an_agency_through_the_service(admin_client):
    from django.contrib.auth.models import User

    from accounts.models import AgencyMembership

    clerk = User.objects.create_user("clerk-a", password="pw-123456789", is_staff=True)
    agency = Agency.objects.get(short_code="samr")
    response = admin_client.post(
        reverse("admin:accounts_agencymembership_add"), {"user": clerk.pk, "agency": agency.pk}
    )
    assert response.status_code == 302, form_errors(response)
    membership = AgencyMembership.objects.get(user=clerk)
    assert AuditEntry.objects.filter(object_pk=str(membership.pk), via="admin", action="create").exists()


def test_search_documents_are_read_only_in_admin(admin_client):
    from search.models import SearchDocument

    assert admin_client.get(admin_url(SearchDocument, "changelist")).status_code == 200
    assert admin_client.get(admin_url(SearchDocument, "add")).status_code == 403
