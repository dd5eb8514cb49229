"""Load test of the public pages and API under gunicorn, optionally through a database restart.

    .venv/bin/python bench/load.py [--users 50] [--duration 300] [--restart-db] [--workers 4]

On the demo data (``make demo``) in the embedded PostgreSQL (``EMBEDDED_PG_DIR``, default
``.pgdata``), with production settings (``DEBUG`` off, the hashed static files collected, the
database cache shared by the workers, ``CACHE_BACKEND=database``). Loopback only: it starts its own
gunicorn on 127.0.0.1 and stops it at the end; nothing else is contacted. It

1. collects the static files, creates the cache table and an API client with the
   ``restrictions`` scope (an agency's system), and samples what to ask for from the data:
   enterprise codes, name fragments, names on the court's lists;
2. runs ``--users`` virtual users for ``--duration`` seconds. Each user has its own loopback
   address (127.0.0.10, 127.0.0.11, ...) so the per-client rate limits count it as one reader, as
   they would count 50 people; each request is followed by a pause of ``--think`` seconds on
   average. The mix: home, enterprise search, enterprise profile, defaulter search and list pages;
   the API's enterprise search and profile, defaulter search and restriction check (with the
   agency's token). A request taking more than ``--timeout`` seconds counts as hung;
3. half-way through, probes the search page's rate limit from one fresh address: the limit's
   worth of requests pass and the next is refused (429), whichever worker answers each;
4. with ``--restart-db``, half-way through runs ``pg_ctl restart -m fast`` on the database and
   reports the requests that failed (status, how long each took), the outage as clients saw it,
   how long until every endpoint answered again, and that the gunicorn master and workers are the
   same processes before and after (no restart of the application);
5. prints the counts, errors and p50/p95/max per endpoint and writes everything as JSON under
   ``bench/out/``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from hostinfo import machine_facts

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of load")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause after each request, seconds")
    parser.add_argument("--timeout", type=float, default=10.0, help="a request slower than this is hung")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: twice the cores)")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--restart-db", action="store_true", help="restart PostgreSQL half-way through")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop after this many requests")
    return parser.parse_args()


def production_environment(static_root: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DEBUG"}}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(48),
        # The demo's resident ID hashes were made with the development key, which production refuses:
        # the load asks by name and code, never by ID number.
        ID_HASH_KEY=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1",
        CACHE_BACKEND="database",
        STATIC_ROOT=str(static_root),
        # Plain HTTP on loopback: cookies marked Secure would never come back.
        SECURE_COOKIES="0",
        EMBEDDED_PG_DIR=os.environ.get("EMBEDDED_PG_DIR", str(ROOT / ".pgdata")),
        EMBEDDED_PG_THROWAWAY="0",
        LOG_LEVEL="WARNING",
    )
    return env


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


@dataclass
class Sample:
    enterprises: list[str]
    name_fragments: list[str]
    defaulter_names: list[str]
    listed_usccs: list[str]
    token: str
    facts: dict = field(default_factory=dict)


def prepare(seed: int) -> Sample:
    from django.core.management import call_command
    from django.db import connection

    from blacklists.models import ApiScope, ListEntry
    from blacklists.services import api_client_create
    from registry.models import AuditEntry, Enterprise, Person
    from registry.services.audit import SYSTEM

    call_command("createcachetable", verbosity=0)
    rng = random.Random(seed)
    usccs = list(Enterprise.objects.order_by("?").values_list("uscc", flat=True)[:2000])
    names = list(Enterprise.objects.order_by("?").values_list("name", flat=True)[:500])
    fragments = sorted({name[start : start + rng.choice((2, 3, 4))] for name in names for start in (0, 2, 3)})
    court = ListEntry.objects.filter(list_type__code__in=("court-defaulters", "consumption-restriction"))
    defaulters = [name for name in court.values_list("subject_name", flat=True)[:500] if len(name) >= 2]
    listed = list(
        ListEntry.objects.filter(enterprise__isnull=False).values_list("enterprise__uscc", flat=True)[:500]
    )
    _client, token = api_client_create(
        actor=SYSTEM,
        via=AuditEntry.Via.COMMAND,
        name=f"load test {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S}",
        scopes=[ApiScope.RESTRICTIONS],
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    facts = machine_facts(("shared_buffers", "max_connections"))
    facts["data"] = {
        "enterprises": Enterprise.objects.count(),
        "persons": Person.objects.count(),
        "list_entries": ListEntry.objects.count(),
        "database_size": size,
    }
    connection.close()
    return Sample(usccs, fragments or ["有限公司"], defaulters or ["张"], listed or usccs[:10], token, facts)


def endpoints(sample: Sample, rng: random.Random):
    """(weight, name, function returning path and extra headers)."""
    bearer = {"Authorization": f"Bearer {sample.token}"}

    def q(values: list[str]) -> str:
        return rng.choice(values)

    return [
        (1, "page: home", lambda: ("/", {})),
        (3, "page: search", lambda: ("/search/?" + urlencode({"q": q(sample.name_fragments)}), {})),
        (3, "page: enterprise profile", lambda: (f"/enterprises/{q(sample.enterprises)}/", {})),
        (
            2,
            "page: defaulter search",
            lambda: ("/defaulters/?" + urlencode({"q": q(sample.defaulter_names)}), {}),
        ),
        (1, "page: lists", lambda: ("/lists/", {})),
        (
            2,
            "api: enterprise search",
            lambda: ("/api/v1/enterprises/search/?" + urlencode({"q": q(sample.name_fragments)}), {}),
        ),
        (2, "api: enterprise", lambda: (f"/api/v1/enterprises/{q(sample.enterprises)}/", {})),
        (
            2,
            "api: defaulter search",
            lambda: ("/api/v1/defaulters/?" + urlencode({"q": q(sample.defaulter_names)}), {}),
        ),
        (
            2,
            "api: restriction check",
            lambda: (
                "/api/v1/restrictions/?"
                + urlencode({"uscc": q(sample.listed_usccs if rng.random() < 0.5 else sample.enterprises)}),
                bearer,
            ),
        ),
    ]


@dataclass
class Result:
    endpoint: str
    started: float
    seconds: float
    status: int  # 0: no response (refused, reset, hung)
    error: str = ""
    body_head: str = ""


async def http_get(
    port: int, path: str, headers: dict, local_address: str, timeout: float
) -> tuple[int, bytes]:
    """One HTTP/1.1 GET over a new connection (gunicorn's sync workers close it after each response)."""

    async def exchange() -> tuple[int, bytes]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(local_address, 0))
        lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", "User-Agent: bench-load"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await writer.drain()
        data = await reader.read()
        writer.close()
        status_line = data.split(b"\r\n", 1)[0].split()
        if len(status_line) < 2:
            raise ConnectionError("no HTTP status line in the response")
        _head, _, body = data.partition(b"\r\n\r\n")
        return int(status_line[1]), body

    return await asyncio.wait_for(exchange(), timeout)


