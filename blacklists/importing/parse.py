"""Turn one spreadsheet row into a validated court case, or into row errors."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from blacklists.services import case_number_error, normalise_case_number
from core.identifiers import (
    is_valid_uscc,
    mask_resident_id,
    organisation_code_check_char,
    resident_id_birth_date,
    uscc_has_valid_shape,
)
from core.privacy import normalise_resident_id, resident_id_hash
from registry.importing.spreadsheet import RowError, SourceRow
from registry.models import Agency, Region
from registry.services import resident_id_error

PERFORMANCE = {
    "none": "none",
    "全部未履行": "none",
    "未履行": "none",
    "partial": "partial",
    "部分未履行": "partial",
    "部分履行": "partial",
    "full": "full",
    "全部履行": "full",
    "已履行": "full",
}
# Phrases of the court site's 失信被执行人行为具体情形 column, to the circumstance number.
CIRCUMSTANCE_PHRASES = (
    ("有履行能力而拒不履行", "1"),
    ("妨碍", "2"),
    ("抗拒执行", "2"),
    ("规避执行", "3"),
    ("虚假诉讼", "3"),
    ("财产报告", "4"),
    ("限制消费令", "5"),
    ("执行和解协议", "6"),
)
SEX = {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"}
_ORG_CODE = re.compile(r"^([0-9A-Z]{8})-?([0-9X])$")


@dataclass
class PersonKey:
    name: str
    id_hash: str
    id_masked: str
    sex: str
    birth_year: int


@dataclass
class OrganisationKey:
    name: str
    uscc: str = ""
    organisation_code: str = ""


@dataclass
class ParsedCase:
    line: int
    subject: PersonKey | OrganisationKey
    court_name: str
    province: Region
    case_number: str
    filing_date: dt.date
    publish_date: dt.date
    planned_end: dt.date | None
    detail: dict = field(default_factory=dict)
    restricted_person: PersonKey | None = None

    @property
    def is_person(self) -> bool:
        return isinstance(self.subject, PersonKey)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def province_lookup() -> dict[str, Region]:
    lookup = {}
    for region in Region.objects.filter(level=Region.Level.PROVINCE):
        short = re.sub(r"(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$", "", region.name_zh)
        for key in (region.code, region.name_zh, short, region.name_en.lower()):
            lookup[key] = region
    return lookup


def person_key(name: str, raw_number: str, errors: list[str]) -> PersonKey | None:
    number = normalise_resident_id(raw_number)
    message = resident_id_error(number)
    if message:
        errors.append(message)
        return None
    return _person_key_unchecked(name, number)


def _person_key_unchecked(name: str, number: str) -> PersonKey:
    return PersonKey(
        name=name,
        id_hash=resident_id_hash(number),
        id_masked=mask_resident_id(number),
        sex="M" if int(number[16]) % 2 else "F",
        birth_year=int(number[6:10]),
    )


def subject_key(name: str, raw: str) -> tuple[PersonKey | OrganisationKey | None, str | None]:
    """The subject kind follows from the identifier, as on the court's site.

    A few 18-character strings are valid as both a resident ID number and a USCC (government
    organs' codes start like a province code); then a name longer than a person's decides.
    """
    text = normalise_resident_id(raw)
    match = _ORG_CODE.match(text)
    if match:
        if organisation_code_check_char(match[1]) != match[2]:
            return None, _("The check character of organisation code '%(v)s' is wrong.") % {"v": raw}
        return OrganisationKey(name=name, organisation_code=match[1] + match[2]), None
    if len(text) != 18:
        return None, _(
            "'%(v)s' is not a resident ID number (18 characters), a USCC (18) or an organisation code (9)."
        ) % {"v": raw}
    as_uscc = is_valid_uscc(text)
    as_person = resident_id_error(text) is None
    if as_uscc and (not as_person or len(name) > 4):
        return OrganisationKey(name=name, uscc=text), None
    if as_person:
        return _person_key_unchecked(name, text), None
    looks_like_person = text[:17].isdigit() and resident_id_birth_date(text) is not None
    if looks_like_person or (text[:17].isdigit() and not uscc_has_valid_shape(text)):
        return None, resident_id_error(text)
    if uscc_has_valid_shape(text) and not text[:17].isdigit():
        return None, _("The USCC check character of '%(v)s' is wrong.") % {"v": raw}
    return None, _(
        "'%(v)s' fails the check of both a resident ID number and a USCC: please check it for a typing error."
    ) % {"v": raw}


def parse_date(value: object, column: str, row: SourceRow, *, required: bool = True) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        if required:
            row.errors.append(RowError(row.line, column, _("a date is required")))
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        row.errors.append(
            RowError(row.line, column, _("'%(v)s' is not a real date YYYY-MM-DD") % {"v": text})
        )
        return None


def circumstance_code(text: str) -> str | None:
    if text in {"1", "2", "3", "4", "5", "6"}:
        return text
    for phrase, code in CIRCUMSTANCE_PHRASES:
        if phrase in text:
            return code
    return None


def court_code_lookup() -> dict[str, str]:
    """Courts' short codes (``court-320583``) to their Chinese names, for files that give the code."""
    return dict(Agency.objects.filter(kind=Agency.Kind.COURT).values_list("short_code", "name_zh"))


def parse_case(
    row: SourceRow, *, list_code: str, provinces: dict[str, Region], courts: dict[str, str] | None = None
) -> ParsedCase | None:
    values = row.values

    def error(column: str, message: str) -> None:
        row.errors.append(RowError(row.line, column, message))

    name = _text(values.get("name"))
    if len(name) < 2:
        error("name", _("the name needs at least two characters"))
    subject, problem = subject_key(name, _text(values.get("id_number")))
    if problem:
        error("id_number", problem)
    province = provinces.get(_text(values.get("province"))) or provinces.get(
        _text(values.get("province")).lower()
    )
    if province is None:
        error("province", _("'%(v)s' is not a province") % {"v": _text(values.get("province"))})
    court = _text(values.get("court"))
    court = (courts or {}).get(court, court)
    if not court.endswith("法院"):
        error("court", _("'%(v)s' is not a court name (it should end in 法院)") % {"v": court})
    case_number = normalise_case_number(values.get("case_number"))
    problem = case_number_error(case_number)
    if problem:
        error("case_number", problem)
    filing = parse_date(values.get("filing_date"), "filing_date", row)
    published = parse_date(values.get("publish_date"), "publish_date", row)
    planned_end = parse_date(values.get("planned_end"), "planned_end", row, required=False)
    if filing and published and published < filing:
        error("publish_date", _("the publish date is before the filing date"))

    detail: dict = {
        "basis_document_number": _text(values.get("basis_document_number")),
        "basis_unit": _text(values.get("basis_unit")),
        "sex": "",
        "age": None,
        "legal_representative": "",
    }
    is_person = isinstance(subject, PersonKey)
    if is_person:
        sex_text = _text(values.get("sex")).lower()
        if sex_text:
            sex = SEX.get(sex_text)
            if sex is None:
                error("sex", _("use 男/女 or M/F"))
            elif sex != subject.sex:
                error("sex", _("the sex does not match the ID number"))
        detail["sex"] = subject.sex
        age_text = _text(values.get("age"))
        if age_text:
            if not age_text.isdigit() or not 0 < int(age_text) < 130:
                error("age", _("'%(v)s' is not an age") % {"v": age_text})
            else:
                detail["age"] = int(age_text)
    else:
        detail["legal_representative"] = _text(values.get("legal_representative"))

    restricted = None
    if list_code == "court-defaulters":
        performance = PERFORMANCE.get(_text(values.get("performance")).lower())
        if performance is None:
            error("performance", _("use 全部未履行, 部分未履行 or 全部履行"))
        circumstance = circumstance_code(_text(values.get("circumstance")))
        if circumstance is None:
            error(
                "circumstance", _("not one of the six circumstances of the 2017 rules (1-6 or their wording)")
            )
        detail.update(
            obligation=_text(values.get("obligation")),
            performance=performance or "",
            performed_part=_text(values.get("performed_part")),
            unperformed_part=_text(values.get("unperformed_part")),
            circumstance=circumstance or "",
        )
    else:
        detail["order_text"] = _text(values.get("order_text"))
        if not detail["order_text"]:
            error("order_text", _("the restriction order text is required"))
        restricted_name = _text(values.get("restricted_person_name"))
        restricted_number = _text(values.get("restricted_person_id_number"))
        if subject is not None and not is_person:
            if not restricted_name or not restricted_number:
                error(
                    "restricted_person_id_number",
                    _("an order against an organisation names the person it binds (name and ID number)"),
                )
            else:
                problems: list[str] = []
                restricted = person_key(restricted_name, restricted_number, problems)
                for message in problems:
                    error("restricted_person_id_number", message)
        detail["restricted_person_name"] = restricted_name if not is_person else ""

    if row.errors:
        return None
    return ParsedCase(
        line=row.line,
        subject=subject,
        court_name=court,
        province=province,
        case_number=case_number,
        filing_date=filing,
        publish_date=published,
        planned_end=planned_end,
        detail=detail,
        restricted_person=restricted,
    )
