"""The open-data page in a real browser, in both languages: the snapshot's files listed with their
hashes, a download that matches its hash, the column dictionary opened, and axe-core reporting no
violation of any impact."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from opendata.snapshots import published_snapshots, snapshot_export
from tests.browser.support import axe_violations, describe_violations
from tests.factories import EnterpriseFactory, LicenceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def snapshot(tmp_path, settings):
    settings.OPEN_DATA_ROOT = tmp_path
    LicenceFactory(enterprise=EnterpriseFactory(name="合肥开放数据科技有限公司"))
    snapshot_export(names=["enterprises", "licences"])
    return published_snapshots()[0]


def assert_no_violations(page):
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe_violations(violations)}"


@pytest.mark.parametrize(
    ("locale", "footer_link", "title", "download", "dictionary"),
    [
        (
            "en-US",
            "Open data: bulk downloads",
            "Enterprises and other registered organisations",
            "CSV (gzip)",
            "Column dictionary",
        ),
        ("zh-CN", "开放数据：批量下载", "企业及其他登记主体", "CSV（gzip 压缩）", "字段说明"),
    ],
)
def test_the_open_data_page_from_the_footer(
    new_page, snapshot, locale, footer_link, title, download, dictionary
):
    page = new_page(locale=locale)
    page.goto("/")
    page.get_by_role("link", name=footer_link).click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text(snapshot["snapshot"])
    expect(page.get_by_role("rowheader", name=title).first).to_be_visible()
    enterprises = snapshot["datasets"][0]["files"][0]
    expect(page.get_by_text(enterprises["sha256"])).to_be_visible()
    assert_no_violations(page)

    with page.expect_download() as downloaded:
        # The link's hidden ": <dataset>" is positioned, so a space may precede the colon.
        page.get_by_role("link", name=re.compile(rf"^{re.escape(download)}\s*: {re.escape(title)}$")).click()
    content = Path(downloaded.value.path()).read_bytes()
    assert hashlib.sha256(content).hexdigest() == enterprises["sha256"]

    expect(page.get_by_role("heading", name=dictionary)).to_be_visible()
    page.locator("summary").first.click()
    expect(page.get_by_role("cell", name="uscc", exact=True)).to_be_visible()
    assert_no_violations(page)
