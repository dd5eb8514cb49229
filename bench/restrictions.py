# ruff: noqa: E501 - SQL statements read best unbroken
"""Restriction check at scale: load N list entries, then time the check in-process and over HTTP.

    DEBUG=1 .venv/bin/python bench/restrictions.py --entries 10000000
    DEBUG=1 .venv/bin/python bench/restrictions.py --entries 200000      # quick run

Runs against its own throwaway embedded PostgreSQL in a new folder under the system temp folder
(deleted at exit), never the development database in .pgdata/. It

1. migrates (which ships the memoranda, measures and feeds), drops the secondary indexes of the
   tables it fills, and generates inside PostgreSQL (INSERT ... SELECT over generate_series):
   N/2 persons, N/10 enterprises, three officers per enterprise (legal representative, director,
   supervisor or manager), and N list entries over twelve lists (court defaulters, consumption
   restriction, Customs, tax, finance, no-fly, market regulation, both redlists, Jiangsu red and
   black), about 70 % on persons, 75 % in force and the rest expired or removed;
2. rebuilds the indexes and runs VACUUM ANALYZE, then gives a sample of persons real synthetic
   resident ID numbers (keyed hash + masked form, as the register keeps them);
3. times ``--queries`` checks of varied subjects (persons listed directly, officers of listed
   enterprises, listed and redlisted enterprises, persons and enterprises with nothing in force,
   subjects not in the register) by four methods: the selector ``restrictions_in_force`` alone,
   the API view's work in-process (subject lookup, engine, log insert), and
   ``GET /api/v1/restrictions/`` on two local servers: the project's WSGI application in a
   single-threaded server with DEBUG off and a persistent database connection (production-like), and
   ``manage.py runserver`` with DEBUG on (a new thread, and so a new database connection, per request);
4. prints p50/p95/max per method and per kind of subject, and the Python CPU time per call of
   each server process (what the code costs whatever else runs on the machine); ``--json PATH``
   saves them.

Enterprises get shape-valid codes flagged as legacy (the check character is not computed, which
the register accepts for official codes); the API matches codes by shape, so that is no shortcut.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from hostinfo import machine_facts

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER_SETTINGS = {
    "shared_buffers": "3GB",
    "effective_cache_size": "12GB",
    "maintenance_work_mem": "1GB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
    "autovacuum": "off",  # during the load; VACUUM ANALYZE runs explicitly after it
}
MAXB = 9223372036854775807  # masks a 64-bit hash to a non-negative bigint
TABLES = ("registry_person", "registry_enterprise", "registry_keypersonnel", "blacklists_listentry")
# (list code, share) of entries on persons and on enterprises.
PERSON_LISTS = (
    ("court-defaulters", 60),
    ("consumption-restriction", 25),
    ("sta-major-tax-violations", 5),
    ("ndrc-finance", 5),
    ("caac-no-fly", 5),
)
ENTERPRISE_LISTS = (
    ("court-defaulters", 40),
    ("gac-dishonest", 15),
    ("consumption-restriction", 10),
    ("samr-serious-illegal", 10),
    ("gac-advanced-certified", 10),
    ("sta-grade-a", 5),
    ("sta-major-tax-violations", 5),
    ("jiangsu-env-credit-red", 3),
    ("jiangsu-env-credit-black", 2),
)
KINDS = (
    "person listed",
    "officer of listed enterprise",
    "enterprise listed",
    "person, nothing in force",
    "enterprise, nothing in force",
    "person not in register",
    "enterprise not in register",
)
METHODS = (
    ("engine", "restrictions_in_force() alone"),
    ("view", "in-process: lookup + engine + log"),
    ("api", "API, DEBUG off, persistent DB connection"),
    ("api_runserver", "API, runserver (a thread and DB connection per request)"),
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=10_000_000)
    parser.add_argument("--queries", type=int, default=700, help="subjects checked per method")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--serve-wsgi", type=int, default=None, help=argparse.SUPPRESS)
    return parser.parse_args()


# --- cluster -------------------------------------------------------------------------------------


def setup(base: Path) -> None:
    data_dir = base / "pgdata"
    code = "import sys, pgserver; pgserver.get_server(sys.argv[1], cleanup_mode='stop')"
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True)
    with open(data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("\n# bench/restrictions.py\n")
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
        # A key of its own, so the production-like server (DEBUG off) can share it.
        ID_HASH_KEY=secrets.token_hex(24),
        EMBEDDED_PG_DIR=str(data_dir),
        EMBEDDED_PG_THROWAWAY="1",
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    import django

    django.setup()


def machine() -> dict:
    return machine_facts()


# --- load ----------------------------------------------------------------------------------------

_SECONDARY = """
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), c.conname, pg_get_constraintdef(c.oid)
    FROM pg_index i
    LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype = 'u'
    WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
