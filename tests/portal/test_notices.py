import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.models import Follow, Notice
from portal.services.notices import notices_dispatch
from registry.models import OutboundMail, SubjectEvent
from tests.factories import AnnualReportFactory, EnterpriseFactory, PersonFactory, SubjectEventFactory
from tests.portal.account_helpers import make_user, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    enterprise = EnterpriseFactory(name="被通知有限公司")
    other = EnterpriseFactory(name="无关有限公司")
    owner, watcher, both = (
        make_user("owner@example.com"),
        make_user("watcher@example.com"),
        make_user("both@example.com"),
    )
    outsider = make_user("outsider@example.com")
    member(owner, enterprise, "administrator")
    member(both, enterprise)
    Follow.objects.create(user=watcher, enterprise=enterprise)
    Follow.objects.create(user=both, enterprise=enterprise)
    member(outsider, other)
    AnnualReportFactory(enterprise=enterprise, year=2023, email="old@example.com")
    AnnualReportFactory(enterprise=enterprise, year=2024, email="Contact@Example.com")
    return enterprise, other, (owner, watcher, both, outsider)


def test_dispatch_notifies_members_followers_and_contact_once(setup):
    enterprise, _other, (owner, watcher, both, outsider) = setup
    event = SubjectEventFactory(enterprise=enterprise, summary="合市监罚〔2024〕7号")
    counts = notices_dispatch()
    assert counts == {"events": 1, "notices": 3}
    notices = {notice.user: notice for notice in Notice.objects.filter(event=event)}
    assert set(notices) == {owner, watcher, both}
    assert "被通知有限公司" in notices[owner].title and notices[owner].body == "合市监罚〔2024〕7号"
    assert notices[owner].url == reverse("portal:company", kwargs={"uscc": enterprise.uscc})
    assert notices[watcher].url == reverse("portal:enterprise", kwargs={"uscc": enterprise.uscc})
    recipients = sorted(OutboundMail.objects.values_list("to", flat=True))
    assert recipients == [
        "both@example.com",
        "contact@example.com",
        "owner@example.com",
        "watcher@example.com",
    ]
    assert "合市监罚〔2024〕7号" in OutboundMail.objects.get(to="owner@example.com").body
    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert not Notice.objects.filter(user=outsider).exists()


def test_dispatch_is_idempotent(setup):
    enterprise, _other, _users = setup
    SubjectEventFactory(enterprise=enterprise)
    notices_dispatch()
    mails = OutboundMail.objects.count()
    assert notices_dispatch() == {"events": 0, "notices": 0}
    call_command("dispatch_notices")
    assert Notice.objects.count() == 3 and OutboundMail.objects.count() == mails


def test_events_of_other_enterprises_reach_only_their_users(setup):
    _enterprise, other, (_owner, _watcher, _both, outsider) = setup
    SubjectEventFactory(enterprise=other)
    notices_dispatch()
    assert list(Notice.objects.values_list("user", flat=True)) == [outsider.pk]
    assert list(OutboundMail.objects.values_list("to", flat=True)) == ["outsider@example.com"]


def test_person_events_are_left_alone():
    event = SubjectEventFactory(enterprise=None, person=PersonFactory())
    assert notices_dispatch() == {"events": 0, "notices": 0}
    event.refresh_from_db()
    assert event.dispatched_at is None


def test_an_enterprise_without_users_still_mails_its_contact():
    enterprise = EnterpriseFactory()
    AnnualReportFactory(enterprise=enterprise, email="desk@example.com")
    SubjectEventFactory(enterprise=enterprise, kind=SubjectEvent.Kind.EXPIRING)
    notices_dispatch()
    assert list(OutboundMail.objects.values_list("to", flat=True)) == ["desk@example.com"]


def test_database_refuses_a_second_notice_for_the_same_event(setup):
    enterprise, _other, (owner, *_rest) = setup
    SubjectEventFactory(enterprise=enterprise)
    notices_dispatch()
    notice = Notice.objects.get(user=owner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.create(user=owner, event=notice.event, title="again")


def test_inbox_lists_unread_first_and_marks_read(client, setup):
    enterprise, _other, (owner, *_rest) = setup
    SubjectEventFactory(enterprise=enterprise, summary="第一件")
    notices_dispatch()
    first = Notice.objects.get(user=owner)
    SubjectEventFactory(enterprise=enterprise, summary="第二件")
    notices_dispatch()
    client.force_login(owner)
    page = client.get(reverse("portal:account")).content.decode()
    assert "2 unread" in page  # the header count
    client.post(reverse("portal:notice-read", args=[first.pk]))
    first.refresh_from_db()
    assert first.read_at is not None
    page = client.get(reverse("portal:inbox")).content.decode()
    assert page.index("第二件") < page.index("第一件")
    assert "1 unread" in page
    client.post(reverse("portal:inbox-read-all"))
    assert not Notice.objects.filter(user=owner, read_at__isnull=True).exists()


def test_nobody_marks_another_users_notice(client, setup):
    enterprise, _other, (owner, watcher, *_rest) = setup
    SubjectEventFactory(enterprise=enterprise)
    notices_dispatch()
    notice = Notice.objects.get(user=owner)
    client.force_login(watcher)
    assert client.post(reverse("portal:notice-read", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None
    assert "Inbox" in client.get(reverse("portal:inbox")).content.decode()


def test_follow_and_unfollow_from_the_profile(client):
    enterprise = EnterpriseFactory()
    user = make_user("fan@example.com")
    profile_url = reverse("portal:enterprise", kwargs={"uscc": enterprise.uscc})
    assert "Follow this enterprise" not in client.get(profile_url).content.decode()
    client.force_login(user)
    assert "Follow this enterprise" in client.get(profile_url).content.decode()
    follow_url = reverse("portal:follow", kwargs={"uscc": enterprise.uscc})
    assert client.get(follow_url).status_code == 405
    client.post(follow_url, {"action": "follow"})
    client.post(follow_url, {"action": "follow"})  # twice is once
    assert Follow.objects.filter(user=user, enterprise=enterprise).count() == 1
    assert "Stop following" in client.get(profile_url).content.decode()
    client.post(follow_url, {"action": "unfollow"})
    assert not Follow.objects.filter(user=user).exists()


def test_follow_needs_sign_in(client):
    enterprise = EnterpriseFactory()
    response = client.post(reverse("portal:follow", kwargs={"uscc": enterprise.uscc}), {"action": "follow"})
    assert response.status_code == 302 and not Follow.objects.exists()


def test_inbox_shows_titles_in_the_readers_language(client, setup, settings, django_assert_max_num_queries):
    enterprise, _other, (owner, *_rest) = setup
    SubjectEventFactory(enterprise=enterprise, record_type=SubjectEvent.RecordType.PENALTY)
    settings.LANGUAGE_CODE = "zh-hans"  # notices are dispatched, and mailed, in the site's language
    notices_dispatch()
    assert Notice.objects.get(user=owner).title == "被通知有限公司新增行政处罚"
    client.force_login(owner)
    with django_assert_max_num_queries(6):
        english = client.get(reverse("portal:inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "被通知有限公司: new administrative penalty published" in english
    assert "新增行政处罚" not in english
    chinese = client.get(reverse("portal:inbox"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "被通知有限公司新增行政处罚" in chinese
