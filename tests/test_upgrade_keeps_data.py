"""Upgrading a database built by an older commit keeps every row.

The test exports the tree of ``OLD_COMMIT`` (``git archive``) into a temporary directory, links the
test run's virtualenv as its ``.venv`` and, on a throwaway database of the test run's PostgreSQL
server, runs that old code's ``migrate``, a small demo load (the ``make demo`` commands with fewer
rows) and ``tests/support/old_rows.py``, which writes through the old code's services the rows the
demo leaves out (filings, disclosures, objections, repair and removal applications, memberships,
codes, documents…), so that every table holds rows. It counts the rows of every table, runs this
checkout's ``migrate`` on the same database, as an operator upgrading would, and counts again:

- every table of the old layout still holds at least as many rows, in the same table or in the one
  ``RENAMED_TABLES`` names for it (a model moved to another app keeps its rows; its table is kept
  or renamed by a migration);
- tables may appear, and may gain rows (a data migration of the new code seeds some);
- every row that refers to a content type (the audit trail, admin's log) refers to one whose model
  the new code still has: a model moved to another app takes its content type with it.

Today ``OLD_COMMIT`` is the commit this test was written at, so old and new are the same code and
the test passes trivially; it is meant to be pointed at the last commit before models move between
apps. See docs/testing.md.
"""

from __future__ import annotations

import os
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

from tests import conftest
from tests.support import copies
from tests.support.copies import run_step, server_connection

ROOT = Path(__file__).resolve().parent.parent
# The layout upgraded from: the last main that CI passed before this work (one layout, no calendar,
# divisions to prefecture level only), which is what a running installation has.
OLD_COMMIT = "25e6a53"
# old table -> its new name, for a model whose table a migration renames when it moves.
RENAMED_TABLES: dict[str, str] = {}
# Not compared: Django's record of applied migrations, which the upgrade rightly extends.
UNCOUNTED = frozenset({"django_migrations"})
DEMO_COMMANDS = (
    ["generate_demo_data", "--enterprises", "40", "--persons", "80", "--seed", "1"],
    ["rebuild_search_index", "--kind", "enterprise"],
    ["generate_demo_list_entries", "--entries", "40", "--seed", "1"],
    ["generate_demo_commitments", "--count", "40", "--seed", "1"],
    ["create_demo_admin"],
    ["create_demo_company_user"],
)
OLD_ROWS_SCRIPT = ROOT / "tests" / "support" / "old_rows.py"
# Tables the old layout may leave empty (none today): the check that every table holds rows before
# the upgrade skips them.
MAY_BE_EMPTY: frozenset[str] = frozenset()


# --- the comparison --------------------------------------------------------------------------------
def lost_rows(
    before: dict[str, int], after: dict[str, int], renamed: dict[str, str] | None = None
) -> list[str]:
    """One line for every table of ``before`` whose rows are not all in ``after`` (under its new
    name when ``renamed`` has one); empty when no row is lost."""
    renamed = renamed or {}
    problems = []
    for table, count in sorted(before.items()):
        if table in UNCOUNTED:
            continue
        target = renamed.get(table, table)
        label = table if target == table else f"{table} (now {target})"
        if target not in after:
            problems.append(f"{label}: missing after the upgrade; it held {count} rows")
        elif after[target] < count:
            problems.append(f"{label}: {count} rows before the upgrade, {after[target]} after")
    return problems


def table_row_counts(conf: dict, name: str) -> dict[str, int]:
    """Every ordinary table of the database's ``public`` schema, with its exact row count."""
    with server_connection(conf, name) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: connection.execute(f'SELECT count(*) FROM public."{table}"').fetchone()[0]
            for table in tables
        }


