"""The change feed: how fast events are read through the API, and what the trigger costs a write.

    DEBUG=1 .venv/bin/python bench/open_data_feed.py                        # 100,000 enterprises
    DEBUG=1 .venv/bin/python bench/open_data_feed.py --enterprises 20000    # quick run

Runs against its own throwaway embedded PostgreSQL in a new folder under the system temp folder
(deleted at exit), never the development database. It migrates, then:

1. inserts the enterprises in one INSERT ... SELECT with the feed triggers on (one `created` event
   each), and the same number again with the triggers disabled: the difference is the trigger's
   cost per written row;
2. changes the name of every second enterprise (`changed` events) and lists every tenth on the
   abnormal-operations list (`created` events of another dataset);
3. reads the whole feed through `GET /api/v1/changes/` in pages of 1,000 (Django's test client:
   the view, the projection through the dataset definitions and the JSON, no network), then the
   enterprises alone (`dataset=enterprises`), and reports events per second and the page
   latency (median and p95).

It prints the figures and the machine (bench/hostinfo.py, with the load average); ``--json PATH``
saves them.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hostinfo import machine_facts

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER_SETTINGS = {"shared_buffers": "1GB", "maintenance_work_mem": "512MB", "max_wal_size": "4GB"}
PAGE = 1000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--json", type=Path, default=None)
    return parser.parse_args()


def setup(base: Path) -> None:
    data_dir = base / "pgdata"
    code = "import sys, pgserver; pgserver.get_server(sys.argv[1], cleanup_mode='stop')"
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True)
    with open(data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("\n# bench/open_data_feed.py\n")
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
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        ID_HASH_KEY=secrets.token_hex(24),
        EMBEDDED_PG_DIR=str(data_dir),
        EMBEDDED_PG_THROWAWAY="1",
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="config.settings",
        # The reads below are one client's; the anonymous limit is not what is measured.
        API_ANON_RATE="1000000/minute",
        ALLOWED_HOSTS="testserver",
    )
    import django

    django.setup()


INSERT_ENTERPRISES = """
    INSERT INTO registry_enterprise (uscc, uscc_legacy, registration_number, name, former_names, entity_type,
        legal_representative, capital_currency, status, address, business_scope, region_id, industry,
        established, registered_capital, created_at, updated_at)
    SELECT %s || lpad(i::text, 9, '0') || '0', true, '', '合肥基准测试' || i || '有限公司', '{}', 'llc',
        '张伟', 'CNY', 'in_operation', '安徽省合肥市蜀山区长江西路' || i || '号', '软件开发', '340100', 'I',
        DATE '2015-06-01', 1000000.00, now(), now()
    FROM generate_series(1, %s) i
"""


def write(count: int) -> dict:
    from django.db import connection

    from registry.models import Agency

    agency = Agency.objects.create(
        name_zh="基准测试市场监督管理局",
        name_en="Benchmark Administration for Market Regulation",
        short_code="bench-samr",
        level=Agency.Level.PREFECTURE,
        kind=Agency.Kind.MARKET_REGULATION,
        region_id="340100",
    )
    figures = {}
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(INSERT_ENTERPRISES, ["91340100", count])
        figures["insert_with_feed_s"] = round(time.perf_counter() - started, 2)
        cursor.execute("ALTER TABLE registry_enterprise DISABLE TRIGGER USER")
        started = time.perf_counter()
        cursor.execute(INSERT_ENTERPRISES, ["92340100", count])
        figures["insert_without_feed_s"] = round(time.perf_counter() - started, 2)
        cursor.execute("ALTER TABLE registry_enterprise ENABLE TRIGGER USER")
        figures["trigger_cost_us_per_row"] = round(
            (figures["insert_with_feed_s"] - figures["insert_without_feed_s"]) / count * 1e6, 1
        )
        started = time.perf_counter()
        cursor.execute(
            "UPDATE registry_enterprise SET name = name || '（变更）' WHERE id % 2 = 0 AND uscc LIKE '91%'"
        )
        cursor.execute(
            """INSERT INTO registry_abnormaloperationlisting (enterprise_id, reason, listed_on,
                   listing_agency_id, source_agency_id, decision_number, removal_reason,
                   created_at, updated_at)
               SELECT id, 'annual_report', '2026-07-01', %s, %s, '', '', now(), now()
               FROM registry_enterprise WHERE id %% 10 = 0 AND uscc LIKE '91%%'""",
            [agency.pk, agency.pk],
        )
        figures["changes_s"] = round(time.perf_counter() - started, 2)
        cursor.execute("VACUUM ANALYZE opendata_feedevent")
        cursor.execute("SELECT count(*) FROM opendata_feedevent")
        figures["events"] = cursor.fetchone()[0]
    return figures


def read(dataset: str | None) -> dict:
    from django.test import Client

    from opendata.selectors import feed_horizon

    client = Client()
    # Where a client that loaded a snapshot taken before the writes would start.
    after, events, latencies = feed_horizon(), 0, []
    started = time.perf_counter()
    while True:
        query = {"after": after, "limit": PAGE, **({"dataset": dataset} if dataset else {})}
        page_started = time.perf_counter()
        response = client.get("/api/v1/changes/", query)
        latencies.append(time.perf_counter() - page_started)
        assert response.status_code == 200, response.content[:300]
        body = json.loads(response.content)
        events += len(body["events"])
        after = body["next"]
        if not body["has_more"]:
            break
    seconds = time.perf_counter() - started
    latencies.sort()
    return {
        "dataset": dataset or "all",
        "events": events,
        "pages": len(latencies),
        "seconds": round(seconds, 2),
        "events_per_second": round(events / seconds),
        "page_median_ms": round(statistics.median(latencies) * 1000, 1),
        "page_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
    }


def main() -> None:
    args = parse_args()
    setup(Path(tempfile.mkdtemp(prefix="bench-feed-")))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    info = machine_facts()
    print(f"machine: {info}", flush=True)
    figures = {"enterprises": args.enterprises, "write": write(args.enterprises)}
    print(f"write: {figures['write']}", flush=True)
    figures["read"] = [read(None), read("enterprises")]
    for each in figures["read"]:
        print(f"read: {each}", flush=True)
    figures["machine"] = machine_facts()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
