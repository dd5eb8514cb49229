"""Datasets from the master register: enterprises and the records of their credit files."""

from __future__ import annotations

import datetime as dt

from registry.models import (
    AbnormalOperationListing,
    AdministrativeLicence,
    AdministrativePenalty,
    Enterprise,
    InspectionRecord,
    KeyPersonnel,
    Shareholder,
)

from .base import Column, Dataset
from .common import agency_columns, enterprise_column, enterprise_uscc, record_id, text_column, updated_column
from .transforms import boolean, iso_date, money, string_list

_PARENT_USCC = enterprise_uscc("parent_body_id")

# Closed for good, still on the register: the feed reports the change as "ended".
_ENDED_STATUSES = {
    Enterprise.Status.REVOKED,
    Enterprise.Status.CANCELLED,
    Enterprise.Status.DEREGISTERED,
}

ENTERPRISES = Dataset(
    name="enterprises",
    schema_version=1,
    title_en="Enterprises and other registered organisations",
    title_zh="企业及其他登记主体",
    description_en="Every organisation with a unified social credit code and its public registration fields.",
    description_zh="所有拥有统一社会信用代码的主体及其公示登记事项。",
    model=Enterprise,
    ended_rule=lambda row: row.get("status") in _ENDED_STATUSES,
    key_field="uscc",
    lookups=(_PARENT_USCC,),
    columns=(
        text_column("uscc", "Unified social credit code (18 characters).", "统一社会信用代码（18位）。"),
        Column(
            "uscc_legacy",
            "True for an official legacy code whose check character does not verify.",
            "为真表示该代码为校验位不通过的历史正式代码。",
            "uscc_legacy",
            boolean,
        ),
        text_column("registration_number", "Former registration number, if any.", "原注册号（如有）。"),
        text_column("name", "Registered name.", "登记名称。"),
        Column(
            "former_names", "Former names, oldest first.", "曾用名，按时间先后。", "former_names", string_list
        ),
        text_column("entity_type", "Type of organisation.", "主体类型。"),
        text_column("legal_representative", "Name of the legal representative.", "法定代表人姓名。"),
        Column(
            "registered_capital",
            "Registered capital (decimal text, two places).",
            "注册资本（十进制文本，两位小数）。",
            "registered_capital",
            money,
        ),
        text_column("capital_currency", "Currency of the capital (ISO 4217).", "注册资本币种（ISO 4217）。"),
        Column("established", "Date of establishment.", "成立日期。", "established", iso_date),
        Column("operating_from", "Operating period from.", "营业期限自。", "operating_from", iso_date),
        Column(
            "operating_to",
            "Operating period to (empty: indefinite).",
            "营业期限至（空为长期）。",
            "operating_to",
            iso_date,
        ),
        Column(
            "approved_on",
            "Date the registration authority last approved the registration.",
            "核准日期。",
            "approved_on",
            iso_date,
        ),
        *agency_columns(
            "registration_authority", "registration_authority_id", "Registration authority", "登记机关"
        ),
        text_column("status", "Registration status.", "登记状态。"),
        text_column("address", "Registered address.", "住所。"),
        text_column("business_scope", "Business scope.", "经营范围。"),
        text_column(
            "region_code",
            "Administrative division code (GB/T 2260).",
            "行政区划代码（GB/T 2260）。",
            "region_id",
        ),
        text_column("industry", "Industry section (GB/T 4754-2017).", "行业门类（GB/T 4754-2017）。"),
        text_column("level", "Level of government, for public bodies only.", "政府层级，仅适用于公共机构。"),
        Column(
            "parent_body_uscc",
            "USCC of the parent body, for public bodies only.",
            "上级机关的统一社会信用代码，仅适用于公共机构。",
            "parent_body_id",
            _PARENT_USCC,
        ),
        updated_column(),
    ),
)

