"""Synthetic government bodies and their integrity records, written through the services.

A province government, its prefectures and their counties (with a finance bureau, a hospital, a
trade union, townships and village committees) in three provinces. Most bodies are clean; some
county governments are on the court-defaulter list (some cleared, some open, with consequences),
some finance bureaus owe companies arrears, a few lost a case or broke a commitment. One
third-party assessment round (with its assessor's link disclosed) and one self-assessment by a
province, and twelve months of 12345 hotline counts for every county government.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from blacklists.models import ListType
from blacklists.services import list_entry_create, normalise_case_number
from core.identifiers import uscc_check_char
from demo.codes import organisation_code
from government.models import AssessmentRound, DishonestyRecord
from government.models.assessments import METRICS
from government.services import (
    assessment_round_create,
    assessment_score_record,
    dishonesty_record_create,
    feedback_statistic_record,
)
from government.services.dashboard import dashboard_figures_compute
from registry.models import Agency, Enterprise, Person, Region
from registry.services import enterprise_create
from registry.services.audit import SYSTEM

PROVINCES = ("340000", "360000", "410000")
PREFECTURES_PER_PROVINCE = 2
COUNTIES_PER_PREFECTURE = 3
# Organisation codes of public bodies start far above the demo companies', so they never collide.
ORGANISATION_OFFSET = 90_000_000
Kind = DishonestyRecord.Kind


class Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        self.today = timezone.localdate()
        self.serial = 0
        self.persons = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:500])
        self.companies = list(
            Enterprise.objects.exclude(entity_type__in=_public_kinds()).order_by("pk")[:300]
        )
        self.counties: list[Enterprise] = []
        self.bureaus: list[Enterprise] = []

    def body(self, *, name, region, category, entity_type, level, parent=None, principal=True) -> Enterprise:
        self.serial += 1
        first17 = (
            f"{category}{region.code}{organisation_code(ORGANISATION_OFFSET + self.serial, modern=False)}"
        )
        person = self.rng.choice(self.persons) if principal and self.persons else None
        return enterprise_create(
            actor=SYSTEM,
            via="command",
            uscc=first17 + uscc_check_char(first17),
            name=name,
            entity_type=entity_type,
            status=Enterprise.Status.IN_OPERATION,
            established=dt.date(1990 + self.rng.randrange(25), 1 + self.rng.randrange(12), 1),
            region=region,
            address=f"{name}办公楼",
            industry="S",
            level=level,
            parent_body=parent,
            principal_id=person,
        )

    def tree(self, province: Region) -> None:
        government = self.body(
            name=f"{province.name_zh}人民政府",
            region=province,
            category="11",
            entity_type="government_organ",
            level="provincial",
        )
        prefectures = list(province.children.filter(level=Region.Level.PREFECTURE).order_by("code"))
        for prefecture in prefectures[:PREFECTURES_PER_PROVINCE]:
            city = self.body(
                name=f"{prefecture.name_zh}人民政府",
                region=prefecture,
                category="11",
                entity_type="government_organ",
                level="prefecture",
                parent=government,
            )
            counties = [c for c in prefecture.children.order_by("code") if not c.name_zh.endswith("市辖区")]
            for county in counties[:COUNTIES_PER_PREFECTURE]:
                self.county(county, city)

    def county(self, region: Region, city: Enterprise) -> None:
        name = region.name_zh
        government = self.body(
            name=f"{name}人民政府",
            region=region,
            category="11",
            entity_type="government_organ",
            level="county",
            parent=city,
        )
        self.counties.append(government)
        common = {"region": region, "level": "county", "parent": government}
        self.bureaus.append(
            self.body(name=f"{name}财政局", category="11", entity_type="government_organ", **common)
        )
        self.body(name=f"{name}人民医院", category="12", entity_type="public_institution", **common)
        self.body(
            name=f"{name}总工会", category="13", entity_type="mass_organisation", principal=False, **common
        )
        town = self.body(
            name=f"{name}城关镇人民政府",
            region=region,
            category="11",
            entity_type="government_organ",
            level="township",
            parent=government,
        )
        self.body(
            name=f"{name}城关镇东街社区居民委员会",
            region=region,
            category="54",
            entity_type="village_committee",
            level="township",
            parent=town,
            principal=False,
        )


def _public_kinds() -> list[str]:
    from registry.models.subjects import GOVERNMENT_KIND_VALUES

    return list(GOVERNMENT_KIND_VALUES)


def _agency(short_code: str, name_zh: str, name_en: str, kind: str, region: Region) -> Agency:
    agency, _created = Agency.objects.get_or_create(
        short_code=short_code,
        defaults={"name_zh": name_zh, "name_en": name_en, "kind": kind, "level": "county", "region": region},
    )
    return agency


def _court_for(region: Region) -> Agency:
    court = Agency.objects.filter(kind=Agency.Kind.COURT, region=region).order_by("pk").first()
    return court or _agency(
        f"demo-court-{region.code}",
        f"{region.name_zh}人民法院",
        f"{region.name_en} People's Court",
        "court",
        region,
    )


def records(builder: Builder) -> int:
    rng, today, made = builder.rng, builder.today, 0
    court_list = ListType.objects.get(code="court-defaulters")
    for number, county in enumerate(builder.counties):
        court = _court_for(county.region)
        share = rng.random()
        if share < 0.3:  # about a third of county governments have been court defaulters
            listed = today - dt.timedelta(days=rng.randrange(60, 1500))
            cleared = share < 0.18
            case = normalise_case_number(f"（{listed.year}）{_abbr(county)}执{100 + number}号")
            if not cleared:
                list_entry_create(
                    actor=SYSTEM,
                    via="command",
                    list_type=court_list,
                    issuing_agency=court,
                    decision_number=case,
                    decision_date=listed,
                    starts_on=listed,
                    enterprise=county,
                )
            fields = {
                "explanation_text": "本级政府已作出书面说明，正在筹措资金履行判决。",
                "explanation_on": min(today, listed + dt.timedelta(days=30)),
                "rectification_deadline": listed + dt.timedelta(days=180),
                "honours_barred_until": listed + dt.timedelta(days=730),
            }
            if cleared:
                days = rng.randrange(20, 400)
                fields |= {
                    "cleared_on": min(today, listed + dt.timedelta(days=days)),
                    "cleared_how": "performed",
                }
                fields["rectification_outcome"] = (
                    "rectified" if fields["rectification_deadline"] <= today else ""
                )
            else:
                fields |= {
                    "officials_held_accountable": 1 + rng.randrange(3),
                    "accountability_outcome": "admonished",
                }
            if fields.get("rectification_outcome") == "" or fields["rectification_deadline"] > today:
                fields.pop("rectification_outcome", None)
            dishonesty_record_create(
                actor=SYSTEM,
                via="command",
                subject=county,
                kind=Kind.COURT_DEFAULTER,
                recording_agency=court,
                document_number=case,
                case_number=case,
                facts="拖欠工程款，生效判决确定的给付义务未履行。",
                listed_on=listed,
                amount=Decimal(rng.randrange(50, 3000)) * 10000,
                **fields,
            )
            made += 1
    for number, bureau in enumerate(builder.bureaus):
        if rng.random() >= 0.25 or not builder.companies:
            continue
        finance = _agency(
            f"demo-finance-{bureau.region_id}",
            f"{bureau.region.name_zh}财政局",
            f"{bureau.region.name_en} Finance Bureau",
            Agency.Kind.FINANCE,
            bureau.region,
        )
        due = today - dt.timedelta(days=rng.randrange(120, 900))
        listed = due + dt.timedelta(days=60)
        cleared = rng.random() < 0.5
        dishonesty_record_create(
            actor=SYSTEM,
            via="command",
            subject=bureau,
            kind=Kind.ARREARS,
            recording_agency=finance,
            document_number=f"欠款〔{listed.year}〕{number + 1}号",
            facts="拖欠民营企业工程款和货款。",
            listed_on=listed,
            amount=Decimal(rng.randrange(20, 800)) * 10000,
            creditor=rng.choice(builder.companies),
            due_on=due,
            overdue_since=due + dt.timedelta(days=1),
            **_cleared(cleared, min(today, listed + dt.timedelta(days=rng.randrange(30, 300))), "settled"),
        )
        made += 1
    for number, county in enumerate(builder.counties[::7]):
        government = _agency(
            f"demo-legal-{county.region_id}",
            f"{county.region.name_zh}人民政府",
            f"{county.region.name_en} People's Government",
            Agency.Kind.PARTY_GOVERNMENT,
            county.region,
        )
        dishonesty_record_create(
            actor=SYSTEM,
            via="command",
            subject=county,
            kind=Kind.BROKEN_COMMITMENT,
            recording_agency=government,
            document_number=f"政诺〔{today.year - 1}〕{number + 1}号",
            facts="招商引资优惠政策承诺未兑现。",
            listed_on=today - dt.timedelta(days=200),
        )
        made += 1
    return made


def _cleared(cleared: bool, on: dt.date, how: str) -> dict:
    return {"cleared_on": on, "cleared_how": how} if cleared else {}


def _abbr(body: Enterprise) -> str:
    return {"34": "皖", "36": "赣", "41": "豫"}.get(body.region_id[:2], "") + body.region_id[2:6]


def assessments(builder: Builder) -> None:
    rng, today = builder.rng, builder.today
    rating = builder.body(
        name="中诚政务信用评价研究院",
        region=builder.counties[0].region,
        category="12",
        entity_type="public_institution",
        level="",
        principal=False,
    )
    third_party = assessment_round_create(
        actor=SYSTEM,
        via="command",
        name_zh=f"{today.year - 1}年县级政府政务诚信第三方评价",
        name_en=f"Third-party assessment of county government integrity, {today.year - 1}",
        year=today.year - 1,
        kind=AssessmentRound.Kind.THIRD_PARTY,
        assessor=rating,
        link=AssessmentRound.Link.DISCLOSED,
        link_description="评价机构的举办单位为省级信用主管部门所属事业单位。",
        published_on=min(today, dt.date(today.year, 3, 15)),
        methodology="政府网站公开、12345热线办理质量、依法行政、履约践诺和舆情五项指标，各100分。",
    )
    for county in builder.counties:
        base = rng.randrange(55, 90)
        scores = {metric: Decimal(min(100, max(0, base + rng.randrange(-12, 12)))) for metric in METRICS}
        assessment_score_record(
            assessment_round=third_party, subject=county, scores=scores, actor=SYSTEM, via="command"
        )
    province = Enterprise.objects.get(level="provincial", region_id=PROVINCES[0])
    own = [county for county in builder.counties if county.region_id.startswith(PROVINCES[0][:2])]
    self_round = assessment_round_create(
        actor=SYSTEM,
        via="command",
        name_zh=f"{province.name}{today.year - 1}年度政务诚信考核",
        name_en=f"Provincial government integrity review of its counties, {today.year - 1}",
        year=today.year - 1,
        kind=AssessmentRound.Kind.SELF_ASSESSMENT,
        assessor=province,
        link=AssessmentRound.Link.NONE_DECLARED,
        published_on=dt.date(today.year - 1, 12, 20),
    )
    for county in own:
        scores = {metric: Decimal(rng.randrange(60, 98)) for metric in METRICS}
        assessment_score_record(
            assessment_round=self_round, subject=county, scores=scores, actor=SYSTEM, via="command"
        )


def feedback(builder: Builder) -> None:
    rng, first = builder.rng, builder.today.replace(day=1)
    months = [first]
    while len(months) < 12:
        months.append((months[-1] - dt.timedelta(days=1)).replace(day=1))
    for county in builder.counties:
        hotline = _agency(
            f"demo-12345-{county.region_id}",
            f"{county.region.name_zh}12345政务服务便民热线",
            f"{county.region.name_en} 12345 Government Service Hotline",
            Agency.Kind.PARTY_GOVERNMENT,
            county.region,
        )
        volume = rng.randrange(80, 1500)
        for month in months:
            for channel, share in (("hotline_12345", 1.0), ("website", 0.2)):
                feedback_statistic_record(
                    subject=county,
                    month=month,
                    channel=channel,
                    count=int(volume * share * rng.uniform(0.7, 1.3)),
                    source_agency=hotline,
                    actor=SYSTEM,
                    via="command",
                )


def generate(*, seed: int) -> dict[str, int]:
    builder = Builder(seed)
    for code in PROVINCES:
        builder.tree(Region.objects.get(code=code))
    made = records(builder)
    assessments(builder)
    feedback(builder)
    # The dashboard's figures, as the job queue computes them after the writes, so the demo shows
    # them without waiting for a worker.
    dashboard_figures_compute()
    bodies = Enterprise.objects.filter(entity_type__in=_public_kinds()).count()
    return {"bodies": bodies, "records": made}
