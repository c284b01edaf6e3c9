"""The database-specific part of search: matching and text relevance, index rows, vocabulary look-ups.

Both backends read the same terms (``search.text``), so they match the same documents: PostgreSQL through a
weighted ``tsvector`` with a GIN index (``ts_rank``, length-normalised), SQLite through FTS5 (``bm25`` with the
same column weights). Query and vector literals are built here from terms that contain letters and digits
only, so nothing the visitor typed reaches the SQL text.
"""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet
from django.db.models.expressions import RawSQL

from .text import QueryPart

FTS_TABLE = "search_fts"
DOC_TABLE = "search_searchdocument"
#: relative weights of title, subtitle, category/storefront, description/lessons
FIELD_WEIGHTS = {"title": 1.0, "subtitle": 0.5, "meta": 0.3, "body": 0.1}
_PG_WEIGHT_LETTER = {"title": "A", "subtitle": "B", "meta": "C", "body": "D"}
FIELDS = tuple(FIELD_WEIGHTS)
_FIELD_GAP = 100  # positions between fields: a phrase never spans two fields


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- queries ------------------------------------------------------------------------------------------------

def _fts5_expression(parts: Sequence[QueryPart], prefix_last: bool) -> str:
    out = []
    for n, part in enumerate(parts):
        star = "*" if prefix_last and n == len(parts) - 1 else ""
        out.append('"' + " ".join(part.terms) + '"' + star)
    return " AND ".join(out)


def _tsquery(parts: Sequence[QueryPart], prefix_last: bool) -> str:
    out = []
    for n, part in enumerate(parts):
        terms = [f"'{t}'" for t in part.terms]
        if prefix_last and n == len(parts) - 1:
            terms[-1] += ":*"
        out.append("(" + " <-> ".join(terms) + ")" if len(terms) > 1 else terms[0])
    return " & ".join(out)


def match(documents: QuerySet, parts: Sequence[QueryPart], *, prefix_last: bool = False) -> QuerySet:
    """``documents`` containing every part (a phrase's words in order), annotated with ``relevance``
    (higher is better)."""
    if is_postgres():
        query = _tsquery(parts, prefix_last)
        weights = "{" + ",".join(str(FIELD_WEIGHTS[f]) for f in ("body", "meta", "subtitle", "title")) + "}"
        return documents.filter(
            RawSQL(f'"{DOC_TABLE}"."vector" @@ %s::tsquery', [query], output_field=BooleanField())
        ).annotate(relevance=RawSQL(f"ts_rank(%s::float4[], \"{DOC_TABLE}\".\"vector\", %s::tsquery, 1)",
                                    [weights, query], output_field=FloatField()))
    expression = _fts5_expression(parts, prefix_last)
    weights = ", ".join(str(FIELD_WEIGHTS[f] * 10) for f in FIELDS)
    return documents.filter(
        course_id__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
    ).annotate(relevance=RawSQL(
        f"SELECT -bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
        f'AND rowid = "{DOC_TABLE}"."course_id"', [expression], output_field=FloatField()))


# --- index rows -----------------------------------------------------------------------------------------------

def tsvector_literal(fields: dict[str, list[str]]) -> str:
    """A ``tsvector`` literal of the fields' terms with positions and weights (title A … body D)."""
    positions: dict[str, list[str]] = {}
    start = 1
    for name in FIELDS:
        terms = fields.get(name, [])
        letter = _PG_WEIGHT_LETTER[name]
        for offset, term in enumerate(terms):
            position = min(start + offset, 16383)
            positions.setdefault(term, []).append(f"{position}{letter}")
        start += len(terms) + _FIELD_GAP
    return " ".join(f"'{term}':{','.join(p[:256])}" for term, p in positions.items())


def write_rows(rows: Sequence[tuple[int, dict[str, list[str]]]]) -> None:
    """Store the terms of ``(course_id, {field: terms})`` rows in the backend's index."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.executemany(f'UPDATE "{DOC_TABLE}" SET "vector" = %s::tsvector WHERE "course_id" = %s',
                               [(tsvector_literal(fields), course_id) for course_id, fields in rows])
            return
        delete_rows([course_id for course_id, _f in rows])
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FIELDS)}) VALUES (%s, %s, %s, %s, %s)",
            [(course_id, *(" ".join(fields.get(f, [])) for f in FIELDS)) for course_id, fields in rows])


def delete_rows(course_ids: Iterable[int]) -> None:
    """Drop courses from the SQLite FTS table (PostgreSQL's vector goes with its row)."""
    ids = list(course_ids)
    if not ids or is_postgres():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({', '.join(['%s'] * len(ids))})", ids)


def analyze() -> None:
    """Fresh planner statistics after a rebuild (PostgreSQL), so searches use the GIN index as they should."""
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{DOC_TABLE}"')


def clear() -> None:
    if not is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")


# --- vocabulary -------------------------------------------------------------------------------------------------

def similar_terms(word: str, limit: int = 10) -> list[str]:
    """Vocabulary terms that may be ``word`` mistyped (the caller scores them): PostgreSQL's trigram
    distance through the GiST index; elsewhere terms of a similar length."""
    from .models import SearchTerm

    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute('SELECT "term" FROM "search_searchterm" ORDER BY "term" <-> %s LIMIT %s', [word, limit])
            return [row[0] for row in cursor.fetchall()]
    from django.db.models.functions import Length

    return list(SearchTerm.objects.annotate(n=Length("term"))
                .filter(n__gte=len(word) - 2, n__lte=len(word) + 2).values_list("term", flat=True))
