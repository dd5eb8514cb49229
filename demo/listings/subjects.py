"""Who the demo lists: register enterprises and persons of the right kind, place and trade, and a
few firms registered for a list when the register has too few that fit (a Weifang fire-safety list
needs Weifang companies; a small demo register has hardly any)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from demo import demo_resident_id
from demo.codes import organisation_code, uscc
from demo.naming import address, brand, random_name, scope, scope_text
from demo.texts import SCOPE
from registry.models import AbnormalOperationListing, Agency, Enterprise, Person
from registry.services import uscc_error
from registry.services.search import ENTERPRISE_FIELDS, enterprise_document_row
from search.services import search_documents_write

from .agencies import PLACEHOLDER_NAMES, AgencyBook, province_of

# Enough to choose from without reading a register of millions into memory.
POOL_LIMIT = 20_000
GOVERNMENT_TYPES = (Enterprise.EntityType.GOVERNMENT_ORGAN, Enterprise.EntityType.PUBLIC_INSTITUTION)
# Blacklists may hold a company whose licence was revoked since; redlists only companies in business.
LISTABLE_STATUSES = (
    Enterprise.Status.IN_OPERATION,
    Enterprise.Status.SUSPENDED,
    Enterprise.Status.LIQUIDATION,
    Enterprise.Status.REVOKED,
)


@dataclass(frozen=True)
class Subject:
    kind: str  # "person" or "enterprise"
    id: int
    name: str
    prefecture: str  # where the subject is: the enterprise's prefecture, the person's ID region
    industry: str = ""


class SubjectBook:
    def __init__(self, book: AgencyBook, *, today: dt.date):
        self.book, self.today = book, today
        rows = (
            Enterprise.objects.exclude(status=Enterprise.Status.UNKNOWN)
            .exclude(entity_type__in=GOVERNMENT_TYPES)
            .order_by("id")
            .values_list("id", "name", "region_id", "industry", "entity_type", "status", "established")[
                :POOL_LIMIT
            ]
        )
        self.enterprises = [
            (
                Subject("enterprise", pk, name, book.prefecture_of(region or ""), industry),
                kind,
                status,
                established,
            )
            for pk, name, region, industry, kind, status, established in rows
        ]
        self.persons = [
            Subject("person", pk, name, demo_resident_id(pk)[:6])
            for pk, name in Person.objects.order_by("id").values_list("id", "name")[:POOL_LIMIT]
        ]
        self.abnormal = set(
            AbnormalOperationListing.objects.filter(enterprise_id__in=[row[0].id for row in self.enterprises])
            .values_list("enterprise_id", flat=True)
            .distinct()
        )
        self.next_index = (Enterprise.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        self.created = 0

    def enterprise_pool(
        self, *, region: str = "", industries=(), entity_types=(), redlist: bool = False, exclude=frozenset()
    ) -> tuple[list[Subject], list[Subject]]:
        """(preferred, others): enterprises that may be listed, those of the wanted trades first."""
        preferred, others = [], []
        for subject, kind, status, established in self.enterprises:
            if subject.id in exclude or (entity_types and kind not in entity_types):
                continue
            if region and not self.within(subject.prefecture, region):
                continue
            if redlist:
                old_enough = established and established <= self.today - dt.timedelta(days=3 * 365)
                if status != Enterprise.Status.IN_OPERATION or not old_enough:
                    continue
            elif status not in LISTABLE_STATUSES:
                continue
            (preferred if not industries or subject.industry in industries else others).append(subject)
        return preferred, others

    def within(self, prefecture: str, region: str) -> bool:
        if region.endswith("0000"):
            return prefecture[:2] == region[:2]
        return prefecture == self.book.prefecture_of(region)

    def register_firms(self, *, rng, places: list[str], trades, industry: str) -> list[Subject]:
        """Companies registered for the demo, one in each of ``places`` (a prefecture or county
        code), written in bulk and indexed for search as ``generate_demo_data`` writes its own."""
        book = self.book
        firms = []
        for place_code in places:
            prefecture = book.prefecture_of(place_code)
            province = province_of(prefecture)
            municipality = book.name(prefecture) in PLACEHOLDER_NAMES
            city_full = book.name(province) if municipality else book.name(prefecture)
            place = SimpleNamespace(
                city_full=city_full, province_full="" if municipality else book.name(province)
            )
            local = place_code != prefecture
            prefix = (
                book.full_place_name(place_code)
                if local
                else city_full
                if municipality
                else book.city_short(prefecture)
            )
            code = self._free_uscc(place_code)
            established = self.today - dt.timedelta(days=rng.randint(2 * 365, 15 * 365))
            authority = book.local(Agency.Kind.MARKET_REGULATION, prefecture, rng)
            phrases = scope(industry, rng) if industry in SCOPE else []
            firms.append(
                Enterprise(
                    uscc=code,
                    name=f"{prefix}{brand(rng)}{rng.choice(trades)}有限公司",
                    entity_type=Enterprise.EntityType.LIMITED_LIABILITY,
                    legal_representative=random_name(rng),
                    registered_capital=Decimal(rng.choice((50, 100, 200, 300, 500, 1000)) * 10000),
                    established=established,
                    operating_from=established,
                    approved_on=established,
                    status=Enterprise.Status.IN_OPERATION,
                    address=address(place, rng),
                    business_scope=scope_text(phrases) if phrases else "",
                    region_id=place_code,
                    industry=industry,
                    registration_authority_id=authority.id if authority else None,
                )
            )
        for firm in firms:
            problem = uscc_error(firm.uscc)
            if problem:
                raise ValueError(f"{firm.name}: {problem}")
        Enterprise.objects.bulk_create(firms)
        search_documents_write(
            [
                enterprise_document_row(values)
                for values in Enterprise.objects.filter(pk__in=[f.pk for f in firms]).values(
                    *ENTERPRISE_FIELDS
                )
            ]
        )
        self.created += len(firms)
        return [
            Subject("enterprise", firm.pk, firm.name, book.prefecture_of(firm.region_id), industry)
            for firm in firms
        ]

    def _free_uscc(self, place_code: str) -> str:
        """A code no enterprise has: its organisation code from an index past every enterprise id."""
        while True:
            index, self.next_index = self.next_index, self.next_index + 1
            code = uscc("1", place_code, organisation_code(index, modern=True))
            if not Enterprise.objects.filter(uscc=code).exists():
                return code
