"""Benchmark of ``manage.py import_list court-defaulters`` (rows per second, all or nothing).

Writes a synthetic court-defaulter CSV (valid ID numbers and case numbers, about 10% organisations),
imports it into a throwaway embedded PostgreSQL (never the development database), and reports
the median of repeated runs. A plain COPY of the same number of trivial rows, in the same run,
is the baseline for the ratio. Usage:

    .venv/bin/python bench/import_list.py [--rows 100000] [--runs 3] [--json FILE]

Each run imports the file three ways (default; one process; as a database user who may not
switch the per-row foreign-key triggers off) and replays the import's COPY data alone, which
is what the database needs whatever Python does.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["EMBEDDED_PG_DIR"] = tempfile.mkdtemp(prefix="bench-import-list-")
os.environ["EMBEDDED_PG_THROWAWAY"] = "1"
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from hostinfo import machine_facts  # noqa: E402

from blacklists.importing.run import import_list  # noqa: E402
from core.identifiers import organisation_code_check_char, resident_id_check_char, uscc_check_char  # noqa: E402

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国建华志强海燕"
PROVINCES = [
    ("安徽", "340100", "皖"),
    ("北京", "110100", "京"),
    ("广东", "440300", "粤"),
    ("四川", "510100", "川"),
]
HEADER = [
    "name",
    "id_number",
    "sex",
    "age",
    "legal_representative",
    "province",
    "court",
    "case_number",
    "filing_date",
    "basis_document_number",
    "basis_unit",
    "obligation",
    "performance",
    "performed_part",
    "unperformed_part",
    "circumstance",
    "publish_date",
]


def person_id(rng: random.Random, region: str, index: int) -> str:
    birth = f"{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = f"{region}{birth}{index % 1000:03d}"
    return body + resident_id_check_char(body)


def uscc(region: str, index: int) -> str:
    body8 = f"{(index * 7919 + 13) % 10**8:08d}"
    first17 = f"91{region}{body8}{organisation_code_check_char(body8)}"
    return first17 + uscc_check_char(first17)


def write_file(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index in range(rows):
            province, region, short = PROVINCES[index % len(PROVINCES)]
            organisation = index % 10 == 0
            name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
            writer.writerow(
                [
                    f"{name}贸易有限公司" if organisation else name,
                    uscc(region, index)
                    if organisation
                    else person_id(rng, region[:4] + "02", index // 1000 + index),
                    "",
                    "" if organisation else rng.randint(20, 70),
                    name if organisation else "",
                    province,
                    f"{province}第{index % 50}人民法院",
                    f"(2024){short}{region[:4]}执{index}号",
                    "2024-01-15",
                    f"(2023){short}民初{index}号",
                    "人民法院",
                    "支付货款",
                    "全部未履行",
                    "",
                    "",
                    "1",
                    "2025-06-01",
                ]
            )


def baseline_copy(rows: int) -> float:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_copy (a bigint, b text, c text, d date)")
        payload = "".join(f"{i}\tname{i}\t(2024)x{i}\t2025-06-01\n" for i in range(rows))
        started = time.perf_counter()
        with cursor.cursor.copy("COPY bench_copy FROM STDIN") as copy:
            copy.write(payload)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy")
    return rows / elapsed


def reset() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE blacklists_courtdefaulterdetail, blacklists_listentrystatuschange, "
            "blacklists_listentry, registry_searchdocument, registry_auditentry, "
            "registry_subjectevent CASCADE"
        )
        cursor.execute("DELETE FROM registry_enterprise")
        cursor.execute("DELETE FROM registry_person")


# A database user without the right to switch triggers off: the import then keeps PostgreSQL's
# per-row foreign-key checks (docs/import-lists.md).
PLAIN_ROLE = "bench_plain_importer"


def create_plain_role() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {PLAIN_ROLE} NOSUPERUSER")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {PLAIN_ROLE}")
        cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {PLAIN_ROLE}")
        cursor.execute(f"GRANT CREATE, USAGE ON SCHEMA public TO {PLAIN_ROLE}")


@contextlib.contextmanager
def captured_copies() -> Iterator[list[tuple[str, list]]]:
    """Record every COPY statement and the data sent with it, to replay them without Python."""
    import psycopg

    captured: list[tuple[str, list]] = []
    original = psycopg.Cursor.copy

    @contextlib.contextmanager
    def recording(self, statement, *args, **kwargs):
        with original(self, statement, *args, **kwargs) as copy:
            parts: list = []
            captured.append((str(statement), parts))
            write, write_row = copy.write, copy.write_row
            copy.write = lambda data: (parts.append(("write", data)), write(data))[1]
            copy.write_row = lambda row: (parts.append(("row", row)), write_row(row))[1]
            yield copy

    psycopg.Cursor.copy = recording
    try:
        yield captured
    finally:
        psycopg.Cursor.copy = original


def replay(copies: list[tuple[str, list]], skip_triggers: bool) -> float:
    """Seconds the database alone takes for the import's COPYs (in one transaction)."""
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if skip_triggers:
            cursor.execute("SET LOCAL session_replication_role = replica")
        for statement, parts in copies:
            if "search_document_stage" in statement:  # the upsert path, not taken for new entries
                continue
            with cursor.cursor.copy(statement) as copy:
                for kind, data in parts:
                    (copy.write if kind == "write" else copy.write_row)(data)
    return time.perf_counter() - started


