"""A small world of government bodies for the page tests: a county government with an open
court-defaulter record and cleared arrears, its finance bureau, a clean township government, an
assessment round by a third party with a disclosed link, and monthly feedback counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from government.models import AssessmentRound, AssessmentScore, FeedbackStatistic
from government.services.dashboard import dashboard_figures_compute
from registry.models import Agency
from tests.factories import (
    AgencyFactory,
    DishonestyRecordFactory,
    EnterpriseFactory,
    GovernmentBodyFactory,
    PersonFactory,
    make_uscc,
)


@dataclass
class World:
    county: object
    bureau: object
    township: object
    company: object
    creditor: object
    court_record: object
    arrears: object
    assessment_round: object
    own_text: list[str] = field(default_factory=list)


def government_world() -> World:
    today = timezone.localdate()
    principal = PersonFactory(name="李县长")
    county = GovernmentBodyFactory(name="示范县人民政府", level="county", principal=principal)
    bureau = GovernmentBodyFactory(name="示范县财政局", level="county", parent_body=county)
    township = GovernmentBodyFactory(
        name="示范县清水镇人民政府",
        level="township",
        parent_body=county,
        uscc=make_uscc("340100", category="11"),
    )
    creditor = EnterpriseFactory(name="示范建筑工程有限公司")
    court = AgencyFactory(
        kind=Agency.Kind.COURT, name_zh="示范县人民法院", name_en="Shifan County People's Court"
    )
    finance = AgencyFactory(
        kind=Agency.Kind.FINANCE, name_zh="示范市财政局", name_en="Shifan Municipal Finance Bureau"
    )
    court_record = DishonestyRecordFactory(
        subject=county,
        recording_agency=court,
        document_number="（2025）皖0102执恢88号",
        case_number="（2025）皖0102执88号",
        facts="拖欠工程款判决未履行",
        listed_on=today - dt.timedelta(days=100),
        amount=Decimal("3200000.00"),
        explanation_text="县政府已制定分期还款计划",
        explanation_on=today - dt.timedelta(days=90),
        rectification_deadline=today + dt.timedelta(days=60),
        officials_held_accountable=2,
        accountability_outcome="admonished",
    )
    arrears = DishonestyRecordFactory(
        subject=bureau,
        recording_agency=finance,
        kind="arrears",
        document_number="示财欠〔2025〕3号",
        case_number="",
        facts="拖欠中小企业货款",
        listed_on=dt.date(2025, 3, 1),
        due_on=dt.date(2025, 1, 1),
        overdue_since=dt.date(2025, 1, 31),
        amount=Decimal("450000.00"),
        creditor=creditor,
        cleared_on=dt.date(2025, 5, 1),
        cleared_how="settled",
    )
    rating = EnterpriseFactory(name="示范信用评级有限公司")
    assessment_round = AssessmentRound.objects.create(
        name_zh="2025年县级政府诚信评价",
        name_en="County government integrity assessment 2025",
        year=2025,
        kind=AssessmentRound.Kind.THIRD_PARTY,
        assessor=rating,
        link=AssessmentRound.Link.DISCLOSED,
        link_description="评级机构股东为市政协委员",
        published_on=dt.date(2026, 6, 1),
        methodology="网站公开、12345热线办理、履约践诺情况",
    )
    for body, base in ((county, 60), (township, 80)):
        AssessmentScore.objects.create(
            round=assessment_round,
            subject=body,
            transparency=Decimal(base),
            new_media=Decimal(base + 5),
            compliance=Decimal(base + 10),
            honouring_agreements=Decimal(base - 10),
            public_opinion=Decimal(base),
        )
    hotline = AgencyFactory(
        kind=Agency.Kind.PARTY_GOVERNMENT, name_zh="示范市12345热线", name_en="Shifan 12345 Hotline"
    )
    this_month = today.replace(day=1)
    for month, count in ((this_month, 31), ((this_month - dt.timedelta(days=1)).replace(day=1), 12)):
        FeedbackStatistic.objects.create(
            subject=county, month=month, channel="hotline_12345", count=count, source_agency=hotline
        )
    FeedbackStatistic.objects.create(
        subject=county, month=dt.date(2025, 4, 1), channel="website", count=7, source_agency=hotline
    )
    company = EnterpriseFactory(name="示范县测试贸易有限公司")
    # What the job queue does after the records are written: the dashboard reads these figures.
    dashboard_figures_compute()
    own_text = [
        county.address, county.name, bureau.name, township.name, creditor.name, rating.name, company.name,
        "李县长",
        court_record.document_number, court_record.case_number, court_record.facts,
        court_record.explanation_text, arrears.document_number, arrears.facts,
        assessment_round.link_description, assessment_round.methodology,
    ]  # fmt: skip
    return World(
        county, bureau, township, company, creditor, court_record, arrears, assessment_round, own_text
    )
