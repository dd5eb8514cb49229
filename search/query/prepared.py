"""Statements of fixed text, bound on the server and prepared once per connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from psycopg.types.numeric import Int8

# --- prepared statements -------------------------------------------------------------------------
# Django binds parameters on the client: every statement reaches PostgreSQL as new text, which it
# parses and plans afresh. The search's hot statements have fixed text (an identifier lookup, the
# page of entries in blacklists.selectors.entries), so they run through statement_cursor(): bound
# on the server and prepared once per connection, then executed with PostgreSQL's cached plan
# (at the client, an identifier lookup takes 0.1 ms instead of 0.3 ms, a page 0.1 ms instead of
# 0.6 ms). Everything else keeps Django's client-side binding. settings.SEARCH_PREPARED_STATEMENTS
# turns this off, for a connection pooler that cannot keep prepared statements across
# transactions (PgBouncer in transaction mode before 1.21, or without max_prepared_statements).

# psycopg prepares nothing unless the connection has a threshold; Django sets none. A threshold no
# statement reaches: only what statement_cursor() runs (with prepare=True) is prepared.
_PREPARE_WHEN_ASKED = 2**31 - 1


class _PreparingCursor(psycopg.Cursor):
    """Binds parameters on the server and prepares each statement on its first execution."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if params:
            # psycopg sends an int as int2, int4 or int8 by its size, and a statement is prepared
            # per parameter types: always bigint, so each statement is prepared once.
            params = [Int8(value) if type(value) is int else value for value in params]
        return super().execute(query, params, prepare=True, binary=binary)


class _PreparedDebugCursorWrapper(CursorDebugWrapper):
    """Logs (DEBUG, query counting in tests) the statement as written, its values apart: psycopg
    keeps no merged text of a prepared statement for Django's ``last_executed_query``."""

    def execute(self, sql, params=None):
        with self.debug_sql(sql, params):
            return CursorWrapper.execute(self, sql, params)


@contextmanager
def statement_cursor(using: str = DEFAULT_DB_ALIAS) -> Iterator[CursorWrapper]:
    """A cursor for statements of fixed text that run on most requests: each is prepared on the
    server once per connection (see above). A plain Django cursor when
    ``settings.SEARCH_PREPARED_STATEMENTS`` is off. Either way a Django cursor wrapper: queries are
    logged and counted, execute wrappers apply and errors are Django's."""
    db = connections[using]
    if not getattr(settings, "SEARCH_PREPARED_STATEMENTS", False) or db.vendor != "postgresql":
        with db.cursor() as cursor:
            yield cursor
        return
    # What BaseDatabaseWrapper.cursor() does, with a server-binding cursor.
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    raw = db.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = _PREPARE_WHEN_ASKED
    with db.wrap_database_errors:
        cursor = _PreparingCursor(raw)
    wrapper = _PreparedDebugCursorWrapper(cursor, db) if db.queries_logged else db.make_cursor(cursor)
    with wrapper:
        yield wrapper
