"""The GB/T 2260 divisions to county level, and the local agencies generated from them.

The source is the table python-stdnum maintains (``stdnum/cn/loc.dat``, compiled from the yearly
editions of the code list): every code with the names it has carried and the years each name
was listed (``[1983-2019]桥东区,[2020-]襄都区``). This module turns it into the rows of
``registry/data/regions.csv`` and ``registry/data/agencies_generated.csv``; it reads no database,
so the migration, the ``update_divisions`` command and the tests share it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from pypinyin import Style, lazy_pinyin

DATA = Path(__file__).resolve().parent / "data"
REGIONS_CSV = DATA / "regions.csv"
AGENCIES_CSV = DATA / "agencies.csv"
GENERATED_AGENCIES_CSV = DATA / "agencies_generated.csv"

# Listed in GB/T 2260 without subdivisions; no register of the mainland is kept there.
SKIPPED_PROVINCES = ("71", "81", "82")
MUNICIPALITIES = ("11", "12", "31", "50")
# Grouping entries of the code list, not places: no agency is generated for them.
PLACEHOLDERS = frozenset(
    {
        "市辖区",
        "县",
        "林区",
        "省直辖县级行政区划",
        "自治区直辖县级行政区划",
    }
)
PLACEHOLDER_NAMES_EN = {
    "市辖区": "Municipal districts",
    "县": "Counties",
    "省直辖县级行政区划": "County-level divisions under the province",
    "自治区直辖县级行政区划": "County-level divisions under the autonomous region",
    "林区": "Forestry districts",
}
# The source's later spelling of two grouping entries; GB/T 2260 itself keeps 行政区划.
NAME_FIXES = {"省直辖县级行政单位": "省直辖县级行政区划", "自治区直辖县级行政单位": "自治区直辖县级行政区划"}
# Readings pypinyin gets wrong in place names.
PINYIN_FIXES = {"朝阳": "Chaoyang", "六安": "Lu'an", "蚌埠": "Bengbu", "厦门": "Xiamen", "长安": "Chang'an"}
SUFFIXES_EN = (
    ("自治县", "Autonomous County"),
    ("自治旗", "Autonomous Banner"),
    ("自治州", "Autonomous Prefecture"),
    ("林区", "Forestry District"),
    ("特区", "Special District"),
    ("矿区", "Mining District"),
    ("新区", "New Area"),
    ("地区", "Prefecture"),
    ("区", "District"),
    ("县", "County"),
    ("市", "City"),
    ("旗", "Banner"),
    ("盟", "League"),
)
ETHNIC_EN = {
    "蒙古": "Mongol",
    "维吾尔": "Uygur",
    "哈萨克": "Kazak",
    "柯尔克孜": "Kirgiz",
    "塔吉克": "Tajik",
    "达斡尔": "Daur",
    "鄂温克": "Ewenki",
    "鄂伦春": "Oroqen",
    "土家": "Tujia",
    "布依": "Bouyei",
    "朝鲜": "Korean",
    "哈尼": "Hani",
    "傈僳": "Lisu",
    "拉祜": "Lahu",
    "东乡": "Dongxiang",
    "纳西": "Naxi",
    "景颇": "Jingpo",
    "仫佬": "Mulao",
    "布朗": "Blang",
    "撒拉": "Salar",
    "毛南": "Maonan",
    "仡佬": "Gelao",
    "锡伯": "Xibe",
    "普米": "Pumi",
    "保安": "Bonan",
    "裕固": "Yugur",
    "独龙": "Derung",
    "满": "Manchu",
    "回": "Hui",
    "藏": "Tibetan",
    "苗": "Miao",
    "彝": "Yi",
    "壮": "Zhuang",
    "侗": "Dong",
    "瑶": "Yao",
    "白": "Bai",
    "傣": "Dai",
    "黎": "Li",
    "佤": "Va",
    "畲": "She",
    "水": "Shui",
    "土": "Tu",
    "羌": "Qiang",
    "怒": "Nu",
    "各": "Multi-ethnic",
}
_ETHNIC_RE = re.compile("(" + "|".join(sorted(ETHNIC_EN, key=len, reverse=True)) + ")族?$")
_ENTRY_RE = re.compile(r"^(?:\[(\d{4})?-(\d{4})?\])?(.+)$")
_LINE_RE = re.compile(r'^(\s*)(\d+) (province|county)="([^"]*)"')

REGION_COLUMNS = ("code", "name_zh", "name_en", "level", "parent_code", "valid_from_year", "valid_until_year")
AGENCY_COLUMNS = ("short_code", "name_zh", "name_en", "level", "kind", "region_code")

REGIONS_HEADER = """GB/T 2260 administrative divisions to county level, with the codes no longer in use.
Source: {source}; latest edition listed: {latest}.
valid_from_year / valid_until_year: first and last yearly edition listing the code
(empty: listed since the first edition / still in use).
Regenerate with: python manage.py update_divisions --write-csv"""
AGENCIES_HEADER = """Market-regulation bureaus and people's courts generated from the divisions in use
(official naming pattern; loaded as generated until a clerk confirms or corrects them).
Source: {source}; names used by registry/data/agencies.csv are left out.
Regenerate with: python manage.py update_divisions --write-csv"""


@dataclass(frozen=True)
class DivisionRow:
    code: str
    name_zh: str
    name_en: str
    level: str
    parent_code: str
    valid_from_year: int | None  # first edition that lists the code; None: listed since the first
    valid_until_year: int | None  # last edition that lists it; None: in use today

    @property
    def retired(self) -> bool:
        return self.valid_until_year is not None


@dataclass(frozen=True)
class AgencyRow:
    short_code: str
    name_zh: str
    name_en: str
    level: str
    kind: str
    region_code: str


class DivisionSourceError(ValueError):
    """The source table cannot be read as the GB/T 2260 code list."""


def stdnum_source() -> tuple[Path, str]:
    """The code list of the installed python-stdnum, and a label naming its version."""
    try:
        import stdnum
    except ImportError as error:  # pragma: no cover - pinned in requirements.txt
        raise DivisionSourceError("python-stdnum is not installed.") from error
    path = Path(stdnum.__file__).resolve().parent / "cn" / "loc.dat"
    return path, f"python-stdnum {stdnum.__version__} (stdnum/cn/loc.dat)"


# --- English names ---------------------------------------------------------------------------------
def _pinyin(text: str) -> str:
    if text in PINYIN_FIXES:
        return PINYIN_FIXES[text]
    return "".join(lazy_pinyin(text, style=Style.NORMAL, v_to_u=True)).capitalize()


def english_name(name_zh: str) -> str:
    """西湖区 -> Xihu District, 昆山市 -> Kunshan City,
    青龙满族自治县 -> Qinglong Manchu Autonomous County."""
    if name_zh in PLACEHOLDER_NAMES_EN:
        return PLACEHOLDER_NAMES_EN[name_zh]
    stem, kind = name_zh, ""
    for suffix, english in SUFFIXES_EN:
        if name_zh.endswith(suffix) and len(name_zh) > len(suffix):
            stem, kind = name_zh[: -len(suffix)], english
            break
    peoples: list[str] = []
    if kind.startswith("Autonomous"):
        while (match := _ETHNIC_RE.search(stem)) and match.start() >= 2:
            peoples.insert(0, ETHNIC_EN[match.group(1)])
            stem = stem[: match.start()]
    return " ".join(part for part in (_pinyin(stem), *peoples, kind) if part)


# --- reading the source ----------------------------------------------------------------------------
def _entries(value: str) -> list[tuple[int | None, int | None, str]]:
    entries = []
    for part in value.split(","):
        match = _ENTRY_RE.match(part.strip())
        if not match:
            raise DivisionSourceError(f"Unreadable name entry {part!r}.")
        start, end, name = match.groups()
        entries.append((int(start) if start else None, int(end) if end else None, name.strip()))
    return entries


def _span(entries) -> tuple[int | None, int | None, str]:
    """First year, last year (None while in use) and the latest name of a code."""
    starts = [start for start, _end, _name in entries]
    first = None if None in starts else min(starts)
    _start, last_end, last_name = entries[-1]
    return first, last_end, NAME_FIXES.get(last_name, last_name)


def read_stdnum_table(text: str) -> list[tuple[str, int | None, int | None, str]]:
    """(code, first year, last year, name) for each code of a loc.dat text, provinces first."""
    codes: list[tuple[str, int | None, int | None, str]] = []
    province = ""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE_RE.match(line)
        if not match:
            raise DivisionSourceError(f"Line {number} is not a code line: {line!r}.")
        indent, digits, kind, value = match.groups()
        if kind == "province" and not indent and len(digits) == 2:
            province = digits
            codes.append((digits + "0000", *_span(_entries(value))))
        elif kind == "county" and indent and len(digits) == 4 and province:
            code = province + digits
            first, last, name = _span(_entries(value))
            if digits == "0000":  # the province's own years
                head = codes[-1] if codes and codes[-1][0] == code else None
                if head is not None:
                    codes[-1] = (code, first, last, head[3])
                continue
            codes.append((code, first, last, name))
        else:
            raise DivisionSourceError(f"Line {number} is out of place: {line!r}.")
    if len(codes) < 1000:
        raise DivisionSourceError(f"Only {len(codes)} codes found; this is not the GB/T 2260 table.")
    return codes


def division_rows(text: str, *, curated: Iterable[DivisionRow] = ()) -> list[DivisionRow]:
    """Every division of the table, parents before children. The English name of a ``curated``
    row (the shipped file) is kept while its Chinese name is unchanged; others come from the pinyin."""
    english = {row.code: (row.name_zh, row.name_en) for row in curated}
    table = [row for row in read_stdnum_table(text) if row[0][:2] not in SKIPPED_PROVINCES]
    known = {code for code, *_rest in table}
    rows = []
    for code, first, last, name in table:
        if code.endswith("0000"):
            level, parent = "province", ""
        elif code.endswith("00"):
            level, parent = "prefecture", code[:2] + "0000"
        else:
            level = "county"
            parent = code[:4] + "00" if code[:4] + "00" in known else code[:2] + "0000"
        rows.append(
            DivisionRow(
                code=code,
                name_zh=name,
                name_en=english[code][1] if english.get(code, ("",))[0] == name else english_name(name),
                level=level,
                parent_code=parent,
                valid_from_year=first,
                valid_until_year=last,
            )
        )
    rows.sort(key=lambda row: ({"province": 0, "prefecture": 1, "county": 2}[row.level], row.code))
    return rows


# --- generated agencies ----------------------------------------------------------------------------
def _agency_prefix(row: DivisionRow, by_code: dict[str, DivisionRow]) -> tuple[str, str]:
    """The place part of a local agency's name: 杭州市西湖区, 北京市朝阳区, 昆山市, 城口县."""
    parent = by_code.get(row.parent_code)
    if row.name_zh.endswith("区") and not row.name_zh.endswith(("林区", "特区")) and parent is not None:
        city = parent
        if parent.name_zh in PLACEHOLDERS or parent.level == "province":
            city = by_code[row.code[:2] + "0000"]
        if city.level == "prefecture" or row.code[:2] in MUNICIPALITIES:
            return city.name_zh + row.name_zh, f"{_city_en(city)} {row.name_en}"
    return row.name_zh, _city_en(row)


