# ruff: noqa: E501 - SQL statements read best unbroken
"""A double-random draw at scale: 2,000,000 candidates, 5 %, two inspectors per target.

    DEBUG=1 .venv/bin/python bench/inspections.py                       # 2,000,000 candidates, 3 runs
    DEBUG=1 .venv/bin/python bench/inspections.py --candidates 200000   # quick run

Runs against its own throwaway embedded PostgreSQL in a new folder under the system temp folder
(deleted at exit), never the development database. It migrates, generates the enterprises inside
PostgreSQL (INSERT ... SELECT over generate_series; shape-valid codes flagged as legacy, every
tenth on the abnormal-operations list), an agency with 2,000 inspectors, and then, per run, a new
task (ratio 5 % for every class, 10 % raised for the abnormal-operations list, two inspectors per
target, at most 120 targets each) that it takes through the services:

1. publish the manifest (the candidate file built in the database, hashed, the task frozen);
2. reveal the two secrets;
3. draw (recusals, the seeded stream, targets and assignments written with COPY);
4. verify with the service (``manage.py verify_draw``'s work);
5. export the draw (``draw_export``) and run ``scripts/verify_draw.py`` on it in a fresh
   interpreter (standard library only).

It prints each step's time per run and the medians, and the machine; ``--json PATH`` saves them.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import gc
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
STEPS = ("publish", "reveal", "draw", "verify_service", "export", "verify_script", "task_page_p95_ms")
PAGE_REQUESTS = 200


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--candidates", type=int, default=2_000_000)
    parser.add_argument("--inspectors", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    return parser.parse_args()


def setup(base: Path) -> None:
    data_dir = base / "pgdata"
    code = "import sys, pgserver; pgserver.get_server(sys.argv[1], cleanup_mode='stop')"
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True)
    with open(data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("\n# bench/inspections.py\n")
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
    )
    import django

    django.setup()


def load(candidates: int, inspectors: int) -> tuple[int, dict]:
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
    phases = {}
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            """INSERT INTO registry_enterprise (uscc, uscc_legacy, registration_number, name, former_names,
                   entity_type, legal_representative, capital_currency, status, address, business_scope, region_id,
                   industry, created_at, updated_at)
               SELECT '91340100' || lpad(i::text, 9, '0') || '0', true, '', '合肥基准测试' || i || '有限公司', '{}',
                      'llc', '', 'CNY', 'in_operation', '', '', '340100', 'C', now(), now()
               FROM generate_series(1, %s) i""",
            [candidates],
        )
        cursor.execute(
            """INSERT INTO registry_abnormaloperationlisting (enterprise_id, reason, listed_on, listing_agency_id,
                   decision_number, removal_reason, created_at, updated_at)
               SELECT id, 'annual_report', '2026-07-01', %s, '', '', now(), now()
               FROM registry_enterprise WHERE id %% 10 = 0""",
            [agency.pk],
        )
        cursor.execute(
            """INSERT INTO inspections_inspector (agency_id, name, certificate_number, enforcement_fields, active,
                   created_at, updated_at)
               SELECT %s, '检查员' || i, 'ZF-' || lpad(i::text, 6, '0'), '', true, now(), now()
               FROM generate_series(1, %s) i""",
            [agency.pk, inspectors],
        )
        cursor.execute("VACUUM ANALYZE registry_enterprise")
        cursor.execute("VACUUM ANALYZE registry_abnormaloperationlisting")
        phases["load"] = round(time.perf_counter() - started, 1)
    print(
        f"  loaded {candidates:,} enterprises and {inspectors:,} inspectors in {phases['load']} s", flush=True
    )
    return agency.pk, phases


def one_run(agency_id: int, number: int, workdir: Path) -> dict:
    import hashlib

    from django.db import connection

    from inspections.models import AnnualPlan, InspectionItem
    from inspections.selectors import draw_export
    from inspections.services import (
        commitment_add,
        draw_verify,
        secret_reveal,
        task_create,
        task_draw,
        task_manifest_publish,
    )
    from registry.services.audit import SYSTEM

    plan, _ = AnnualPlan.objects.get_or_create(
        agency_id=agency_id, year=2026, defaults={"title_en": "Benchmark plan", "title_zh": "基准测试计划"}
    )
    item, _ = InspectionItem.objects.get_or_create(
        agency_id=agency_id,
        name_zh="企业公示信息抽查",
        defaults={
            "name_en": "Publicly disclosed information",
            "legal_basis": "《企业信息公示暂行条例》",
            "inspecting_body": "市场监督管理局",
            "content": "年度报告",
            "method": "书面检查",
        },
    )
    task = task_create(
        actor=SYSTEM,
        via="command",
        plan=plan,
        name_en=f"Benchmark task {number}",
        name_zh=f"基准测试任务{number}",
        complete_by=dt.date(2026, 12, 31),
        ratio_a=5,
        ratio_b=5,
        ratio_c=5,
        ratio_d=5,
        ratio_abnormal=10,
        inspectors_per_target=2,
        max_targets_per_inspector=120,
        items=[item],
    )
    party_secrets = [secrets.token_hex(32) for _ in range(2)]
    for order, secret in enumerate(party_secrets, start=1):
        commitment = hashlib.sha256(secret.encode()).hexdigest()
        commitment_add(task=task, party=f"Party {order}", commitment=commitment, actor=SYSTEM, via="command")
    times = {}

    def step(name, call):
        started = time.perf_counter()
        result = call()
        times[name] = round(time.perf_counter() - started, 2)
        return result

    manifest = step("publish", lambda: task_manifest_publish(task=task, actor=SYSTEM, via="command"))

    def reveal():
        for commitment, secret in zip(task.commitments.order_by("order"), party_secrets, strict=True):
            secret_reveal(commitment=commitment, secret=secret, actor=SYSTEM, via="command")

    step("reveal", reveal)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        outcome = step("draw", lambda: profiler.runcall(task_draw, task=task, actor=SYSTEM, via="command"))
        order = "tottime" if os.environ["BENCH_PROFILE"] == "tottime" else "cumulative"
        pstats.Stats(profiler).sort_stats(order).print_stats(25)
    else:
        outcome = step("draw", lambda: task_draw(task=task, actor=SYSTEM, via="command"))
    task.refresh_from_db()
    result = step("verify_service", lambda: draw_verify(task=task))
    assert result.ok, result.problems
    draw_json, candidates_csv = workdir / f"draw-{number}.json", workdir / f"candidates-{number}.csv"

    def export():
        draw_json.write_text(json.dumps(draw_export(task)), encoding="utf-8")
        candidates_csv.write_bytes(bytes(manifest.candidates))

    step("export", export)
    script = ROOT / "scripts" / "verify_draw.py"
    checked = step(
        "verify_script",
        lambda: subprocess.run(
            [sys.executable, "-I", str(script), str(draw_json), str(candidates_csv)],
            capture_output=True,
            text=True,
            check=False,
        ),
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    drawn = sum(1 for target in outcome.targets if not target.replaced)
    assignments, words = len(outcome.assignments), outcome.words_used
    # A web worker serving the page holds no draw: without this, the draw's few hundred thousand
    # objects made the collector's full passes (about 200 ms each) land in the page's timings.
    del outcome
    gc.collect()
    # What autovacuum does within a minute of the draw's 330,000 new rows, done first so that it
    # does not land in the middle of the page's timings (and its plans use fresh statistics).
    with connection.cursor() as cursor:
        for table in ("inspections_drawntarget", "inspections_inspectorassignment", "inspections_exclusion"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    times["task_page_p95_ms"] = task_page_p95_ms(task)
    print(
        f"  run {number}: {manifest.candidate_count:,} candidates, {drawn:,} targets, "
        f"{assignments:,} assignments, {words:,} stream words; "
        + ", ".join(f"{name} {seconds} {unit(name)}" for name, seconds in times.items()),
        flush=True,
    )
    return {"targets": drawn, "assignments": assignments, **times}


def unit(step: str) -> str:
    return "ms" if step.endswith("_ms") else "s"


def task_page_p95_ms(task) -> float:
    """The public task page, served in-process: the first request computes the verification and
    keeps it; then ``PAGE_REQUESTS`` requests over its pages of targets, 95th percentile in ms."""
    import random

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")  # the whole view, middleware and rendering, no HTTP
    url = f"/inspections/tasks/{task.pk}/"
    assert client.get(url).status_code == 200
    pages = max(1, -(-task.targets.count() // 50))
    rng = random.Random(task.pk)
    timings, slowest = [], (0.0, 0, [])
    for number in range(PAGE_REQUESTS):
        page = 1 if number % 2 == 0 else rng.randint(1, pages)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, {"page": page})
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        slowest = max(slowest, (timings[-1], page, list(captured)), key=lambda each: each[0])
    if os.environ.get("BENCH_SLOWEST"):  # where the slowest request spent its time
        in_queries = sum(float(query["time"]) for query in slowest[2]) * 1000
        print(
            f"  slowest task page: page {slowest[1]}, {slowest[0]:.1f} ms, {in_queries:.1f} ms in queries",
            flush=True,
        )
        for query in sorted(slowest[2], key=lambda each: -float(each["time"]))[:3]:
            print(f"    {float(query['time']) * 1000:.1f} ms  {query['sql'][:400]}", flush=True)
    return round(statistics.quantiles(timings, n=20)[-1], 1)


def main() -> None:
    args = parse_args()
    setup(Path(tempfile.mkdtemp(prefix="bench-inspections-")))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    info = machine_facts()
    print(json.dumps(info), flush=True)
    agency_id, phases = load(args.candidates, args.inspectors)
    workdir = Path(tempfile.mkdtemp(prefix="bench-inspections-files-"))
    atexit.register(shutil.rmtree, workdir, True)
    runs = [one_run(agency_id, number, workdir) for number in range(1, args.runs + 1)]
    medians = {step: statistics.median(run[step] for run in runs) for step in STEPS}
    print(
        "medians: " + ", ".join(f"{step} {seconds:.2f} {unit(step)}" for step, seconds in medians.items()),
        flush=True,
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "candidates": args.candidates,
                    "phases": phases,
                    "runs": runs,
                    "medians": medians,
                },
                indent=2,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
