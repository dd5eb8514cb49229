"""Court-defaulter search at scale: COPY-load N entries, then time name and ID searches.

    DEBUG=1 .venv/bin/python bench/court_defaulters.py --entries 10000000
    DEBUG=1 .venv/bin/python bench/court_defaulters.py --entries 100000      # quick run

Runs against its own throwaway embedded PostgreSQL in a new folder under the system temp folder
(deleted at exit), never the development database in .pgdata/. It

1. migrates, creates a few thousand courts, drops the secondary indexes of the tables it fills;
2. COPYs ``--entries`` cases on the list ``court-defaulters`` from ``--workers`` processes, in
   chunks (memory stays flat): about 90 % persons (valid synthetic resident ID numbers, stored
   only as keyed hash + masked form; a sample of about 1,000 numbers is kept in memory for the
   queries), about 10 % organisations (``Enterprise`` rows with valid USCCs, status "unknown"),
   one ``ListEntry`` and one ``CourtDefaulterDetail`` per case, and each entry's search document,
   built from the same plain values by ``blacklists.search.entry_document_values``, as the
   import (``blacklists.importing.writer``) builds it; then rebuilds the indexes, checks every
   foreign key with one anti-join each (the per-row triggers are skipped while copying) and
   runs VACUUM ANALYZE;
3. times ``--queries`` varied queries (names with common and rare surnames, 2-4 characters,
   company names and fragments, full resident ID numbers, USCCs, case numbers) through the API
   (``GET /api/v1/defaulters/?q=``) on two local servers (``manage.py runserver`` as configured
   for the embedded database, which serves each request in a new thread; and gunicorn, the
   production server, with its settings ``config/gunicorn.py``, two sync workers and
   ``DATABASE_URL``, i.e. one persistent database connection per worker), in-process (the view
   through ``django.test.Client``, ``search.query.search`` with the arguments
   ``entry_search`` passes, its SQL alone, and ``entry_search`` itself), and a naive
   ``ILIKE '%q%'`` query on the same data; each method in a pass of its own over all queries,
   after one warm-up pass of all methods;
4. prints p50/p95/max per class of query and method, the ratios against ILIKE, data sizes, a
   few query plans and, for the slowest name queries, the same search with the planner steered
   and the prefix statement written two ways (diagnostics only). Nothing is written to the
   repository (``--json PATH`` saves the figures).

What is not loaded: status-change history and audit rows (the import writes one of each per
case; no search reads them), and the enterprises' own search documents (the import does not
write them either).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import gc
import json
import math
import multiprocessing
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from hostinfo import machine_facts

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIST_CODE = "court-defaulters"
ORG_SHARE = 0.10  # organisations among cases
REPEAT_PERSON = 0.08  # a case against someone already listed in the same chunk
REPEAT_ORG = 0.15
MAX_AGE_DAYS = 1600  # entries were published over the last ~4.4 years, most of them recently
SAMPLE_IDS = 1000  # resident ID numbers kept in memory for the ID-lookup queries

# Server settings of the throwaway cluster (memory and WAL only; planner costs stay default).
SERVER_SETTINGS = {
    "shared_buffers": "6GB",
    "effective_cache_size": "16GB",
    "maintenance_work_mem": "1GB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "autovacuum": "off",  # during the load; switched on again before the queries
}

# Query classes, in report order, with their share of --queries (240 by default).
CLASSES = (
    ("name: common surname, 2 chars", 30, "name"),
    ("name: common surname, 3 chars", 30, "name"),
    ("name: rare surname", 30, "name"),
    ("name: 4 chars", 25, "name"),
    ("company: full name", 25, "name"),
    ("company: fragment or prefix", 25, "name"),
    ("ID: resident ID number", 30, "id"),
    ("ID: USCC", 20, "id"),
    ("ID: case number", 25, "id"),
)
METHODS = (
    ("api", "API, runserver (a thread per request)"),
    ("api_persistent", "API, gunicorn (2 sync workers, persistent DB connections)"),
    ("view", "in-process view (django.test.Client)"),
    ("entry_search", "in-process entry_search()"),
    ("search", "in-process search()"),
    ("sql", "SQL of search() alone"),
    ("ilike", "naive ILIKE"),
)
TOP5 = "王李张刘陈"
# Surnames beyond the hundred most common (demo.words.SURNAMES): the long tail.
RARE_SURNAMES = (
    "鲍亓仉佘庞樊兰殷施翟安颜倪牛温芦季俞章鲁葛伍申尤毕聂丛焦柳邢岳齐沿梅庄辛管祝左涂谷祁时舒耿牟卜"
    "詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈位霍翁隋植甘景薄单包司柏宁柯阮桂闵解强柴华车冉房边"
    "辜吉饶刁瞿戚丘古米池滕晋苑邬臧畅宫来苟全褚廉简娄盖符奚木穆党燕郎邸冀谈姬屠连郜晏栾郁商蒙计喻"
    "揭窦迟宇敖糜鄢冷卓花仇艾蓝都巩稽井练仲乐虞卞封竺冼原官衣楚佟栗匡宗应台巫鞠僖桑荆谌银闻"
)
MORE_COMPOUND = (
    "司徒",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "夏侯",
    "长孙",
    "宇文",
    "端木",
    "东方",
    "南宫",
)
TIBETAN = (
    "扎西",
    "次仁",
    "卓玛",
    "格桑",
    "拉姆",
    "尼玛",
    "顿珠",
    "达瓦",
    "央金",
    "平措",
    "旺堆",
    "白玛",
    "多吉",
)
TIBETAN += ("索朗", "德吉", "普布", "边巴", "琼达")
PROVINCE_ABBR = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "黔",
    "53": "云", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新",
}  # fmt: skip
DISTRICT_STEMS = (
    "城关", "鼓楼", "新城", "东城", "西城", "南湖", "北湖", "江南", "江北", "中原", "开元", "长安", "高新",
    "经开", "临江", "河西", "河东", "城中", "清河", "白云", "龙湖", "金水", "天河", "莲湖", "雁塔", "望城",
    "平山", "永安", "兴华", "宝山", "龙泉", "青山", "东湖", "西湖", "城阳", "安宁",
)  # fmt: skip
OBLIGATIONS = (
    "被执行人应偿还申请执行人借款本金{amount}元及利息",
    "被执行人应支付申请执行人货款{amount}元",
    "被执行人应支付工程款{amount}元及逾期付款利息",
    "被执行人应给付劳动报酬{amount}元",
    "被执行人应支付租金{amount}元及违约金",
    "被执行人应赔偿申请执行人损失{amount}元",
)
CIRCUMSTANCES = (("1", 70), ("4", 15), ("5", 8), ("3", 4), ("2", 2), ("6", 1))


# --- setup ---------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=10_000_000)
    parser.add_argument("--queries", type=int, default=240, help="at least 200 recommended")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--chunk", type=int, default=20_000, help="cases per COPY transaction")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    parser.add_argument(
        "--idle-load",
        type=float,
        default=1.0,
        help="before measuring, wait until the 1-minute load average is below this (other jobs)",
    )
    parser.add_argument("--idle-wait", type=int, default=1800, help="but wait at most this many seconds")
    return parser.parse_args()


def init_cluster(data_dir: Path) -> None:
    """initdb through pgserver (in a child process, which stops the server when it exits), then
    add the benchmark's server settings so the real start already uses them."""
    code = "import sys, pgserver; pgserver.get_server(sys.argv[1], cleanup_mode='stop')"
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True)
    with open(data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("\n# bench/court_defaulters.py\n")
        for name, value in SERVER_SETTINGS.items():
            conf.write(f"{name} = '{value}'\n")


def stop_leftover_server(data_dir: Path) -> None:
    """Last resort at exit: if pgserver did not stop and delete the cluster (a child server that
    died without unregistering), stop it by its data folder and delete the folder."""
    if (data_dir / "postmaster.pid").exists():
        with contextlib.suppress(Exception):
            from pgserver._commands import pg_ctl

            user = "pgserver" if os.geteuid() == 0 else None
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=user)


