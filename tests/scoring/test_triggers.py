import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AgencyMembership
from registry.models import Agency, SubjectEvent
from registry.services.audit import SYSTEM
from scoring.models import AlertListEntry, BriefingInvitation, WarningInterview
from scoring.services import evaluation_run_all, evaluation_run_for
from scoring.services.interviews import warning_interview_record
from tests.factories import AgencyFactory, EnterpriseFactory
from tests.scoring.helpers import company, penalise, reported, three_areas, today

pytestmark = pytest.mark.django_db


def events(enterprise, record_type):
    return list(SubjectEvent.objects.filter(enterprise=enterprise, record_type=record_type).order_by("id"))


def test_grade_c_invites_to_a_briefing_once(default_rule_sets):
    enterprise = company()
    penalise(enterprise, "50000")
    penalise(enterprise, "50000")  # 100 - 8 - 8 = 84: C
    evaluation = evaluation_run_for(enterprise=enterprise)
    assert evaluation.grade == "C"
    invitation = BriefingInvitation.objects.get(enterprise=enterprise)
    assert invitation.evaluation == evaluation
    assert invitation.agency == enterprise.registration_authority
    [event] = events(enterprise, "briefing")
    assert event.kind == "published" and event.record_id == invitation.pk
    # Still C at the next evaluation: no second invitation.
    evaluation_run_for(enterprise=enterprise)
    assert BriefingInvitation.objects.filter(enterprise=enterprise).count() == 1
    assert len(events(enterprise, "briefing")) == 1


def test_grade_b_triggers_nothing(default_rule_sets):
    enterprise = company()
    penalise(enterprise, "5000")  # 98: B
    assert evaluation_run_for(enterprise=enterprise).grade == "B"
    assert not BriefingInvitation.objects.filter(enterprise=enterprise).exists()
    assert not WarningInterview.objects.filter(enterprise=enterprise).exists()


def test_grade_d_opens_a_warning_interview_for_the_local_office(default_rule_sets):
    enterprise = company()
    penalise(enterprise, "200000")
    penalise(enterprise, "200000")  # 100 - 20 - 20 = 60: D
    evaluation = evaluation_run_for(enterprise=enterprise)
    assert evaluation.grade == "D"
    interview = WarningInterview.objects.get(enterprise=enterprise)
    assert interview.is_pending and interview.evaluation == evaluation
    assert interview.agency == enterprise.registration_authority
    assert [event.kind for event in events(enterprise, "warning_interview")] == ["published"]
    evaluation_run_for(enterprise=enterprise)
    assert WarningInterview.objects.filter(enterprise=enterprise).count() == 1


def test_without_registration_authority_the_county_bureau_of_the_region_holds_it(default_rule_sets):
    bureau = (
        Agency.objects.filter(region_id="340104", kind=Agency.Kind.MARKET_REGULATION).order_by("id").first()
    )
    assert bureau is not None  # the reference data's bureau of the district
    enterprise = reported(EnterpriseFactory(established=dt.date(2010, 1, 1), region_id="340104"))
    penalise(enterprise, "200000")
    penalise(enterprise, "200000")
    evaluation_run_for(enterprise=enterprise)
    assert WarningInterview.objects.get(enterprise=enterprise).agency == bureau


def test_the_full_run_triggers_set_based(default_rule_sets):
    c_company, d_company = company(), company()
    penalise(c_company, "50000")
    penalise(c_company, "50000")
    penalise(d_company, "200000")
    penalise(d_company, "200000")
    evaluation_run_all(actor=SYSTEM)
    assert BriefingInvitation.objects.filter(enterprise=c_company).count() == 1
    assert WarningInterview.objects.filter(enterprise=d_company).count() == 1
    assert not BriefingInvitation.objects.filter(enterprise=d_company).exists()


def _clerk(django_user_model, agency, username="clerk"):
    user = django_user_model.objects.create_user(username=username, password="x", is_staff=True)
    AgencyMembership.objects.create(user=user, agency=agency)
    return user


@pytest.fixture
def interview(default_rule_sets):
    enterprise = company()
    penalise(enterprise, "200000")
    penalise(enterprise, "200000")
    evaluation_run_for(enterprise=enterprise)
    return WarningInterview.objects.get(enterprise=enterprise)