"""


def drop_indexes(cursor) -> list[str]:
    """Drop secondary indexes and unique constraints; return the statements that rebuild them."""
    rebuild = []
    for table in TABLES:
        cursor.execute(_SECONDARY, [table])
        for index, index_sql, constraint, constraint_sql in cursor.fetchall():
            if constraint:
                rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{constraint}" {constraint_sql}')
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}"')
            else:
                rebuild.append(index_sql)
                cursor.execute(f"DROP INDEX {index}")
    return rebuild


def list_case(column: str, lists: tuple, ids: dict[str, int]) -> str:
    """A CASE over ``column`` (0..99) picking a list id by share."""
    total, parts = 0, []
    for code, share in lists:
        total += share
        parts.append(f"WHEN {column} < {total} THEN {ids[code]}")
    return "CASE " + " ".join(parts) + f" ELSE {ids[lists[-1][0]]} END"


def timed(label: str, cursor, sql: str, params=()) -> float:
    started = time.perf_counter()
    cursor.execute(sql, params)
    seconds = time.perf_counter() - started
    print(f"    {label}: {seconds:.1f} s", flush=True)
    return seconds


def load(entries: int) -> dict:
    from django.db import connection

    from blacklists.models import ListType

    persons, enterprises = max(entries // 2, 10), max(entries // 10, 10)
    lists = {lt.code: lt for lt in ListType.objects.all()}
    ids = {code: lt.pk for code, lt in lists.items()}
    owners = {lt.pk: lt.owner_id for lt in lists.values()}
    owner_case = "CASE lt " + " ".join(f"WHEN {k} THEN {v}" for k, v in owners.items()) + " END"
    today = dt.date.today()
    phases = {}
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # FKs are checked by anti-join below
        cursor.execute("SET synchronous_commit = off")
        rebuild = drop_indexes(cursor)
        phases["persons"] = timed(
            f"{persons:,} persons",
            cursor,
            """INSERT INTO registry_person (id, name, id_hash, id_masked, sex, birth_year, created_at, updated_at)
               SELECT i, '测试' || (i %% 9973), encode(sha256(('p' || i)::bytea), 'hex'),
                      '3401001980****' || lpad((i %% 10000)::text, 4, '0'), 'M', 1980, now(), now()
               FROM generate_series(1, %s) i""",
            [persons],
        )
        phases["enterprises"] = timed(
            f"{enterprises:,} enterprises",
            cursor,
            f"""INSERT INTO registry_enterprise (id, uscc, uscc_legacy, registration_number, name, former_names,
                   entity_type, legal_representative, legal_representative_person_id, capital_currency, status,
                   address, business_scope, region_id, industry, created_at, updated_at)
               SELECT i, '91340100' || lpad(i::text, 9, '0') || '0', true, '', '合肥基准测试' || i || '有限公司',
                      '{{}}', 'llc', '', CASE WHEN i %% 2 = 0 THEN (hashint8extended(i, 11) & {MAXB}) %% %s + 1 END, 'CNY', 'in_operation',
                      '', '', '340100', 'C', now(), now()
               FROM generate_series(1, %s) i""",
            [persons, enterprises],
        )
        phases["officers"] = timed(
            f"{3 * enterprises:,} officers",
            cursor,
            f"""INSERT INTO registry_keypersonnel (enterprise_id, name, person_id, role, created_at, updated_at)
               SELECT e, '测试', (hashint8extended(e * 3 + k, 12) & {MAXB}) %% %s + 1,
                      (ARRAY['legal_representative', 'director', 'supervisor', 'manager'])[
                          CASE WHEN k = 0 THEN 1 ELSE 2 + (hashint8extended(e * 3 + k, 13) & {MAXB}) %% 3 END],
                      now(), now()
               FROM generate_series(1, %s) e, generate_series(0, 2) k""",
            [persons, enterprises],
        )
        person_case = list_case("r", PERSON_LISTS, ids)
        enterprise_case = list_case("r", ENTERPRISE_LISTS, ids)
        phases["entries"] = timed(
            f"{entries:,} list entries",
            cursor,
            f"""INSERT INTO blacklists_listentry (id, list_type_id, person_id, enterprise_id, subject_name,
                   issuing_agency_id, decision_number, decision_date, legal_basis, circumstance, severity, starts_on,
                   planned_end, permanent, published_on, status, status_changed_at, created_at, updated_at)
               SELECT i, lt, pid, eid, '测试' || i, {owner_case}, 'B' || i, s, '', '', 'serious', s,
                      s + 1095, false, s, st, CASE WHEN st <> 'in_force' THEN now() END, now(), now()
               FROM (
                   SELECT i, s, pid, eid, st, CASE WHEN pid IS NOT NULL THEN {person_case} ELSE {enterprise_case} END lt
                   FROM (
                       SELECT i, s, r,
                              CASE WHEN who < 70 THEN (hashint8extended(i, 22) & {MAXB}) %% %s + 1 END AS pid,
                              CASE WHEN who >= 70 THEN (hashint8extended(i, 23) & {MAXB}) %% %s + 1 END AS eid,
                              CASE WHEN h < 15 THEN 'in_force' WHEN h < 18 THEN 'expired' ELSE 'removed' END AS st
                       FROM (
                           SELECT i, %s::date - ((hashint8extended(i, 26) & {MAXB}) %% 1400)::int AS s,
                                  (hashint8extended(i, 21) & {MAXB}) %% 100 AS who,
                                  (hashint8extended(i, 24) & {MAXB}) %% 20 AS h,
                                  (hashint8extended(i, 25) & {MAXB}) %% 100 AS r
                           FROM generate_series(1, %s) i
                       ) hashed
                   ) raw
               ) typed""",
            [persons, enterprises, today, entries],
        )
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        cursor.execute("SET session_replication_role = origin")
        print("  rebuilding indexes …", flush=True)
        started = time.perf_counter()
        cursor.execute("SET maintenance_work_mem TO '1GB'")
        for statement in rebuild:
            cursor.execute(statement)
        phases["indexes"] = time.perf_counter() - started
        print(f"    {len(rebuild)} indexes and unique constraints: {phases['indexes']:.1f} s", flush=True)
        phases["check"] = timed(
            "foreign keys checked",
            cursor,
            """SELECT count(*) FROM blacklists_listentry e
               WHERE (e.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM registry_person p WHERE p.id = e.person_id))
                  OR (e.enterprise_id IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM registry_enterprise x WHERE x.id = e.enterprise_id))""",
        )
        if cursor.fetchone()[0]:
            raise SystemExit("entries point at missing subjects")
        cursor.execute("ALTER SYSTEM SET autovacuum = on")
        cursor.execute("SELECT pg_reload_conf()")
        phases["vacuum"] = timed("VACUUM ANALYZE", cursor, "VACUUM ANALYZE")
    return {"persons": persons, "enterprises": enterprises, "officers": 3 * enterprises, "phases": phases}


# --- subjects ------------------------------------------------------------------------------------

REGIONS = ("340100", "320100", "110101", "440300", "510100", "330100", "420100", "610100")


def demo_resident_id(n: int) -> str:
    """A valid synthetic resident ID number, distinct for every n below 160 million."""
    from core.identifiers import resident_id_check_char

    region, rest = divmod(n, 20_000_000)
    day, sequence = divmod(rest, 1000)
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=day)
    body = f"{REGIONS[region % len(REGIONS)]}{birth:%Y%m%d}{sequence:03d}"
    return body + resident_id_check_char(body)


def pick_subjects(count: int, rng: random.Random) -> list[dict]:
    """Subjects of every kind, found by what the register and the entries say (not by construction)."""
    from django.db import connection
    from django.utils import timezone

    from core.identifiers import mask_resident_id
    from core.privacy import resident_id_hash

    per_kind = max(count // len(KINDS), 1)
    today = timezone.localdate()
    picked: dict[str, list] = {}
    in_force = "status = 'in_force' AND starts_on <= %s AND (planned_end IS NULL OR planned_end >= %s)"
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM registry_person")
        persons = cursor.fetchone()[0]
        cursor.execute("SELECT max(id) FROM registry_enterprise")
        enterprises = cursor.fetchone()[0]
        sample = lambda n: rng.sample(range(1, n + 1), min(n, per_kind * 40))  # noqa: E731
        cursor.execute(
            f"SELECT DISTINCT person_id FROM blacklists_listentry WHERE person_id = ANY(%s) AND {in_force}",
            [sample(persons), today, today],
        )
        picked["person listed"] = [row[0] for row in cursor.fetchall()][:per_kind]
        cursor.execute(
            f"""SELECT DISTINCT k.person_id FROM registry_keypersonnel k
                JOIN blacklists_listentry e ON e.enterprise_id = k.enterprise_id AND e.{in_force}
                WHERE k.person_id = ANY(%s)
                  AND NOT EXISTS (SELECT 1 FROM blacklists_listentry d WHERE d.person_id = k.person_id)""",
            [today, today, sample(persons)],
        )
        picked["officer of listed enterprise"] = [row[0] for row in cursor.fetchall()][:per_kind]
        cursor.execute(
            f"SELECT DISTINCT enterprise_id FROM blacklists_listentry WHERE enterprise_id = ANY(%s) AND {in_force}",
            [sample(enterprises), today, today],
        )
        picked["enterprise listed"] = [row[0] for row in cursor.fetchall()][:per_kind]
        cursor.execute(
            f"""SELECT p.id FROM registry_person p WHERE p.id = ANY(%s)
                AND NOT EXISTS (SELECT 1 FROM blacklists_listentry e WHERE e.person_id = p.id AND e.{in_force})""",
            [sample(persons), today, today],
        )
        picked["person, nothing in force"] = [row[0] for row in cursor.fetchall()][:per_kind]
        cursor.execute(
            f"""SELECT x.id FROM registry_enterprise x WHERE x.id = ANY(%s)
                AND NOT EXISTS (SELECT 1 FROM blacklists_listentry e WHERE e.enterprise_id = x.id AND e.{in_force})""",
            [sample(enterprises), today, today],
        )
        picked["enterprise, nothing in force"] = [row[0] for row in cursor.fetchall()][:per_kind]
        subjects = []
        for kind in ("person listed", "officer of listed enterprise", "person, nothing in force"):
            for pk in picked[kind]:
                number = demo_resident_id(pk)
                cursor.execute(
                    "UPDATE registry_person SET id_hash = %s, id_masked = %s WHERE id = %s",
                    [resident_id_hash(number), mask_resident_id(number), pk],
                )
                subjects.append({"kind": kind, "id_number": number})
        for kind in ("enterprise listed", "enterprise, nothing in force"):
            cursor.execute("SELECT uscc FROM registry_enterprise WHERE id = ANY(%s)", [picked[kind]])
            subjects.extend({"kind": kind, "uscc": row[0]} for row in cursor.fetchall())
    for n in range(per_kind):
        # Numbers the register does not hold: ids beyond the loaded persons, codes beyond the enterprises.
        subjects.append({"kind": "person not in register", "id_number": demo_resident_id(persons + 1000 + n)})
        subjects.append(
            {"kind": "enterprise not in register", "uscc": f"91340100{enterprises + 1000 + n:09d}0"}
        )
    rng.shuffle(subjects)
    return subjects


# --- methods -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_wsgi(port: int) -> None:
    """The project's WSGI application, single-threaded, one persistent DB connection (DATABASE_URL
    gives conn_max_age=60), as one production worker process has."""
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    application = get_wsgi_application()
    with (
        make_server("127.0.0.1", port, application, server_class=WSGIServer, handler_class=Quiet) as server,
        contextlib.suppress(KeyboardInterrupt),
    ):
        server.serve_forever()


def start_servers(base: Path) -> dict[str, tuple[subprocess.Popen, int]]:
    from django.db import connection

    settings = connection.settings_dict
    host = urllib.parse.quote(settings["HOST"], safe="")
    port_part = f":{settings['PORT']}" if settings["PORT"] else ""
    url = f"postgres://{settings['USER']}@{host}{port_part}/{settings['NAME']}"
    env = {**os.environ, "DEBUG": "1"}
    servers = {}
    port = free_port()
    production = {
        **env,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_hex(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url,
    }
    servers["api"] = (
        subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve-wsgi", str(port)],
            cwd=ROOT,
            env=production,
            stdout=open(base / "wsgi.log", "wb"),  # noqa: SIM115 - closed with the process
            stderr=subprocess.STDOUT,
        ),
        port,
    )
    port = free_port()
    servers["api_runserver"] = (
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=open(base / "runserver.log", "wb"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        ),
        port,
    )
    return servers


def stop_servers(servers) -> None:
    for process, _port in servers.values():
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def http_check(port: int, token: str, subject: dict) -> tuple[float, dict]:
    query = urllib.parse.urlencode({key: subject[key] for key in ("uscc", "id_number") if key in subject})
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/restrictions/?{query}", headers={"Authorization": f"Bearer {token}"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
    return time.perf_counter() - started, json.loads(body)


def wait_until_up(servers, token: str, subject: dict) -> None:
    deadline = time.monotonic() + 180
    for name, (process, port) in servers.items():
        while True:
            if process.poll() is not None:
                raise SystemExit(f"{name} exited")
            try:
                http_check(port, token, subject)
                break
            except (OSError, urllib.error.URLError):
                if time.monotonic() > deadline:
                    raise SystemExit(f"{name} did not answer") from None
                time.sleep(0.5)


def in_process(subject: dict, client, *, log: bool):
    """The view's work without HTTP: resolve the subject, run the engine, log the call."""
    from blacklists.selectors import restrictions_in_force
    from blacklists.services import restriction_check_record
    from registry.models import Enterprise
    from registry.services import person_find_by_id_number

    person = enterprise = None
    if "uscc" in subject:
        enterprise = (
            Enterprise.objects.filter(uscc=subject["uscc"]).only("pk", "uscc", "name", "entity_type").first()
        )
    else:
        person = person_find_by_id_number(id_number=subject["id_number"])
    answer = restrictions_in_force(
        person=person, enterprise=enterprise, subject_kind="enterprise" if "uscc" in subject else "person"
    )
    if log:
        restriction_check_record(
            client=client,
            identifier="uscc" if "uscc" in subject else "id_number",
            person=person,
            enterprise=enterprise,
            on=answer.on,
            restricted=answer.restricted,
            measure_count=len(answer.measures),
        )
    return answer


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarise(values: list[float]) -> dict:
    ms = [value * 1000 for value in values]
    return {
        "n": len(ms),
        "p50": percentile(ms, 0.50),
        "p95": percentile(ms, 0.95),
        "max": max(ms),
        "mean": statistics.fmean(ms),
    }


