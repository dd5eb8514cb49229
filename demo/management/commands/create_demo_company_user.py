"""Create or reset the demo company user ``company@example.com``. Local demo only (DEBUG on)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from accounts.models import EnterpriseMembership
from blacklists.models import ListEntry, ListType
from blacklists.selectors.entries import COURT_LIST_CODES
from blacklists.services.entries import GOVERNMENT_TYPES
from portal.models import Notice
from portal.services.notices import notice_title
from registry.models import Enterprise, SubjectEvent

DEMO_EMAIL = "company@example.com"
DEMO_PASSWORD = "company-demo-2026"  # noqa: S105 - a published demo credential, refused unless DEBUG is on
DEMO_NOTICES = 3


class Command(BaseCommand):
    help = (
        "Create (or reset) the company user 'company@example.com' with password 'company-demo-2026', "
        "administrator of one demo enterprise that has list entries, with a few notices. "
        "Refuses to run unless DEBUG is on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the demo server listens, for the sign-in link (default: %(default)s).",
        )

    def handle(self, *args, base_url: str, **options):
        if not settings.DEBUG:
            raise CommandError(
                "create_demo_company_user only runs with DEBUG on: it creates a user with a published "
                "password."
            )
        enterprise = self._enterprise()
        if enterprise is None:
            raise CommandError("No enterprise in the database: run `make demo` (generate_demo_data) first.")
        user_model = get_user_model()
        with transaction.atomic():
            user, created = user_model._default_manager.get_or_create(username=DEMO_EMAIL)
            user.email = DEMO_EMAIL
            user.is_active = True
            user.set_password(DEMO_PASSWORD)
            user.save()
            EnterpriseMembership.objects.update_or_create(
                user=user, enterprise=enterprise, defaults={"role": EnterpriseMembership.Role.ADMINISTRATOR}
            )
            if not Notice.objects.filter(user=user).exists():
                self._demo_notices(user, enterprise)
        action = "Created" if created else "Reset"
        self.stdout.write(self.style.SUCCESS(f"{action} the demo company user for {enterprise.name}."))
        self.stdout.write(f"Sign in at {base_url.rstrip('/')}{reverse('portal:login')}")
        self.stdout.write(f"  e-mail:   {DEMO_EMAIL}")
        self.stdout.write(f"  password: {DEMO_PASSWORD}")

    @staticmethod
    def _enterprise() -> Enterprise | None:
        """A company (not a government body) with a listing it may apply to repair, so the demo
        user sees the whole path; else any listed company; else the first enterprise."""
        companies = Enterprise.objects.exclude(entity_type__in=GOVERNMENT_TYPES).order_by("uscc")
        repairable = (
            ListEntry.objects.in_force()
            .exclude(list_type__code__in=COURT_LIST_CODES)
            .exclude(list_type__kind=ListType.Kind.REDLIST)
            .exclude(severity=ListEntry.Severity.EXTREMELY_SERIOUS)
            .filter(enterprise__isnull=False, permanent=False)
        )
        listed = ListEntry.objects.filter(enterprise__isnull=False)
        return (
            companies.filter(pk__in=repairable.values("enterprise")).first()
            or companies.filter(pk__in=listed.values("enterprise")).first()
            or Enterprise.objects.order_by("uscc").first()
        )

    def _demo_notices(self, user, enterprise):
        url = reverse("portal:company", kwargs={"uscc": enterprise.uscc})
        entries = ListEntry.objects.filter(enterprise=enterprise).select_related("list_type")[:DEMO_NOTICES]
        for entry in entries:
            event = SubjectEvent(
                enterprise=enterprise,
                kind=SubjectEvent.Kind.PUBLISHED,
                record_type=SubjectEvent.RecordType.LIST_ENTRY,
                record_id=entry.pk,
                summary=str(entry.list_type)[:300],
            )
            Notice.objects.create(
                user=user,
                enterprise=enterprise,
                title=notice_title(event, enterprise),
                body=event.summary,
                url=url,
            )
