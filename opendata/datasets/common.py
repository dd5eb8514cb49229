"""Columns and lookups shared by several datasets."""

from __future__ import annotations

from .base import Column
from .transforms import BatchLookup, ReferenceLookup, iso_timestamp, text

AGENCY_NAME_ZH = ReferenceLookup("registry.Agency", "name_zh")
AGENCY_NAME_EN = ReferenceLookup("registry.Agency", "name_en")
LIST_NAME_ZH = ReferenceLookup("blacklists.ListType", "name_zh")
LIST_NAME_EN = ReferenceLookup("blacklists.ListType", "name_en")
LIST_KIND = ReferenceLookup("blacklists.ListType", "kind")

REFERENCE_LOOKUPS = (AGENCY_NAME_ZH, AGENCY_NAME_EN, LIST_NAME_ZH, LIST_NAME_EN, LIST_KIND)


def enterprise_uscc(source_field: str = "enterprise_id") -> BatchLookup:
    return BatchLookup("registry.Enterprise", "uscc", source_field)


def record_id(what_en: str, what_zh: str) -> Column:
    return Column("id", f"Stable number of the {what_en}.", f"{what_zh}的固定编号。", "id", str)


def enterprise_column(lookup: BatchLookup) -> Column:
    return Column(
        "enterprise_uscc",
        "Unified social credit code of the enterprise the record belongs to.",
        "记录所属企业的统一社会信用代码。",
        lookup.source_field,
        lookup,
    )


def agency_columns(name: str, source_field: str, what_en: str, what_zh: str) -> tuple[Column, Column]:
    return (
        Column(
            f"{name}_zh",
            f"{what_en} (Chinese name).",
            f"{what_zh}（中文名称）。",
            source_field,
            AGENCY_NAME_ZH,
        ),
        Column(
            f"{name}_en",
            f"{what_en} (English name).",
            f"{what_zh}（英文名称）。",
            source_field,
            AGENCY_NAME_EN,
        ),
    )


def updated_column() -> Column:
    return Column(
        "updated_at",
        "When the record last changed (UTC, ISO 8601).",
        "记录最后变更时间（UTC，ISO 8601）。",
        "updated_at",
        iso_timestamp,
    )


def text_column(name: str, en: str, zh: str, source_field: str | None = None) -> Column:
    return Column(name, en, zh, source_field or name, text)
