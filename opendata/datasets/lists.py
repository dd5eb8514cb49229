"""Datasets from the lists: entries of every public list and the court's defaulter details.

An entry is published while it is in force (by status and by its dates, so an entry past its
planned end drops out before the expiry job runs) on a list with a public search page; an ended
entry is withdrawn. A listed person appears only with the masked ID number.
"""

from __future__ import annotations

import datetime as dt

from blacklists.models import CourtDefaulterDetail, ListEntry, ListType

from .base import Column, Dataset
from .common import (
    LIST_KIND,
    LIST_NAME_EN,
    LIST_NAME_ZH,
    agency_columns,
    enterprise_uscc,
    text_column,
    updated_column,
)
from .transforms import BatchLookup, boolean, integer, iso_date


class PublicListTypes:
    """The ids of the list types with a public search page, read once per run."""

    def __init__(self) -> None:
        self._ids: frozenset[int] | None = None

    def clear(self) -> None:
        self._ids = None

    def __contains__(self, list_type_id: object) -> bool:
        if self._ids is None:
            self._ids = frozenset(ListType.objects.filter(public_search=True).values_list("pk", flat=True))
        return list_type_id in self._ids


PUBLIC_LIST_TYPES = PublicListTypes()

IN_FORCE_SQL = (
    "{alias}.status = 'in_force' AND {alias}.starts_on <= %(today)s"
    " AND ({alias}.planned_end IS NULL OR {alias}.planned_end >= %(today)s)"
    " AND {alias}.list_type_id IN (SELECT l.id FROM blacklists_listtype l WHERE l.public_search)"
)


def entry_in_force(row: dict, today: dt.date) -> bool:
    planned_end = row.get("planned_end")
    return (
        row.get("status") == ListEntry.Status.IN_FORCE
        and dt.date.fromisoformat(row["starts_on"]) <= today
        and (planned_end is None or dt.date.fromisoformat(planned_end) >= today)
        and row.get("list_type_id") in PUBLIC_LIST_TYPES
    )


_ENTRY_ENTERPRISE = enterprise_uscc()
_ENTRY_PERSON = BatchLookup("registry.Person", "id_masked", "person_id")

LIST_ENTRIES = Dataset(
    name="list-entries",
    schema_version=1,
    title_en="Entries of the public lists",
    title_zh="公开名单名录",
    description_en=(
        "Entries in force on every list with a public search page (blacklists, redlists, watch lists)."
    ),
    description_zh="所有设有公开查询页面的名单（黑名单、红名单、重点关注名单）中正在生效的条目。",
    model=ListEntry,
    lookups=(_ENTRY_ENTERPRISE, _ENTRY_PERSON),
    public_sql=IN_FORCE_SQL.format(alias="t"),
    row_rule=entry_in_force,
    columns=(
        Column("id", "Stable number of the entry.", "名单条目的固定编号。", "id", str),
        Column(
            "list_name_zh", "The list (Chinese name).", "所属名单（中文名称）。", "list_type_id", LIST_NAME_ZH
        ),
        Column(
            "list_name_en", "The list (English name).", "所属名单（英文名称）。", "list_type_id", LIST_NAME_EN
        ),
        Column("list_kind", "Kind of list.", "名单类别。", "list_type_id", LIST_KIND),
        text_column("subject_name", "Name of the subject as listed.", "列入名单时的主体名称或姓名。"),
        Column(
            "enterprise_uscc",
            "USCC of the listed enterprise (empty for a person).",
            "被列入企业的统一社会信用代码（自然人为空）。",
            "enterprise_id",
            _ENTRY_ENTERPRISE,
        ),
        Column(
            "person_id_masked",
            "Masked resident ID number of the listed person (empty for an enterprise).",
            "被列入自然人的身份证号码（脱敏，企业为空）。",
            "person_id",
            _ENTRY_PERSON,
        ),
        *agency_columns("issuing_agency", "issuing_agency_id", "Agency that made the listing", "列入机关"),
        text_column(
            "decision_number", "Decision document number, or the court case number.", "决定文书号或案号。"
        ),
        Column("decision_date", "Decision date.", "决定日期。", "decision_date", iso_date),
        text_column("legal_basis", "Legal basis.", "列入依据。"),
        text_column("circumstance", "Circumstance.", "失信情形或列入事由。"),
        text_column("severity", "Severity.", "严重程度。"),
        Column("starts_on", "Listed from.", "列入日期。", "starts_on", iso_date),
        Column(
            "planned_end",
            "Planned end (empty: permanent).",
            "预计移出日期（空为永久）。",
            "planned_end",
            iso_date,
        ),
        Column("permanent", "True for a permanent listing.", "为真表示永久列入。", "permanent", boolean),
        Column("published_on", "Date published.", "公示日期。", "published_on", iso_date),
        updated_column(),
    ),
)


