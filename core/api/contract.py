"""The API enforces the query parameters its OpenAPI schema publishes, so the two cannot drift apart.

Each request under ``/api/`` is matched to its operation in the generated schema (built once per
process). Its query parameters must be ones the operation declares, each given once, and each
value must satisfy the declared schema (type, pattern, range, enum, length, date format). A request
that breaks any of these gets 400 with the error body of ``registry.api.errors``, ``fields``
naming each bad parameter. The views then only check what a schema cannot say (that a code
exists, that two dates are in order).
"""

from __future__ import annotations

import functools
import re
import threading

from django.http import JsonResponse
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator, FormatChecker

API_PREFIX = "/api/"
_lock = threading.Lock()


@functools.cache
def _operations() -> list[tuple[re.Pattern, dict]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for template, path_item in schema.get("paths", {}).items():
        pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$")
        operations.append((template.count("{"), pattern, path_item))
    # A literal segment wins over a parameter: /enterprises/search/ before /enterprises/{uscc}/.
    return [(pattern, path_item) for _count, pattern, path_item in sorted(operations, key=lambda o: o[0])]


def operation_for(path: str, method: str) -> dict | None:
    with _lock:
        operations = _operations()
    for pattern, path_item in operations:
        if pattern.match(path):
            return path_item.get(method.lower())
    return None


def _typed(raw: str, schema: dict):
    kind = schema.get("type")
    if kind == "integer":
        return int(raw) if re.fullmatch(r"-?[0-9]+", raw) else raw
    if kind == "number":
        try:
            return float(raw)
        except ValueError:
            return raw
    if kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    return raw


def _problem(raw: str, schema: dict) -> str | None:
    value = _typed(raw, schema)
    errors = list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(value))
    if not errors:
        return None
    if "enum" in schema:
        return _("Use one of: %(values)s.") % {"values": ", ".join(str(v) for v in schema["enum"])}
    if schema.get("type") == "integer":
        bounds = []
        if "minimum" in schema:
            bounds.append(_("from %(n)s") % {"n": schema["minimum"]})
        if "maximum" in schema:
            bounds.append(_("to %(n)s") % {"n": schema["maximum"]})
        return (_("Must be a whole number %(bounds)s.") % {"bounds": " ".join(bounds)}).replace(" .", ".")
    if schema.get("type") == "boolean":
        return _("Use true or false.")
    if schema.get("format") == "date":
        return _("Must be a date as YYYY-MM-DD.")
    if "maxLength" in schema and len(raw) > schema["maxLength"]:
        return _("At most %(n)d characters.") % {"n": schema["maxLength"]}
    if "pattern" in schema:
        return _("“%(value)s” does not have the form this parameter takes (pattern %(pattern)s).") % {
            "value": raw[:64],
            "pattern": schema["pattern"],
        }
    return errors[0].message


def query_problems(request, operation: dict) -> dict[str, list[str]]:
    declared = {p["name"]: p for p in operation.get("parameters", []) if p.get("in") == "query"}
    problems: dict[str, list[str]] = {}
    for name, values in request.GET.lists():
        parameter = declared.get(name)
        if parameter is None and name == "page" and "cursor" in declared:
            problems[name] = [
                _("This list pages by cursor, not by page number: follow the next link of an answer.")
            ]
        elif parameter is None:
            known = ", ".join(sorted(declared)) or _("none")
            problems[name] = [_("Unknown parameter. This endpoint takes: %(names)s.") % {"names": known}]
        elif len(values) > 1:
            problems[name] = [_("Given %(n)d times; give it once.") % {"n": len(values)}]
        elif (problem := _problem(values[0], parameter.get("schema", {}))) is not None:
            problems[name] = [problem]
    for name, parameter in declared.items():
        if parameter.get("required") and name not in request.GET:
            problems[name] = [_("This parameter is required.")]
    return problems


class ApiContractMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            operation = operation_for(request.path, request.method)
            if operation is not None and (problems := query_problems(request, operation)):
                return JsonResponse(
                    {
                        "error": {
                            "status": 400,
                            "code": "invalid",
                            "message": _("Some parameters are invalid."),
                            "fields": problems,
                        }
                    },
                    status=400,
                )
        return self.get_response(request)
