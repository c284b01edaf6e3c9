"""The interaction log becomes a table partitioned by month on PostgreSQL (issue 17, growth); a no-op elsewhere.

The plain table is copied into a partitioned one (rows, ids, indexes and foreign keys kept; the primary key becomes
``(id, ts)`` and the event-id constraint ``(event_id, ts)``, as PostgreSQL requires the partition key in each) and
the two are swapped; months from the oldest row to ``EVENTS_PARTITIONS_AHEAD`` months ahead get their partitions.
Reversible: going back copies the rows into a plain table again. The model state is unchanged: the ORM keeps ``id``
as the primary key (unique on its own: one identity sequence).
"""

import datetime as dt

from django.conf import settings
from django.db import migrations

from courseplatform.events import partitions

TABLE = "recommender_interaction"


def forwards(apps, schema_editor):
    now = dt.datetime.now(dt.UTC)
    ahead = now + dt.timedelta(days=31 * int(getattr(settings, "EVENTS_PARTITIONS_AHEAD", 3)))
    partitions.partition_table(schema_editor.connection, TABLE, now, ahead)


def backwards(apps, schema_editor):
    partitions.unpartition_table(schema_editor.connection, TABLE)


class Migration(migrations.Migration):

    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
