"""Writes to the search index: one ``SearchDocument`` per subject.

The index is derived data, so these writes are not audited; the write of the subject that
triggers them is. Every kind of subject goes through :func:`search_document_upsert`:
enterprises from the register (``registry.services.search``), list subjects from the blacklists
app; each registers its bulk rebuild with :func:`search_rebuilder_register`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from search.frequent_runs import SAMPLE_ROWS, frequent_runs
from search.models import FrequentRun, SearchDocument
from search.normalise import normalise, normalise_identifier
from search.query import limits
from search.tokens import document_tokens, tsvector_literal

_TABLE = SearchDocument._meta.db_table
_KINDS = frozenset(SearchDocument.Kind.values)
_NAME_LENGTH = SearchDocument._meta.get_field("name").max_length

# The upsert skips the write when nothing changed, so re-indexing leaves no dead rows behind.
_UPSERT_SQL = f"""
INSERT INTO {_TABLE} AS doc
    (kind, object_id, name, name_normalised, document, identifiers, province, published_on, extra)
SELECT kind, object_id, name, name_normalised, document::tsvector, identifiers, province, published_on, extra
FROM {{source}}
ON CONFLICT (kind, object_id) DO UPDATE SET
    name = EXCLUDED.name,
    name_normalised = EXCLUDED.name_normalised,
    document = EXCLUDED.document,
    identifiers = EXCLUDED.identifiers,
    province = EXCLUDED.province,
    published_on = EXCLUDED.published_on,
    extra = EXCLUDED.extra
WHERE (doc.name, doc.name_normalised, doc.document, doc.identifiers, doc.province, doc.published_on,
       doc.extra)
   IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.name_normalised, EXCLUDED.document, EXCLUDED.identifiers,
       EXCLUDED.province, EXCLUDED.published_on, EXCLUDED.extra)
"""  # noqa: S608 - table names from model metadata; values are parameters

_SINGLE_SOURCE = """(VALUES (%s, %s::bigint, %s, %s, %s, %s::text[], %s, %s::date, %s::jsonb))
    AS source(kind, object_id, name, name_normalised, document, identifiers, province, published_on, extra)"""


@dataclass(frozen=True)
class DocumentRow:
    """A search document ready to be written: every value already computed."""

    kind: str
    object_id: int
    name: str
    name_normalised: str
    document: str  # tsvector literal
    identifiers: list[str]
    province: str
    published_on: dt.date | None
    extra: dict


def province_of(region_code: str | None) -> str:
    """The province-level division code (``340100`` -> ``340000``), or "" when unknown."""
    code = str(region_code or "")
    return code[:2] + "0000" if len(code) == 6 and code.isdigit() and code[0] != "0" else ""


def search_document_row(
    *,
    kind: str,
    object_id: int,
    name: str,
    identifiers: Iterable[str] = (),
    aliases: Iterable[str] = (),
    province: str = "",
    published_on: dt.date | None = None,
    extra: dict | None = None,
    facets: Iterable[str] = (),
) -> DocumentRow:
    """Validate the inputs and compute the stored values, without touching the database.

    ``facets`` (see :func:`facet_lexeme`) are added to the name tokens of the document.
    """
    errors: dict[str, str] = {}
    if kind not in _KINDS:
        errors["kind"] = _("Unknown kind of search document: %(kind)s.") % {"kind": kind}
    name = str(name or "").strip()
    name_normalised = normalise(name)[:_NAME_LENGTH]
    if not name_normalised:
        errors["name"] = _("A search document needs a name with at least one letter or digit.")
    if province and province_of(province) != province:
        errors["province"] = _("The province is a six-digit division code ending in 0000.")
    if errors:
        raise ValidationError(errors)
    return DocumentRow(
        kind=kind,
        object_id=int(object_id),
        name=name[:_NAME_LENGTH],
        name_normalised=name_normalised,
        document=tsvector_literal(
            [*document_tokens(name, [alias for alias in aliases if alias]), *(f for f in facets if f)]
        ),
        identifiers=sorted({key for key in map(normalise_identifier, identifiers) if key}),
        province=province,
        published_on=published_on,
        extra=extra or {},
    )


def search_document_upsert(
    *,
    kind: str,
    object_id: int,
    name: str,
    identifiers: Iterable[str] = (),
    aliases: Iterable[str] = (),
    province: str = "",
    published_on: dt.date | None = None,
    extra: dict | None = None,
    facets: Iterable[str] = (),
) -> None:
    """Insert or refresh the search document of one subject (idempotent, one statement).

    ``aliases`` are other names the subject is searchable by (former names, names in other
    scripts); ``identifiers`` are exact keys (USCC, organisation code, registration number,
    case numbers, ``resident_id_hash`` of ID numbers). ``extra`` holds small display fields.
    """
    search_document_write_one(
        search_document_row(
            kind=kind,
            object_id=object_id,
            name=name,
            identifiers=identifiers,
            aliases=aliases,
            province=province,
            published_on=published_on,
            extra=extra,
            facets=facets,
        )
    )


def search_document_write_one(row: DocumentRow) -> None:
    from psycopg.types.json import Jsonb

    with connection.cursor() as cursor:
        cursor.execute(
            _UPSERT_SQL.format(source=_SINGLE_SOURCE),
            [
                row.kind,
                row.object_id,
                row.name,
                row.name_normalised,
                row.document,
                row.identifiers,
                row.province,
                row.published_on,
                Jsonb(row.extra),
            ],
        )


def search_document_delete(*, kind: str, object_id: int) -> bool:
    """Remove a subject from the index; True when there was a document."""
    deleted, _by_model = SearchDocument.objects.filter(kind=kind, object_id=int(object_id)).delete()
    return bool(deleted)


# --- enterprises ---------------------------------------------------------------------------------


def facet_lexeme(name: str, value: str) -> str:
    """A filter value stored as a lexeme of the document (``~status=revoked``, ``~industry=C``).

    Name tokens and query words are normalised (letters and digits only), so no token equals a
    facet and no romanised prefix query (``'ind':*``) can reach one, as it starts with ``~``.
    A search for a name with a filter then asks the ``document`` GIN index for both at once
    (``'贸易' & '~status=revoked'``): the index intersects the posting lists exactly, instead
    of two bitmaps that turn lossy and send the query through most of the table when both
    sets are large (see docs/search.md).
    """
    return f"~{name}={value}"


def status_facet(status: str) -> str:
    """The facet of a registration status (``Enterprise.Status``) in an enterprise's document."""
    return facet_lexeme("status", status)