_OFFICER_ENTERPRISE = enterprise_uscc()
OFFICERS = Dataset(
    name="officers",
    schema_version=1,
    title_en="Officers (key personnel)",
    title_zh="主要人员",
    description_en="Directors, supervisors and managers as registered.",
    description_zh="登记的董事、监事、经理等主要人员。",
    model=KeyPersonnel,
    lookups=(_OFFICER_ENTERPRISE,),
    columns=(
        record_id("officer record", "主要人员记录"),
        enterprise_column(_OFFICER_ENTERPRISE),
        text_column("name", "Name of the officer.", "人员姓名。"),
        text_column("role", "Position.", "职务。"),
        Column("appointed_on", "Date appointed.", "任职日期。", "appointed_on", iso_date),
        Column(
            "left_on", "Date left (empty: still in office).", "离任日期（空为在任）。", "left_on", iso_date
        ),
        updated_column(),
    ),
)

_SHAREHOLDER_ENTERPRISE = enterprise_uscc()
_SHAREHOLDER_INVESTOR = enterprise_uscc("shareholder_enterprise_id")
SHAREHOLDERS = Dataset(
    name="shareholders",
    schema_version=1,
    title_en="Shareholders and capital contributions",
    title_zh="股东及出资信息",
    description_en="Shareholders with their subscribed and paid-in capital, as published.",
    description_zh="公示的股东及其认缴、实缴出资。",
    model=Shareholder,
    lookups=(_SHAREHOLDER_ENTERPRISE, _SHAREHOLDER_INVESTOR),
    columns=(
        record_id("shareholding record", "股东记录"),
        enterprise_column(_SHAREHOLDER_ENTERPRISE),
        text_column("kind", "Kind of shareholder.", "股东类型。"),
        text_column("name", "Name of the shareholder.", "股东名称或姓名。"),
        Column(
            "shareholder_uscc",
            "USCC of the shareholder, when it is a registered enterprise.",
            "股东为登记企业时，其统一社会信用代码。",
            "shareholder_enterprise_id",
            _SHAREHOLDER_INVESTOR,
        ),
        Column("subscribed_capital", "Subscribed capital.", "认缴出资额。", "subscribed_capital", money),
        Column("subscribed_date", "Subscription due date.", "认缴出资日期。", "subscribed_date", iso_date),
        text_column("subscribed_method", "Subscription method.", "认缴出资方式。"),
        Column("paid_in_capital", "Paid-in capital.", "实缴出资额。", "paid_in_capital", money),
        Column("paid_in_date", "Paid-in date.", "实缴出资日期。", "paid_in_date", iso_date),
        text_column("paid_in_method", "Payment method.", "实缴出资方式。"),
        updated_column(),
    ),
)

_LICENCE_ENTERPRISE = enterprise_uscc()
LICENCES = Dataset(
    name="licences",
    schema_version=1,
    title_en="Administrative licences",
    title_zh="行政许可",
    description_en="Administrative licences granted to enterprises.",
    description_zh="企业取得的行政许可。",
    model=AdministrativeLicence,
    lookups=(_LICENCE_ENTERPRISE,),
    columns=(
        record_id("licence record", "行政许可记录"),
        enterprise_column(_LICENCE_ENTERPRISE),
        text_column("licence_number", "Licence number.", "许可文件编号。"),
        text_column("name", "Name of the licence.", "许可文件名称。"),
        text_column("content", "Licensed content.", "许可内容。"),
        *agency_columns("issuing_agency", "issuing_agency_id", "Issuing agency", "许可机关"),
        Column("valid_from", "Valid from.", "有效期自。", "valid_from", iso_date),
        Column("valid_to", "Valid to (empty: indefinite).", "有效期至（空为长期）。", "valid_to", iso_date),
        text_column("status", "Status of the licence.", "许可状态。"),
        updated_column(),
    ),
)


def _penalty_still_published(row: dict, today: dt.date) -> bool:
    ends = row.get("publication_ends_on")
    return ends is None or dt.date.fromisoformat(ends) >= today