def setup(base: Path) -> Path:
    data_dir = base / "pgdata"
    init_cluster(data_dir)

    def cleanup() -> None:  # registered before pgserver's own handler, so it runs after it
        stop_leftover_server(data_dir)
        shutil.rmtree(base, ignore_errors=True)

    atexit.register(cleanup)
    os.environ.pop("DATABASE_URL", None)
    os.environ["EMBEDDED_PG_DIR"] = str(data_dir)
    os.environ["EMBEDDED_PG_THROWAWAY"] = "1"
    os.environ["DEBUG"] = "1"
    os.environ["API_ANON_RATE"] = "100000/minute"  # the in-process view is timed too
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    return data_dir


# --- synthetic data ------------------------------------------------------------------------------


class Weighted:
    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs):
        self.items, self.cum, running = [], [], 0.0
        for item, weight in pairs:
            running += weight
            self.items.append(item)
            self.cum.append(running)
        self.total = running

    def pick(self, rng: random.Random):
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


def zipf(items, s: float, scale: float = 1.0):
    return [(item, scale / rank**s) for rank, item in enumerate(items, start=1)]


def surname_choice() -> Weighted:
    from demo.words import SURNAMES

    top = list(SURNAMES)
    known = {name for name, _ in top}
    total = sum(weight for _, weight in top)
    tail = [char for char in dict.fromkeys(RARE_SURNAMES) if char not in known]
    raw = zipf(tail, 0.8)
    scale = total * 0.09 / sum(weight for _, weight in raw)  # the tail is ~9 % of people
    compounds = [(name, 0.6) for name in MORE_COMPOUND if name not in known]
    return Weighted(top + [(name, weight * scale) for name, weight in raw] + compounds)


@dataclass
class Court:
    agency_id: int
    name: str
    province: str  # province code: what the detail row and the search document carry
    case_prefix: str  # 皖 / 皖01 / 皖0104
    place_index: int


@dataclass
class State:
    """Everything a worker needs, built in the parent before forking."""

    entries: int
    chunk: int
    chunks: int
    seed: int
    list_type_id: int
    legal_basis: str
    severity: str
    today: dt.date
    now: str
    courts: list[Court]
    court_choice: Weighted
    places: list
    place_choice: Weighted
    surnames: Weighted
    male: Weighted
    female: Weighted
    sample_caps: dict[str, int] = field(default_factory=dict)


STATE: State | None = None


def build_courts(places) -> tuple[list[Court], list[float]]:
    """A high court per province, an intermediate court per prefecture and 4 to 12 basic courts
    per prefecture (more in big cities): about 3,000 courts, registered as agencies the way
    ``court_get_or_create`` registers a court that a list names. Returns courts and the share of
    cases each one publishes (basic courts publish most)."""
    from blacklists.services.court import court_level, court_short_code
    from registry.models import Agency, Region

    provinces = {region.code: region for region in Region.objects.filter(level=Region.Level.PROVINCE)}
    wanted: dict[str, tuple[str, int, float]] = {}  # name -> (case prefix, place index, weight)
    for index, place in enumerate(places):
        abbr = PROVINCE_ABBR.get(place.province_code[:2], "京")
        prefix = abbr + place.code[2:4]
        wanted.setdefault((place.province_full or place.city_full) + "高级人民法院", (abbr, index, 0.3))
        wanted.setdefault(place.city_full + "中级人民法院", (prefix, index, 0.14 * place.weight))
        basic = 12 if place.weight >= 14 else 7 if place.weight >= 3 else 4
        stems = random.Random(place.code).sample(DISTRICT_STEMS, basic)
        for number, stem in enumerate(stems, start=1):
            name = f"{place.city_full}{stem}{'区' if number <= basic // 2 else '县'}人民法院"
            wanted.setdefault(name, (f"{prefix}{number:02d}", index, 0.85 * place.weight / basic))
    existing = {
        (agency.name_zh, agency.region_id): agency
        for agency in Agency.objects.filter(kind=Agency.Kind.COURT).only("id", "name_zh", "region_id")
    }
    new = []
    for name, (_prefix, index, _weight) in wanted.items():
        province = provinces[places[index].province_code]
        if (name, province.code) not in existing:
            new.append(
                Agency(
                    name_zh=name,
                    name_en=f"People's court: {name}",
                    short_code=court_short_code(name, province),
                    level=court_level(name),
                    kind=Agency.Kind.COURT,
                    region=province,
                )
            )
    for agency in Agency.objects.bulk_create(new, batch_size=1000):
        existing[(agency.name_zh, agency.region_id)] = agency
    courts, weights = [], []
    for name, (prefix, index, weight) in wanted.items():
        province_code = places[index].province_code
        courts.append(Court(existing[(name, province_code)].pk, name, province_code, prefix, index))
        weights.append(weight)
    return courts, weights


