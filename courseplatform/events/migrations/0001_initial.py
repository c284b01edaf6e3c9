"""The interaction log moves here from the recommender (issue 13); its table and rows stay where they are.

Where the recommender is installed its migrations created ``recommender_interaction`` and this migration only
takes the model into the ``events`` state (the recommender's 0006 drops it from its own state). Where it is not
(the core alone), the table is created here. The decision reads the migration state, not the database, so it is
the same on every run and reverses cleanly.
"""

import uuid

import django.db.models.deletion
from django.apps import apps as global_apps
from django.conf import settings
from django.db import migrations, models

#: the state that already holds the table when the recommender's migrations ran first
FORMER_OWNER = ("recommender", "interaction")


class CreateModelUnlessMoved(migrations.CreateModel):
    """``CreateModel`` whose table is created (and dropped on reversal) only when no former owner holds it."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if FORMER_OWNER not in from_state.models:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if FORMER_OWNER not in to_state.models:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("catalog", "0003_field_verbose_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    if global_apps.is_installed("recommender"):
        # the table exists once the recommender's migrations up to the move have run (a string, not an import)
        dependencies.append(("recommender", "0005_fewer_interaction_indexes"))

    operations = [
        CreateModelUnlessMoved(
            name="Interaction",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("event_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True,
                                              verbose_name="event id")),
                ("session_key", models.CharField(blank=True, max_length=64, verbose_name="session key")),
                ("type", models.CharField(choices=[("impression", "Impression"), ("click", "Click"),
                                                   ("view", "View"), ("wishlist", "Wishlist"),
                                                   ("enroll", "Enrol"), ("complete", "Complete"),
                                                   ("rate", "Rate")],
                                          max_length=16, verbose_name="event type")),
                ("ts", models.DateTimeField(db_index=True, verbose_name="time")),
                ("value", models.FloatField(blank=True, null=True, verbose_name="value")),
                ("surface", models.CharField(blank=True, max_length=32, verbose_name="surface")),
                ("position", models.PositiveIntegerField(blank=True, null=True, verbose_name="position")),
                ("experiment", models.CharField(blank=True, max_length=64, verbose_name="experiment")),
                ("variant", models.CharField(blank=True, max_length=64, verbose_name="variant")),
                ("received_at", models.DateTimeField(auto_now_add=True, verbose_name="received")),
                ("course", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                             related_name="interactions", to="catalog.course",
                                             verbose_name="course")),
                ("user", models.ForeignKey(blank=True, db_index=False, null=True,
                                           on_delete=django.db.models.deletion.CASCADE,
                                           related_name="interactions", to=settings.AUTH_USER_MODEL,
                                           verbose_name="user")),
            ],
            options={
                "verbose_name": "interaction",
                "verbose_name_plural": "interactions",
                "db_table": "recommender_interaction",
                "indexes": [models.Index(fields=["user", "ts"], name="recommender_user_id_1f463f_idx"),
                            models.Index(fields=["course", "type"], name="recommender_course__d06dd5_idx")],
            },
        ),
    ]
