"""Import enterprises from a clerk's spreadsheet: validate every row, then write all or nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.identifiers import is_valid_uscc
from registry.importing.spreadsheet import RowError, SourceRow, read_rows
from registry.models import Agency, AuditEntry, Enterprise, Region
from registry.services import enterprise_create, enterprise_update, uscc_error
from registry.services.audit import SYSTEM, Actor

# Canonical column -> accepted headings (English names and the registry's Chinese headings).
COLUMNS: dict[str, tuple[str, ...]] = {
    "uscc": ("uscc", "统一社会信用代码", "信用代码"),
    "name": ("name", "企业名称", "名称"),
    "legal_representative": ("legal_representative", "法定代表人", "负责人", "经营者", "法定代表人/负责人"),
    "established": ("established", "成立日期", "注册日期"),
    "status": ("status", "登记状态", "经营状态"),
    "region_code": ("region_code", "行政区划代码", "所属地区代码", "区划代码"),
    "address": ("address", "住所", "注册地址", "经营场所", "住所/经营场所"),
    "business_scope": ("business_scope", "经营范围"),
    "registered_capital": ("registered_capital", "注册资本", "注册资本(元)"),
    "capital_currency": ("capital_currency", "currency", "币种"),
    "entity_type": ("entity_type", "type", "企业类型", "类型"),
    "operating_from": ("operating_from", "营业期限自"),
    "operating_to": ("operating_to", "营业期限至"),
    "approved_on": ("approved_on", "核准日期"),
    "registration_authority": ("registration_authority", "登记机关"),
    "registration_number": ("registration_number", "注册号"),
    "industry": ("industry", "行业门类", "行业"),
    "legacy": ("legacy", "uscc_legacy", "历史代码", "历史代码标记"),
}
REQUIRED = {"uscc", "name", "established", "status", "region_code"}
ALIASES = {alias.lower(): name for name, aliases in COLUMNS.items() for alias in aliases}

STATUS_VALUES = {
    **{value: value for value in Enterprise.Status.values},
    "存续": "in_operation",
    "在业": "in_operation",
    "开业": "in_operation",
    "在营": "in_operation",
    "存续（在营、开业、在册）": "in_operation",
    "停业": "suspended",
    "清算": "liquidation",
    "迁出": "moved_out",
    "吊销": "revoked",
    "吊销，未注销": "revoked",
    "撤销": "cancelled",
    "注销": "deregistered",
}
ENTITY_TYPE_VALUES = {
    **{value: value for value in Enterprise.EntityType.values},
    "有限责任公司": "llc",
    "股份有限公司": "joint_stock",
    "个人独资企业": "sole_proprietorship",
    "合伙企业": "partnership",
    "个体工商户": "individual_business",
    "农民专业合作社": "cooperative",
    "全民所有制": "state_owned",
    "全民所有制企业": "state_owned",
    "集体所有制": "collective",
    "集体所有制企业": "collective",
    "外商投资企业": "foreign_invested",
    "机关": "government_organ",
    "事业单位": "public_institution",
    "社会团体": "social_organisation",
    "其他": "other",
}
TRUE_VALUES = {"1", "true", "yes", "y", "是", "true()"}
FALSE_VALUES = {"", "0", "false", "no", "n", "否"}
_WAN = re.compile(r"^(?P<number>[0-9.,]+)\s*万(元|人民币)?$")


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    legacy: list[tuple[int, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class EnterpriseImportError(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _date(value: object) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(_text(value))
    except ValueError:
        raise ValueError(_("'%(v)s' is not a real date in the form YYYY-MM-DD") % {"v": value}) from None


def _money(value: object) -> Decimal | None:
    text = _text(value).replace(",", "")
    if not text:
        return None
    multiplier = Decimal(1)
    match = _WAN.match(text)
    if match:
        text, multiplier = match["number"], Decimal(10000)
    try:
        amount = Decimal(text) * multiplier
    except InvalidOperation:
        raise ValueError(_("'%(v)s' is not an amount") % {"v": value}) from None
    if amount < 0:
        raise ValueError(_("registered capital cannot be negative"))
    return amount


def _choice(value: object, mapping: dict[str, str], label: str) -> str:
    text = _text(value)
    if text in mapping:
        return mapping[text]
    if text.lower() in mapping:
        return mapping[text.lower()]
    raise ValueError(
        _("'%(v)s' is not a known %(label)s; use one of: %(choices)s")
        % {"v": text, "label": label, "choices": ", ".join(sorted(set(mapping.values())))}
    )


class _Context:
    def __init__(self) -> None:
        self.regions = set(Region.objects.values_list("code", flat=True))
        self.agencies: dict[str, Agency] = {}
        for agency in Agency.objects.all():
            self.agencies[agency.short_code] = agency
            self.agencies.setdefault(agency.name_zh, agency)


def _parse_row(row: SourceRow, ctx: _Context) -> dict:
    """Model fields for one row; every problem is added to ``row.errors``."""
    values, fields = row.values, {}

    def attempt(column: str, convert):
        try:
            return convert(values.get(column))
        except ValueError as exc:
            row.errors.append(RowError(row.line, column, str(exc)))
            return None

    legacy_text = _text(values.get("legacy")).lower()
    if legacy_text not in TRUE_VALUES | FALSE_VALUES:
        row.errors.append(RowError(row.line, "legacy", _("use 1/0, true/false or 是/否")))
    uscc = _text(values.get("uscc")).upper()
    # The flag only matters, and is only shown, where the check really fails.
    legacy = legacy_text in TRUE_VALUES and not is_valid_uscc(uscc)
    message = uscc_error(uscc, legacy_allowed=legacy)
    if message:
        row.errors.append(RowError(row.line, "uscc", message))
    fields["uscc"], fields["uscc_legacy"] = uscc, legacy

    for column in ("name", "legal_representative", "address", "business_scope", "registration_number"):
        if column in values:
            fields[column] = _text(values.get(column))
    if not fields.get("name"):
        row.errors.append(RowError(row.line, "name", _("the name is required")))
    fields["established"] = attempt("established", _date)
    if (
        "established" in values
        and fields["established"] is None
        and not any(error.column == "established" for error in row.errors)
    ):
        row.errors.append(RowError(row.line, "established", _("the establishment date is required")))
    elif fields["established"] and fields["established"] > timezone.localdate():
        row.errors.append(RowError(row.line, "established", _("the date is in the future")))
    for column in ("operating_from", "operating_to", "approved_on"):
        if column in values:
            fields[column] = attempt(column, _date)
    fields["status"] = attempt("status", lambda v: _choice(v, STATUS_VALUES, _("registration status")))
    if "entity_type" in values:
        fields["entity_type"] = attempt(
            "entity_type", lambda v: _choice(v, ENTITY_TYPE_VALUES, _("enterprise type"))
        )
    if "registered_capital" in values:
        fields["registered_capital"] = attempt("registered_capital", _money)
    if "capital_currency" in values:
        fields["capital_currency"] = _text(values.get("capital_currency")).upper() or "CNY"
    if "industry" in values:
        industry = _text(values.get("industry")).upper()
        if industry and industry not in Enterprise.Industry.values:
            row.errors.append(RowError(row.line, "industry", _("use a GB/T 4754 section letter A-T")))
        fields["industry"] = industry
    region = _text(values.get("region_code"))
    if region not in ctx.regions:
        row.errors.append(
            RowError(
                row.line,
                "region_code",
                _("'%(v)s' is not a GB/T 2260 division code known to the registry") % {"v": region},
            )
        )
    fields["region_id"] = region
    if "registration_authority" in values:
        authority = _text(values.get("registration_authority"))
        if authority and authority not in ctx.agencies:
            row.errors.append(
                RowError(
                    row.line,
                    "registration_authority",
                    _("'%(v)s' is not a known agency (use its short code or Chinese name)")
                    % {"v": authority},
                )
            )
        fields["registration_authority"] = ctx.agencies.get(authority)
    return fields


def _model_errors(row: SourceRow, fields: dict, existing: Enterprise | None) -> None:
    """Run the model's own validation (constraints included) without writing."""
    candidate = existing or Enterprise(entity_type=Enterprise.EntityType.OTHER)
    candidate = Enterprise(
        **{**{f.attname: getattr(candidate, f.attname) for f in Enterprise._meta.concrete_fields}}
    )
    for name, value in fields.items():
        setattr(candidate, name, value)
    try:
        candidate.full_clean(exclude=["uscc"] if existing else None, validate_unique=existing is None)
    except ValidationError as exc:
        for column, messages in exc.message_dict.items():
            label = "" if column == "__all__" else column.removesuffix("_id")
            for message in messages:
                row.errors.append(RowError(row.line, label, message))


