"""Benchmark of ``manage.py generate_demo_data`` (run by ``make bench``).

Runs the generator with --replace at each size (median of repeated runs), measures two baselines
in the same process (formatting trivial rows in Python; a plain COPY of trivial pre-formatted
rows), prints a Markdown report and saves it as JSON under bench/out/. Leaves the database with
the small default demo. Usage:

    DEBUG=1 .venv/bin/python bench/generate_demo_data.py [--sizes 100000:500000:3,1000000:5000000:1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from hostinfo import machine_facts  # noqa: E402

from demo.management.commands.generate_demo_data import Command  # noqa: E402

BASELINE_ROWS = 1_000_000
DEFAULT_SIZES = "100000:500000:3,1000000:5000000:1"


def machine() -> dict:
    return machine_facts()


def baseline_python(rows: int) -> float:
    started = time.perf_counter()
    data = "".join([f"{i}\tname {i}\n" for i in range(rows)])
    elapsed = time.perf_counter() - started
    assert data
    return rows / elapsed


def baseline_copy(rows: int) -> float:
    """COPY of trivial rows into a fresh two-column table with a primary key."""
    data = "".join([f"{i}\tname {i}\n" for i in range(1, rows + 1)])
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy_baseline")
        cursor.execute("CREATE TABLE bench_copy_baseline (id bigint PRIMARY KEY, label text NOT NULL)")
        try:
            started = time.perf_counter()
            with transaction.atomic():
                cursor.execute("SET LOCAL synchronous_commit TO off")
                with cursor.copy("COPY bench_copy_baseline (id, label) FROM STDIN") as copy:
                    copy.write(data)
            elapsed = time.perf_counter() - started
        finally:
            cursor.execute("DROP TABLE bench_copy_baseline")
    return rows / elapsed


def generate(enterprises: int, persons: int, *, seed: int = 1) -> dict:
    command = Command()
    call_command(
        command, enterprises=enterprises, persons=persons, seed=seed, replace=True, stdout=io.StringIO()
    )
    stats = command.stats
    return {
        "rows": dict(stats.rows),
        "phase_seconds": dict(stats.phase_seconds),
        "total_seconds": stats.total_seconds,
        "total_rows": stats.total_rows,
    }


def summarise(runs: list[dict]) -> dict:
    """Median over runs of every rate; rates per table use the wall time of the table's phase."""
    rows = runs[0]["rows"]
    per_table = {}
    for key in rows:
        phase = "persons" if key == "person" else "enterprises"
        per_table[key] = statistics.median(run["rows"][key] / run["phase_seconds"][phase] for run in runs)
    return {
        "rows": rows,
        "rows_per_second": per_table,
        "total_rows": runs[0]["total_rows"],
        "seconds": statistics.median(run["total_seconds"] for run in runs),
        "overall_rows_per_second": statistics.median(
            run["total_rows"] / run["total_seconds"] for run in runs
        ),
        "phase_seconds": {
            phase: statistics.median(run["phase_seconds"].get(phase, 0.0) for run in runs)
            for phase in runs[0]["phase_seconds"]
        },
        "runs": len(runs),
    }


def report(info: dict, baselines: dict, results: list[dict]) -> str:
    lines = [
        f"Machine: {info['cores']} cores, {info['memory_gib']} GiB, {info['cpu']}; "
        f"PostgreSQL {info['postgresql']} (embedded, shared_buffers {info['shared_buffers']}); "
        f"Python {info['python']}; {info['date']}.",
        "",
        f"Baselines: Python formats {baselines['python']:,.0f} trivial rows/s; "
        f"plain COPY of {BASELINE_ROWS:,} trivial rows: {baselines['copy']:,.0f} rows/s.",
        "",
    ]
    header = "| table | " + " | ".join(
        f"{r['rows']['enterprise']:,} ent. / {r['rows']['person']:,} pers. (runs: {r['runs']}) rows, rows/s"
        for r in results
    )
    lines += [header + " |", "|---|" + "---|" * len(results)]
    for key in results[0]["rows"]:
        cells = [f"{r['rows'][key]:,} @ {r['rows_per_second'][key]:,.0f}" for r in results]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    lines.append(
        "| **all tables** | "
        + " | ".join(
            f"**{r['total_rows']:,} in {r['seconds']:.1f} s = {r['overall_rows_per_second']:,.0f} rows/s "
            f"({r['overall_rows_per_second'] / baselines['copy']:.2f} x plain COPY)**"
            for r in results
        )
        + " |"
    )
    lines.append("")
    for r in results:
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in r["phase_seconds"].items())
        lines.append(f"- {r['rows']['enterprise']:,} enterprises: {phases}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=DEFAULT_SIZES, help="enterprises:persons:runs,... (default %(default)s)"
    )
    args = parser.parse_args()
    info = machine()
    baselines = {"python": baseline_python(BASELINE_ROWS), "copy": baseline_copy(BASELINE_ROWS)}
    print(f"baselines: {baselines}", flush=True)
    results = []
    for spec in args.sizes.split(","):
        enterprises, persons, repeat = (int(part) for part in spec.split(":"))
        runs = []
        for number in range(repeat):
            runs.append(generate(enterprises, persons))
            print(
                f"{enterprises:,} enterprises run {number + 1}: {runs[-1]['total_seconds']:.1f} s", flush=True
            )
        results.append(summarise(runs))
    text = report(info, baselines, results)
    print(text)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"generate_demo_data-{stamp}.json").write_text(
        json.dumps({"machine": info, "baselines": baselines, "results": results}, indent=2)
    )
    generate(2000, 5000)
    print("Database left with the default demo (2,000 enterprises, 5,000 persons, seed 1).")


if __name__ == "__main__":
    main()