async def request(port, endpoint, path, headers, address, timeout, language) -> Result:
    started = time.monotonic()
    try:
        status, body = await http_get(port, path, {"Accept-Language": language, **headers}, address, timeout)
    except TimeoutError:
        return Result(endpoint, started, time.monotonic() - started, 0, "hung (timeout)")
    except OSError as exc:
        return Result(endpoint, started, time.monotonic() - started, 0, f"{type(exc).__name__}: {exc}")
    except ConnectionError as exc:
        return Result(endpoint, started, time.monotonic() - started, 0, str(exc))
    head = "" if status < 400 else body[:300].decode("utf-8", "replace")
    return Result(endpoint, started, time.monotonic() - started, status, "", head)


async def user(index: int, args, sample: Sample, results: list[Result], stop_at: float, port: int) -> None:
    rng = random.Random(args.seed * 1000 + index)
    mix = endpoints(sample, rng)
    weights = [weight for weight, _name, _make in mix]
    address = f"127.0.0.{10 + index}"
    language = "en" if index % 3 == 0 else "zh-hans"
    await asyncio.sleep(rng.random() * args.think)  # users arrive spread over the first pause
    while time.monotonic() < stop_at and len(results) < args.max_requests:
        _weight, name, make = rng.choices(mix, weights)[0]
        path, headers = make()
        results.append(await request(port, name, path, headers, address, args.timeout, language))
        await asyncio.sleep(rng.expovariate(1 / args.think) if args.think else 0)


