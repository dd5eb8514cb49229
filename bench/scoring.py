# ruff: noqa: E501 - SQL statements read best unbroken
"""Scoring at scale: generate N enterprises with their records, then time the evaluation.

    DEBUG=1 .venv/bin/python bench/scoring.py --enterprises 2000000
    DEBUG=1 .venv/bin/python bench/scoring.py --enterprises 200000      # quick run

Runs against its own throwaway embedded PostgreSQL under the system temp folder (deleted at
exit). It

1. migrates, loads the default rule sets and generates inside PostgreSQL (INSERT ... SELECT over
   generate_series): N enterprises (established 1995-2025, 3 % cancelled), annual reports for the
   last three years (about 90 % filed, 8 % of them late), penalties (6 % of enterprises; a quarter
   serious), abnormal-operations listings (4 %), inspections (15 %, a fifth with problems), list
   entries (court defaulters 1 %, consumption restriction 0.5 %, agency blacklists 0.8 %,
   redlists 0.7 %), awards (1.5 %), tax records with a grade (30 %, a third A), commitments
   (5 %, a tenth broken) and agency grades (tax 20 %, Customs 1 %, environmental 2 %, each with
   a few per cent bad grades); then VACUUM ANALYZE;
2. times the full evaluation (``evaluation_run_all``, a transaction per 100,000 enterprises);
3. times a naive per-enterprise ORM loop on ``--sample`` enterprises (the records fetched per
   enterprise and indicator through the ORM, summed and graded in Python, the evaluation and
   its contributions saved with the ORM) and reports the ratio per enterprise;
4. times ``--queries`` re-evaluations of one enterprise (``evaluation_run_for``) and as many
   explanation reads (current evaluation + contributions with their agencies), p50/p95/max.

With ``--hold SECONDS`` the loaded database stays up that long after the run (its socket folder is
printed), for ``EXPLAIN ANALYZE`` on the generated data; SIGTERM ends the hold and still removes it.
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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MAXB = 9223372036854775807
SERVER_SETTINGS = {
    "shared_buffers": "2GB",
    "effective_cache_size": "8GB",
    "maintenance_work_mem": "1GB",
    "work_mem": "64MB",
    "max_wal_size": "8GB",
    "checkpoint_timeout": "30min",
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enterprises", type=int, default=2_000_000)
    parser.add_argument("--sample", type=int, default=2000, help="enterprises in the naive loop")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--hold", type=int, default=0, help="seconds to keep the loaded database up after the run"
    )
    return parser.parse_args()


def setup(base: Path) -> None:
    data_dir = base / "pgdata"
    code = "import sys, pgserver; pgserver.get_server(sys.argv[1], cleanup_mode='stop')"
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True)
    with open(data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("\n# bench/scoring.py\n")
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
    # The default SIGTERM action skips atexit and would leave the server running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
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
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(label: str, cursor, sql: str, params=()) -> float:
    started = time.perf_counter()
    cursor.execute(sql, params)
    seconds = time.perf_counter() - started
    print(f"  {label}: {seconds:.1f} s", flush=True)
    return seconds


def h(column: str, salt: int, modulo: int) -> str:
    return f"((hashint8extended({column}, {salt}) & {MAXB}) %% {modulo})"


def load(n: int) -> dict:
    from django.db import connection

    from blacklists.models import ListType
    from registry.models import Agency
    from scoring.models import AgencyGradeScheme

    agency = Agency.objects.order_by("id").first().pk
    lists = {lt.code: (lt.pk, lt.owner_id) for lt in ListType.objects.all()}
    today = dt.date.today()
    year = today.year
    phases = {}
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        phases["enterprises"] = timed(
            f"{n:,} enterprises",
            cursor,
            f"""INSERT INTO registry_enterprise (id, uscc, uscc_legacy, registration_number, name, former_names,
                   entity_type, legal_representative, capital_currency, status, established, address, business_scope,
                   region_id, industry, registration_authority_id, created_at, updated_at)
               SELECT i, '91340100' || lpad(i::text, 9, '0') || '0', true, '', '合肥基准测试' || i || '有限公司', '{{}}',
                      'llc', '', 'CNY', CASE WHEN {h("i", 1, 100)} < 3 THEN 'cancelled' ELSE 'in_operation' END,
                      make_date(1995 + {h("i", 2, 31)}::int, 1 + {h("i", 3, 12)}::int, 1), '', '', '340100', 'C', {agency},
                      now(), now()
               FROM generate_series(1, {n}) i""",
        )
        phases["annual reports"] = timed(
            "annual reports",
            cursor,
            f"""INSERT INTO registry_annualreport (enterprise_id, year, submitted_at, operating_status, contact_phone, email,
                   postal_address, unpublished_fields, postcode, websites, investments, contributions, equity_transfers,
                   guarantees, social_insurance_insured, social_insurance_paid, source_agency_id, created_at, updated_at)
               SELECT i, y, make_timestamptz(y + 1, CASE WHEN {h("i * 7 + y", 5, 100)} < 8 THEN 9 ELSE 4 END, 1, 9, 0, 0),
                      'operating', '', '', '', '{{}}', '', '[]', '[]', '[]', '[]', '[]', '{{}}', '{{}}', {agency}, now(), now()
               FROM generate_series(1, {n}) i, generate_series({year - 3}, {year - 1}) y
               WHERE {h("i * 7 + y", 4, 100)} < 90 AND 1995 + {h("i", 2, 31)} <= y""",
        )
        phases["penalties"] = timed(
            "penalties",
            cursor,
            f"""INSERT INTO registry_administrativepenalty (enterprise_id, decision_number, violation, content, legal_basis,
                   fine_amount, confiscated_amount, decided_on, deciding_agency_id, source_agency_id, created_at, updated_at)
               SELECT {h("k", 6, n)} + 1, 'P' || k, '虚假宣传', '罚款', '',
                      CASE WHEN {h("k", 7, 4)} = 0 THEN 200000 WHEN {h("k", 7, 4)} = 1 THEN 5000 ELSE 30000 END, 0,
                      %s::date - {h("k", 8, 1500)}::int, {agency}, {agency}, now(), now()
               FROM generate_series(1, {n * 6 // 100}) k""",
            [today],
        )
        phases["abnormal listings"] = timed(
            "abnormal listings",
            cursor,
            f"""INSERT INTO registry_abnormaloperationlisting (enterprise_id, reason, listed_on, listing_agency_id,
                   decision_number, removal_reason, source_agency_id, created_at, updated_at)
               SELECT i, 'annual_report', %s::date - {h("i", 9, 1000)}::int, {agency}, 'A' || i, '', {agency}, now(), now()
               FROM generate_series(1, {n}) i WHERE {h("i", 10, 100)} < 4""",
            [today],
        )
        phases["inspections"] = timed(
            "inspections",
            cursor,
            f"""INSERT INTO registry_inspectionrecord (enterprise_id, inspecting_agency_id, kind, inspected_on, result, detail,
                   source_agency_id, created_at, updated_at)
               SELECT i, {agency}, 'double_random', %s::date - {h("i", 11, 700)}::int,
                      (ARRAY['no_problem','no_problem','no_problem','no_problem','corrected','no_problem','no_problem','violation','not_found','no_problem'])[1 + {h("i", 12, 10)}::int],
                      '', {agency}, now(), now()
               FROM generate_series(1, {n}) i WHERE {h("i", 13, 100)} < 15""",
            [today],
        )
        entries = [
            ("court-defaulters", 10),
            ("consumption-restriction", 5),
            ("samr-serious-illegal", 8),
            ("sta-grade-a", 7),
        ]
        for number, (code, per_mille) in enumerate(entries):
            list_id, owner = lists[code]
            phases[code] = timed(
                code,
                cursor,
                f"""INSERT INTO blacklists_listentry (list_type_id, enterprise_id, subject_name, issuing_agency_id, decision_number,
                       decision_date, legal_basis, circumstance, severity, starts_on, planned_end, permanent, published_on,
                       status, created_at, updated_at)
                   SELECT {list_id}, i, 'x', {owner}, '{code}-' || i, s, '', '',
                          CASE WHEN '{code}' = 'sta-grade-a' THEN 'n/a' ELSE 'serious' END, s, s + 1095, false, s, 'in_force', now(), now()
                   FROM (SELECT i, %s::date - {h("i", 14 + number, 900)}::int AS s FROM generate_series(1, {n}) i
                         WHERE {h("i", 20 + number, 1000)} < {per_mille}) picked""",
                [today],
            )
        phases["awards"] = timed(
            "awards",
            cursor,
            f"""INSERT INTO registry_award (enterprise_id, title, awarding_agency_id, awarded_on, source_agency_id, created_at, updated_at)
               SELECT i, '守合同重信用企业', {agency}, %s::date - {h("i", 30, 1000)}::int, {agency}, now(), now()
               FROM generate_series(1, {n}) i WHERE {h("i", 31, 1000)} < 15""",
            [today],
        )
        phases["tax records"] = timed(
            "tax records",
            cursor,
            f"""INSERT INTO registry_taxrecord (enterprise_id, tax_type, period_start, period_end, amount_paid, amount_owed,
                   credit_grade, source_agency_id, created_at, updated_at)
               SELECT i, '增值税', make_date({year - 1}, 1, 1), make_date({year - 1}, 12, 31), 0, 0,
                      (ARRAY['A','B','M'])[1 + {h("i", 32, 3)}::int], {agency}, now(), now()
               FROM generate_series(1, {n}) i WHERE {h("i", 33, 100)} < 30""",
        )
        phases["commitments"] = timed(
            "commitments",
            cursor,
            f"""INSERT INTO registry_creditcommitment (enterprise_id, kind, title, text, signed_on, signer_name, source_agency_id,
                   broken_on, broken_by_id, broken_note, created_at, updated_at)
               SELECT i, 'voluntary', '信用承诺书', '承诺', s, '张伟', {agency},
                      CASE WHEN b THEN s + 30 END, CASE WHEN b THEN {agency} END, CASE WHEN b THEN '未履行' ELSE '' END, now(), now()
               FROM (SELECT i, %s::date - 60 - {h("i", 34, 600)}::int AS s, {h("i", 35, 10)} = 0 AS b
                     FROM generate_series(1, {n}) i WHERE {h("i", 36, 100)} < 5) picked""",
            [today],
        )
        grades = [
            # scheme, share of enterprises in per mille, its levels' share in per mille (best first)
            ("sta-tax-credit", 200, (300, 450, 150, 70, 30)),
            ("gac-enterprise-credit", 10, (300, 600, 100)),
            ("mee-environmental-credit", 20, (300, 450, 150, 70, 30)),
        ]
        for number, (code, per_mille, shares) in enumerate(grades):
            scheme = AgencyGradeScheme.objects.get(code=code)
            levels = list(scheme.levels.order_by("rank").values_list("id", flat=True))
            pick, bound = [], 0
            for level, share in zip(levels, shares, strict=True):
                bound += share
                pick.append(f"WHEN {h('i', 40 + number, 1000)} < {bound} THEN {level}")
            until = "valid_from + 364" if scheme.validity_months else "NULL::date"
            phases[code] = timed(
                code,
                cursor,
                f"""INSERT INTO scoring_agencygrade (enterprise_id, scheme_id, level_id, year, valid_from, valid_until,
                       decision_number, issuing_agency_id, created_at, updated_at)
                   SELECT i, {scheme.pk}, CASE {" ".join(pick)} END, {year - 1}, valid_from, {until},
                          '{code}-' || i, {scheme.issuing_agency_id}, now(), now()
                   FROM (SELECT i, make_date({year - 1}, 4, 1) + {h("i", 45 + number, 60)}::int AS valid_from
                         FROM generate_series(1, {n}) i WHERE {h("i", 50 + number, 1000)} < {per_mille}) picked""",
            )
        cursor.execute("SELECT setval(pg_get_serial_sequence('registry_enterprise', 'id'), %s)", [n])
        phases["vacuum"] = timed("VACUUM ANALYZE", cursor, "VACUUM ANALYZE")
        cursor.execute(
            """SELECT (SELECT count(*) FROM registry_annualreport), (SELECT count(*) FROM registry_administrativepenalty),
                      (SELECT count(*) FROM blacklists_listentry), (SELECT count(*) FROM registry_inspectionrecord)"""
        )
        reports, penalties, list_entries, inspections = cursor.fetchone()
    return {
        "enterprises": n,
        "annual_reports": reports,
        "penalties": penalties,
        "list_entries": list_entries,
        "inspections": inspections,
        "phases": phases,
    }


def naive_evaluate(enterprise, rule_set, weights, cutoffs, today) -> None:
    """The per-enterprise ORM loop a first version would write: fetch each kind of record, weigh it in Python."""
    from blacklists.models import ListEntry
    from casework.selectors.repair import add_months
    from registry.models import (
        AbnormalOperationListing,
        AdministrativePenalty,
        Award,
        InspectionRecord,
        TaxRecord,
    )
    from scoring.models import Evaluation, EvaluationContribution
    from scoring.selectors.agency_grades import agency_grades_current

    found = []

    def weigh(indicator, tier, record, day, ends=None, agency=None, number=""):
        weight = weights.get((indicator, tier)) or weights.get((indicator, ""))
        if weight is None or day > today:
            return
        until = add_months(day, weight.counts_for_months)
        if ends is not None:
            until = min(until, ends)
        if until > today:
            found.append((indicator, tier, record, day, until, weight.points, agency, number))

    for p in AdministrativePenalty.objects.filter(enterprise=enterprise):
        tier = (
            "serious"
            if p.fine_amount >= 100000 or p.confiscated_amount > 0
            else "general"
            if p.fine_amount >= 10000
            else "minor"
        )
        weigh(
            "administrative_penalty",
            tier,
            p,
            p.decided_on,
            p.publication_ends_on,
            p.deciding_agency_id,
            p.decision_number,
        )
    for a in AbnormalOperationListing.objects.filter(enterprise=enterprise):
        weigh("abnormal_operations", "", a, a.listed_on, a.removed_on, a.listing_agency_id, a.decision_number)
    for i in InspectionRecord.objects.filter(enterprise=enterprise).exclude(result="no_problem"):
        tier = {"corrected": "minor", "violation": "serious"}.get(i.result, "general")
        weigh("inspection_problem", tier, i, i.inspected_on, None, i.inspecting_agency_id)
    for e in ListEntry.objects.filter(enterprise=enterprise, status="in_force").select_related("list_type"):
        code = {
            "court-defaulters": "court_defaulter",
            "consumption-restriction": "consumption_restriction",
        }.get(e.list_type.code)
        if code is None:
            code = "redlist" if e.list_type.kind == "redlist" else "agency_blacklist"
        tier = e.severity if code == "agency_blacklist" else ""
        weigh(
            code,
            tier,
            e,
            e.starts_on,
            e.planned_end and e.planned_end + dt.timedelta(days=1),
            e.issuing_agency_id,
            e.decision_number,
        )
    for w in Award.objects.filter(enterprise=enterprise):
        weigh(
            "award",
            "",
            w,
            w.awarded_on,
            w.valid_to and w.valid_to + dt.timedelta(days=1),
            w.awarding_agency_id,
        )
    latest = (
        TaxRecord.objects.filter(enterprise=enterprise)
        .exclude(credit_grade="")
        .order_by("-period_end")
        .first()
    )
    if latest is not None and latest.credit_grade == "A":
        weigh("tax_grade_a", "", latest, latest.period_end)
    tiers = {
        "sta-tax-credit": "tax",
        "gac-enterprise-credit": "customs",
        "mee-environmental-credit": "environmental",
    }
    for g in agency_grades_current(enterprise_ids=[enterprise.pk], on=today):
        code = "agency_grade_top" if g.level.rank == 1 and g.level.meaning == "positive" else ""
        if g.level.meaning == "negative" and g.level.code not in ("C", "yellow"):
            code = "agency_grade_negative"
        if code:
            until = g.valid_until and g.valid_until + dt.timedelta(days=1)
            weigh(code, tiers[g.scheme.code], g, g.valid_from, until, g.issuing_agency_id, g.decision_number)
    score = rule_set.base_score + sum(item[5] for item in found)
    grade = next(
        c.grade
        for c in cutoffs
        if (c.min_score is None or score >= c.min_score) and (c.max_score is None or score < c.max_score)
    )
    Evaluation.objects.filter(enterprise=enterprise, is_current=True).update(is_current=False)
    evaluation = Evaluation.objects.create(
        enterprise=enterprise,
        rule_set=rule_set,
        score=score,
        grade=grade,
        as_of=today,
        evaluated_at=dt.datetime.now(dt.UTC),
    )
    for indicator, tier, record, day, until, points, agency, number in found:
        EvaluationContribution.objects.create(
            evaluation=evaluation,
            indicator=indicator,
            tier=tier,
            source_model=record._meta.label_lower,
            source_pk=record.pk,
            agency_id=agency,
            document_number=number,
            record_date=day,
            points=points,
            counts_until=until,
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarise(values: list[float]) -> dict:
    ms = [value * 1000 for value in values]
    return {
        "n": len(ms),
        "p50": percentile(ms, 0.5),
        "p95": percentile(ms, 0.95),
        "max": max(ms),
        "mean": statistics.fmean(ms),
    }


def main() -> None:
    args = parse_args()
    base = Path(tempfile.mkdtemp(prefix="bench-scoring-"))
    setup(base)
    from django.db import connection
    from django.utils import timezone

    from bench.hostinfo import machine_facts
    from scoring.models import Evaluation
    from scoring.selectors import evaluation_current, evaluation_explanation
    from scoring.services import evaluation_run_all, evaluation_run_for, rule_set_in_force
    from scoring.services.defaults import rule_sets_load_defaults

    rule_sets_load_defaults()
    print(f"Loading {args.enterprises:,} enterprises …", flush=True)
    result = {"machine": machine_facts(("shared_buffers", "work_mem")), "data": load(args.enterprises)}

    print("Full evaluation …", flush=True)
    started = time.perf_counter()
    summary = evaluation_run_all(progress=lambda done, total: print(f"  batch {done}/{total}", flush=True))
    full = time.perf_counter() - started
    result["full"] = {"seconds": full, "evaluated": summary.results, "contributions": summary.contributions}
    print(
        f"  {summary.results:,} evaluated, {summary.contributions:,} contributions in {full:.1f} s",
        flush=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE scoring_evaluation")
        cursor.execute("VACUUM ANALYZE scoring_evaluationcontribution")
        cursor.execute(
            "SELECT grade, count(*) FROM scoring_evaluation WHERE is_current GROUP BY grade ORDER BY grade"
        )
        result["grades"] = dict(cursor.fetchall())
    print(f"  grades: {result['grades']}", flush=True)

    rng = random.Random(1)
    ids = [rng.randint(1, args.enterprises) for _ in range(max(args.sample, args.queries))]
    rule_set = rule_set_in_force(scheme="public_evaluation")
    weights = {(w.indicator, w.tier): w for w in rule_set.weights.all()}
    cutoffs = list(rule_set.cutoffs.all())
    today = timezone.localdate()
    from registry.models import Enterprise

    sample = list(Enterprise.objects.filter(pk__in=ids[: args.sample]))
    print(f"Naive ORM loop on {len(sample):,} enterprises …", flush=True)
    started = time.perf_counter()
    for enterprise in sample:
        naive_evaluate(enterprise, rule_set, weights, cutoffs, today)
    naive = time.perf_counter() - started
    per_naive = naive / len(sample)
    per_set = full / summary.results
    result["naive"] = {"enterprises": len(sample), "seconds": naive, "per_enterprise_ms": per_naive * 1000}
    result["ratio"] = per_naive / per_set
    print(
        f"  {naive:.1f} s: {per_naive * 1000:.2f} ms per enterprise against {per_set * 1000:.4f} ms set-based: {result['ratio']:.0f}x",
        flush=True,
    )
    print(f"  projected naive full run: {per_naive * summary.results / 60:.0f} min", flush=True)

    one, explain = [], []
    for enterprise_id in ids[: args.queries]:
        started = time.perf_counter()
        evaluation_run_for(enterprise=enterprise_id)
        one.append(time.perf_counter() - started)
    for enterprise_id in ids[: args.queries]:
        started = time.perf_counter()
        evaluation = evaluation_current(enterprise_id=enterprise_id)
        if evaluation is not None:
            evaluation_explanation(evaluation=evaluation)
        explain.append(time.perf_counter() - started)
    result["one_subject"] = summarise(one)
    result["explanation"] = summarise(explain)
    result["evaluations_rows"] = Evaluation.objects.count()
    for name in ("one_subject", "explanation"):
        figures = result[name]
        print(
            f"  {name}: p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, max {figures['max']:.1f} ms",
            flush=True,
        )
    print(json.dumps(result, indent=2, default=str))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str))
    if args.hold:
        print(f"Holding the database for {args.hold} s, socket folder {base / 'pgdata'}", flush=True)
        time.sleep(args.hold)


if __name__ == "__main__":
    main()