def person_name(state: State, rng: random.Random, male: bool) -> str:
    if rng.random() < 0.01:
        first, second = rng.sample(TIBETAN, 2)
        return first + second
    pool = state.male if male else state.female
    surname = state.surnames.pick(rng)
    given = pool.pick(rng)
    if rng.random() < 0.78:
        given += pool.pick(rng)
    return surname + given


class Reservoir:
    __slots__ = ("cap", "items", "rng", "seen")

    def __init__(self, cap: int, rng: random.Random):
        self.cap, self.items, self.rng, self.seen = cap, [], rng, 0

    def add(self, item) -> None:
        self.seen += 1
        if len(self.items) < self.cap:
            self.items.append(item)
        else:
            slot = self.rng.randrange(self.seen)
            if slot < self.cap:
                self.items[slot] = item


def esc(text: str) -> str:
    """A field in COPY text format."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def name_class(name: str, surnames_rare: frozenset[str]) -> str | None:
    if len(name) == 4:
        return "name: 4 chars"
    if name[0] in surnames_rare:
        return "name: rare surname"
    if name[0] in TOP5:
        return "name: common surname, 2 chars" if len(name) == 2 else "name: common surname, 3 chars"
    return None


def load_chunk(index: int) -> dict:
    """Build and COPY one chunk of cases in one transaction; returns counts and query samples."""
    from django.db import connection, transaction

    from blacklists.importing.writer import entity_type_from_uscc
    from blacklists.search import entry_document_values
    from core.identifiers import mask_resident_id
    from core.privacy import resident_id_hash
    from demo.codes import demo_resident_id, organisation_code, uscc
    from demo.companies import (
        INDIVIDUAL_INDUSTRIES,
        INDUSTRIES,
        PARTNERSHIP_INDUSTRIES,
        USCC_CATEGORY,
    )
    from demo.naming import brand, company_name

    state = STATE
    started = time.perf_counter()
    first = index * state.chunk
    count = min(state.chunk, state.entries - first)
    rng = random.Random(state.seed * 1_000_003 + index)
    now, today = state.now, state.today
    rare = frozenset(RARE_SURNAMES)
    org_kinds = Weighted(
        (
            ("llc", 78),
            ("individual_business", 10),
            ("sole_proprietorship", 4),
            ("partnership", 3),
            ("joint_stock", 3),
            ("cooperative", 2),
        )
    )
    circumstances = Weighted(CIRCUMSTANCES)
    samples = {key: Reservoir(cap, rng) for key, cap in state.sample_caps.items()}
    persons, enterprises, entries, details, documents = [], [], [], [], []
    chunk_persons, chunk_orgs = [], []
    counters: dict[tuple, int] = {}
    for offset in range(count):
        pk = first + offset + 1
        court = state.courts[bisect_right(state.court_choice.cum, rng.random() * state.court_choice.total)]
        published = today - dt.timedelta(days=int(MAX_AGE_DAYS * rng.random() ** 1.6))
        filed = published - dt.timedelta(days=rng.randrange(20, 400))
        planned_end = add_years(published, 2)
        if planned_end <= today:
            planned_end = add_years(published, 5)  # extended (at most 5 years in all)
        case_type = "执" if rng.random() < 0.9 else "执恢"
        key = (filed.year, court.agency_id, case_type)
        counters[key] = serial = counters.get(key, 0) + 1
        case_number = (
            f"({filed.year}){court.case_prefix}{case_type}{(serial - 1) * state.chunks + index + 1}号"
        )
        if rng.random() >= ORG_SHARE:
            if chunk_persons and rng.random() < REPEAT_PERSON:
                person_id, name, id_hash, masked, sex, birth_year = rng.choice(chunk_persons)
            else:
                person_id = pk
                number = demo_resident_id(pk)
                sex = "M" if int(number[16]) % 2 else "F"
                birth_year = int(number[6:10])
                name = person_name(state, rng, sex == "M")
                id_hash, masked = resident_id_hash(number), mask_resident_id(number)
                persons.append(f"{pk}\t{name}\t{id_hash}\t{masked}\t{sex}\t{birth_year}\t{now}\t{now}")
                chunk_persons.append((pk, name, id_hash, masked, sex, birth_year))
                samples["resident_id"].add(number)
                category = name_class(name, rare)
                if category:
                    samples[category].add(name)
            enterprise_id = None
            age = published.year - birth_year
            detail_subject = ("person", masked, sex, str(age), "")
        else:
            if chunk_orgs and rng.random() < REPEAT_ORG:
                enterprise_id, name, code, legal_rep = rng.choice(chunk_orgs)
            else:
                enterprise_id = pk
                kind = org_kinds.pick(rng)
                industries = {
                    "individual_business": INDIVIDUAL_INDUSTRIES,
                    "partnership": PARTNERSHIP_INDUSTRIES,
                }
                industry = industries.get(kind, INDUSTRIES).pick(rng)
                place = (
                    state.places[court.place_index] if rng.random() < 0.85 else state.place_choice.pick(rng)
                )
                mark = brand(rng)
                name = company_name(kind, industry, place, rng, mark)
                code = uscc(
                    USCC_CATEGORY.get(kind, "1"),
                    place.code,
                    organisation_code(pk, modern=rng.random() < 0.55),
                )
                legal_rep = person_name(state, rng, rng.random() < 0.8)
                enterprises.append(
                    "\t".join(
                        (
                            str(pk), code, "f", "", esc(name), "{}", entity_type_from_uscc(code), legal_rep,
                            "CNY", "unknown", "", "", place.code, "", now, now,
                        )
                    )
                )  # fmt: skip
                chunk_orgs.append((pk, name, code, legal_rep))
                samples["company"].add((name, place.city, mark))
                samples["uscc"].add(code)
            person_id = None
            detail_subject = ("organisation", code, "", "\\N", legal_rep)
        samples["case_number"].add(case_number)
        entries.append(
            "\t".join(
                (
                    str(pk), str(state.list_type_id), str(person_id) if person_id else "\\N",
                    str(enterprise_id) if enterprise_id else "\\N", esc(name), str(court.agency_id),
                    case_number,
                    published.isoformat(), state.legal_basis, "", state.severity, published.isoformat(),
                    planned_end.isoformat(), "f", published.isoformat(), "in_force", "\\N", now, now,
                )
            )
        )  # fmt: skip
        amount = rng.choice((3, 5, 8, 12, 20, 35, 50, 80, 120, 300, 800)) * 1000 + rng.randrange(0, 1000)
        partial = rng.random() < 0.15
        kind_, display, sex_, age_, legal_rep_ = detail_subject
        details.append(
            "\t".join(
                (
                    str(pk), kind_, display, sex_, age_, legal_rep_, court.province, filed.isoformat(),
                    f"({filed.year - 1}){court.case_prefix}民初{rng.randrange(1, 20000)}号", court.name,
                    rng.choice(OBLIGATIONS).format(amount=amount), "partial" if partial else "none",
                    f"已履行{amount // 4}元" if partial else "",
                    f"{amount - amount // 4}元" if partial else "全部",
                    circumstances.pick(rng),
                )
            )
        )  # fmt: skip
        # As the import builds it (blacklists.importing.writer), from the same plain values.
        person = person_id is not None
        row = entry_document_values(
            entry_id=pk,
            list_code=LIST_CODE,
            subject_name=name,
            case_number=case_number,
            court_id=court.agency_id,
            court_name=court.name,
            province=court.province,
            published_on=published,
            person_id_hash=id_hash if person else "",
            person_id_masked=masked if person else "",
            uscc="" if person else code,
        )
        documents.append(
            "\t".join(
                (
                    row.kind, str(row.object_id), esc(row.name), esc(row.name_normalised), esc(row.document),
                    "{" + ",".join(row.identifiers) + "}", row.province, published.isoformat(),
                    esc(json.dumps(row.extra, ensure_ascii=False)),
                )
            )
        )  # fmt: skip
    built = time.perf_counter()
    from blacklists.models import CourtDefaulterDetail, ListEntry
    from registry.models import Enterprise, Person
    from search.models import SearchDocument

    copies = (
        (Person, "id, name, id_hash, id_masked, sex, birth_year, created_at, updated_at", persons),
        (
            Enterprise,
            "id, uscc, uscc_legacy, registration_number, name, former_names, entity_type, "
            "legal_representative, capital_currency, status, address, business_scope, region_id, industry, "
            "created_at, updated_at",
            enterprises,
        ),
        (
            ListEntry,
            "id, list_type_id, person_id, enterprise_id, subject_name, issuing_agency_id, decision_number, "
            "decision_date, legal_basis, circumstance, severity, starts_on, planned_end, permanent, "
            "published_on, status, status_changed_at, created_at, updated_at",
            entries,
        ),
        (
            CourtDefaulterDetail,
            "entry_id, subject_kind, id_display, sex, age, legal_representative, province_id, filing_date, "
            "basis_document_number, basis_unit, obligation, performance, performed_part, unperformed_part, "
            "circumstance",
            details,
        ),
        (
            SearchDocument,
            "kind, object_id, name, name_normalised, document, identifiers, province, published_on, extra",
            documents,
        ),
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO off")
        # Foreign keys are checked in bulk after the load (check_references); CHECKs still apply.
        cursor.execute("SET LOCAL session_replication_role = replica")
        for model, columns, lines in copies:
            if not lines:
                continue
            with cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
                for start in range(0, len(lines), 5000):
                    copy.write("\n".join(lines[start : start + 5000]) + "\n")
    return {
        "index": index,
        "entries": count,
        "persons": len(persons),
        "enterprises": len(enterprises),
        "documents": len(documents),
        "build_s": built - started,
        "copy_s": time.perf_counter() - built,
        "samples": {key: reservoir.items for key, reservoir in samples.items()},
    }


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# --- indexes -------------------------------------------------------------------------------------

_SECONDARY = """
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname, pg_get_constraintdef(c.oid)
    FROM pg_index i
    LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype = 'u'
    WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
      AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)
    ORDER BY 1
