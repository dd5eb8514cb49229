"""The mail outbox: queue a mail with the write that causes it, send it after commit, retry until sent.

A mail is a row before it is a message. ``mail_enqueue`` writes the row in the caller's
transaction and asks for delivery once that transaction commits, so a rolled-back write sends
nothing. A failed send stays pending with a later ``next_attempt_at``; ``mail_send_pending``
(the ``send_pending_mail`` command, run every minute) retries it. Every attempt holds a row lock
taken with SKIP LOCKED, so two runners never send the same mail. After ``MAX_ATTEMPTS`` failures
the mail is marked failed permanently; it is never deleted.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from registry.models import OutboundMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_DELAY = dt.timedelta(minutes=1)
MAX_DELAY = dt.timedelta(hours=6)
ERROR_MAX = 2000


def retry_delay(attempts: int) -> dt.timedelta:
    """Wait after the ``attempts``-th failure: 1, 2, 4 … minutes, never more than six hours."""
    exponent = min(max(attempts - 1, 0), 20)  # 2**20 minutes is far past the cap already
    return min(FIRST_DELAY * 2**exponent, MAX_DELAY)


def mail_enqueue(*, to: str, subject: str, body: str, html_body: str = "") -> OutboundMail:
    """Queue one mail; it is sent when the surrounding transaction commits (at once outside one)."""
    mail = OutboundMail(
        to=to,
        subject=" ".join(subject.split())[:255],  # a header: one line
        body=body,
        html_body=html_body,
        status=OutboundMail.Status.PENDING,
        next_attempt_at=timezone.now(),
    )
    with transaction.atomic():
        mail.full_clean()
        mail.save(force_insert=True)
        # robust: a failure after commit is logged, never raised into the request that queued it;
        # the row stays pending and the next send_pending_mail run retries it.
        transaction.on_commit(functools.partial(mail_deliver, mail_id=mail.pk), robust=True)
    return mail


def _message(mail: OutboundMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject, body=mail.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[mail.to]
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    return message


def _attempt(mail: OutboundMail, *, now: dt.datetime) -> None:
    """Send a locked, pending mail and record the outcome on its row."""
    try:
        _message(mail).send(fail_silently=False)
    except Exception as exc:  # any transport error: keep the mail and try again later
        mail.attempts += 1
        mail.last_error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
        if mail.attempts >= MAX_ATTEMPTS:
            mail.status = OutboundMail.Status.FAILED
            mail.next_attempt_at = None
            logger.error("Mail %s failed permanently after %s attempts: %s", mail.pk, mail.attempts, exc)
        else:
            mail.next_attempt_at = now + retry_delay(mail.attempts)
            logger.warning("Mail %s not sent (attempt %s): %s", mail.pk, mail.attempts, exc)
    else:
        mail.attempts += 1
        mail.status = OutboundMail.Status.SENT
        mail.sent_at = timezone.now()
        mail.next_attempt_at = None
    mail.full_clean()
    mail.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"])


def mail_deliver(*, mail_id: int) -> OutboundMail | None:
    """Try to send one pending mail now. Does nothing if it is sent, failed, or being sent elsewhere."""
    with transaction.atomic():
        mail = (
            OutboundMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id, status=OutboundMail.Status.PENDING)
            .first()
        )
        if mail is None:
            return None
        _attempt(mail, now=timezone.now())
    return mail


def mail_send_pending(*, now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Retry every pending mail that is due, oldest first, at most ``limit`` of them. For cron.

    Each mail is locked with ``SELECT … FOR UPDATE SKIP LOCKED`` in its own transaction: a mail
    another runner holds is skipped, and a mail sent meanwhile is no longer pending.
    """
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for _ in range(limit):
        with transaction.atomic():
            mail = (
                OutboundMail.objects.select_for_update(skip_locked=True)
                .filter(status=OutboundMail.Status.PENDING, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "id")
                .first()
            )
            if mail is None:
                break
            _attempt(mail, now=now)
        if mail.status == OutboundMail.Status.SENT:
            counts["sent"] += 1
        elif mail.status == OutboundMail.Status.FAILED:
            counts["failed"] += 1
        else:
            counts["retry"] += 1
    return counts