_PENALTY_ENTERPRISE = enterprise_uscc()
PENALTIES = Dataset(
    name="penalties",
    schema_version=1,
    title_en="Administrative penalties",
    title_zh="行政处罚",
    description_en="Administrative penalty decisions whose publication period has not ended.",
    description_zh="公示期未届满的行政处罚决定。",
    model=AdministrativePenalty,
    lookups=(_PENALTY_ENTERPRISE,),
    public_sql="(t.publication_ends_on IS NULL OR t.publication_ends_on >= %(today)s)",
    row_rule=_penalty_still_published,
    columns=(
        record_id("penalty record", "行政处罚记录"),
        enterprise_column(_PENALTY_ENTERPRISE),
        text_column("decision_number", "Decision document number.", "行政处罚决定书文号。"),
        text_column("violation", "Type of violation.", "违法行为类型。"),
        text_column("content", "Content of the penalty.", "行政处罚内容。"),
        text_column("legal_basis", "Legal basis.", "处罚依据。"),
        Column("fine_amount", "Fine.", "罚款金额。", "fine_amount", money),
        Column(
            "confiscated_amount",
            "Confiscated illegal gains.",
            "没收违法所得金额。",
            "confiscated_amount",
            money,
        ),
        Column("decided_on", "Decision date.", "处罚决定日期。", "decided_on", iso_date),
        *agency_columns("deciding_agency", "deciding_agency_id", "Deciding agency", "处罚机关"),
        Column(
            "publication_ends_on",
            "Last day of publication (empty: no end).",
            "公示截止日期（空为无截止）。",
            "publication_ends_on",
            iso_date,
        ),
        updated_column(),
    ),
)

_ABNORMAL_ENTERPRISE = enterprise_uscc()
ABNORMAL_OPERATIONS = Dataset(
    name="abnormal-operations",
    schema_version=1,
    title_en="Abnormal-operations listings",
    title_zh="经营异常名录",
    description_en="Listings on the abnormal-operations directory and their removals.",
    description_zh="列入经营异常名录及移出的记录。",
    model=AbnormalOperationListing,
    ended_rule=lambda row: row.get("removed_on") is not None,
    lookups=(_ABNORMAL_ENTERPRISE,),
    columns=(
        record_id("listing", "列入记录"),
        enterprise_column(_ABNORMAL_ENTERPRISE),
        text_column("reason", "Reason for listing.", "列入原因。"),
        Column("listed_on", "Listing date.", "列入日期。", "listed_on", iso_date),
        *agency_columns("listing_agency", "listing_agency_id", "Deciding agency", "作出决定机关"),
        text_column("decision_number", "Decision document number.", "决定书文号。"),
        Column(
            "removed_on",
            "Removal date (empty: still listed).",
            "移出日期（空为仍在名录中）。",
            "removed_on",
            iso_date,
        ),
        text_column("removal_reason", "Removal reason.", "移出原因。"),
        *agency_columns("removal_agency", "removal_agency_id", "Removing agency", "移出决定机关"),
        updated_column(),
    ),
)

_INSPECTION_ENTERPRISE = enterprise_uscc()
INSPECTION_RESULTS = Dataset(
    name="inspection-results",
    schema_version=1,
    title_en="Inspection results",
    title_zh="抽查检查结果",
    description_en="Results of spot checks and inspections.",
    description_zh="抽查、检查的结果。",
    model=InspectionRecord,
    lookups=(_INSPECTION_ENTERPRISE,),
    columns=(
        record_id("inspection record", "检查记录"),
        enterprise_column(_INSPECTION_ENTERPRISE),
        *agency_columns("inspecting_agency", "inspecting_agency_id", "Inspecting agency", "检查实施机关"),
        text_column("kind", "Kind of inspection.", "检查类型。"),
        Column("inspected_on", "Inspection date.", "检查日期。", "inspected_on", iso_date),
        text_column("result", "Result.", "检查结果。"),
        text_column("detail", "Detail of the result.", "结果说明。"),
        updated_column(),
    ),
)

REGISTER_DATASETS = (
    ENTERPRISES,
    OFFICERS,
    SHAREHOLDERS,
    LICENCES,
    PENALTIES,
    ABNORMAL_OPERATIONS,
    INSPECTION_RESULTS,
)
