# ruff: noqa: E501 - SQL statements read best unbroken
"""Government-defaulters dashboard at scale: 50,000 public bodies, 200,000 records, timed selectors.

    DEBUG=1 .venv/bin/python bench/government.py
    DEBUG=1 .venv/bin/python bench/government.py --bodies 5000 --records 20000     # quick run
    DEBUG=1 .venv/bin/python bench/government.py --url /en/government/defaulters/  # and a page
    DEBUG=1 .venv/bin/python bench/government.py --compare main   # the pages before and after

Runs against its own throwaway embedded PostgreSQL (as bench/restrictions.py does), never the
development database. It

1. migrates, then generates inside PostgreSQL (INSERT ... SELECT over generate_series): N public
   bodies (organs, public institutions, mass and social organisations, village committees) at the
   five levels over the county-level divisions, N/2 companies as creditors, 300 courts and 100
   finance bureaus, and M records: about 40 % court defaulters, 10 % unperformed judgments, 30 %
   arrears and 20 % other kinds, listed over six years, about 60 % cleared;
2. runs VACUUM ANALYZE, then the job that computes and stores the dashboard's figures (timed);
3. times ``--repeats`` calls of each dashboard read (the stored figures, figures summed from the
   cells for a rarer filter set, the first page of rows, a later page by keyset, a province's
   rows, a body's records), GET of the dashboard page (no filter, a province's open records, a
   rarer filter set, page 21) and, with ``--url``, GET of other pages, through Django's test
   client, in-process;
4. with ``--compare REVISION``, GETs the first two pages again in child processes, alternately
   with the code of REVISION (a ``git archive`` of it) and with this checkout, ``--rounds`` times,
   on the same data: the before and after of a change;
5. prints p50/p95/max in milliseconds and the load average; ``--json PATH`` saves them.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from hostinfo import machine_facts
from restrictions import setup

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = "ARRAY['government_organ','public_institution','mass_organisation','social_organisation','village_committee']"
PREFIX = "ARRAY['11','12','13','51','54']"
LEVELS = "ARRAY['national','provincial','prefecture','county','township']"
# The public pages timed on every run (with --url, others too): the dashboard with its figures
# cached, and with them recomputed on every view.
PAGES = ("/government/defaulters/", "/government/defaulters/?province=340000&state=open")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bodies", type=int, default=50_000)
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--url", action="append", default=[], help="also time GET of this path (repeatable)")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--compare",
        metavar="REVISION",
        default="",
        help="also GET the dashboard pages with the code of this git revision (e.g. main), same data",
    )
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of --compare")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="time only the cases whose label holds this text (repeatable)",
    )
    return parser.parse_args()


def timed(label: str, cursor, sql: str, params=()) -> float:
    started = time.perf_counter()
    cursor.execute(sql, params)
    seconds = time.perf_counter() - started
    print(f"  {label}: {seconds:.1f} s")
    return seconds


def load(bodies: int, records: int) -> dict:
    from django.db import connection

    today = dt.date.today()
    companies = max(bodies // 2, 10)
    phases = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT code FROM registry_region WHERE level = 'county' ORDER BY code")
        counties = [row[0] for row in cursor.fetchall()]
        cursor.execute("SET session_replication_role = replica")  # rows are generated consistent
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SELECT coalesce(max(id), 0) FROM registry_agency")
        (agency_base,) = cursor.fetchone()
        phases["agencies"] = timed(
            "300 courts and 100 finance bureaus",
            cursor,
            """INSERT INTO registry_agency (id, name_zh, name_en, short_code, level, kind, region_id, generated)
               SELECT %s + i, CASE WHEN i <= 300 THEN '基准测试法院' ELSE '基准测试财政局' END || i,
                      'Bench agency ' || i, 'bench-gov-' || i, 'county',
                      CASE WHEN i <= 300 THEN 'court' ELSE 'finance' END, (%s::text[])[1 + i %% %s], false
               FROM generate_series(1, 400) i""",
            [agency_base, counties, len(counties)],
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('registry_agency', 'id'), %s)", [agency_base + 400]
        )
        cursor.execute("SELECT coalesce(max(id), 0) FROM registry_enterprise")
        (base,) = cursor.fetchone()
        phases["bodies"] = timed(
            f"{bodies:,} public bodies",
            cursor,
            f"""INSERT INTO registry_enterprise (id, uscc, uscc_legacy, registration_number, name, former_names,
                   entity_type, legal_representative, capital_currency, status, address, business_scope,
                   region_id, industry, level, created_at, updated_at)
               SELECT %s + i, ({PREFIX})[1 + i %% 5] || '340100' || lpad(i::text, 9, '0') || '0', true, '',
                      '基准测试公共机构' || i, '{{}}', ({KINDS})[1 + i %% 5], '', 'CNY', 'in_operation', '', '',
                      (%s::text[])[1 + (i * 7) %% %s], 'S',
                      ({LEVELS})[CASE WHEN i %% 100 = 0 THEN 1 WHEN i %% 20 = 0 THEN 2 WHEN i %% 5 = 0 THEN 3
                                      WHEN i %% 3 = 0 THEN 5 ELSE 4 END],
                      now(), now()
               FROM generate_series(1, %s) i""",
            [base, counties, len(counties), bodies],
        )
        phases["companies"] = timed(
            f"{companies:,} creditor companies",
            cursor,
            """INSERT INTO registry_enterprise (id, uscc, uscc_legacy, registration_number, name, former_names,
                   entity_type, legal_representative, capital_currency, status, address, business_scope,
                   region_id, industry, level, created_at, updated_at)
               SELECT %s + i, '91340100' || lpad(i::text, 9, '0') || '0', true, '', '基准测试债权' || i || '有限公司',
                      '{}', 'llc', '', 'CNY', 'in_operation', '', '', '340100', 'E', '', now(), now()
               FROM generate_series(%s + 1, %s + %s) i""",
            [base, bodies, bodies, companies],
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('registry_enterprise', 'id'), %s)",
            [base + bodies + companies],
        )
        # kind by i % 10: 0-3 court defaulter, 4 unperformed judgment, 5-7 arrears, 8 broken commitment, 9 lost case.
        phases["records"] = timed(
            f"{records:,} records",
            cursor,
            """INSERT INTO government_dishonestyrecord (subject_id, kind, recording_agency_id, document_number,
                   case_number, facts, listed_on, amount, creditor_id, due_on, overdue_since, explanation_text,
                   rectification_outcome, officials_held_accountable, accountability_outcome, cleared_on,
                   cleared_how, created_at, updated_at)
               SELECT %(base)s + 1 + (hashint4(i) & 2147483647) %% %(bodies)s,
                      k, %(agency)s + CASE WHEN k = 'arrears' THEN 301 + i %% 100 ELSE 1 + i %% 300 END,
                      'BENCH-' || i,
                      CASE WHEN k IN ('court_defaulter', 'unperformed_judgment') THEN '(2024)皖0102执' || i || '号' ELSE '' END,
                      'benchmark', listed,
                      CASE WHEN k IN ('court_defaulter', 'unperformed_judgment', 'arrears') THEN 1000 + (i %% 5000) * 997.5 END,
                      CASE WHEN k = 'arrears' THEN %(base)s + %(bodies)s + 1 + i %% %(companies)s END,
                      CASE WHEN k = 'arrears' THEN listed - 120 END,
                      CASE WHEN k = 'arrears' THEN listed - 119 END,
                      '', '', 0, '',
                      CASE WHEN i %% 5 < 3 AND listed + 1 + i %% 400 <= %(today)s THEN listed + 1 + i %% 400 END,
                      CASE WHEN i %% 5 < 3 AND listed + 1 + i %% 400 <= %(today)s
                           THEN (ARRAY['performed','settled','revoked'])[1 + i %% 3] ELSE '' END,
                      now(), now()
               FROM (
                   SELECT i, (ARRAY['court_defaulter','court_defaulter','court_defaulter','court_defaulter',
                                    'unperformed_judgment','arrears','arrears','arrears','broken_commitment',
                                    'lost_case'])[1 + i %% 10] AS k,
                          %(today)s - (hashint4(i + 7) & 2147483647) %% 2190 AS listed
                   FROM generate_series(1, %(records)s) i
               ) generated""",
            {
                "base": base,
                "bodies": bodies,
                "companies": companies,
                "agency": agency_base,
                "today": today,
                "records": records,
            },
        )
        cursor.execute("SET session_replication_role = origin")
        phases["analyze"] = timed("VACUUM ANALYZE", cursor, "VACUUM ANALYZE")
    return phases


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarise(values: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(values) * 1000, 2),
        "p95_ms": round(percentile(values, 0.95) * 1000, 2),
        "max_ms": round(max(values) * 1000, 2),
        "n": len(values),
    }


def cases(urls: list[str]) -> dict:
    from django.test import Client

    from government.models import DishonestyRecord
    from government.selectors import (
        DashboardFilters,
        RowPosition,
        body_dishonesty_records,
        dashboard_figures,
        government_defaulter_rows,
    )
    from registry.models import Enterprise

    body = DishonestyRecord.objects.order_by("pk").values_list("subject", flat=True).first()
    body = Enterprise.objects.get(pk=body)
    deep = government_defaulter_rows()[999]  # where page 21 of 50 rows starts
    after = RowPosition(deep.listed_on, deep.pk)
    found = {
        "stored figures, no filter": lambda: dashboard_figures(filters=DashboardFilters()),
        "stored figures, one province, open": lambda: dashboard_figures(
            filters=DashboardFilters(province="340000", open_only=True)
        ),
        "figures summed from cells (level and kind)": lambda: dashboard_figures(
            filters=DashboardFilters(level="county", body_kind="government_organ")
        ),
        "rows, first page of 50": lambda: list(government_defaulter_rows()[:50]),
        "rows, page 21 by keyset": lambda: list(government_defaulter_rows(after=after)[:50]),
        "rows, one province, open, 50": lambda: list(
            government_defaulter_rows(filters=DashboardFilters(province="340000", open_only=True))[:50]
        ),
        "a body's records": lambda: list(body_dishonesty_records(body=body)),
    }
    client = Client(HTTP_HOST="localhost")  # a host the development settings allow
    pages = [
        *PAGES,
        "/government/defaulters/?level=county&kind=government_organ",
        f"/government/defaulters/?page=21&after={after}",
    ]
    for url in [*pages, *urls]:

        def get(url=url):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"GET {url} answered {response.status_code}")

        found[f"GET {url}"] = get
    return found


# Times GET of each page with the code of the checkout it runs in (its working directory), on the
# database the benchmark loaded: the same script for every revision compared.
PAGE_TIMER = r"""
import json, os, sys, time
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="localhost")
urls, repeats = json.loads(sys.argv[1]), int(sys.argv[2])
found = {}
for url in urls:
    times = []
    for attempt in range(repeats + 1):  # the first, untimed, warms plans and caches
        began = time.perf_counter()
        response = client.get(url)
        took = time.perf_counter() - began
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        if attempt:
            times.append(took)
    found[url] = times
