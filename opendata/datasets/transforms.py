"""Turn a raw ``to_jsonb`` value into its published form.

Small reference tables (regions, agencies, list types) are read once and cached; references into
large tables (an enterprise's USCC, a listed person's masked ID number) are looked up per batch, so
an export of millions of rows keeps a bounded cache.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, models


def text(value: Any) -> str:
    return "" if value is None else str(value)


def integer(value: Any) -> int | None:
    return None if value is None else int(value)


def boolean(value: Any) -> bool | None:
    return None if value is None else bool(value)


def iso_date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return dt.date.fromisoformat(str(value)[:10]).isoformat()


def iso_timestamp(value: Any) -> str | None:
    """A timestamp in UTC, ISO 8601 with its offset, whatever the session's time zone was."""
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def money(value: Any) -> str | None:
    """An amount as decimal text with two places: exact, whichever JSON parser read the row."""
    if value is None:
        return None
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return f"{amount.quantize(Decimal('0.01'))}"


def string_list(value: Any) -> list[str]:
    return [str(item) for item in value or []]


def json_object(value: Any) -> dict:
    return dict(value or {})


class ReferenceLookup:
    """A column of a small public reference table by primary key, read once per process run."""

    def __init__(self, model_label: str, field_name: str) -> None:
        self.model_label = model_label
        self.field_name = field_name
        self._values: dict[Any, Any] | None = None

    @property
    def model(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.model_label)

    def clear(self) -> None:
        self._values = None

    def __call__(self, value: Any) -> Any:
        if value is None:
            return ""
        if self._values is None:
            self._values = dict(self.model.objects.values_list("pk", self.field_name))
        found = self._values.get(value)
        if found is None and value not in self._values:
            # A row added since the cache was read (the feed runs for days): read it once.
            found = self.model.objects.filter(pk=value).values_list(self.field_name, flat=True).first()
            self._values[value] = found
        return "" if found is None else found


class BatchLookup:
    """A column of a large table by primary key, prefetched for each batch of exported rows."""

    def __init__(self, model_label: str, field_name: str, source_field: str) -> None:
        self.model_label = model_label
        self.field_name = field_name
        self.source_field = source_field
        self._values: dict[Any, Any] = {}

    @property
    def model(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.model_label)

    def clear(self) -> None:
        self._values = {}

    def prefetch(self, keys: Iterable[Any]) -> None:
        wanted = {key for key in keys if key is not None and key not in self._values}
        if not wanted:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        column = connection.ops.quote_name(self.model._meta.get_field(self.field_name).column)
        pk = connection.ops.quote_name(self.model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {pk} = ANY(%s)", [list(wanted)])  # noqa: S608
            self._values.update(cursor.fetchall())

    def __call__(self, value: Any) -> str:
        if value is None:
            return ""
        if value not in self._values:
            self.prefetch([value])
        found = self._values.get(value)
        return "" if found is None else str(found)
