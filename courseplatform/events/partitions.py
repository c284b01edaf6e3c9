"""Monthly partitions of the interaction log on PostgreSQL (declarative range partitioning on ``ts``).

Layout: the parent table keeps the model's ``db_table``; one partition per calendar month (UTC) named
``<table>_pYYYYMM`` holding ``[first of the month, first of the next)``, and a ``<table>_pdefault`` partition that
catches anything no month partition covers, so an insert never fails for want of a partition. Months are created
ahead by the beat task ``events.maintain`` (``EVENTS_PARTITIONS_AHEAD``); a month created after rows for it landed
in the default partition takes those rows with it (PostgreSQL refuses to attach a range the default still holds).

PostgreSQL requires every unique constraint of a partitioned table to include the partition key: the primary key
is ``(id, ts)`` and the event-id constraint ``(event_id, ts)``. ``id`` stays unique on its own (one identity
sequence) and the ORM keeps using it as the primary key. Nothing references the interaction log by foreign key
(a referenced column would need a unique constraint of its own).

Everything here is a no-op on other databases (SQLite keeps one table; ``retention`` deletes in batches there).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection as default_connection

DEFAULT_SUFFIX = "_pdefault"
_MONTH = re.compile(r"_p(\d{4})(\d{2})$")


def month_start(when: dt.datetime | dt.date) -> dt.datetime:
    """The first instant (UTC) of the month holding ``when``."""
    if isinstance(when, dt.datetime) and when.tzinfo is not None:
        when = when.astimezone(dt.UTC)
    return dt.datetime(when.year, when.month, 1, tzinfo=dt.UTC)


def next_month(start: dt.datetime) -> dt.datetime:
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def partition_name(table: str, start: dt.datetime) -> str:
    return f"{table}_p{start.year:04d}{start.month:02d}"


def _quote(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def is_partitioned(table: str, connection=None) -> bool:
    """Whether ``table`` is a partitioned table (always ``False`` outside PostgreSQL)."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
                       "WHERE c.relname = %s AND pg_table_is_visible(c.oid)", [table])
        return cursor.fetchone() is not None


def partitions(table: str, connection=None) -> dict[dt.datetime, str]:
    """``{month start: partition name}`` of the month partitions of ``table`` (the default one excluded)."""
    connection = connection or default_connection
    if not is_partitioned(table, connection):
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s AND pg_table_is_visible(p.oid)",
                       [table])
        names = [row[0] for row in cursor.fetchall()]
    out = {}
    for name in names:
        match = _MONTH.search(name)
        if match and name == partition_name(table, dt.datetime(int(match[1]), int(match[2]), 1, tzinfo=dt.UTC)):
            out[dt.datetime(int(match[1]), int(match[2]), 1, tzinfo=dt.UTC)] = name
    return dict(sorted(out.items()))