async def rate_limit_probe(port: int, limit: int, timeout: float) -> dict:
    """The search page's per-client limit, from one address no user has, across all workers."""
    # The limit counts per clock minute: start early in one, so the probe does not straddle two.
    if time.time() % 60 > 30:
        await asyncio.sleep(60 - time.time() % 60 + 0.5)
    statuses = []
    for number in range(limit + 1):
        # A generous timeout: a slow answer under load still counts, and is still counted.
        result = await request(
            port, "probe", f"/search/?q=probe{number}", {}, "127.0.0.250", 3 * timeout, "en"
        )
        statuses.append(result.status)
    return {
        "limit": limit,
        "requests": limit + 1,
        "ok": statuses.count(200),
        "refused_429": statuses.count(429),
        "other": [status for status in statuses if status not in (200, 429)],
        "holds": statuses.count(200) <= limit and statuses[limit] == 429,
    }


def gunicorn_processes(master_pid: int) -> dict:
    import psutil

    master = psutil.Process(master_pid)
    return {"master": master_pid, "workers": sorted(child.pid for child in master.children())}


def restart_database(data_dir: Path) -> dict:
    from pgserver._commands import pg_ctl

    user = "pgserver" if os.geteuid() == 0 else None
    started = time.monotonic()
    pg_ctl(
        ["-w", "-m", "fast", "-l", str(data_dir / "log"), "restart"], pgdata=data_dir, user=user, timeout=60
    )
    return {"command": "pg_ctl restart -m fast", "began": started, "seconds": time.monotonic() - started}


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summarise(results: list[Result], outage: tuple[float, float] | None) -> dict:
    by_endpoint: dict[str, list[Result]] = {}
    for result in results:
        by_endpoint.setdefault(result.endpoint, []).append(result)
    table = {}
    for name, items in sorted(by_endpoint.items()):
        in_outage = [r for r in items if outage and outage[0] <= r.started <= outage[1]]
        steady = [r for r in items if r not in in_outage]
        ok = [r.seconds * 1000 for r in steady if 200 <= r.status < 400]
        table[name] = {
            "requests": len(items),
            "errors": sum(1 for r in steady if not 200 <= r.status < 400),
            "statuses": dict(sorted(_count(r.status for r in items).items())),
            "p50_ms": round(percentile(ok, 0.50), 1),
            "p95_ms": round(percentile(ok, 0.95), 1),
            "max_ms": round(max(ok, default=0.0), 1),
        }
    return table


def _count(values) -> dict:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def outage_report(results: list[Result], restart: dict, endpoints_count: int, timeout: float) -> dict:
    """The outage as the clients saw it: the 503s after the restart began, and any other failure
    of a request in flight around the restart (a hang or a broken connection would be one)."""
    began = restart["began"]
    window_end = began + restart["seconds"] + timeout
    after = sorted((r for r in results if r.started + r.seconds >= began), key=lambda r: r.started)
    unavailable = [r for r in after if r.status == 503]
    around = [r for r in after if r.started <= window_end and not 200 <= r.status < 400 and r.status != 503]
    report = {
        "restart_seconds": round(restart["seconds"], 2),
        "failed_503": len(unavailable),
        "failed_503_slowest_ms": round(max((r.seconds * 1000 for r in unavailable), default=0.0), 1),
        "failed_503_median_ms": round(percentile([r.seconds * 1000 for r in unavailable], 0.5), 1),
        "failed_bodies": sorted({r.body_head[:160] for r in unavailable if r.body_head})[:4],
        "other_failures_around_restart": len(around),
        "other_failures_kinds": dict(sorted(_count(f"{r.status} {r.error}".strip() for r in around).items())),
        # Every request in flight while the server restarted, answered or not: none may hang.
        "in_flight_slowest_ms": round(
            max((r.seconds * 1000 for r in after if r.started <= began + restart["seconds"]), default=0.0),
            1,
        ),
    }
    if unavailable:
        last_failure = max(r.started + r.seconds for r in unavailable)
        report["clients_saw_503s_for_s"] = round(last_failure - min(r.started for r in unavailable), 2)
        report["recovered_after_s"] = round(last_failure - began, 2)
        later = [r for r in after if r.started > last_failure]
        report["requests_after_recovery"] = len(later)
        report["503_after_recovery"] = sum(1 for r in later if r.status == 503)
        report["endpoints_ok_after_recovery"] = len({r.endpoint for r in later if 200 <= r.status < 400})
        report["endpoints"] = endpoints_count
    else:
        report["recovered_after_s"] = 0.0
    return report


