"""Moving ``Interaction`` from the recommender to the core's events app keeps its table and every row.

Migrates back to the state before the move (the model in ``recommender``), writes rows through that historical
model, migrates forward again and reads them through ``courseplatform.events``.
"""

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from courseplatform.events.models import Interaction
from tests.factories import CourseFactory, UserFactory

BEFORE_THE_MOVE = [("recommender", "0005_fewer_interaction_indexes"), ("events", None)]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_rows_logged_before_the_move_are_read_through_the_events_app_after_it():
    course, learner = CourseFactory(), UserFactory()
    forward = latest()
    try:
        executor = migrate(BEFORE_THE_MOVE)
        old_apps = executor.loader.project_state(BEFORE_THE_MOVE[0]).apps
        applied = executor.loader.applied_migrations
        assert ("events", "0001_initial") not in applied
        assert ("recommender", "0006_interaction_moves_to_events") not in applied
        OldInteraction = old_apps.get_model("recommender", "Interaction")
        assert OldInteraction._meta.db_table == Interaction._meta.db_table
        ids = [uuid.uuid4(), uuid.uuid4()]
        OldInteraction.objects.create(event_id=ids[0], user_id=learner.pk, course_id=course.pk, type="enroll",
                                      ts=timezone.now(), surface="course_page", experiment="7", variant="B")
        OldInteraction.objects.create(event_id=ids[1], session_key="abc", course_id=course.pk, type="impression",
                                      ts=timezone.now(), position=3)
    finally:
        migrate(forward)
    rows = {row.event_id: row for row in Interaction.objects.filter(event_id__in=ids)}
    assert set(rows) == set(ids)
    enrol, shown = rows[ids[0]], rows[ids[1]]
    assert (enrol.user_id, enrol.course_id, enrol.type, enrol.experiment, enrol.variant) == (
        learner.pk, course.pk, "enroll", "7", "B")
    assert (shown.session_key, shown.position, shown.user_id) == ("abc", 3, None)
    assert learner.interactions.count() == 1 and course.interactions.count() == 2  # reverse accessors kept
    assert ContentType.objects.filter(app_label="events", model="interaction").exists()


@pytest.mark.django_db(transaction=True)
def test_the_move_reverses_without_dropping_the_table():
    course = CourseFactory()
    Interaction.objects.create(session_key="s", course=course, type="view", ts=timezone.now())
    forward = latest()
    try:
        migrate(BEFORE_THE_MOVE)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(Interaction._meta.db_table)}")
            assert cursor.fetchone()[0] == 1
    finally:
        migrate(forward)
    assert Interaction.objects.filter(course=course).count() == 1
