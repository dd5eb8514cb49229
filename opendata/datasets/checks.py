"""What the data classification allows a dataset to publish.

A column may read only a public field of its table; a lookup may read only a public field of the
table it reads. One exception, by design (docs/data-classification.md): a listed person appears
with the masked ID number while the entry is in force, so the list-entries dataset, whose rows are
exactly the entries in force, may read ``Person.id_masked``.
"""

from __future__ import annotations

import re

from django.apps import apps

from core.classification import Classification, field_classification

from .base import Dataset
from .transforms import BatchLookup, ReferenceLookup

PUBLIC_WHILE_LISTED = {("registry.Person", "id_masked")}
LISTING_DATASETS = {"list-entries"}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _field_by_column(model, column_name: str):
    for field in model._meta.concrete_fields:
        if field.column == column_name:
            return field
    return None


def classification_problems(dataset: Dataset) -> list[str]:
    """Every column of ``dataset`` the classification does not allow the public to see."""
    problems = []
    for column in dataset.columns:
        where = f"{dataset.name}.{column.name}"
        field = _field_by_column(dataset.model, column.source_field)
        if field is None:
            problems.append(f"{where}: {column.source_field} is not a column of {dataset.table}")
            continue
        level = field_classification(dataset.model, field.name)
        if level != Classification.PUBLIC:
            problems.append(f"{where}: {dataset.model.__name__}.{field.name} is {level.label}")
        transform = column.transform
        if isinstance(transform, (ReferenceLookup, BatchLookup)):
            target = apps.get_model(transform.model_label)
            target_level = field_classification(target, transform.field_name)
            allowed = (
                transform.model_label,
                transform.field_name,
            ) in PUBLIC_WHILE_LISTED and dataset.name in LISTING_DATASETS
            if target_level != Classification.PUBLIC and not allowed:
                problems.append(
                    f"{where}: reads {target.__name__}.{transform.field_name}, {target_level.label}"
                )
    return problems


def dictionary_problems(dataset: Dataset) -> list[str]:
    """Columns without a description in both languages, or named twice."""
    problems = []
    names = [column.name for column in dataset.columns]
    for name in {name for name in names if names.count(name) > 1}:
        problems.append(f"{dataset.name}.{name}: named twice")
    for column in dataset.columns:
        if not column.description_en.strip() or _CJK.search(column.description_en):
            problems.append(f"{dataset.name}.{column.name}: no English description")
        if not _CJK.search(column.description_zh):
            problems.append(f"{dataset.name}.{column.name}: no Chinese description")
    if not dataset.title_en or not _CJK.search(dataset.title_zh):
        problems.append(f"{dataset.name}: a title in each language")
    return problems