def run(subjects: list[dict], base: Path) -> dict:
    from blacklists.services import api_client_create
    from registry.services.audit import SYSTEM

    client, token = api_client_create(actor=SYSTEM, via="command", name="bench", scopes=["restrictions"])
    servers = start_servers(base)
    try:
        wait_until_up(servers, token, subjects[0])
        timings: dict[str, dict[str, list[float]]] = {name: {} for name, _ in METHODS}
        first_touch = []
        answers = {}
        print(f"  first pass (cold-ish: first touch of each subject's rows) over {len(subjects)} subjects …")
        for subject in subjects:
            started = time.perf_counter()
            answers[json.dumps(subject)] = in_process(subject, client, log=False)
            first_touch.append(time.perf_counter() - started)
        print("  timed passes …", flush=True)
        cpu_before = {name: cpu_seconds(process.pid) for name, (process, _port) in servers.items()}
        view_cpu = 0.0
        for index, subject in enumerate(subjects):
            order = [name for name, _ in METHODS]
            order = order[index % len(order) :] + order[: index % len(order)]  # no method always goes first
            for name in order:
                if name in ("engine", "view"):
                    started = time.perf_counter()
                    if name == "engine":
                        from blacklists.selectors import restrictions_in_force
                        from core.privacy import resident_id_hash
                        from registry.models import Enterprise, Person

                        if "uscc" in subject:
                            ent = Enterprise.objects.filter(uscc=subject["uscc"]).first()
                            started = time.perf_counter()
                            restrictions_in_force(enterprise=ent, subject_kind="enterprise")
                        else:
                            per = Person.objects.filter(
                                id_hash=resident_id_hash(subject["id_number"])
                            ).first()
                            started = time.perf_counter()
                            restrictions_in_force(person=per, subject_kind="person")
                    else:
                        cpu = time.process_time()
                        in_process(subject, client, log=True)
                        view_cpu += time.process_time() - cpu
                    elapsed = time.perf_counter() - started
                else:
                    elapsed, body = http_check(servers[name][1], token, subject)
                    expected = answers[json.dumps(subject)]
                    if len(body["measures"]) != len(expected.measures):
                        raise SystemExit(f"{name} disagrees with the engine for {subject['kind']}")
                timings[name].setdefault(subject["kind"], []).append(elapsed)
        # CPU per call of the Python side alone: what the code costs, whatever else runs on the machine.
        cpu_ms = {
            name: (cpu_seconds(process.pid) - cpu_before[name]) * 1000 / len(subjects)
            for name, (process, _port) in servers.items()
        }
        cpu_ms["view"] = view_cpu * 1000 / len(subjects)
    finally:
        stop_servers(servers)
    result = {"first_touch": summarise(first_touch), "python_cpu_ms_per_call": cpu_ms}
    for name, by_kind in timings.items():
        result[name] = {"all": summarise([value for values in by_kind.values() for value in values])}
        result[name].update({kind: summarise(values) for kind, values in by_kind.items()})
    result["measures_per_answer"] = statistics.fmean(len(a.measures) for a in answers.values())
    result["restricted_share"] = sum(a.restricted for a in answers.values()) / len(answers)
    return result


