# ruff: noqa: E501, S608 - SQL text: table names come from model metadata, codes from the catalogue
"""The evaluation engine: one SQL statement scores a batch of enterprises (or one) under one rule set.

For the enterprises a *scope* selects, in one transaction:

1. the results that were current stop being current (``UPDATE ... SET is_current = false``);
2. one statement with CTEs gathers every weighted indicator's records (``UNION ALL`` of the
   indicators' own SELECTs), joins them to the rule set's weights, keeps the records that count on
   the day, sums the points per enterprise, grades the score against the cut-offs, inserts the
   results and inserts the counting records as their contributions (the explanation).

The same SQL serves the whole register (in ranges of enterprise ids, a transaction each), a list of
enterprises (the re-evaluation watcher) and one enterprise (a WHERE on its id). No Python loop
touches an enterprise.

For one enterprise or a few, planning the long statement (a branch per weighted indicator) costs
more than running it. Those runs execute it prepared on the server, once per connection and rule
set, with PostgreSQL's generic plan (``plan_cache_mode = force_generic_plan`` for that statement
only): planned once, then every re-evaluation only executes it. Whole-register batches keep a
custom plan for their id range. ``settings.SEARCH_PREPARED_STATEMENTS`` off (a connection pooler
that cannot keep prepared statements) turns this off too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from psycopg.types.numeric import Int8

from registry.models import Enterprise
from scoring.indicators import COLUMNS, indicator_get
from scoring.models import (
    Evaluation,
    EvaluationContribution,
    GradeCutoff,
    RiskClassAssessment,
    RiskClassContribution,
    RuleSet,
    RuleWeight,
)
from search.query import statement_cursor

# Enterprises that no longer exist are not evaluated (their last evaluation stays in the history).
NOT_EVALUATED_STATUSES = (Enterprise.Status.CANCELLED, Enterprise.Status.DEREGISTERED)
DEFAULT_BATCH = 100_000
# Up to this many enterprises, a run uses the prepared statement and its generic plan (index
# lookups per enterprise); more take a custom plan.
PREPARED_AT_MOST = 100
_PARAMETER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Target:
    """Where a scheme's results and contributions are written."""

    result_table: str
    contribution_table: str
    contribution_fk: str


EVALUATIONS = Target(Evaluation._meta.db_table, EvaluationContribution._meta.db_table, "evaluation_id")
RISK_CLASSES = Target(
    RiskClassAssessment._meta.db_table, RiskClassContribution._meta.db_table, "assessment_id"
)


@dataclass(frozen=True)
class Scope:
    """An SQL condition on ``{column}`` (each indicator's enterprise column) and its parameters;
    ``few``: it selects a few enterprises, by id (the prepared statement's case)."""

    condition: str
    params: dict
    few: bool = False


def scope_for_range(low: int, high: int) -> Scope:
    return Scope("{column} BETWEEN %(scope_low)s AND %(scope_high)s", {"scope_low": low, "scope_high": high})


def scope_for_ids(ids: list[int]) -> Scope:
    ids = list(ids)
    return Scope("{column} = ANY(%(scope_ids)s)", {"scope_ids": ids}, few=len(ids) <= PREPARED_AT_MOST)


@dataclass
class EngineRun:
    results: int = 0
    contributions: int = 0


def _records_sql(rule_set: RuleSet, scope: Scope) -> str:
    indicators = sorted({weight.indicator for weight in rule_set.weights.all()})
    parts = []
    for code in indicators:
        indicator = indicator_get(code)
        if indicator is None:  # refused by validation; an indicator removed from the code since
            continue
        parts.append(
            f"SELECT '{code}'::text AS indicator, s.* FROM ({indicator.sql(scope.condition)}) "
            f"AS s({', '.join(COLUMNS)})"
        )
    if not parts:
        return (
            f"SELECT {', '.join(['NULL::text AS indicator', 'NULL::bigint AS enterprise_id'])}, "
            + ", ".join(
                f"NULL::{kind} AS {name}"
                for name, kind in zip(
                    COLUMNS[1:],
                    ("text", "text", "bigint", "bigint", "text", "date", "date", "date", "text"),
                    strict=True,
                )
            )
            + " WHERE false"
        )
    return "\nUNION ALL\n".join(parts)


