"""Regions the generator places companies in, their short names, and the agencies it cites."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management.base import CommandError

from registry.models import Agency, Region

MUNICIPALITIES = ("110000", "120000", "310000", "500000")
ETHNIC_SUFFIXES = (
    "朝鲜族",
    "土家族",
    "苗族",
    "布依族",
    "侗族",
    "藏族",
    "羌族",
    "彝族",
    "哈尼族",
    "壮族",
    "傣族",
    "景颇族",
    "傈僳族",
    "白族",
    "回族",
    "蒙古族",
    "蒙古",
    "柯尔克孜",
    "哈萨克",
    "维吾尔",
)
# Rough share of new registrations: capitals, municipalities and a few coastal cities dominate.
BIG_CITIES = ("440300", "320500", "330200", "370200", "350200", "210200", "320200", "441900", "440600")
NATIONAL_CODES = ("samr", "sta", "mee", "mohurd", "mot", "nhc", "moe", "mct", "nmpa", "mem", "mohrss", "ndrc")


def short_name(name: str) -> str:
    """合肥市 -> 合肥, 延边朝鲜族自治州 -> 延边, 阿里地区 -> 阿里, 广西壮族自治区 -> 广西."""
    for suffix in ("自治区", "自治州", "地区", "省", "市", "盟"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    stripped = True
    while stripped:
        stripped = False
        for ethnic in ETHNIC_SUFFIXES:
            if name.endswith(ethnic) and len(name) - len(ethnic) >= 2:
                name, stripped = name[: -len(ethnic)], True
    return name


@dataclass(frozen=True)
class Place:
    code: str
    city: str  # short form used in company names: 合肥
    city_full: str  # as written in addresses: 合肥市
    province_code: str
    province: str  # 安徽
    province_full: str  # 安徽省 ("" for municipalities, whose city already says it)
    amr_id: int  # local market regulation bureau
    weight: int


def _weight(region: Region) -> int:
    if region.parent_id in MUNICIPALITIES:
        return 40 if region.name_zh == "市辖区" else 6
    if region.code.endswith("0100") or region.code in BIG_CITIES:
        return 14
    if region.name_zh.endswith(("州", "地区", "盟")):
        return 1
    return 3


def _prefecture_agency(region: Region, province_name: str) -> Agency:
    agency, _ = Agency.objects.get_or_create(
        short_code=f"amr-{region.code}",
        defaults={
            "name_zh": f"{region.name_zh}市场监督管理局",
            "name_en": f"{region.name_en} Administration for Market Regulation",
            "level": Agency.Level.PREFECTURE,
            "kind": Agency.Kind.MARKET_REGULATION,
            "region": region,
        },
    )
    return agency


def load_places() -> list[Place]:
    """Eligible prefectures in code order, creating their market regulation bureaus if missing.

    Bureaus are created for every eligible prefecture, not only those a run happens to use, so
    agency ids do not depend on the run's size. Municipal districts are served by the
    municipality's own bureau, which the reference data already has."""
    provinces = {region.code: region for region in Region.objects.filter(level=Region.Level.PROVINCE)}
    provincial_amr = dict(
        Agency.objects.filter(short_code__startswith="amr-", level=Agency.Level.PROVINCIAL).values_list(
            "region_id", "id"
        )
    )
    places = []
    prefectures = Region.objects.filter(
        level=Region.Level.PREFECTURE, valid_until_year__isnull=True
    ).order_by("code")
    for region in prefectures:
        if "直辖" in region.name_zh or region.name_zh == "林区" or region.parent_id not in provinces:
            continue
        province = provinces[region.parent_id]
        if region.parent_id in MUNICIPALITIES:
            if region.parent_id not in provincial_amr:
                raise CommandError(f"Agency amr-{region.parent_id} is missing; run migrate first.")
            city_full, amr_id, province_full = province.name_zh, provincial_amr[region.parent_id], ""
        else:
            city_full, province_full = region.name_zh, province.name_zh
            amr_id = _prefecture_agency(region, province.name_zh).id
        places.append(
            Place(
                code=region.code,
                city=short_name(city_full),
                city_full=city_full,
                province_code=province.code,
                province=short_name(province.name_zh),
                province_full=province_full,
                amr_id=amr_id,
                weight=_weight(region),
            )
        )
    if not places:
        raise CommandError("No prefecture-level regions found; run migrate first.")
    return places


def load_agency_ids() -> dict[str, int]:
    """Provincial bureaus (amr-/tax-/court-<province>) and the national bodies records cite."""
    wanted = Agency.objects.filter(short_code__in=NATIONAL_CODES) | Agency.objects.filter(
        level=Agency.Level.PROVINCIAL
    )
    ids = dict(wanted.values_list("short_code", "id"))
    missing = [code for code in NATIONAL_CODES if code not in ids]
    if missing:
        raise CommandError(f"Reference agencies missing: {', '.join(missing)}; run migrate first.")
    return ids
