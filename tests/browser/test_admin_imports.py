"""A clerk imports a list by upload in admin, in both languages: a bad line is shown and nothing
is written; the corrected file is previewed, confirmed, written, and its entries are listed."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission, User
from playwright.sync_api import expect

from accounts.models import AgencyMembership
from blacklists.models import ListEntry
from registry.models import Agency
from tests.blacklists.test_import_list import defaulter
from tests.browser.support import axe_violations, describe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def csv_bytes(rows) -> bytes:
    header = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def court_clerk() -> User:
    user = User.objects.create_user("court-clerk", password="pw-123456789", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["blacklists", "registry"])
    )
    AgencyMembership.objects.create(user=user, agency=Agency.objects.get(short_code="spc"))
    return user


def assert_page_content_accessible(page) -> None:
    # Django admin's own frame (header, sidebar) is not ours to fix; our page's content is.
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


@pytest.mark.parametrize(
    ("locale", "heading_import", "date_problem"),
    [("en-US", "Import", "is not a real date"), ("zh-CN", "导入", "不是有效日期")],
    ids=["english", "chinese"],
)
def test_a_clerk_sees_the_bad_line_fixes_it_and_imports_the_list(
    signed_in_page, locale, heading_import, date_problem
):
    page = signed_in_page(court_clerk(), locale=locale)
    page.goto("/admin/")
    page.locator("#clerk-imports a[href$='/admin/imports/importrun/new/']").click()
    page.locator("a[href*='target=court-defaulters']").click()
    expect(page.locator("h1")).to_contain_text(heading_import)
    assert_page_content_accessible(page)

    good = defaulter(case_number="(2019)皖1122执1194号", name="张三丰")
    second = defaulter(case_number="(2019)皖1122执1195号", name="李四光")
    page.set_input_files(
        "#id_file",
        files=[
            {
                "name": "defaulters.csv",
                "mimeType": "text/csv",
                "buffer": csv_bytes([good, {**second, "filing_date": "2019-13-01"}]),
            }
        ],
    )
    page.locator("form input[type=submit]").click()
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first.locator("td").nth(0)).to_have_text("3")
    expect(errors.first.locator("td").nth(1)).to_have_text("filing_date")
    expect(errors.first.locator("td").nth(2)).to_contain_text(date_problem)  # in the clerk's language
    assert_page_content_accessible(page)
    assert ListEntry.objects.count() == 0

    page.locator("#import-status a.button").click()  # upload a corrected file
    page.set_input_files(
        "#id_file",
        files=[{"name": "defaulters-fixed.csv", "mimeType": "text/csv", "buffer": csv_bytes([good, second])}],
    )
    page.locator("form input[type=submit]").click()
    preview = page.locator("#import-preview td")
    expect(preview.nth(0)).to_have_text("2")  # to create
    expect(preview.nth(1)).to_have_text("0")  # to change
    expect(preview.nth(2)).to_have_text("0")  # unchanged
    assert_page_content_accessible(page)
    assert ListEntry.objects.count() == 0

    page.locator("form.import-action input.default").click()
    expect(page.locator("#import-result td").nth(0)).to_have_text("2")
    assert_page_content_accessible(page)
    assert ListEntry.objects.count() == 2
    expect(page.locator("#import-status a[href*='/admin/registry/auditentry/']")).to_have_count(1)

    page.locator("#import-status a[href*='/admin/blacklists/listentry/']").click()
    expect(page.locator("#result_list")).to_contain_text("张三丰")
    expect(page.locator("#result_list")).to_contain_text("李四光")


def customs_clerk() -> User:
    user = User.objects.create_user("customs-clerk", password="pw-123456789", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["blacklists", "registry"])
    )
    AgencyMembership.objects.create(user=user, agency=Agency.objects.get(short_code="gac"))
    return user


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"], ids=["english", "chinese"])
def test_a_clerk_of_another_agency_neither_sees_the_import_nor_uploads_to_that_list(signed_in_page, locale):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imports.services import import_run_start

    upload = SimpleUploadedFile(
        "court-upload.csv",
        csv_bytes([defaulter(case_number="(2019)皖1122执1196号")]),
        content_type="text/csv",
    )
    run = import_run_start(kind="list", target="court-defaulters", uploaded_file=upload, actor=court_clerk())

    page = signed_in_page(customs_clerk(), locale=locale)
    page.goto("/admin/imports/importrun/")
    expect(page.locator("#content")).not_to_contain_text("court-upload.csv")
    assert page.goto(f"/admin/imports/importrun/{run.pk}/").status == 404
    assert page.request.post(f"/admin/imports/importrun/{run.pk}/confirm/").status in (403, 404)

    # Customs imports its own lists; the court's list is neither offered nor accepted.
    page.goto("/admin/imports/importrun/new/list/")
    offered = page.locator("#id_target option").all_text_contents()
    assert any("Customs" in text or "海关" in text for text in offered), offered
    assert not any("defaulters" in text.lower() or "失信被执行人" in text for text in offered), offered
    assert_page_content_accessible(page)
    token = page.context.cookies()
    csrf = next(cookie["value"] for cookie in token if cookie["name"] == "csrftoken")
    refused = page.request.post(
        "/admin/imports/importrun/new/list/",
        headers={"X-CSRFToken": csrf, "Referer": page.url},
        multipart={
            "target": "court-defaulters",
            "file": {"name": "court.csv", "mimeType": "text/csv", "buffer": csv_bytes([defaulter()])},
        },
    )
    assert refused.status == 400  # the court list is not among the choices (a CSRF refusal would be 403)
    assert ListEntry.objects.count() == 0
