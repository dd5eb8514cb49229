# ruff: noqa: E501, S608 - SQL text: table names come from model metadata, values are parameters
"""What an evaluation run sets in motion, set-based: one statement per kind for the whole run.

``evaluation_triggers_apply(evaluations=...)`` is called by the evaluation services after every
run (the whole register, a list of enterprises, one enterprise) with the run's new evaluations as
a query set; it never loads them into Python.

- **Grade C** (the enterprise's previous evaluation was not C): a credit-management briefing
  invitation, organised by the enterprise's registration authority.
- **Grade D** (the previous one was not D, and no interview is still to be held): a warning
  interview (约谈) task for the local credit office: the registration authority, or else the
  county market-regulation bureau of the enterprise's region.
- **Alert list**: an enterprise whose current evaluation counts adverse records of at least the
  alert rule set's number of distinct areas, dated within its window, is put on the list (or stays
  on it); one that no longer qualifies leaves it on the day.

Each record written tells the company (a subject event: an inbox notice and mail).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from registry.models import Agency, Enterprise, SubjectEvent
from scoring.models import (
    AlertListEntry,
    BriefingInvitation,
    Evaluation,
    EvaluationContribution,
    RuleSet,
    Scheme,
    WarningInterview,
)
from scoring.services.rules import rule_set_in_force

# Agency kinds that are one field each; an agency of any other kind (a ministry, a bureau, a
# people's government...) is a field of its own.
FIELD_KINDS = (
    Agency.Kind.COURT,
    Agency.Kind.MARKET_REGULATION,
    Agency.Kind.TAX,
    Agency.Kind.CUSTOMS,
)

EVALUATION = Evaluation._meta.db_table
CONTRIBUTION = EvaluationContribution._meta.db_table
ENTERPRISE = Enterprise._meta.db_table
AGENCY = Agency._meta.db_table
BRIEFING = BriefingInvitation._meta.db_table
INTERVIEW = WarningInterview._meta.db_table
ALERT = AlertListEntry._meta.db_table
EVENT = SubjectEvent._meta.db_table


@dataclass(frozen=True)
class TriggerSummary:
    briefings: int = 0
    interviews: int = 0
    alert_entered: int = 0
    alert_left: int = 0


def area_sql(alias: str = "a") -> str:
    kinds = ", ".join(f"'{kind}'" for kind in FIELD_KINDS)
    return (
        f"CASE WHEN {alias}.kind IN ({kinds}) THEN 'kind:' || {alias}.kind ELSE 'agency:' || {alias}.id END"
    )


def _scope(evaluations: QuerySet[Evaluation]) -> tuple[str, dict]:
    """The SQL of the evaluations' ids, its parameters named (the statements use named ones)."""
    sql, params = evaluations.values("id").query.sql_with_params()
    parts = sql.split("%s")
    text = parts[0] + "".join(f"%(scope_{number})s{part}" for number, part in enumerate(parts[1:]))
    return text, {f"scope_{number}": value for number, value in enumerate(params)}


def _previous_grade_is_not(grade: str) -> str:
    return f"""
        (SELECT p.grade FROM {EVALUATION} p
         WHERE p.enterprise_id = e.enterprise_id AND (p.evaluated_at, p.id) < (e.evaluated_at, e.id)
         ORDER BY p.evaluated_at DESC, p.id DESC LIMIT 1) IS DISTINCT FROM '{grade}'
    """


def _event_insert(source: str, kind: str, record_type: str, summary: str) -> str:
    """An INSERT of one subject event per row of the CTE ``source`` (enterprise_id, id)."""
    return f"""
        INSERT INTO {EVENT} (enterprise_id, person_id, kind, record_type, record_id, occurred_at, summary)
        SELECT s.enterprise_id, NULL, '{kind}', '{record_type}', s.id, %(now)s, {summary}
        FROM {source} s
    """


def _briefings(scope: str, params: dict, now: dt.datetime, summary: str) -> int:
    statement = f"""
        WITH new_invitations AS (
            INSERT INTO {BRIEFING} (enterprise_id, evaluation_id, agency_id, invited_at)
            SELECT e.enterprise_id, e.id, ent.registration_authority_id, %(now)s
            FROM {EVALUATION} e JOIN {ENTERPRISE} ent ON ent.id = e.enterprise_id
            WHERE e.id IN ({scope}) AND e.grade = 'C' AND {_previous_grade_is_not("C")}
            ON CONFLICT DO NOTHING
            RETURNING id, enterprise_id
        ),
        events AS ({_event_insert("new_invitations", "published", "briefing", "%(summary)s")} RETURNING 1)
        SELECT (SELECT count(*) FROM new_invitations), (SELECT count(*) FROM events)
    """
    return _execute(statement, params, {"now": now, "summary": summary})[0]


