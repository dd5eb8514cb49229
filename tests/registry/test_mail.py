"""The mail outbox: sent after commit, never on rollback, retried with backoff, never lost or doubled."""

import datetime as dt
from io import StringIO
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail as django_mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from registry.models import OutboundMail
from registry.services import mail_deliver, mail_enqueue, mail_send_pending
from registry.services.mail import MAX_ATTEMPTS, retry_delay
from tests.factories import OutboundMailFactory
from tests.registry.helpers import assert_refused_both_ways

pytestmark = pytest.mark.django_db

SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def failing_backend(message="connection refused"):
    return mock.patch(SEND, side_effect=SMTPException(message))


def enqueue(**overrides):
    fields = {"to": "legal@example.com", "subject": "A penalty was published", "body": "Details inside."}
    return mail_enqueue(**{**fields, **overrides})


def test_mail_is_sent_only_after_the_transaction_commits(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        queued = enqueue(html_body="<p>Details inside.</p>")
        assert mailoutbox == []  # not before the commit
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert (message.to, message.subject, message.body) == (
        ["legal@example.com"],
        "A penalty was published",
        "Details inside.",
    )
    assert message.alternatives[0][0] == "<p>Details inside.</p>"
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.next_attempt_at) == ("sent", 1, None)
    assert queued.sent_at is not None


def test_mail_is_not_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks, mailoutbox):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        enqueue()
        raise RuntimeError("the write that caused the mail failed")
    assert callbacks == []
    assert mailoutbox == []
    assert not OutboundMail.objects.exists()


def test_a_bad_address_is_refused_and_nothing_is_queued(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as caught:
        enqueue(to="not an address")
    assert "to" in caught.value.message_dict
    assert not OutboundMail.objects.exists()
    assert mailoutbox == []


def test_subject_is_kept_on_one_line(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(subject="Listed\non a list")
    assert mailoutbox[0].subject == "Listed on a list"


def test_failed_send_stays_pending_and_the_cron_command_sends_it_later(
    django_capture_on_commit_callbacks, mailoutbox
):
    before = timezone.now()
    with failing_backend(), django_capture_on_commit_callbacks(execute=True):
        queued = enqueue()
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.sent_at) == ("pending", 1, None)
    assert "SMTPException: connection refused" in queued.last_error
    assert (
        before + dt.timedelta(minutes=1) <= queued.next_attempt_at <= timezone.now() + dt.timedelta(minutes=1)
    )
    assert mailoutbox == []

    # Not due yet: a run now leaves it alone.
    assert mail_send_pending() == {"sent": 0, "retry": 0, "failed": 0}
    # A minute later the cron run sends it.
    OutboundMail.objects.filter(pk=queued.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    out = StringIO()
    call_command("send_pending_mail", stdout=out)
    assert "1 sent" in out.getvalue()
    assert len(mailoutbox) == 1
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == ("sent", 2)
    assert queued.sent_at is not None


def test_backoff_doubles_from_one_minute_and_is_capped_at_six_hours():
    assert [retry_delay(n) for n in (1, 2, 3, 9)] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 256)]
    assert retry_delay(10) == retry_delay(50) == dt.timedelta(hours=6)


def test_after_ten_failed_attempts_the_mail_fails_permanently_and_is_kept(
    django_capture_on_commit_callbacks, mailoutbox
):
    with failing_backend("mailbox unavailable") as send:
        with django_capture_on_commit_callbacks(execute=True):
            queued = enqueue()
        for attempt in range(2, MAX_ATTEMPTS + 1):
            queued.refresh_from_db()
            due = queued.next_attempt_at
            assert mail_send_pending(now=due - dt.timedelta(seconds=1))["retry"] == 0  # not yet due
            counts = mail_send_pending(now=due)
            queued.refresh_from_db()
            assert queued.attempts == attempt
            if attempt < MAX_ATTEMPTS:
                assert counts == {"sent": 0, "retry": 1, "failed": 0}
                assert queued.next_attempt_at == due + retry_delay(attempt)
        assert counts == {"sent": 0, "retry": 0, "failed": 1}
        assert (queued.status, queued.next_attempt_at, queued.sent_at) == ("failed", None, None)
        assert "mailbox unavailable" in queued.last_error
        assert send.call_count == MAX_ATTEMPTS
        # A failed mail is never tried again, and never deleted.
        assert mail_send_pending(now=timezone.now() + dt.timedelta(days=30)) == {
            "sent": 0,
            "retry": 0,
            "failed": 0,
        }
        assert mail_deliver(mail_id=queued.pk) is None
        assert send.call_count == MAX_ATTEMPTS
    assert OutboundMail.objects.filter(pk=queued.pk, status="failed").exists()
    assert mailoutbox == []


def test_a_sent_mail_is_never_sent_again(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        queued = enqueue()
    assert mail_deliver(mail_id=queued.pk) is None
    assert mail_send_pending(now=timezone.now() + dt.timedelta(days=1))["sent"] == 0
    assert len(mailoutbox) == 1


def test_send_pending_respects_the_limit_and_sends_oldest_first(mailoutbox):
    now = timezone.now()
    for minutes in (3, 1, 2):
        OutboundMailFactory(subject=f"due {minutes}", next_attempt_at=now - dt.timedelta(minutes=minutes))
    assert mail_send_pending(now=now, limit=2)["sent"] == 2
    assert [message.subject for message in mailoutbox] == ["due 3", "due 2"]
    assert OutboundMail.objects.filter(status="pending").get().subject == "due 1"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_mail_locked_by_another_runner_is_skipped_not_sent_twice(mailoutbox):
    queued = OutboundMailFactory(next_attempt_at=timezone.now() - dt.timedelta(minutes=1))
    other = connections.create_connection("default")  # a second runner, in its own session
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(
                f'SELECT id FROM "{OutboundMail._meta.db_table}" WHERE id = %s FOR UPDATE', [queued.pk]
            )
            assert mail_send_pending() == {"sent": 0, "retry": 0, "failed": 0}
            assert mail_deliver(mail_id=queued.pk) is None
            assert mailoutbox == []
            cursor.execute("ROLLBACK")
    finally:
        other.close()
    assert mail_send_pending()["sent"] == 1
    assert len(django_mail.outbox) == 1


# The model's rules, refused by full_clean() and by the database


def test_attempts_cannot_be_negative():
    assert_refused_both_ways(OutboundMailFactory.build(attempts=-1), message="cannot be negative")


@pytest.mark.parametrize(
    ("status", "sent_at"), [("sent", None), ("pending", dt.datetime(2025, 1, 1, tzinfo=dt.UTC))]
)
def test_sent_exactly_when_sent_at_is_set(status, sent_at):
    mail = OutboundMailFactory.build(status=status, sent_at=sent_at)
    assert_refused_both_ways(mail, message="exactly when it was sent")


def test_pending_mail_needs_its_next_attempt_time():
    mail = OutboundMailFactory.build(next_attempt_at=None)
    assert_refused_both_ways(mail, message="needs the time of its next attempt")


def test_unknown_status_is_refused_by_the_database():
    mail = OutboundMailFactory.build(status="lost")
    with pytest.raises(ValidationError) as caught:
        mail.full_clean()
    assert "status" in caught.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        mail.save()
