"""The company's own page leads with what to do: listings in force and when they are repairable,
overdue annual reports, applications waiting for a decision, and list entries in the counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from blacklists.models import ListType
from blacklists.services import list_entry_create
from casework.models import RepairApplication
from casework.selectors.to_do import company_to_do
from casework.services import objection_submit
from core.workdays import add_working_days
from filings.selectors import FIRST_REPORT_YEAR, overdue_annual_reports
from registry.services.audit import SYSTEM
from tests.factories import AnnualReportFactory, EnterpriseFactory, PenaltyFactory
from tests.portal.account_helpers import make_user, member

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def entry_on(enterprise, code="gac-dishonest", *, days_ago=400, number="署企信〔2025〕1号"):
    list_type = ListType.objects.get(code=code)
    start = today() - dt.timedelta(days=days_ago)
    return list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        enterprise=enterprise,
        issuing_agency=list_type.owner,
        decision_number=number,
        decision_date=start,
        starts_on=start,
        planned_end=start + dt.timedelta(days=list_type.max_period_days),
    )


def page(client, enterprise, language="en") -> str:
    user = make_user(f"todo-{enterprise.pk}-{language}@example.com")
    member(user, enterprise)
    client.force_login(user)
    response = client.get(
        reverse("portal:company", kwargs={"uscc": enterprise.uscc}), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response.content.decode()


def to_do_block(html: str) -> str:
    start = html.index('id="to-do"')
    return html[start : html.index("</section>", start)]


def test_overdue_reports_are_every_year_owed_since_establishment_without_a_report():
    on = today()
    enterprise = EnterpriseFactory(established=dt.date(on.year - 4, 3, 1))
    AnnualReportFactory(enterprise=enterprise, year=on.year - 3)
    overdue = overdue_annual_reports(enterprise=enterprise, on=on)
    closed = [year for year in range(on.year - 4, on.year) if dt.date(year + 1, 6, 30) < on]
    assert [report.year for report in overdue] == [year for year in closed if year != on.year - 3]
    oldest = overdue[0]
    assert oldest.due_by == dt.date(oldest.year + 1, 6, 30)
    assert oldest.days_overdue == (on - oldest.due_by).days


def test_no_report_is_owed_before_the_first_report_year_nor_by_an_enterprise_not_in_operation():
    on = today()
    old = EnterpriseFactory(established=dt.date(1998, 1, 1))
    years = [report.year for report in overdue_annual_reports(enterprise=old, on=on)]
    assert years[0] == FIRST_REPORT_YEAR
    closed = EnterpriseFactory(established=dt.date(2015, 1, 1), status="revoked")
    assert overdue_annual_reports(enterprise=closed, on=on) == []


def test_a_listing_in_force_says_since_when_and_from_when_it_is_repairable(client):
    enterprise = EnterpriseFactory(established=today().replace(month=1, day=1))
    entry = entry_on(enterprise, days_ago=10)
    html = to_do_block(page(client, enterprise))
    list_type = entry.list_type
    since = date_format(entry.starts_on, "DATE_FORMAT")
    repairable = date_format(entry.starts_on + dt.timedelta(days=list_type.min_period_days), "DATE_FORMAT")
    assert f"On the {list_type.name_en} since {since}, repairable from {repairable}." in html
    assert reverse("portal:list-entry", kwargs={"slug": list_type.code, "pk": entry.pk}) in html
    assert reverse("portal:repair", kwargs={"uscc": enterprise.uscc}) in html
    assert list_type.name_zh not in html


def test_a_listing_repairable_today_links_to_the_application(client):
    enterprise = EnterpriseFactory(established=today().replace(month=1, day=1))
    entry = entry_on(enterprise, days_ago=400)
    html = to_do_block(page(client, enterprise))
    assert "You can apply for repair now." in html
    assert f"{reverse('portal:repair-apply', kwargs={'uscc': enterprise.uscc})}?entry={entry.pk}" in html


def test_a_court_listing_says_it_is_not_repaired_by_application(client):
    enterprise = EnterpriseFactory(established=today().replace(month=1, day=1))
    entry = entry_on(enterprise, code="court-defaulters", days_ago=30, number="(2026)皖0104执1号")
    html = to_do_block(page(client, enterprise))
    assert f"On the {entry.list_type.name_en} since" in html
    assert "repairable from" not in html
    assert "Court lists are not repaired by application" in html


def test_the_chinese_page_says_it_in_chinese(client):
    enterprise = EnterpriseFactory(established=dt.date(today().year - 3, 1, 1))
    entry = entry_on(enterprise, days_ago=10)
    with translation.override("zh-hans"):
        since = date_format(entry.starts_on, "DATE_FORMAT")
    html = to_do_block(page(client, enterprise, "zh-hans"))
    assert f"自{since}起列入{entry.list_type.name_zh}" in html
    assert "需要办理的事项" in html
    assert "逾期未报的年度报告" in html
    assert entry.list_type.name_en not in html


def test_overdue_reports_link_to_each_report_with_how_late_it_is(client):
    on = today()
    enterprise = EnterpriseFactory(established=dt.date(on.year - 3, 1, 1))
    html = to_do_block(page(client, enterprise))
    for report in overdue_annual_reports(enterprise=enterprise, on=on):
        url = reverse("portal:annual-report", kwargs={"uscc": enterprise.uscc, "year": report.year})
        assert f'<a href="{url}">Annual report for {report.year}</a>' in html
        assert f"{report.days_overdue} days" in html


def test_waiting_applications_show_their_due_dates_in_working_days(client):
    enterprise = EnterpriseFactory(established=today().replace(month=1, day=1))
    penalty = PenaltyFactory(enterprise=enterprise)
    user = make_user("objector@example.com")
    member(user, enterprise)
    objection = objection_submit(
        enterprise=enterprise,
        record_type="penalty",
        record_id=penalty.pk,
        reason="The fine was paid.",
        documents=[],
        actor=user,
        via="form",
    )
    # One overdue: submitted long ago, its decision due a week before today.
    late_due = today() - dt.timedelta(days=7)
    RepairApplication.objects.create(
        enterprise=enterprise,
        penalty=penalty,
        agency=penalty.deciding_agency,
        submitted_at=timezone.now() - dt.timedelta(days=40),
        due_on=late_due,
    )
    to_do = company_to_do(enterprise=enterprise, on=today())
    kinds = [item.kind for item in to_do.applications]
    assert kinds == ["repair", "objection"]  # the earliest due first
    assert to_do.applications[0].overdue and not to_do.applications[1].overdue
    html = to_do_block(page(client, enterprise))
    assert f"Objection about {objection.record_summary}" in html
    due = date_format(objection.due_on, "DATE_FORMAT")
    assert f"decision due by {due}, 10 working days left." in html
    assert f"Repair of penalty {penalty.decision_number}" in html
    assert f"the decision was due on {date_format(late_due, 'DATE_FORMAT')}" in html
    assert add_working_days(today(), 10) == objection.due_on


def test_nothing_to_do_is_said_plainly(client):
    on = today()
    enterprise = EnterpriseFactory(established=on.replace(month=1, day=1))
    html = to_do_block(page(client, enterprise))
    assert "Nothing to do" in html


def test_published_counts_include_list_entries_in_force(client):
    enterprise = EnterpriseFactory(established=today().replace(month=1, day=1))
    entry_on(enterprise, days_ago=10)
    entry_on(enterprise, code="court-defaulters", days_ago=30, number="(2026)皖0104执2号")
    html = page(client, enterprise)
    published = html[html.index('id="published"') :]
    assert "<dt>List entries in force</dt><dd>2</dd>" in published


def test_the_page_stays_within_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    enterprise = EnterpriseFactory(established=dt.date(2016, 1, 1))
    user = make_user("bounded@example.com")
    member(user, enterprise)
    for serial in range(4):
        entry_on(enterprise, days_ago=30 + serial, number=f"署企信〔2025〕{serial + 10}号")
        penalty = PenaltyFactory(enterprise=enterprise)
        objection_submit(
            enterprise=enterprise,
            record_type="penalty",
            record_id=penalty.pk,
            reason="Wrong amount.",
            documents=[],
            actor=user,
            via="form",
        )
    client.force_login(user)
    with django_assert_max_num_queries(34):
        response = client.get(reverse("portal:company", kwargs={"uscc": enterprise.uscc}))
    assert response.status_code == 200
    assert response.content.decode().count("Objection about") == 4