def timed_import(path: Path, rows: int, **options) -> float:
    reset()
    started = time.perf_counter()
    report = import_list(list_code="court-defaulters", path=path, **options)
    elapsed = time.perf_counter() - started
    assert report.created == rows, report
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    create_plain_role()
    path = Path(tempfile.mkdtemp(prefix="bench-import-file-")) / "court.csv"
    write_file(path, args.rows, seed=1)
    timed_import(path, args.rows)  # warm-up: registers the 200 courts once, as a first import would
    variants = {
        "default": {},
        "one process (--workers 1)": {"workers": 1},
        "per-row foreign-key checks (user may not skip triggers)": {"role": PLAIN_ROLE},
    }
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    baselines, database_alone = [], []
    for _run in range(args.runs):
        for name, options in variants.items():
            role = options.get("role")
            if role:
                with connection.cursor() as cursor:
                    cursor.execute(f"SET ROLE {role}")
            try:
                elapsed = timed_import(path, args.rows, workers=options.get("workers"))
            finally:
                with connection.cursor() as cursor:
                    cursor.execute("RESET ROLE")
            seconds[name].append(elapsed)
            print(f"{name}: {elapsed:.1f} s, {args.rows / elapsed:,.0f} rows/s", flush=True)
        reset()
        with captured_copies() as copies:
            import_list(list_code="court-defaulters", path=path)
        reset()
        database_alone.append(replay(copies, skip_triggers=True))
        baselines.append(baseline_copy(args.rows))
    again = time.perf_counter()
    report = import_list(list_code="court-defaulters", path=path)
    reimport = time.perf_counter() - again
    baseline = statistics.median(baselines)
    figures = {"machine": machine_facts(), "rows": args.rows, "runs": args.runs, "variants": {}}
    print(f"rows={args.rows} runs={args.runs} machine={figures['machine']}")
    for name, values in seconds.items():
        rate = args.rows / statistics.median(values)
        figures["variants"][name] = {"seconds": values, "median_rows_per_second": rate}
        runs = ", ".join(f"{args.rows / value:,.0f}" for value in values)
        print(
            f"import_list court-defaulters, {name}: median {rate:,.0f} rows/s "
            f"(runs: {runs}); plain COPY is {baseline / rate:,.0f}x"
        )
    alone = args.rows / statistics.median(database_alone)
    figures["database_alone_rows_per_second"] = alone
    figures["plain_copy_rows_per_second"] = baseline
    figures["reimport_seconds"] = reimport
    print(f"database alone (the import's COPY data replayed, triggers skipped): median {alone:,.0f} rows/s")
    print(f"baseline plain COPY of trivial rows: median {baseline:,.0f} rows/s")
    print(
        f"re-import of the same file: {reimport:.1f} s, "
        f"{report.created} created, {report.unchanged} unchanged"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
