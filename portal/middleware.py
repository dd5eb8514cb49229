"""Refuse malformed query strings before any view runs.

A public page whose raw query string is longer than ``QUERY_STRING_MAX_LENGTH`` characters, or
whose decoded parameter names or values contain control characters (U+0000 to U+001F and U+007F),
gets the 400 page naming the problem. ``/api/`` gets the same refusal as JSON; ``/admin/`` is left
to Django.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
DEFAULT_MAX_LENGTH = 2048


def query_string_problem(request: HttpRequest) -> str | None:
    """The user-facing reason to refuse this request's query string, or ``None``."""
    raw = request.META.get("QUERY_STRING", "")
    if not raw:
        return None
    limit = getattr(settings, "QUERY_STRING_MAX_LENGTH", DEFAULT_MAX_LENGTH)
    if len(raw) > limit:
        return _(
            "The address is too long: its query part has %(length)s characters and at most %(limit)s "
            "are accepted. Shorten your search and try again."
        ) % {
            "length": number_format(len(raw), force_grouping=True),
            "limit": number_format(limit, force_grouping=True),
        }
    for key, values in request.GET.lists():
        if CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(value) for value in values):
            return _(
                "The query contains control characters (invisible characters such as line breaks, "
                "tabs or null bytes). Type your search again without them."
            )
    return None


def bad_request(request: HttpRequest, exception=None, message: str = "") -> HttpResponse:
    """The 400 page with its request context (Django's default renders it without one)."""
    return render(request, "400.html", {"message": message}, status=400)


class QueryStringGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith("/admin/"):
            return self.get_response(request)
        problem = query_string_problem(request)
        if problem is None:
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": problem,
                    "error": {"status": 400, "code": "bad_query_string", "message": problem},
                },
                status=400,
            )
        return bad_request(request, message=problem)
