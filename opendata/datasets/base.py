"""The shape of a published dataset: which table, which rows and which columns.

A row is always the dict PostgreSQL's ``to_jsonb(table_row)`` gives for a row of the dataset's
table (dates and timestamps as ISO strings, numbers as numbers), so the bulk export and the change
feed, which stores ``to_jsonb(NEW)``, project a record the same way.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone


class UnknownDataset(LookupError):
    def __init__(self, name: str, valid: Iterable[str]) -> None:
        self.name = name
        self.valid = list(valid)
        super().__init__(f"Unknown dataset {name!r}; the datasets are: {', '.join(self.valid)}.")


def row_from_json(value: str | bytes | dict) -> dict:
    """A row from the text of ``to_jsonb(t)``; decimals stay exact."""
    if isinstance(value, dict):
        return value
    return json.loads(value, parse_float=Decimal)


def identity(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Column:
    name: str
    description_en: str
    description_zh: str
    source_field: str
    transform: Callable[[Any], Any] = identity

    def value(self, row: dict) -> Any:
        return self.transform(row.get(self.source_field))


def _today() -> dt.date:
    return timezone.localdate()


@dataclass(frozen=True)
class Dataset:
    """One published dataset.

    ``public_sql`` is a WHERE fragment over the table (aliased ``t``) that selects exactly the
    rows ``is_public`` accepts; it may use the parameter ``%(today)s`` (the local date).
    ``row_rule`` is the Python form of the same rule; a test checks that the two agree.
    ``ended_rule`` says when a record has ended but stays published (a removed abnormal-operations
    listing): the change feed then reports the change as ``ended`` rather than ``changed``.
    """

    name: str
    schema_version: int
    title_en: str
    title_zh: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key_field: str = "id"
    public_sql: str = "TRUE"
    row_rule: Callable[[dict, dt.date], bool] | None = None
    ended_rule: Callable[[dict], bool] | None = None
    description_en: str = ""
    description_zh: str = ""
    order_by: str = "t.id"
    lookups: tuple = field(default=())

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def key(self, row: dict) -> str:
        return str(row[self.key_field])

    def is_public(self, row: dict, *, today: dt.date | None = None) -> bool:
        if self.row_rule is None:
            return True
        return self.row_rule(row, today or _today())

    def ended(self, row: dict) -> bool:
        return self.ended_rule is not None and self.ended_rule(row)

    def publish(self, row: dict) -> dict:
        """The published record of a row already known to be public (the export filters in SQL)."""
        return {column.name: column.value(row) for column in self.columns}

    def project(self, row: dict, *, today: dt.date | None = None) -> dict | None:
        if not self.is_public(row, today=today):
            return None
        return self.publish(row)

    def sql_params(self, *, today: dt.date | None = None) -> dict:
        return {"today": today or _today()}

    def prefetch(self, rows: list[dict]) -> None:
        """Warm the batch lookups (enterprise codes, masked ID numbers) for a batch of rows."""
        for lookup in self.lookups:
            lookup.prefetch(row.get(lookup.source_field) for row in rows)

    def release(self) -> None:
        for lookup in self.lookups:
            lookup.clear()

    def column_dictionary(self) -> list[dict]:
        return [
            {"name": c.name, "description_en": c.description_en, "description_zh": c.description_zh}
            for c in self.columns
        ]