def _city_en(row: DivisionRow) -> str:
    return row.name_en.removesuffix(" City")


def agency_rows(divisions: Iterable[DivisionRow], *, taken_names: set[str] = frozenset()) -> list[AgencyRow]:
    """The market-regulation bureau and the people's court of every division in use below the
    provinces, named after the official pattern; names already used by a curated agency skipped."""
    divisions = list(divisions)
    by_code = {row.code: row for row in divisions}
    agencies: list[AgencyRow] = []
    taken = set(taken_names)
    # Where two codes in use carry the same name (the source lists a few superseded codes without
    # an end year), the prefecture, then the newer (higher) code, keeps the agency.
    order = sorted(divisions, key=lambda row: (row.level != "prefecture", -int(row.code)))
    for row in order:
        if row.retired or row.level == "province" or row.name_zh in PLACEHOLDERS:
            continue
        if row.level == "prefecture":
            zh, en = row.name_zh, _city_en(row)
            court_zh, court_en = f"{zh}中级人民法院", f"{en} Intermediate People's Court"
        else:
            zh, en = _agency_prefix(row, by_code)
            court_zh, court_en = f"{zh}人民法院", f"{en} People's Court"
        level = "prefecture" if row.level == "prefecture" else "county"
        for short_code, name_zh, name_en, kind in (
            (
                f"amr-{row.code}",
                f"{zh}市场监督管理局",
                f"{en} Administration for Market Regulation",
                "market_regulation",
            ),
            (f"court-{row.code}", court_zh, court_en, "court"),
        ):
            if name_zh not in taken:
                taken.add(name_zh)
                agencies.append(AgencyRow(short_code, name_zh, name_en, level, kind, row.code))
    return sorted(agencies, key=lambda agency: (agency.region_code, agency.kind))


