"""The SQL that makes every change to a dataset's source table a feed event.

One PL/pgSQL function, ``opendata_feed_record()``, and three AFTER row triggers per dataset
(INSERT, UPDATE, DELETE) on its table. The function takes a transaction-scoped advisory lock
before it draws the next timepoint, so timepoints increase in commit order: while one transaction
holds numbers it has not committed, no other transaction can draw a higher one, and a reader
following the cursor never sees N+1 before N (docs/open-data-feed.md explains why).

The migration that installs the triggers names its datasets literally (a migration must do the
same thing whenever it runs); ``feed_targets()`` computes that list from ``DATASETS`` and
``tests/opendata/test_feed_triggers.py`` fails when the installed triggers no longer match it.
When a dataset is added, removed or moved to another table, write a migration that calls
``feed_triggers_install_sql(targets)`` with the new list (and ``feed_triggers_drop_sql`` for the
tables that left) in a ``RunSQL``.
"""

from __future__ import annotations

from dataclasses import dataclass

# pg_advisory_xact_lock key of the feed ("OD16" in ASCII): only the trigger takes it.
FEED_LOCK_KEY = 0x4F443136
FUNCTION = "opendata_feed_record"
SEQUENCE = "opendata_feed_timepoint"
# Bookkeeping columns: an update that changes only these (when unpublished) records nothing.
IGNORED_COLUMNS = ("updated_at",)


@dataclass(frozen=True)
class FeedTarget:
    dataset: str
    table: str
    primary_key: str = "id"
    ignored_columns: tuple[str, ...] = IGNORED_COLUMNS


def feed_targets() -> list[FeedTarget]:
    """One target per dataset, from the dataset definitions."""
    from opendata.datasets import DATASETS

    targets = []
    for dataset in DATASETS.values():
        model = dataset.model
        fields = {field.column for field in model._meta.concrete_fields}
        published = {column.source_field for column in dataset.columns}
        # A published column is never ignored: the replay must carry every value the export does.
        ignored = tuple(column for column in IGNORED_COLUMNS if column in fields and column not in published)
        targets.append(FeedTarget(dataset.name, dataset.table, model._meta.pk.column, ignored))
    return targets


# Built from this module's constants only.
FUNCTION_SQL = f"""
CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} AS bigint;

CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
-- Arguments: dataset name, primary-key column, columns an update may change silently (text[]).
DECLARE
    new_row jsonb;
    old_row jsonb;
    ignored text[] := TG_ARGV[2]::text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        new_row := to_jsonb(NEW);
    ELSIF TG_OP = 'UPDATE' THEN
        new_row := to_jsonb(NEW);
        old_row := to_jsonb(OLD);
        IF (new_row - ignored) = (old_row - ignored) THEN
            RETURN NULL;
        END IF;
    ELSE
        old_row := to_jsonb(OLD);
    END IF;
    -- Held to the end of the transaction: numbers are drawn in the order transactions commit.
    PERFORM pg_advisory_xact_lock({FEED_LOCK_KEY});
    INSERT INTO opendata_feedevent (timepoint, published_at, op, dataset, key, row, previous_row)
    VALUES (
        nextval('{SEQUENCE}'),
        clock_timestamp(),
        CASE TG_OP WHEN 'INSERT' THEN 'created' WHEN 'UPDATE' THEN 'changed' ELSE 'withdrawn' END,
        TG_ARGV[0],
        coalesce(new_row, old_row) ->> TG_ARGV[1],
        coalesce(new_row, old_row),
        CASE WHEN TG_OP = 'UPDATE' THEN old_row END
    );
    RETURN NULL;
END
$$;
"""  # noqa: S608

FUNCTION_DROP_SQL = f"DROP FUNCTION IF EXISTS {FUNCTION}() CASCADE; DROP SEQUENCE IF EXISTS {SEQUENCE};"

_EVENTS = {"ins": "INSERT", "upd": "UPDATE", "del": "DELETE"}


def trigger_name(dataset: str, suffix: str) -> str:
    return f"opendata_feed_{dataset.replace('-', '_')}_{suffix}"


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def feed_triggers_drop_sql(targets: list[FeedTarget]) -> str:
    return "\n".join(
        f'DROP TRIGGER IF EXISTS {trigger_name(target.dataset, suffix)} ON "{target.table}";'
        for target in targets
        for suffix in _EVENTS
    )


def feed_triggers_install_sql(targets: list[FeedTarget]) -> str:
    """(Re)create the function and each target's three triggers; safe to run again."""
    statements = [FUNCTION_SQL, feed_triggers_drop_sql(targets)]
    for target in targets:
        ignored = "{" + ",".join(target.ignored_columns) + "}"
        arguments = ", ".join(
            _quote_literal(value) for value in (target.dataset, target.primary_key, ignored)
        )
        for suffix, event in _EVENTS.items():
            statements.append(
                f"CREATE TRIGGER {trigger_name(target.dataset, suffix)} AFTER {event} "
                f'ON "{target.table}" FOR EACH ROW EXECUTE FUNCTION {FUNCTION}({arguments});'
            )
    return "\n".join(statements)


def installed_feed_triggers(cursor) -> set[tuple[str, str]]:
    """(table, trigger name) of every feed trigger in the database."""
    cursor.execute(
        "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = %s AND NOT t.tgisinternal",
        [FUNCTION],
    )
    return set(cursor.fetchall())


def expected_feed_triggers(targets: list[FeedTarget]) -> set[tuple[str, str]]:
    return {(target.table, trigger_name(target.dataset, suffix)) for target in targets for suffix in _EVENTS}
