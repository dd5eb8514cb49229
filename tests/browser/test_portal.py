"""The public portal in a real browser: search, profile, language, credit report, keyboard, layout, axe.

Chromium drives the pytest-django live server; the data each test needs is created with the
factories inside the test (a transactional database, so the server thread sees it).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from registry.services import enterprise_search_document_refresh
from tests.browser.conftest import PHONE
from tests.browser.support import (
    FOCUS_STYLE_JS,
    OVERFLOW_JS,
    axe_check,
    describe_violations,
    has_visible_focus,
)
from tests.factories import (
    AbnormalListingFactory,
    AnnualReportFactory,
    EnterpriseFactory,
    PenaltyFactory,
    ShareholderFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
# The home page has one box over everything (enterprises, list subjects, court defaulters).
SEARCH_BOX = re.compile("Name, USCC, ID number or case number")


def indexed(**fields):
    enterprise = EnterpriseFactory(**fields)
    enterprise_search_document_refresh(enterprise=enterprise)
    return enterprise


@pytest.fixture
def enterprise():
    indexed(name="芜湖长江物流有限公司", region_id="340200")
    found = indexed(name="合肥星河信息科技有限公司", legal_representative="王芳")
    ShareholderFactory(enterprise=found, name="安徽星河投资有限公司")
    AnnualReportFactory(enterprise=found, year=2024)
    PenaltyFactory(enterprise=found, decision_number="合市监罚〔2024〕88号")
    AbnormalListingFactory(enterprise=found)
    return found


def search_from_home(page, text):
    page.goto("/")
    page.get_by_role("searchbox", name=SEARCH_BOX).fill(text)
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state()


def assert_no_serious_violations(page):
    violations = axe_check(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


def test_search_by_name_from_the_home_page_and_open_the_result(page, enterprise):
    search_from_home(page, "星河")
    expect(page).to_have_url(re.compile(r"/search/all/\?q="))
    results = page.get_by_role("table", name="Enterprises found")
    expect(results.get_by_role("link", name=enterprise.name)).to_be_visible()
    expect(results).not_to_contain_text("芜湖长江物流有限公司")
    expect(results).to_contain_text(enterprise.uscc)
    results.get_by_role("link", name=enterprise.name).click()
    expect(page).to_have_url(re.compile(rf"/enterprises/{enterprise.uscc}/$"))


def test_search_by_uscc_shows_that_enterprise(page, enterprise):
    search_from_home(page, enterprise.uscc.lower())
    if f"/enterprises/{enterprise.uscc}/" in page.url:  # straight to the profile
        expect(page.get_by_role("heading", level=1)).to_have_text(enterprise.name)
    else:  # or a single result
        results = page.get_by_role("table", name="Enterprises found")
        expect(results.get_by_role("row")).to_have_count(2)  # the header and the one enterprise
        expect(results.get_by_role("link", name=enterprise.name)).to_be_visible()
        expect(results).not_to_contain_text("芜湖长江物流有限公司")


def section(page, title):
    """The profile section under the heading ``title``."""
    return page.locator("section").filter(has=page.get_by_role("heading", level=2, name=title, exact=True))


def test_profile_shows_its_sections(page, enterprise):
    page.goto(f"/enterprises/{enterprise.uscc}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(enterprise.name)
    expect(page.locator(".page-header")).to_contain_text(enterprise.uscc)
    contents = page.get_by_role("navigation", name="Contents")
    for title in (
        "Business licence",
        "Shareholders and capital contributions",
        "Annual reports",
        "Administrative penalties",
        "Abnormal operations",
    ):
        expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
        expect(contents.get_by_role("link", name=title)).to_be_visible()
    licence = section(page, "Business licence")
    expect(licence).to_contain_text("王芳")
    shareholders = section(page, "Shareholders and capital contributions")
    expect(shareholders.get_by_role("table")).to_contain_text("安徽星河投资有限公司")
    penalties = section(page, "Administrative penalties")
    expect(penalties).to_contain_text("合市监罚〔2024〕88号")
    contents.get_by_role("link", name="Administrative penalties").click()
    expect(page).to_have_url(re.compile(r"#penalties$"))
    expect(page.get_by_role("button", name="Download credit report")).to_be_visible()


def test_credit_report_downloads_and_verifies(page, enterprise, tmp_path):
    page.goto(f"/enterprises/{enterprise.uscc}/")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download credit report").click()
    download = download_info.value
    match = re.fullmatch(
        rf"credit-report-{enterprise.uscc}-(CR-[0-9A-Z-]+)\.pdf", download.suggested_filename
    )
    assert match, download.suggested_filename
    number = match.group(1)
    original = tmp_path / download.suggested_filename
    download.save_as(original)
    assert original.read_bytes().startswith(b"%PDF-")

    page.goto(f"/reports/{number}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    page.get_by_label("PDF file to check").set_input_files(original)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("status")).to_contain_text("Verified: this file is exactly the issued report")

    altered = tmp_path / "altered.pdf"
    altered.write_bytes(original.read_bytes() + b"\n% one more line\n")
    page.get_by_label("PDF file to check").set_input_files(altered)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("Not verified: this file is not the issued report")
    expect(page.get_by_role("status")).to_have_count(0)
    assert_no_serious_violations(page)


def test_language_switch_changes_the_text_and_sticks(page, enterprise):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Public credit information")
    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("公共信用信息")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.goto("/defaulters/")  # the browser still asks for English: the choice must stick
    expect(page.get_by_role("heading", level=1)).to_have_text("失信被执行人查询")
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page).to_have_url(re.compile(r"/defaulters/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Court-defaulter search")


def focused(page):
    return page.evaluate(FOCUS_STYLE_JS)


def press_until(page, key, reached, *, limit=15):
    """Press ``key`` until ``reached(style)``; every element focused on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        style = focused(page)
        assert has_visible_focus(style), style
        if reached(style):
            return style
    pytest.fail(f"{key} never reached the element; the focus ended on {focused(page)}")


