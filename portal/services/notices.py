"""Notices: turn subject events into inbox messages and mail; following an enterprise; reading.

``notices_dispatch`` (the ``dispatch_notices`` command, every minute) takes each undispatched
event of an enterprise in its own transaction, locked with SKIP LOCKED so two runners never
handle the same event, writes one notice per member and follower (each user once), queues one
mail per such user and one to the enterprise's registered contact e-mail, and marks the event
dispatched. A rollback leaves the event undispatched and queues nothing; a dispatched event is
never taken again, so running it twice sends nothing twice.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from accounts.models import EnterpriseMembership
from portal.models import Follow, Notice
from registry.models import AnnualReport, AuditEntry, Enterprise, SubjectEvent
from registry.services.audit import SYSTEM, audit_record, diff, snapshot
from registry.services.mail import mail_enqueue

User = get_user_model()

TITLES = {
    SubjectEvent.Kind.PUBLISHED: gettext_lazy("%(name)s: new %(record)s published"),
    SubjectEvent.Kind.CHANGED: gettext_lazy("%(name)s: %(record)s changed"),
    SubjectEvent.Kind.ENDED: gettext_lazy("%(name)s: %(record)s ended"),
    SubjectEvent.Kind.EXPIRING: gettext_lazy("%(name)s: %(record)s ends soon"),
    SubjectEvent.Kind.DECIDED: gettext_lazy("%(name)s: %(record)s decided"),
}
TITLE_MAX = Notice._meta.get_field("title").max_length


def notice_title(event: SubjectEvent, enterprise: Enterprise) -> str:
    template = TITLES.get(event.kind, gettext_lazy("News about %(name)s"))
    record = str(SubjectEvent.RecordType(event.record_type).label)
    return (str(template) % {"record": record, "name": enterprise.name})[:TITLE_MAX]


def notice_title_local(notice: Notice) -> str:
    """The notice's title in the active language.

    The stored title was written once, in the site's language, when the event was dispatched (it
    is also the mail's subject); a page shows it again from the event, in the reader's language.
    Needs ``event`` and ``enterprise`` loaded with the notice."""
    if notice.event_id is None or notice.enterprise_id is None:
        return notice.title
    return notice_title(notice.event, notice.enterprise)


def _recipients(enterprise: Enterprise) -> tuple[list[AbstractBaseUser], set[int]]:
    """Active users who act for or follow the enterprise, each once; and the ids of its members."""
    users = list(
        User._default_manager.filter(
            Q(enterprise_memberships__enterprise=enterprise) | Q(follows__enterprise=enterprise),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
    members = set(
        EnterpriseMembership.objects.filter(enterprise=enterprise).values_list("user_id", flat=True)
    )
    return users, members


def registered_contact_email(enterprise: Enterprise) -> str:
    """The e-mail of the enterprise's latest annual report, or "" when it has none."""
    latest = AnnualReport.objects.filter(enterprise=enterprise).order_by("-year").only("email").first()
    return (latest.email or "").strip().lower() if latest else ""


def _mail(*, to: str, title: str, summary: str, link: str) -> None:
    context = {"title": title, "summary": summary, "link": link}
    mail_enqueue(
        to=to,
        subject=title,
        body=render_to_string("portal/account/mail/notice_body.txt", context),
    )


def _dispatch_one(event: SubjectEvent, *, base_url: str, now) -> int:
    enterprise = Enterprise.objects.only("pk", "uscc", "name").get(pk=event.enterprise_id)
    title = notice_title(event, enterprise)
    public_url = reverse("portal:enterprise", kwargs={"uscc": enterprise.uscc})
    own_url = reverse("portal:company", kwargs={"uscc": enterprise.uscc})
    users, members = _recipients(enterprise)
    already = set(Notice.objects.filter(event=event).values_list("user_id", flat=True))
    notices = []
    for user in users:
        if user.pk in already:
            continue
        notice = Notice(
            user=user,
            enterprise=enterprise,
            event=event,
            title=title,
            body=event.summary,
            url=own_url if user.pk in members else public_url,
            created_at=now,
        )
        # The keys were just read; the database enforces the constraints on insert.
        notice.full_clean(exclude=["user", "enterprise", "event"], validate_constraints=False)
        notices.append(notice)
    Notice.objects.bulk_create(notices)
    mailed = set()
    for notice in notices:
        address = (notice.user.email or "").strip().lower()
        if address and address not in mailed:
            mailed.add(address)
            _mail(to=address, title=title, summary=event.summary, link=base_url + notice.url)
    contact = registered_contact_email(enterprise)
    if contact and contact not in mailed:
        _mail(to=contact, title=title, summary=event.summary, link=base_url + public_url)
    before = snapshot(event)
    event.dispatched_at = now
    event.save(update_fields=["dispatched_at"])
    audit_record(
        actor=SYSTEM,
        via=AuditEntry.Via.COMMAND,
        action=AuditEntry.Action.UPDATE,
        instance=event,
        changes=diff(before, snapshot(event)),
        reason=f"notices: {len(notices)}",
    )
    return len(notices)


def notices_dispatch(*, limit: int = 1000, base_url: str | None = None) -> dict[str, int]:
    """Dispatch at most ``limit`` undispatched enterprise events, oldest first. For cron."""
    base = (base_url or settings.SITE_BASE_URL).rstrip("/")
    counts = {"events": 0, "notices": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for _position in range(limit):
            with transaction.atomic():
                event = (
                    SubjectEvent.objects.select_for_update(skip_locked=True)
                    .filter(dispatched_at__isnull=True, enterprise__isnull=False)
                    .order_by("occurred_at", "id")
                    .first()
                )
                if event is None:
                    break
                counts["notices"] += _dispatch_one(event, base_url=base, now=timezone.now())
            counts["events"] += 1
    return counts


# --- following and reading --------------------------------------------------------------------------


def follow_create(*, user: AbstractBaseUser, enterprise: Enterprise) -> Follow:
    """Follow an enterprise; following it again changes nothing."""
    with transaction.atomic():
        follow, created = Follow.objects.get_or_create(user=user, enterprise=enterprise)
        if created:
            audit_record(
                actor=user,
                via=AuditEntry.Via.FORM,
                action=AuditEntry.Action.CREATE,
                instance=follow,
                changes=diff({}, snapshot(follow)),
            )
    return follow


def follow_delete(*, user: AbstractBaseUser, enterprise: Enterprise) -> None:
    with transaction.atomic():
        for follow in Follow.objects.select_for_update().filter(user=user, enterprise=enterprise):
            audit_record(
                actor=user,
                via=AuditEntry.Via.FORM,
                action=AuditEntry.Action.DELETE,
                instance=follow,
                changes=diff(snapshot(follow), {}),
            )
            follow.delete()


def notices_mark_read(*, user: AbstractBaseUser, notice_ids: list[int] | None = None) -> int:
    """Mark the user's unread notices read (only those in ``notice_ids`` when given)."""
    notices = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        notices = notices.filter(pk__in=notice_ids)
    with transaction.atomic():
        count = notices.update(read_at=timezone.now())
    return count
