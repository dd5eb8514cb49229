"""Recording each kind of government record with its consequences, clearing, clerk scope and audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from government.models import DishonestyRecord
from government.services import (
    assessment_round_create,
    assessment_score_record,
    dishonesty_record_clear,
    dishonesty_record_create,
    dishonesty_record_update,
    feedback_statistic_record,
)
from registry.models import Agency, AuditEntry
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory, EnterpriseFactory, GovernmentBodyFactory
from tests.government.helpers import body_listing, clerk_of

pytestmark = pytest.mark.django_db


def audits_of(instance) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(instance)), object_pk=str(instance.pk)
        ).order_by("pk")
    )


def agency(kind: str) -> Agency:
    return AgencyFactory(kind=kind)


def create(actor=SYSTEM, **fields) -> DishonestyRecord:
    defaults = {
        "subject": fields.pop("subject", None) or GovernmentBodyFactory(),
        "facts": "未按约定履行",
        "listed_on": dt.date(2026, 3, 1),
    }
    return dishonesty_record_create(actor=actor, via="admin", **{**defaults, **fields})


def test_an_unperformed_judgment_with_a_written_explanation_and_rectification():
    court = agency("court")
    item = create(
        kind="unperformed_judgment",
        recording_agency=court,
        document_number="（2026）赣0921执恢12号",
        case_number="（2026）赣0921执恢12号",
        amount=Decimal("3000000.00"),
        explanation_text="因财政资金安排滞后未能按期履行，已制定分期履行计划。",
        explanation_on=dt.date(2026, 3, 20),
        rectification_deadline=dt.date(2026, 6, 30),
    )
    # The case number is stored in the court's normalised form.
    assert item.case_number == "(2026)赣0921执恢12号"
    assert item.explanation_on == dt.date(2026, 3, 20) and item.rectification_outcome == ""
    updated = dishonesty_record_update(
        record=item, actor=SYSTEM, via="admin", rectification_outcome="rectified"
    )
    assert updated.rectification_outcome == "rectified"
    assert [entry.action for entry in audits_of(item)] == ["create", "update"]
    assert audits_of(item)[1].changes == {"rectification_outcome": ["", "rectified"]}


def test_a_court_defaulter_record_links_the_courts_listing_of_the_body():
    body = GovernmentBodyFactory()
    entry = body_listing(body, number="(2026)赣0921执33号")
    item = create(
        subject=body,
        kind="court_defaulter",
        recording_agency=agency("court"),
        document_number="(2026)赣0921执33号",
        case_number="（2026）赣0921执33号",
        amount=Decimal("300000000.00"),
    )
    assert item.list_entry == entry


def test_a_court_defaulter_record_without_a_listing_links_nothing():
    item = create(
        kind="court_defaulter",
        recording_agency=agency("court"),
        document_number="(2026)赣0921执34号",
        case_number="(2026)赣0921执34号",
    )
    assert item.list_entry is None


def test_a_bad_case_number_is_refused_by_name():
    with pytest.raises(ValidationError) as caught:
        create(
            kind="court_defaulter",
            recording_agency=agency("court"),
            document_number="X-1",
            case_number="执行12号",
        )
    assert "is not a case number like" in str(caught.value)
    assert not DishonestyRecord.objects.exists()


def test_arrears_owed_to_a_company_then_settled():
    creditor = EnterpriseFactory()
    item = create(
        kind="arrears",
        recording_agency=agency("finance"),
        document_number="赣财清欠〔2026〕5号",
        creditor=creditor,
        amount=Decimal("4500000.00"),
        due_on=dt.date(2024, 12, 31),
        overdue_since=dt.date(2025, 1, 1),
    )
    assert item.creditor == creditor and not item.is_cleared
    cleared = dishonesty_record_clear(
        record=item, actor=SYSTEM, via="admin", cleared_on=dt.date(2026, 9, 1), cleared_how="settled"
    )
    assert cleared.cleared_on == dt.date(2026, 9, 1) and cleared.cleared_how == "settled"
    with pytest.raises(ValidationError, match="already cleared"):
        dishonesty_record_clear(
            record=cleared, actor=SYSTEM, via="admin", cleared_on=dt.date(2026, 9, 2), cleared_how="performed"
        )
    assert audits_of(item)[-1].changes == {
        "cleared_on": [None, "2026-09-01"],
        "cleared_how": ["", "settled"],
    }


def test_a_correction_cannot_clear_a_record():
    item = create(
        kind="broken_commitment",
        recording_agency=agency("credit_office"),
        document_number="信用办〔2026〕1号",
    )
    with pytest.raises(ValidationError, match="no writable field cleared_on"):
        dishonesty_record_update(
            record=item, actor=SYSTEM, via="admin", cleared_on=dt.date(2026, 5, 1), cleared_how="revoked"
        )


def test_a_broken_commitment_barred_from_honours():
    item = create(
        kind="broken_commitment",
        recording_agency=agency("government"),
        document_number="政法复〔2026〕2号",
        facts="招商引资协议约定的奖励资金未兑现",
        honours_barred_until=dt.date(2027, 12, 31),
    )
    assert item.honours_barred_until == dt.date(2027, 12, 31)


def test_a_lost_case_revoked_later():
    item = create(
        kind="lost_case",
        recording_agency=agency("court"),
        document_number="（2025）赣09行终8号",
        facts="行政强制拆除行为被确认违法",
        listed_on=dt.date(2025, 10, 1),
    )
    cleared = dishonesty_record_clear(
        record=item, actor=SYSTEM, via="admin", cleared_on=dt.date(2026, 1, 15), cleared_how="revoked"
    )
    assert cleared.get_cleared_how_display() == "revoked"


def test_a_disciplinary_finding_counts_officials_without_naming_them():
    item = create(
        kind="disciplinary_finding",
        recording_agency=agency("discipline"),
        document_number="赣纪通〔2026〕3号",
        officials_held_accountable=3,
        accountability_outcome="admonished",
    )
    assert item.officials_held_accountable == 3
    # Nothing on the record can hold an official's name or ID: counts and an outcome only.
    assert not {f.name for f in DishonestyRecord._meta.fields} & {"official", "officials", "person"}


def test_a_company_cannot_be_given_a_government_record_and_nothing_is_written():
    with pytest.raises(ValidationError, match="not a government body"):
        create(
            subject=EnterpriseFactory(),
            kind="broken_commitment",
            recording_agency=agency("credit_office"),
            document_number="信用办〔2026〕9号",
        )
    assert not DishonestyRecord.objects.exists() and not AuditEntry.objects.filter(action="create").exists()


def test_cleared_before_listed_and_future_dates_are_refused():
    court = agency("court")
    with pytest.raises(ValidationError, match="cannot come before the listed date"):
        create(
            kind="lost_case",
            recording_agency=court,
            document_number="(2025)赣09行终9号",
            cleared_on=dt.date(2026, 1, 1),
            cleared_how="performed",
        )
    with pytest.raises(ValidationError, match="cannot be in the future"):
        create(
            kind="lost_case",
            recording_agency=court,
            document_number="(2025)赣09行终10号",
            listed_on=dt.date(2099, 1, 1),
        )
    assert not DishonestyRecord.objects.exists()


def test_a_clerk_records_only_as_their_agency_and_only_its_kinds():
    court, finance = agency("court"), agency("finance")
    court_clerk = clerk_of(court)
    item = create(
        actor=court_clerk,
        kind="lost_case",
        recording_agency=court,
        document_number="(2026)赣09行终1号",
    )
    assert item.recording_agency == court
    with pytest.raises(PermissionDenied, match="Only clerks of"):
        create(
            actor=court_clerk,
            kind="arrears",
            recording_agency=finance,
            document_number="赣财〔2026〕1号",
            creditor=EnterpriseFactory(),
            amount=Decimal("1.00"),
            due_on=dt.date(2025, 1, 1),
            overdue_since=dt.date(2025, 1, 2),
        )
    with pytest.raises(PermissionDenied, match="does not keep records of this kind"):
        create(
            actor=court_clerk, kind="disciplinary_finding", recording_agency=court, document_number="纪1号"
        )
    finance_clerk = clerk_of(finance)
    with pytest.raises(PermissionDenied):
        dishonesty_record_update(record=item, actor=finance_clerk, via="admin", facts="改")
    with pytest.raises(PermissionDenied, match="cannot move a record"):
        dishonesty_record_update(record=item, actor=court_clerk, via="admin", recording_agency=finance)


def test_assessment_round_scores_and_feedback_counts_are_audited():
    office = agency("credit_office")
    clerk = clerk_of(office)
    assessment = assessment_round_create(
        actor=clerk,
        via="admin",
        name_zh="2026年县级政府诚信第三方评估",
        name_en="Third-party county government integrity assessment 2026",
        year=2026,
        kind="third_party",
        assessor=EnterpriseFactory(name="测试信用评级有限公司"),
        link="disclosed",
        link_description="评估机构的控股股东由省财政厅出资设立",
        published_on=dt.date(2026, 6, 1),
    )
    body = GovernmentBodyFactory()
    scores = {
        "transparency": Decimal("82.5"),
        "new_media": Decimal("70"),
        "compliance": Decimal("91"),
        "honouring_agreements": Decimal("64"),
        "public_opinion": Decimal("77.5"),
    }
    score = assessment_score_record(
        assessment_round=assessment, subject=body, scores=scores, actor=clerk, via="admin"
    )
    assert score.overall == Decimal("77.00")
    again = assessment_score_record(
        assessment_round=assessment,
        subject=body,
        scores={**scores, "compliance": Decimal("90")},
        actor=clerk,
        via="admin",
    )
    assert again.pk == score.pk and again.compliance == Decimal("90")
    with pytest.raises(ValidationError, match="between 0 and 100"):
        assessment_score_record(
            assessment_round=assessment,
            subject=GovernmentBodyFactory(),
            scores={**scores, "public_opinion": Decimal("120")},
            actor=clerk,
            via="admin",
        )
    counted = feedback_statistic_record(
        subject=body,
        month=dt.date(2026, 9, 1),
        channel="hotline_12345",
        count=41,
        source_agency=office,
        actor=clerk,
        via="admin",
    )
    assert counted.count == 41
    assert [a.action for a in audits_of(score)] == ["create", "update"]
    assert audits_of(counted)[0].action == "create"
    with pytest.raises(PermissionDenied):
        feedback_statistic_record(
            subject=body,
            month=dt.date(2026, 9, 1),
            channel="website",
            count=1,
            source_agency=office,
            actor=clerk_of(agency("court")),
            via="admin",
        )
