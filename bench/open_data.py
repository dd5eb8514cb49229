"""Bulk open-data export at scale: build a large register, then time ``export_open_data``.

    DEBUG=1 .venv/bin/python bench/open_data.py                       # 10M entries, 2M enterprises
    DEBUG=1 .venv/bin/python bench/open_data.py --entries 200000 --enterprises 50000   # quick run
    DEBUG=1 .venv/bin/python bench/open_data.py --data-dir D --keep   # keep the cluster for reruns
    DEBUG=1 .venv/bin/python bench/open_data.py --data-dir D --skip-build   # export only

Runs against its own embedded PostgreSQL in a folder under the system temp folder (deleted at
exit unless ``--keep``), never the development database. The build reuses the two existing
loaders: ``bench/court_defaulters.py`` COPYs ``--entries`` court-defaulter cases (one list entry,
one court-defaulter detail, about 90 % new persons and 10 % organisations), then
``generate_demo_data`` appends ``--enterprises`` enterprises with all their records. The export
runs in a child process (``manage.py export_open_data``) so its peak resident memory
(``resource.getrusage``) is its own; the parent also samples the child's resident memory every
second, so the report shows whether it stays flat while millions of rows stream through.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(BENCH))  # after the project: bench/search.py must not shadow the search app

SERVER_SETTINGS = {
    "shared_buffers": "2GB",
    "effective_cache_size": "12GB",
    "maintenance_work_mem": "1GB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
}

EXPORT_CHILD = """
import json, os, resource, sys, time
import django
django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("export_open_data", output=sys.argv[1], verbosity=1)
elapsed = time.perf_counter() - started
print("EXPORT-RESULT " + json.dumps({
    "seconds": elapsed,
    "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}), flush=True)
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=10_000_000, help="court-defaulter list entries")
    parser.add_argument(
        "--replicate-to",
        type=int,
        default=None,
        help="then copy the loaded entries in SQL (new ids and case numbers) up to this many",
    )
    parser.add_argument("--enterprises", type=int, default=2_000_000, help="demo enterprises with records")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", type=Path, default=None, help="cluster folder (default: a temp one)")
    parser.add_argument("--keep", action="store_true", help="keep the cluster at exit")
    parser.add_argument("--skip-build", action="store_true", help="export the data already in --data-dir")
    parser.add_argument(
        "--only-enterprises",
        action="store_true",
        help="with --skip-build: append --enterprises to the data in --data-dir, then export",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    return parser.parse_args()


def init_cluster(data_dir: Path) -> None:
    code = "import sys, pgserver; pgserver.get_server(sys.argv[1], cleanup_mode='stop')"
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True)
    with open(data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("\n# bench/open_data.py\n")
        for name, value in SERVER_SETTINGS.items():
            conf.write(f"{name} = '{value}'\n")


def setup(args) -> Path:
    base = args.data_dir or Path(tempfile.mkdtemp(prefix="open-data-bench-", dir=tempfile.gettempdir()))
    data_dir = base / "pgdata"
    if not args.skip_build:
        init_cluster(data_dir)
    if not args.keep:
        import court_defaulters

        def cleanup() -> None:
            court_defaulters.stop_leftover_server(data_dir)
            shutil.rmtree(base, ignore_errors=True)

        atexit.register(cleanup)
    os.environ.pop("DATABASE_URL", None)
    os.environ["EMBEDDED_PG_DIR"] = str(data_dir)
    if not args.keep:
        os.environ["EMBEDDED_PG_THROWAWAY"] = "1"
    os.environ["DEBUG"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    print(f"cluster in {base}" + (" (kept)" if args.keep else " (deleted at exit)"), flush=True)
    return base


def build(args) -> dict:

    import court_defaulters
    from django.core.management import call_command

    phases = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    phases["migrate"] = time.perf_counter() - started
    print(f"loading {args.entries:,} court-defaulter cases …", flush=True)
    started = time.perf_counter()
    loader_args = argparse.Namespace(
        entries=args.entries, workers=args.workers, chunk=args.chunk, seed=args.seed
    )
    report = court_defaulters.load(loader_args)
    report.pop("samples", None)
    phases["list_entries"] = time.perf_counter() - started
    print(f"  {phases['list_entries']:.0f} s", flush=True)
    if args.replicate_to:
        started = time.perf_counter()
        report["replicated"] = replicate_entries(args.replicate_to)
        phases["replicate"] = time.perf_counter() - started
    phases.update(build_enterprises(args)["phases"])
    return {"phases": phases, "court_loader": report}


def replicate_entries(target: int) -> dict:
    """Copy the loaded list entries and their court details in SQL until there are ``target``.

    Building each case in Python runs at a few hundred to a few thousand cases per second on a busy
    machine; the export reads rows, not how they were made, so copies (same subjects, new ids, the
    case number with a suffix) stand in for the rest. Secondary indexes are dropped and rebuilt as
    the court loader does.
    """
    import court_defaulters
    from django.db import connection, transaction

    from blacklists.models import CourtDefaulterDetail, ListEntry

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(id) FROM blacklists_listentry")
        base, offset = cursor.fetchone()
    copies = max(0, target // base - 1)
    if not copies:
        return {"copies": 0}
    print(f"replicating {base:,} entries {copies} times in SQL …", flush=True)
    started = time.perf_counter()
    dropped = court_defaulters.drop_secondary_indexes()

    def columns(model, shifted: dict) -> tuple[str, str]:
        names = [field.column for field in model._meta.concrete_fields if not field.generated]
        return ", ".join(names), ", ".join(shifted.get(name, f"s.{name}") for name in names)

    entry_cols, entry_values = columns(
        ListEntry,
        {"id": "s.id + k.n * %(offset)s", "decision_number": "s.decision_number || '-' || k.n"},
    )
    detail_cols, detail_values = columns(CourtDefaulterDetail, {"entry_id": "s.entry_id + k.n * %(offset)s"})
    step = 5
    for first in range(1, copies + 1, step):
        last = min(copies, first + step - 1)
        params = {"offset": offset, "first": first, "last": last, "base_max": offset}
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO off")
            cursor.execute(
                f"INSERT INTO blacklists_listentry ({entry_cols}) SELECT {entry_values} "
                "FROM blacklists_listentry s CROSS JOIN generate_series(%(first)s, %(last)s) k(n) "
                "WHERE s.id <= %(base_max)s",
                params,
            )
            cursor.execute(
                f"INSERT INTO blacklists_courtdefaulterdetail ({detail_cols}) SELECT {detail_values} "
                "FROM blacklists_courtdefaulterdetail s CROSS JOIN generate_series(%(first)s, %(last)s) k(n) "
                "WHERE s.entry_id <= %(base_max)s",
                params,
            )
        print(f"  copies {first}-{last} of {copies}: {time.perf_counter() - started:.0f} s", flush=True)
    copied = time.perf_counter() - started
    court_defaulters.rebuild_indexes(dropped, threads=2)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('blacklists_listentry', 'id'), max(id)) "
            "FROM blacklists_listentry"
        )
        cursor.execute("VACUUM ANALYZE blacklists_listentry")
        cursor.execute("VACUUM ANALYZE blacklists_courtdefaulterdetail")
    return {"copies": copies, "copy_seconds": copied, "seconds": time.perf_counter() - started}


def build_enterprises(args) -> dict:
    import io

    from django.core.management import call_command

    print(f"generating {args.enterprises:,} enterprises with their records …", flush=True)
    started = time.perf_counter()
    call_command(
        "generate_demo_data",
        enterprises=args.enterprises,
        persons=args.enterprises,
        seed=args.seed,
        workers=args.workers,
        stdout=io.StringIO(),
    )
    seconds = time.perf_counter() - started
    print(f"  {seconds:.0f} s", flush=True)
    return {"phases": {"enterprises": seconds}}


def table_rows() -> dict:
    from django.db import connection

    from opendata.datasets import DATASETS

    counts = {}
    with connection.cursor() as cursor:
        for each in DATASETS.values():
            cursor.execute(f"SELECT count(*) FROM {each.table}")
            counts[each.name] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        counts["database_size"] = cursor.fetchone()[0]
    return counts


def rss_kib(pid: int) -> int | None:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def export(output: Path) -> dict:
    from django.db import connections

    connections.close_all()
    samples: list[tuple[float, int]] = []
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", EXPORT_CHILD, str(output)],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        text=True,
    )
    done = threading.Event()

    def sample() -> None:
        while not done.wait(1.0):
            value = rss_kib(child.pid)
            if value:
                samples.append((time.perf_counter() - started, value))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    result = {}
    for line in child.stdout:
        print("  " + line.rstrip(), flush=True)
        if line.startswith("EXPORT-RESULT "):
            result = json.loads(line.split(" ", 1)[1])
    child.wait()
    done.set()
    if child.returncode:
        raise SystemExit(f"the export failed with exit code {child.returncode}")
    result["wall_seconds"] = time.perf_counter() - started
    result["rss_samples"] = samples
    return result


def main() -> None:
    args = parse_args()
    setup(args)
    from hostinfo import machine_facts

    report: dict = {"date": dt.date.today().isoformat(), "machine": machine_facts()}
    print(json.dumps(report["machine"], ensure_ascii=False), flush=True)
    if not args.skip_build:
        report["build"] = build(args)
    elif args.only_enterprises:
        report["build"] = build_enterprises(args)
    report["rows"] = table_rows()
    print(json.dumps(report["rows"], indent=1), flush=True)
    output = Path(tempfile.mkdtemp(prefix="open-data-export-", dir=tempfile.gettempdir()))
    atexit.register(shutil.rmtree, output, True)
    report["load_before"] = os.getloadavg()
    report["export"] = export(output / "open-data")
    report["load_after"] = os.getloadavg()
    manifests = sorted((output / "open-data").glob("*/manifest.json"))
    manifest = json.loads(manifests[-1].read_text()) if manifests else {}
    published = {item["dataset"]: item["rows"] for item in manifest.get("datasets", [])}
    report["published_rows"] = published
    report["files_bytes"] = sum(f["size"] for item in manifest.get("datasets", []) for f in item["files"])
    figures = report["export"]
    total = sum(published.values())
    rss = [value for _, value in figures["rss_samples"]]
    print()
    print(f"published rows: {total:,} ({', '.join(f'{k} {v:,}' for k, v in published.items())})")
    print(f"files: {report['files_bytes'] / 1e9:.2f} GB compressed")
    print(
        f"export: {figures['seconds']:.0f} s ({figures['seconds'] / 60:.1f} min), "
        f"{total / figures['seconds']:,.0f} rows/s; peak RSS {figures['peak_rss_kib'] / 1024:.0f} MiB"
    )
    if rss:
        quarter = max(1, len(rss) // 4)
        print(
            "resident memory (MiB) by quarter of the run: "
            + ", ".join(f"{max(rss[i : i + quarter]) / 1024:.0f}" for i in range(0, len(rss), quarter))
        )
    print(f"load average before {report['load_before']}, after {report['load_after']}")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
