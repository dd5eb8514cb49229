"""Synthetic court-list cases for the demo, loaded through the real importer.

Subjects are drawn from the demo register (persons' ID numbers are recomputed from their ids
with ``demo.demo_resident_id``, since the register keeps only hashes), so a search for
a demo person's name or number finds their cases. The courts are the register's own basic and
intermediate people's courts of the subject's prefecture, and the case numbers carry their codes:
(2024)冀0102执1234号 for a district court, (2024)冀01执1234号 for an intermediate court. A few
defaulters are government bodies (a county bureau, a public hospital), registered by the importer
from their codes, as the court lists hold them.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from pathlib import Path

from django.utils import timezone

from blacklists.importing.run import ListImportReport, import_list
from blacklists.models import ListEntry, ListEntryStatusChange, ListType
from core.identifiers import uscc_check_char
from demo import demo_resident_id
from demo.codes import organisation_code
from registry.models import Agency, Enterprise, Person

from .agencies import AgencyBook, abbreviation, province_of
from .write import COURT_REASONS, Ending, court_entries_end, expiry_reason, moment

OBLIGATIONS = (
    "支付货款人民币{n}万元",
    "偿还借款本金人民币{n}万元及利息",
    "支付工程款人民币{n}万元",
    "赔偿损失人民币{n}万元",
)
CIRCUMSTANCES = ("1", "1", "1", "2", "3", "4", "5", "6")
PERFORMANCE = ("全部未履行", "全部未履行", "部分未履行")
# Government bodies on court lists: (USCC category, name after the county's).
GOVERNMENT_BODIES = (
    ("11", "住房和城乡建设局"),
    ("11", "交通运输局"),
    ("11", "自然资源局"),
    ("11", "农业农村局"),
    ("12", "人民医院"),
    ("12", "城乡建设服务中心"),
    ("12", "第一中学"),
)
GOVERNMENT_SHARE = 0.04
ORGANISATION_SHARE = 0.15
INTERMEDIATE_SHARE = 0.25
# Government bodies' organisation codes, far above any demo enterprise's index; one range a list.
GOVERNMENT_CODE_BASE = {"court-defaulters": 90_000_000, "consumption-restriction": 95_000_000}
# Share of the cases in force that the court ended early: the judgment performed, or an error.
REMOVED_SHARE, REVOKED_SHARE = 0.15, 0.03


def _court(book: AgencyBook, prefecture: str, rng, *, county: str = "") -> tuple[Agency | None, str]:
    """A basic court of the prefecture (the county's own, when given) or its intermediate court,
    and the court's code in case numbers."""
    counties = book.county_by_prefecture.get((Agency.Kind.COURT, prefecture), [])
    if county:
        counties = [court for court in counties if court.region_code == county] or counties
    intermediate = book.by_region.get((Agency.Kind.COURT, prefecture))
    if intermediate and (not counties or rng.random() < INTERMEDIATE_SHARE):
        return intermediate, abbreviation(prefecture) + prefecture[2:4]
    if counties:
        court = rng.choice(counties)
        return court, abbreviation(prefecture) + court.region_code[2:6]
    return None, ""


def _government_body(book: AgencyBook, prefecture: str, code_index: int, rng) -> tuple[str, str, str]:
    """(name, USCC, county) of a county's bureau or public institution."""
    counties = book.counties(prefecture)
    code = rng.choice(counties) if counties else prefecture
    category, body = rng.choice(GOVERNMENT_BODIES)
    organisation = organisation_code(code_index, modern=False)
    number = f"{category}{code}{organisation}"
    return book.full_place_name(code) + body, number + uscc_check_char(number), code


def demo_court_rows(
    *, count: int, seed: int, list_code: str, today: dt.date, book: AgencyBook | None = None
) -> list[dict]:
    book = book or AgencyBook()
    rng = random.Random(f"{seed}:{list_code}")  # noqa: S311 - reproducible demo data, not secrets
    people = list(Person.objects.order_by("id").values_list("id", "name")[: count * 4])
    companies = list(
        Enterprise.objects.exclude(status=Enterprise.Status.UNKNOWN).order_by("id")[: max(count // 2, 1)]
    )
    rows = []
    for index in range(count):
        roll = rng.random()
        legal_representative = county = ""
        if roll < GOVERNMENT_SHARE:
            prefecture = demo_resident_id(rng.choice(people)[0])[:6]
            code_index = GOVERNMENT_CODE_BASE[list_code] + index
            name, id_number, county = _government_body(book, prefecture, code_index, rng)
            legal_representative = rng.choice(people)[1]
        elif companies and roll < GOVERNMENT_SHARE + ORGANISATION_SHARE:
            company = rng.choice(companies)
            name, id_number = company.name, company.uscc
            prefecture = book.prefecture_of(company.region_id or "")
            legal_representative = company.legal_representative
        else:
            person_id, name = rng.choice(people)
            id_number = demo_resident_id(person_id)
            prefecture = id_number[:6]
        court, code = _court(book, prefecture, rng, county=county)
        if court is None:
            continue
        filed = today - dt.timedelta(days=rng.randint(200, 1400))
        published = min(filed + dt.timedelta(days=rng.randint(30, 180)), today)
        row = {
            "name": name,
            "id_number": id_number,
            "province": book.name(province_of(prefecture)),
            "court": court.name_zh,
            "case_number": f"({filed.year}){code}执{1000 + index}号",
            "filing_date": filed.isoformat(),
            "publish_date": published.isoformat(),
            "basis_document_number": f"({filed.year - 1}){code}民初{2000 + index}号",
            "basis_unit": court.name_zh,
            "legal_representative": legal_representative,
        }
        if list_code == "court-defaulters":
            row.update(
                obligation=rng.choice(OBLIGATIONS).format(n=rng.randint(2, 500)),
                performance=rng.choice(PERFORMANCE),
                circumstance=rng.choice(CIRCUMSTANCES),
            )
        else:
            row["order_text"] = "限制被执行人及其法定代表人、主要负责人高消费及非生活和工作必需的消费行为"
            if legal_representative:
                rep_id, rep_name = rng.choice(people)
                row.update(
                    restricted_person_name=rep_name, restricted_person_id_number=demo_resident_id(rep_id)
                )
        rows.append(row)
    # The same case and subject twice would be refused: keep the first.
    unique = {(row["case_number"], row["id_number"]): row for row in reversed(rows)}
    return list(reversed(unique.values()))


def court_endings(*, list_code: str, seed: int, today: dt.date) -> list[Ending]:
    """What became of the imported cases by ``today``: past their planned end they expired (as the
    nightly job would have recorded); a few the court removed or revoked before."""
    rng = random.Random(f"{seed}:{list_code}:endings")  # noqa: S311 - reproducible demo data
    entries = ListEntry.objects.filter(list_type__code=list_code, status=ListEntry.Status.IN_FORCE).order_by(
        "decision_number", "id"
    )
    endings = []
    for entry in entries.select_related("list_type"):
        if entry.planned_end is not None and entry.planned_end < today:
            on = entry.planned_end + dt.timedelta(days=1)
            endings.append(Ending(entry, ListEntry.Status.EXPIRED, on, expiry_reason(entry.planned_end)))
            continue
        roll = rng.random()
        if roll >= REMOVED_SHARE + REVOKED_SHARE or (today - entry.starts_on).days < 31:
            continue
        status = ListEntry.Status.REMOVED if roll < REMOVED_SHARE else ListEntry.Status.REVOKED
        on = entry.starts_on + dt.timedelta(days=rng.randint(30, (today - entry.starts_on).days - 1))
        endings.append(Ending(entry, status, on, str(COURT_REASONS[status])))
    return endings


def _listings_dated(list_code: str, *, since: dt.datetime) -> None:
    """The importer dates a listing when the file is read; the demo's cases were listed on their
    publication days, before whatever became of them since."""
    now = timezone.now()
    changes = list(
        ListEntryStatusChange.objects.filter(
            entry__list_type__code=list_code, from_status="", at__gte=since
        ).select_related("entry")
    )
    for change in changes:
        change.at = moment(change.entry.published_on, 9, now)
    ListEntryStatusChange.objects.bulk_update(changes, ["at"], batch_size=1000)


def demo_court_lists_load(
    *, count: int, seed: int, today: dt.date, book: AgencyBook | None = None
) -> dict[str, ListImportReport]:
    book = book or AgencyBook()
    reports = {}
    for list_code, share in (("court-defaulters", 0.7), ("consumption-restriction", 0.3)):
        rows = demo_court_rows(
            count=int(count * share), seed=seed, list_code=list_code, today=today, book=book
        )
        if not rows or not ListType.objects.filter(code=list_code).exists():
            continue
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{list_code}.csv"
            columns = list(dict.fromkeys(key for row in rows for key in row))
            with open(path, "w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)
            started = timezone.now()
            reports[list_code] = import_list(list_code=list_code, path=path)
        _listings_dated(list_code, since=started)
        court_entries_end(court_endings(list_code=list_code, seed=seed, today=today))
    return reports