def content_type_references(conf: dict, name: str) -> dict[str, set[tuple[str, str]]]:
    """For every column that refers to ``django_content_type`` (the audit trail, admin's log…), the
    (app label, model) pairs of the content types its rows refer to.

    ``auth_permission`` is Django's catalogue of every model's permissions, which ``migrate`` extends
    for new models and never prunes: only its rows assigned to a group or a user count.
    """
    with server_connection(conf, name) as connection:
        columns = connection.execute(
            """
            SELECT source.relname, attribute.attname
            FROM pg_constraint AS fk
            JOIN pg_class AS source ON source.oid = fk.conrelid
            JOIN pg_attribute AS attribute
              ON attribute.attrelid = fk.conrelid AND attribute.attnum = fk.conkey[1]
            WHERE fk.contype = 'f' AND fk.confrelid = 'public.django_content_type'::regclass
              AND source.relname <> 'auth_permission'
            ORDER BY 1, 2
            """
        ).fetchall()
        queries = {
            f"{table}.{column}": (
                f'SELECT DISTINCT ct.app_label, ct.model FROM public."{table}" AS t '
                f'JOIN django_content_type AS ct ON ct.id = t."{column}"'
            )
            for table, column in columns
        }
        queries["auth_permission (assigned)"] = """
            SELECT DISTINCT ct.app_label, ct.model FROM auth_permission AS p
            JOIN django_content_type AS ct ON ct.id = p.content_type_id
            WHERE p.id IN (SELECT permission_id FROM auth_group_permissions
                           UNION SELECT permission_id FROM auth_user_user_permissions)
        """
        return {label: set(connection.execute(query).fetchall()) for label, query in queries.items()}


def unknown_models(references: dict[str, set[tuple[str, str]]]) -> list[str]:
    """One line for every content type referred to whose model this code does not have."""
    problems = []
    for column, pairs in sorted(references.items()):
        for app_label, model in sorted(pairs):
            try:
                apps.get_model(app_label, model)
            except LookupError:
                problems.append(f"{column} refers to {app_label}.{model}, which is no model here")
    return problems


def test_lost_rows_names_each_table_that_lost_rows_or_went_missing():
    before = {"registry_objection": 5, "registry_document": 3, "portal_notice": 2, "django_migrations": 90}
    after = {"registry_objection": 4, "portal_notice": 2, "django_migrations": 120}
    assert lost_rows(before, after) == [
        "registry_document: missing after the upgrade; it held 3 rows",
        "registry_objection: 5 rows before the upgrade, 4 after",
    ]


def test_lost_rows_follows_renamed_tables_and_allows_new_tables_and_rows():
    before = {"registry_objection": 5, "registry_region": 10}
    after = {"casework_objection": 5, "registry_region": 12, "casework_note": 1}
    assert lost_rows(before, after, {"registry_objection": "casework_objection"}) == []
    assert lost_rows(before, after) == ["registry_objection: missing after the upgrade; it held 5 rows"]
    assert lost_rows(
        before, {**after, "casework_objection": 4}, {"registry_objection": "casework_objection"}
    ) == ["registry_objection (now casework_objection): 5 rows before the upgrade, 4 after"]


def test_unknown_models_names_content_types_of_models_that_are_gone():
    references = {"registry_auditentry.content_type_id": {("registry", "enterprise"), ("registry", "gone")}}
    assert unknown_models(references) == [
        "registry_auditentry.content_type_id refers to registry.gone, which is no model here"
    ]


# --- the upgrade -----------------------------------------------------------------------------------
def git(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, timeout=60, check=False)


def old_commit_or_skip() -> str:
    """``OLD_COMMIT`` in full; skips, saying why, when this checkout's history lacks it."""
    if git("rev-parse").returncode != 0:
        pytest.skip("not a git checkout: the old commit cannot be exported")
    found = git("rev-parse", "--verify", "--quiet", f"{OLD_COMMIT}^{{commit}}")
    if found.returncode != 0:
        shallow = git("rev-parse", "--is-shallow-repository").stdout.decode().strip() == "true"
        pytest.skip(
            f"commit {OLD_COMMIT} is not in this checkout's history"
            + ("; this is a shallow clone: fetch the full history (git fetch --unshallow)" if shallow else "")
        )
    return found.stdout.decode().strip()


