"""The OpenAPI schema tells the truth about errors: every status an operation can answer, one error body.

drf-spectacular documents the success response of each view. This hook (``POSTPROCESSING_HOOKS``
in ``config/settings.py``) adds what every endpoint of this API can also return, with the error
body of ``registry.api.errors``:

- 400: a query parameter or body field is invalid, unknown, or given twice (``fields`` names it);
- 404: the resource, or the page of a list, does not exist;
- 429: a rate limit was reached (``Retry-After`` says when to try again);
- 503: the database is unreachable for a moment;
- 401 and 403 where the operation requires credentials (no anonymous access).

``tests/test_api_contract.py`` fuzzes the whole schema with schemathesis to hold it to that.
"""

from __future__ import annotations

ERROR_COMPONENT = "Error"

# What the query-string guard (portal.middleware) refuses: control characters, and a query string
# past QUERY_STRING_MAX_LENGTH. Free-text parameters are held short enough that all of an
# operation's parameters, percent-encoded, stay under that limit.
NO_CONTROL_CHARACTERS = r"^[^\u0000-\u001f\u007f]*$"
FREE_TEXT_MAX_LENGTH = 100
AGENCY_CODE = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]{1,64}$"}
DIVISION_CODE = {"type": "string", "pattern": r"^[1-9][0-9]{5}$"}
# Upper or lower case: the API reads a code case-insensitively.
USCC = {
    "type": "string",
    "pattern": r"^[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{10}$",
}
# A name query holds at least two letters or digits (search.query: MIN_QUERY_CHARS).
NAME_QUERY = {
    "type": "string",
    "pattern": r"^[^\u0000-\u001f\u007f]*[^\W_][^\u0000-\u001f\u007f]*[^\W_][^\u0000-\u001f\u007f]*$",
    "maxLength": FREE_TEXT_MAX_LENGTH,
}


def integer_range(minimum: int, maximum: int | None = None) -> dict:
    schema = {"type": "integer", "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error of the API has this body.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer", "description": "The HTTP status, repeated."},
                "code": {
                    "type": "string",
                    "description": "A stable machine-readable code, e.g. invalid, not_found.",
                },
                "message": {"type": "string", "description": "What went wrong, in the reader's language."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "Each invalid parameter or field with its problems.",
                },
            },
            "required": ["status", "code", "message"],
        }
    },
    "required": ["error"],
}

ERROR_DESCRIPTIONS = {
    "400": "A parameter is invalid, unknown or given more than once; `fields` names it.",
    "401": "Credentials are missing or not valid.",
    "403": "The credentials do not allow this operation.",
    "404": "No such resource, or no such page of results.",
    "429": "A rate limit was reached; wait for the seconds in `Retry-After`.",
    "503": "The service is unavailable for a moment; try again after `Retry-After` seconds.",
}

RETRY_AFTER = {
    "Retry-After": {
        "schema": {"type": "integer", "minimum": 0},
        "description": "Seconds to wait before trying again.",
    }
}


def _needs_credentials(operation: dict) -> bool:
    security = operation.get("security")
    return bool(security) and {} not in security


def _error_response(code: str) -> dict:
    response = {
        "description": ERROR_DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}},
    }
    if code in {"429", "503"}:
        response["headers"] = dict(RETRY_AFTER)
    return response


def _type_path_ids(operation: dict) -> None:
    # ``<int:pk>`` routes: anything but a positive whole number matches no URL (404).
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "path" and parameter["name"] in {"id", "pk"}:
            parameter["schema"] = {"type": "integer", "minimum": 1}


def _bound_free_text(operation: dict) -> None:
    """Say what the query-string guard enforces on every parameter the view leaves free."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if schema.get("type") != "string" or "enum" in schema or "format" in schema:
            continue
        schema.setdefault("pattern", NO_CONTROL_CHARACTERS)
        schema.setdefault("maxLength", FREE_TEXT_MAX_LENGTH)


def document_errors(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete", "head", "options"}:
                continue
            _type_path_ids(operation)
            _bound_free_text(operation)
            codes = ["400", "404", "429", "503"]
            if _needs_credentials(operation):
                codes += ["401", "403"]
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, _error_response(code))
    return result
