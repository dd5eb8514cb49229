"""Search benchmark on a throwaway database: synthetic enterprises, bulk index build, queries.

    .venv/bin/python bench/search.py --rows 1000000 --data-dir bench/out/search-pg

Runs against its own embedded PostgreSQL (``--data-dir``, default a new temporary folder),
never the development database. It

1. COPYs ``--rows`` synthetic enterprises (realistic surname, brand-character, place and
   industry distributions) into ``registry_enterprise``;
2. times ``search_index_rebuild_enterprises`` (the ``rebuild_search_index`` command) building
   every search document, then again when nothing changed;
3. times ``--queries`` varied queries (common and rare 2-4 character fragments, prefixes,
   exact names, person names, pinyin, USCCs), then as many again of the forgiving shapes (city
   and trade name with a space, characters in order with gaps, three terms in any order, and
   the worst case: common characters only), through ``search()``, the SQL part of it alone,
   and a naive ``name ILIKE '%q%' ORDER BY published_on DESC LIMIT 21`` on the same table, and
   through the API (``GET /api/v1/enterprises/search/?q=…``, Django and DRF in-process with
   ``django.test.Client``: everything but the HTTP server);
4. prints p50/p95/max per kind of query, and a few query plans.

With ``--keep`` an existing data folder holding the same number of rows is reused. With
``--compare-ref REV`` ``search()`` and the API as they were at git revision REV are timed too
(``bench/search_baseline.py``: REV checked out into a temporary git worktree and imported there
by a child process on the same database), alternating with the current code on every query, so
both run on the same data, indexes and machine load.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

from hostinfo import cpu_model, memory_gib
from search_baseline import BaselineSearch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红梅鑫鹏辉建华建国志强海燕文斌宇浩凯"
    "博俊晨欣怡子涵梓轩雨欣思远宏毅嘉琪佳怡晓东晓明春梅秋菊立新永红国强志明德华"
)
BRAND = (
    "华信明远恒泰鑫达兴盛德诚瑞丰源通宏安康利嘉福祥和顺昌荣永金晟汇博创新天宇星辰海阳光润泽中联合众"
    "东方正大云智慧科锐隆鼎宝亿万千百佳美优品优选绿野青山碧水蓝天龙腾凤翔飞跃卓越领航启航远航"
)
INDUSTRY = (
    "科技",
    "信息技术",
    "网络科技",
    "电子商务",
    "贸易",
    "商贸",
    "进出口贸易",
    "建筑工程",
    "建设工程",
    "装饰工程",
    "劳务",
    "物流",
    "供应链管理",
    "餐饮管理",
    "餐饮服务",
    "酒店管理",
    "房地产开发",
    "物业管理",
    "文化传媒",
    "广告",
    "教育科技",
    "培训",
    "医药",
    "医疗器械",
    "生物科技",
    "农业科技",
    "农业开发",
    "食品",
    "环保科技",
    "新能源",
    "机械设备",
    "汽车销售",
    "汽车服务",
    "投资管理",
    "资产管理",
    "企业管理咨询",
    "人力资源",
    "家具",
    "服饰",
    "电器",
    "化工",
    "钢结构",
    "水泥制品",
    "印刷",
    "包装材料",
    "园林绿化",
    "安防科技",
    "智能科技",
    "软件开发",
    "数据服务",
)
SUFFIX = (("有限公司", 70), ("有限责任公司", 12), ("股份有限公司", 5), ("集团有限公司", 2), ("分公司", 4))
SHOPS = (
    "便利店",
    "超市",
    "饭店",
    "小吃店",
    "理发店",
    "五金店",
    "服装店",
    "水果店",
    "建材经营部",
    "汽车修理厂",
)
USCC_BODY = "0123456789"


def zipf_weights(count: int, s: float = 1.05) -> list[float]:
    return [1 / (rank**s) for rank in range(1, count + 1)]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=240)
    parser.add_argument("--data-dir", type=Path, default=None, help="embedded PostgreSQL folder (throwaway)")
    parser.add_argument("--keep", action="store_true", help="reuse the data when the row count matches")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--naive-per-kind", type=int, default=0, help="time the naive query for only this many of each kind"
    )
    parser.add_argument("--no-naive", action="store_true", help="do not time the naive query at all")
    parser.add_argument(
        "--no-rerun", action="store_true", help="with --keep: skip timing the unchanged rebuild, only ANALYZE"
    )
    parser.add_argument(
        "--compare-ref",
        default=None,
        help="also time search() and the API as they were at this git revision (checked out into a "
        "temporary worktree), alternating with the current ones on the same data in the same run",
    )
    return parser.parse_args()


def setup_django(data_dir: Path) -> None:
    if data_dir.resolve() == (ROOT / ".pgdata").resolve():
        raise SystemExit("Refusing to benchmark in the development database; pass another --data-dir.")
    os.environ.pop("DATABASE_URL", None)
    os.environ["EMBEDDED_PG_DIR"] = str(data_dir)
    os.environ["DEBUG"] = "0"  # no query log
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the API is called in-process (django.test.Client)
    os.environ["HTTPS_ONLY"] = "0"  # over plain HTTP, as a test: no redirect to HTTPS
    os.environ["API_ANON_RATE"] = "1000000/minute"  # every query, not the throttle's answer
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-" + "b" * 32)
    os.environ.setdefault("ID_HASH_KEY", "bench-id-hash-key-" + "b" * 32)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def places() -> list[tuple[str, str]]:
    """(name prefix, region code) for every prefecture, big cities first-ish by code order."""
    from registry.models import Region

    found = []
    for region in Region.objects.filter(level="prefecture").select_related("parent").order_by("code"):
        name = region.name_zh
        if name in {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}:
            name = region.parent.name_zh
        for suffix in ("市", "地区"):
            if name.endswith(suffix) and len(name) > 3:
                name = name.removesuffix(suffix)
        found.append((name, region.code))
    return found


def person_name(rng: random.Random, surname_weights) -> str:
    surname = rng.choices(SURNAMES, weights=surname_weights)[0]
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return surname + given


def synthetic_enterprises(count: int, rng: random.Random, where: list[tuple[str, str]]):
    """Yield dicts of enterprise values with realistic, heavily repeated name parts."""
    from core.identifiers import organisation_code_check_char, uscc_check_char

    where_weights = zipf_weights(len(where), 0.8)
    brand_weights = zipf_weights(len(BRAND), 0.9)
    industry_weights = zipf_weights(len(INDUSTRY), 0.7)
    surname_weights = zipf_weights(len(SURNAMES), 1.0)
    suffixes, suffix_weights = zip(*SUFFIX)
    start = dt.date(1990, 1, 1).toordinal()
    span = dt.date(2025, 12, 31).toordinal() - start
    seen: set[str] = set()
    for serial in range(1, count + 1):
        place, region = rng.choices(where, weights=where_weights)[0]
        if rng.random() < 0.15:
            district = rng.choice(("", "高新区", "经开区", "新区", "县"))
            name = f"{place}{district}{person_name(rng, surname_weights)}{rng.choice(SHOPS)}"
            entity_type = "individual_business"
        else:
            brand = "".join(rng.choices(BRAND, weights=brand_weights, k=rng.choice((2, 2, 2, 3, 4))))
            industry = rng.choices(INDUSTRY, weights=industry_weights)[0]
            suffix = rng.choices(suffixes, weights=suffix_weights)[0]
            name = f"{place}{brand}{industry}{suffix}"
            if suffix == "分公司":
                name = f"{place}{brand}{industry}有限公司{rng.choice(where)[0]}分公司"
            entity_type = "llc"
        if name in seen:
            name = f"{name[:-2]}{serial % 97}{name[-2:]}"
        seen.add(name)
        body8 = f"{serial:08d}"
        first17 = f"91{region}{body8}{organisation_code_check_char(body8)}"
        established = dt.date.fromordinal(start + int(span * (1 - rng.random() ** 1.6)))
        yield {
            "uscc": first17 + uscc_check_char(first17),
            "name": name,
            "former_names": [],
            "entity_type": entity_type,
            "legal_representative": person_name(rng, surname_weights),
            "established": established,
            "status": "in_operation",
            "address": f"{place}某路{serial % 999 + 1}号",
            "region_id": region,
            "industry": "",
        }


def load_enterprises(count: int, rng: random.Random) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    from registry.models import Enterprise

    fields = [field for field in Enterprise._meta.concrete_fields if not field.primary_key]
    now = timezone.now()

    def default(field):
        if field.has_default():
            return field.get_default()
        if field.name in {"created_at", "updated_at"}:
            return now
        return None if field.null else ""

    where = places()  # before COPY holds the connection
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Enterprise._meta.db_table} RESTART IDENTITY CASCADE")
        columns = ", ".join(f'"{field.column}"' for field in fields)
        with cursor.cursor.copy(f"COPY {Enterprise._meta.db_table} ({columns}) FROM STDIN") as copy:
            for values in synthetic_enterprises(count, rng, where):
                copy.write_row([values[f.attname] if f.attname in values else default(f) for f in fields])
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Enterprise._meta.db_table}")
    return time.perf_counter() - started


def pick_queries(total: int, rng: random.Random) -> list[tuple[str, str]]:
    """(category, query) pairs sampled from the loaded data."""
    from django.db import connection

    from search.normalise import pinyin

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, extra->>'uscc' FROM registry_searchdocument "
            "TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT 5000"
        )
        sample = cursor.fetchall()
    rng.shuffle(sample)
    per = max(1, total // 8)
    names = [name for name, _ in sample]
    queries: list[tuple[str, str]] = []
    common = ["科技", "有限公司", "贸易", "合肥", "北京", "华信", "工程", "管理", "商贸有限", "信息技术"]
    queries += [("common 2-4 chars", q) for q in (common * per)[:per]]
    for name in names[:per]:
        length = rng.choice((2, 3, 4))
        start = rng.randrange(0, max(1, len(name) - length))
        queries.append(("random 2-4 chars", name[start : start + length]))
    queries += [("prefix 3-6 chars", name[: rng.choice((3, 4, 5, 6))]) for name in names[per : 2 * per]]
    queries += [("exact name", name) for name in names[2 * per : 3 * per]]
    shops = [name for name in names if name.endswith(SHOPS)]
    persons = []
    for name in shops:
        for shop in SHOPS:
            if name.endswith(shop):
                persons.append(name.removesuffix(shop)[-3:] if len(name) > 6 else name[-5:-2])
    queries += [("person name", p[-3:] if rng.random() < 0.5 else p[-2:]) for p in persons[:per]]
    shop_names = set(shops)
    queries += [
        ("pinyin", "".join(pinyin(name[-5:-2] if name in shop_names else name[2:4])))
        for name in names[3 * per : 4 * per]
    ]
    queries += [("uscc", uscc) for _, uscc in sample[4 * per : 5 * per]]
    rare = []
    for name in names[5 * per :]:
        if len(rare) >= per:
            break
        brand = name[2:5]
        rare.append(brand)
    queries += [("rare 3-char fragment", q) for q in rare]
    queries += forgiving_queries(names[6 * per :], per, rng)
    return queries


# Made only of the most frequent characters, not side by side in most names: the in-order pass
# cannot use the GIN index for them (see docs/search.md, "Worst case").
WORST_CASE = (
    "公司有限",
    "有公司",
    "限公",
    "司有限",
    "有限司",
    "公有限",
    "科技公司",
    "有限科技",
    "北京公司",
    "技有限",
)


FORGIVING = frozenset(
    {
        "city + trade name, space",
        "in order, not adjacent",
        "three terms, any order",
        "worst case: common chars",
    }
)


def forgiving_queries(names: list[str], per: int, rng: random.Random) -> list[tuple[str, str]]:
    """Queries as citizens type them: city and trade name with a space, characters in order with
    others between, several terms in any order, and the worst case (common characters only)."""
    where = sorted({place for place, _code in places()}, key=len, reverse=True)
    parsed = []
    for name in names:
        place = next((place for place in where if name.startswith(place)), None)
        rest = name[len(place) :] if place else ""
        industry = next((word for word in INDUSTRY if word in rest), None)
        if place and industry and rest.index(industry) >= 2:
            parsed.append((place, rest[: rest.index(industry)], industry))
    spaced, in_order, several = [], [], []
    for place, brand, industry in parsed[: 3 * per]:
        if len(spaced) < per:
            spaced.append(f"{place} {brand[:2]}")
        elif len(in_order) < per:
            # the city and the trade, the brand between them left out: 合肥科技 for 合肥华信科技…
            in_order.append(place + industry[: rng.choice((1, 2))] if len(place) > 1 else place + industry)
        else:
            several.append(" ".join(rng.sample([place, brand[:2], industry[:2]], 3)))
    return (
        [("city + trade name, space", q) for q in spaced]
        + [("in order, not adjacent", q) for q in in_order]
        + [("three terms, any order", q) for q in several[:per]]
        + [("worst case: common chars", q) for q in (WORST_CASE * per)[:per]]
    )


def spread(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{percentile(values, 0.5):.1f} / {percentile(values, 0.95):.1f} / {max(values):.1f}"


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    with contextlib.ExitStack() as stack:
        run(parse_args(), stack)


def run(args: argparse.Namespace, stack: contextlib.ExitStack) -> None:
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="search-bench-pg-"))
    setup_django(data_dir)
    from django.core.management import call_command
    from django.db import connection

    from registry.models import Enterprise
    from registry.services.search import search_index_rebuild_enterprises
    from search.models import SearchDocument
    from search.query import SearchQueryError, search
    from search.services import search_frequent_runs_refresh

    rng = random.Random(args.seed)
    call_command("migrate", verbosity=0)
    if not (args.keep and Enterprise.objects.count() == args.rows):
        print(f"loading {args.rows:,} synthetic enterprises with COPY …", flush=True)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {SearchDocument._meta.db_table}")
        print(f"  {load_enterprises(args.rows, rng):.1f} s", flush=True)
        print("building search documents (rebuild_search_index) …", flush=True)
        report = search_index_rebuild_enterprises(batch_size=args.batch_size)
        print(
            f"  first build: {report.documents:,} documents in {report.seconds:.1f} s "
            f"= {report.per_second:,.0f}/s",
            flush=True,
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE registry_searchdocument")
    if args.no_rerun:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_searchdocument")
        # What a rebuild ends with, and the register's workers repeat daily.
        started = time.perf_counter()
        counted = search_frequent_runs_refresh()
        print(f"frequent runs counted: {counted:,} in {time.perf_counter() - started:.1f} s", flush=True)
    else:
        again = search_index_rebuild_enterprises(batch_size=args.batch_size)
        print(
            f"  re-run, nothing changed: {again.documents:,} documents in {again.seconds:.1f} s "
            f"= {again.per_second:,.0f}/s",
            flush=True,
        )

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        cursor.execute(
            "SELECT relname, pg_size_pretty(pg_relation_size(oid)) FROM pg_class "
            "WHERE relname LIKE 'search_doc%%' OR relname = 'registry_searchdocument' ORDER BY relname"
        )
        sizes = cursor.fetchall()
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('registry_searchdocument'))")
        total_size = cursor.fetchone()[0]

    queries = pick_queries(args.queries, rng)
    sql_time = [0.0]
    sql_count = [0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_time[0] += time.perf_counter() - started
            sql_count[0] += 1

    def naive(q: str, category: str) -> None:
        with connection.cursor() as cursor:
            if category == "uscc":
                cursor.execute(
                    "SELECT id, name FROM registry_searchdocument WHERE extra->>'uscc' = %s LIMIT 21", [q]
                )
            elif category in FORGIVING:
                # The same forgiving match written naively: each term's characters in order.
                terms = [
                    "%" + "%".join(c.replace("%", "\\%").replace("_", "\\_") for c in term) + "%"
                    for term in q.split()
                ]
                cursor.execute(
                    "SELECT id, name FROM registry_searchdocument WHERE "
                    + " AND ".join(["name ILIKE %s"] * len(terms))
                    + " ORDER BY published_on DESC NULLS LAST, id DESC LIMIT 21",
                    terms,
                )
            else:
                cursor.execute(
                    "SELECT id, name FROM registry_searchdocument WHERE name ILIKE %s "
                    "ORDER BY published_on DESC NULLS LAST, id DESC LIMIT 21",
                    ["%" + q.replace("%", "\\%").replace("_", "\\_") + "%"],
                )
            cursor.fetchall()

    from django.test import Client

    api = Client()

    def through_api(q: str) -> float:
        started = time.perf_counter()
        response = api.get("/api/v1/enterprises/search/", {"q": q})
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code not in (200, 400):
            raise SystemExit(f"API answered {response.status_code} to {q!r}")
        return elapsed

    baseline = stack.enter_context(BaselineSearch(args.compare_ref, ROOT)) if args.compare_ref else None

    # Every query once before timing, so search() and the API (timed one after the other for each
    # query) both run with the query's pages in the buffer cache: neither pays the first read.
    for q in queries:
        with contextlib.suppress(SearchQueryError):
            search(q[1])
        through_api(q[1])
        if baseline:
            baseline.time(q[1])
    results: dict[str, dict[str, list[float]]] = {}
    hits: dict[str, list[str]] = {}
    timings: list[tuple[float, str, str, str, int]] = []
    for number, (category, q) in enumerate(queries):
        # The baseline runs before the current code for every other query, after it for the rest,
        # so neither always finds the pages the other has just read.
        before = baseline.time(q) if baseline and number % 2 else None
        sql_time[0], sql_count[0] = 0.0, 0
        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            try:
                page = search(q)
            except SearchQueryError:
                continue
        total = time.perf_counter() - started
        row = results.setdefault(
            category,
            {
                "search": [],
                "sql": [],
                "naive": [],
                "queries": [],
                "api": [],
                "baseline": [],
                "baseline_api": [],
            },
        )
        row["api"].append(through_api(q))
        if baseline:
            elapsed, elapsed_api = before if number % 2 else baseline.time(q)
            if elapsed is not None:
                row["baseline"].append(elapsed)
            if elapsed_api is not None:
                row["baseline_api"].append(elapsed_api)
        if not args.no_naive and (not args.naive_per_kind or len(row["naive"]) < args.naive_per_kind):
            started = time.perf_counter()
            naive(q, category)
            row["naive"].append((time.perf_counter() - started) * 1000)
        row["search"].append(total * 1000)
        row["sql"].append(sql_time[0] * 1000)
        row["queries"].append(sql_count[0])
        hits.setdefault(category, []).append(page.total_display)
        timings.append((total * 1000, category, q, page.total_display, sql_count[0]))

    print()
    print(f"PostgreSQL: {version}; Python {platform.python_version()}; CPU: {cpu_model()} x {os.cpu_count()}")
    print(f"memory {memory_gib()} GiB; load average {os.getloadavg()[0]:.2f} (at the end of the queries)")
    print(f"search documents: {SearchDocument.objects.count():,}; table + indexes {total_size}")
    for name, size in sizes:
        print(f"  {name}: {size}")
    print()
    header = (
        "| queries | n | API p50 / p95 / max ms | search() p50 / p95 / max ms | SQL only p50 / p95 ms "
        "| naive ILIKE p50 / p95 / max ms | p50 ratio | SQL statements | hits (examples) |"
    )
    print(header)
    print("|" + "---|" * 9)
    everything = {"search": [], "sql": [], "naive": [], "api": []}
    for category, row in results.items():
        for key in everything:
            everything[key] += row[key]
        print(
            f"| {category} | {len(row['search'])} | {spread(row['api'])} | {spread(row['search'])} "
            f"| {percentile(row['sql'], 0.5):.1f} / {percentile(row['sql'], 0.95):.1f} "
            f"| {spread(row['naive'])} "
            f"| {percentile(row['naive'], 0.5) / max(percentile(row['search'], 0.5), 1e-6):.1f}x "
            f"| {min(row['queries'])}-{max(row['queries'])} | {', '.join(hits[category][:3])} |"
        )
    print(
        f"| all | {len(everything['search'])} | {spread(everything['api'])} "
        f"| {percentile(everything['search'], 0.5):.1f} / {percentile(everything['search'], 0.95):.1f} / "
        f"{max(everything['search']):.1f} "
        f"| {percentile(everything['sql'], 0.5):.1f} / {percentile(everything['sql'], 0.95):.1f} "
        f"| {spread(everything['naive'])} "
        f"| {percentile(everything['naive'], 0.5) / percentile(everything['search'], 0.5):.0f}x | | |"
    )
    if baseline:
        print()
        ref = args.compare_ref
        print(f"now and at {ref}, alternating on every query (p50 / p95 / max ms):")
        print()
        print(
            f"| queries | n | API now | API at {ref} | API p95 ratio | search() now | search() at {ref} "
            "| search() p95 ratio |"
        )
        print("|---|---|---|---|---|---|---|---|")
        pooled = {"api": [], "baseline_api": [], "search": [], "baseline": []}
        for category, row in [*results.items(), ("all", pooled)]:
            if category != "all":
                for key, values in pooled.items():
                    values += row[key]
            print(
                f"| {category} | {len(row['search'])} | {spread(row['api'])} | {spread(row['baseline_api'])} "
                f"| {percentile(row['baseline_api'], 0.95) / percentile(row['api'], 0.95):.1f}x "
                f"| {spread(row['search'])} | {spread(row['baseline'])} "
                f"| {percentile(row['baseline'], 0.95) / percentile(row['search'], 0.95):.1f}x |"
            )
    print()
    print("slowest search() calls:")
    for ms, category, q, total_display, count in sorted(timings, reverse=True)[:10]:
        print(f"  {ms:7.1f} ms  {category:22} {q!r} ({total_display} hits, {count} statements)")
    print()
    for q in ("科技", "有限公司", "华信科技", "zhangwei", "公司有限", "有限司", "北京公司"):
        explain(q)


def explain(q: str) -> None:
    """Print the plans of the statements search(q) runs."""
    from django.db import connection

    from search.query import search

    statements: list[tuple[str, object]] = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        page = search(q)
    print(f"--- {q}: {page.total_display} hits, {len(statements)} statement(s)")
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql, params)
            for (line,) in cursor.fetchall():
                print("   ", line)


if __name__ == "__main__":
    main()