@pytest.fixture
def old_checkout():
    """The tree of ``OLD_COMMIT`` (``git archive | tar -x``), with this test run's virtualenv."""
    commit = old_commit_or_skip()
    with copies.temporary_copy("credit-upgrade-") as directory:
        run_step(
            f"git -C {shlex.quote(str(ROOT))} archive {commit} | tar -x -C {shlex.quote(str(directory))}",
            cwd=ROOT,
            env=dict(os.environ),
        )
        yield directory


def test_a_commit_missing_from_the_history_skips_the_upgrade_test_with_the_reason(monkeypatch):
    if git("rev-parse").returncode != 0:
        pytest.skip("not a git checkout")
    monkeypatch.setattr(sys.modules[__name__], "OLD_COMMIT", "0" * 40)
    with pytest.raises(pytest.skip.Exception, match="is not in this checkout's history"):
        old_commit_or_skip()


@pytest.fixture
def throwaway_database():
    with copies.throwaway_database("upgrade") as database:
        yield database


def manage(python: str, *arguments: str, cwd: Path, env: dict) -> str:
    """``manage.py`` of the tree in ``cwd`` at the test's clock (``TEST_CLOCK``), so that what the
    demo and the services date (listings, filings, due dates) is the same on every day the test runs."""
    return run_step(
        [python, "-c", AT_TEST_CLOCK, conftest.test_clock().isoformat(), *arguments], cwd=cwd, env=env
    )


# Runs manage.py with the clock started at argv[1], ticking; the rest of argv are its arguments.
AT_TEST_CLOCK = """
import datetime, runpy, sys, time_machine
time_machine.travel(datetime.datetime.fromisoformat(sys.argv[1]), tick=True).start()
sys.argv = ["manage.py", *sys.argv[2:]]
runpy.run_path("manage.py", run_name="__main__")
"""


@pytest.mark.slow
def test_upgrading_a_database_of_the_old_layout_keeps_every_row(old_checkout, throwaway_database, tmp_path):
    conf, name = throwaway_database["conf"], throwaway_database["name"]
    environment = copies.base_environment(
        SECRET_KEY=secrets.token_urlsafe(48),
        ID_HASH_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=throwaway_database["url"],
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private-media"),
    )
    python = str(old_checkout / ".venv" / "bin" / "python")

    # The old layout, with demo data and a row in every table.
    old = {**environment, "DEBUG": "1"}
    manage(python, "migrate", "--noinput", cwd=old_checkout, env=old)
    for command in DEMO_COMMANDS:
        manage(python, *command, cwd=old_checkout, env=old)
    manage(python, "shell", "-c", OLD_ROWS_SCRIPT.read_text(encoding="utf-8"), cwd=old_checkout, env=old)
    before = table_row_counts(conf, name)
    empty = sorted(table for table, count in before.items() if count == 0 and table not in MAY_BE_EMPTY)
    assert not empty, f"no rows to carry over in {empty}: make tests/support/old_rows.py fill them"

    # The upgrade (README, Upgrading): this checkout's migrate on the same database, DEBUG off.
    manage(
        sys.executable, "migrate", "--noinput", cwd=ROOT, env={**environment, "ALLOWED_HOSTS": "127.0.0.1"}
    )
    after = table_row_counts(conf, name)
    problems = lost_rows(before, after, RENAMED_TABLES)
    assert not problems, "rows lost in the upgrade from " + OLD_COMMIT + ":\n" + "\n".join(problems)
    references = content_type_references(conf, name)
    assert references["auth_permission (assigned)"] and any(references.values())
    problems = unknown_models(references)
    assert not problems, "content types left behind by the upgrade:\n" + "\n".join(problems)
