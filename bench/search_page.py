"""Benchmark of the public enterprise search page (``/search/``) on a throwaway database.

    .venv/bin/python bench/search_page.py --enterprises 2000000 --data-dir bench/out/search-page-pg [--keep]

Runs against its own embedded PostgreSQL (``--data-dir``), never the development database. It

1. fills the registry with the demo generator (``generate_demo_data --replace``: realistic
   enterprises with every record type, abnormal-operation listings included), adds list entries
   in force on a blacklist, a redlist and the watch list for a few per cent of enterprises (so
   result pages carry badges), and builds the search documents (``rebuild_search_index --kind
   enterprise``); with ``--keep`` a data folder holding the same number of enterprises is reused;
2. times the whole view server-side: Django's test ``Client`` in the same process, so URL
   routing, the form, the search, the two badge queries, template rendering and the response
   are all included (no network, no web server), for many varied queries: common and rare name
   fragments, prefixes, exact names, USCCs and registration numbers, without and with filters
   (province, status, industry, years established, all of them together), and deeper pages;
3. measures a baseline in the same run: the naive query a first version would write
   (``name ILIKE '%q%'`` with the same filters on ``registry_enterprise``, newest first,
   ``LIMIT 21``; an exact ``uscc`` / ``registration_number`` match for codes), on a sample of
   each kind of query (it reads the whole table, seconds each);
4. prints p50/p95/max per kind, the slowest requests, and writes everything as JSON to
   ``bench/out/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from hostinfo import machine_facts

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COMMON = (
    "科技",
    "有限公司",
    "贸易",
    "北京",
    "上海",
    "合肥",
    "信息技术",
    "工程",
    "商贸",
    "管理",
    "建设",
    "服务",
)
TARGET_P95_MS = 50.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=2_000_000)
    parser.add_argument("--persons", type=int, default=2_000_000)
    parser.add_argument("--per-kind", type=int, default=30, help="queries per kind of query")
    parser.add_argument("--naive-per-kind", type=int, default=5, help="baseline queries per kind")
    parser.add_argument("--data-dir", type=Path, default=None, help="embedded PostgreSQL folder (throwaway)")
    parser.add_argument(
        "--keep", action="store_true", help="reuse the data when the enterprise count matches"
    )
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def setup_django(data_dir: Path) -> None:
    if data_dir.resolve() == (ROOT / ".pgdata").resolve():
        raise SystemExit("Refusing to benchmark in the development database; pass another --data-dir.")
    os.environ.pop("DATABASE_URL", None)
    os.environ["EMBEDDED_PG_DIR"] = str(data_dir)
    os.environ["DEBUG"] = "0"  # no query log, production templates
    os.environ["HTTPS_ONLY"] = "0"  # over plain HTTP, as a test: no redirect to HTTPS
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-" + "b" * 32)
    os.environ.setdefault("ID_HASH_KEY", "bench-id-hash-key-" + "b" * 32)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.conf import settings

    settings.PUBLIC_SEARCH_PER_MINUTE = 10**9  # the benchmark is one client
    # Production stores hashed names from collectstatic's manifest; the benchmark renders plain ones.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def add_list_entries(seed: int) -> dict[str, int]:
    """Entries in force for a few per cent of enterprises: 2 % blacklist, 1 % redlist, 0.5 % watch list."""
    from django.db import connection, transaction
    from django.utils import timezone

    from blacklists.models import ListEntry, ListType

    today = timezone.localdate()
    plan = (("samr-serious-illegal", 50, 0), ("sta-grade-a", 100, 7), ("ndrc-key-concern", 200, 13))
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM registry_enterprise")
        (top,) = cursor.fetchone()
    for code, every, shift in plan:
        list_type = ListType.objects.get(code=code)
        rows = []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, name FROM registry_enterprise WHERE (id + %s) %% %s = 0 ORDER BY id",
                [shift, every],
            )
            found = cursor.fetchall()
        starts = today - dt.timedelta(days=30)
        for enterprise_id, name in found:
            rows.append(
                ListEntry(
                    list_type=list_type,
                    enterprise_id=enterprise_id,
                    subject_name=name,
                    issuing_agency_id=list_type.owner_id,
                    decision_number=f"bench-{seed}-{enterprise_id}",
                    decision_date=starts,
                    severity=list_type.default_severity,
                    starts_on=starts,
                    planned_end=starts + dt.timedelta(days=365),
                    published_on=starts,
                )
            )
        with transaction.atomic():
            for start in range(0, len(rows), 10_000):
                ListEntry.objects.bulk_create(rows[start : start + 10_000])
        counts[code] = len(rows)
    assert top
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE blacklists_listentry")
    return counts


def build(args) -> dict:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command(
        "generate_demo_data",
        enterprises=args.enterprises,
        persons=args.persons,
        seed=1,
        replace=True,
        verbosity=1,
    )
    generated = time.perf_counter() - started
    started = time.perf_counter()
    entries = add_list_entries(args.seed)
    listed = time.perf_counter() - started
    started = time.perf_counter()
    call_command("rebuild_search_index", kind=["enterprise"])
    indexed = time.perf_counter() - started
    return {"generate_s": generated, "list_entries_s": listed, "index_s": indexed, "entries": entries}


def pick_queries(per: int, rng: random.Random) -> list[tuple[str, dict]]:
    """(kind of query, GET parameters) sampled from the data."""
    from django.db import connection

    from registry.models import Enterprise, Region

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, uscc, registration_number, region_id, status, industry, established "
            "FROM registry_enterprise TABLESAMPLE SYSTEM (1) REPEATABLE (7) LIMIT 20000"
        )
        sample = cursor.fetchall()
    rng.shuffle(sample)
    provinces = list(Region.objects.filter(level="province").values_list("code", flat=True))
    statuses = [s for s in Enterprise.Status.values if s != "unknown"]
    industries = list(Enterprise.Industry.values)

    def fragment(name: str, length: int) -> str:
        start = rng.randrange(0, max(1, len(name) - length - 4))  # not the common suffix
        return name[start : start + length]

    def some_filters() -> dict:
        choice = rng.choice(("province", "status", "industry", "established", "all"))
        year = rng.randrange(1995, 2025)
        filters = {
            "province": {"province": rng.choice(provinces)},
            "status": {"status": rng.choice(statuses)},
            "industry": {"industry": rng.choice(industries)},
            "established": {"established": f"{year}-{min(year + rng.randrange(0, 6), 2026)}"},
            "all": {
                "province": rng.choice(provinces),
                "status": "in_operation",
                "industry": rng.choice(("C", "F", "I", "L", "E")),
                "established": f"{year}-{min(year + 5, 2026)}",
            },
        }
        return filters[choice]

    rows = iter(sample)
    queries: list[tuple[str, dict]] = []
    queries += [("common fragment", {"q": rng.choice(COMMON)}) for _ in range(per)]
    queries += [
        ("name fragment, 2-4 chars", {"q": fragment(next(rows)[0], rng.choice((2, 3, 4)))})
        for _ in range(per)
    ]
    queries += [
        ("name prefix, 4-8 chars", {"q": next(rows)[0][: rng.choice((4, 5, 6, 8))]}) for _ in range(per)
    ]
    queries += [("exact name", {"q": next(rows)[0]}) for _ in range(per)]
    queries += [("USCC", {"q": next(rows)[1]}) for _ in range(per)]
    numbers = [row[2] for row in sample if row[2]][:per]
    queries += [("registration number", {"q": number}) for number in numbers]
    queries += [("common fragment + filter", {"q": rng.choice(COMMON), **some_filters()}) for _ in range(per)]
    queries += [
        ("name fragment + filter", {"q": fragment(next(rows)[0], rng.choice((2, 3))), **some_filters()})
        for _ in range(per)
    ]
    queries += [("USCC + status filter", {"q": next(rows)[1], "status": "in_operation"}) for _ in range(per)]
    queries += [
        ("common fragment, page 2-10", {"q": rng.choice(COMMON), "page": rng.randrange(2, 11)})
        for _ in range(per)
    ]
    return queries


def naive(params: dict) -> None:
    """The obvious query: ILIKE over the enterprise table with the same filters, newest first."""
    from django.db import connection

    q = params["q"].strip()
    where, values = [], []
    if len(q) in (15, 18) and q.isalnum() and q.upper() == q:
        where.append("(uscc = %s OR registration_number = %s)")
        values += [q, q]
    else:
        where.append("name ILIKE %s")
        values.append("%" + q.replace("%", "\\%").replace("_", "\\_") + "%")
    if params.get("province"):
        where.append("region_id LIKE %s")
        values.append(params["province"][:2] + "%")
    if params.get("status"):
        where.append("status = %s")
        values.append(params["status"])
    if params.get("industry"):
        where.append("industry = %s")
        values.append(params["industry"])
    if params.get("established"):
        first, _, last = params["established"].partition("-")
        where.append("established BETWEEN %s AND %s")
        values += [dt.date(int(first), 1, 1), dt.date(int(last or first), 12, 31)]
    page = int(params.get("page", 1))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, name, uscc, legal_representative, status, established FROM registry_enterprise "
            f"WHERE {' AND '.join(where)} ORDER BY established DESC NULLS LAST, id DESC LIMIT 21 OFFSET %s",
            [*values, (page - 1) * 20],
        )
        cursor.fetchall()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def spread(values: list[float]) -> str:
    if not values:
        return "–"
    return f"{percentile(values, 0.5):.1f} / {percentile(values, 0.95):.1f} / {max(values):.1f}"


def machine() -> dict:
    return machine_facts()


def data_size() -> dict:
    from django.db import connection

    sizes = {}
    with connection.cursor() as cursor:
        for table in (
            "registry_enterprise",
            "registry_person",
            "registry_searchdocument",
            "blacklists_listentry",
            "registry_abnormaloperationlisting",
        ):
            cursor.execute(f"SELECT count(*), pg_size_pretty(pg_total_relation_size('{table}')) FROM {table}")
            sizes[table] = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM registry_abnormaloperationlisting WHERE removed_on IS NULL")
        sizes["abnormal listings open"] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        sizes["database"] = cursor.fetchone()[0]
    return sizes


def main() -> None:
    args = parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="search-page-bench-pg-"))
    setup_django(data_dir)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from blacklists.models import ListEntry
    from registry.models import Enterprise

    rng = random.Random(args.seed)
    call_command("migrate", verbosity=0)
    built = None
    if not (args.keep and Enterprise.objects.count() == args.enterprises):
        print(f"generating {args.enterprises:,} enterprises …", flush=True)
        built = build(args)
        print(f"  built: {built}", flush=True)
    elif not ListEntry.objects.filter(decision_number__startswith="bench-").exists():
        print(f"  list entries added: {add_list_entries(args.seed)}", flush=True)
    info = machine()
    sizes = data_size()
    queries = pick_queries(args.per_kind, rng)

    setup_test_environment()  # lets the client see the template context (hit counts); a little overhead
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    statements = [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    for _kind, params in queries[:: max(1, len(queries) // 40)]:  # warm caches a little
        client.get("/search/", params)

    results: dict[str, dict[str, list]] = {}
    slowest = []
    for kind, params in queries:
        statements[0] = 0
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            response = client.get("/search/", params)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{params!r} answered {response.status_code}")
        page = response.context["page"] if response.context else None
        row = results.setdefault(kind, {"view": [], "naive": [], "statements": [], "hits": []})
        row["view"].append(elapsed)
        row["statements"].append(statements[0])
        row["hits"].append(page.total_display if page else "-")
        slowest.append((elapsed, kind, params, page.total_display if page else "-", statements[0]))

    for kind, row in results.items():
        for _kind, params in [item for item in queries if item[0] == kind][: args.naive_per_kind]:
            started = time.perf_counter()
            naive(params)
            row["naive"].append((time.perf_counter() - started) * 1000)

    lines = [
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory_gib']} GiB; PostgreSQL "
        f"{info['postgresql']} (embedded, shared_buffers {info['shared_buffers']}); Python {info['python']}; "
        f"{info['date']}; load average before {info['load_average'][0]:.1f}, after {os.getloadavg()[0]:.1f}.",
        "Data: "
        + "; ".join(
            f"{table}: {value[0]:,} rows, {value[1]}" if isinstance(value, tuple) else f"{table}: {value}"
            for table, value in sizes.items()
        ),
        "",
        "| queries | n | /search/ view p50 / p95 / max ms | SQL statements "
        "| naive baseline p50 / p95 / max ms (n) | hits (examples) |",
        "|---|---|---|---|---|---|",
    ]
    everything, baseline = [], []
    for kind, row in results.items():
        everything += row["view"]
        baseline += row["naive"]
        lines.append(
            f"| {kind} | {len(row['view'])} | {spread(row['view'])} | {min(row['statements'])}-"
            f"{max(row['statements'])} | {spread(row['naive'])} ({len(row['naive'])}) "
            f"| {', '.join(row['hits'][:3])} |"
        )
    lines.append(
        f"| **all** | {len(everything)} | **{spread(everything)}** | "
        f"| {spread(baseline)} ({len(baseline)}) | |"
    )
    p95 = percentile(everything, 0.95)
    lines += [
        "",
        f"Target p95 < {TARGET_P95_MS:.0f} ms: "
        f"{'met' if p95 < TARGET_P95_MS else 'MISSED'} (p95 {p95:.1f} ms).",
        "",
        "Slowest requests:",
    ]
    for elapsed, kind, params, hits, count_ in sorted(slowest, key=lambda item: item[0], reverse=True)[:12]:
        lines.append(f"  {elapsed:7.1f} ms  {kind:28} {params!r} ({hits} hits, {count_} statements)")
    text = "\n".join(lines)
    print(text)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"search_page-{stamp}.json").write_text(
        json.dumps(
            {
                "machine": info,
                "sizes": sizes,
                "built": built,
                "results": {kind: {k: v for k, v in row.items()} for kind, row in results.items()},
                "slowest": [
                    [e, k, p, h, c]
                    for e, k, p, h, c in sorted(slowest, key=lambda i: i[0], reverse=True)[:30]
                ],
            },
            indent=1,
            ensure_ascii=False,
            default=str,
        )
    )


if __name__ == "__main__":
    main()
