import pytest
from playwright.sync_api import expect

from accounts.models import EnterpriseMembership
from tests.factories import AgencyFactory, EnterpriseFactory
from tests.filings.test_filings import full_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
YEAR = 2025
SCALARS = {
    "Contact phone": "0551-12345678",
    "E-mail": "office@example.com",
    "Postal address": "安徽省合肥市蜀山区长江西路100号",
    "Postcode": "230000",
}


def test_file_and_amend_an_annual_report(signed_in_page, django_user_model):
    enterprise = EnterpriseFactory(registration_authority=AgencyFactory())
    user = django_user_model.objects.create_user("filer", password="x")
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise)
    page = signed_in_page(user)
    page.goto(f"/account/enterprises/{enterprise.uscc}/annual-reports/")
    page.get_by_role("link", name=f"Fill in the {YEAR} report").click()

    data = full_data()
    for label, value in SCALARS.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Operating status").select_option("operating")
    for name, value in data.items():
        if name in ("contact_phone", "email", "postal_address", "postcode", "operating_status"):
            continue
        if isinstance(value, int | str):
            page.locator(f"#id_{name}").fill(str(value))
    page.get_by_label("Do not publish: Total revenue").check()
    page.get_by_role("button", name="Submit and publish").click()
    expect(page.get_by_text("The report was submitted late and is now public.")).to_be_visible()

    page.get_by_label("Employees", exact=True).fill("42")
    page.get_by_label("What the amendment changes").fill("Corrected the headcount")
    page.get_by_role("button", name="Amend the report").click()
    expect(page.get_by_text("The amendment was recorded and is now public.")).to_be_visible()
    history = page.get_by_role("region", name="History")
    expect(history.get_by_text("Corrected the headcount")).to_be_visible()

    page.goto(f"/enterprises/{enterprise.uscc}/")
    reports = page.get_by_role("table", name="Annual reports")
    expect(reports.get_by_role("row", name="Employees").first).to_contain_text("42")
    expect(reports.get_by_role("row", name="Total revenue")).to_contain_text("Not published by the company")
