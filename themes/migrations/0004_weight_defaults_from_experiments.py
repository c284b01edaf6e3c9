# Issue 13: WeightDefaults moves here from the experiments app with its table (experiments_weightdefaults, created
# by experiments.0001 and kept with its rows): state only.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0004_course_currency'),
        ('experiments', '0003_weight_defaults_move_to_themes'),
        ('themes', '0003_field_verbose_names'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='WeightDefaults',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('scope', models.CharField(choices=[('global', 'All categories'), ('category', 'One category')], max_length=16, verbose_name='scope')),
                        ('alpha', models.FloatField(verbose_name='harmony weight')),
                        ('beta', models.FloatField(verbose_name='legibility weight')),
                        ('gamma', models.FloatField(verbose_name='brand-fit weight')),
                        ('n_experiments', models.PositiveIntegerField(verbose_name='experiments')),
                        ('fitted_at', models.DateTimeField(verbose_name='fitted')),
                        ('category', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.category', verbose_name='category')),
                    ],
                    options={
                        'verbose_name': 'weight defaults',
                        'verbose_name_plural': 'weight defaults',
                        'db_table': 'experiments_weightdefaults',
                        'constraints': [models.UniqueConstraint(condition=models.Q(('scope', 'global')), fields=('scope',), name='one_global_weight_defaults'), models.UniqueConstraint(condition=models.Q(('scope', 'category')), fields=('category',), name='one_weight_defaults_per_category'), models.CheckConstraint(condition=models.Q(models.Q(('category__isnull', True), ('scope', 'global')), models.Q(('category__isnull', False), ('scope', 'category')), _connector='OR'), name='weight_defaults_scope_matches_category')],
                    },
                ),
            ],
        ),
    ]
