"""Create an API client and print its token once: ``create_api_client --name NAME --scope restrictions``."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from blacklists.models import ApiScope
from blacklists.services import api_client_create
from registry.models import Agency, AuditEntry
from registry.services.audit import SYSTEM


class Command(BaseCommand):
    help = "Create an API client. The token is printed once and only its SHA-256 hash is kept."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Who the client is, e.g. an airline's system.")
        parser.add_argument(
            "--scope",
            action="append",
            required=True,
            choices=ApiScope.values,
            help="May be repeated.",
        )
        parser.add_argument(
            "--agency", default="", help="Short code of the agency, if it is an agency's system."
        )

    def handle(self, *args, name, scope, agency, **options):
        agency_obj = None
        if agency:
            agency_obj = Agency.objects.filter(short_code=agency).first()
            if agency_obj is None:
                raise CommandError(f"No agency with short code {agency!r}.")
        try:
            client, token = api_client_create(
                actor=SYSTEM, via=AuditEntry.Via.COMMAND, name=name, scopes=scope, agency=agency_obj
            )
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(" ".join(messages)) from exc
        self.stdout.write(f"Created API client {client.name!r} with scopes {', '.join(client.scopes)}.")
        self.stdout.write("Token (shown once, store it now; send it as 'Authorization: Bearer <token>'):")
        self.stdout.write(token)
