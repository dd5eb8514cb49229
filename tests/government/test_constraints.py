"""The database and full_clean() both refuse a bad government record, assessment or feedback count."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from government.models import AssessmentRound, AssessmentScore, DishonestyRecord, FeedbackStatistic
from tests.factories import (
    AgencyFactory,
    DishonestyRecordFactory,
    EnterpriseFactory,
    GovernmentBodyFactory,
    PersonFactory,
)
from tests.government.helpers import body_listing
from tests.registry.helpers import assert_refused_both_ways

pytestmark = pytest.mark.django_db


def record(**fields) -> DishonestyRecord:
    return DishonestyRecordFactory.build(
        subject=fields.pop("subject", None) or GovernmentBodyFactory(),
        recording_agency=fields.pop("recording_agency", None) or AgencyFactory(kind="court"),
        **fields,
    )


def test_a_complete_court_defaulter_record_is_accepted():
    item = record()
    item.full_clean()
    item.save()
    assert DishonestyRecord.objects.filter(pk=item.pk, kind="court_defaulter").exists()


def test_a_company_cannot_carry_a_government_record_full_clean_and_database():
    item = record(subject=EnterpriseFactory())
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert "not a government body" in str(caught.value)
    # The trigger refuses it even when validation is skipped.
    with pytest.raises(IntegrityError, match="not a government body"), transaction.atomic():
        item.save()


@pytest.mark.parametrize(
    "kind",
    [
        "government_organ",
        "public_institution",
        "mass_organisation",
        "social_organisation",
        "village_committee",
    ],
)
def test_every_public_sector_kind_may_carry_a_record(kind):
    body = GovernmentBodyFactory(entity_type=kind)
    item = record(subject=body)
    item.full_clean()
    item.save()


def test_cleared_before_listed_is_refused():
    assert_refused_both_ways(
        record(cleared_on=dt.date(2026, 2, 1), cleared_how="performed"),
        message="The cleared date cannot come before the listed date.",
    )


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5.00")])
def test_amount_must_be_positive(amount):
    assert_refused_both_ways(record(amount=amount), message="The amount must be a positive RMB amount.")


def test_cleared_how_without_cleared_date_is_refused():
    assert_refused_both_ways(
        record(cleared_how="settled"),
        message="A cleared record says how it was cleared, and only a cleared one.",
    )


def test_cleared_date_without_how_is_refused():
    assert_refused_both_ways(
        record(cleared_on=dt.date(2026, 5, 1)),
        message="A cleared record says how it was cleared, and only a cleared one.",
    )


def test_arrears_need_creditor_amount_and_dates():
    assert_refused_both_ways(
        record(kind="arrears", case_number=""),
        message="Arrears need the creditor enterprise, the amount, the due date",
    )


def test_arrears_overdue_only_after_due_date():
    assert_refused_both_ways(
        record(
            kind="arrears",
            case_number="",
            creditor=EnterpriseFactory(),
            due_on=dt.date(2025, 6, 30),
            overdue_since=dt.date(2025, 6, 30),
        ),
        message="A payment is overdue only after its due date.",
    )


def test_only_arrears_have_a_creditor():
    assert_refused_both_ways(
        record(creditor=EnterpriseFactory()),
        message="Only arrears have a creditor, a due date and a date overdue since.",
    )


def test_a_court_record_needs_its_case_number():
    assert_refused_both_ways(
        record(case_number=""), message="A court judgment or defaulter record needs the court case number."
    )


def test_explanation_needs_text_and_date():
    assert_refused_both_ways(
        record(explanation_text="已书面说明"), message="A written explanation has both its text and its date."
    )


def test_rectification_outcome_needs_a_deadline():
    assert_refused_both_ways(
        record(rectification_outcome="rectified"),
        message="A rectification outcome needs the rectification deadline.",
    )


def test_accountability_needs_count_and_outcome():
    assert_refused_both_ways(
        record(officials_held_accountable=2),
        message="Officials held accountable need their number and the outcome",
    )
    assert_refused_both_ways(
        record(accountability_outcome="admonished"),
        message="Officials held accountable need their number and the outcome",
    )


def test_a_list_entry_only_on_a_defaulter_record():
    body = GovernmentBodyFactory()
    entry = body_listing(body, number="（2026）皖0102执55号")
    assert_refused_both_ways(
        record(subject=body, kind="unperformed_judgment", list_entry=entry),
        message="Only a court-defaulter record links a list entry.",
    )


def test_the_document_number_is_unique_per_agency():
    first = DishonestyRecordFactory()
    assert_refused_both_ways(
        record(recording_agency=first.recording_agency, document_number=first.document_number),
        message="This agency has already recorded a document with this number.",
    )


def test_level_parent_and_principal_only_for_public_bodies():
    for fields in (
        {"level": "county"},
        {"parent_body": GovernmentBodyFactory()},
        {"principal": PersonFactory()},
    ):
        assert_refused_both_ways(
            EnterpriseFactory.build(**fields),
            message="Only a government body or other public-sector subject has a level",
        )


def test_a_body_is_not_its_own_parent():
    body = GovernmentBodyFactory()
    body.parent_body = body
    assert_refused_both_ways(body, message="A body cannot be its own parent body.")


def round_(**fields) -> AssessmentRound:
    defaults = {
        "name_zh": "2026年县级政府诚信评估",
        "name_en": "County government integrity assessment 2026",
        "year": 2026,
        "kind": "third_party",
        "assessor": EnterpriseFactory(),
        "link": "none_declared",
        "published_on": dt.date(2026, 6, 1),
    }
    return AssessmentRound(**{**defaults, **fields})


def test_a_disclosed_link_needs_its_description():
    assert_refused_both_ways(round_(link="disclosed"), message="A disclosed link needs its description")
    assert_refused_both_ways(
        round_(link_description="控股股东为地方国资"), message="A disclosed link needs its description"
    )


def test_a_self_assessment_is_made_by_a_government_body():
    item = round_(kind="self")
    with pytest.raises(ValidationError, match="made by a government body at the level above"):
        item.full_clean()


@pytest.mark.parametrize("score", [Decimal("-0.01"), Decimal("100.01")])
def test_a_score_outside_the_scale_is_refused(score):
    assessment = round_()
    assessment.save()
    fields = dict.fromkeys(
        ["transparency", "new_media", "compliance", "honouring_agreements", "public_opinion"], Decimal("80")
    )
    assert_refused_both_ways(
        AssessmentScore(round=assessment, subject=GovernmentBodyFactory(), **{**fields, "compliance": score}),
        message="Every score is between 0 and 100.",
    )


def test_a_self_assessment_scores_only_bodies_below_the_assessor():
    province = GovernmentBodyFactory(level="provincial")
    assessment = round_(kind="self", assessor=province)
    assessment.full_clean()
    assessment.save()
    fields = dict.fromkeys(
        ["transparency", "new_media", "compliance", "honouring_agreements", "public_opinion"], Decimal("80")
    )
    AssessmentScore(round=assessment, subject=GovernmentBodyFactory(level="county"), **fields).full_clean()
    with pytest.raises(ValidationError, match="at a level above the body assessed"):
        AssessmentScore(
            round=assessment, subject=GovernmentBodyFactory(level="provincial"), **fields
        ).full_clean()


def test_a_feedback_month_is_its_first_day():
    assert_refused_both_ways(
        FeedbackStatistic(
            subject=GovernmentBodyFactory(),
            month=dt.date(2026, 5, 2),
            channel="hotline_12345",
            count=12,
            source_agency=AgencyFactory(),
        ),
        message="A month is given by its first day.",
    )
