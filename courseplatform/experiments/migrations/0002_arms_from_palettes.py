"""Databases created by the original 0001 (variants with a ``palette_id`` foreign key to themes.Palette, before
issue 13) get ``Experiment.kind = "palette"`` and ``Variant.arm = <palette id>``; the foreign key goes. Databases
created by the current 0001 already have that shape: nothing to do."""

from django.db import migrations

VARIANT, EXPERIMENT = "experiments_variant", "experiments_experiment"


def _columns(connection, table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


def arms_from_palettes(apps, schema_editor):
    connection = schema_editor.connection
    if "palette_id" not in _columns(connection, VARIANT):
        return
    qn = schema_editor.quote_name
    if "kind" not in _columns(connection, EXPERIMENT):
        schema_editor.execute(f"ALTER TABLE {qn(EXPERIMENT)} ADD COLUMN {qn('kind')} varchar(32) NOT NULL DEFAULT ''")
    schema_editor.execute(f"UPDATE {qn(EXPERIMENT)} SET {qn('kind')} = 'palette'")
    if "arm" not in _columns(connection, VARIANT):
        schema_editor.execute(f"ALTER TABLE {qn(VARIANT)} ADD COLUMN {qn('arm')} varchar(64) NOT NULL DEFAULT ''")
    schema_editor.execute(f"UPDATE {qn(VARIANT)} SET {qn('arm')} = CAST({qn('palette_id')} AS varchar(64))")
    Experiment, Variant = apps.get_model("experiments", "Experiment"), apps.get_model("experiments", "Variant")
    if connection.vendor == "sqlite":
        # rebuilt from the current state: palette_id and its constraints go, one_variant_per_arm comes, and the
        # temporary column defaults of the ALTERs above go
        schema_editor._remake_table(Variant)
        schema_editor._remake_table(Experiment)
    else:
        schema_editor.execute(f"ALTER TABLE {qn(VARIANT)} DROP COLUMN {qn('palette_id')} CASCADE")
        schema_editor.execute(f"ALTER TABLE {qn(VARIANT)} ALTER COLUMN {qn('arm')} DROP DEFAULT")
        schema_editor.execute(f"ALTER TABLE {qn(EXPERIMENT)} ALTER COLUMN {qn('kind')} DROP DEFAULT")
        for constraint in Variant._meta.constraints:
            if constraint.name == "one_variant_per_arm":
                schema_editor.add_constraint(Variant, constraint)


class Migration(migrations.Migration):

    dependencies = [("experiments", "0001_initial")]

    operations = [migrations.RunPython(arms_from_palettes, migrations.RunPython.noop)]