print(json.dumps(found))
"""


def compare(revision: str, repeats: int, rounds: int) -> dict:
    """GET the dashboard pages at ``revision`` ("before") and with this checkout ("after"), on the
    same data, in alternating rounds (so a change of load on the machine falls on both)."""
    import subprocess

    checkout = Path(tempfile.mkdtemp(prefix="bench-government-rev-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(checkout)], input=archive.stdout, check=True)
    # The children use the running server as it is: neither stops nor deletes it.
    env = {**os.environ, "EMBEDDED_PG_THROWAWAY": "0"}
    times: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    loads = []
    atexit.register(shutil.rmtree, checkout, ignore_errors=True)
    for _ in range(rounds):
        for side, where in (("before", checkout), ("after", ROOT)):
            loads.append(os.getloadavg()[0])
            done = subprocess.run(
                [sys.executable, "-c", PAGE_TIMER, json.dumps(list(PAGES)), str(repeats)],
                cwd=where,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            for url, values in json.loads(done.stdout.strip().splitlines()[-1]).items():
                times[side].setdefault(url, []).extend(values)
    result = {
        side: {url: summarise(values) for url, values in found.items()} for side, found in times.items()
    }
    for url in PAGES:
        before, after = result["before"][url], result["after"][url]
        print(
            f"GET {url}\n  before ({revision}) p50 {before['p50_ms']:8.2f} ms  p95 {before['p95_ms']:8.2f} ms"
            f"\n  after             p50 {after['p50_ms']:8.2f} ms  p95 {after['p95_ms']:8.2f} ms"
        )
    print(f"load average (1 min) at the start of each run: {', '.join(f'{value:.1f}' for value in loads)}")
    return {"revision": revision, "result": result, "load_average_1min": loads}


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    base = Path(tempfile.mkdtemp(prefix="bench-government-"))
    # The pages are timed, not the per-client rate limit that would refuse the repeats.
    os.environ.setdefault("PUBLIC_SEARCH_PER_MINUTE", "1000000")
    setup(base)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"loading {args.bodies:,} bodies and {args.records:,} records")
    phases = load(args.bodies, args.records)
    from government.services.dashboard import dashboard_figures_compute

    results = {}
    if not args.only or any("recompute" in text for text in args.only):
        times = []
        for _ in range(min(args.repeats, 3)):
            began = time.perf_counter()
            stored = dashboard_figures_compute()
            times.append(time.perf_counter() - began)
        results["recompute (the job)"] = summarise(times)
        print(
            f"recompute (the job): {stored['cells']:,} cells, {stored['snapshots']} filter sets; "
            f"p50 {results['recompute (the job)']['p50_ms']:.0f} ms"
        )
    else:
        dashboard_figures_compute()
    for label, call in cases(args.url).items():
        if args.only and not any(text in label for text in args.only):
            continue
        call()  # warm: plans, caches, first connection
        times = []
        for _ in range(args.repeats):
            began = time.perf_counter()
            call()
            times.append(time.perf_counter() - began)
        results[label] = summarise(times)
        print(
            f"{label:38s} p50 {results[label]['p50_ms']:8.2f} ms  p95 {results[label]['p95_ms']:8.2f} ms  max {results[label]['max_ms']:8.2f} ms"
        )
    compared = compare(args.compare, args.repeats, args.rounds) if args.compare else None
    print(f"total {(time.perf_counter() - started) / 60:.1f} min")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "bodies": args.bodies,
                    "records": args.records,
                    "machine": machine_facts(),
                    "load_seconds": phases,
                    "result": results,
                    "compared": compared,
                },
                indent=1,
                default=str,
            )
        )


if __name__ == "__main__":
    main()
