"""The public pages of government integrity: the defaulters dashboard and its CSV, a body's
profile with the sections that apply to it, assessment rounds, and the search filters."""

import csv
import io
import re

import pypdf
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from government.models import DashboardCell, DashboardSnapshot, DishonestyRecord, FeedbackStatistic
from government.selectors.dashboard import DashboardFilters, government_defaulter_rows
from government.selectors.public import body_feedback
from government.services.dashboard import dashboard_figures_compute
from registry.services.search import enterprise_search_document_refresh
from tests.factories import DishonestyRecordFactory
from tests.government.world import government_world
from tests.portal.test_reader_language import CJK, visible_text, without

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    return government_world()


def page(client, url, language="en", status=200):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_dashboard_shows_rows_totals_chart_and_links_to_measures(
    client, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        content = page(client, "/government/defaulters/")
    assert "2 records, 1 of them open, against 1 bodies" in content
    assert "<svg" in content and "Records listed, cleared and open at the end of each year" in content
    assert world.county.name in content and world.bureau.name in content
    assert f"/enterprises/{world.county.uscc}/measures/" in content
    assert "Shifan County People&#x27;s Court" in content or "Shifan County People's Court" in content
    assert "Half of the cleared records were cleared within 61 days." in content  # 1 March to 1 May 2025
    assert world.township.name not in content  # a clean body is not on the dashboard


def test_dashboard_reads_the_stored_figures_and_says_when_they_were_computed(
    client, world, django_assert_max_num_queries
):
    # A record written behind the services' back (no recompute queued): a row at once, in the
    # figures only once the job has run.
    DishonestyRecordFactory(subject=world.township, listed_on=timezone.localdate())
    with django_assert_max_num_queries(6):
        content = page(client, "/government/defaulters/")
    assert "2 records, 1 of them open, against 1 bodies" in content
    assert world.township.name in content.split('id="rows-heading"')[1]
    assert "Figures as of " in content
    dashboard_figures_compute()
    assert "3 records, 2 of them open, against 2 bodies" in page(client, "/government/defaulters/")


def _rows_statement(client, url) -> str:
    with CaptureQueriesContext(connection) as captured:
        page(client, url)
    (statement,) = [
        q["sql"] for q in captured if "government_dishonestyrecord" in q["sql"] and "LIMIT" in q["sql"]
    ]
    return statement


def test_a_filter_set_the_figures_count_few_records_for_is_read_through_the_bodies(client, world):
    # The township has no record in the stored figures: its rows are sorted from the bodies' index,
    # not read by walking the newest-first index past every other body's records ...
    url = "/government/defaulters/?level=township"
    assert '("government_dishonestyrecord"."listed_on" + 0) DESC' in _rows_statement(client, url)
    # ... yet they are still read live: a record the figures do not count yet is a row at once.
    DishonestyRecordFactory(subject=world.township, listed_on=timezone.localdate())
    assert world.township.name in page(client, url).split('id="rows-heading"')[1]
    # Without a filter, or with one most records match (a short walk), or with no figures: the index.
    assert "+ 0" not in _rows_statement(client, "/government/defaulters/")
    assert "+ 0" not in _rows_statement(client, "/government/defaulters/?level=county")
    DashboardSnapshot.objects.all().delete()
    DashboardCell.objects.all().delete()
    assert "+ 0" not in _rows_statement(client, url)


@pytest.mark.parametrize(
    "filters",
    [
        DashboardFilters(),
        DashboardFilters(level="county"),
        DashboardFilters(level="township", body_kind="government_organ"),
        DashboardFilters(open_only=True),
        DashboardFilters(record_kind="arrears", cleared_only=True),
    ],
)
def test_reading_few_rows_through_the_bodies_gives_the_same_rows_in_the_same_order(world, filters):
    for _ in range(3):  # several on one day: the id breaks the tie in both orders
        DishonestyRecordFactory(subject=world.township, listed_on=timezone.localdate())
    indexed = list(government_defaulter_rows(filters=filters).values_list("pk", flat=True))
    sorted_ = list(government_defaulter_rows(filters=filters, few=True).values_list("pk", flat=True))
    assert indexed == sorted_
    assert indexed == sorted(
        indexed, key=lambda pk: (DishonestyRecord.objects.get(pk=pk).listed_on, pk), reverse=True
    )


def test_dashboard_before_any_computation_shows_the_rows_and_says_so(client, world):
    DashboardSnapshot.objects.all().delete()
    DashboardCell.objects.all().delete()
    content = page(client, "/government/defaulters/")
    assert "The figures have not been computed yet" in content and world.county.name in content


def test_dashboard_pages_rows_by_keyset(client, world, monkeypatch):
    monkeypatch.setattr("portal.views.government.ROWS_PER_PAGE", 1)
    first = page(client, "/government/defaulters/")
    rows = first.split('id="rows-heading"')[1]
    assert world.county.name in rows and world.bureau.name not in rows
    after = re.search(r'href="\?[^"]*after=([0-9-]+_[0-9]+)', first).group(1)
    rows = page(client, f"/government/defaulters/?page=2&after={after}").split('id="rows-heading"')[1]
    assert world.bureau.name in rows and world.county.name not in rows and "First page" in rows
    content = page(client, "/government/defaulters/?after=tomorrow", status=400)
    assert "Next page: tomorrow is not a place in the list of records" in content


def test_dashboard_filters_and_their_errors(client, world):
    content = page(client, "/government/defaulters/?state=cleared")
    assert world.bureau.name in content and world.county.name not in content.split('id="rows-heading"')[1]
    content = page(client, "/government/defaulters/?level=mayor", status=400)
    assert "Level of government: mayor is not a level." in content
    content = page(client, "/government/defaulters/?record=court_defaulter")
    assert world.county.name in content.split('id="rows-heading"')[1]
    assert world.bureau.name not in content.split('id="rows-heading"')[1]
    content = page(client, "/government/defaulters/?record=court", status=400)
    assert "Record: court is not a kind of record on this dashboard." in content
    content = page(client, "/government/defaulters/?kind=limited_liability", status=400)
    assert "Kind of body" in content


def test_csv_holds_every_row_with_names_not_codes(client, world):
    response = client.get("/government/defaulters.csv?record=arrears", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Body", "USCC", "Province"]
    assert rows[1:] == [
        [
            world.bureau.name,
            world.bureau.uscc,
            "Anhui",
            "county",
            "government organ",
            "arrears owed to a company",
            "Shifan Municipal Finance Bureau",
            "",
            "示财欠〔2025〕3号",
            "2025-03-01",
            "450000.00",
            "61",
            "2025-05-01",
            "settled",
        ]
    ]


def test_a_body_profile_shows_the_sections_that_apply(client, world):
    content = page(client, f"/enterprises/{world.county.uscc}/")
    for key in ("government_body", "government_records", "government_assessments", "government_feedback"):
        assert f'<section id="{key}"' in content
    for key in ("annual_reports", "shareholders", "abnormal_listings"):
        assert f'<section id="{key}"' not in content
    assert "李县长" in content and world.township.name in content
    assert "2 officials held accountable: admonishment" in content
    assert "County government integrity assessment 2025" in content
    assert ">31<" in content and ">12<" in content  # this month's and last month's hotline counts


def test_a_company_profile_has_no_government_sections(client, world):
    content = page(client, f"/enterprises/{world.company.uscc}/")
    assert 'id="government_records"' not in content and '<section id="annual_reports"' in content


def test_the_round_page_names_assessor_link_and_scores(client, world):
    content = page(client, f"/government/assessments/{world.assessment_round.pk}/")
    assert "link disclosed: " + world.assessment_round.link_description in content
    assert world.county.name in content and world.township.name in content
    assert ">81.00<" in content  # township overall: (80 + 85 + 90 + 70 + 80) / 5
    assert content.index(world.township.name) < content.index(world.county.name)
    assert ">7<" in content  # the county's feedback counted in 2025
    assert "County government integrity assessment 2025" in page(client, "/government/assessments/")
    page(client, "/government/assessments/999999/", status=404)


def test_search_filters_by_kind_and_level(client, world):
    for body in (world.county, world.bureau, world.township, world.company):
        enterprise_search_document_refresh(enterprise=body)
    content = page(client, "/search/?q=示范&level=township")
    assert world.township.name in content and world.county.name not in content
    content = page(client, "/search/?q=示范&kind=government_organ")
    assert world.county.name in content and world.company.name not in content
    assert "Level of government: mayor is not a level." in page(
        client, "/search/?q=示范&level=mayor", status=400
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_both_languages_and_no_chinese_on_english_pages(client, world, language):
    urls = [
        "/government/defaulters/",
        f"/enterprises/{world.county.uscc}/",
        f"/government/assessments/{world.assessment_round.pk}/",
        "/government/assessments/",
    ]
    for url in urls:
        text = visible_text(page(client, url, language))
        if language == "en":
            rest = without(text, world.own_text)
            assert not CJK.search(rest), (url, CJK.findall(rest)[:5])
        else:
            assert "示范县人民法院" in text or url != "/government/defaulters/"
            assert "Shifan" not in text


def test_the_credit_report_of_a_body_holds_its_government_sections(client, world):
    response = client.post(f"/enterprises/{world.county.uscc}/report/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "Government dishonesty records" in text and "Government integrity assessments" in text


def test_the_profile_shows_twelve_months_of_feedback_and_no_more(world):
    today = timezone.localdate()
    hotline = FeedbackStatistic.objects.first().source_agency
    for back in (11, 12):
        index = today.year * 12 + today.month - 1 - back
        month = today.replace(year=index // 12, month=index % 12 + 1, day=1)
        FeedbackStatistic.objects.create(
            subject=world.county, month=month, channel="website", count=back, source_agency=hotline
        )
    months = [item.month for item in body_feedback(body=world.county, on=today)]
    assert len(months) == 3 and months[0] == today.replace(day=1)  # this month, last month, 11 back
