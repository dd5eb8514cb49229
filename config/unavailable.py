"""While the database cannot be reached, answer 503 at once instead of a traceback or a hang.

A restarted, failed-over or overloaded PostgreSQL makes Django raise ``OperationalError`` (it
could not connect, or the server closed the connection) or ``InterfaceError`` (the connection was
already closed). Every such request gets, within the connect timeout of the settings:

* on ``/api/``, the API's JSON error (``{"error": {"status": 503, "code": "database_unavailable",
  ...}}``);
* elsewhere, ``templates/503.html`` in the reader's language;

both with ``Retry-After``. The page is rendered without a request context: a context processor
that reads the database (the signed-in user, messages kept in the session) would fail again.

The middleware catches what a view raises; ``server_error`` (``handler500``) catches the same
errors raised in other middleware (a session saved after the view, the cache of a rate limit), so
no path shows Django's 500 page for an outage. Django drops the broken connection when the request
ends and, with ``CONN_HEALTH_CHECKS``, checks a kept connection before the next request uses it: the
first request after the database is back succeeds, without restarting the server.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 10


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    message = _(
        "The service is briefly unavailable: its database cannot be reached. Please try again in a "
        "few seconds."
    )
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {"error": {"status": 503, "code": "database_unavailable", "message": message}}, status=503
        )
    else:
        page = loader.get_template("503.html").render({"message": message, "language": get_language()})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.warning(
            "Database unavailable, answered 503: %s %s: %s", request.method, request.path, exception
        )
        return database_unavailable_response(request)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: a database outage met outside a view is a 503 too, every other error a 500."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable_response(request)
    return defaults.server_error(request, template_name=template_name)