def ensure_month(table: str, start: dt.datetime, connection=None) -> bool:
    """Create the partition of the month starting at ``start`` unless it exists; rows of that month already in the
    default partition move into it. Returns whether one was created. Run inside a transaction."""
    connection = connection or default_connection
    start = month_start(start)
    if start in partitions(table, connection):
        return False
    name, end = partition_name(table, start), next_month(start)
    parent, part, default = (_quote(connection, n) for n in (table, name, table + DEFAULT_SUFFIX))
    bounds = [start, end]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {default} WHERE ts >= %s AND ts < %s)", bounds)
        if cursor.fetchone()[0]:
            cursor.execute(f"CREATE TABLE {part} (LIKE {parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
            cursor.execute(f"WITH moved AS (DELETE FROM {default} WHERE ts >= %s AND ts < %s RETURNING *) "
                           f"INSERT INTO {part} SELECT * FROM moved", bounds)
            cursor.execute(f"ALTER TABLE {parent} ATTACH PARTITION {part} FOR VALUES FROM (%s) TO (%s)", bounds)
        else:
            cursor.execute(f"CREATE TABLE {part} PARTITION OF {parent} FOR VALUES FROM (%s) TO (%s)", bounds)
    return True


def ensure_months(table: str, first: dt.datetime, last: dt.datetime, connection=None) -> list[str]:
    """Partitions for every month from ``first`` to ``last`` (inclusive); returns the names created."""
    created, start = [], month_start(first)
    while start <= month_start(last):
        if ensure_month(table, start, connection):
            created.append(partition_name(table, start))
        start = next_month(start)
    return created


def drop_month(table: str, start: dt.datetime, connection=None) -> None:
    """Drop the partition of the month starting at ``start`` with its rows (retention)."""
    connection = connection or default_connection
    name = partition_name(table, month_start(start))
    with connection.cursor() as cursor:
        # deferred foreign-key checks of rows written earlier in this transaction would block the DROP
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {_quote(connection, table)} DETACH PARTITION {_quote(connection, name)}")
        cursor.execute(f"DROP TABLE {_quote(connection, name)}")


# --- conversion (the migration) ---------------------------------------------------------------------------------


def _indexes_and_foreign_keys(cursor, table: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The plain indexes' definitions (not those behind constraints) and the foreign keys ``(name, definition)``
    of ``table``."""
    cursor.execute("SELECT i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND i.schemaname = current_schema() "
                   "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname "
                   "AND c.conrelid = (quote_ident(i.schemaname) || '.' || quote_ident(i.tablename))::regclass)",
                   [table])
    indexes = [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE conrelid = %s::regclass AND contype = 'f'", [table])
    return indexes, list(cursor.fetchall())


def _rebuild(connection, table: str, *, partitioned: bool, months: tuple[dt.datetime, dt.datetime] | None) -> None:
    """Copy ``table`` into a new table of the same columns, partitioned by month or plain, and swap them; the
    indexes and foreign keys are recreated under their names, the unique constraints with or without ``ts``."""
    old = table + ("_unpartitioned" if partitioned else "_partitioned")
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        indexes, foreign_keys = _indexes_and_foreign_keys(cursor, table)
        cursor.execute(f"ALTER TABLE {q(table)} RENAME TO {q(old)}")
        tail = " PARTITION BY RANGE (ts)" if partitioned else ""
        cursor.execute(f"CREATE TABLE {q(table)} (LIKE {q(old)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                       f"INCLUDING IDENTITY){tail}")
        if partitioned:
            cursor.execute(f"CREATE TABLE {q(table + DEFAULT_SUFFIX)} PARTITION OF {q(table)} DEFAULT")
            cursor.execute(f"SELECT min(ts), max(ts) FROM {q(old)}")
            low, high = cursor.fetchone()
            first, last = months or (low, high)
            ensure_months(table, min(first, low or first), max(last, high or last), connection)
        cursor.execute(f"INSERT INTO {q(table)} OVERRIDING SYSTEM VALUE SELECT * FROM {q(old)}")
        cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                       f"coalesce((SELECT max(id) FROM {q(table)}), 0) + 1, false)", [table])
        cursor.execute(f"DROP TABLE {q(old)} CASCADE")
        key = "id, ts" if partitioned else "id"
        unique = "event_id, ts" if partitioned else "event_id"
        cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(table + '_pkey')} PRIMARY KEY ({key})")
        cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(table + '_event_id_key')} UNIQUE ({unique})")
        for definition in indexes:
            cursor.execute(re.sub(r" ON (ONLY )?\S+ USING ", f" ON {q(table)} USING ", definition, count=1))
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}")


def partition_table(connection, table: str, first: dt.datetime, last: dt.datetime) -> None:
    """Turn the plain ``table`` into one partitioned by month (rows kept), with partitions from ``first``'s month
    to ``last``'s plus every month its rows fall in. No-op unless PostgreSQL and not partitioned yet."""
    if connection.vendor == "postgresql" and not is_partitioned(table, connection):
        _rebuild(connection, table, partitioned=True, months=(first, last))


def unpartition_table(connection, table: str) -> None:
    """The reverse of :func:`partition_table` (rows kept)."""
    if connection.vendor == "postgresql" and is_partitioned(table, connection):
        _rebuild(connection, table, partitioned=False, months=None)
