"""What machine and database a benchmark ran on, for the figures in docs/performance.md."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
from pathlib import Path


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gib() -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        return round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024)
    return 0


def machine_facts(settings: tuple[str, ...] = ("shared_buffers",)) -> dict:
    """CPU, cores, memory, load, Python and PostgreSQL version with the named server settings."""
    from django.db import connection

    info = {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": memory_gib(),
        "python": platform.python_version(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        # UTC: Django sets the process time zone to Asia/Shanghai.
        "date": dt.datetime.now(dt.UTC).date().isoformat(),
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        info["postgresql"] = cursor.fetchone()[0]
        for name in settings:
            cursor.execute(f"SHOW {name}")
            info[name] = cursor.fetchone()[0]
    return info