def sizes() -> dict:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT count(*), pg_total_relation_size('{table}') FROM {table}")
            rows, size = cursor.fetchone()
            out[table] = {"rows": rows, "mb": round(size / 2**20)}
        cursor.execute("SELECT count(*) FROM blacklists_listentry WHERE status = 'in_force'")
        out["entries in force (by status)"] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        out["database_mb"] = round(cursor.fetchone()[0] / 2**20)
    return out


def print_table(result: dict) -> None:
    print(f"\n{'method':48} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    first = result["first_touch"]
    print(
        f"{'first touch, in-process (cold-ish)':48} {first['n']:>5} {first['p50']:8.2f} {first['p95']:8.2f} {first['max']:8.2f}"
    )
    for name, label in METHODS:
        row = result[name]["all"]
        print(f"{label:48} {row['n']:>5} {row['p50']:8.2f} {row['p95']:8.2f} {row['max']:8.2f}")
    cpu = result["python_cpu_ms_per_call"]
    print(
        "\nPython CPU per call (ms): in-process view {view:.2f}, API server {api:.2f}, runserver {api_runserver:.2f}".format(
            **cpu
        )
    )
    print("\nAPI (persistent connection) by kind of subject:")
    for kind in KINDS:
        row = result["api"].get(kind)
        if row:
            print(f"  {kind:46} {row['n']:>5} {row['p50']:8.2f} {row['p95']:8.2f} {row['max']:8.2f}")


def main() -> None:
    args = parse_args()
    if args.serve_wsgi:
        serve_wsgi(args.serve_wsgi)
        return
    base = Path(tempfile.mkdtemp(prefix="restrictions-bench-", dir=tempfile.gettempdir()))
    print(f"throwaway cluster in {base} (deleted at exit)", flush=True)
    setup(base)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    info = machine()
    print(json.dumps(info), flush=True)
    started = time.perf_counter()
    print(f"loading {args.entries:,} entries …", flush=True)
    report = load(args.entries)
    load_seconds = time.perf_counter() - started
    print(f"load finished in {load_seconds / 60:.1f} min", flush=True)
    size_info = sizes()
    print(json.dumps(size_info, indent=1), flush=True)
    subjects = pick_subjects(args.queries, random.Random(args.seed))
    print(
        f"{len(subjects)} subjects: "
        + ", ".join(f"{k} {sum(s['kind'] == k for s in subjects)}" for k in KINDS)
    )
    load_before = os.getloadavg()
    result = run(subjects, base)
    load_after = os.getloadavg()
    print_table(result)
    print(
        f"\nload average before {load_before}, after {load_after}; total {(time.perf_counter() - started) / 60:.1f} min"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "entries": args.entries,
                    "machine": info,
                    "load": report,
                    "load_seconds": load_seconds,
                    "sizes": size_info,
                    "result": result,
                    "load_average": [load_before, load_after],
                },
                indent=1,
                default=str,
            )
        )


if __name__ == "__main__":
    main()
