"""Create or reset the demo superuser ``admin`` / ``admin-demo``. Local demo only (DEBUG on)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "admin-demo"  # noqa: S105 - a published demo credential, refused unless DEBUG is on


class Command(BaseCommand):
    help = (
        "Create (or reset) the superuser 'admin' with password 'admin-demo' for the local demo. "
        "Refuses to run unless DEBUG is on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the demo server listens, for the login link (default: %(default)s).",
        )

    def handle(self, *args, base_url: str, **options):
        if not settings.DEBUG:
            raise CommandError(
                "create_demo_admin only runs with DEBUG on: it creates a superuser with a published "
                "password. For a real server, use `manage.py createsuperuser` instead."
            )
        user_model = get_user_model()
        user, created = user_model._default_manager.get_or_create(
            **{user_model.USERNAME_FIELD: DEMO_USERNAME}
        )
        user.is_active = True
        user.is_staff = True
        user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        action = "Created" if created else "Reset"
        login_url = base_url.rstrip("/") + reverse("admin:index")
        self.stdout.write(self.style.SUCCESS(f"{action} the demo superuser."))
        self.stdout.write(f"Log in at {login_url}")
        self.stdout.write(f"  user:     {DEMO_USERNAME}")
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
