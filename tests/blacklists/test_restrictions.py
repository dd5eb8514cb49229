"""The restriction engine: direct listings, feeds, officers of listed organisations, persons named in
restriction orders, expiry, rewards."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from blacklists.models import ListFeed, ListType, Measure, Memorandum
from blacklists.restrictions import NAMED_IN_ORDER, POST
from blacklists.selectors import restrictions_in_force
from blacklists.services import list_entry_create, list_entry_remove, list_entry_repair, list_entry_revoke
from registry.models import Agency, KeyPersonnel
from registry.services.audit import SYSTEM
from tests.blacklists.helpers import ORDER_START, restriction_order
from tests.factories import EnterpriseFactory, KeyPersonnelFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
CUSTOMS_MEMO = "发改财金〔2017〕427号"


def listing(list_code, *, person=None, enterprise=None, number="", starts_on=None, **extra):
    list_type = ListType.objects.get(code=list_code)
    starts_on = starts_on or TODAY - dt.timedelta(days=30)
    return list_entry_create(
        actor=SYSTEM,
        via="command",
        list_type=list_type,
        issuing_agency=list_type.owner,
        decision_number=number or f"{list_code}-{PersonFactory._meta.model.objects.count()}-{starts_on}",
        decision_date=starts_on,
        starts_on=starts_on,
        person=person,
        enterprise=enterprise,
        **extra,
    )


def codes(answer, kind=None):
    return {item.measure.code for item in answer.measures if kind is None or item.measure.kind == kind}


def by_code(answer, code, agency=None):
    return next(
        item
        for item in answer.measures
        if item.measure.code == code
        and (agency is None or item.measure.enforcing_agency.short_code == agency)
    )


def test_direct_listing_triggers_the_customs_memorandum_with_its_chain():
    company = EnterpriseFactory()
    entry = listing("gac-dishonest", enterprise=company, number="署信〔2024〕1号")
    answer = restrictions_in_force(enterprise=company)
    assert answer.restricted
    assert {"more-inspections", "procurement-ban", "financing-restriction", "forex-restriction"} <= codes(
        answer
    )
    assert "exit-ban" not in codes(answer)  # binds only the legal representative
    item = by_code(answer, "procurement-ban")
    assert item.measure.enforcing_agency.short_code == "mof"
    (reason,) = item.reasons
    assert reason.entry == entry and reason.link is None and reason.feeds == ()
    assert reason.memorandum.document_number == CUSTOMS_MEMO
    assert reason.since == entry.starts_on and reason.until == entry.planned_end
    assert "署信〔2024〕1号" in reason.text and CUSTOMS_MEMO in reason.text


def test_court_defaulter_cascades_through_feeds_to_no_fly_and_no_ride():
    person = PersonFactory()
    entry = listing("court-defaulters", person=person, number="(2024)皖0104执1号")
    answer = restrictions_in_force(person=person)
    caac = by_code(answer, "no-flight", "caac")
    (reason,) = caac.reasons
    assert [lt.code for lt in reason.lists] == ["court-defaulters", "consumption-restriction", "caac-no-fly"]
    assert reason.entry == entry and reason.trigger.code == "caac-no-fly"
    assert by_code(answer, "no-flight", "spc").reasons[0].trigger.code == "consumption-restriction"
    assert by_code(answer, "no-high-speed-rail", "china-railway").reasons[0].lists[-1].code == "rail-no-ride"
    assert {
        "no-star-hotel",
        "no-private-school-fees",
        "no-high-premium-insurance",
        "no-car-purchase",
    } <= codes(answer)
    assert "being on" in reason.text and "(2024)皖0104执1号" in reason.text


def test_feeds_only_reach_lists_that_hold_the_subject():
    company = EnterpriseFactory()
    listing("court-defaulters", enterprise=company, number="(2024)皖0104执2号")
    answer = restrictions_in_force(enterprise=company)
    assert by_code(answer, "no-property-purchase", "spc")  # consumption restriction holds organisations
    assert not [item for item in answer.measures if item.measure.enforcing_agency.short_code == "caac"]


def test_measure_filter_and_unknown_subject():
    person = PersonFactory()
    listing("court-defaulters", person=person, number="(2024)皖0104执3号")
    answer = restrictions_in_force(person=person, measure_code="no-flight")
    assert codes(answer) == {"no-flight"} and len(answer.measures) == 2  # the court's and CAAC's
    nobody = restrictions_in_force(subject_kind="person")
    assert nobody.measures == [] and not nobody.restricted


ROLE_CASES = [
    ("legal_representative", "exit-ban", True),
    ("chairman", "no-leadership-role", True),
    ("director", "no-leadership-role", True),
    ("executive_director", "soe-leadership-restriction", True),
    ("supervisor", "no-leadership-role", True),
    ("general_manager", "no-leadership-role", True),
    ("manager", "soe-leadership-restriction", True),
    ("financial_officer", "no-leadership-role", True),
]


@pytest.mark.parametrize(("role", "code", "binds_exit_ban"), ROLE_CASES)
def test_organisation_reaches_its_officers_through_each_role(role, code, binds_exit_ban):
    company = EnterpriseFactory(name="合肥走私测试贸易有限公司")
    officer = PersonFactory()
    KeyPersonnelFactory(enterprise=company, person=officer, role=role, name=officer.name)
    listing("gac-dishonest", enterprise=company, number="署信〔2024〕2号")
    answer = restrictions_in_force(person=officer)
    item = by_code(answer, code)
    (reason,) = item.reasons
    assert reason.link.enterprise == company and reason.link.role == role
    assert ("exit-ban" in codes(answer)) == (role == "legal_representative")
    assert "procurement-ban" not in codes(answer)  # binds the company only
    assert "合肥走私测试贸易有限公司" in reason.text and reason.link.group_label in reason.text


def test_register_legal_representative_link_and_actual_controller():
    company = EnterpriseFactory()
    boss, controller = PersonFactory(), PersonFactory()
    company.legal_representative_person = boss
    company.save()
    # The register has no actual-controller role yet; a row with that code binds as soon as it exists.
    KeyPersonnel.objects.create(
        enterprise=company, person=controller, role="actual_controller", name="控制人"
    )
    listing("consumption-restriction", enterprise=company, number="(2024)皖0104执4号")
    assert by_code(restrictions_in_force(person=boss), "no-flight", "spc").reasons[0].link.group == (
        "legal_representative"
    )
    controlled = restrictions_in_force(person=controller)
    assert by_code(controlled, "no-flight", "spc").reasons[0].link.group == "actual_controller"


def test_officers_who_left_or_joined_later_are_not_bound():
    company = EnterpriseFactory()
    former, later = PersonFactory(), PersonFactory()
    KeyPersonnelFactory(
        enterprise=company, person=former, role="director", left_on=TODAY - dt.timedelta(days=1)
    )
    KeyPersonnelFactory(
        enterprise=company, person=later, role="director", appointed_on=TODAY + dt.timedelta(days=5)
    )
    listing("gac-dishonest", enterprise=company, number="署信〔2024〕3号")
    assert restrictions_in_force(person=former).measures == []
    assert restrictions_in_force(person=later).measures == []
    assert restrictions_in_force(person=later, on=TODAY + dt.timedelta(days=5)).restricted


def test_expiry_ends_every_measure_it_triggered_on_the_same_day():
    person, company = PersonFactory(), EnterpriseFactory()
    KeyPersonnelFactory(enterprise=company, person=person, role="legal_representative")
    start = TODAY - dt.timedelta(days=400)
    end = TODAY + dt.timedelta(days=10)
    listing("court-defaulters", person=person, number="(2023)皖0104执5号", starts_on=start, planned_end=end)
    listing("gac-dishonest", enterprise=company, number="署信〔2024〕4号", starts_on=start, planned_end=end)
    last_day = restrictions_in_force(person=person, on=end)
    assert {"no-flight", "no-high-speed-rail", "exit-ban", "no-star-hotel"} <= codes(last_day)
    assert all(item.until == end for item in last_day.measures)
    assert restrictions_in_force(person=person, on=end + dt.timedelta(days=1)).measures == []
    assert restrictions_in_force(enterprise=company, on=end + dt.timedelta(days=1)).measures == []


@pytest.mark.parametrize("end", [list_entry_remove, list_entry_repair, list_entry_revoke])
def test_removed_repaired_or_revoked_entry_stops_its_measures_today(end):
    person = PersonFactory()
    entry = listing("court-defaulters", person=person, number="(2024)皖0104执6号")
    assert restrictions_in_force(person=person).restricted
    end(entry=entry, reason="履行完毕", actor=SYSTEM, via="command")
    assert restrictions_in_force(person=person).measures == []


def test_redlists_give_rewards_not_restrictions():
    company = EnterpriseFactory()
    listing("gac-advanced-certified", enterprise=company, number="AEO-2024-1", permanent=True)
    answer = restrictions_in_force(enterprise=company)
    assert not answer.restricted and answer.punishments == []
    rewards = codes(answer, "reward")
    assert {
        "priority-clearance",
        "fast-track-approval",
        "procurement-preference",
        "priority-awards",
    } <= rewards
    assert {item.measure.enforcing_agency.short_code for item in answer.rewards} >= {
        "gac",
        "ndrc",
        "ccpit",
        "acwf",
    }
    taxpayer = EnterpriseFactory()
    listing("sta-grade-a", enterprise=taxpayer, number="A-2024-1")
    assert "invoices-on-demand" in codes(restrictions_in_force(enterprise=taxpayer), "reward")


def test_jiangsu_surcharge_depends_on_the_level():
    red, black = EnterpriseFactory(region_id="320100"), EnterpriseFactory(region_id="320100")
    listing("jiangsu-env-credit-red", enterprise=red, number="苏环信红〔2024〕1号")
    listing("jiangsu-env-credit-black", enterprise=black, number="苏环信黑〔2024〕1号")
    (red_item,) = restrictions_in_force(enterprise=red).measures
    (black_item,) = restrictions_in_force(enterprise=black).measures
    assert (red_item.measure.code, str(red_item.measure.parameter)) == ("electricity-surcharge", "0.0500")
    assert str(black_item.measure.parameter) == "0.1000" and black_item.measure.parameter_unit == "CNY/kWh"


def test_memorandum_and_feed_dates_bound_the_measures():
    person = PersonFactory()
    listing("court-defaulters", person=person, number="(2024)皖0104执7号")
    caac = Memorandum.objects.get(document_number="发改财金〔2018〕385号")
    caac.in_force_to = TODAY - dt.timedelta(days=1)
    caac.save()
    answer = restrictions_in_force(person=person)
    assert not [item for item in answer.measures if item.measure.enforcing_agency.short_code == "caac"]
    assert by_code(answer, "no-flight", "spc")


def test_a_loop_in_the_data_does_not_loop_the_engine():
    a, b = ListType.objects.get(code="caac-no-fly"), ListType.objects.get(code="court-defaulters")
    ListFeed.objects.create(source=a, target=b)  # written past the service, which would refuse it
    person = PersonFactory()
    listing("court-defaulters", person=person, number="(2024)皖0104执8号")
    assert by_code(restrictions_in_force(person=person), "no-flight", "caac")


def test_bounded_number_of_queries_whatever_the_data(
    django_assert_max_num_queries, django_assert_num_queries
):
    person = PersonFactory()
    spc = Agency.objects.get(short_code="spc")
    for n in range(6):
        company = EnterpriseFactory()
        KeyPersonnelFactory(enterprise=company, person=person, role="director", source_agency=spc)
        listing("gac-dishonest", enterprise=company, number=f"署信〔2024〕{100 + n}号")
        listing("court-defaulters", person=person, number=f"(2024)皖0104执{100 + n}号")
    with django_assert_max_num_queries(4):
        answer = restrictions_in_force(person=person)
    assert len(by_code(answer, "no-leadership-role").reasons) == 6
    with django_assert_num_queries(3):
        restrictions_in_force(enterprise=company)
    # Nothing in force and not in the register take the same path: posts (persons) and entries.
    quiet_person, quiet_company = PersonFactory(), EnterpriseFactory()
    for kwargs, queries in (
        ({"person": quiet_person}, 2),
        ({"subject_kind": "person"}, 2),
        ({"enterprise": quiet_company}, 1),
        ({"subject_kind": "enterprise"}, 1),
    ):
        with django_assert_num_queries(queries):
            assert restrictions_in_force(**kwargs).measures == []


def test_catalogue_is_kept_outside_transactions_and_cleared_by_writes(
    monkeypatch, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from blacklists.selectors import restrictions as selectors
    from blacklists.services import measure_update

    monkeypatch.setattr(selectors, "_fresh_read_required", lambda: False)
    selectors.restriction_catalogue_clear()
    try:
        person = PersonFactory()
        listing("court-defaulters", person=person, number="(2024)皖0104执9号")
        with django_assert_num_queries(4):
            restrictions_in_force(person=person)
        with django_assert_num_queries(2):  # feeds and measures from the process's catalogue
            answer = restrictions_in_force(person=person)
        measure = by_code(answer, "no-flight", "caac").measure
        with django_capture_on_commit_callbacks(execute=True):
            measure_update(measure=measure, actor=SYSTEM, via="command", description_en="No flying")
        with django_assert_num_queries(4):
            answer = restrictions_in_force(person=person)
        assert by_code(answer, "no-flight", "caac").measure.description_en == "No flying"
    finally:
        selectors.restriction_catalogue_clear()


# The person a consumption-restriction order against an organisation names. Fixed dates, and every
# check asks about a given day, so no test depends on the day it runs.
ASKED_ON = dt.date(2026, 1, 15)
SPC_RULES = "法释〔2015〕17号"


def legal_representative_measures():
    """What the court's 2015 rules apply to an organisation's legal representative."""
    return set(
        Measure.objects.filter(memorandum__document_number=SPC_RULES, binds_legal_representative=True)
        .values_list("code", flat=True)
        .distinct()
    )


def test_an_order_binds_the_person_it_names_though_the_organisation_has_no_posts():
    # Registered by the import from the court's row alone: no key personnel, no representative link.
    company = EnterpriseFactory(name="南京某某贸易有限公司")
    named = PersonFactory(name="赵六")
    entry = restriction_order(company, named, number="(2025)苏0102执401号")
    answer = restrictions_in_force(person=named, on=ASKED_ON)
    assert answer.restricted and codes(answer) == legal_representative_measures()
    (reason,) = by_code(answer, "no-flight", "spc").reasons
    assert reason.entry == entry and reason.link.named and reason.link.kind == NAMED_IN_ORDER
    assert (reason.link.enterprise, reason.link.group, reason.link.role) == (
        company,
        "legal_representative",
        "",
    )
    assert reason.since == ORDER_START and reason.until is None
    assert reason.text.startswith(
        f"Named in the consumption-restriction order against 南京某某贸易有限公司 ({company.uscc}), so bound "
        "as its legal representative; the organisation is listed on Persons restricted from high consumption"
    )
    assert "(2025)苏0102执401号" in reason.text and SPC_RULES in reason.text
    with translation.override("zh-hans"):
        assert reason.text.startswith(f"作为对南京某某贸易有限公司（{company.uscc}）的限制消费令所列人员")
    # The organisation's own answer is unchanged: the order binds it as the subject.
    (own,) = by_code(restrictions_in_force(enterprise=company, on=ASKED_ON), "no-flight", "spc").reasons
    assert own.link is None


def test_a_former_legal_representative_named_in_the_order_stays_bound():
    company = EnterpriseFactory()
    former, predecessor = PersonFactory(), PersonFactory()
    KeyPersonnelFactory(
        enterprise=company,
        person=former,
        role="legal_representative",
        appointed_on=dt.date(2020, 1, 1),
        left_on=dt.date(2025, 6, 1),
    )
    KeyPersonnelFactory(
        enterprise=company,
        person=predecessor,
        role="legal_representative",
        appointed_on=dt.date(2018, 1, 1),
        left_on=dt.date(2020, 1, 1),
    )
    entry = restriction_order(company, former, number="(2025)皖0104执402号")
    listing("gac-dishonest", enterprise=company, number="署信〔2025〕402号", starts_on=ORDER_START)
    answer = restrictions_in_force(person=former, on=ASKED_ON)
    # The order binds them; the customs listing reached them only through the post they have left.
    assert codes(answer) == legal_representative_measures() and "exit-ban" not in codes(answer)
    reasons = [reason for item in answer.measures for reason in item.reasons]
    assert all(reason.entry == entry and reason.link.named for reason in reasons)
    assert restrictions_in_force(person=predecessor, on=ASKED_ON).measures == []  # not named, left


def test_current_post_holders_stay_bound_beside_the_person_the_order_names():
    company = EnterpriseFactory()
    named, boss, controller = PersonFactory(), PersonFactory(), PersonFactory()
    company.legal_representative_person = boss
    company.save()
    KeyPersonnel.objects.create(
        enterprise=company, person=controller, role="actual_controller", name="控制人"
    )
    restriction_order(company, named, number="(2025)皖0104执403号")
    for person, group in ((boss, "legal_representative"), (controller, "actual_controller")):
        (reason,) = by_code(restrictions_in_force(person=person, on=ASKED_ON), "no-flight", "spc").reasons
        assert reason.link.kind == POST and not reason.link.named and reason.link.group == group
        assert not reason.text.startswith("Named in")
    (reason,) = by_code(restrictions_in_force(person=named, on=ASKED_ON), "no-flight", "spc").reasons
    assert reason.link.named


def test_the_named_person_who_is_also_todays_legal_representative_is_counted_once():
    company = EnterpriseFactory()
    named = PersonFactory()
    company.legal_representative_person = named
    company.save()
    KeyPersonnelFactory(
        enterprise=company, person=named, role="legal_representative", appointed_on=dt.date(2025, 9, 1)
    )
    entry = restriction_order(company, named, number="(2025)皖0104执404号")
    customs = listing("gac-dishonest", enterprise=company, number="署信〔2025〕404号", starts_on=ORDER_START)
    answer = restrictions_in_force(person=named, on=ASKED_ON)
    court_items = [item for item in answer.measures if item.measure.memorandum.document_number == SPC_RULES]
    assert {item.measure.code for item in court_items} == legal_representative_measures()
    for item in court_items:
        (reason,) = item.reasons  # the order, not the order and the post again
        assert reason.entry == entry and reason.link.named
        assert reason.since == ORDER_START  # the order's window, wider than the post's (from September)
    (reason,) = by_code(answer, "exit-ban").reasons  # another listing still reaches them by the post
    assert reason.entry == customs and reason.link.kind == POST and reason.since == dt.date(2025, 9, 1)


def test_the_order_ending_releases_the_person_it_names():
    named = PersonFactory()
    end = dt.date(2025, 12, 31)
    restriction_order(EnterpriseFactory(), named, number="(2025)皖0104执405号", planned_end=end)
    last_day = restrictions_in_force(person=named, on=end)
    assert codes(last_day) == legal_representative_measures()
    assert all(item.until == end for item in last_day.measures)
    assert restrictions_in_force(person=named, on=end + dt.timedelta(days=1)).measures == []
    other = PersonFactory()
    lifted = restriction_order(EnterpriseFactory(), other, number="(2025)皖0104执406号")
    assert restrictions_in_force(person=other, on=ASKED_ON).restricted
    list_entry_remove(entry=lifted, reason="履行完毕", actor=SYSTEM, via="command")
    assert restrictions_in_force(person=other, on=ASKED_ON).measures == []


def test_orders_naming_a_person_cost_no_extra_query(django_assert_max_num_queries, django_assert_num_queries):
    named = PersonFactory()
    spc = Agency.objects.get(short_code="spc")
    for n in range(6):
        restriction_order(EnterpriseFactory(), named, number=f"(2025)皖0104执{410 + n}号")
        company = EnterpriseFactory()
        KeyPersonnelFactory(enterprise=company, person=named, role="director", source_agency=spc)
        listing("gac-dishonest", enterprise=company, number=f"署信〔2025〕{410 + n}号", starts_on=ORDER_START)
    with django_assert_max_num_queries(4):
        answer = restrictions_in_force(person=named, on=ASKED_ON)
    assert len(by_code(answer, "no-flight", "spc").reasons) == 6
    assert len(by_code(answer, "no-leadership-role").reasons) == 6
    ended = PersonFactory()
    over = dt.date(2025, 12, 31)
    restriction_order(EnterpriseFactory(), ended, number="(2025)皖0104执420号", planned_end=over)
    with django_assert_num_queries(2):  # named, but the order is over: posts and orders, entries
        assert restrictions_in_force(person=ended, on=ASKED_ON).measures == []
