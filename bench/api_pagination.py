# ruff: noqa: E501 - SQL statements read best unbroken
"""Deep pages of the enterprise list: keyset cursors against page numbers (OFFSET).

    DEBUG=1 .venv/bin/python bench/api_pagination.py --enterprises 200000

Runs against its own throwaway embedded PostgreSQL under the system temp folder (deleted at
exit). It

1. migrates and inserts N enterprises inside PostgreSQL (INSERT ... SELECT over generate_series),
   then VACUUM ANALYZE;
2. times ``--requests`` calls of ``GET /api/v1/enterprises/`` (20 rows a page) through the whole
   Django/DRF stack in-process (``django.test.Client``: everything but the HTTP server; the rate
   limit's counting included, with the limits raised so no call is refused): page 1, and page
   10,000 reached by its cursor (the cursor the API would give after 9,999 pages, built from the
   sort key of the last row of page 9,999);
3. times the same pages as page numbers would fetch them (the serializer's query with
   ``OFFSET (page - 1) * 20``), the cost keyset pagination removes;
4. prints p50/p95/max per kind and the ratio of page 10,000 to page 1 (the target: p95 within 2x).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAGE_SIZE = 20
SERVER_SETTINGS = {"shared_buffers": "512MB", "work_mem": "16MB", "max_wal_size": "4GB"}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--page", type=int, default=10_000, help="the deep page")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per kind")
    parser.add_argument("--json", type=Path, default=None)
    return parser.parse_args()


def setup(base: Path) -> None:
    data_dir = base / "pgdata"
    code = "import sys, pgserver; pgserver.get_server(sys.argv[1], cleanup_mode='stop')"
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True)
    with open(data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("\n# bench/api_pagination.py\n")
        for name, value in SERVER_SETTINGS.items():
            conf.write(f"{name} = '{value}'\n")

    def cleanup() -> None:
        if (data_dir / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                from pgserver._commands import pg_ctl

                pg_ctl(
                    ["-w", "-m", "fast", "stop"],
                    pgdata=data_dir,
                    user="pgserver" if os.geteuid() == 0 else None,
                )
        shutil.rmtree(base, ignore_errors=True)

    atexit.register(cleanup)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so atexit still stops the server
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        ID_HASH_KEY=secrets.token_hex(24),
        EMBEDDED_PG_DIR=str(data_dir),
        EMBEDDED_PG_THROWAWAY="1",
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="config.settings",
        ALLOWED_HOSTS="testserver",
        # Every request timed, none refused.
        API_ANON_RATE="100000000/day",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(n: int) -> float:
    from django.db import connection

    from registry.models import Agency

    agency = Agency.objects.order_by("id").first().pk
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        # Codes spread over the key space (not in insertion order), as real codes are.
        cursor.execute(
            f"""INSERT INTO registry_enterprise (uscc, uscc_legacy, registration_number, name, former_names,
                   entity_type, legal_representative, capital_currency, status, established, address, business_scope,
                   region_id, industry, registration_authority_id, created_at, updated_at)
               SELECT '91340100' || lpad(((i * 7919) %% 1000000000)::text, 9, '0') || '0', true, '',
                      '合肥基准测试' || i || '有限公司', '{{}}', 'llc', '张三', 'CNY', 'in_operation',
                      make_date(1995 + (i %% 31), 1 + (i %% 12), 1), '合肥市', '', '340100', 'C', {agency}, now(), now()
               FROM generate_series(1, %s) i""",
            [n],
        )
        cursor.execute("VACUUM ANALYZE registry_enterprise")
    return time.perf_counter() - started


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def main() -> None:
    args = parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-api-pagination-"))
    setup(base)
    from django.db import connection
    from django.test import Client

    from bench.hostinfo import machine_facts
    from core.keyset_pagination import KeysetPagination
    from registry.api.serializers import EnterpriseListSerializer
    from registry.api.views import EnterpriseListView
    from registry.models import Enterprise

    needed = args.page * PAGE_SIZE
    if args.enterprises < needed:
        raise SystemExit(f"Page {args.page:,} needs at least {needed:,} enterprises.")
    print(f"Loading {args.enterprises:,} enterprises …", flush=True)
    seconds = load(args.enterprises)
    print(f"  {seconds:.1f} s", flush=True)

    offset = (args.page - 1) * PAGE_SIZE
    [last_of_previous] = Enterprise.objects.order_by("uscc").values_list("uscc", flat=True)[
        offset - 1 : offset
    ]
    pagination = KeysetPagination()
    pagination.ordering = tuple(EnterpriseListView.keyset_ordering)
    cursor = pagination.encode_cursor(direction="n", values=[last_of_previous])
    expected_first = Enterprise.objects.order_by("uscc").values_list("uscc", flat=True)[offset]

    client = Client()
    first_url = f"/api/v1/enterprises/?page_size={PAGE_SIZE}"
    deep_url = f"/api/v1/enterprises/?page_size={PAGE_SIZE}&cursor={cursor}"
    body = client.get(deep_url).json()
    assert body["results"][0]["uscc"] == expected_first, "the cursor did not land on the deep page"
    assert client.get(first_url).status_code == 200

    def api(url: str) -> list[float]:
        samples = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200
        return samples

    base_query = EnterpriseListView.queryset.all()

    def offset_page(page: int) -> list[float]:
        samples = []
        start = (page - 1) * PAGE_SIZE
        for _ in range(args.requests):
            started = time.perf_counter()
            rows = list(base_query[start : start + PAGE_SIZE])
            EnterpriseListSerializer(rows, many=True).data  # noqa: B018 - the serialising is timed
            # A page-number list also counts every row for its "count".
            base_query.count()
            samples.append(time.perf_counter() - started)
        return samples

    result = {
        "machine": machine_facts(),
        "enterprises": args.enterprises,
        "page": args.page,
        "requests": args.requests,
    }
    # Interleaved warm-up, then each kind timed in turn.
    api(first_url)
    api(deep_url)
    result["api_cursor_page_1"] = percentiles(api(first_url))
    result["api_cursor_deep_page"] = percentiles(api(deep_url))
    result["offset_page_1"] = percentiles(offset_page(1))
    result["offset_deep_page"] = percentiles(offset_page(args.page))
    result["ratio_p95_deep_to_first"] = round(
        result["api_cursor_deep_page"]["p95_ms"] / result["api_cursor_page_1"]["p95_ms"], 2
    )
    result["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    with connection.cursor() as db:
        db.execute(
            "EXPLAIN ANALYZE SELECT uscc FROM registry_enterprise WHERE uscc > %s ORDER BY uscc LIMIT 21",
            [last_of_previous],
        )
        result["deep_page_plan"] = [row[0] for row in db.fetchall()]
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
