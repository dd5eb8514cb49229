"""Synthetic court-list cases for the demo, loaded through the real importer.

Subjects are drawn from the demo register (persons' ID numbers are recomputed from their ids
with ``demo.demo_resident_id``, since the register keeps only hashes), so a search for
a demo person's name or number finds their cases.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import tempfile
from pathlib import Path

from blacklists.importing.run import ListImportReport, import_list
from demo import demo_resident_id
from registry.models import Enterprise, Person, Region

OBLIGATIONS = (
    "支付货款人民币{n}万元",
    "偿还借款本金人民币{n}万元及利息",
    "支付工程款人民币{n}万元",
    "赔偿损失人民币{n}万元",
)
CIRCUMSTANCES = ("1", "1", "1", "2", "3", "4", "5", "6")
PERFORMANCE = ("全部未履行", "全部未履行", "部分未履行")
COURT_KINDS = ("人民法院", "中级人民法院")
# The one-character abbreviation that opens a court's code in a case number: (2019)皖1122执1194号.
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


def _court(region: Region, rng: random.Random) -> tuple[str, str]:
    province = region.parent if region.parent_id else region
    city = region.name_zh if region.name_zh not in {"市辖区", "县"} else province.name_zh
    return province.name_zh, f"{city}{rng.choice(COURT_KINDS)}"


def demo_court_rows(*, count: int, seed: int, list_code: str, today: dt.date) -> list[dict]:
    rng = random.Random(f"{seed}:{list_code}")  # noqa: S311 - reproducible demo data, not secrets
    people = list(Person.objects.order_by("id").values_list("id", "name")[: count * 4])
    companies = list(
        Enterprise.objects.exclude(status=Enterprise.Status.UNKNOWN)
        .select_related("region", "region__parent")
        .order_by("id")[: max(count // 2, 1)]
    )
    regions = list(Region.objects.filter(level=Region.Level.PREFECTURE).select_related("parent"))
    short_codes = PROVINCE_ABBREVIATIONS
    rows = []
    for index in range(count):
        organisation = bool(companies) and rng.random() < 0.15
        if organisation:
            company = rng.choice(companies)
            name, id_number, region = company.name, company.uscc, company.region
        else:
            person_id, name = rng.choice(people)
            id_number, region = demo_resident_id(person_id), rng.choice(regions)
        province, court = _court(region, rng)
        filed = today - dt.timedelta(days=rng.randint(200, 1400))
        published = min(filed + dt.timedelta(days=rng.randint(30, 180)), today)
        short = short_codes.get(region.code[:2], "皖")
        row = {
            "name": name,
            "id_number": id_number,
            "province": province,
            "court": court,
            "case_number": f"({filed.year}){short}{region.code[:4]}执{1000 + index}号",
            "filing_date": filed.isoformat(),
            "publish_date": published.isoformat(),
            "basis_document_number": f"({filed.year - 1}){short}{region.code[:4]}民初{2000 + index}号",
            "basis_unit": court,
            "legal_representative": company.legal_representative if organisation else "",
        }
        if list_code == "court-defaulters":
            row.update(
                obligation=rng.choice(OBLIGATIONS).format(n=rng.randint(2, 500)),
                performance=rng.choice(PERFORMANCE),
                circumstance=rng.choice(CIRCUMSTANCES),
            )
        else:
            row["order_text"] = "限制被执行人及其法定代表人、主要负责人高消费及非生活和工作必需的消费行为"
            if organisation:
                rep_id, rep_name = rng.choice(people)
                row.update(
                    restricted_person_name=rep_name, restricted_person_id_number=demo_resident_id(rep_id)
                )
        rows.append(row)
    # The same case and subject twice would be refused: keep the first.
    unique = {(row["case_number"], row["id_number"]): row for row in reversed(rows)}
    return list(reversed(unique.values()))


def demo_court_lists_load(
    *, count: int, seed: int, today: dt.date | None = None
) -> dict[str, ListImportReport]:
    today = today or dt.date.today()
    reports = {}
    for list_code, share in (("court-defaulters", 0.7), ("consumption-restriction", 0.3)):
        rows = demo_court_rows(count=int(count * share), seed=seed, list_code=list_code, today=today)
        if not rows:
            continue
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{list_code}.csv"
            columns = list(dict.fromkeys(key for row in rows for key in row))
            with open(path, "w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)
            reports[list_code] = import_list(list_code=list_code, path=path)
    return reports
