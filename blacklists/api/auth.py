"""Bearer-token authentication for API clients, and a permission class per scope."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from blacklists.models import ApiClient, ApiScope
from blacklists.services import api_client_authenticate


class ClientPrincipal:
    """Stands in for ``request.user``: an authenticated caller that is a system, not a person."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False

    def __init__(self, client: ApiClient):
        self.client = client
        self.pk = None  # never a user row: services must not record it as an actor

    def __str__(self) -> str:
        return self.client.name

    def get_username(self) -> str:
        return f"api:{self.client.name}"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as: Authorization: Bearer <token>."))
        try:
            token = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from exc
        client = api_client_authenticate(token=token)
        if client is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid or the client is inactive."))
        return ClientPrincipal(client), client

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to a call without credentials.
        return f'{self.keyword} realm="api"'


class HasScope(permissions.BasePermission):
    scope = ""
    message = _("This client is not allowed to use this endpoint.")

    def has_permission(self, request, view) -> bool:
        client = request.auth
        if not isinstance(client, ApiClient):
            # DRF turns this into 401 when no credentials were sent at all.
            return False
        return client.has_scope(self.scope)


class RestrictionsScope(HasScope):
    scope = ApiScope.RESTRICTIONS
    message = _("This client does not have the 'restrictions' scope.")


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes the bearer token in the OpenAPI schema."""

    target_class = "blacklists.api.auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "create_api_client --scope restrictions"}
