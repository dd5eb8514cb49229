"""The agencies that issue listings, by system and level, and how their documents are numbered.

Everything is read once (regions and agencies, a few thousand rows each) so that choosing an agency
for an entry costs no query.
"""

from __future__ import annotations

from dataclasses import dataclass

from demo.geo import MUNICIPALITIES, short_name
from registry.models import Agency, Region

# The one-character abbreviation of each province: 津 in 津市监处罚〔2025〕45号, 皖 in (2019)皖1122执1194号.
PROVINCE_ABBREVIATIONS = dict(
    zip(
        (
            "11",
            "12",
            "13",
            "14",
            "15",
            "21",
            "22",
            "23",
            "31",
            "32",
            "33",
            "34",
            "35",
            "36",
            "37",
            "41",
            "42",
            "43",
            "44",
            "45",
            "46",
            "50",
            "51",
            "52",
            "53",
            "54",
            "61",
            "62",
            "63",
            "64",
            "65",
        ),
        "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新",
        strict=True,
    )
)
# Prefecture-level placeholders of the municipalities (市辖区, 县): their districts are counties.
PLACEHOLDER_NAMES = {"市辖区", "县"}


@dataclass(frozen=True)
class AgencyInfo:
    id: int
    short_code: str
    name_zh: str
    level: str
    kind: str
    region_code: str  # "" for national bodies


def province_of(code: str) -> str:
    return code[:2] + "0000"


def abbreviation(code: str) -> str:
    return PROVINCE_ABBREVIATIONS.get(code[:2], "")


class AgencyBook:
    """Regions and agencies, indexed for the demo's choices."""

    def __init__(self):
        self.regions: dict[str, tuple[str, str, str | None]] = {
            code: (name, level, parent)
            for code, name, level, parent in Region.objects.filter(valid_until_year__isnull=True).values_list(
                "code", "name_zh", "level", "parent_id"
            )
        }
        self.counties_by_prefecture: dict[str, list[str]] = {}
        for code, (name, level, parent) in sorted(self.regions.items()):
            if level == Region.Level.COUNTY and parent and name not in PLACEHOLDER_NAMES:
                self.counties_by_prefecture.setdefault(parent, []).append(code)
        self.by_id: dict[int, AgencyInfo] = {}
        self.county_by_prefecture: dict[tuple[str, str], list[AgencyInfo]] = {}
        self.by_region: dict[tuple[str, str], AgencyInfo] = {}
        rows = Agency.objects.order_by("id").values_list(
            "id", "short_code", "name_zh", "level", "kind", "region_id"
        )
        for pk, short_code, name, level, kind, region in rows:
            info = AgencyInfo(pk, short_code, name, level, kind, region or "")
            self.by_id[pk] = info
            if not region or region not in self.regions:
                continue
            if level == Agency.Level.COUNTY:
                parent = self.regions[region][2]
                if parent:
                    self.county_by_prefecture.setdefault((kind, parent), []).append(info)
            self.by_region.setdefault((kind, region), info)

    # --- regions -------------------------------------------------------------------------------
    def name(self, code: str) -> str:
        return self.regions[code][0] if code in self.regions else ""

    def prefecture_of(self, code: str) -> str:
        """The prefecture a region lies in (itself for a prefecture, its parent for a county)."""
        _name, level, parent = self.regions.get(code, ("", "", None))
        return parent if level == Region.Level.COUNTY and parent else code

    def city_short(self, prefecture: str) -> str:
        """石家庄 for 石家庄市; the province's abbreviation for a municipality's placeholder."""
        name = self.name(prefecture)
        if not name or name in PLACEHOLDER_NAMES or province_of(prefecture) in MUNICIPALITIES:
            return abbreviation(prefecture)
        return short_name(name)

    def counties(self, prefecture: str) -> list[str]:
        """The codes of the counties of a prefecture in use, in code order."""
        return self.counties_by_prefecture.get(prefecture, [])

    def full_place_name(self, code: str) -> str:
        """石家庄市长安区 for a district, 正定县 for a county, 天津市和平区 in a municipality."""
        name, level, parent = self.regions[code]
        if level != Region.Level.COUNTY or not parent:
            return name
        if province_of(code) in MUNICIPALITIES:
            return self.name(province_of(code)) + name
        if name.endswith("区"):
            return self.name(parent) + name
        return name

    # --- agencies ------------------------------------------------------------------------------
    def local(self, kind: str, prefecture: str, rng, *, county_share: float = 0.5) -> AgencyInfo | None:
        """An agency of ``kind`` for a subject of ``prefecture``: one of its counties' (about
        ``county_share`` of the time), else the prefecture's own, else the province's."""
        counties = self.county_by_prefecture.get((kind, prefecture), [])
        if counties and rng.random() < county_share:
            return rng.choice(counties)
        return self.by_region.get((kind, prefecture)) or self.by_region.get((kind, province_of(prefecture)))

    def provincial(self, kind: str, code: str) -> AgencyInfo | None:
        return self.by_region.get((kind, province_of(code)))

    def prefix(self, agency: AgencyInfo) -> str:
        """The agency's short form opening its document numbers: 津 (a province or municipality),
        石家庄 (a prefecture), 石长 (a county: the city's first character and the county's)."""
        code = agency.region_code
        if not code or agency.level == Agency.Level.PROVINCIAL:
            return abbreviation(code)
        if agency.level == Agency.Level.PREFECTURE:
            return self.city_short(code)
        parent = self.regions[code][2] if code in self.regions else None
        city = self.city_short(parent) if parent else abbreviation(code)
        return city[0] + self.name(code)[:1]