async def run_load(args, sample: Sample, port: int, data_dir: Path, master_pid: int) -> dict:
    from django.conf import settings

    results: list[Result] = []
    started = time.monotonic()
    stop_at = started + args.duration
    tasks = [asyncio.create_task(user(i, args, sample, results, stop_at, port)) for i in range(args.users)]

    async def probe_later() -> dict:
        await asyncio.sleep(args.duration / 4)
        return await rate_limit_probe(port, settings.PUBLIC_SEARCH_PER_MINUTE, args.timeout)

    probing = asyncio.create_task(probe_later())
    await asyncio.sleep(args.duration / 2)
    restart = None
    processes_before = gunicorn_processes(master_pid)
    if args.restart_db:
        restart = await asyncio.to_thread(restart_database, data_dir)
    await asyncio.gather(*tasks)
    probe = await probing
    elapsed = time.monotonic() - started
    outage = None
    report: dict = {"seconds": round(elapsed, 1), "requests": len(results), "rate_limit_probe": probe}
    if restart is not None:
        mix = len(endpoints(sample, random.Random()))
        report["restart"] = outage_report(results, restart, mix, args.timeout)
        unavailable = [r for r in results if r.status == 503]
        if unavailable:
            outage = (min(r.started for r in unavailable), max(r.started for r in unavailable))
        processes_after = gunicorn_processes(master_pid)
        report["restart"]["gunicorn_same_processes"] = processes_before == processes_after
        report["restart"]["gunicorn"] = {"before": processes_before, "after": processes_after}
    report["throughput_rps"] = round(len(results) / elapsed, 1)
    report["endpoints"] = summarise(results, outage)
    report["errors"] = sum(item["errors"] for item in report["endpoints"].values())
    report["errors_sample"] = sorted(
        {
            f"{r.endpoint}: {r.status} {r.error} {r.body_head[:120]}"
            for r in results
            if not 200 <= r.status < 400
        }
    )[:10]
    return report


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(port: int, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see bench/out/load-gunicorn.log")
        try:
            status, _body = asyncio.run(http_get(port, "/lists/", {}, "127.0.0.2", 10))
            if status == 200:
                return
        except (OSError, TimeoutError, ConnectionError):
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer in time")


def print_report(report: dict) -> None:
    rate = f"{report['throughput_rps']}/s"
    print(f"\n{report['requests']} requests in {report['seconds']} s ({rate}), errors: {report['errors']}")
    print(f"{'endpoint':28} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, row in report["endpoints"].items():
        timings = f"{row['p50_ms']:8} {row['p95_ms']:8} {row['max_ms']:8}"
        print(f"{name:28} {row['requests']:8} {row['errors']:6} {timings}")
    print("rate-limit probe:", report["rate_limit_probe"])
    if "restart" in report:
        print("database restart:", json.dumps(report["restart"], ensure_ascii=False, indent=1))
    if report["errors_sample"]:
        print("errors (sample):", *report["errors_sample"], sep="\n  ")


def main() -> None:
    args = parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    static_root = OUT / "load-static"
    env = production_environment(static_root)
    data_dir = Path(env["EMBEDDED_PG_DIR"])
    python = sys.executable
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    setup_django(env)
    sample = prepare(args.seed)
    port = args.port or free_port()
    workers = args.workers or 2 * (os.cpu_count() or 1)
    gunicorn = Path(python).with_name("gunicorn")
    log = (OUT / "load-gunicorn.log").open("w")
    command = [str(gunicorn), "-c", "config/gunicorn.py", "-b", f"127.0.0.1:{port}", "-w", str(workers)]
    command += ["--timeout", "30", "--graceful-timeout", "5"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_serving(port, process)
        report = asyncio.run(run_load(args, sample, port, data_dir, process.pid))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(static_root, ignore_errors=True)
    report["settings"] = {
        "users": args.users,
        "duration_s": args.duration,
        "think_s": args.think,
        "timeout_s": args.timeout,
        "workers": workers,
        "restart_db": args.restart_db,
    }
    report["machine"] = sample.facts
    report["machine"]["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    print_report(report)
    name = f"load-{'restart-' if args.restart_db else ''}{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}.json"
    (OUT / name).write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"\nwritten: bench/out/{name}")


if __name__ == "__main__":
    main()
