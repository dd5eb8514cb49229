"""Keyset ("cursor") pagination for the API's lists over large tables (docs/open-data-limits.md)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal

from django.db import connection
from django.db.models import Q
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param


class CursorInvalid(ValidationError):
    pass


def _jsonable(value):
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class KeysetPagination(pagination.BasePagination):
    """Keyset ("cursor") pagination: every page costs what the first does.

    The view names its order in ``keyset_ordering`` (field names, ``-`` for descending); the last
    field must be unique, so the order is total. A page is the ``page_size`` rows after (or, going
    back, before) the sort key of the last row seen, found through the index of that order rather
    than by counting past the rows before it. The cursor is that sort key, base64-encoded, with an
    HMAC (SECRET_KEY, salted with the endpoint's order) so a cursor that was edited, truncated or
    taken from another endpoint is refused with 400 instead of paging from a made-up place.

    There is no exact count (counting every row is what makes deep pages slow): ``estimated_count``
    comes from PostgreSQL's table statistics for an unfiltered list, or is counted up to
    ``COUNT_BOUND`` for a filtered one; ``estimated_count_basis`` says which, and ``at_least`` when
    the bound was reached.
    """

    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    COUNT_BOUND = 10_000
    BASIS_STATISTICS = "table_statistics"
    BASIS_EXACT = "exact"
    BASIS_AT_LEAST = "at_least"

    # --- the cursor ---
    def _salt(self) -> str:
        return "core.keyset_pagination:" + ",".join(self.ordering)

    def encode_cursor(self, *, direction: str, values: list) -> str:
        payload = json.dumps({"d": direction, "k": [_jsonable(v) for v in values]}, separators=(",", ":"))
        body = base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")
        signature = salted_hmac(self._salt(), body, algorithm="sha256").hexdigest()[:32]
        return f"{body}.{signature}"

    def decode_cursor(self, raw: str) -> tuple[str, list]:
        invalid = CursorInvalid(
            {
                self.cursor_query_param: [
                    _("The cursor is invalid. Use the next or previous link exactly as the API gave it.")
                ]
            }
        )
        body, _dot, signature = raw.partition(".")
        expected = salted_hmac(self._salt(), body, algorithm="sha256").hexdigest()[:32]
        if not body or not constant_time_compare(signature, expected):
            raise invalid
        try:
            payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            direction, values = payload["d"], payload["k"]
        except (ValueError, TypeError, KeyError) as exc:
            raise invalid from exc
        if direction not in ("n", "p") or not isinstance(values, list) or len(values) != len(self.ordering):
            raise invalid
        return direction, values

    # --- the page ---
    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Must be a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    @staticmethod
    def _flip(field: str) -> str:
        return field[1:] if field.startswith("-") else f"-{field}"

    @staticmethod
    def _beyond(ordering: tuple[str, ...], values: list) -> Q:
        """Rows after ``values`` in ``ordering``: (a > x) or (a = x and b > y) or …"""
        condition = Q()
        equal = Q()
        for field, value in zip(ordering, values, strict=True):
            name = field.lstrip("-")
            step = Q(**{f"{name}__{'lt' if field.startswith('-') else 'gt'}": value})
            condition |= equal & step
            equal &= Q(**{name: value})
        return condition

    def _key(self, row) -> list:
        return [getattr(row, field.lstrip("-")) for field in self.ordering]

    def estimate(self, queryset) -> tuple[int, str]:
        if not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] is not None and row[0] >= 0:
                return int(row[0]), self.BASIS_STATISTICS
        counted = queryset.order_by().select_related(None).values("pk")[: self.COUNT_BOUND + 1].count()
        if counted > self.COUNT_BOUND:
            return self.COUNT_BOUND, self.BASIS_AT_LEAST
        return counted, self.BASIS_EXACT

    def paginate_queryset(self, queryset, request, view=None):
        if "page" in request.query_params:
            raise ValidationError(
                {"page": [_("This list pages by cursor, not by page number: follow the 'next' link.")]}
            )
        self.request = request
        self.ordering = tuple(view.keyset_ordering)
        size = self.get_page_size(request)
        raw = request.query_params.get(self.cursor_query_param)
        direction, values = self.decode_cursor(raw) if raw else ("n", None)
        self.estimated_count, self.estimated_count_basis = self.estimate(queryset)
        ordering = self.ordering if direction == "n" else tuple(self._flip(f) for f in self.ordering)
        rows = queryset.order_by(*ordering)
        if values is not None:
            rows = rows.filter(self._beyond(ordering, values))
        rows = list(rows[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if direction == "p":
            rows.reverse()
            has_previous, has_next = more, True
        else:
            has_previous, has_next = values is not None, more
        self.next_cursor = (
            self.encode_cursor(direction="n", values=self._key(rows[-1])) if has_next and rows else None
        )
        self.previous_cursor = (
            self.encode_cursor(direction="p", values=self._key(rows[0])) if has_previous and rows else None
        )
        return rows

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.next_cursor),
                "previous": self._link(self.previous_cursor),
                "estimated_count": self.estimated_count,
                "estimated_count_basis": self.estimated_count_basis,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "estimated_count", "estimated_count_basis", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page (a signed cursor); null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The previous page; null on the first page.",
                },
                "estimated_count": {
                    "type": "integer",
                    "description": "About how many rows the list has; not an exact count (see the basis).",
                },
                "estimated_count_basis": {
                    "type": "string",
                    "enum": [self.BASIS_STATISTICS, self.BASIS_EXACT, self.BASIS_AT_LEAST],
                    "description": (
                        "table_statistics: PostgreSQL's estimate for the whole table (unfiltered list); "
                        "exact: the filtered list was counted; at_least: it has more rows than this."
                    ),
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque cursor from a previous answer's next or previous link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {self.max_page_size}; {self.page_size} by default.",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