def _defaulter_entry_in_force(row: dict, today: dt.date) -> bool:
    entry = (
        ListEntry.objects.filter(pk=row.get("entry_id"))
        .values("status", "starts_on", "planned_end", "list_type_id")
        .first()
    )
    if entry is None:
        return False
    return entry_in_force(
        {
            **entry,
            "starts_on": entry["starts_on"].isoformat(),
            "planned_end": entry["planned_end"] and entry["planned_end"].isoformat(),
        },
        today,
    )


COURT_DEFAULTERS = Dataset(
    name="court-defaulters",
    schema_version=1,
    title_en="Court defaulters (dishonest judgment defaulters)",
    title_zh="失信被执行人",
    description_en=(
        "The court's details of each defaulter entry in force; join on list_entry_id with the "
        "list-entries dataset for the name and case number. Persons appear with masked ID numbers."
    ),
    description_zh=(
        "正在生效的失信被执行人条目的法院信息；按 list_entry_id 与名单名录数据集关联以获取姓名或名称及案号。"
        "自然人的身份证号码经脱敏。"
    ),
    model=CourtDefaulterDetail,
    key_field="entry_id",
    order_by="t.entry_id",
    public_sql=(
        "EXISTS (SELECT 1 FROM blacklists_listentry e WHERE e.id = t.entry_id AND "  # noqa: S608 - constant
        + IN_FORCE_SQL.format(alias="e")
        + ")"
    ),
    row_rule=_defaulter_entry_in_force,
    columns=(
        Column(
            "list_entry_id",
            "Number of the entry in the list-entries dataset.",
            "名单名录数据集中的条目编号。",
            "entry_id",
            str,
        ),
        text_column("subject_kind", "Natural person or organisation.", "自然人或法人及其他组织。"),
        text_column(
            "id_display",
            "Masked resident ID number, or the organisation code.",
            "脱敏的身份证号码或组织机构代码。",
        ),
        text_column("sex", "Sex (persons only).", "性别（仅自然人）。"),
        Column("age", "Age (persons only).", "年龄（仅自然人）。", "age", integer),
        text_column(
            "legal_representative",
            "Legal representative or person in charge (organisations only).",
            "法定代表人或负责人姓名（仅组织）。",
        ),
        text_column("province_code", "Province (division code).", "省份（行政区划代码）。", "province_id"),
        Column("filing_date", "Date the case was filed.", "立案时间。", "filing_date", iso_date),
        text_column("basis_document_number", "Enforcement basis document number.", "执行依据文号。"),
        text_column("basis_unit", "Unit that issued the enforcement basis.", "作出执行依据单位。"),
        text_column(
            "obligation", "Obligation set by the effective legal document.", "生效法律文书确定的义务。"
        ),
        text_column("performance", "Performance of the obligation.", "被执行人的履行情况。"),
        text_column("performed_part", "Performed part.", "已履行部分。"),
        text_column("unperformed_part", "Unperformed part.", "未履行部分。"),
        text_column(
            "circumstance",
            "Dishonest circumstance (1-6 of the 2017 rules).",
            "失信被执行人行为具体情形（2017年规定第1至6项）。",
        ),
    ),
)

LIST_DATASETS = (LIST_ENTRIES, COURT_DEFAULTERS)
