"""Factories for test set-up. They write rows directly; tests of behaviour use the services."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import factory

from core.identifiers import (
    mask_resident_id,
    organisation_code_check_char,
    resident_id_check_char,
    uscc_check_char,
)
from core.privacy import resident_id_hash
from filings.models import CreditCommitment, InstantDisclosure
from registry import models

_serial = itertools.count(1)


def make_uscc(region: str = "340100", serial: int | None = None, *, category: str = "91") -> str:
    body8 = f"{(serial if serial is not None else next(_serial)) % 10**8:08d}"
    first17 = f"{category}{region}{body8}{organisation_code_check_char(body8)}"
    return first17 + uscc_check_char(first17)


def with_wrong_check_char(code: str) -> str:
    wrong = "0" if code[17] != "0" else "1"
    return code[:17] + wrong


def make_resident_id(region: str = "340100", birth: str = "19800101", serial: int | None = None) -> str:
    first17 = f"{region}{birth}{(serial if serial is not None else next(_serial)) % 1000:03d}"
    return first17 + resident_id_check_char(first17)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Agency

    name_zh = factory.Sequence(lambda n: f"测试市场监督管理局{n}")
    name_en = factory.Sequence(lambda n: f"Test Administration for Market Regulation {n}")
    short_code = factory.Sequence(lambda n: f"test-agency-{n}")
    level = models.Agency.Level.PREFECTURE
    kind = models.Agency.Kind.MARKET_REGULATION
    region_id = "340100"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Person

    class Params:
        id_number = factory.LazyFunction(make_resident_id)

    name = factory.Sequence(lambda n: f"张{'伟芳娜敏静丽强磊军洋'[n % 10]}")
    id_hash = factory.LazyAttribute(lambda o: resident_id_hash(o.id_number))
    id_masked = factory.LazyAttribute(lambda o: mask_resident_id(o.id_number))
    sex = factory.LazyAttribute(lambda o: "M" if int(o.id_number[16]) % 2 else "F")
    birth_year = factory.LazyAttribute(lambda o: int(o.id_number[6:10]))


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Enterprise

    uscc = factory.LazyFunction(make_uscc)
    name = factory.Sequence(lambda n: f"合肥测试{n}科技有限公司")
    entity_type = models.Enterprise.EntityType.LIMITED_LIABILITY
    legal_representative = "张伟"
    registered_capital = Decimal("1000000.00")
    established = dt.date(2015, 6, 1)
    status = models.Enterprise.Status.IN_OPERATION
    address = "安徽省合肥市蜀山区长江西路100号"
    business_scope = "软件开发；信息技术咨询服务"
    region_id = "340100"
    industry = "I"


class RecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    source_agency = factory.SubFactory(AgencyFactory)


class ShareholderFactory(RecordFactory):
    class Meta:
        model = models.Shareholder

    kind = "other"
    name = factory.Sequence(lambda n: f"股东{n}")
    subscribed_capital = Decimal("500000")
    paid_in_capital = Decimal("100000")


class KeyPersonnelFactory(RecordFactory):
    class Meta:
        model = models.KeyPersonnel

    name = "李娜"
    role = models.KeyPersonnel.Role.DIRECTOR


class PenaltyFactory(RecordFactory):
    class Meta:
        model = models.AdministrativePenalty

    decision_number = factory.Sequence(lambda n: f"合市监罚〔2024〕{n}号")
    violation = "虚假宣传"
    content = "罚款人民币五万元"
    fine_amount = Decimal("50000")
    decided_on = dt.date(2024, 3, 1)
    deciding_agency = factory.SelfAttribute("source_agency")


class AnnualReportFactory(RecordFactory):
    class Meta:
        model = models.AnnualReport

    year = 2024
    submitted_at = factory.LazyFunction(lambda: dt.datetime(2025, 4, 1, 9, 0, tzinfo=dt.UTC))
    employees = 25
    total_assets = Decimal("3000000")
    revenue = Decimal("5000000")
    contact_phone = "0551-12345678"


class ContributionRecordFactory(RecordFactory):
    class Meta:
        model = models.ContributionRecord

    scheme = models.ContributionRecord.Scheme.PENSION
    year = 2024
    month = factory.Sequence(lambda n: n % 12 + 1)
    insured_count = 20
    amount_due = Decimal("30000")
    amount_paid = Decimal("30000")


class TaxRecordFactory(RecordFactory):
    class Meta:
        model = models.TaxRecord

    tax_type = "增值税"
    period_start = dt.date(2024, 1, 1)
    period_end = dt.date(2024, 3, 31)
    tax_rate = Decimal("13")
    amount_paid = Decimal("120000")
    amount_owed = Decimal("0")
    credit_grade = "A"


class UtilityArrearFactory(RecordFactory):
    class Meta:
        model = models.UtilityArrear

    utility = "electricity"
    supplier = "国网安徽省电力有限公司"
    amount = Decimal("8800")
    overdue_since = dt.date(2024, 5, 1)


class AbnormalListingFactory(RecordFactory):
    class Meta:
        model = models.AbnormalOperationListing

    reason = models.AbnormalOperationListing.Reason.ANNUAL_REPORT_NOT_FILED
    listed_on = dt.date(2024, 7, 1)
    listing_agency = factory.SelfAttribute("source_agency")


class BranchFactory(RecordFactory):
    class Meta:
        model = models.Branch

    name = factory.Sequence(lambda n: f"合肥测试科技有限公司第{n}分公司")
    region_id = "340100"
    established = dt.date(2018, 3, 1)


class ChangeRecordFactory(RecordFactory):
    class Meta:
        model = models.ChangeRecord

    item = "注册资本"
    before = "100万元"
    after = "200万元"
    changed_on = dt.date(2022, 5, 10)


class LicenceFactory(RecordFactory):
    class Meta:
        model = models.AdministrativeLicence

    licence_number = factory.Sequence(lambda n: f"JY134010{n:06d}")
    name = "食品经营许可证"
    content = "预包装食品销售"
    issuing_agency = factory.SelfAttribute("source_agency")
    valid_from = dt.date(2023, 1, 1)
    valid_to = dt.date(2028, 1, 1)


class InspectionFactory(RecordFactory):
    class Meta:
        model = models.InspectionRecord

    inspecting_agency = factory.SelfAttribute("source_agency")
    kind = models.InspectionRecord.Kind.DOUBLE_RANDOM
    inspected_on = dt.date(2024, 9, 12)
    result = models.InspectionRecord.Result.NO_PROBLEM


class AwardFactory(RecordFactory):
    class Meta:
        model = models.Award

    title = "守合同重信用企业"
    awarding_agency = factory.SelfAttribute("source_agency")
    awarded_on = dt.date(2023, 12, 1)


class CreditCommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditCommitment

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = CreditCommitment.Kind.VOLUNTARY
    title = "信用承诺书"
    text = "本企业承诺所提交材料真实有效，守法诚信经营。"
    signed_on = dt.date(2024, 2, 1)
    signer_name = "张伟"
    source_agency = factory.SubFactory(AgencyFactory)


def report_number(serial: int, day: str = "20261126") -> str:
    """A well-formed credit report number, distinct for each serial."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    digits = ""
    for _position in range(8):
        serial, digit = divmod(serial, len(alphabet))
        digits = alphabet[digit] + digits
    return f"CR-{day}-{digits[:4]}-{digits[4:]}"


