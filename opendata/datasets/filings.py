"""Datasets of what companies file about themselves: credit commitments and instant disclosures."""

from __future__ import annotations

from filings.models import CreditCommitment, InstantDisclosure

from .base import Column, Dataset
from .common import agency_columns, enterprise_column, enterprise_uscc, record_id, text_column, updated_column
from .transforms import boolean, integer, iso_date, iso_timestamp, json_object

_COMMITMENT_ENTERPRISE = enterprise_uscc()
COMMITMENTS = Dataset(
    name="commitments",
    schema_version=1,
    title_en="Credit commitments",
    title_zh="信用承诺",
    description_en="Signed credit commitments, and whether and how a commitment was found broken.",
    description_zh="已签署的信用承诺，以及承诺是否被认定违背及其情况。",
    model=CreditCommitment,
    lookups=(_COMMITMENT_ENTERPRISE,),
    columns=(
        record_id("commitment", "信用承诺"),
        enterprise_column(_COMMITMENT_ENTERPRISE),
        text_column("kind", "Kind of commitment.", "承诺类型。"),
        text_column("title", "Title.", "承诺标题。"),
        text_column("text", "Text of the commitment.", "承诺内容。"),
        Column("signed_on", "Date signed.", "签署日期。", "signed_on", iso_date),
        text_column("signer_name", "Signed by.", "签署人。"),
        *agency_columns(
            "made_to_agency", "source_agency_id", "Agency the commitment was made to", "承诺受理机关"
        ),
        Column(
            "broken_on",
            "Date found broken (empty: not broken).",
            "认定违诺日期（空为未违诺）。",
            "broken_on",
            iso_date,
        ),
        *agency_columns("broken_by_agency", "broken_by_id", "Agency that found it broken", "认定违诺机关"),
        text_column("broken_note", "How the commitment was broken.", "违诺情况说明。"),
        updated_column(),
    ),
)

_DISCLOSURE_ENTERPRISE = enterprise_uscc()
DISCLOSURES = Dataset(
    name="disclosures",
    schema_version=1,
    title_en="Instant disclosures",
    title_zh="即时信息公示",
    description_en="Facts companies published themselves within 20 working days, current version.",
    description_zh="企业在20个工作日内自行公示的即时信息（现行版本）。",
    model=InstantDisclosure,
    lookups=(_DISCLOSURE_ENTERPRISE,),
    columns=(
        record_id("disclosure", "即时信息"),
        enterprise_column(_DISCLOSURE_ENTERPRISE),
        text_column("kind", "Kind of information.", "信息类型。"),
        Column("occurred_on", "Date of the fact.", "事实发生日期。", "occurred_on", iso_date),
        Column(
            "due_on",
            "Due by (20 working days after the fact).",
            "公示期限（事实发生后20个工作日）。",
            "due_on",
            iso_date,
        ),
        Column(
            "details",
            "The fields of the kind of information (an object of text values).",
            "该类信息的各项内容（文本值构成的对象）。",
            "details",
            json_object,
        ),
        Column("published_on", "Date published.", "公示日期。", "published_on", iso_date),
        Column(
            "published_at",
            "When published (UTC, ISO 8601).",
            "公示时间（UTC，ISO 8601）。",
            "published_at",
            iso_timestamp,
        ),
        Column("late", "True when published after the due date.", "为真表示逾期公示。", "late", boolean),
        Column("version", "Version (1 unless corrected).", "版本号（未更正为1）。", "version", integer),
        Column(
            "corrected_at",
            "When last corrected (UTC; empty: never).",
            "最后更正时间（UTC；空为未更正）。",
            "corrected_at",
            iso_timestamp,
        ),
        updated_column(),
    ),
)

FILING_DATASETS = (COMMITMENTS, DISCLOSURES)