def test_clerk_records_the_interview_and_the_company_is_told(interview, django_user_model):
    clerk = _clerk(django_user_model, interview.agency)
    recorded = warning_interview_record(
        interview=interview,
        status="held",
        held_on=today(),
        attendees="法定代表人张伟；信用科王芳",
        outcome="告知评价结果和信用修复途径，企业承诺整改。",
        actor=clerk,
        via="admin",
    )
    assert recorded.status == "held" and recorded.recorded_by == clerk and recorded.recorded_at
    assert [event.kind for event in events(interview.enterprise, "warning_interview")] == [
        "published",
        "changed",
    ]
    with pytest.raises(ValidationError, match="recorded already"):
        warning_interview_record(
            interview=recorded, status="refused", held_on=today(), outcome="x", actor=clerk, via="admin"
        )


def test_a_refusal_is_recorded_without_attendees(interview, django_user_model):
    clerk = _clerk(django_user_model, interview.agency)
    recorded = warning_interview_record(
        interview=interview,
        status="refused",
        held_on=today(),
        outcome="The legal representative did not come and did not answer the summons.",
        actor=clerk,
        via="admin",
    )
    assert recorded.status == "refused" and recorded.attendees == ""


@pytest.mark.parametrize(
    ("status", "held_on", "attendees", "outcome", "field"),
    [
        ("held", None, "张伟", "done", "held_on"),
        ("held", "future", "张伟", "done", "held_on"),
        ("held", "today", "", "done", "attendees"),
        ("held", "today", "张伟", " ", "outcome"),
        ("pending", "today", "张伟", "done", "status"),
    ],
)
def test_bad_interview_records_are_refused_naming_the_field(
    interview, django_user_model, status, held_on, attendees, outcome, field
):
    clerk = _clerk(django_user_model, interview.agency)
    day = {"today": today(), "future": today() + dt.timedelta(days=1), None: None}[held_on]
    with pytest.raises(ValidationError) as error:
        warning_interview_record(
            interview=interview,
            status=status,
            held_on=day,
            attendees=attendees,
            outcome=outcome,
            actor=clerk,
            via="admin",
        )
    assert field in error.value.message_dict
    interview.refresh_from_db()
    assert interview.is_pending


def test_a_clerk_of_another_agency_may_not_record(interview, django_user_model):
    other = _clerk(django_user_model, AgencyFactory(), "other")
    with pytest.raises(PermissionDenied):
        warning_interview_record(
            interview=interview,
            status="held",
            held_on=today(),
            attendees="a",
            outcome="b",
            actor=other,
            via="admin",
        )


# --- the alert list -----------------------------------------------------------------------------


def test_adverse_records_from_three_areas_put_it_on_the_alert_list_and_it_leaves_by_itself(default_rule_sets):
    enterprise = company()
    three_areas(enterprise)
    evaluation = evaluation_run_for(enterprise=enterprise)
    entry = AlertListEntry.objects.on_list().get(enterprise=enterprise)
    assert entry.evaluation == evaluation and entry.listed_on == today()
    assert len(entry.areas) == 3 and "kind:tax" in entry.areas
    assert [event.kind for event in events(enterprise, "alert_list")] == ["published"]
    # Evaluated again: stays, no second notice.
    evaluation_run_for(enterprise=enterprise)
    assert AlertListEntry.objects.filter(enterprise=enterprise).count() == 1
    # A year later the records are older than the window: it leaves, and is told.
    evaluation_run_for(enterprise=enterprise, on=today() + dt.timedelta(days=365))
    entry.refresh_from_db()
    assert entry.left_on == today()
    assert [event.kind for event in events(enterprise, "alert_list")] == ["published", "ended"]


def test_two_areas_or_one_agency_kind_many_times_is_not_enough(default_rule_sets):
    enterprise = company()
    for _number in range(3):
        penalise(enterprise, "5000", agency=AgencyFactory(kind=Agency.Kind.MARKET_REGULATION))
    penalise(enterprise, "5000", agency=AgencyFactory(kind=Agency.Kind.TAX))
    evaluation_run_for(enterprise=enterprise)
    assert not AlertListEntry.objects.filter(enterprise=enterprise).exists()


def test_records_older_than_the_window_do_not_count(default_rule_sets):
    enterprise = company()
    three_areas(enterprise, days_ago=400)
    evaluation_run_for(enterprise=enterprise)
    assert not AlertListEntry.objects.filter(enterprise=enterprise).exists()