def industry_facet(industry: str) -> str:
    """The facet of a GB/T 4754 industry section in an enterprise's document."""
    return facet_lexeme("industry", industry)


def province_facet(province: str) -> str:
    """The facet of a province (``340000``) in an enterprise's document, beside the ``province``
    column: the column serves the "most recent in this province" walk, the facet lets the GIN
    index intersect the province with the name."""
    return facet_lexeme("province", province)


@dataclass
class RebuildReport:
    documents: int = 0
    deleted: int = 0
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


_STAGE_COLUMNS = (
    "kind",
    "object_id",
    "name",
    "name_normalised",
    "document",
    "identifiers",
    "province",
    "published_on",
    "extra",
)


# The columns a document is written with, in the order of document_row_values().
SEARCH_DOCUMENT_COLUMNS = _STAGE_COLUMNS


def document_row_values(row: DocumentRow) -> tuple:
    """A document's values in SEARCH_DOCUMENT_COLUMNS order, for a COPY into a fresh table range."""
    return (
        row.kind,
        row.object_id,
        row.name,
        row.name_normalised,
        row.document,
        row.identifiers,
        row.province,
        row.published_on,
        row.extra,
    )


def _copy_rows(cursor, table: str, rows: Sequence[DocumentRow]) -> None:
    from psycopg.types.json import Jsonb

    with cursor.cursor.copy(f"COPY {table} ({', '.join(_STAGE_COLUMNS)}) FROM STDIN") as copy:
        for row in rows:
            *values, extra = document_row_values(row)
            copy.write_row((*values, Jsonb(extra)))


def _upsert_rows(cursor, rows: Sequence[DocumentRow]) -> None:
    cursor.execute(
        "CREATE TEMPORARY TABLE IF NOT EXISTS search_document_stage ("
        "kind varchar(16), object_id bigint, name varchar(300), name_normalised varchar(300), "
        "document text, identifiers text[], province varchar(6), published_on date, extra jsonb"
        ") ON COMMIT DELETE ROWS"
    )
    cursor.execute("TRUNCATE search_document_stage")
    _copy_rows(cursor, "search_document_stage", rows)
    cursor.execute(_UPSERT_SQL.format(source="search_document_stage"))


def search_documents_write(rows: Sequence[DocumentRow]) -> None:
    """Write many documents in one transaction, idempotently.

    Subjects without a document yet are COPYed straight into the table (an initial build is
    one COPY per batch); the others go through a temporary table and one INSERT … ON CONFLICT
    that leaves unchanged documents untouched.
    """
    rows = list({(row.kind, row.object_id): row for row in rows}.values())  # the last one wins
    if not rows:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kind, object_id FROM {_TABLE} WHERE (kind, object_id) IN "  # noqa: S608 - table name from model metadata
            "(SELECT * FROM unnest(%s::varchar[], %s::bigint[]))",
            [[row.kind for row in rows], [row.object_id for row in rows]],
        )
        existing = set(cursor.fetchall())
        new = [row for row in rows if (row.kind, row.object_id) not in existing]
        if len(new) < len(rows):
            _upsert_rows(cursor, [row for row in rows if (row.kind, row.object_id) in existing])
        if new:
            try:
                with transaction.atomic():
                    _copy_rows(cursor, _TABLE, new)
            except IntegrityError:  # written meanwhile by a service: take the slow, safe path
                _upsert_rows(cursor, new)