def is_skip_link(style):
    return style["text"] == "Skip to content"


def is_search_box(style):
    return style["id"] in {"id_q", "id_box_q"}


def test_keyboard_reaches_skip_link_and_search_box_with_visible_focus(page, enterprise):
    page.goto("/search/")
    press_until(page, "Tab", is_skip_link, limit=1)
    page.keyboard.press("Enter")  # the skip link moves on to the page's content
    expect(page).to_have_url(re.compile("#main$"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    assert has_visible_focus(focused(page))
    page.goto("/search/")
    press_until(page, "Tab", is_skip_link, limit=1)
    press_until(page, "Tab", is_search_box)

    page.goto("/")
    if page.locator("#id_box_q[autofocus]").count():  # the home page starts in the search box
        expect(page.locator("#id_box_q")).to_be_focused()
        assert has_visible_focus(focused(page))
        press_until(page, "Shift+Tab", is_skip_link)
    else:
        press_until(page, "Tab", is_skip_link, limit=1)
        press_until(page, "Tab", is_search_box)


def profile(enterprise):
    return f"/enterprises/{enterprise.uscc}/"


@pytest.mark.parametrize("path", ["/", "/search/?q=星河", profile])
def test_no_horizontal_scroll_and_no_axe_violation_at_360_px(new_page, enterprise, path):
    page = new_page(viewport=PHONE)
    page.goto(path(enterprise) if callable(path) else path)
    layout = page.evaluate(OVERFLOW_JS, PHONE["width"])
    assert layout["width"] <= PHONE["width"], f"{path} at {PHONE['width']}px: {layout}"
    assert_no_serious_violations(page)  # sideways-scrolling tables must be reachable by keyboard


@pytest.mark.parametrize(
    "path",
    ["/", "/search/?q=星河", profile, "/defaulters/", "/defaulters/?q=张伟", "/rewards-and-punishments/"],
)
def test_axe_finds_no_serious_violations(page, enterprise, path):
    page.goto(path(enterprise) if callable(path) else path)
    assert_no_serious_violations(page)


def test_axe_finds_no_serious_violations_in_chinese(new_page, enterprise):
    page = new_page(locale="zh-CN")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert_no_serious_violations(page)
    page.goto(profile(enterprise))
    assert_no_serious_violations(page)


def test_screenshot_script_writes_small_pngs(browser, live_server, enterprise, tmp_path):
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    screenshots = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(screenshots)
    written = screenshots.take(
        browser, base_url=live_server.url, uscc=None, query="星河", locale="en-US", out=tmp_path
    )
    assert [path.name for path, _ in written] == [
        "home-desktop.png",
        "profile-desktop.png",
        "profile-phone.png",
    ]
    for path, size in written:
        assert path.read_bytes().startswith(b"\x89PNG") and 0 < size <= screenshots.MAX_BYTES