"""


def loaded_tables() -> list[str]:
    from blacklists.models import CourtDefaulterDetail, ListEntry
    from registry.models import Enterprise, Person
    from search.models import SearchDocument

    return [
        model._meta.db_table
        for model in (Person, Enterprise, ListEntry, CourtDefaulterDetail, SearchDocument)
    ]


def drop_secondary_indexes() -> list[dict]:
    from django.db import connection, transaction

    dropped = []
    with transaction.atomic(), connection.cursor() as cursor:
        for table in loaded_tables():
            cursor.execute(_SECONDARY, [table])
            for index, index_sql, constraint, constraint_sql in cursor.fetchall():
                item = {"table": table, "index": index, "constraint": constraint}
                if constraint:
                    item["sql"] = f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {constraint_sql}'
                    cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
                else:
                    item["sql"] = index_sql
                    cursor.execute(f"DROP INDEX {index}")
                dropped.append(item)
    return dropped


def rebuild_indexes(dropped: list[dict], threads: int) -> list[tuple[str, float]]:
    """Recreate the indexes, the GIN ones first, on ``threads`` connections at once (GIN builds
    are single-threaded in PostgreSQL 16, so two builds keep both cores busy)."""
    from django.db import connection, connections

    def cost(item):
        gin = " USING gin " in item["sql"].lower()
        big = item["table"].endswith("searchdocument")
        return (not gin, not big, item["index"])

    pending = sorted(dropped, key=cost)
    lock = threading.Lock()
    timings: list[tuple[str, float]] = []
    errors: list[BaseException] = []

    def work():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET maintenance_work_mem TO '2GB'")
                cursor.execute("SET max_parallel_maintenance_workers TO 0")
                while True:
                    with lock:
                        if not pending or errors:
                            return
                        item = pending.pop(0)
                    started = time.perf_counter()
                    cursor.execute(item["sql"])
                    seconds = time.perf_counter() - started
                    with lock:
                        timings.append((item["index"], seconds))
                    print(f"    {item['index']}: {seconds:.1f} s", flush=True)
        except BaseException as exc:  # reported by the caller
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work) for _ in range(max(1, threads))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]
    return timings


def check_references() -> list[str]:
    """Every foreign key of the loaded rows, one anti-join each (the COPY skipped the triggers)."""
    from django.db import connection

    problems = []
    with connection.cursor() as cursor:
        for table in loaded_tables():
            cursor.execute(
                "SELECT a.attname, cl.relname, fa.attname FROM pg_constraint c "
                "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
                "JOIN pg_class cl ON cl.oid = c.confrelid "
                "JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1] "
                "WHERE c.contype = 'f' AND c.conrelid = %s::regclass",
                [table],
            )
            for column, target, target_column in cursor.fetchall():
                cursor.execute(
                    f"SELECT count(*) FROM {table} c WHERE c.{column} IS NOT NULL AND NOT EXISTS "
                    f"(SELECT 1 FROM {target} p WHERE p.{target_column} = c.{column})"
                )
                broken = cursor.fetchone()[0]
                if broken:
                    problems.append(f"{table}.{column}: {broken} rows point nowhere")
        cursor.execute(
            "SELECT count(*) FROM registry_searchdocument d WHERE NOT EXISTS "
            "(SELECT 1 FROM blacklists_listentry e WHERE e.id = d.object_id)"
        )
        if cursor.fetchone()[0]:
            problems.append("search documents without an entry")
    return problems


# --- load ----------------------------------------------------------------------------------------


def load(args) -> dict:
    global STATE
    from django.db import connection, connections
    from django.utils import timezone

    from blacklists.models import ListType
    from demo.geo import load_places
    from demo.words import GIVEN_FEMALE, GIVEN_MALE

    report: dict = {"phases": {}}
    list_type = ListType.objects.get(code=LIST_CODE)
    places = load_places()
    started = time.perf_counter()
    courts, weights = build_courts(places)
    report["courts"] = len(courts)
    report["phases"]["courts"] = time.perf_counter() - started
    chunks = math.ceil(args.entries / args.chunk)
    sample_caps = {category: math.ceil(4 * per / chunks) + 2 for category, per, _ in CLASSES}
    sample_caps.update(
        company=math.ceil(200 / chunks) + 2,
        resident_id=math.ceil(2 * SAMPLE_IDS / chunks) + 2,
        uscc=math.ceil(100 / chunks) + 2,
        case_number=math.ceil(100 / chunks) + 2,
    )
    STATE = State(
        entries=args.entries,
        chunk=args.chunk,
        chunks=chunks,
        seed=args.seed,
        list_type_id=list_type.pk,
        legal_basis=list_type.legal_basis,
        severity=list_type.default_severity,
        today=timezone.localdate(),
        now=timezone.now().isoformat(),
        courts=courts,
        court_choice=Weighted(zip(range(len(courts)), weights)),
        places=places,
        place_choice=Weighted([(place, place.weight) for place in places]),
        surnames=surname_choice(),
        male=Weighted(zipf(dict.fromkeys(GIVEN_MALE), 0.9)),
        female=Weighted(zipf(dict.fromkeys(GIVEN_FEMALE), 0.9)),
        sample_caps={k: v for k, v in sample_caps.items() if not k.startswith(("company:", "ID:"))},
    )
    print(f"  {len(courts):,} courts; dropping secondary indexes …", flush=True)
    dropped = drop_secondary_indexes()
    report["indexes"] = len(dropped)
    connections.close_all()  # the workers are forked and open their own

    print(f"  COPY {args.entries:,} cases in {chunks} chunks with {args.workers} worker(s) …", flush=True)
    totals = defaultdict(float)
    by_chunk: dict[int, dict[str, list]] = {}
    started = time.perf_counter()
    next_report = 0.0
    context = multiprocessing.get_context("fork")
    with context.Pool(args.workers) as pool:
        for done, result in enumerate(pool.imap_unordered(load_chunk, range(chunks)), start=1):
            for key in ("entries", "persons", "enterprises", "documents", "build_s", "copy_s"):
                totals[key] += result[key]
            by_chunk[result["index"]] = result["samples"]
            elapsed = time.perf_counter() - started
            if elapsed >= next_report or done == chunks:
                next_report = elapsed + 30
                print(
                    f"    {int(totals['entries']):>11,} cases  {elapsed:7.0f} s  "
                    f"{totals['entries'] / elapsed:8,.0f} cases/s",
                    flush=True,
                )
    copy_seconds = time.perf_counter() - started
    samples: dict[str, list] = defaultdict(list)
    for index in sorted(by_chunk):  # in chunk order, so the queries do not depend on timing
        for key, items in by_chunk.pop(index).items():
            samples[key].extend(items)
    # Keep 1,000 full ID numbers (and nothing else about them) for the ID-lookup queries.
    numbers = samples["resident_id"]
    samples["resident_id"] = random.Random(args.seed).sample(numbers, min(SAMPLE_IDS, len(numbers)))
    report["phases"]["copy"] = copy_seconds
    report["rows"] = {key: int(totals[key]) for key in ("entries", "persons", "enterprises", "documents")}
    report["worker_seconds"] = {"build": totals["build_s"], "copy": totals["copy_s"]}
    print(
        f"  loaded {int(totals['entries']):,} cases in {copy_seconds:.0f} s "
        f"({totals['entries'] / copy_seconds:,.0f} cases/s; worker time: building rows "
        f"{totals['build_s']:.0f} s, COPY {totals['copy_s']:.0f} s)",
        flush=True,
    )

    print(f"  rebuilding {len(dropped)} indexes …", flush=True)
    started = time.perf_counter()
    report["index_timings"] = rebuild_indexes(dropped, threads=min(2, args.workers))
    report["phases"]["indexes"] = time.perf_counter() - started
    print(f"  indexes: {report['phases']['indexes']:.0f} s", flush=True)

    with connection.cursor() as cursor:
        for table in ("registry_person", "registry_enterprise", "blacklists_listentry"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1), "
                f"MAX(id) IS NOT NULL) FROM {table}"
            )
    started = time.perf_counter()
    problems = check_references()
    report["phases"]["check_references"] = time.perf_counter() - started
    if problems:
        raise SystemExit("Broken references: " + "; ".join(problems))
    print(f"  foreign keys checked: {report['phases']['check_references']:.0f} s", flush=True)

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in loaded_tables():
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ALTER SYSTEM SET autovacuum = on")
        cursor.execute("SELECT pg_reload_conf()")
        cursor.execute("CHECKPOINT")  # not in the middle of the measurements
    report["phases"]["vacuum_analyze"] = time.perf_counter() - started
    print(f"  VACUUM ANALYZE: {report['phases']['vacuum_analyze']:.0f} s", flush=True)
    report["samples"] = samples
    return report


# --- queries -------------------------------------------------------------------------------------


def pick_queries(samples: dict[str, list], total: int, rng: random.Random) -> list[tuple[str, str]]:
    scale = total / sum(per for _, per, _ in CLASSES)
    queries: list[tuple[str, str]] = []

    def take(category: str, pool: list, wanted: int) -> None:
        pool = list(dict.fromkeys(pool))
        rng.shuffle(pool)
        queries.extend((category, q) for q in pool[:wanted])

    for category, per, _ in CLASSES:
        wanted = max(1, round(per * scale))
        if category.startswith("name:"):
            fixed = ["王伟", "张伟", "李娜", "王芳", "李静"] if category.endswith("2 chars") else []
            queries.extend((category, q) for q in fixed[:wanted])
            take(
                category,
                [n for n in samples.get(category, []) if n not in fixed],
                wanted - len(fixed[:wanted]),
            )
        elif category == "company: full name":
            take(category, [name for name, _, _ in samples["company"]], wanted)
        elif category == "company: fragment or prefix":
            fragments = []
            for name, city, mark in samples["company"]:
                start = name.find(mark)
                options = [mark, city + mark]
                if start >= 0:
                    options.append(name[start : start + rng.choice((4, 5, 6))])
                fragments.append(rng.choice(options))
            take(category, fragments, wanted)
        elif category == "ID: resident ID number":
            take(category, samples["resident_id"], wanted)
        elif category == "ID: USCC":
            take(category, samples["uscc"], wanted)
        elif category == "ID: case number":
            take(category, samples["case_number"], wanted)
    return queries


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else float("nan")


def naive_sql(category: str, q: str) -> tuple[str, list]:
    """What a first implementation would write: substring match, newest first, no index usable."""
    from core.identifiers import mask_resident_id

    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    columns = "e.id, e.subject_name, e.decision_number, e.published_on"
    if category == "ID: resident ID number":
        # Only the masked number is stored in the clear.
        masked = "%" + mask_resident_id(q) + "%"
        return (
            f"SELECT {columns} FROM blacklists_listentry e JOIN blacklists_courtdefaulterdetail d "
            "ON d.entry_id = e.id WHERE d.id_display ILIKE %s ORDER BY e.published_on DESC LIMIT 20",
            [masked],
        )
    if category == "ID: USCC":
        return (
            f"SELECT {columns} FROM blacklists_listentry e JOIN blacklists_courtdefaulterdetail d "
            "ON d.entry_id = e.id WHERE d.id_display ILIKE %s ORDER BY e.published_on DESC LIMIT 20",
            [pattern],
        )
    if category == "ID: case number":
        return (
            f"SELECT {columns} FROM blacklists_listentry e WHERE e.decision_number ILIKE %s "
            "ORDER BY e.published_on DESC LIMIT 20",
            [pattern],
        )
    return (
        f"SELECT {columns} FROM blacklists_listentry e WHERE e.subject_name ILIKE %s "
        "ORDER BY e.published_on DESC LIMIT 20",
        [pattern],
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    log: Path

    def url(self, q: str) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1/defaulters/?q={urllib.parse.quote(q)}"

    def stop(self) -> None:
        if self.process.poll() is None:
            # runserver exits cleanly, unregistering from pgserver; gunicorn stops its workers
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def start_servers(base: Path) -> list[Server]:
    from django.db import connection

    env = {**os.environ, "API_ANON_RATE": "100000/minute", "DEBUG": "1", "LOG_LEVEL": "ERROR"}
    servers = []
    port = free_port()
    log = base / "runserver.log"
    servers.append(
        Server(
            "api",
            subprocess.Popen(
                [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=env,
                stdout=open(log, "wb"),  # noqa: SIM115 - closed with the process
                stderr=subprocess.STDOUT,
            ),
            port,
            log,
        )
    )
    settings = connection.settings_dict
    host = urllib.parse.quote(settings["HOST"], safe="")
    port_part = f":{settings['PORT']}" if settings["PORT"] else ""
    url = f"postgres://{settings['USER']}@{host}{port_part}/{settings['NAME']}"
    port = free_port()
    log = base / "gunicorn.log"
    servers.append(
        Server(
            "api_persistent",
            subprocess.Popen(
                # The production server (README, "Configuration"): its settings (config/gunicorn.py),
                # sync workers, DATABASE_URL, hence one persistent connection per worker
                # (conn_max_age=60).
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-c",
                    "config/gunicorn.py",
                    "config.wsgi",
                    "--workers",
                    "2",
                    "--worker-class",
                    "sync",
                    "--bind",
                    f"127.0.0.1:{port}",
                ],
                cwd=ROOT,
                env={**env, "DATABASE_URL": url},
                stdout=open(log, "wb"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
            ),
            port,
            log,
        )
    )
    deadline = time.monotonic() + 180
    for server in servers:
        while True:
            if server.process.poll() is not None:
                raise SystemExit(f"{server.name} exited:\n{server.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(server.url("王伟"), timeout=30) as response:
                    response.read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(
                        f"{server.name} did not answer:\n{server.log.read_text()[-3000:]}"
                    ) from None
                time.sleep(0.5)
    return servers


def wait_for_idle(threshold: float, limit: int) -> None:
    """Other jobs on a 2-core machine distort latencies: wait (bounded) until it is quiet."""
    deadline = time.monotonic() + limit
    next_print = 0.0
    while os.getloadavg()[0] >= threshold and time.monotonic() < deadline:
        if time.monotonic() >= next_print:
            print(f"  waiting for the machine to be idle: load average {os.getloadavg()}", flush=True)
            next_print = time.monotonic() + 60
        time.sleep(5)
    print(f"  load average now {os.getloadavg()}", flush=True)


def run_queries(queries: list[tuple[str, str]], servers: list[Server]) -> tuple[dict, list[dict]]:
    from django.db import connection
    from django.test import Client

    from blacklists.search import KIND, list_tag
    from blacklists.selectors import entry_search
    from search.query import SearchQueryError, search

    sql_time = [0.0, 0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_time[0] += time.perf_counter() - started
            sql_time[1] += 1

    def run_search(q: str):
        return search(q, kinds=[KIND], page=1, page_size=20, any_tags=[list_tag(LIST_CODE)])

    client = Client(HTTP_HOST="127.0.0.1")  # the whole view, middleware and rendering, no HTTP

    def view(q: str) -> None:
        client.get("/api/v1/defaulters/", {"q": q})

    def http(server: Server, q: str) -> tuple[float, dict]:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(server.url(q), timeout=60) as response:
                body = response.read()
        except urllib.error.HTTPError as error:  # counted as an answer, and shown in the report
            error.read()
            return time.perf_counter() - started, {"count_display": f"HTTP {error.code}"}
        elapsed = time.perf_counter() - started
        return elapsed, json.loads(body)

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout TO '300s'")

    print(f"  warming up ({len(queries)} queries, each once per method except ILIKE) …", flush=True)
    for _category, q in queries:
        with contextlib.suppress(SearchQueryError):
            run_search(q)
            entry_search(q=q)
        view(q)
        for server in servers:
            http(server, q)
    with connection.cursor() as cursor:  # one pass over the entry table before the naive queries
        cursor.execute(*naive_sql("name", "王伟"))

    rows: list[dict] = [{"class": category, "q": q} for category, q in queries]
    # The bench process's own objects (Django, the samples) are left out of its garbage collector:
    # a full collection during a timed request would be counted against the server.
    gc.collect()
    gc.freeze()
    print("  measuring …", flush=True)
    started_all = time.perf_counter()

    def timed_pass(label: str, measure) -> None:
        for row in rows:
            measure(row)
        print(f"    {label}: {time.perf_counter() - started_all:.0f} s", flush=True)

    # Each method in a pass of its own, over all queries: a request is not timed right after the
    # naive ILIKE of the previous query (a scan of the whole entry table, 1.8 s at 10 million
    # entries, that leaves the processor caches cold), nor while runserver, which closes its
    # database connection after every request, is still tearing down the previous one.
    for server in servers:

        def measure_http(row: dict, server=server) -> None:
            seconds, data = http(server, row["q"])
            row[server.name] = seconds * 1000
            row[f"{server.name}_count"] = data.get("count_display")

        timed_pass(server.name, measure_http)

    def measure_view(row: dict) -> None:
        started = time.perf_counter()
        view(row["q"])
        row["view"] = (time.perf_counter() - started) * 1000

    def measure_entry_search(row: dict) -> None:
        started = time.perf_counter()
        entry_search(q=row["q"])
        row["entry_search"] = (time.perf_counter() - started) * 1000

    def measure_search(row: dict) -> None:
        sql_time[:] = [0.0, 0]
        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            page = run_search(row["q"])
        row["search"] = (time.perf_counter() - started) * 1000
        row["sql"] = sql_time[0] * 1000
        row["statements"] = sql_time[1]
        row["hits"] = page.total_display
        row["match"] = page.results[0].match if page.results else ""

    def measure_ilike(row: dict) -> None:
        sql, params = naive_sql(row["class"], row["q"])
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            naive_rows = cursor.fetchall()
        row["ilike"] = (time.perf_counter() - started) * 1000
        row["ilike_rows"] = len(naive_rows)

    timed_pass("view", measure_view)
    timed_pass("entry_search", measure_entry_search)
    timed_pass("search", measure_search)
    timed_pass("ilike", measure_ilike)
    gc.unfreeze()
    summary = summarise(rows)
    return summary, rows


def summarise(rows: list[dict]) -> dict:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row["class"]].append(row)
        kind = dict((c, k) for c, _, k in CLASSES)[row["class"]]
        groups["all names" if kind == "name" else "all ID lookups"].append(row)
    summary = {}
    for group, members in groups.items():
        summary[group] = {"n": len(members)}
        for method, _label in METHODS:
            values = [member[method] for member in members]
            summary[group][method] = {
                "p50": percentile(values, 0.5),
                "p95": percentile(values, 0.95),
                "max": max(values),
            }
        summary[group]["statements"] = sorted({member["statements"] for member in members})
        summary[group]["hits"] = [member["hits"] for member in members[:4]]
    return summary


def print_summary(summary: dict) -> None:
    order = [category for category, _, _ in CLASSES] + ["all names", "all ID lookups"]
    print()
    print("p50 / p95 / max in ms; ratio = naive ILIKE / search() (p50 and p95)")
    print()
    print(
        "| queries | n | API runserver | API gunicorn | view in-process | entry_search() | search() "
        "| SQL alone | naive ILIKE | ratio p50 | ratio p95 | hits (examples) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for group in order:
        if group not in summary:
            continue
        s = summary[group]

        def cell(method: str, s=s) -> str:
            m = s[method]
            return f"{m['p50']:.1f} / {m['p95']:.1f} / {m['max']:.1f}"

        name = f"**{group}**" if group.startswith("all") else group
        print(
            f"| {name} | {s['n']} | {cell('api')} | {cell('api_persistent')} | {cell('view')} "
            f"| {cell('entry_search')} | {cell('search')} | {cell('sql')} | {cell('ilike')} "
            f"| {s['ilike']['p50'] / s['search']['p50']:,.0f}x "
            f"| {s['ilike']['p95'] / s['search']['p95']:,.0f}x "
            f"| {', '.join(map(str, s['hits']))} |"
        )


def explain(examples: list[tuple[str, str]]) -> None:
    from django.db import connection

    from blacklists.search import KIND, list_tag
    from search.query import search

    for category, q in examples:
        statements: list[tuple[str, object]] = []

        def capture(execute, sql, params, many, context, statements=statements):
            statements.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(capture):
            page = search(q, kinds=[KIND], any_tags=[list_tag(LIST_CODE)])
        print(f"--- {category}: {q!r}: {page.total_display} hits, {len(statements)} statement(s)")
        with connection.cursor() as cursor:
            for sql, params in statements:
                if "pg_stats" in sql:
                    continue
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
                for (line,) in cursor.fetchall():
                    print("   ", line)


def what_if(rows: list[dict]) -> dict:
    """Diagnostics for the slowest name queries: search() again with the planner steered, and the
    prefix statement of the tiered path as issued and with the exact matches skipped by the
    B-tree (``~>~``) instead of by a filter. Informational only; the application is unchanged."""
    from django.db import connection

    from blacklists.search import KIND, list_tag
    from search.normalise import normalise, normalise_identifier
    from search.query import _like_prefix, search

    kinds = dict((category, kind) for category, _, kind in CLASSES)
    slow = sorted((r for r in rows if kinds[r["class"]] == "name"), key=lambda r: r["search"], reverse=True)[
        :5
    ]

    def timed(function, repeat: int = 3) -> float:
        values = []
        for _ in range(repeat):
            started = time.perf_counter()
            function()
            values.append((time.perf_counter() - started) * 1000)
        return sorted(values)[len(values) // 2]

    def run(q: str):
        return search(q, kinds=[KIND], page=1, page_size=20, any_tags=[list_tag(LIST_CODE)])

    found: dict = {}
    print("what if (median of 3, ms): search() as is | random_page_cost = 1.1 | enable_seqscan = off")
    for row in slow:
        q = row["q"]
        times = [timed(lambda q=q: run(q))]
        for setting in ("random_page_cost = 1.1", "enable_seqscan = off"):
            with connection.cursor() as cursor:
                cursor.execute(f"SET {setting}")
            try:
                times.append(timed(lambda q=q: run(q)))
            finally:
                with connection.cursor() as cursor:
                    cursor.execute(f"RESET {setting.split(' ')[0]}")
        found[q] = times
        print(f"  {q!r:14} {times[0]:7.1f} | {times[1]:7.1f} | {times[2]:7.1f}   ({row['hits']} hits)")
    print("prefix tier (median of 5, ms): as issued (name <> q filter) | B-tree starts after q (~>~)")
    for row in slow[:3]:
        normalised = normalise(row["q"])
        prefix = _like_prefix(normalised)
        tail = (
            "AND identifiers && %s::text[] AND kind = ANY(%s) "
            "ORDER BY name_normalised USING ~<~, published_on DESC NULLS LAST, id DESC LIMIT 21"
        )
        tags = [normalise_identifier(list_tag(LIST_CODE))]
        variants = []
        for condition in ("name_normalised <> %s", "name_normalised ~>~ %s"):
            sql = (
                f"SELECT id FROM registry_searchdocument WHERE name_normalised LIKE %s AND {condition} {tail}"
            )

            def execute(sql=sql, params=(prefix, normalised, tags, [KIND])):
                with connection.cursor() as cursor:
                    cursor.execute(sql, list(params))
                    cursor.fetchall()

            variants.append(timed(execute, 5))
        found[f"prefix {row['q']}"] = variants
        print(f"  {row['q']!r:14} {variants[0]:7.1f} | {variants[1]:7.1f}")
    return found


# --- report --------------------------------------------------------------------------------------


def machine() -> dict:
    return machine_facts(
        settings=("shared_buffers", "effective_cache_size", "work_mem", "random_page_cost", "jit")
    )


def sizes() -> dict:
    from django.db import connection

    result = {}
    with connection.cursor() as cursor:
        for table in [*loaded_tables(), "registry_agency"]:
            cursor.execute(
                "SELECT pg_relation_size(%s::regclass), pg_indexes_size(%s::regclass), "
                "pg_total_relation_size(%s::regclass)",
                [table, table, table],
            )
            heap, indexes, total = cursor.fetchone()
            result[table] = {
                "table_mb": heap / 2**20,
                "indexes_mb": indexes / 2**20,
                "total_mb": total / 2**20,
            }
        cursor.execute(
            "SELECT c.relname, pg_relation_size(c.oid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = 'registry_searchdocument'::regclass ORDER BY 2 DESC"
        )
        result["search indexes"] = {name: size / 2**20 for name, size in cursor.fetchall()}
        cursor.execute("SELECT pg_database_size(current_database())")
        result["database_mb"] = cursor.fetchone()[0] / 2**20
    return result


def main() -> None:
    args = parse_args()
    base = Path(tempfile.mkdtemp(prefix="court-defaulters-bench-", dir=tempfile.gettempdir()))
    print(f"throwaway cluster in {base} (deleted at exit)", flush=True)
    total_started = time.perf_counter()
    started = time.perf_counter()
    setup(base)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.0f} s", flush=True)
    info = machine()
    print(json.dumps(info, ensure_ascii=False), flush=True)
    print(f"loading {args.entries:,} court-defaulter cases …", flush=True)
    load_started = time.perf_counter()
    report = load(args)
    load_seconds = time.perf_counter() - load_started
    print(f"load finished in {load_seconds / 60:.1f} min", flush=True)
    size_info = sizes()
    print(json.dumps(size_info, indent=1), flush=True)

    rng = random.Random(args.seed)
    queries = pick_queries(report.pop("samples"), args.queries, rng)
    rng.shuffle(queries)
    print(f"{len(queries)} queries; starting the API servers …", flush=True)
    servers = []
    try:
        servers = start_servers(base)
        wait_for_idle(args.idle_load, args.idle_wait)
        load_before = os.getloadavg()
        query_started = time.perf_counter()
        summary, rows = run_queries(queries, servers)
        query_seconds = time.perf_counter() - query_started
        load_after = os.getloadavg()
    finally:
        for server in servers:
            server.stop()
    print_summary(summary)
    print()
    print(f"queries took {query_seconds / 60:.1f} min; load average before {load_before}, after {load_after}")
    mismatched = [r for r in rows if r["api_count"] != r["api_persistent_count"]]
    print(f"API answers that differ between the two servers: {len(mismatched)}")
    print()
    for method in ("api", "search", "ilike"):
        print(f"slowest {method}:")
        for row in sorted(rows, key=lambda r: r[method], reverse=True)[:8]:
            print(
                f"  {row[method]:8.1f} ms  {row['class']:32} {row['q']!r} ({row['hits']} hits, "
                f"{row['statements']} statements; search() {row['search']:.1f} ms)"
            )
    print()
    examples = []
    for category, _, _ in CLASSES:
        slow = sorted((r for r in rows if r["class"] == category), key=lambda r: r["search"], reverse=True)
        if slow:
            examples.append((category, slow[0]["q"]))
    explain(examples)
    print()
    steered = what_if(rows)
    total_seconds = time.perf_counter() - total_started
    print(f"\ntotal run time {total_seconds / 60:.1f} min (load {load_seconds / 60:.1f} min)")
    print("load phases (s): " + ", ".join(f"{k} {v:.0f}" for k, v in report["phases"].items()))
    print(
        "rows: "
        + ", ".join(f"{k} {v:,}" for k, v in report["rows"].items())
        + f", courts {report['courts']:,}"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "date": dt.date.today().isoformat(),
                    "entries": args.entries,
                    "machine": info,
                    "load": report,
                    "load_seconds": load_seconds,
                    "sizes": size_info,
                    "summary": summary,
                    "queries": rows,
                    "load_average": [load_before, load_after],
                    "what_if": steered,
                },
                ensure_ascii=False,
                indent=1,
                default=str,
            )
        )


if __name__ == "__main__":
    main()
