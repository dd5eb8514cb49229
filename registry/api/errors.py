"""One JSON error shape for the whole API.

``{"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"param": ["..."]}}}``
``fields`` names each bad parameter or field.
"""

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler


def _flatten(detail) -> list[str]:
    if isinstance(detail, list | tuple):
        return [str(item) for item in detail]
    return [str(detail)]


def json_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    body = {"status": response.status_code, "code": getattr(exc, "default_code", "error")}
    if isinstance(exc, ValidationError) and isinstance(exc.detail, dict):
        body["message"] = _("Some parameters are invalid.")
        body["fields"] = {name: _flatten(detail) for name, detail in exc.detail.items()}
    elif isinstance(exc, ValidationError):
        body["message"] = " ".join(_flatten(exc.detail))
    else:
        detail = getattr(exc, "detail", None)
        body["message"] = str(detail) if detail is not None else str(exc)
        if isinstance(detail, dict):
            body["fields"] = {name: _flatten(value) for name, value in detail.items()}
    if response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        body["code"] = "throttled"
    response.data = {"error": body}
    return response


def not_found(request, exception=None):
    """404 for an address that matches no URL: the API's JSON error under /api/, else the page."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        message = _("There is no API endpoint at %(path)s.") % {"path": request.path}
        return JsonResponse({"error": {"status": 404, "code": "not_found", "message": message}}, status=404)
    return page_not_found(request, exception)