def search_documents_write_batches(
    batches: Iterable[Sequence[DocumentRow]], progress: Callable[[int], None] | None
) -> int:
    """Write batches, overlapping the next batch's tokenising (Python) with this one's writing
    (PostgreSQL) through a writer thread with its own connection, when not inside a transaction
    (a caller's transaction must see and own every write, so then it is done in line)."""
    written = 0

    def done(count: int) -> None:
        nonlocal written
        written += count
        if progress:
            progress(written)

    if connection.in_atomic_block:
        for rows in batches:
            search_documents_write(rows)
            done(len(rows))
        return written

    def write(rows: Sequence[DocumentRow]) -> int:
        search_documents_write(rows)
        return len(rows)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-index") as writer:
        pending = None
        try:
            for rows in batches:
                if pending is not None:
                    done(pending.result())
                pending = writer.submit(write, rows)
            if pending is not None:
                done(pending.result())
        finally:
            writer.submit(connections.close_all).result()
    return written


def search_index_after_bulk_write() -> None:
    """Merge the GIN fast-update lists and refresh the planner's statistics now, so the first
    searches after a bulk load are fast and know which tokens are common."""
    with connection.cursor() as cursor:
        for index in SearchDocument._meta.indexes:
            if isinstance(index, GinIndex):
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index.name])
        cursor.execute(f"ANALYZE {_TABLE}")
    search_frequent_runs_refresh()


# Any number, the same in every process: the lock of the frequent runs' refresh.
_FREQUENT_RUNS_LOCK = 0x5EA4C4_0001
# The periodic refresh does not recount runs counted less than this long ago.
FREQUENT_RUNS_FRESH = dt.timedelta(hours=20)


def search_frequent_runs_refresh(*, if_older_than: dt.timedelta | None = None) -> int | None:
    """Recount the runs of characters held by enough documents to prove "1000+" on their own
    (``search.frequent_runs``), on a random sample of at most SAMPLE_ROWS documents, and replace
    the stored ones; the number stored.

    A run is kept when its share of the sample, applied to all documents, is at least
    STATISTICS_HITS_MARGIN x (COUNT_CAP + 1) documents: the margin covers the sampling error
    and documents deleted until the next count, as for the planner's statistics. One
    transaction; refreshes run one at a time. With ``if_older_than``, nothing is done (None)
    when the last count is more recent than that or another refresh is running.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if if_older_than is None:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_FREQUENT_RUNS_LOCK])
        else:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_FREQUENT_RUNS_LOCK])
            locked = cursor.fetchone()[0]
            latest = FrequentRun.objects.order_by("-counted_at").values_list("counted_at", flat=True).first()
            if not locked or (latest and timezone.now() - latest < if_older_than):
                return None
        cursor.execute(
            "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass", [_TABLE]
        )
        # The planner's row count only sizes the sample: it may be stale (rows written since the
        # last ANALYZE). The sample's own size, divided by the fraction sampled, counts them.
        estimate = cursor.fetchone()[0] or SearchDocument.objects.count()
        fraction = min(1.0, SAMPLE_ROWS / max(estimate, 1))
        cursor.execute(
            f"SELECT name_normalised FROM {_TABLE} TABLESAMPLE BERNOULLI (%s)",  # noqa: S608 - table name from model metadata
            [100.0 * fraction],
        )
        names = [name for (name,) in cursor.fetchall()]
        sampled = len(names)
        needed = limits.STATISTICS_HITS_MARGIN * (limits.COUNT_CAP + 1)
        runs: dict[str, int] = {}
        if sampled and sampled / fraction >= needed:
            # Held by ``needed`` documents in all: by needed x fraction of the sample.
            runs = frequent_runs(names, max(1, math.ceil(needed * fraction)))
        now = timezone.now()
        stored = [FrequentRun(run=run, share=count / sampled, counted_at=now) for run, count in runs.items()]
        for row in stored:
            # Unique by construction (the keys of one dict); the database checks the rest again.
            row.full_clean(validate_unique=False, validate_constraints=False)
        FrequentRun.objects.all().delete()
        FrequentRun.objects.bulk_create(stored, batch_size=1000)
    return len(stored)


# Kinds that ``rebuild_search_index`` can rebuild. Each app that writes documents (registry,
# blacklists) adds its own from ``AppConfig.ready`` with :func:`search_rebuilder_register`; the
# engine never imports them.
SEARCH_REBUILDERS: dict[str, Callable[..., RebuildReport]] = {}


def search_rebuilder_register(kind: str, rebuild: Callable[..., RebuildReport]) -> None:
    """Let ``rebuild_search_index --kind KIND`` call ``rebuild(batch_size=…, progress=…)``."""
    if kind not in _KINDS:
        raise ValueError(f"Unknown kind of search document: {kind}")
    SEARCH_REBUILDERS[kind] = rebuild
