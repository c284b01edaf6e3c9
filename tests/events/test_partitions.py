"""The interaction log partitioned by month on PostgreSQL (declarative range partitioning on ``ts``).

PostgreSQL only: SQLite has no table partitioning, and the migration that creates the partitions is a no-op
there (test_retention.py covers retention on both). CI runs this module against PostgreSQL.
"""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from courseplatform.events import partitions, retention, services
from courseplatform.events.models import Interaction
from tests.factories import CourseFactory, UserFactory

TABLE = Interaction._meta.db_table
UTC = dt.UTC


@pytest.fixture
def on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no table partitioning (the partitioning migration is a no-op)")


def where(pk: int) -> str:
    """The partition holding row ``pk``."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {TABLE} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def log(course, ts: dt.datetime, user=None) -> Interaction:
    return Interaction.objects.create(event_id=uuid.uuid4(), user=user, course=course, type="view", ts=ts)


def test_the_log_is_partitioned_by_month_with_months_ahead(on_postgresql, settings):
    assert partitions.is_partitioned(TABLE)
    months = partitions.partitions(TABLE)
    this_month = partitions.month_start(timezone.now())
    assert this_month in months and partitions.next_month(this_month) in months
    settings.EVENTS_PARTITIONS_AHEAD = 5
    created = retention.partitions_ensure()
    expected, start = [], this_month
    for _ in range(5):
        start = partitions.next_month(start)
        expected.append(start)
    assert set(expected) <= set(partitions.partitions(TABLE)) and len(created) >= 1
    assert retention.partitions_ensure() == []  # idempotent


def test_rows_land_in_their_month_and_the_orm_and_ingestion_work_across_partitions(on_postgresql):
    course, learner = CourseFactory(), UserFactory()
    now = timezone.now()
    row = services.record_server_event(user=learner, course=course, event_type="enroll")
    assert where(row.pk) == partitions.partition_name(TABLE, partitions.month_start(now))
    ancient = log(course, dt.datetime(2001, 5, 3, tzinfo=UTC), user=learner)
    assert where(ancient.pk) == TABLE + partitions.DEFAULT_SUFFIX  # no month partition: the default holds it
    event = {"index": 0, "event_id": uuid.uuid4(), "type": "click", "course": course.pk, "ts": now, "value": None,
             "context": {}}
    course.published = True
    course.save(update_fields=["published"])
    assert services.events_ingest(events=[event], user=learner).stored == [str(event["event_id"])]
    assert services.events_ingest(events=[event], user=learner).duplicates == [str(event["event_id"])]
    assert sorted(learner.interactions.values_list("type", flat=True)) == ["click", "enroll", "view"]
    Interaction.objects.filter(pk=ancient.pk).update(value=2.0)
    assert Interaction.objects.get(pk=ancient.pk).value == 2.0
    learner.delete()  # the foreign key's cascade reaches every partition
    assert not Interaction.objects.filter(pk__in=[row.pk, ancient.pk]).exists()


def test_a_month_created_late_takes_its_rows_from_the_default_partition(on_postgresql):
    course = CourseFactory()
    rows = [log(course, dt.datetime(2020, 3, d, 12, tzinfo=UTC)) for d in (1, 15, 31)]
    other = log(course, dt.datetime(2020, 4, 1, tzinfo=UTC))
    assert partitions.ensure_month(TABLE, dt.datetime(2020, 3, 9, tzinfo=UTC))
    assert {where(r.pk) for r in rows} == {f"{TABLE}_p202003"}
    assert where(other.pk) == TABLE + partitions.DEFAULT_SUFFIX
    assert Interaction.objects.filter(pk__in=[r.pk for r in rows]).count() == 3
    assert not partitions.ensure_month(TABLE, dt.datetime(2020, 3, 1, tzinfo=UTC))


def test_drop_removes_whole_month_partitions_and_deletes_the_rest_in_batches(on_postgresql, settings):
    course = CourseFactory()
    now = dt.datetime.now(UTC)
    partitions.ensure_months(TABLE, dt.datetime(2021, 1, 1, tzinfo=UTC), dt.datetime(2021, 2, 1, tzinfo=UTC))
    dropped = [log(course, dt.datetime(2021, 1, 5, tzinfo=UTC)), log(course, dt.datetime(2021, 2, 20, tzinfo=UTC))]
    in_default = log(course, dt.datetime(2019, 6, 1, tzinfo=UTC))
    recent = log(course, now - dt.timedelta(days=1))
    settings.EVENTS_RETENTION_DAYS, settings.EVENTS_RETENTION_ACTION = 30, "drop"
    result = retention.retention_apply(now=now)
    assert set(result.dropped_partitions) == {f"{TABLE}_p202101", f"{TABLE}_p202102"}
    assert result.deleted >= 1  # the default partition's old row, deleted row by row
    assert not Interaction.objects.filter(pk__in=[r.pk for r in dropped] + [in_default.pk]).exists()
    assert Interaction.objects.filter(pk=recent.pk).exists()
    assert dt.datetime(2021, 1, 1, tzinfo=UTC) not in partitions.partitions(TABLE)


@pytest.mark.django_db(transaction=True)
def test_the_partitioning_migration_keeps_every_row_both_ways(request):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the migration is a no-op on SQLite")
    course, learner = CourseFactory(), UserFactory()
    rows = [log(course, dt.datetime(2022, 7, 1, tzinfo=UTC), user=learner), log(course, timezone.now())]
    before, latest = [("events", "0001_initial")], MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        assert not partitions.is_partitioned(TABLE)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, event_id::text FROM {TABLE} ORDER BY id")
            assert cursor.fetchall() == [(r.pk, str(r.event_id)) for r in rows]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    assert partitions.is_partitioned(TABLE)
    assert where(rows[0].pk) == f"{TABLE}_p202207"  # a month of the old rows got its partition
    assert set(Interaction.objects.values_list("pk", flat=True)) == {r.pk for r in rows}
    later = log(course, timezone.now())  # the id sequence continues after the copied rows
    assert later.pk > max(r.pk for r in rows)
