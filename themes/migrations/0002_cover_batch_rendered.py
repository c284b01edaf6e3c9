"""Cover batches record which courses they rendered (idempotent progress); the audit trail records creation."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('themes', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='coverbatch',
            name='rendered',
            field=models.JSONField(blank=True, default=list, verbose_name='courses rendered'),
        ),
        migrations.AlterField(
            model_name='palettetransition',
            name='from_status',
            field=models.CharField(blank=True, choices=[('proposed', 'Proposed'), ('submitted', 'Submitted for review'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('active', 'Active'), ('retired', 'Retired')], help_text='Empty for the transition that created the palette.', max_length=16, verbose_name='from status'),
        ),
    ]