def sha256_hex(content: bytes) -> str:
    import hashlib

    return hashlib.sha256(content).hexdigest()


class CreditReportFactory(factory.django.DjangoModelFactory):
    """An issued credit report row; ``content`` stands for the PDF bytes whose hash it records."""

    class Meta:
        model = "portal.CreditReport"

    class Params:
        content = b"%PDF-1.4 synthetic credit report\n%%EOF\n"

    number = factory.Sequence(lambda n: report_number(n + 1000))
    enterprise = factory.SubFactory(EnterpriseFactory)
    uscc = factory.SelfAttribute("enterprise.uscc")
    name = factory.SelfAttribute("enterprise.name")
    language = "zh-hans"
    sha256 = factory.LazyAttribute(lambda o: sha256_hex(o.content))
    size_bytes = factory.LazyAttribute(lambda o: len(o.content))


class SubjectEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SubjectEvent

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = models.SubjectEvent.Kind.PUBLISHED
    record_type = models.SubjectEvent.RecordType.PENALTY
    record_id = factory.Sequence(lambda n: n + 1)
    summary = "合肥市市场监督管理局 合市监罚〔2024〕1号"


class OutboundMailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.OutboundMail

    to = factory.Sequence(lambda n: f"company{n}@example.com")
    subject = "A record was published about your company"
    body = "See your inbox on the portal."
    next_attempt_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))


class InstantDisclosureFactory(factory.django.DjangoModelFactory):
    """A penalty the company disclosed itself on time (the fact on 2 March 2026, due 30 March)."""

    class Meta:
        model = InstantDisclosure

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = InstantDisclosure.Kind.PENALTY
    occurred_on = dt.date(2026, 3, 2)
    due_on = dt.date(2026, 3, 30)
    details = factory.LazyFunction(
        lambda: {
            "decision_number": "合市监罚〔2026〕7号",
            "violation": "虚假宣传",
            "content": "罚款一万元",
            "authority": "合肥市市场监督管理局",
        }
    )
    published_on = dt.date(2026, 3, 10)
    published_at = factory.LazyFunction(lambda: dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC))


def member_of(enterprise, username: str | None = None, role: str = "filer", *, user=None):
    """A user who acts for ``enterprise`` (company self-service services refuse anyone else)."""
    from django.contrib.auth import get_user_model

    from accounts.models import EnterpriseMembership

    if user is None:
        user, _ = get_user_model().objects.get_or_create(username=username or f"member-{enterprise.pk}")
    EnterpriseMembership.objects.get_or_create(user=user, enterprise=enterprise, defaults={"role": role})
    return user


class GovernmentBodyFactory(EnterpriseFactory):
    """A county people's government: an organ (USCC 11…) with its level."""

    uscc = factory.LazyFunction(lambda: make_uscc("340100", category="11"))
    name = factory.Sequence(lambda n: f"测试县{n}人民政府")
    entity_type = models.Enterprise.EntityType.GOVERNMENT_ORGAN
    legal_representative = ""
    registered_capital = None
    business_scope = ""
    industry = "S"
    level = models.Enterprise.Level.COUNTY


class DishonestyRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "government.DishonestyRecord"

    subject = factory.SubFactory(GovernmentBodyFactory)
    kind = "court_defaulter"
    recording_agency = factory.SubFactory(
        AgencyFactory, kind=models.Agency.Kind.COURT, name_zh=factory.Sequence(lambda n: f"测试人民法院{n}")
    )
    document_number = factory.Sequence(lambda n: f"（2026）皖0102执{n}号")
    case_number = factory.Sequence(lambda n: f"（2026）皖0102执{n}号")
    facts = "未履行生效判决确定的给付义务"
    listed_on = dt.date(2026, 3, 1)
    amount = Decimal("1250000.00")