def _interviews(scope: str, params: dict, now: dt.datetime, summary: str) -> int:
    local_bureau = f"""
        (SELECT a.id FROM {AGENCY} a
         WHERE a.region_id = ent.region_id AND a.kind = '{Agency.Kind.MARKET_REGULATION}'
         ORDER BY a.id LIMIT 1)
    """
    statement = f"""
        WITH new_interviews AS (
            INSERT INTO {INTERVIEW}
                (enterprise_id, evaluation_id, agency_id, opened_at, status, attendees, outcome)
            SELECT e.enterprise_id, e.id, COALESCE(ent.registration_authority_id, {local_bureau}), %(now)s,
                   'pending', '', ''
            FROM {EVALUATION} e JOIN {ENTERPRISE} ent ON ent.id = e.enterprise_id
            WHERE e.id IN ({scope}) AND e.grade = 'D' AND {_previous_grade_is_not("D")}
              AND COALESCE(ent.registration_authority_id, {local_bureau}) IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM {INTERVIEW} w
                              WHERE w.enterprise_id = e.enterprise_id AND w.status = 'pending')
            ON CONFLICT DO NOTHING
            RETURNING id, enterprise_id
        ),
        events AS ({_event_insert("new_interviews", "published", "warning_interview", "%(summary)s")} RETURNING 1)
        SELECT (SELECT count(*) FROM new_interviews), (SELECT count(*) FROM events)
    """
    return _execute(statement, params, {"now": now, "summary": summary})[0]


def _alert_list(
    scope: str, params: dict, now: dt.datetime, rule_set: RuleSet, summaries: dict
) -> tuple[int, int]:
    today = timezone.localdate(now)
    statement = f"""
        WITH scope AS (
            SELECT id, enterprise_id, as_of FROM {EVALUATION} WHERE id IN ({scope})
        ),
        counted AS (
            SELECT s.id AS evaluation_id, s.enterprise_id,
                   array_agg(DISTINCT {area_sql("a")} ORDER BY {area_sql("a")}) AS areas
            FROM scope s
            JOIN {CONTRIBUTION} c ON c.evaluation_id = s.id
            JOIN {AGENCY} a ON a.id = c.agency_id
            WHERE c.points < 0
              AND c.record_date > (s.as_of - make_interval(months => %(window)s))::date
            GROUP BY s.id, s.enterprise_id
        ),
        qualifying AS (
            SELECT * FROM counted WHERE cardinality(areas) >= %(min_areas)s
        ),
        left_list AS (
            UPDATE {ALERT} l SET left_on = GREATEST(%(today)s, l.listed_on), updated_at = %(now)s
            WHERE l.left_on IS NULL AND l.enterprise_id IN (SELECT enterprise_id FROM scope)
              AND l.enterprise_id NOT IN (SELECT enterprise_id FROM qualifying)
            RETURNING l.id, l.enterprise_id
        ),
        stayed AS (
            UPDATE {ALERT} l SET evaluation_id = q.evaluation_id, areas = q.areas,
                                 rule_set_id = %(rule_set_id)s, updated_at = %(now)s
            FROM qualifying q
            WHERE l.enterprise_id = q.enterprise_id AND l.left_on IS NULL
            RETURNING l.id
        ),
        entered AS (
            INSERT INTO {ALERT} (enterprise_id, rule_set_id, evaluation_id, areas, listed_on, updated_at)
            SELECT q.enterprise_id, %(rule_set_id)s, q.evaluation_id, q.areas, %(today)s, %(now)s
            FROM qualifying q
            WHERE NOT EXISTS (SELECT 1 FROM {ALERT} o WHERE o.enterprise_id = q.enterprise_id AND o.left_on IS NULL)
            RETURNING id, enterprise_id
        ),
        events_in AS ({_event_insert("entered", "published", "alert_list", "%(entered_summary)s")} RETURNING 1),
        events_out AS ({_event_insert("left_list", "ended", "alert_list", "%(left_summary)s")} RETURNING 1)
        SELECT (SELECT count(*) FROM entered), (SELECT count(*) FROM left_list),
               (SELECT count(*) FROM stayed), (SELECT count(*) FROM events_in), (SELECT count(*) FROM events_out)
    """
    entered, left, *_rest = _execute(
        statement,
        params,
        {
            "now": now,
            "today": today,
            "window": rule_set.alert_window_months,
            "min_areas": rule_set.alert_min_areas,
            "rule_set_id": rule_set.pk,
            "entered_summary": summaries["entered"],
            "left_summary": summaries["left"],
        },
    )
    return entered, left


def _execute(statement: str, scope_params: dict, named: dict) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(statement, {**named, **scope_params})
        return cursor.fetchone()


def _summaries() -> dict[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "briefing": _("Invited to a credit-management briefing: the credit evaluation is C."),
            "interview": _("A warning interview will be held: the credit evaluation is D."),
            "entered": _("Put on the alert list: adverse records from several areas."),
            "left": _("Left the alert list: it no longer qualifies."),
        }


def evaluation_triggers_apply(
    *, evaluations: QuerySet[Evaluation], now: dt.datetime | None = None
) -> TriggerSummary:
    """Write the briefing invitations, warning interviews and alert-list changes ``evaluations``
    (a run's new current evaluations) call for, with their notices, in one transaction."""
    now = now or timezone.now()
    scope, params = _scope(evaluations)
    summaries = _summaries()
    alert_rules = rule_set_in_force(scheme=Scheme.ALERT_LIST, on=timezone.localdate(now), with_weights=False)
    with transaction.atomic():
        briefings = _briefings(scope, params, now, summaries["briefing"])
        interviews = _interviews(scope, params, now, summaries["interview"])
        entered = left = 0
        if alert_rules is not None:
            entered, left = _alert_list(scope, params, now, alert_rules, summaries)
    return TriggerSummary(briefings, interviews, entered, left)


def watch_objections() -> None:
    """A decided objection to an evaluation re-evaluates the enterprise in the background the same
    way a corrected record does: the watcher reads the decision's audit entry."""
    from casework.models import Objection
    from scoring.services.watcher import watched_model_register

    watched_model_register(Objection, "enterprise_id")
