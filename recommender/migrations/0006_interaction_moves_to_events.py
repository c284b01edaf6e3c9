"""``Interaction`` now belongs to the core's ``events`` app (issue 13): drop it from this app's state only.

The table ``recommender_interaction`` and its rows stay; ``events.0001_initial`` takes the model over. The
content type is renamed, so admin permissions and log entries keep pointing at the model.
"""

from django.db import migrations


def rename_content_type(apps, schema_editor, old: str, new: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not content_type.objects.using(db).filter(app_label=new, model="interaction").exists():
        content_type.objects.using(db).filter(app_label=old, model="interaction").update(app_label=new)


def forwards(apps, schema_editor):
    rename_content_type(apps, schema_editor, "recommender", "events")


def backwards(apps, schema_editor):
    rename_content_type(apps, schema_editor, "events", "recommender")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("recommender", "0005_fewer_interaction_indexes"),
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Interaction")],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
