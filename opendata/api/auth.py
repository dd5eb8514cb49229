"""API authentication by developer key or agency token.

A developer key (``odk_…``) comes as ``Authorization: Bearer <key>`` or ``X-Api-Key: <key>``; an
agency client's token (``cpk_…``) as ``Authorization: Bearer <token>``. A key that is unknown or
revoked is refused with 401 naming the problem: a caller who sent a key never silently becomes
anonymous (and so never silently falls to the anonymous limits).
"""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from blacklists.api.auth import ClientPrincipal
from blacklists.services import api_client_authenticate
from opendata.services.keys import KEY_PREFIX, developer_key_find, developer_key_mark_used

API_KEY_HEADER = "HTTP_X_API_KEY"


class KeyPrincipal:
    """``request.user`` of a call made with a developer key: the key's owner, as a caller only.

    Not the user object itself: a key opens the public API at a higher limit, never what its owner
    may do when signed in (a clerk's key must not see government fields)."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False

    def __init__(self, developer_key):
        self.developer_key = developer_key
        self.pk = None  # never recorded as an actor

    def __str__(self) -> str:
        return str(self.developer_key)

    def get_username(self) -> str:
        return f"key:{self.developer_key.prefix}"


def _credential(request) -> str | None:
    header = authentication.get_authorization_header(request).split()
    if header and header[0].lower() == b"bearer":
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as: Authorization: Bearer <key>."))
        try:
            return header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("The key is not valid.")) from exc
    raw = request.META.get(API_KEY_HEADER)
    if raw is not None:
        value = raw.strip()
        if not value:
            raise exceptions.AuthenticationFailed(_("The X-Api-Key header is empty."))
        return value
    return None


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        credential = _credential(request)
        if credential is None:
            return None
        if credential.startswith(KEY_PREFIX):
            developer_key = developer_key_find(key=credential)
            if developer_key is None:
                raise exceptions.AuthenticationFailed(
                    _("This API key is not known. Check that it was copied whole, or create a new one.")
                )
            if developer_key.revoked_at is not None:
                raise exceptions.AuthenticationFailed(
                    _("This API key was revoked on %(date)s. Create a new one in your account.")
                    % {"date": formats.date_format(developer_key.revoked_at, "Y-m-d")}
                )
            if not developer_key.owner.is_active:
                raise exceptions.AuthenticationFailed(_("The account that holds this API key is closed."))
            developer_key_mark_used(developer_key=developer_key)
            return KeyPrincipal(developer_key), developer_key
        client = api_client_authenticate(token=credential)
        if client is None:
            raise exceptions.AuthenticationFailed(
                _("The key is not valid: neither a developer key nor an active agency client token.")
            )
        return ClientPrincipal(client), client

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "opendata.api.auth.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "X-Api-Key",
            "description": (
                "A developer key from your account page, or an agency client's token; either may also "
                "be sent as Authorization: Bearer <key>. See docs/open-data-limits.md for the limits."
            ),
        }
