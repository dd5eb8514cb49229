import pytest
from playwright.sync_api import expect

from accounts.models import EnterpriseMembership
from tests.factories import AgencyFactory, EnterpriseFactory
from tests.filings.test_filings import full_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
YEAR = 2025
STEP_FIELDS = {
    "Contact details": ("contact_phone", "email", "postal_address", "postcode"),
    "Operation": ("employees", "female_employees"),
    "Assets and results": (
        "total_assets",
        "total_liabilities",
        "owners_equity",
        "revenue",
        "main_business_revenue",
        "profit",
        "net_profit",
        "tax_paid",
    ),
    "Social insurance": tuple(
        f"{kind}_{scheme}"
        for kind in ("insured", "paid")
        for scheme in ("pension", "medical", "unemployment", "work_injury", "maternity")
    ),
}


def fill_the_report(page):
    """Every step in turn, with the values of a complete report; ends on the check page."""
    data = full_data()
    for title, names in STEP_FIELDS.items():
        expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
        for name in names:
            page.locator(f"#id_{name}").fill(str(data[name]))
        if title == "Operation":
            page.locator("#id_operating_status").select_option("operating")
        if title == "Assets and results":
            page.get_by_label("Do not publish: Total revenue").check()
        page.locator("button[value=continue]").click()
    # The list parts and the attachment may stay empty.
    while page.locator("button[value=continue]").count():
        page.locator("button[value=continue]").click()


def test_file_and_amend_an_annual_report(signed_in_page, django_user_model):
    enterprise = EnterpriseFactory(registration_authority=AgencyFactory())
    user = django_user_model.objects.create_user("filer", password="x")
    EnterpriseMembership.objects.create(user=user, enterprise=enterprise)
    page = signed_in_page(user)
    page.goto(f"/account/enterprises/{enterprise.uscc}/annual-reports/")
    page.get_by_role("link", name=f"Fill in the {YEAR} report").click()

    fill_the_report(page)
    expect(
        page.get_by_role("heading", name="Check your answers before submitting the report")
    ).to_be_visible()
    page.get_by_role("button", name="Submit and publish").click()
    expect(page.get_by_text("The report was submitted late and is now public.")).to_be_visible()

    page.get_by_role("link", name="Change Employees", exact=True).click()
    page.get_by_label("Employees", exact=True).fill("42")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You have changed the report")).to_be_visible()
    page.get_by_label("What the amendment changes").fill("Corrected the headcount")
    page.get_by_role("button", name="Amend the report").click()
    expect(page.get_by_text("The amendment was recorded and is now public.")).to_be_visible()
    history = page.get_by_role("region", name="History")
    expect(history.get_by_text("Corrected the headcount")).to_be_visible()

    page.goto(f"/enterprises/{enterprise.uscc}/")
    reports = page.get_by_role("table", name="Annual reports")
    expect(reports.get_by_role("row", name="Employees").first).to_contain_text("42")
    expect(reports.get_by_role("row", name="Total revenue")).to_contain_text("Not published by the company")
