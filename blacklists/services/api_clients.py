"""API clients (tokens shown once, kept as SHA-256) and the log of restriction checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_unrestricted
from blacklists.models import ApiClient, ApiScope, RestrictionCheck
from registry.models import Agency, Enterprise, Person
from registry.services import audit_record
from registry.services.audit import Actor, diff, snapshot
from registry.services.base import instance_update

TOKEN_PREFIX = "cpk_"  # noqa: S105 - a marker that makes leaked tokens easy to scan for


def token_hash(token: str) -> str:
    # Tokens are long random strings, so a fast unsalted hash is enough: nothing to brute-force.
    return hashlib.sha256(token.encode()).hexdigest()


def _require_government_admin(actor: Actor) -> None:
    if not is_unrestricted(actor):
        raise PermissionDenied(_("Only superusers and commands manage API clients."))


def _checked_scopes(scopes: Iterable[str]) -> list[str]:
    scopes = sorted(set(scopes))
    unknown = [scope for scope in scopes if scope not in ApiScope.values]
    if unknown:
        raise ValidationError({"scopes": _("Unknown scope: %(scopes)s.") % {"scopes": ", ".join(unknown)}})
    return scopes


def api_client_create(
    *, actor: Actor, via: str, name: str, scopes: Iterable[str], agency: Agency | None = None, note: str = ""
) -> tuple[ApiClient, str]:
    """A new client and its token. The token is returned once and never stored."""
    _require_government_admin(actor)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(
        name=(name or "").strip(),
        agency=agency,
        scopes=_checked_scopes(scopes),
        token_prefix=token[: len(TOKEN_PREFIX) + 4],
        token_hash=token_hash(token),
    )
    with transaction.atomic():
        client.full_clean()
        client.save(force_insert=True)
        audit_record(
            actor=actor,
            via=via,
            action="create",
            instance=client,
            changes=diff({}, snapshot(client)),
            reason=note,
        )
    return client, token


def api_client_update(*, client: ApiClient, actor: Actor, via: str, note: str = "", **changes) -> ApiClient:
    """Rename, rescope, or (de)activate a client. The token itself never changes here."""
    _require_government_admin(actor)
    if "scopes" in changes:
        changes["scopes"] = _checked_scopes(changes["scopes"])
    return instance_update(
        instance=client,
        actor=actor,
        via=via,
        changes=changes,
        note=note,
        read_only={"token_hash", "token_prefix"},
    )


def api_client_authenticate(*, token: str) -> ApiClient | None:
    if not token.startswith(TOKEN_PREFIX):
        return None
    return ApiClient.objects.filter(token_hash=token_hash(token), is_active=True).first()


def restriction_check_record(
    *,
    client: ApiClient,
    identifier: str,
    on: dt.date,
    restricted: bool,
    measure_count: int,
    person: Person | None = None,
    enterprise: Enterprise | None = None,
    measure_code: str = "",
) -> RestrictionCheck:
    """Log one call of the restriction check. The row is itself the audit record of the read."""
    check = RestrictionCheck(
        client=client,
        at=timezone.now(),
        identifier=identifier,
        person=person,
        enterprise=enterprise,
        on=on,
        measure_code=measure_code,
        restricted=restricted,
        measure_count=measure_count,
    )
    # The related rows were just read by the caller and the database checks every constraint;
    # validating them again would cost a query each on the API's hottest path. One INSERT is atomic
    # by itself, and an explicit transaction would add two round trips (BEGIN, COMMIT) per call.
    check.full_clean(exclude=["client", "person", "enterprise"], validate_constraints=False)
    check.save(force_insert=True)
    return check