def _authority_errors(row: SourceRow, fields: dict, current: Enterprise | None, authority: Agency) -> None:
    """A clerk imports only enterprises their own agency registers (``authority``)."""
    named = fields.get("registration_authority")
    if named is not None and named.pk != authority.pk:
        row.errors.append(
            RowError(
                row.line,
                "registration_authority",
                _("you may import only enterprises registered by %(agency)s") % {"agency": authority.name_zh},
            )
        )
    elif current is not None and current.registration_authority_id not in (None, authority.pk):
        row.errors.append(
            RowError(
                row.line,
                "uscc",
                _("this enterprise is registered by another authority; only its clerks may change it"),
            )
        )
    elif named is None and current is None:
        fields["registration_authority"] = authority


def import_enterprises(
    *,
    path: Path,
    actor: Actor = SYSTEM,
    authority: Agency | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
) -> ImportReport:
    """Validate the whole file; write nothing unless every row is valid.

    ``authority``: the clerk's registration authority; every row must be an enterprise it
    registers (new rows without one are registered by it). None: the central office or a command.
    ``dry_run`` does the whole write and rolls it back, so a preview counts exactly what a write
    would create, change and leave unchanged. ``progress(done, total)`` is told as rows are written.
    """
    rows = read_rows(path, ALIASES, REQUIRED)
    ctx = _Context()
    report = ImportReport()
    parsed: list[tuple[SourceRow, dict]] = []
    first_line: dict[str, int] = {}
    existing = Enterprise.objects.in_bulk(
        [_text(row.values.get("uscc")).upper() for row in rows], field_name="uscc"
    )
    for row in rows:
        fields = _parse_row(row, ctx)
        uscc = fields["uscc"]
        if uscc in first_line:
            row.errors.append(
                RowError(
                    row.line, "uscc", _("the same USCC is already on line %(n)d") % {"n": first_line[uscc]}
                )
            )
        first_line.setdefault(uscc, row.line)
        if authority is not None and not row.errors:
            _authority_errors(row, fields, existing.get(uscc), authority)
        if not row.errors:
            current = existing.get(uscc)
            if current is not None and "entity_type" not in fields:
                fields["entity_type"] = current.entity_type
            fields.setdefault("entity_type", Enterprise.EntityType.OTHER)
            _model_errors(row, fields, current)
        report.errors.extend(row.errors)
        parsed.append((row, fields))
    if report.errors:
        raise EnterpriseImportError(report.errors)

    total = len(parsed)
    with transaction.atomic():
        for done, (row, fields) in enumerate(parsed, start=1):
            current = existing.get(fields["uscc"])
            if fields["uscc_legacy"]:
                report.legacy.append((row.line, fields["uscc"]))
            if current is None:
                enterprise_create(actor=actor, via=AuditEntry.Via.IMPORT, **fields)
                report.created.append(fields["uscc"])
            else:
                before = current.updated_at
                changes = {name: value for name, value in fields.items() if name != "uscc"}
                updated = enterprise_update(
                    enterprise=current, actor=actor, via=AuditEntry.Via.IMPORT, **changes
                )
                (report.updated if updated.updated_at != before else report.unchanged).append(fields["uscc"])
            if progress is not None and (done % 100 == 0 or done == total):
                progress(done, total)
        if dry_run:
            transaction.set_rollback(True)
    return report
