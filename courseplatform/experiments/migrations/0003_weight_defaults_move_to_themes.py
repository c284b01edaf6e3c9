# Issue 13: the brief's default weights are the theming plugin's business; the model moved to themes
# (themes.0004_weight_defaults_from_experiments) with its table, so only the state changes here. Without the
# theming app the table stays, unused.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('experiments', '0002_arms_from_palettes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='WeightDefaults')],
            database_operations=[],
        ),
    ]