def _statement(rule_set: RuleSet, scope: Scope, target: Target) -> str:
    enterprise_scope = scope.condition.replace("{column}", "e.id")
    statuses = ", ".join(f"'{status}'" for status in NOT_EVALUATED_STATUSES)
    return f"""
        WITH weights AS (
            SELECT indicator, tier, points, counts_for_months
            FROM {RuleWeight._meta.db_table} WHERE rule_set_id = %(rule_set_id)s
        ),
        records AS (
            {_records_sql(rule_set, scope)}
        ),
        counting AS MATERIALIZED (
            SELECT r.*, w.points,
                   LEAST((r.record_date + make_interval(months => w.counts_for_months))::date,
                         COALESCE(r.ends_on, 'infinity'::date)) AS counts_until
            FROM records r
            JOIN weights w ON w.indicator = r.indicator AND (w.tier = '' OR w.tier = r.tier)
            WHERE r.record_date <= %(as_of)s AND (r.ends_on IS NULL OR r.ends_on > %(as_of)s)
        ),
        live AS MATERIALIZED (
            SELECT * FROM counting WHERE counts_until > %(as_of)s
        ),
        totals AS (
            SELECT enterprise_id, SUM(points) AS points FROM live GROUP BY enterprise_id
        ),
        scored AS (
            SELECT e.id AS enterprise_id, %(base_score)s + COALESCE(t.points, 0) AS score
            FROM {Enterprise._meta.db_table} e LEFT JOIN totals t ON t.enterprise_id = e.id
            WHERE e.status NOT IN ({statuses}) AND {enterprise_scope}
        ),
        new_results AS (
            INSERT INTO {target.result_table}
                (enterprise_id, rule_set_id, score, grade, as_of, evaluated_at, is_current, cause)
            SELECT s.enterprise_id, %(rule_set_id)s, s.score, c.grade, %(as_of)s, %(now)s, true, %(cause)s
            FROM scored s
            JOIN {GradeCutoff._meta.db_table} c ON c.rule_set_id = %(rule_set_id)s
                 AND (c.min_score IS NULL OR s.score >= c.min_score)
                 AND (c.max_score IS NULL OR s.score < c.max_score)
            RETURNING id, enterprise_id
        ),
        new_contributions AS (
            INSERT INTO {target.contribution_table}
                ({target.contribution_fk}, indicator, tier, source_model, source_pk, agency_id, document_number,
                 record_date, points, counts_until, repairable_from, remedy)
            SELECT n.id, l.indicator, l.tier, l.source_model, l.source_pk, l.agency_id,
                   LEFT(COALESCE(l.document_number, ''), 120), l.record_date, l.points, l.counts_until,
                   l.repairable_from, COALESCE(l.remedy, '')
            FROM live l JOIN new_results n ON n.enterprise_id = l.enterprise_id
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM new_results), (SELECT count(*) FROM new_contributions)
    """


def run_scored(
    *,
    rule_set: RuleSet,
    scope: Scope,
    target: Target,
    as_of: dt.date,
    now: dt.datetime,
    cause: str,
) -> EngineRun:
    """Score the enterprises ``scope`` selects, in one transaction; what was written."""
    params = {
        **scope.params,
        "rule_set_id": rule_set.pk,
        "as_of": as_of,
        "now": now,
        "cause": cause,
        "base_score": rule_set.base_score,
    }
    statement = _statement(rule_set, scope, target)
    retire = (
        f"UPDATE {target.result_table} SET is_current = false "
        f"WHERE is_current AND {scope.condition.replace('{column}', 'enterprise_id')}"
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(retire, params)
            if not scope.few:
                cursor.execute(statement, params)
                results, contributions = cursor.fetchone()
                return EngineRun(results=results, contributions=contributions)
            cursor.execute(
                "SELECT current_setting('plan_cache_mode'), set_config('plan_cache_mode', 'force_generic_plan', true)"
            )
            plan_cache_mode = cursor.fetchone()[0]
        # The statement's text is the same for every enterprise (its values are bound on the
        # server), so it is prepared once per connection and rule set.
        # Ids always as bigint[]: psycopg would send small ones as a smaller type, a statement each.
        values = {**params, "scope_ids": [Int8(pk) for pk in params["scope_ids"]]}
        with statement_cursor() as prepared:
            prepared.execute(
                _PARAMETER.sub("%s", statement), [values[name] for name in _PARAMETER.findall(statement)]
            )
            results, contributions = prepared.fetchone()
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('plan_cache_mode', %s, true)", [plan_cache_mode])
    return EngineRun(results=results, contributions=contributions)


def run_in_batches(
    *,
    rule_set: RuleSet,
    target: Target,
    as_of: dt.date,
    now: dt.datetime,
    cause: str,
    batch_size: int = DEFAULT_BATCH,
    progress: Callable[[int, int | None], None] | None = None,
) -> EngineRun:
    """The whole register, a transaction per range of ``batch_size`` enterprise ids."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id) FROM {Enterprise._meta.db_table}")
        low, high = cursor.fetchone()
    total = EngineRun()
    if low is None:
        return total
    steps = (high - low) // batch_size + 1
    for step, start in enumerate(range(low, high + 1, batch_size), start=1):
        done = run_scored(
            rule_set=rule_set,
            scope=scope_for_range(start, start + batch_size - 1),
            target=target,
            as_of=as_of,
            now=now,
            cause=cause,
        )
        total.results += done.results
        total.contributions += done.contributions
        if progress is not None:
            progress(step, steps)
    return total