# --- the shipped files -----------------------------------------------------------------------------
def _year(value: str) -> int | None:
    return int(value) if value else None


def read_regions_csv(path: Path = REGIONS_CSV) -> list[DivisionRow]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [line for line in handle if not line.startswith("#")]
    return [
        DivisionRow(
            code=row["code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            level=row["level"],
            parent_code=row["parent_code"],
            valid_from_year=_year(row.get("valid_from_year", "")),
            valid_until_year=_year(row.get("valid_until_year", "")),
        )
        for row in csv.DictReader(rows)
    ]


def read_agencies_csv(path: Path) -> list[AgencyRow]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = [line for line in handle if not line.startswith("#")]
    return [
        AgencyRow(**{name.name: row[name.name] for name in fields(AgencyRow)}) for row in csv.DictReader(rows)
    ]


def rows_csv(rows: Iterable, columns: tuple[str, ...], *, header: str = "") -> str:
    out = io.StringIO()
    for line in header.splitlines():
        out.write(f"# {line}\n")
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in asdict(row).items()})
    return out.getvalue()


def write_data_files(
    divisions: list[DivisionRow],
    agencies: list[AgencyRow],
    *,
    source: str,
    regions_path: Path = REGIONS_CSV,
    agencies_path: Path = GENERATED_AGENCIES_CSV,
) -> None:
    """Rewrite the shipped regions.csv and agencies_generated.csv, their headers naming the source."""
    years = [year for row in divisions for year in (row.valid_from_year, row.valid_until_year) if year]
    header = {"source": source, "latest": max(years, default="")}
    regions_path.write_text(
        rows_csv(divisions, REGION_COLUMNS, header=REGIONS_HEADER.format(**header)), encoding="utf-8"
    )
    agencies_path.write_text(
        rows_csv(agencies, AGENCY_COLUMNS, header=AGENCIES_HEADER.format(**header)), encoding="utf-8"
    )
